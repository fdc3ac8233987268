"""Pick the clinic a signed-in user is working in for this request."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

SESSION_KEY = "active_clinic_id"


class ActiveClinicMiddleware:
    """Sets ``request.clinic``, ``request.memberships`` and the clinic's time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.clinic = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            self._choose(request)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def _choose(self, request: HttpRequest) -> None:
        memberships = list(
            request.user.memberships.filter(is_active=True).select_related("clinic")  # type: ignore[union-attr]
        )
        request.memberships = memberships  # type: ignore[attr-defined]
        if not memberships:
            return
        wanted = request.session.get(SESSION_KEY)
        active = next((m for m in memberships if m.clinic_id == wanted), memberships[0])
        request.session[SESSION_KEY] = active.clinic_id
        request.clinic = active.clinic  # type: ignore[attr-defined]
        request.membership = active  # type: ignore[attr-defined]
        timezone.activate(zoneinfo.ZoneInfo(active.clinic.time_zone))
