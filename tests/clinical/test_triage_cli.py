"""``mesohair triage CASE.json``: exit codes, stdout, stderr lines naming the place."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from mesohair.clinical.cli import run, triage_main

MAN = {"age": 40, "sex": "male"}
PREGNANT = {"age": 30, "sex": "female", "pregnant": True}


def call(tmp_path: Path, payload: Any, raw: str | None = None) -> tuple[int, str, str]:
    """Write the payload to a file and run the command on it."""
    path = tmp_path / "case.json"
    path.write_text(raw if raw is not None else json.dumps(payload), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = run([str(path)], out, err)
    return status, out.getvalue(), err.getvalue()


def test_it_prints_one_decision_object_for_one_case(tmp_path: Path) -> None:
    status, out, err = call(tmp_path, PREGNANT)
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert result["decision"] == "not_eligible"
    assert set(result) == {
        "decision", "reasons", "suspected", "suggested_tests", "unrecognised_medications",
    }  # fmt: skip
    assert set(result["reasons"][0]) == {"code", "kind", "message", "source"}


def test_it_prints_an_array_in_the_same_order(tmp_path: Path) -> None:
    status, out, _ = call(tmp_path, [PREGNANT, MAN, {**MAN, "symptoms": ["fever"]}])
    assert status == 0
    assert [d["decision"] for d in json.loads(out)] == ["not_eligible", "eligible", "refer"]


def test_it_prints_an_empty_array_for_an_empty_array(tmp_path: Path) -> None:
    assert call(tmp_path, []) == (0, "[]\n", "")


def test_it_prints_nothing_on_stdout_when_any_case_is_invalid(tmp_path: Path) -> None:
    bad = {**MAN, "pattern": {"scale": "hamilton_norwood", "grade": "IIx"}}
    status, out, err = call(tmp_path, [MAN, PREGNANT, bad, {"sex": "male", "pregnant": True}])
    assert (status, out) == (2, "")
    assert err.splitlines() == [
        "cases[2].pattern.grade: 'IIx' is not a Hamilton–Norwood grade; valid: I, II, IIa,"
        " III, IIIa, III vertex, IV, IVa, V, Va, VI, VII",
        "cases[3].age: is required",
        "cases[3].pregnant: cannot be true when sex is 'male'",
    ]


def test_it_uses_case_as_the_place_for_a_single_object(tmp_path: Path) -> None:
    status, out, err = call(tmp_path, {**MAN, "labs": {"tsh_mu_l": -1}})
    assert (status, out) == (2, "")
    assert err == "case.labs.tsh_mu_l: must be ≥ 0, got -1\n"


def test_it_refuses_a_top_level_value_that_is_not_a_case(tmp_path: Path) -> None:
    status, out, err = call(tmp_path, "hello")
    assert (status, out) == (2, "")
    assert err.startswith("case: expected an object")


@pytest.mark.parametrize("raw", ["{", "", '{"age": NaN, "sex": "male"}'])
def test_it_exits_2_with_one_line_for_invalid_json(tmp_path: Path, raw: str) -> None:
    status, out, err = call(tmp_path, None, raw)
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1 and "is not valid JSON" in err


def test_it_exits_2_with_one_line_for_an_unreadable_file(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run([str(tmp_path / "missing.json")], out, err) == 2
    assert out.getvalue() == ""
    assert (
        err.getvalue().startswith("mesohair triage: cannot read")
        and err.getvalue().count("\n") == 1
    )


def test_it_exits_2_with_usage_without_exactly_one_argument() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run([], out, err) == 2
    assert "usage: mesohair triage" in err.getvalue()


def test_it_is_reached_through_the_console_script_dispatch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mesohair.cli import main

    path = tmp_path / "case.json"
    path.write_text(json.dumps(MAN), encoding="utf-8")
    assert main(["triage", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["decision"] == "eligible"


def test_it_writes_to_the_real_streams_from_triage_main(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"age": "x", "sex": "male"}), encoding="utf-8")
    assert triage_main([str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("case.age:")
