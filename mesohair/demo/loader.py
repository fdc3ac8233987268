"""Builds the demo installation: two clinics, one user per role, 30 patients.

Deterministic: the same users, passwords, TOTP secrets and patients every
time; only dates move with the day the demo is loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from mesohair.clinics.models import Clinic, IdentifierType, Membership
from mesohair.clinics.roles import Role
from mesohair.demo.people import PROFILES, Profile
from mesohair.patients import models as pm

User = get_user_model()

DEMO_PASSWORD = "mesohair-demo"  # noqa: S105 - published demo credential, local only
DEMO_CLINIC = "Demo Hair Clinic"
OTHER_CLINIC = "Northside Hair Clinic"
# Fixed base32 TOTP secrets so the printed instructions never change.
TOTP_SECRETS = {
    "admin@demo.mesohair.test": "MESOHAIRDEMOADMINTOTPSECRETAAAAA",
    "root@demo.mesohair.test": "MESOHAIRDEMOROOTTOTPSECRETAAAAAA",
}


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    totp_secret: str = ""


_ADMIN, _ROOT = "admin@demo.mesohair.test", "root@demo.mesohair.test"
STAFF = [
    DemoLogin(_ADMIN, "clinic admin", TOTP_SECRETS[_ADMIN]),
    DemoLogin("clinician@demo.mesohair.test", "clinician"),
    DemoLogin("nurse@demo.mesohair.test", "nurse"),
    DemoLogin("frontdesk@demo.mesohair.test", "front desk"),
    DemoLogin(_ROOT, "installation admin", TOTP_SECRETS[_ROOT]),
]
_ROLE_OF = {
    "admin@demo.mesohair.test": [Role.CLINIC_ADMIN],
    "clinician@demo.mesohair.test": [Role.CLINICIAN],
    "nurse@demo.mesohair.test": [Role.NURSE],
    "frontdesk@demo.mesohair.test": [Role.FRONT_DESK],
}
_NAMES = {
    "admin@demo.mesohair.test": ("Ana", "Admin"),
    "clinician@demo.mesohair.test": ("Dr Clara", "Vidal"),
    "nurse@demo.mesohair.test": ("Nuria", "Soler"),
    "frontdesk@demo.mesohair.test": ("Felix", "Roca"),
    "root@demo.mesohair.test": ("Installation", "Admin"),
}


def current_totp_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret``."""
    from allauth.mfa import app_settings

    counter = int(timezone.now().timestamp()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def demo_loaded() -> bool:
    """Whether the demo clinic exists already (data is kept between runs)."""
    return Clinic.objects.filter(name=DEMO_CLINIC).exists()


@transaction.atomic
def load_demo(today: dt.date | None = None) -> list[DemoLogin]:
    """Create the demo installation; returns the logins to print."""
    today = today or timezone.localdate()
    clinic = Clinic.objects.create(name=DEMO_CLINIC, time_zone="Europe/Madrid")
    other = Clinic.objects.create(name=OTHER_CLINIC, time_zone="Europe/London")
    _create_staff(clinic, other)
    national_id = IdentifierType.objects.create(
        clinic=clinic, name="National ID", pattern=r"[0-9]{8}[A-Z]", example="12345678Z"
    )
    clinician = User.objects.get(email="clinician@demo.mesohair.test")
    for index, profile in enumerate(PROFILES):
        _create_patient(clinic, national_id, clinician, profile, index, today)
    _create_patient(other, None, None, {"family": "Outsider", "given": "Olga", "sex": "female",
                                        "age": 40}, 99, today)
    return STAFF


def _create_staff(clinic: Clinic, other: Clinic) -> None:
    for login in STAFF:
        first, last = _NAMES[login.email]
        if login.email.startswith("root@"):
            user = User.objects.create_superuser(login.email, DEMO_PASSWORD,
                                                 first_name=first, last_name=last)
        else:
            user = User.objects.create_user(login.email, DEMO_PASSWORD,
                                            first_name=first, last_name=last)
            Membership.objects.create(user=user, clinic=clinic, roles=_ROLE_OF[login.email])
        if login.totp_secret:
            TOTP.activate(user, login.totp_secret)
    outsider = User.objects.create_user("clinician@northside.mesohair.test", DEMO_PASSWORD,
                                        first_name="Owen", last_name="North")
    Membership.objects.create(user=outsider, clinic=other, roles=[Role.CLINICIAN])
    # The demo clinician also works at the second clinic of the chain, to show
    # switching the active clinic (and that each clinic's data stays apart).
    chain_clinician = User.objects.get(email="clinician@demo.mesohair.test")
    Membership.objects.create(user=chain_clinician, clinic=other, roles=[Role.CLINICIAN])


def _months_ago(today: dt.date, months: float) -> dt.date:
    return today - dt.timedelta(days=round(months * 30.4375))


def _create_patient(clinic: Clinic, id_type: IdentifierType | None, clinician: object,
                    p: Profile, index: int, today: dt.date) -> pm.Patient:
    birth = dt.date(today.year - p["age"], 1 + index % 12, 1 + (index * 7) % 28)
    if birth > _months_ago(today, 12 * p["age"]):
        birth = dt.date(birth.year - 1, birth.month, birth.day)
    patient = pm.Patient.objects.create(
        clinic=clinic, family_name=p["family"], given_names=p["given"], date_of_birth=birth,
        sex_at_birth=p["sex"], gender_identity="woman" if p["sex"] == "female" else "man",
        email=f"{p['given'].lower()}.{index}@example.org", preferred_language="en",
    )
    if id_type is not None:
        patient.identifiers.create(type=id_type, value=f"{10000000 + index * 7919:08d}"
                                   f"{'TRWAGMYFPDXBNJZSQVHLCKE'[index % 23]}")
    _create_intake(patient, clinician, p, today)
    if clinician is not None:
        _assess(patient, clinician, p, today)
    return patient


def _assess(patient: pm.Patient, by: object, p: Profile, today: dt.date) -> None:
    """Seed today's assessment from the profile, triaged by the engine."""
    from mesohair.assessments.services import record_assessment

    scale, grade = p.get("pattern", ("", ""))
    pull = dict(zip(("grasped", "extracted", "sites_positive"), p.get("pull_test", ()),
                    strict=False))
    record_assessment(patient, by, on=today, scale=scale, grade=grade,
                      findings=p.get("findings", []), pull_test=pull)


def _create_intake(patient: pm.Patient, by: object, p: Profile, today: dt.date) -> None:
    pm.Intake.objects.create(
        patient=patient, recorded_by=by, onset_age=p.get("onset"), course=p.get("course", ""),
        family_history=p.get("family_history", []), pregnant=p.get("pregnant", False),
        breastfeeding=p.get("breastfeeding", False),
        trying_to_conceive=p.get("trying_to_conceive", False),
        symptoms=p.get("symptoms", []), conditions=p.get("conditions", []),
        notes=p.get("notes", ""),
    )
    for event, months in p.get("events", []):
        patient.events.create(event=event, occurred_on=_months_ago(today, months), recorded_by=by)
    for name, dose, started, stopped in p.get("medications", []):
        patient.medications.create(
            generic_name=name, dose=dose, started_on=_months_ago(today, started),
            stopped_on=_months_ago(today, stopped) if stopped is not None else None,
            recorded_by=by,
        )
    for substance, reaction in p.get("allergies", []):
        patient.allergies.create(substance=substance, reaction=reaction, recorded_by=by)
    for test, value, unit, months in p.get("labs", []):
        patient.labs.create(test=test, value=Decimal(str(value)), unit=unit,
                            taken_on=_months_ago(today, months), recorded_by=by)
    for treatment, result, started, stopped in p.get("treatments", []):
        patient.prior_treatments.create(
            treatment=treatment, result=result, started_on=_months_ago(today, started),
            stopped_on=_months_ago(today, stopped), recorded_by=by,
        )
