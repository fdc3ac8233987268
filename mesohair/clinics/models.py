"""Clinics, staff memberships with roles, and clinic-configured identifier types."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from mesohair.clinics.roles import Role


def validate_time_zone(value: str) -> None:
    """Refuse names that are not IANA time zones."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"'{value}' is not a known time zone (e.g. Europe/Madrid).")


def validate_roles(value: Any) -> None:
    """A non-empty list of known role codes."""
    if not isinstance(value, list) or not value:
        raise ValidationError("Choose at least one role.")
    unknown = [r for r in value if r not in Role.values]
    if unknown:
        raise ValidationError(f"Unknown role(s): {', '.join(map(str, unknown))}.")


def validate_regex(value: str) -> None:
    """A pattern must compile, so a typo cannot block every registration."""
    try:
        re.compile(value)
    except re.error as exc:
        raise ValidationError(f"Not a valid pattern: {exc}.") from None


class Clinic(models.Model):
    """One practice; all patient data belongs to exactly one clinic."""

    name = models.CharField(max_length=200, unique=True)
    time_zone = models.CharField(
        max_length=64, default="Europe/Madrid", validators=[validate_time_zone]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place in a clinic: which roles they hold there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    roles = models.JSONField(default=list, validators=[validate_roles])
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="one_membership_per_clinic")
        ]
        ordering = ["clinic__name"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.clinic}: {', '.join(self.role_labels)}"

    @property
    def role_labels(self) -> list[str]:
        """Human-readable role names."""
        return [Role(r).label for r in self.roles if r in Role.values]

    def has_role(self, *roles: str) -> bool:
        """True when the member holds any of ``roles`` and is active."""
        return self.is_active and any(r in self.roles for r in roles)


class IdentifierType(models.Model):
    """A kind of patient identifier the clinic records (national ID, insurance no., ...)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="identifier_types")
    name = models.CharField(max_length=80)
    pattern = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_regex],
        help_text="Optional regular expression the whole value must match.",
    )
    example = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="unique_identifier_type_name")
        ]

    def __str__(self) -> str:
        return self.name

    def format_error(self, value: str) -> str | None:
        """Why ``value`` does not fit this type's format, or None if it does."""
        if self.pattern and not re.fullmatch(self.pattern, value):
            hint = f" (e.g. {self.example})" if self.example else ""
            return f"'{value}' is not a valid {self.name}{hint}."
        return None
