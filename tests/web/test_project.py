"""Project-wide checks: migrations match the models, Django's system checks pass,
the demo loads deterministically, and the console script dispatches."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from mesohair.cli import main
from mesohair.clinical import intake_vocabulary as vocab
from mesohair.demo.loader import DEMO_PASSWORD, load_demo
from mesohair.demo.people import PROFILES
from mesohair.patients.models import Patient


def test_it_has_a_migration_for_every_model_change(db: object) -> None:
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_it_passes_djangos_system_checks(db: object) -> None:
    call_command("check", stdout=StringIO())


def test_it_loads_a_believable_demo_clinic(db: object) -> None:
    from mesohair.accounts.models import User

    logins = load_demo()
    assert len(Patient.objects.filter(clinic__name="Demo Hair Clinic")) == len(PROFILES) == 30
    sexes = {p["sex"] for p in PROFILES}
    assert sexes == {"female", "male"}
    for login in logins:
        assert User.objects.get(email=login.email).check_password(DEMO_PASSWORD)
    pregnant = Patient.objects.get(family_name="Fischer")
    assert pregnant.intake.pregnant


def test_it_builds_the_same_demo_patients_every_time(db: object) -> None:
    import datetime as dt

    load_demo(dt.date(2026, 1, 15))
    first = list(Patient.objects.order_by("family_name").values_list(
        "family_name", "date_of_birth", "sex_at_birth"))
    Patient.objects.all().delete()
    from mesohair.accounts.models import User
    from mesohair.clinics.models import Clinic

    Clinic.objects.all().delete()
    User.objects.all().delete()
    load_demo(dt.date(2026, 1, 15))
    again = list(Patient.objects.order_by("family_name").values_list(
        "family_name", "date_of_birth", "sex_at_birth"))
    assert first == again


def test_demo_profiles_use_only_intake_vocabulary() -> None:
    for profile in PROFILES:
        assert set(profile.get("symptoms", [])) <= set(vocab.SYMPTOMS)
        assert set(profile.get("conditions", [])) <= set(vocab.CONDITIONS)
        assert {e for e, _ in profile.get("events", [])} <= set(vocab.EVENTS)


def test_the_console_script_lists_its_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("demo", "triage", "analyze", "calibrate", "manage"):
        assert command in out


def test_the_console_script_refuses_an_unknown_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["frobnicate"]) == 2
    assert "unknown command" in capsys.readouterr().err
