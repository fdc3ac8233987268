"""Signing in and out: e-mail + password, TOTP, lockout after repeated failures."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from mesohair.demo.loader import current_totp_code
from tests.personas import ADMIN_TOTP_SECRET, PASSWORD, Personas, post_form


def _login(client: Client, email: str, password: str) -> object:
    return post_form(client, reverse("account_login"), {"login": email, "password": password})


def test_it_signs_a_clinician_in_with_email_and_password(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    response = _login(client, "clinician@test.example", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("patients:list")).status_code == 200


def test_it_refuses_a_wrong_password_with_a_message(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    response = _login(client, "clinician@test.example", "wrong-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert client.get(reverse("patients:list")).status_code == 302


def test_it_asks_a_clinic_admin_for_the_totp_code(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    response = _login(client, "clinic_admin@test.example", PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    code = current_totp_code(ADMIN_TOTP_SECRET)
    response = post_form(client, reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("member_list")).status_code == 200


def _code_periods_ago(periods: int) -> str:
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD - periods
    return format_hotp_value(hotp_value(ADMIN_TOTP_SECRET, counter))


def test_it_accepts_a_totp_code_from_the_period_that_just_ended(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    _login(client, "clinic_admin@test.example", PASSWORD)
    response = post_form(client, reverse("mfa_authenticate"), {"code": _code_periods_ago(1)})
    assert response.status_code == 302


def test_it_refuses_a_totp_code_two_periods_old(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    _login(client, "clinic_admin@test.example", PASSWORD)
    response = post_form(client, reverse("mfa_authenticate"), {"code": _code_periods_ago(2)})
    assert response.status_code == 200
    assert client.get(reverse("member_list")).status_code == 302


def test_it_makes_a_clinic_admin_without_totp_set_it_up_first(personas: Personas) -> None:
    admin = personas.clinic_admin
    admin.authenticator_set.all().delete()
    client = personas.client("clinic_admin")
    response = client.get(reverse("patients:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_it_lets_any_user_turn_on_totp(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    _login(client, "nurse@test.example", PASSWORD)
    # allauth asks for the password again before changing a security setting.
    post_form(client, reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert "secret" in response.content.decode().lower()


@pytest.mark.parametrize("attempts", [5])
def test_it_locks_sign_in_after_repeated_failures(personas: Personas, attempts: int) -> None:
    client = Client(enforce_csrf_checks=True)
    for _ in range(attempts):
        _login(client, "nurse@test.example", "wrong-password")
    response = _login(client, "nurse@test.example", PASSWORD)
    assert "Sign-in locked" in response.content.decode()
    assert client.get(reverse("patients:list")).status_code == 302


def test_it_signs_out_on_post(personas: Personas) -> None:
    client = personas.client("nurse")
    post_form(client, reverse("account_logout"), {})
    assert client.get(reverse("patients:list")).status_code == 302
