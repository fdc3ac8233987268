"""Assessment views: short, scoped through ``patient_for`` and ``get_scoped_or_404``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mesohair.assessments import presenting as p
from mesohair.assessments import services
from mesohair.assessments.forms import (
    FINDING_GROUPS,
    AcknowledgeForm,
    AssessmentForm,
    OverrideForm,
)
from mesohair.assessments.models import Assessment
from mesohair.clinical.vocabulary import words
from mesohair.clinics.decorators import clinic_permission_required
from mesohair.clinics.scoping import get_scoped_or_404
from mesohair.patients.access import patient_for
from mesohair.patients.models import Patient


def assessment_for(request: HttpRequest, pk: int, aid: int, record: str | None) -> Assessment:
    """The assessment ``aid`` of patient ``pk`` in the active clinic, or 404."""
    patient = patient_for(request, pk, record=record)
    return get_scoped_or_404(request, Assessment, pk=aid, patient=patient)


def _form_context(form: AssessmentForm, patient: Patient) -> dict[str, Any]:
    scale = form.chosen_scale
    grade = form.data.get("grade", "") if form.is_bound else ""
    decision = (
        services.decide(form.case, patient.clinic) if form.is_valid() and form.case else None
    )
    gallery = p.gallery(scale)
    return {
        "form": form,
        "patient": patient,
        "decision": decision,
        "gallery": gallery,
        "scale_name": p.scale_name(scale),
        "selected_svg": p.selected_schematic(scale, grade),
        "grade": grade,
        "grade_in_gallery": grade in dict(gallery),
        "finding_groups": FINDING_GROUPS,
        "checked": form["findings"].value() or [],
    }


@clinic_permission_required("assess")
def assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Examine the patient; the triage result is previewed as the clinician works."""
    patient = patient_for(request, pk, record="assessment form")
    form = AssessmentForm(request.POST or None, patient=patient)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assessment = services.record_assessment(
            patient,
            request.user,
            on=data["assessed_on"],
            scale=data["scale"],
            grade=data["grade"],
            findings=data["findings"],
            pull_test=form.pull_test(data),
            notes=data["trichoscopy_notes"],
        )
        messages.success(request, f"Assessment saved: {words(assessment.engine_decision)}.")
        return redirect("assessments:detail", pk=patient.pk, aid=assessment.pk)
    context = {**_form_context(form, patient), "intake": p.intake_view(patient)}
    if not form.is_bound and context["intake"].case:
        context["decision"] = services.decide(context["intake"].case, patient.clinic)
    return render(request, "assessments/form.html", context)


@require_POST
@clinic_permission_required("assess")
def assessment_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: the triage result for the form as it stands (nothing is saved)."""
    patient = patient_for(request, pk)
    data: QueryDict = request.POST.copy()
    if request.htmx and request.htmx.trigger_name == "scale":
        data["grade"] = ""  # a grade of the previous scale means nothing on the new one
    form = AssessmentForm(data, patient=patient)
    return render(request, "assessments/_preview.html", _form_context(form, patient))


@clinic_permission_required("view_clinical")
def assessment_detail(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """One assessment: findings, the engine's decision, acknowledgements and override."""
    assessment = assessment_for(request, pk, aid, record="assessment")
    context = {
        "assessment": assessment,
        "patient": assessment.patient,
        "decision": assessment.decision,
        "rows": p.case_rows(assessment.case),
        "eligibility": services.eligibility_of(assessment),
        "selected_svg": p.selected_schematic(assessment.scale, assessment.grade),
        "scale_name": p.scale_name(assessment.scale),
    }
    return render(request, "assessments/detail.html", context)


@require_POST
@clinic_permission_required("assess")
def acknowledge(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """Record the clinician's acknowledgement of the ticked precautions."""
    assessment = assessment_for(request, pk, aid, record=None)
    codes = sorted(assessment.triage.precaution_codes)
    form = AcknowledgeForm(request.POST, precautions=[(c, words(c)) for c in codes])
    if form.is_valid():
        new = services.acknowledge(assessment, form.cleaned_data["codes"], request.user)
        messages.success(request, f"Acknowledged: {', '.join(map(words, new)) or 'nothing new'}.")
    else:
        messages.error(request, "Tick at least one precaution to acknowledge.")
    return redirect("patients:detail", pk=pk)


@clinic_permission_required("assess")
def override(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """Override the decision with a new one and a written reason (kept in history)."""
    assessment = assessment_for(request, pk, aid, record="assessment override")
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.override(assessment, data["decision"], data["reason"], request.user)
        messages.success(request, f"Decision overridden: {words(data['decision'])}.")
        return redirect("patients:detail", pk=pk)
    context = {"form": form, "assessment": assessment, "patient": assessment.patient}
    return render(request, "assessments/override.html", context)
