"""Referral letter, work-up list and the patient leaflet, as pages and PDFs."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.assessments.helpers import assessment_of
from tests.factories import IntakeFactory, PatientFactory


@pytest.fixture
def referred(personas: Any) -> Any:
    patient = PatientFactory(
        clinic=personas.clinic, family_name="Whitfield", given_names="Margaret"
    )
    IntakeFactory(patient=patient)
    return assessment_of(
        patient,
        personas.clinician,
        findings=["perifollicular_erythema", "perifollicular_scale"],
        pull_test={"grasped": 60, "extracted": 2, "sites_positive": 0},
    )


def _url(name: str, assessment: Any) -> str:
    kwargs = {"pk": assessment.patient_id, "aid": assessment.pk}
    return reverse(f"assessments:{name}", kwargs=kwargs)


def test_it_writes_a_referral_letter_with_reasons_and_sources(personas: Any, referred: Any) -> None:
    page = personas.client("clinician").get(_url("referral", referred)).content.decode()
    assert "Referral to a dermatologist" in page and "Margaret Whitfield" in page
    assert "scarring alopecia" in page and "clinical.md §3.2" in page
    assert "2 of 60 hairs extracted" in page
    assert "Perifollicular erythema".lower() in page.lower()
    assert "Yours sincerely" in page and "style=" not in page


def test_it_renders_the_referral_letter_as_pdf(personas: Any, referred: Any) -> None:
    response = personas.client("clinician").get(_url("referral_pdf", referred))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_it_lists_tests_to_order_for_a_work_up(personas: Any) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    IntakeFactory(patient=patient, course="sudden", symptoms=["increased_shedding"])
    patient.events.create(event="childbirth", occurred_on=_months_ago(3))
    assessment = assessment_of(patient, findings=["diffuse_thinning"])
    assert assessment.decision["decision"] == "workup_first"
    client = personas.client("clinician")
    page = client.get(_url("workup", assessment)).content.decode()
    assert "Tests to order" in page and "Iron stores (ferritin)" in page
    pdf = client.get(_url("workup_pdf", assessment))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_it_explains_the_referral_to_the_patient_in_plain_words(
    personas: Any, referred: Any
) -> None:
    page = personas.client("nurse").get(_url("leaflet", referred)).content.decode()
    assert "Why we recommend seeing a doctor first" in page
    assert "dermatologist" in page
    for jargon in ("perifollicular", "clinical.md", "cicatricial", "red_flag", "urgent"):
        assert jargon not in page.lower()


def test_it_hides_documents_from_front_desk_and_outsiders(personas: Any, referred: Any) -> None:
    for name in ("referral", "referral_pdf", "workup", "leaflet"):
        assert personas.client("front_desk").get(_url(name, referred)).status_code == 403
        assert personas.client("outsider").get(_url(name, referred)).status_code == 404


def test_it_puts_assessments_on_the_patient_timeline(personas: Any, referred: Any) -> None:
    url = reverse("patients:detail", kwargs={"pk": referred.patient_id})
    clinical = personas.client("clinician").get(url).content.decode()
    assert "tag-assessment" in clinical and "triage refer" in clinical
    registry = personas.client("front_desk").get(url).content.decode()
    assert "tag-assessment" not in registry and "assessment-summary" not in registry


def _months_ago(months: int) -> Any:
    import datetime as dt

    return dt.date.today() - dt.timedelta(days=round(months * 30.4375))
