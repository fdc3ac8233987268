"""Overriding a decision (reason required, kept in history) and acknowledging precautions."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from mesohair.assessments.models import Acknowledgement
from tests.assessments.helpers import assessment_of
from tests.factories import IntakeFactory, PatientFactory
from tests.personas import post_form


@pytest.fixture
def patient(personas: Any) -> Any:
    patient = PatientFactory(clinic=personas.clinic, family_name="Whitfield")
    IntakeFactory(patient=patient, conditions=["keloid_tendency", "autoimmune_disease"])
    return patient


def _url(name: str, assessment: Any) -> str:
    kwargs = {"pk": assessment.patient_id, "aid": assessment.pk}
    return reverse(f"assessments:{name}", kwargs=kwargs)


def test_it_requires_a_written_reason_to_override(personas: Any, patient: Any) -> None:
    assessment = assessment_of(patient, findings=["perifollicular_erythema"])
    client = personas.client("clinician")
    response = post_form(
        client, _url("override", assessment), {"decision": "eligible", "reason": "   "}
    )
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.override_decision == ""


def test_it_records_the_override_in_history_and_shows_it(personas: Any, patient: Any) -> None:
    assessment = assessment_of(patient, findings=["perifollicular_erythema"])
    client = personas.client("clinician")
    reason = "Biopsy by dermatology excluded scarring alopecia."
    response = post_form(
        client, _url("override", assessment), {"decision": "eligible", "reason": reason}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.override_decision, assessment.override_reason) == ("eligible", reason)
    assert assessment.overridden_by == personas.clinician
    assert assessment.decision["decision"] == "refer"  # the engine's answer is kept
    latest, before = assessment.history.all()[:2]
    assert (latest.override_reason, before.override_reason) == (reason, "")
    assert latest.history_user == personas.clinician
    page = client.get(reverse("patients:detail", kwargs={"pk": patient.pk})).content.decode()
    assert reason in page and "Ready for treatment planning" in page
    assert "Decision overridden to eligible" in page  # timeline entry


def test_it_forbids_overrides_to_the_nurse(personas: Any, patient: Any) -> None:
    assessment = assessment_of(patient)
    response = post_form(
        personas.client("nurse"),
        _url("override", assessment),
        {"decision": "eligible", "reason": "x"},
        page=reverse("patients:list"),
    )
    assert response.status_code == 403


def test_it_records_who_acknowledged_each_precaution(personas: Any, patient: Any) -> None:
    assessment = assessment_of(patient)
    client = personas.client("clinician")
    detail = reverse("patients:detail", kwargs={"pk": patient.pk})
    page = client.get(detail).content.decode()
    assert "Acknowledge precautions" in page and "Treatment planning must wait" in page
    post_form(client, _url("acknowledge", assessment), {"codes": ["keloid_tendency"]}, page=detail)
    ack = Acknowledgement.objects.get()
    assert (ack.code, ack.acknowledged_by) == ("keloid_tendency", personas.clinician)
    post_form(
        client,
        _url("acknowledge", assessment),
        {"codes": ["autoimmune_disease", "keloid_tendency"]},
        page=detail,
    )
    assert Acknowledgement.objects.count() == 2
    assert "Ready for treatment planning" in client.get(detail).content.decode()


def test_it_ignores_codes_that_are_not_precautions_of_the_assessment(
    personas: Any, patient: Any
) -> None:
    assessment = assessment_of(patient)
    detail = reverse("patients:detail", kwargs={"pk": patient.pk})
    response = post_form(
        personas.client("clinician"),
        _url("acknowledge", assessment),
        {"codes": ["pregnancy"]},
        page=detail,
    )
    assert response.status_code == 302 and not Acknowledgement.objects.exists()


def test_it_forbids_acknowledging_to_front_desk_and_hides_it_from_outsiders(
    personas: Any, patient: Any
) -> None:
    assessment = assessment_of(patient)
    data = {"codes": ["keloid_tendency"]}
    page = reverse("patients:list")
    assert (
        post_form(
            personas.client("front_desk"), _url("acknowledge", assessment), data, page=page
        ).status_code
        == 403
    )
    assert (
        post_form(
            personas.client("outsider"), _url("acknowledge", assessment), data, page=page
        ).status_code
        == 404
    )
    assert not Acknowledgement.objects.exists()
