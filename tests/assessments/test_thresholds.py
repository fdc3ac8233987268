"""A clinic admin adjusts the triage thresholds; new assessments use them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from mesohair.assessments.models import TriageThresholds
from mesohair.assessments.services import record_assessment
from mesohair.assessments.thresholds import settings_for
from mesohair.clinical.triage_settings import DEFAULT_SETTINGS
from tests.factories import PatientFactory
from tests.personas import Personas, post_form


def _form_values(**changes: float) -> dict[str, str]:
    from mesohair.assessments.thresholds import NUMBER_FIELDS

    values = {f.name: str(getattr(DEFAULT_SETTINGS, f.name)) for f in NUMBER_FIELDS}
    return {**values, **{k: str(v) for k, v in changes.items()}}


def _low_ferritin_patient(personas: Personas) -> object:
    patient = PatientFactory(clinic=personas.clinic, sex_at_birth="male")
    patient.labs.create(test="ferritin", value=25, unit="µg/L", taken_on=dt.date(2026, 1, 5))
    return patient


def test_it_uses_the_defaults_until_a_clinic_changes_them(personas: Personas) -> None:
    assert settings_for(personas.clinic) == DEFAULT_SETTINGS
    assessment = record_assessment(_low_ferritin_patient(personas), personas.clinician,
                                   on=dt.date(2026, 2, 1))
    assert assessment.engine_decision == "workup_first"


def test_it_applies_a_clinics_changed_threshold_to_new_assessments(personas: Personas) -> None:
    response = post_form(personas.client("clinic_admin"), reverse("triage_thresholds"),
                         _form_values(ferritin_min_ug_l=20))
    assert response.status_code == 302
    assert TriageThresholds.objects.get(clinic=personas.clinic).values == {
        "ferritin_min_ug_l": 20.0
    }
    assessment = record_assessment(_low_ferritin_patient(personas), personas.clinician,
                                   on=dt.date(2026, 2, 1))
    assert assessment.engine_decision == "eligible"
    assert settings_for(personas.other_clinic) == DEFAULT_SETTINGS


def test_it_refuses_a_tsh_range_upside_down_and_keeps_the_values(personas: Personas) -> None:
    response = post_form(personas.client("clinic_admin"), reverse("triage_thresholds"),
                         _form_values(tsh_low_mu_l=5, tsh_high_mu_l=4))
    body = response.content.decode()
    assert "Must be above the lower limit" in body and 'value="5' in body
    assert not TriageThresholds.objects.exists()


def test_it_keeps_the_history_of_threshold_changes(personas: Personas) -> None:
    client = personas.client("clinic_admin")
    post_form(client, reverse("triage_thresholds"), _form_values(adult_age=21))
    post_form(client, reverse("triage_thresholds"), _form_values())
    record = TriageThresholds.objects.get()
    assert [h.values for h in record.history.order_by("history_date")] == [
        {"adult_age": 21}, {}]
    assert record.history.first().history_user == personas.clinic_admin
