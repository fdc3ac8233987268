"""The patient registry, the intake history and the access log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from simple_history.models import HistoricalRecords

from mesohair.clinical import intake_vocabulary as vocab
from mesohair.clinical.labs import LAB_TESTS, check_lab_value, unit_choices
from mesohair.clinics.models import Clinic, IdentifierType
from mesohair.clinics.scoping import ClinicScopedQuerySet
from mesohair.patients.validators import age_on, not_in_future, plausible_birth_date, today

LANGUAGES = [
    ("en", "English"), ("es", "Spanish"), ("fr", "French"), ("de", "German"),
    ("it", "Italian"), ("pt", "Portuguese"), ("nl", "Dutch"), ("ca", "Catalan"),
    ("ar", "Arabic"), ("ru", "Russian"), ("zh", "Chinese"), ("other", "Other"),
]


def choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    """Django choices from a vocabulary mapping."""
    return list(mapping.items())


@deconstructible
class CodesValidator:
    """A JSON list of codes drawn from one intake vocabulary (named by attribute)."""

    def __init__(self, vocabulary: str, what: str) -> None:
        self.vocabulary, self.what = vocabulary, what

    def __call__(self, value: Any) -> None:
        mapping = getattr(vocab, self.vocabulary)
        if not isinstance(value, list):
            raise ValidationError(f"Expected a list of {self.what}.")
        unknown = [v for v in value if v not in mapping]
        if unknown:
            raise ValidationError(f"Unknown {self.what}: {', '.join(map(str, unknown))}.")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CodesValidator) and (self.vocabulary, self.what) == (
            other.vocabulary, other.what)


class SexAtBirth(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"


class GenderIdentity(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Other"
    UNDISCLOSED = "undisclosed", "Prefers not to say"


class Patient(models.Model):
    """A person registered with one clinic."""

    clinic_lookup = "clinic"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    family_name = models.CharField(max_length=100)
    given_names = models.CharField(max_length=100)
    date_of_birth = models.DateField(validators=[plausible_birth_date])
    sex_at_birth = models.CharField(
        max_length=6, choices=SexAtBirth.choices,
        help_text="Used for sex-specific scales and checks; gender identity is separate.",
    )
    gender_identity = models.CharField(max_length=12, choices=GenderIdentity.choices, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    preferred_language = models.CharField(max_length=5, choices=LANGUAGES, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_names"]
        indexes = [
            models.Index(fields=["clinic", "family_name"]),
            models.Index(fields=["clinic", "date_of_birth"]),
        ]

    def __str__(self) -> str:
        return f"{self.family_name.upper()}, {self.given_names}"

    @property
    def age(self) -> int:
        """Age in completed years today."""
        return age_on(self.date_of_birth, today())

    @property
    def can_be_pregnant(self) -> bool:
        """Whether pregnancy and breastfeeding questions apply (not to sex at birth male;
        trying to conceive applies to everyone)."""
        return self.sex_at_birth != SexAtBirth.MALE


class PatientIdentifier(models.Model):
    """An identifier of a clinic-configured type (national ID, insurance number ...)."""

    clinic_lookup = "patient__clinic"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="identifiers")
    type = models.ForeignKey(IdentifierType, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=80)
    history = HistoricalRecords()

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["type", "value"], name="identifier_unique_per_type")
        ]

    def __str__(self) -> str:
        return f"{self.type.name}: {self.value}"


class ClinicalRecord(models.Model):
    """Common fields of everything recorded about a patient's health."""

    clinic_lookup = "patient__clinic"

    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Intake(ClinicalRecord):
    """The patient's hair-loss history: one per patient, kept with its history."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="intake")
    onset_age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(120)],
        help_text="Age in years when the hair loss began.",
    )
    course = models.CharField(max_length=8, choices=choices(vocab.COURSES), blank=True)
    family_history = models.JSONField(
        default=list, blank=True, validators=[CodesValidator("FAMILY_HISTORY", "relatives")]
    )
    family_history_notes = models.CharField(max_length=300, blank=True)
    pregnant = models.BooleanField(default=False)
    breastfeeding = models.BooleanField(default=False)
    trying_to_conceive = models.BooleanField(default=False)
    symptoms = models.JSONField(
        default=list, blank=True, validators=[CodesValidator("SYMPTOMS", "symptoms")]
    )
    conditions = models.JSONField(
        default=list, blank=True, validators=[CodesValidator("CONDITIONS", "conditions")]
    )
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Intake of {self.patient}"

    @property
    def symptom_labels(self) -> list[str]:
        """Symptoms in plain words."""
        return [vocab.SYMPTOMS.get(c, c) for c in self.symptoms]

    @property
    def condition_labels(self) -> list[str]:
        """Conditions in plain words."""
        return [vocab.CONDITIONS.get(c, c) for c in self.conditions]

    @property
    def family_history_labels(self) -> list[str]:
        """Relatives with hair loss in plain words."""
        return [vocab.FAMILY_HISTORY.get(c, c) for c in self.family_history]

    @property
    def pregnancy_labels(self) -> list[str]:
        """Pregnancy-related answers that apply to this patient, in plain words (a flag
        left from before sex at birth was corrected to male no longer applies)."""
        applies = self.patient.can_be_pregnant
        flags = (
            (applies and self.pregnant, "Pregnant."),
            (applies and self.breastfeeding, "Breastfeeding."),
            (self.trying_to_conceive, "Trying to conceive."),
        )
        return [label for on, label in flags if on]

    def clean(self) -> None:
        """Pregnancy flags need a patient born female; onset cannot follow today."""
        errors: dict[str, str] = {}
        patient = getattr(self, "patient", None)
        if patient is not None and not patient.can_be_pregnant:
            for flag in ("pregnant", "breastfeeding"):
                if getattr(self, flag):
                    errors[flag] = "Not possible for a patient whose sex at birth is male."
        if patient is not None and self.onset_age is not None and self.onset_age > patient.age:
            errors["onset_age"] = f"The patient is {patient.age}; onset cannot be later."
        if errors:
            raise ValidationError(errors)


class LifeEvent(ClinicalRecord):
    """A recent event that can trigger shedding (childbirth, illness, crash diet ...)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(max_length=40, choices=choices(vocab.EVENTS))
    occurred_on = models.DateField(validators=[not_in_future])
    notes = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"{self.get_event_display()} ({self.occurred_on:%d %b %Y})"


