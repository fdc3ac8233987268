"""The pages that had no browser test yet: editing a patient, adding an
identifier, correcting an intake record, the assessment page, the work-up
list and patient leaflet, and a clinic admin changing a member's roles.

Each test drives the real page as a clinic user would and checks both what
the page shows and what the database holds afterwards."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from mesohair.clinics.models import Membership
from mesohair.patients.models import AccessLog, Medication, Patient
from tests.assessments.helpers import assessment_of
from tests.e2e.helpers import sign_in_with_totp
from tests.factories import IntakeFactory, PatientFactory
from tests.personas import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _console_errors(page: Any) -> list[str]:
    """Errors the browser reports from now on (a CSP violation, a failed script)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _logged(patient: Patient, record: str) -> list[str]:
    """Who the access log says viewed ``record`` of ``patient``."""
    rows = AccessLog.objects.filter(patient=patient, record=record)
    return [str(row.user) for row in rows]


def test_front_desk_changes_a_phone_number_and_a_future_birth_date_is_refused_beside_the_field(
    signed_in: Any, personas: Any, live_server: Any
) -> None:
    patient = PatientFactory(
        clinic=personas.clinic, family_name="Okafor", given_names="Chiamaka",
        phone="+34 600 000 001",
    )
    page = signed_in("front_desk")
    errors = _console_errors(page)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Edit details").click()
    expect(page.get_by_label("Phone")).to_have_value("+34 600 000 001")
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    page.get_by_label("Date of birth").fill(future)
    page.get_by_label("Phone").fill("+34 611 222 333")
    page.get_by_role("button", name="Save").click()

    dob_field = page.locator("#field-date_of_birth")
    expect(dob_field.locator(".field-errors")).to_contain_text("is in the future")
    expect(page.get_by_label("Date of birth")).to_have_value(future)
    expect(page.get_by_label("Phone")).to_have_value("+34 611 222 333")
    patient.refresh_from_db()
    assert (patient.phone, patient.date_of_birth) == ("+34 600 000 001", dt.date(1985, 5, 17))

    page.get_by_label("Date of birth").fill("1985-05-17")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Details saved.")).to_be_visible()
    expect(page.locator("dl.facts").first).to_contain_text("+34 611 222 333")
    expect(page.locator("ol.timeline")).to_contain_text("Details updated by")
    patient.refresh_from_db()
    assert patient.phone == "+34 611 222 333"
    assert patient.history.count() == 2
    assert errors == []


def test_front_desk_adds_an_identifier_after_a_malformed_and_a_taken_one_are_refused(
    signed_in: Any, personas: Any, live_server: Any
) -> None:
    holder = PatientFactory(clinic=personas.clinic, family_name="Holder")
    holder.identifiers.create(type=personas.national_id, value="11111111H")
    patient = PatientFactory(clinic=personas.clinic, family_name="Lindqvist")
    page = signed_in("front_desk")
    errors = _console_errors(page)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Add an identifier").click()
    page.get_by_label("Type").select_option(label="National ID")
    page.get_by_label("Value").fill("1234567")
    page.get_by_role("button", name="Save").click()
    reason = page.locator("#field-value .field-errors")
    expect(reason).to_contain_text("'1234567' is not a valid National ID (e.g. 12345678Z)")
    expect(page.get_by_label("Value")).to_have_value("1234567")
    assert not patient.identifiers.exists()

    page.get_by_label("Value").fill("11111111H")
    page.get_by_role("button", name="Save").click()
    expect(reason).to_have_text("A patient already has National ID 11111111H.")
    assert not patient.identifiers.exists()

    page.get_by_label("Value").fill("87654321X")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Identifier added.")).to_be_visible()
    expect(page.locator("dl.facts").first).to_contain_text("87654321X")
    stored = patient.identifiers.get()
    assert (stored.type, stored.value) == (personas.national_id, "87654321X")
    assert errors == []


