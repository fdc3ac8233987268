"""Clinic-adjusted triage thresholds: reading them, and the admin form.

The defaults and their reasons live in ``clinical.triage_settings``; a clinic
admin may change the numbers (contracts/triage.md, "a clinic may change the
numbers in settings"). Every change is kept in the record's history.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms

from mesohair.assessments.models import TriageThresholds
from mesohair.clinical.triage_settings import DEFAULT_SETTINGS, TriageSettings

# Number fields of the engine's settings (the medication table is not edited here).
NUMBER_FIELDS = [f for f in dataclasses.fields(TriageSettings) if f.type in ("float", "int")]

LABELS = {
    "ferritin_min_ug_l": "Ferritin below (µg/L) raises iron deficiency risk",
    "tsh_low_mu_l": "TSH below (mU/L)",
    "tsh_high_mu_l": "TSH above (mU/L)",
    "testosterone_uln_nmol_l": "Total testosterone upper limit of normal (nmol/L)",
    "testosterone_uln_multiple": "Testosterone above this many times the upper limit",
    "haemoglobin_min_female_g_dl": "Haemoglobin below, female (g/dL)",
    "haemoglobin_min_male_g_dl": "Haemoglobin below, male (g/dL)",
    "trigger_min_months": "Shedding trigger at least … months ago",
    "trigger_max_months": "Shedding trigger at most … months ago",
    "drug_window_months": "Drug started/stopped within … months",
    "chemotherapy_window_months": "Chemotherapy within … months",
    "isotretinoin_window_months": "Isotretinoin stopped within … months",
    "childhood_onset_max_age": "Childhood onset: at or before age",
    "adult_age": "Adult from age",
    "tinea_child_age_below": "Tinea capitis: child below age",
    "premenopausal_age_below": "Male pattern in a woman below age",
    "pull_test_positive_above": "Pull test positive above … hairs",
    "te_min_sites_positive": "Telogen effluvium: at least … positive pull sites",
    "thyroid_min_symptoms": "Thyroid: at least … symptoms",
}


def settings_for(clinic: Any) -> TriageSettings:
    """The engine settings for ``clinic``: defaults with the clinic's changes."""
    record = TriageThresholds.objects.filter(clinic=clinic).first()
    if record is None or not record.values:
        return DEFAULT_SETTINGS
    known = {f.name for f in NUMBER_FIELDS}
    return dataclasses.replace(
        DEFAULT_SETTINGS, **{k: v for k, v in record.values.items() if k in known}
    )


class ThresholdsForm(forms.Form):
    """One number per threshold, pre-filled with the value in force."""

    def __init__(self, *args: Any, current: TriageSettings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in NUMBER_FIELDS:
            default = getattr(DEFAULT_SETTINGS, f.name)
            field_class = forms.IntegerField if f.type == "int" else forms.FloatField
            self.fields[f.name] = field_class(
                label=LABELS.get(f.name, f.name), min_value=0, initial=getattr(current, f.name),
                help_text=f"Default {default} (see clinical.triage_settings for the source).",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        pairs = [("tsh_low_mu_l", "tsh_high_mu_l"), ("trigger_min_months", "trigger_max_months")]
        for low, high in pairs:
            if low in data and high in data and data[low] >= data[high]:
                self.add_error(high, "Must be above the lower limit.")
        return data

    def changed_values(self) -> dict[str, Any]:
        """Only the values that differ from the engine's defaults."""
        return {
            name: value for name, value in self.cleaned_data.items()
            if value != getattr(DEFAULT_SETTINGS, name)
        }
