"""View decorators that check a role permission in the active clinic."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mesohair.clinics.rules import can

View = Callable[..., HttpResponse]


def clinic_permission_required(permission: str) -> Callable[[View], View]:
    """Signed in, working in a clinic, and holding ``permission`` there; else 403."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            clinic = getattr(request, "clinic", None)
            if clinic is None:
                return render(request, "clinics/no_clinic.html", status=403)
            if not can(request.user, permission, clinic):
                raise PermissionDenied(f"Your role in {clinic} does not allow this.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def installation_admin_required(view: View) -> View:
    """Only an installation administrator (Django superuser)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied("Only the installation administrator may do this.")
        return view(request, *args, **kwargs)

    return wrapped
