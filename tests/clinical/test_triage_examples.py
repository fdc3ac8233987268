"""The public worked examples of contracts/triage-examples.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mesohair.clinical.case import validate_case
from mesohair.clinical.triage import triage

_SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "contracts"
_LOCAL = Path(__file__).resolve().parent / "data"


def _examples_path() -> Path:
    """Prefer the shared contract; fall back to the copy kept beside the tests."""
    shared = _SHARED / "triage-examples.json"
    return shared if shared.exists() else _LOCAL / "triage-examples.json"


EXAMPLES: list[dict[str, Any]] = json.loads(_examples_path().read_text(encoding="utf-8"))


def test_it_keeps_a_local_copy_equal_to_the_shared_examples_when_both_exist() -> None:
    shared = _SHARED / "triage-examples.json"
    if not shared.exists():
        pytest.skip("shared contracts not present")
    local = json.loads((_LOCAL / "triage-examples.json").read_text(encoding="utf-8"))
    assert local == json.loads(shared.read_text(encoding="utf-8"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_it_decides_each_worked_example_as_expected(example: dict[str, Any]) -> None:
    case, problems = validate_case(example["case"])
    assert problems == []
    assert case is not None
    decision = triage(case)
    expect = example["expect"]
    found = set(decision.codes)
    assert str(decision.decision) in expect["decision_in"]
    assert set(expect["reasons_all_of"]) <= found
    if expect["reasons_any_of"]:
        assert found & set(expect["reasons_any_of"])
