"""Remaining pages in a real browser: acknowledging precautions, identifier
types and the access log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from mesohair.assessments.services import record_assessment
from mesohair.clinics.models import IdentifierType
from tests.e2e.helpers import sign_in_with_totp
from tests.factories import IntakeFactory, PatientFactory
from tests.personas import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_clinician_acknowledges_each_precaution_and_planning_may_start(
    signed_in: Any, personas: Any, live_server: Any
) -> None:
    patient = PatientFactory(clinic=personas.clinic, family_name="Jensen", sex_at_birth="male")
    IntakeFactory(patient=patient)
    patient.medications.create(generic_name="apixaban", started_on=dt.date(2024, 1, 1))
    record_assessment(patient, personas.clinician, on=dt.date.today())
    page = signed_in("clinician")
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    planning = page.locator("#planning")
    expect(planning).to_contain_text("Treatment planning must wait")
    page.locator("form.acknowledge input[type=checkbox]").first.check()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#planning")).to_contain_text("Ready for treatment planning")


def test_a_clinic_admin_adds_an_identifier_type_and_reads_the_access_log(
    page: Any, live_server: Any, personas: Any
) -> None:
    patient = PatientFactory(clinic=personas.clinic, family_name="Viewed")
    nurse = Client()
    nurse.force_login(personas.nurse)
    nurse.get(f"/patients/{patient.pk}/")
    sign_in_with_totp(page, live_server.url, personas.clinic_admin.email, PASSWORD)
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Name").fill("Insurance no.")
    page.get_by_label("Pattern").fill("[A-Z")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Not a valid pattern")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Insurance no.")
    page.get_by_label("Pattern").fill("[A-Z]{3}[0-9]{6}")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("cell", name="Insurance no.")).to_be_visible()
    assert IdentifierType.objects.filter(clinic=personas.clinic, name="Insurance no.").exists()
    page.get_by_role("link", name="Access log").click()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("VIEWED")
    expect(row).to_contain_text("patient page")
