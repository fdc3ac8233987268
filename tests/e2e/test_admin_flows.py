"""Administration in a real browser: a clinic admin signs in with TOTP, adds
staff and adjusts triage thresholds; the installation admin creates a clinic."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from mesohair.accounts.models import User
from mesohair.assessments.models import TriageThresholds
from mesohair.clinics.models import Clinic, Membership
from tests.e2e.helpers import sign_in_with_totp
from tests.personas import ADMIN_TOTP_SECRET, PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_clinic_admin_adds_a_nurse_and_changes_a_threshold(
    page: Any, live_server: Any, personas: Any
) -> None:
    sign_in_with_totp(page, live_server.url, personas.clinic_admin.email, PASSWORD)
    page.get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Add a staff member").click()
    page.get_by_label("E-mail").fill("second.nurse@test.example")
    page.get_by_label("Password").fill("a-long-initial-pass")
    page.get_by_label("Nurse").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("second.nurse@test.example").first).to_be_visible()
    assert Membership.objects.get(user__email="second.nurse@test.example").roles == ["nurse"]

    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Triage thresholds").click()
    page.get_by_label("Ferritin below").fill("25")
    page.get_by_role("button", name="Save thresholds").click()
    expect(page.get_by_text("Changed from defaults: ferritin_min_ug_l")).to_be_visible()
    assert TriageThresholds.objects.get(clinic=personas.clinic).values == {
        "ferritin_min_ug_l": 25.0
    }


def test_the_installation_admin_creates_a_clinic_and_its_admin(
    page: Any, live_server: Any, personas: Any
) -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    root = User.objects.create_superuser("root@test.example", "root-password-123")
    TOTP.activate(root, ADMIN_TOTP_SECRET)
    sign_in_with_totp(page, live_server.url, root.email, "root-password-123")
    expect(page.get_by_role("heading", name="Clinics of this installation")).to_be_visible()
    page.locator("#id_clinic-name").fill("Harbour Clinic")
    page.get_by_label("E-mail").fill("lead@harbour.example")
    page.get_by_label("Password").fill("harbour-initial-pass")
    page.get_by_role("button", name="Create clinic").click()
    expect(page.get_by_role("cell", name="Harbour Clinic")).to_be_visible()
    clinic = Clinic.objects.get(name="Harbour Clinic")
    assert clinic.memberships.get().user.email == "lead@harbour.example"
