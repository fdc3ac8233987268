"""Require a TOTP second factor for clinic admins and installation admins."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from mesohair.clinics.roles import Role

# Pages a user without TOTP must still reach: setting it up, and leaving.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/")


def needs_totp(user: object) -> bool:
    """True when this user's roles require a second factor they have not set up."""
    if not getattr(user, "is_authenticated", False) or not _role_requires_totp(user):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _role_requires_totp(user: object) -> bool:
    # A user has a handful of memberships at most, so a scan beats a JSON
    # lookup that SQLite cannot express portably.
    if getattr(user, "is_superuser", False):
        return True
    memberships = user.memberships.filter(is_active=True)  # type: ignore[attr-defined]
    return any(Role.CLINIC_ADMIN in m.roles for m in memberships)


class RequireAdminTOTPMiddleware:
    """Send admins without TOTP to the set-up page before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(_ALLOWED_PREFIXES) and needs_totp(request.user):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
