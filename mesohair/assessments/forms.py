"""Forms for an assessment, acknowledging precautions and overriding a decision.

The assessment form keeps everything typed on error; a problem the engine finds in the
case is shown beside the field it concerns (or above the form when it concerns the intake).
"""

from __future__ import annotations

from typing import Any

from django import forms

from mesohair.assessments.case_builder import CaseError, build_case
from mesohair.assessments.models import OUTCOME_CHOICES
from mesohair.clinical.scales import choices, scale_choices
from mesohair.clinical.vocabulary import words
from mesohair.patients.forms import DateInput
from mesohair.patients.models import Patient
from mesohair.patients.validators import not_in_future, today

# Findings grouped as the examiner looks for them (contracts/triage.md vocabulary).
FINDING_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Pattern and density", (
        "receding_hairline", "crown_thinning", "part_widening", "frontal_accentuation",
        "diffuse_thinning", "hair_diameter_diversity", "vellus_hairs", "peripilar_sign",
        "single_hair_units")),
    ("Patches and hair shafts", (
        "patchy_loss", "exclamation_mark_hairs", "black_dots", "yellow_dots", "broken_hairs",
        "comma_or_corkscrew_hairs", "nail_pitting", "eyebrow_loss",
        "band_like_frontal_recession")),
    ("Inflammation, scarring and infection", (
        "perifollicular_erythema", "perifollicular_scale", "loss_of_follicular_openings",
        "tufted_hairs", "scalp_scaling", "pustules", "folliculitis", "open_wound_or_lesion",
        "lymphadenopathy")),
)  # fmt: skip
_FIELD_OF_PLACE = {
    "case.pattern": "grade",
    "case.findings": "findings",
    "case.pull_test.grasped": "pull_grasped",
    "case.pull_test.extracted": "pull_extracted",
    "case.pull_test.sites_positive": "pull_sites_positive",
}


def finding_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped ``(group, [(code, label)])`` choices for the findings checkboxes."""
    return [(g, [(c, words(c).capitalize()) for c in codes]) for g, codes in FINDING_GROUPS]


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=500)


class AssessmentForm(forms.Form):
    """Examination of one visit; ``case`` holds the built case once valid."""

    assessed_on = forms.DateField(
        label="Date of assessment", widget=DateInput(), validators=[not_in_future]
    )
    scale = forms.ChoiceField(label="Scale")
    grade = forms.CharField(label="Grade", required=False, max_length=20, widget=forms.Select)
    findings = forms.MultipleChoiceField(
        label="Findings",
        required=False,
        choices=finding_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    pull_grasped = _count("Pull test: hairs grasped")
    pull_extracted = _count("Pull test: hairs extracted (worst site)")
    pull_sites_positive = _count("Pull test: sites with more than 6")
    trichoscopy_notes = forms.CharField(
        label="Trichoscopy notes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assessed_on": today()})
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.case: dict[str, Any] | None = None
        self.fields["scale"].choices = scale_choices(patient.sex_at_birth)
        grades = [("", "— not graded —"), *choices(self.chosen_scale)]
        self.fields["grade"].widget.choices = grades

    @property
    def chosen_scale(self) -> str:
        """The scale submitted (if it suits the patient) or the first one suited."""
        offered = [key for key, _ in self.fields["scale"].choices]
        submitted = self.data.get(self.add_prefix("scale")) if self.is_bound else None
        return submitted if submitted in offered else offered[0]

    def clean(self) -> dict[str, Any]:
        """Build the whole case; the engine's validation names each bad field."""
        data = super().clean()
        if data.get("assessed_on") and data.get("scale"):
            self._build(data)
        return data

    def _build(self, data: dict[str, Any]) -> None:
        try:
            self.case = build_case(
                self.patient,
                data["assessed_on"],
                pattern=(data["scale"], data.get("grade") or ""),
                findings=data.get("findings", []),
                pull_test=self.pull_test(data),
            )
        except CaseError as error:
            for problem in error.problems:
                self._add_problem(problem)

    def _add_problem(self, problem: str) -> None:
        place = problem.split(":", 1)[0]
        field = next((f for p, f in _FIELD_OF_PLACE.items() if place.startswith(p)), None)
        message = problem if field is None else problem.split(":", 1)[-1].strip()
        self.add_error(field, message)

    @staticmethod
    def pull_test(data: dict[str, Any]) -> dict[str, int | None]:
        """The pull-test counts from cleaned data."""
        keys = ("grasped", "extracted", "sites_positive")
        return {key: data.get(f"pull_{key}") for key in keys}


class AcknowledgeForm(forms.Form):
    """Tick each precaution the clinician has considered and accepts responsibility for."""

    codes = forms.MultipleChoiceField(
        label="Precautions acknowledged", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, precautions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = precautions


class OverrideForm(forms.Form):
    """A new decision and the written reason for it (both required)."""

    decision = forms.ChoiceField(label="New decision", choices=OUTCOME_CHOICES)
    reason = forms.CharField(
        label="Reason for the override",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required. Recorded with your name and kept in the assessment's history.",
    )

    def clean_reason(self) -> str:
        """A reason of whitespace only is no reason."""
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Write the reason for overriding the decision.")
        return reason
