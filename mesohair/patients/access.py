"""Fetching a patient for the current user, and writing the access log."""

from __future__ import annotations

from django.http import HttpRequest

from mesohair.clinics.scoping import get_scoped_or_404
from mesohair.patients.models import AccessLog, Patient


def log_access(request: HttpRequest, patient: Patient, record: str) -> None:
    """Write who viewed which record of ``patient``, and when."""
    AccessLog.objects.create(
        clinic=patient.clinic,
        user=request.user if request.user.is_authenticated else None,
        patient=patient,
        record=record[:120],
        path=request.get_full_path()[:300],
    )


def patient_for(request: HttpRequest, pk: int, record: str | None = None) -> Patient:
    """The patient ``pk`` of the active clinic (404 otherwise); logs views.

    ``record`` names what is being viewed ("patient page", "intake form"...);
    pass None for writes that are already tracked by record history.
    """
    patient = get_scoped_or_404(request, Patient, pk=pk)
    if record is not None:
        log_access(request, patient, record)
    return patient
