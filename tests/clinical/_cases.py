"""Helpers to build triage cases in tests."""

from __future__ import annotations

from typing import Any

from mesohair.clinical.case import Case, validate_case
from mesohair.clinical.triage import Decision, triage


def make_case(**fields: Any) -> Case:
    """Build a valid case: a 35-year-old woman unless the fields say otherwise."""
    data: dict[str, Any] = {"age": 35, "sex": "female", **fields}
    case, problems = validate_case(data)
    assert case is not None, problems
    return case


def decide(**fields: Any) -> Decision:
    """Triage a case built by :func:`make_case`."""
    return triage(make_case(**fields))


def codes(**fields: Any) -> set[str]:
    """Reason codes raised for a case built by :func:`make_case`."""
    return set(decide(**fields).codes)


# The case shown under "Case (input)" in contracts/triage.md.
CONTRACT_INPUT_EXAMPLE: dict[str, Any] = {
    "age": 34, "sex": "female",
    "pregnant": False, "breastfeeding": False, "trying_to_conceive": False,
    "onset_age": 29, "course": "gradual",
    "pattern": {"scale": "ludwig", "grade": "II"},
    "findings": ["part_widening", "crown_thinning", "hair_diameter_diversity"],
    "symptoms": ["increased_shedding"],
    "pull_test": {"grasped": 60, "extracted": 3, "sites_positive": 0},
    "recent_events": [{"event": "childbirth", "months_ago": 3}],
    "medications": [{"name": "warfarin", "started_months_ago": 24}],
    "conditions": ["thyroid_disease"],
    "allergies": ["lidocaine"],
    "labs": {"ferritin_ug_l": 14, "tsh_mu_l": 2.1},
}  # fmt: skip