def test_a_nurse_corrects_a_medication_and_an_impossible_stop_date_is_refused(
    signed_in: Any, personas: Any, live_server: Any
) -> None:
    patient = PatientFactory(clinic=personas.clinic, family_name="Moreau")
    IntakeFactory(patient=patient)
    started = dt.date.today() - dt.timedelta(days=400)
    medication = patient.medications.create(
        generic_name="spironolactone", dose="50 mg", started_on=started,
        recorded_by=personas.clinician,
    )
    page = signed_in("nurse")
    errors = _console_errors(page)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.locator("#intake-summary").get_by_role("link", name="spironolactone 50 mg").click()
    expect(page.get_by_role("heading", name="Correct a medication")).to_be_visible()
    expect(page.get_by_label("Generic name")).to_have_value("spironolactone")

    before_start = (started - dt.timedelta(days=45)).isoformat()
    page.get_by_label("Stopped on").fill(before_start)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#field-stopped_on .field-errors")).to_contain_text(
        "Stopped before it started."
    )
    expect(page.get_by_label("Stopped on")).to_have_value(before_start)
    medication.refresh_from_db()
    assert medication.stopped_on is None

    page.get_by_label("Dose").fill("100 mg")
    stopped = started + dt.timedelta(days=200)
    page.get_by_label("Stopped on").fill(stopped.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Medication saved.")).to_be_visible()
    records = page.locator("#intake-summary")
    expect(records.get_by_role("link", name="spironolactone 100 mg")).to_be_visible()
    expect(records).to_contain_text("(stopped)")
    expect(page.locator("ol.timeline")).to_contain_text("Stopped spironolactone")
    medication.refresh_from_db()
    assert (medication.dose, medication.stopped_on) == ("100 mg", stopped)
    assert medication.recorded_by == personas.clinician  # who first recorded it is kept
    assert Medication.objects.filter(patient=patient).count() == 1
    assert medication.history.count() == 2
    assert medication.history.latest().history_user == personas.nurse  # who corrected it
    assert errors == []


def test_a_clinician_opens_an_assessment_from_the_patient_page_and_reads_findings_and_triage(
    signed_in: Any, personas: Any, live_server: Any
) -> None:
    patient = PatientFactory(clinic=personas.clinic, family_name="Whitfield")
    IntakeFactory(patient=patient, onset_age=41)
    assessment = assessment_of(
        patient, personas.clinician,
        findings=["perifollicular_erythema"],
        pull_test={"grasped": 60, "extracted": 2, "sites_positive": 0},
    )
    page = signed_in("clinician")
    errors = _console_errors(page)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    date_text = f"{assessment.assessed_on:%d %b %Y}"
    page.locator("#assessment-summary").get_by_role("link", name=date_text).click()

    expect(page).to_have_url(
        f"{live_server.url}/patients/{patient.pk}/assessments/{assessment.pk}/"
    )
    expect(page.get_by_role("heading", name=f"Assessment of {date_text}")).to_be_visible()
    expect(page.get_by_text("By Clinician")).to_be_visible()
    exam = page.locator("section", has=page.get_by_role("heading", name="Examination"))
    expect(exam).to_contain_text("Ludwig I")
    expect(exam).to_contain_text("2 of 60 hairs extracted")
    triage = page.locator("#triage-panel")
    expect(triage.locator("[data-decision]")).to_have_text("Refer")
    expect(triage).to_contain_text("clinical.md §3.2")
    expect(triage).to_contain_text("Treatment planning must wait")
    case = page.locator("section", has=page.get_by_role("heading", name="Case as triaged"))
    expect(case).to_contain_text("41, gradual")
    expect(page.get_by_role("link", name="Referral letter")).to_be_visible()
    assert _logged(patient, "assessment") == [str(personas.clinician)]
    assert errors == []


def test_a_work_up_patient_gets_a_list_of_tests_and_a_plain_language_leaflet(
    signed_in: Any, personas: Any, live_server: Any
) -> None:
    patient = PatientFactory(clinic=personas.clinic, family_name="Novak", given_names="Petra")
    IntakeFactory(patient=patient, course="sudden", symptoms=["increased_shedding"])
    patient.events.create(
        event="childbirth", occurred_on=dt.date.today() - dt.timedelta(days=91)
    )
    assessment = assessment_of(patient, personas.clinician, findings=["diffuse_thinning"])
    assert assessment.engine_decision == "workup_first"
    page = signed_in("clinician")
    errors = _console_errors(page)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    summary = page.locator("#assessment-summary")
    expect(summary.get_by_role("link", name="Referral letter")).to_have_count(0)

    summary.get_by_role("link", name="Tests to order").click()
    expect(page.get_by_role("heading", name="Tests to order before treatment")).to_be_visible()
    document = page.locator(".document")
    expect(document).to_contain_text("Petra Novak")
    tests = document.locator("ul.tests li")
    expect(tests.filter(has_text="Iron stores (ferritin)")).to_have_count(1)
    expect(tests.first.get_by_role("checkbox")).to_be_visible()
    expect(document.locator("ul.reasons")).to_contain_text("clinical.md")
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()

    page.get_by_role("link", name=str(patient)).click()
    page.locator("#assessment-summary").get_by_role("link", name="Patient leaflet").click()
    expect(
        page.get_by_role("heading", name="Why we recommend seeing a doctor first")
    ).to_be_visible()
    leaflet = page.locator(".document")
    expect(leaflet).to_contain_text("Dear Petra,")
    expect(leaflet).to_contain_text("Extra shedding often follows an event such as childbirth")
    expect(leaflet).to_contain_text("Iron stores (ferritin)")
    text = leaflet.inner_text().lower()
    for jargon in ("clinical.md", "workup", "telogen", "red_flag", "§"):
        assert jargon not in text
    assert _logged(patient, "work-up list") == [str(personas.clinician)]
    assert _logged(patient, "patient leaflet") == [str(personas.clinician)]
    assert errors == []


def test_a_clinic_admin_gives_a_nurse_a_second_role_but_cannot_drop_their_own_admin_role(
    page: Any, live_server: Any, personas: Any
) -> None:
    sign_in_with_totp(page, live_server.url, personas.clinic_admin.email, PASSWORD)
    errors = _console_errors(page)
    page.get_by_role("link", name="Staff").click()
    nurse_row = page.get_by_role("row").filter(has_text=personas.nurse.email)
    nurse_row.get_by_role("link", name="Change roles").click()
    expect(page.get_by_label("Nurse")).to_be_checked()
    page.get_by_label("Front desk").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"Roles of {personas.nurse} saved.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=personas.nurse.email)).to_contain_text(
        "Nurse, Front desk"
    )
    assert Membership.objects.get(user=personas.nurse).roles == ["nurse", "front_desk"]

    admin_row = page.get_by_role("row").filter(has_text=personas.clinic_admin.email)
    admin_row.get_by_role("link", name="Change roles").click()
    page.get_by_label("Clinic admin").uncheck()
    page.get_by_label("Clinician").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#field-roles .field-errors")).to_contain_text(
        "You cannot remove your own clinic admin role."
    )
    expect(page.get_by_label("Clinician")).to_be_checked()
    expect(page.get_by_label("Clinic admin")).not_to_be_checked()
    assert Membership.objects.get(user=personas.clinic_admin).roles == ["clinic_admin"]
    assert errors == []
