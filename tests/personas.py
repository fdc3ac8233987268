"""Personas: one user per role in one clinic, and an outsider from another."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from mesohair.accounts.models import User
from mesohair.clinics.models import Clinic, IdentifierType, Membership
from mesohair.clinics.roles import Role

PASSWORD = "correct-horse-battery"  # noqa: S105
ADMIN_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass
class Personas:
    clinic: Clinic
    other_clinic: Clinic
    users: dict[str, User]  # role code (and "outsider") -> user
    national_id: IdentifierType

    def __getattr__(self, name: str) -> User:
        try:
            return self.users[name]
        except KeyError:
            raise AttributeError(name) from None

    def client(self, who: str | None, csrf: bool = True) -> Client:
        """A CSRF-enforcing client signed in as ``who`` (None: anonymous)."""
        client = Client(enforce_csrf_checks=csrf)
        if who is not None:
            client.force_login(self.users[who])
        return client


def make_user(email: str, clinic: Clinic | None, roles: list[str], **extra: Any) -> User:
    user = User.objects.create_user(email, PASSWORD, **extra)
    if clinic is not None:
        Membership.objects.create(user=user, clinic=clinic, roles=roles)
    return user


def make_personas() -> Personas:
    clinic = Clinic.objects.create(name="Test Clinic", time_zone="Europe/Madrid")
    other = Clinic.objects.create(name="Other Clinic", time_zone="Europe/London")
    users = {
        role: make_user(f"{role}@test.example", clinic, [role], first_name=role.title())
        for role in Role.values
    }
    users["outsider"] = make_user("outsider@other.example", other, list(Role.values))
    for user in (users[Role.CLINIC_ADMIN], users["outsider"]):
        TOTP.activate(user, ADMIN_TOTP_SECRET)
    national_id = IdentifierType.objects.create(
        clinic=clinic, name="National ID", pattern=r"[0-9]{8}[A-Z]", example="12345678Z"
    )
    return Personas(clinic, other, users, national_id)


def post_form(
    client: Client, url: str, data: dict[str, Any], *, page: str | None = None, **extra: Any
) -> Any:
    """POST like a browser: open the page (``url`` unless given) for the CSRF
    cookie, then send the form with its token."""
    client.get(page or url)
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    return client.post(url, {**data, "csrfmiddlewaretoken": token}, **extra)
