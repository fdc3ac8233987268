"""Glue between django-allauth, django-axes and our clinics."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class ClinicAccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by clinic admins, never by self sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The login name axes counts failures against (allauth sends ``email``)."""
    credentials = credentials or {}
    name = credentials.get("email") or credentials.get("username") or ""
    if not name and request is not None:
        name = request.POST.get("login", "")
    return str(name).strip().lower()