def _start_stop_clean(record: Any) -> None:
    if record.started_on and record.stopped_on and record.stopped_on < record.started_on:
        raise ValidationError({"stopped_on": "Stopped before it started."})


class Medication(ClinicalRecord):
    """A medicine by generic name; start and stop dates drive the triage drug rules."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="medications")
    generic_name = models.CharField(
        max_length=100, help_text="Generic (INN) name, e.g. warfarin, not a brand."
    )
    dose = models.CharField(max_length=100, blank=True)
    started_on = models.DateField(null=True, blank=True, validators=[not_in_future])
    stopped_on = models.DateField(null=True, blank=True, validators=[not_in_future])
    notes = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["generic_name"]

    def __str__(self) -> str:
        return f"{self.generic_name} {self.dose}".strip()

    def clean(self) -> None:
        self.generic_name = self.generic_name.strip().lower()
        _start_stop_clean(self)

    @property
    def is_current(self) -> bool:
        """Not stopped, or stopped in the future."""
        return self.stopped_on is None


class Allergy(ClinicalRecord):
    """An allergy or intolerance, matched later against formulation ingredients."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="allergies")
    substance = models.CharField(max_length=100)
    reaction = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["substance"]
        verbose_name_plural = "allergies"

    def __str__(self) -> str:
        return self.substance


class PriorTreatment(ClinicalRecord):
    """A hair-loss treatment tried before, and what came of it."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="prior_treatments"
    )
    treatment = models.CharField(max_length=30, choices=choices(vocab.PRIOR_TREATMENTS))
    detail = models.CharField(max_length=200, blank=True)
    started_on = models.DateField(null=True, blank=True, validators=[not_in_future])
    stopped_on = models.DateField(null=True, blank=True, validators=[not_in_future])
    result = models.CharField(
        max_length=20, choices=choices(vocab.TREATMENT_RESULTS), default="unknown"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return self.get_treatment_display()

    def clean(self) -> None:
        _start_stop_clean(self)


class LabResult(ClinicalRecord):
    """A laboratory value with its unit, as reported."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="labs")
    test = models.CharField(
        max_length=30, choices=[(code, t.label) for code, t in LAB_TESTS.items()]
    )
    value = models.DecimalField(max_digits=9, decimal_places=3)
    unit = models.CharField(max_length=10, choices=unit_choices())
    taken_on = models.DateField(validators=[not_in_future])
    history = HistoricalRecords()

    class Meta:
        ordering = ["-taken_on"]

    def __str__(self) -> str:
        return f"{self.get_test_display()} {self.value.normalize()} {self.unit}"

    def clean(self) -> None:
        if self.test and self.value is not None and self.unit:
            problem = check_lab_value(self.test, float(self.value), self.unit)
            if problem:
                raise ValidationError({"value": problem})

    @property
    def canonical_value(self) -> float:
        """The value in the unit the triage engine reads."""
        return LAB_TESTS[self.test].to_canonical(float(self.value), self.unit)


class AccessLog(models.Model):
    """Who looked at which patient record, when (read by clinic admins)."""

    clinic_lookup = "clinic"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    patient = models.ForeignKey(Patient, null=True, on_delete=models.SET_NULL, related_name="+")
    record = models.CharField(max_length=120, help_text="What was viewed, e.g. 'patient page'.")
    path = models.CharField(max_length=300)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} viewed {self.record}"

