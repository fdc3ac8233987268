"""An assessment per visit, its stored triage decision, and what the clinician did with it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from mesohair.clinical.scales import GradeError, validate_grade
from mesohair.clinical.triage import Decision
from mesohair.clinical.vocabulary import FINDINGS, Outcome, words
from mesohair.clinics.scoping import ClinicScopedQuerySet
from mesohair.patients.models import Patient
from mesohair.patients.validators import not_in_future

OUTCOME_CHOICES = [(str(o), words(str(o)).capitalize()) for o in Outcome]


def _findings_validator(value: Any) -> None:
    if not isinstance(value, list) or any(v not in FINDINGS for v in value):
        raise ValidationError("Expected a list of known finding codes.")


class Assessment(models.Model):
    """One examination: pattern grade, findings, pull test, and the engine's decision."""

    clinic_lookup = "patient__clinic"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(validators=[not_in_future])
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    scale = models.CharField(max_length=20, blank=True)
    grade = models.CharField(max_length=20, blank=True)
    findings = models.JSONField(default=list, blank=True, validators=[_findings_validator])
    pull_grasped = models.PositiveSmallIntegerField(null=True, blank=True)
    pull_extracted = models.PositiveSmallIntegerField(null=True, blank=True)
    pull_sites_positive = models.PositiveSmallIntegerField(null=True, blank=True)
    trichoscopy_notes = models.TextField(blank=True)
    case = models.JSONField(help_text="The triage case exactly as the engine read it.")
    decision = models.JSONField(help_text="The engine's decision (contracts/triage.md).")
    override_decision = models.CharField(max_length=30, choices=OUTCOME_CHOICES, blank=True)
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        get_latest_by = ["assessed_on", "pk"]

    def __str__(self) -> str:
        return f"Assessment of {self.patient} on {self.assessed_on:%d %b %Y}"

    def clean(self) -> None:
        """A grade must belong to its scale."""
        if self.grade:
            try:
                validate_grade(self.scale, self.grade)
            except (GradeError, KeyError) as error:
                raise ValidationError({"grade": str(error)}) from None

    @property
    def triage(self) -> Decision:
        """The stored engine decision as the engine's own type."""
        return Decision.from_dict(self.decision)

    @property
    def engine_decision(self) -> str:
        """The decision code the engine gave."""
        return str(self.decision["decision"])

    @property
    def effective_decision(self) -> str:
        """The clinician's override when recorded, otherwise the engine's decision."""
        return self.override_decision or self.engine_decision

    @property
    def pull_test(self) -> dict[str, int | None] | None:
        """The pull test as in the contract, or None when not done."""
        values = (self.pull_grasped, self.pull_extracted, self.pull_sites_positive)
        if all(v is None for v in values):
            return None
        return dict(zip(("grasped", "extracted", "sites_positive"), values, strict=True))

    @property
    def acknowledged_codes(self) -> set[str]:
        """Precaution codes a clinician has acknowledged."""
        return {a.code for a in self.acknowledgements.all()}


class Acknowledgement(models.Model):
    """A clinician's acknowledgement of one precaution of an assessment."""

    clinic_lookup = "assessment__patient__clinic"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    code = models.CharField(max_length=40)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="one_ack_per_precaution")
        ]

    def __str__(self) -> str:
        return f"{words(self.code)} acknowledged by {self.acknowledged_by}"


class TriageThresholds(models.Model):
    """A clinic's adjustments to the triage engine's default thresholds.

    Only the values that differ from the defaults are stored, so a clinic keeps
    following improved defaults for everything it did not change.
    """

    clinic = models.OneToOneField(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="triage_thresholds"
    )
    values = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "triage thresholds"

    def __str__(self) -> str:
        return f"Triage thresholds of {self.clinic}"
