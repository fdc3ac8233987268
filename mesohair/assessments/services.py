"""Recording assessments and answering whether a patient may proceed to planning.

Every decision comes from the pure engine (``mesohair.clinical``); these functions only
gather the recorded data, store the engine's answer and record the clinician's actions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from mesohair.assessments.case_builder import build_case
from mesohair.assessments.models import Acknowledgement, Assessment
from mesohair.assessments.thresholds import settings_for
from mesohair.clinical.case import validate_case
from mesohair.clinical.eligibility import Eligibility, may_plan_treatment
from mesohair.clinical.triage import triage
from mesohair.clinical.vocabulary import Outcome
from mesohair.patients.models import Patient

PERMISSIVE = {str(Outcome.ELIGIBLE), str(Outcome.ELIGIBLE_WITH_PRECAUTIONS)}


def decide(case: dict[str, Any], clinic: Any) -> dict[str, Any]:
    """Run the pure engine, with ``clinic``'s thresholds, on a contract case."""
    validated, problems = validate_case(case)
    if validated is None:
        raise ValueError("; ".join(problems))
    return triage(validated, settings_for(clinic)).to_dict()


def record_assessment(
    patient: Patient,
    clinician: Any,
    *,
    on: dt.date,
    scale: str = "",
    grade: str = "",
    findings: Iterable[str] = (),
    pull_test: dict[str, int | None] | None = None,
    notes: str = "",
) -> Assessment:
    """Build the case, triage it and store the assessment with the engine's decision."""
    findings = list(findings)
    pull = pull_test or {}
    case = build_case(patient, on, pattern=(scale, grade), findings=findings, pull_test=pull)
    return Assessment.objects.create(
        patient=patient,
        clinician=clinician,
        assessed_on=on,
        scale=scale if grade else "",
        grade=grade,
        findings=findings,
        pull_grasped=pull.get("grasped"),
        pull_extracted=pull.get("extracted"),
        pull_sites_positive=pull.get("sites_positive"),
        trichoscopy_notes=notes,
        case=case,
        decision=decide(case, patient.clinic),
    )


def latest_assessment(patient: Patient) -> Assessment | None:
    """The patient's most recent assessment, or None."""
    return patient.assessments.order_by("-assessed_on", "-pk").first()


def eligibility_of(assessment: Assessment | None) -> Eligibility:
    """The engine's planning answer for one assessment, with its acknowledgements and override."""
    if assessment is None:
        return may_plan_treatment(None)
    decision, acks = assessment.triage, assessment.acknowledged_codes
    override = assessment.override_decision
    if override in PERMISSIVE:
        return may_plan_treatment(decision, acks, assessment.override_reason)
    if override:
        # A clinician made the decision more restrictive: the engine blocks on it.
        stricter = dataclasses.replace(decision, decision=Outcome(override))
        return may_plan_treatment(stricter, acks)
    return may_plan_treatment(decision, acks)


def may_proceed_to_planning(patient: Patient) -> Eligibility:
    """May ``patient`` proceed to treatment planning, judged on the latest assessment?"""
    return eligibility_of(latest_assessment(patient))


@transaction.atomic
def acknowledge(assessment: Assessment, codes: Iterable[str], by: Any) -> list[str]:
    """Record the clinician's acknowledgement of precautions; returns the new codes."""
    wanted = set(codes) & assessment.triage.precaution_codes
    new = sorted(wanted - assessment.acknowledged_codes)
    for code in new:
        Acknowledgement.objects.create(assessment=assessment, code=code, acknowledged_by=by)
    return new


def override(assessment: Assessment, decision: str, reason: str, by: Any) -> Assessment:
    """Record a clinician's override of the decision with a written reason (kept in history)."""
    if not reason.strip():
        raise ValueError("A written reason is required to override a decision.")
    assessment.override_decision = str(Outcome(decision))
    assessment.override_reason = reason.strip()
    assessment.overridden_by, assessment.overridden_at = by, timezone.now()
    assessment.save()
    return assessment
