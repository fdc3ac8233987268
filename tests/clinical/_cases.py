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
