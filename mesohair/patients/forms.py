"""Forms for the registry and the intake history.

Every form keeps what was typed on error and shows the reason beside the field.
"""

from __future__ import annotations

from typing import Any

from django import forms

from mesohair.clinical import intake_vocabulary as vocab
from mesohair.clinics.models import Clinic, IdentifierType
from mesohair.patients import models as m


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def identifier_problem(kind: IdentifierType, value: str) -> str | None:
    """Why ``value`` cannot be recorded as a ``kind`` identifier, or None."""
    if problem := kind.format_error(value):
        return problem
    if m.PatientIdentifier.objects.filter(type=kind, value=value).exists():
        return f"A patient already has {kind} {value}."
    return None


class PatientForm(forms.ModelForm):
    """Demographics; optionally one identifier; a duplicate check before saving."""

    identifier_type = forms.ModelChoiceField(
        queryset=IdentifierType.objects.none(), required=False, label="Identifier type"
    )
    identifier_value = forms.CharField(max_length=80, required=False, label="Identifier")
    confirm_not_duplicate = forms.BooleanField(
        required=False, label="This is a different person: register anyway"
    )

    class Meta:
        model = m.Patient
        fields = [
            "family_name", "given_names", "date_of_birth", "sex_at_birth",
            "gender_identity", "email", "phone", "preferred_language",
        ]
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args: Any, clinic: Clinic, with_identifier: bool = True, **kw: Any):
        super().__init__(*args, **kw)
        self.clinic = clinic
        self.duplicates: list[m.Patient] = []
        if with_identifier:
            self.fields["identifier_type"].queryset = clinic.identifier_types.all()
        else:
            for name in ("identifier_type", "identifier_value", "confirm_not_duplicate"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self._clean_identifier(data)
        if not self.errors and "confirm_not_duplicate" in self.fields:
            self._warn_duplicates(data)
        return data

    def _clean_identifier(self, data: dict[str, Any]) -> None:
        kind, value = data.get("identifier_type"), (data.get("identifier_value") or "").strip()
        data["identifier_value"] = value
        if value and not kind:
            self.add_error("identifier_type", "Choose what kind of identifier this is.")
        elif kind and value and (problem := identifier_problem(kind, value)):
            self.add_error("identifier_value", problem)

    def _warn_duplicates(self, data: dict[str, Any]) -> None:
        from mesohair.patients.search import likely_duplicates

        self.duplicates = likely_duplicates(
            self.clinic, data.get("family_name", ""), data.get("given_names", ""),
            data.get("date_of_birth"),
        )
        if self.duplicates and not data.get("confirm_not_duplicate"):
            self.add_error(
                "confirm_not_duplicate",
                "This may be a patient already registered (listed above). Open them, "
                "or tick this box to register a new patient anyway.",
            )


class IdentifierForm(forms.ModelForm):
    """Add an identifier to an existing patient, with the type's format check."""

    class Meta:
        model = m.PatientIdentifier
        fields = ["type", "value"]

    def __init__(self, *args: Any, clinic: Clinic, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["type"].queryset = clinic.identifier_types.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, value = data.get("type"), (data.get("value") or "").strip()
        if kind and value and (problem := identifier_problem(kind, value)):
            self.add_error("value", problem)
        return data


def _checkboxes(mapping: dict[str, str], label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=list(mapping.items()), required=False, label=label,
        widget=forms.CheckboxSelectMultiple,
    )


class IntakeForm(forms.ModelForm):
    """The hair-loss history: onset, course, family, pregnancy, symptoms, conditions."""

    family_history = _checkboxes(vocab.FAMILY_HISTORY, "Hair loss in the family")
    symptoms = _checkboxes(vocab.SYMPTOMS, "Symptoms now")
    conditions = _checkboxes(vocab.CONDITIONS, "Conditions")

    class Meta:
        model = m.Intake
        fields = [
            "onset_age", "course", "family_history", "family_history_notes",
            "pregnant", "breastfeeding", "trying_to_conceive",
            "symptoms", "conditions", "notes",
        ]

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        patient = self.instance.patient
        if not patient.can_be_pregnant:
            # Pregnancy questions and female-only symptoms do not apply.
            for name in ("pregnant", "breastfeeding"):
                del self.fields[name]
                # Not asked, so not true: clears a flag left from before the sex
                # at birth was corrected, which the model would otherwise refuse.
                setattr(self.instance, name, False)
            self.fields["symptoms"].choices = [
                c for c in self.fields["symptoms"].choices
                if c[0] not in vocab.FEMALE_ONLY_SYMPTOMS
            ]


class LifeEventForm(forms.ModelForm):
    class Meta:
        model = m.LifeEvent
        fields = ["event", "occurred_on", "notes"]
        widgets = {"occurred_on": DateInput()}


class MedicationForm(forms.ModelForm):
    class Meta:
        model = m.Medication
        fields = ["generic_name", "dose", "started_on", "stopped_on", "notes"]
        widgets = {"started_on": DateInput(), "stopped_on": DateInput()}


class AllergyForm(forms.ModelForm):
    class Meta:
        model = m.Allergy
        fields = ["substance", "reaction"]


class PriorTreatmentForm(forms.ModelForm):
    class Meta:
        model = m.PriorTreatment
        fields = ["treatment", "detail", "started_on", "stopped_on", "result"]
        widgets = {"started_on": DateInput(), "stopped_on": DateInput()}


class LabResultForm(forms.ModelForm):
    class Meta:
        model = m.LabResult
        fields = ["test", "value", "unit", "taken_on"]
        widgets = {"taken_on": DateInput()}


class SearchForm(forms.Form):
    """Find patients by name, date of birth or identifier."""

    q = forms.CharField(required=False, label="Name or identifier", max_length=100)
    dob = forms.DateField(required=False, label="Date of birth", widget=DateInput())
