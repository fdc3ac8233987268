"""The one place where patient data is scoped to the user's active clinic.

Every model that holds patient data uses ``ClinicScopedQuerySet`` and names
the path to its clinic in ``clinic_lookup``. Views never filter by clinic by
hand: they call ``scoped(request, Model)`` or ``get_scoped_or_404``, which
answer 404 for anything outside the active clinic (the healthchecks habit).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.http import Http404, HttpRequest

M = TypeVar("M", bound=models.Model)


class ClinicScopedQuerySet(models.QuerySet[M]):
    """A queryset that knows how to restrict itself to one clinic."""

    def in_clinic(self, clinic: Any) -> ClinicScopedQuerySet[M]:
        """Rows belonging to ``clinic`` only."""
        lookup = getattr(self.model, "clinic_lookup", "clinic")
        return self.filter(**{lookup: clinic})


def scoped[M: models.Model](request: HttpRequest, model: type[M]) -> ClinicScopedQuerySet[M]:
    """All rows of ``model`` in the request's active clinic (404 without one)."""
    clinic = getattr(request, "clinic", None)
    if clinic is None:
        raise Http404("No active clinic")
    return model.objects.in_clinic(clinic)  # type: ignore[attr-defined,no-any-return]


def get_scoped_or_404[M: models.Model](request: HttpRequest, model: type[M], **lookup: Any) -> M:
    """One row of ``model`` in the active clinic, or 404 (never 403: no leak)."""
    try:
        return scoped(request, model).get(**lookup)
    except (model.DoesNotExist, ValueError):  # type: ignore[attr-defined]
        raise Http404(f"No such {model._meta.verbose_name}") from None
