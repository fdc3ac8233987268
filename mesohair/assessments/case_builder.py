"""Build the triage case (contracts/triage.md) from what the clinic has recorded.

The intake history, dated events, medications, allergies and laboratory results are read
as they stood on the assessment date; the assessment adds the pattern grade, the findings
and the pull test. Nothing is retyped, and the result is validated by the pure engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from mesohair.clinical.case import validate_case
from mesohair.clinical.labs import LAB_TESTS
from mesohair.patients.models import Patient
from mesohair.patients.validators import age_on, months_between


class CaseError(ValueError):
    """The recorded data do not make a valid case; ``problems`` name each place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def build_case(
    patient: Patient,
    on: dt.date,
    *,
    pattern: tuple[str, str] | None = None,
    findings: Iterable[str] = (),
    pull_test: dict[str, int | None] | None = None,
) -> dict[str, Any]:
    """The contract case for ``patient`` on date ``on``; raises CaseError when invalid."""
    case: dict[str, Any] = {"age": age_on(patient.date_of_birth, on), "sex": patient.sex_at_birth}
    case.update(_intake(patient))
    onset = case.get("onset_age")
    if onset is not None and onset > case["age"]:
        # The intake checked onset against the age then; a date of birth corrected since can
        # make the patient younger than the recorded onset. Say which record to correct.
        raise CaseError([
            f"The intake records hair loss starting at age {onset}, but the patient was "
            f"{case['age']} on {on:%d %b %Y}. Correct the onset age in the intake, or the "
            "date of birth, before assessing."
        ])
    if pattern and pattern[0] and pattern[1]:
        case["pattern"] = {"scale": pattern[0], "grade": pattern[1]}
    case["findings"] = list(dict.fromkeys(findings))
    pull = {k: v for k, v in (pull_test or {}).items() if v is not None}
    if pull:
        case["pull_test"] = pull
    case["recent_events"] = _events(patient, on)
    case["medications"] = _medications(patient, on)
    case["allergies"] = [a.substance for a in patient.allergies.all()]
    case["labs"] = _labs(patient, on)
    _, problems = validate_case(case)
    if problems:
        raise CaseError(problems)
    return case


def _intake(patient: Patient) -> dict[str, Any]:
    """Flags, onset, course, symptoms and conditions from the intake (if recorded)."""
    intake = getattr(patient, "intake", None)
    if intake is None:
        return {}
    fields: dict[str, Any] = {
        "trying_to_conceive": intake.trying_to_conceive,
        "symptoms": list(intake.symptoms),
        "conditions": list(intake.conditions),
    }
    # Pregnancy is asked only when it can apply; flags left from before a corrected
    # sex at birth are not the patient's answers any more.
    if patient.can_be_pregnant:
        fields["pregnant"] = intake.pregnant
        fields["breastfeeding"] = intake.breastfeeding
    if intake.onset_age is not None:
        fields["onset_age"] = intake.onset_age
    if intake.course:
        fields["course"] = intake.course
    return fields


def _events(patient: Patient, on: dt.date) -> list[dict[str, Any]]:
    """Events up to the assessment date, with months before it."""
    return [
        {"event": e.event, "months_ago": months_between(e.occurred_on, on)}
        for e in patient.events.all()
        if e.occurred_on <= on
    ]


def _medications(patient: Patient, on: dt.date) -> list[dict[str, Any]]:
    """Medications started by the assessment date; a later stop means still current then."""
    meds = []
    for med in patient.medications.all():
        if med.started_on and med.started_on > on:
            continue
        item: dict[str, Any] = {"name": med.generic_name.strip().lower()}
        if med.started_on:
            item["started_months_ago"] = months_between(med.started_on, on)
        if med.stopped_on and med.stopped_on <= on:
            item["stopped_months_ago"] = months_between(med.stopped_on, on)
        meds.append(item)
    return meds


def _labs(patient: Patient, on: dt.date) -> dict[str, float]:
    """The latest result of each test up to the assessment date, in canonical units."""
    labs: dict[str, float] = {}
    for lab in patient.labs.filter(taken_on__lte=on).order_by("-taken_on", "-pk"):
        key = LAB_TESTS[lab.test].case_key
        labs.setdefault(key, round(lab.canonical_value, 3))
    return labs
