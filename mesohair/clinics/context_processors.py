"""Template context: the active clinic and what the user may do there."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mesohair.clinics.roles import PERMISSIONS
from mesohair.clinics.rules import can


def active_clinic(request: HttpRequest) -> dict[str, Any]:
    """``clinic``, ``memberships`` and ``perms_here`` (permission -> bool)."""
    clinic = getattr(request, "clinic", None)
    user = getattr(request, "user", None)
    perms = {name: can(user, name, clinic) for name in PERMISSIONS} if clinic else {}
    return {
        "clinic": clinic,
        "memberships": getattr(request, "memberships", []),
        "perms_here": perms,
    }
