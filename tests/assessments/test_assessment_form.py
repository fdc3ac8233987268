"""The assessment form: clinicians only, live triage preview, decision stored on save."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from mesohair.assessments.models import Assessment
from tests.factories import IntakeFactory, PatientFactory
from tests.personas import post_form


@pytest.fixture
def patient(personas: Any) -> Any:
    patient = PatientFactory(clinic=personas.clinic, sex_at_birth="female")
    IntakeFactory(patient=patient)
    return patient


def _url(name: str, patient: Any) -> str:
    return reverse(f"assessments:{name}", kwargs={"pk": patient.pk})


def _data(**extra: Any) -> dict[str, Any]:
    data = {
        "assessed_on": dt.date.today().isoformat(),
        "scale": "ludwig",
        "grade": "II",
        "findings": ["part_widening"],
        "pull_grasped": "",
        "pull_extracted": "",
        "pull_sites_positive": "",
        "trichoscopy_notes": "Miniaturised hairs at the part.",
    }
    return {**data, **extra}


def test_it_offers_scales_that_suit_the_patient_with_schematics(
    personas: Any, patient: Any
) -> None:
    page = personas.client("clinician").get(_url("new", patient)).content.decode()
    assert 'value="ludwig"' in page and "<svg" in page
    assert "style=" not in page and "<script>" not in page
    assert "Recorded history" in page


def test_it_saves_the_engine_decision_with_the_assessment(personas: Any, patient: Any) -> None:
    client = personas.client("clinician")
    response = post_form(client, _url("new", patient), _data())
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert assessment.decision["decision"] == "eligible"
    assert assessment.case["pattern"] == {"scale": "ludwig", "grade": "II"}
    assert assessment.clinician == personas.clinician
    assert assessment.history.count() == 1


def test_it_stores_a_referral_for_scarring_signs(personas: Any, patient: Any) -> None:
    client = personas.client("clinician")
    post_form(client, _url("new", patient), _data(findings=["perifollicular_erythema"]))
    decision = Assessment.objects.get().decision
    assert decision["decision"] == "refer"
    assert decision["reasons"][0]["source"].startswith("clinical.md §")


def test_it_shows_errors_beside_the_field_and_keeps_the_input(personas: Any, patient: Any) -> None:
    client = personas.client("clinician")
    data = _data(grade="IV", pull_grasped="60", pull_extracted="70")
    response = post_form(client, _url("new", patient), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Assessment.objects.exists()
    assert "is not a Ludwig grade" in page
    assert "more than grasped" in page
    assert 'value="70"' in page and "Miniaturised hairs at the part." in page
    assert 'value="part_widening" checked' in page


def test_a_birth_date_corrected_below_the_onset_age_is_explained_and_nothing_is_lost(
    personas: Any, patient: Any
) -> None:
    patient.intake.onset_age = 30
    patient.intake.save()
    patient.date_of_birth = dt.date(dt.date.today().year - 26, 1, 1)  # 26 today; onset was 30
    patient.save()
    response = post_form(personas.client("clinician"), _url("new", patient), _data())
    page = response.content.decode()
    assert response.status_code == 200 and not Assessment.objects.exists()
    assert "Correct the onset age in the intake, or the date of birth" in page
    assert "Miniaturised hairs at the part." in page


def test_it_previews_the_triage_result_as_a_partial(personas: Any, patient: Any) -> None:
    client = personas.client("clinician")
    data = _data(findings=["patchy_loss", "exclamation_mark_hairs"])
    response = post_form(
        client,
        _url("preview", patient),
        data,
        page=_url("new", patient),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="findings",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and 'data-decision="refer"' in page
    assert "alopecia areata" in page and "clinical.md §3" in page
    assert 'hx-swap-oob="true"' in page
    assert not Assessment.objects.exists()


def test_it_clears_the_grade_when_the_scale_changes_in_the_preview(
    personas: Any, patient: Any
) -> None:
    client = personas.client("clinician")
    response = post_form(
        client,
        _url("preview", patient),
        _data(scale="sinclair"),
        page=_url("new", patient),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="scale",
    )
    page = response.content.decode()
    assert 'data-decision="eligible"' in page and 'data-grade="5"' in page


def test_it_rejects_a_preview_without_the_csrf_token(personas: Any, patient: Any) -> None:
    response = personas.client("clinician").post(_url("preview", patient), _data())
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["nurse", "front_desk", "clinic_admin"])
def test_it_forbids_assessing_to_other_roles(personas: Any, patient: Any, who: str) -> None:
    client = personas.client(who)
    assert client.get(_url("new", patient)).status_code == 403
    assert (
        post_form(
            client, _url("preview", patient), _data(), page=reverse("patients:list")
        ).status_code
        == 403
    )
    assert not Assessment.objects.exists()


def test_it_hides_other_clinics_patients_from_an_outsider(personas: Any, patient: Any) -> None:
    client = personas.client("outsider")
    assert client.get(_url("new", patient)).status_code == 404
    response = post_form(client, _url("new", patient), _data(), page=reverse("patients:list"))
    assert response.status_code == 404 and not Assessment.objects.exists()


def test_it_offers_only_scales_suited_to_a_male_patient(personas: Any) -> None:
    patient = PatientFactory(clinic=personas.clinic, sex_at_birth="male")
    page = personas.client("clinician").get(_url("new", patient)).content.decode()
    assert 'value="hamilton_norwood"' in page and 'value="savin"' not in page


def test_it_shows_a_saved_assessment_to_the_nurse_without_assess_actions(
    personas: Any, patient: Any
) -> None:
    post_form(
        personas.client("clinician"),
        _url("new", patient),
        _data(findings=["perifollicular_erythema"]),
    )
    assessment = Assessment.objects.get()
    nurse = personas.client("nurse")
    kwargs = {"pk": patient.pk, "aid": assessment.pk}
    page = nurse.get(reverse("assessments:detail", kwargs=kwargs)).content.decode()
    assert "Ludwig II" in page and "Treatment planning must wait" in page
    patient_page = nurse.get(reverse("patients:detail", kwargs={"pk": patient.pk})).content
    assert b"Referral letter" in patient_page and b"Override decision" not in patient_page
