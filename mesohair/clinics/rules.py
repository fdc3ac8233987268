"""django-rules permissions built from the role table in ``roles.py``.

Permissions are checked against a clinic: ``rules.test_perm("clinics.assess",
user, clinic)``. We deliberately call rules directly (``can``) rather than
``user.has_perm``, because Django grants every permission to superusers and an
installation administrator must not see clinical data by that route.
"""

from __future__ import annotations

from typing import Any

import rules

from mesohair.clinics.roles import PERMISSIONS


def member_roles(user: Any, clinic: Any) -> frozenset[str]:
    """The roles ``user`` actively holds in ``clinic`` (cached on the user)."""
    if clinic is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache: dict[int, frozenset[str]] = user.__dict__.setdefault("_clinic_roles", {})
    if clinic.pk not in cache:
        membership = user.memberships.filter(clinic=clinic, is_active=True).first()
        cache[clinic.pk] = frozenset(membership.roles) if membership else frozenset()
    return cache[clinic.pk]


def _has_any_role(roles: frozenset[str]) -> rules.Predicate:
    @rules.predicate
    def predicate(user: Any, clinic: Any) -> bool:
        return bool(member_roles(user, clinic) & roles)

    return predicate


for _name, _roles in PERMISSIONS.items():
    rules.add_rule(f"clinics.{_name}", _has_any_role(frozenset(_roles)))


def can(user: Any, permission: str, clinic: Any) -> bool:
    """Whether ``user`` holds ``permission`` (a key of PERMISSIONS) in ``clinic``."""
    if permission not in PERMISSIONS:
        raise KeyError(f"Unknown permission {permission!r}")
    return bool(rules.test_rule(f"clinics.{permission}", user, clinic))
