"""Clinic admins adjust the triage thresholds of their clinic."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mesohair.assessments.models import TriageThresholds
from mesohair.assessments.thresholds import ThresholdsForm, settings_for
from mesohair.clinics.decorators import clinic_permission_required


@clinic_permission_required("manage_settings")
def triage_thresholds(request: HttpRequest) -> HttpResponse:
    """Show and change the thresholds the triage engine uses in this clinic."""
    form = ThresholdsForm(request.POST or None, current=settings_for(request.clinic))
    if request.method == "POST" and form.is_valid():
        record = TriageThresholds.objects.filter(clinic=request.clinic).first() or \
            TriageThresholds(clinic=request.clinic)
        record.values, record.updated_by = form.changed_values(), request.user
        record.save()
        changed = ", ".join(record.values) or "none (all defaults)"
        messages.success(request, f"Triage thresholds saved. Changed from defaults: {changed}.")
        return redirect("triage_thresholds")
    return render(request, "assessments/thresholds.html", {"form": form})
