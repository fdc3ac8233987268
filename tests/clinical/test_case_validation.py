"""Validation of triage cases: every problem is named with its place."""

from __future__ import annotations

from typing import Any

import pytest

from mesohair.clinical.case import validate_case
from tests.clinical._cases import CONTRACT_INPUT_EXAMPLE

M = {"age": 30, "sex": "male"}


def problems(data: Any, place: str = "case") -> list[str]:
    """Problems found in ``data``."""
    case, found = validate_case(data, place)
    assert (case is None) == bool(found)
    return found


def test_it_accepts_the_contract_example() -> None:
    data = dict(CONTRACT_INPUT_EXAMPLE)
    assert problems(data) == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"sex": "male"}, "case.age: is required"),
        ({"age": 30}, "case.sex: is required"),
        ({"age": True, "sex": "male"}, "case.age: expected an integer ≥ 0, got the boolean true"),
        ({"age": 30.5, "sex": "male"}, "case.age: expected an integer ≥ 0, got the number 30.5"),
        ({"age": -1, "sex": "male"}, "case.age: must be ≥ 0, got -1"),
        ({"age": "30", "sex": "male"}, "case.age: expected an integer ≥ 0, got the string '30'"),
        ({"age": 30, "sex": "other"}, "case.sex: 'other' is not a valid sex; valid: female, male"),
        ({**M, "pregnant": True}, "case.pregnant: cannot be true when sex"),
        ({**M, "breastfeeding": True}, "case.breastfeeding: cannot be true"),
        ({"age": 30, "sex": "female", "pregnant": "yes"}, "case.pregnant: expected true or false"),
        ({"age": 30, "sex": "female", "pregnant": 1}, "case.pregnant: expected true or false"),
        ({**M, "course": "slow"}, "case.course: 'slow' is not a valid course"),
        ({**M, "findings": ["bald"]}, "case.findings[0]: 'bald' is not a"),
        ({**M, "findings": "patchy_loss"}, "case.findings: expected an array"),
        ({**M, "symptoms": [1]}, "case.symptoms[0]: expected a symptom code"),
        ({**M, "conditions": ["flu"]}, "case.conditions[0]: 'flu' is not"),
        ({**M, "labs": {"ferritin_ug_l": -3}}, "case.labs.ferritin_ug_l: must"),
        ({**M, "labs": {"ferritin_ug_l": False}}, "case.labs.ferritin_ug_l:"),
        ({**M, "labs": {"b12": 300}}, "case.labs.b12: unknown field"),
        ({**M, "pull_test": {"extracted": True}}, "case.pull_test.extracted"),
        ({**M, "pull_test": {"grasped": 10, "extracted": 20}}, "case.pull_test.extracted: 20 is"),
        ({**M, "onset_age": 31}, "case.onset_age: 31 is greater than age 30"),
        ({**M, "recent_events": [{"event": "wedding", "months_ago": 1}]},
         "case.recent_events[0].event: 'wedding' is not a valid event"),
        ({**M, "recent_events": [{"event": "surgery"}]},
         "case.recent_events[0].months_ago: is required"),
        ({**M, "recent_events": [{"event": "surgery", "months_ago": -2}]},
         "case.recent_events[0].months_ago: must be ≥ 0"),
        ({**M, "medications": [{"started_months_ago": 2}]},
         "case.medications[0].name: is required"),
        ({**M, "medications": [{"name": "aspirin", "dose": 1}]},
         "case.medications[0].dose: unknown field"),
        ({**M, "allergies": [""]}, "case.allergies[0]: expected a non-empty"),
        ({**M, "pattern": {"scale": "ludwig"}}, "case.pattern.grade: is requ"),
        ({**M, "pattern": {"scale": "olsen", "grade": "1"}},
         "case.pattern.scale: 'olsen' is not a valid scale"),
        ({**M, "pattern": {"scale": "hamilton_norwood", "grade": "IIx"}},
         "case.pattern.grade: 'IIx' is not a Hamilton–Norwood grade; valid: I, II, IIa, III,"),
        ({**M, "pattern": {"scale": "hamilton_norwood", "grade": "iii"}},
         "case.pattern.grade: 'iii' is not a Hamilton–Norwood grade"),
        ({**M, "weight": 80}, "case.weight: unknown field"),
        ([1, 2], "case: expected an object, got an array"),
    ],
)  # fmt: skip
def test_it_names_the_place_of_each_problem(data: Any, expected: str) -> None:
    found = problems(data)
    assert any(line.startswith(expected) for line in found), found


def test_it_reports_every_problem_not_just_the_first() -> None:
    found = problems({"age": -1, "sex": "x", "findings": ["a", "b"]})
    assert len(found) == 4


def test_it_prefixes_problems_with_the_place_given() -> None:
    assert problems({"sex": "male"}, "cases[2]") == ["cases[2].age: is required"]


def test_it_treats_null_and_missing_lists_as_none_recorded() -> None:
    case, found = validate_case({**M, "findings": None, "labs": None})
    assert found == []
    assert case is not None and case.findings == frozenset() and case.labs is None


def test_it_keeps_unknown_medication_and_allergy_names_as_given() -> None:
    case, found = validate_case(
        {"age": 30, "sex": "male", "medications": [{"name": "Zzz"}], "allergies": ["Nickel"]}
    )
    assert found == []
    assert case is not None
    assert case.medications[0].name == "Zzz" and case.allergies == ("Nickel",)


def test_it_accepts_trying_to_conceive_for_a_male() -> None:
    assert problems({**M, "trying_to_conceive": True}) == []
