"""Assessment workflows in a real browser: live triage, referral letter, override."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from mesohair.assessments.models import Assessment
from tests.factories import IntakeFactory, PatientFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _csp_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text else None)
    return errors


def _open_form(page: Any, live_server: Any, patient: Any) -> None:
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="New assessment").click()
    expect(page.get_by_role("heading", name="Assessment", exact=True)).to_be_visible()


def test_a_clinician_assesses_scarring_signs_and_opens_the_referral_letter(
    signed_in: Any, personas: Any, live_server: Any
) -> None:
    patient = PatientFactory(
        clinic=personas.clinic, family_name="Whitfield", given_names="Margaret"
    )
    IntakeFactory(patient=patient, symptoms=["scalp_burning"])
    page = signed_in("clinician")
    errors = _csp_errors(page)
    _open_form(page, live_server, patient)
    result = page.locator("#triage-result")
    expect(result).to_contain_text("Eligible")
    page.get_by_label("Perifollicular erythema").check()
    expect(result).to_contain_text("Refer")
    expect(result).to_contain_text("clinical.md §3.2")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Assessment saved: refer.")).to_be_visible()
    page.get_by_role("link", name="Referral letter").click()
    expect(page.get_by_role("heading", name="Referral to a dermatologist")).to_be_visible()
    expect(page.locator(".document")).to_contain_text("Margaret Whitfield")
    assert Assessment.objects.get().decision["decision"] == "refer"
    assert errors == []


def test_a_classic_case_is_eligible_and_ready_for_treatment_planning(
    signed_in: Any, personas: Any, live_server: Any
) -> None:
    patient = PatientFactory(
        clinic=personas.clinic, family_name="Serrano", given_names="Pablo", sex_at_birth="male"
    )
    IntakeFactory(patient=patient, onset_age=24)
    page = signed_in("clinician")
    _open_form(page, live_server, patient)
    page.locator("#id_scale").select_option("hamilton_norwood")
    page.get_by_role("button", name="Grade III", exact=True).click()
    expect(page.locator("#id_grade")).to_have_value("III")
    page.get_by_label("Receding hairline").check()
    expect(page.locator("#triage-result")).to_contain_text("no reason to wait")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Assessment saved: eligible.")).to_be_visible()
    page.get_by_role("link", name=str(patient)).click()
    expect(page.locator("#assessment-summary")).to_contain_text("Ready for treatment planning")
    assert Assessment.objects.get().grade == "III"


def test_a_clinician_overrides_a_referral_with_a_reason(
    signed_in: Any, personas: Any, live_server: Any
) -> None:
    from tests.assessments.helpers import assessment_of

    patient = PatientFactory(clinic=personas.clinic, family_name="Dubois", given_names="Marc")
    IntakeFactory(patient=patient)
    assessment_of(patient, personas.clinician, findings=["exclamation_mark_hairs"])
    page = signed_in("clinician")
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    summary = page.locator("#assessment-summary")
    expect(summary).to_contain_text("Treatment planning must wait")
    summary.get_by_role("link", name="Override decision").click()
    page.get_by_label("New decision").select_option("eligible")
    page.get_by_role("button", name="Record override").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    reason = "Reviewed by dermatology: single healed patch, fit for mesotherapy."
    page.get_by_label("Reason for the override").fill(reason)
    page.get_by_role("button", name="Record override").click()
    expect(summary).to_contain_text(reason)
    expect(summary).to_contain_text("Ready for treatment planning")
    assert Assessment.objects.get().history.count() == 2
