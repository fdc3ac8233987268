"""Main foundation workflows, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from mesohair.patients.models import Patient
from tests.factories import PatientFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_clinician_signs_in_and_out(signed_in: Any, live_server: Any) -> None:
    page = signed_in("clinician")
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/patients/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/patients/")


def test_front_desk_registers_a_patient_after_fixing_a_bad_identifier(
    signed_in: Any, personas: Any
) -> None:
    page = signed_in("front_desk")
    page.get_by_role("link", name="Register a patient").click()
    page.get_by_label("Family name").fill("Ferreira")
    page.get_by_label("Given names").fill("Inês")
    page.get_by_label("Date of birth").fill("1987-09-14")
    page.get_by_label("Sex at birth").select_option("female")
    page.get_by_label("Identifier type").select_option(label="National ID")
    page.get_by_label("Identifier", exact=True).fill("1234")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("is not a valid National ID")).to_be_visible()
    expect(page.get_by_label("Family name")).to_have_value("Ferreira")
    page.get_by_label("Identifier", exact=True).fill("12345678Z")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="FERREIRA, Inês")).to_be_visible()
    assert Patient.objects.get(family_name="Ferreira").identifiers.get().value == "12345678Z"


def test_a_nurse_records_the_intake_and_sees_it_on_the_timeline(
    signed_in: Any, personas: Any, live_server: Any
) -> None:
    patient = PatientFactory(clinic=personas.clinic, family_name="Silva", given_names="Mariana")
    page = signed_in("nurse")
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Record intake").click()
    page.get_by_label("Onset age").fill("29")
    page.get_by_label("Course").select_option("sudden")
    page.get_by_label("Increased shedding").check()
    page.get_by_label("Breastfeeding").check()
    page.get_by_role("button", name="Save intake").click()
    expect(page.get_by_text("Intake history saved.")).to_be_visible()
    expect(page.locator("#intake-summary")).to_contain_text("Breastfeeding")
    page.locator("#intake-summary").get_by_role("link", name="add").first.click()
    page.get_by_label("Event").select_option("childbirth")
    page.get_by_label("Occurred on").fill("2026-08-20")
    page.get_by_role("button", name="Save").click()
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Childbirth")
    expect(timeline).to_contain_text("Intake history recorded")
    expect(timeline.locator("li").first).to_contain_text("Intake history recorded")


def test_a_user_is_refused_another_clinics_patient(
    signed_in: Any, personas: Any, live_server: Any
) -> None:
    theirs = PatientFactory(clinic=personas.other_clinic, family_name="Hidden")
    page = signed_in("clinician")
    response = page.goto(f"{live_server.url}/patients/{theirs.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.get_by_text("HIDDEN")).to_have_count(0)


def test_patient_search_updates_as_you_type(
    signed_in: Any, personas: Any
) -> None:
    PatientFactory(clinic=personas.clinic, family_name="Alvarez", given_names="Ana")
    PatientFactory(clinic=personas.clinic, family_name="Berg", given_names="Bo")
    page = signed_in("front_desk")
    page.get_by_label("Name or identifier").fill("alva")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("ALVAREZ")
