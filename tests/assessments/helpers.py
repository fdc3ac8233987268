"""Helpers for assessment tests: an assessment recorded through the service."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from mesohair.assessments.models import Assessment
from mesohair.assessments.services import record_assessment


def assessment_of(patient: Any, clinician: Any = None, **fields: Any) -> Assessment:
    """Record an assessment of ``patient`` today (classic pattern unless told otherwise)."""
    defaults: dict[str, Any] = {"scale": "ludwig", "grade": "I", "findings": ["part_widening"]}
    if patient.sex_at_birth == "male":
        defaults = {"scale": "hamilton_norwood", "grade": "III", "findings": ["receding_hairline"]}
    return record_assessment(patient, clinician, on=timezone.localdate(), **{**defaults, **fields})
