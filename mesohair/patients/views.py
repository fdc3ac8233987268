"""Registry and intake views: short, scoped through ``patient_for`` and ``scoped``."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mesohair.clinics.decorators import clinic_permission_required
from mesohair.clinics.rules import can
from mesohair.clinics.scoping import get_scoped_or_404, scoped
from mesohair.patients import forms as f
from mesohair.patients import models as m
from mesohair.patients.access import patient_for
from mesohair.patients.search import search_patients
from mesohair.patients.timeline import timeline


@clinic_permission_required("view_registry")
def patient_list(request: HttpRequest) -> HttpResponse:
    """Search the registry; HTMX requests get the results table only."""
    form = f.SearchForm(request.GET or None)
    patients = scoped(request, m.Patient).prefetch_related("identifiers")
    if form.is_valid():
        patients = search_patients(patients, form.cleaned_data["q"], form.cleaned_data["dob"])
    context = {"form": form, "patients": patients[:100]}
    template = "patients/list.html#results" if request.htmx else "patients/list.html"
    return render(request, template, context)


@clinic_permission_required("register_patient")
def patient_create(request: HttpRequest) -> HttpResponse:
    """Register a patient, warning first about a likely duplicate."""
    form = f.PatientForm(request.POST or None, clinic=request.clinic)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            patient = form.save(commit=False)
            patient.clinic, patient.created_by = request.clinic, request.user
            patient.save()
            if form.cleaned_data["identifier_value"]:
                patient.identifiers.create(
                    type=form.cleaned_data["identifier_type"],
                    value=form.cleaned_data["identifier_value"],
                )
        messages.success(request, f"{patient} registered.")
        return redirect("patients:detail", pk=patient.pk)
    return render(request, "patients/form.html", {"form": form, "title": "Register a patient"})


@clinic_permission_required("view_registry")
def patient_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The patient page: details, intake summary (clinical roles) and timeline."""
    patient = patient_for(request, pk, record="patient page")
    clinical = can(request.user, "view_clinical", request.clinic)
    context = {
        "patient": patient,
        "show_clinical": clinical,
        "entries": timeline(patient, include_clinical=clinical),
        "intake": getattr(patient, "intake", None) if clinical else None,
    }
    return render(request, "patients/detail.html", context)


@clinic_permission_required("register_patient")
def patient_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the demographics (kept in the record's history)."""
    patient = patient_for(request, pk, record="registration details")
    form = f.PatientForm(
        request.POST or None, instance=patient, clinic=request.clinic, with_identifier=False
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Details saved.")
        return redirect("patients:detail", pk=patient.pk)
    context = {"form": form, "patient": patient, "title": f"Edit {patient}"}
    return render(request, "patients/form.html", context)


@clinic_permission_required("register_patient")
def identifier_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an identifier of a clinic-configured type."""
    patient = patient_for(request, pk)
    form = f.IdentifierForm(
        request.POST or None, instance=m.PatientIdentifier(patient=patient), clinic=request.clinic
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Identifier added.")
        return redirect("patients:detail", pk=patient.pk)
    context = {"form": form, "patient": patient, "title": "Add an identifier"}
    return render(request, "patients/form.html", context)


@clinic_permission_required("record_intake")
def intake_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record or update the hair-loss history."""
    patient = patient_for(request, pk, record="intake history")
    intake = getattr(patient, "intake", None) or m.Intake(patient=patient)
    form = f.IntakeForm(request.POST or None, instance=intake)
    if request.method == "POST" and form.is_valid():
        intake = form.save(commit=False)
        intake.recorded_by = intake.recorded_by or request.user
        intake.save()
        messages.success(request, "Intake history saved.")
        return redirect("patients:detail", pk=patient.pk)
    context = {"form": form, "patient": patient, "title": "Intake history"}
    return render(request, "patients/intake_form.html", context)


@dataclass(frozen=True)
class RecordKind:
    """A kind of intake record added from the patient page."""

    model: type[m.ClinicalRecord]
    form: type[forms.ModelForm]
    label: str

    @property
    def plural(self) -> str:
        """The label in the plural, as written in the access log."""
        return self.label[:-1] + "ies" if self.label.endswith("y") else self.label + "s"


RECORD_KINDS = {
    "events": RecordKind(m.LifeEvent, f.LifeEventForm, "recent event"),
    "medications": RecordKind(m.Medication, f.MedicationForm, "medication"),
    "allergies": RecordKind(m.Allergy, f.AllergyForm, "allergy"),
    "treatments": RecordKind(m.PriorTreatment, f.PriorTreatmentForm, "prior treatment"),
    "labs": RecordKind(m.LabResult, f.LabResultForm, "laboratory result"),
}


def _record_kind(kind: str) -> RecordKind:
    try:
        return RECORD_KINDS[kind]
    except KeyError:
        raise Http404("No such record kind") from None


@clinic_permission_required("record_intake")
def record_edit(request: HttpRequest, pk: int, kind: str, rid: int | None = None) -> HttpResponse:
    """Add (or correct) an event, medication, allergy, prior treatment or lab result."""
    spec = _record_kind(kind)
    patient = patient_for(request, pk, record=spec.plural)
    instance = (
        get_scoped_or_404(request, spec.model, pk=rid, patient=patient)
        if rid else spec.model(patient=patient, recorded_by=request.user)
    )
    form = spec.form(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{spec.label.capitalize()} saved.")
        return redirect("patients:detail", pk=patient.pk)
    verb = "Correct" if rid else "Add"
    context = {"form": form, "patient": patient, "title": f"{verb} a {spec.label}"}
    return render(request, "patients/form.html", context)
