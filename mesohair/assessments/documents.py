"""Printable documents of an assessment: referral letter, work-up list, patient leaflet.

Each is one template rendered as an HTML page and, from the same template, as a PDF.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify
from weasyprint import HTML

from mesohair.assessments import presenting as p
from mesohair.assessments.leaflet import plain_reasons
from mesohair.assessments.models import Assessment
from mesohair.assessments.views import assessment_for
from mesohair.clinics.decorators import clinic_permission_required

DOCUMENTS = {
    "referral": ("assessments/referral.html", "referral letter"),
    "workup": ("assessments/workup.html", "work-up list"),
    "leaflet": ("assessments/leaflet.html", "patient leaflet"),
}


def _no_network(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """WeasyPrint fetcher that refuses every URL: the CSS is inlined (no network at run time)."""
    raise ValueError(f"Not fetched: {url}")


def _pdf_css() -> str:
    path = finders.find("assessments/assessments.css")
    return Path(str(path)).read_text(encoding="utf-8") if path else ""


def _context(assessment: Assessment, pdf: bool) -> dict[str, object]:
    return {
        "assessment": assessment,
        "patient": assessment.patient,
        "pdf": pdf,
        "base_template": "assessments/_pdf_base.html" if pdf else "base.html",
        "pdf_css": _pdf_css() if pdf else "",
        "decision": assessment.decision,
        "rows": p.case_rows(assessment.case),
        "scale_name": p.scale_name(assessment.scale),
        "plain": plain_reasons(assessment.decision["reasons"]),
    }


def _page(request: HttpRequest, pk: int, aid: int, kind: str) -> HttpResponse:
    template, label = DOCUMENTS[kind]
    assessment = assessment_for(request, pk, aid, record=label)
    return render(request, template, _context(assessment, pdf=False))


def _pdf(request: HttpRequest, pk: int, aid: int, kind: str) -> HttpResponse:
    template, label = DOCUMENTS[kind]
    assessment = assessment_for(request, pk, aid, record=f"{label} (PDF)")
    html = render_to_string(template, _context(assessment, pdf=True), request=request)
    base_url = request.build_absolute_uri("/")
    pdf = HTML(string=html, base_url=base_url, url_fetcher=_no_network).write_pdf()
    name = slugify(f"{label} {assessment.patient.family_name} {assessment.assessed_on}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@clinic_permission_required("view_clinical")
def referral(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """Referral letter to a dermatologist, printable."""
    return _page(request, pk, aid, "referral")


@clinic_permission_required("view_clinical")
def referral_pdf(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """Referral letter as PDF."""
    return _pdf(request, pk, aid, "referral")


@clinic_permission_required("view_clinical")
def workup(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """Tests to order before treatment, printable."""
    return _page(request, pk, aid, "workup")


@clinic_permission_required("view_clinical")
def workup_pdf(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """Tests to order, as PDF."""
    return _pdf(request, pk, aid, "workup")


@clinic_permission_required("view_clinical")
def leaflet(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """Plain-language page for the patient: why we recommend seeing a doctor first."""
    return _page(request, pk, aid, "leaflet")
