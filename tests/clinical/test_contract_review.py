"""Held-out-style checks of ``mesohair triage`` against contracts/triage.md, line by line.

Each test runs the command in process on a JSON file and compares the whole decision
(except the free-text messages) with what the contract says.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from mesohair.clinical.cli import run
from tests.clinical._cases import CONTRACT_INPUT_EXAMPLE


def triage_cli(tmp_path: Path, payload: Any) -> tuple[int, Any, str]:
    """Run ``mesohair triage FILE`` on the payload; return status, decoded stdout, stderr."""
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = run([str(path)], out, err)
    return status, json.loads(out.getvalue()) if out.getvalue() else None, err.getvalue()


def without_messages(decision: dict[str, Any]) -> dict[str, Any]:
    """The decision with each reason reduced to (code, kind, source)."""
    reasons = [(r["code"], r["kind"], r["source"]) for r in decision["reasons"]]
    return {**decision, "reasons": reasons}


def test_suspicions_and_tests_follow_the_reasons_as_in_the_contract_output_example(
    tmp_path: Path,
) -> None:
    # Contract, "Decision (output)": "suspected": ["telogen_effluvium", "androgenetic_alopecia"],
    # "suggested_tests": ["ferritin", "tsh", "cbc"]: the order the reasons raise them, with
    # androgenetic alopecia (from the pattern, not a reason) last; not vocabulary order.
    status, decision, err = triage_cli(tmp_path, CONTRACT_INPUT_EXAMPLE)
    assert (status, err) == (0, "")
    assert without_messages(decision) == {
        "decision": "workup_first",
        "reasons": [
            ("telogen_effluvium_suspected", "workup", "clinical.md §3.2"),
            ("thyroid_symptoms", "workup", "clinical.md §3.2"),
            ("iron_deficiency_risk", "workup", "clinical.md §3.3"),
            ("anticoagulant_or_antiplatelet", "precaution", "clinical.md §5.1"),
            ("ingredient_allergy", "precaution", "clinical.md §5.1"),
        ],
        "suspected": [
            "telogen_effluvium", "thyroid_disease", "iron_deficiency", "androgenetic_alopecia",
        ],
        "suggested_tests": ["ferritin", "tsh", "cbc"],
        "unrecognised_medications": [],
    }  # fmt: skip


def test_telogen_effluvium_alone_gives_exactly_the_contract_example_suspicions_and_tests(
    tmp_path: Path,
) -> None:
    case = {
        "age": 30, "sex": "female", "pattern": {"scale": "ludwig", "grade": "I"},
        "symptoms": ["increased_shedding"],
        "recent_events": [{"event": "childbirth", "months_ago": 3}],
    }  # fmt: skip
    _, decision, _ = triage_cli(tmp_path, case)
    assert decision["suspected"] == ["telogen_effluvium", "androgenetic_alopecia"]
    assert decision["suggested_tests"] == ["ferritin", "tsh", "cbc"]


def test_suspicions_and_tests_come_most_restrictive_reason_first(tmp_path: Path) -> None:
    case = {
        "age": 30, "sex": "female", "findings": ["tufted_hairs"],
        "symptoms": ["increased_shedding", "hirsutism"],
        "recent_events": [{"event": "surgery", "months_ago": 3}],
    }  # fmt: skip
    _, decision, _ = triage_cli(tmp_path, case)
    assert [r["code"] for r in decision["reasons"]] == [
        "scarring_alopecia_signs", "telogen_effluvium_suspected", "hyperandrogenism_signs",
    ]  # fmt: skip
    assert decision["suspected"] == [
        "cicatricial_alopecia", "telogen_effluvium", "hyperandrogenism",
    ]  # fmt: skip
    assert decision["suggested_tests"] == [
        "scalp_biopsy", "ferritin", "tsh", "cbc", "androgen_panel",
    ]  # fmt: skip


@pytest.mark.parametrize("sex", ["female", "male"])
def test_trying_to_conceive_cites_section_5_1_like_the_other_flags(
    tmp_path: Path, sex: str
) -> None:
    # Contract: "`pregnancy`, `breastfeeding`, `trying_to_conceive` | the flags (§5.1, §5.2)";
    # the conception row is in the §5.1 table.
    _, decision, _ = triage_cli(tmp_path, {"age": 30, "sex": sex, "trying_to_conceive": True})
    assert without_messages(decision)["reasons"] == [
        ("trying_to_conceive", "precaution", "clinical.md §5.1"),
    ]
    assert decision["decision"] == "eligible_with_precautions"


# (case fields, expected decision, expected (code, kind, source) reasons): exactly at and
# just past the contract's default thresholds, for both sexes where a rule is sex-specific.
F = {"age": 30, "sex": "female"}
M = {"age": 30, "sex": "male"}
SHED = {"symptoms": ["increased_shedding"]}


def birth(months_ago: float) -> dict[str, Any]:
    """A childbirth ``months_ago`` months before, as ``recent_events``."""
    return {"recent_events": [{"event": "childbirth", "months_ago": months_ago}]}


TE = ("telogen_effluvium_suspected", "workup", "clinical.md §3.2")
DRUG = ("drug_induced_shedding_suspected", "workup", "clinical.md §3.2")
IRON = ("iron_deficiency_risk", "workup", "clinical.md §3.3")
THYROID = ("thyroid_symptoms", "workup", "clinical.md §3.2")
ANDRO = ("hyperandrogenism_signs", "workup", "clinical.md §3.2")
BOUNDARIES: list[tuple[dict[str, Any], str, list[tuple[str, str, str]]]] = [
    ({**F, **SHED, **birth(1)}, "workup_first", [TE]),
    ({**F, **SHED, **birth(6)}, "workup_first", [TE]),
    ({**F, **SHED, **birth(0.5)}, "eligible", []),
    ({**F, **SHED, **birth(6.5)}, "eligible", []),
    ({**F, "pull_test": {"extracted": 6}, "recent_events": [{"event": "surgery", "months_ago": 2}]},
     "eligible", []),
    ({**F, "pull_test": {"extracted": 7}, "recent_events": [{"event": "surgery", "months_ago": 2}]},
     "workup_first", [TE]),
    ({**M, **SHED, "course": "sudden", "pull_test": {"sites_positive": 2}}, "workup_first", [TE]),
    ({**M, **SHED, "course": "rapid", "pull_test": {"sites_positive": 2}}, "eligible", []),
    ({**M, **SHED, "medications": [{"name": "lithium", "started_months_ago": 6}]},
     "workup_first", [DRUG]),
    ({**M, **SHED, "medications": [{"name": "lithium"}]}, "eligible", []),
    ({**M, **SHED, "recent_events": [{"event": "chemotherapy", "months_ago": 12}]},
     "workup_first", [DRUG]),
    ({**M, "labs": {"ferritin_ug_l": 30}}, "eligible", []),
    ({**M, "labs": {"ferritin_ug_l": 29.9}}, "workup_first", [IRON]),
    ({**F, "labs": {"haemoglobin_g_dl": 12}}, "eligible", []),
    ({**M, "labs": {"haemoglobin_g_dl": 12.5}}, "workup_first", [IRON]),
    ({**M, "findings": ["diffuse_thinning"], "conditions": ["vegetarian_diet"]}, "eligible", []),
    ({**F, "findings": ["diffuse_thinning"], "conditions": ["vegetarian_diet"]},
     "workup_first", [IRON]),
    ({**M, "labs": {"tsh_mu_l": 0.4}}, "eligible", []),
    ({**M, "labs": {"tsh_mu_l": 4.0}}, "eligible", []),
    ({**M, "labs": {"tsh_mu_l": 4.1}}, "workup_first", [THYROID]),
    ({**F, "labs": {"total_testosterone_nmol_l": 4.0}}, "eligible", []),
    ({**F, "labs": {"total_testosterone_nmol_l": 4.1}}, "workup_first", [ANDRO]),
    ({**M, "labs": {"total_testosterone_nmol_l": 9}}, "eligible", []),
    ({**M, "symptoms": ["hirsutism", "galactorrhoea"], "conditions": ["pcos"]}, "eligible", []),
    ({**F, "age": 49, "pattern": {"scale": "hamilton_norwood", "grade": "III"}},
     "workup_first", [ANDRO]),
    ({**F, "age": 50, "pattern": {"scale": "hamilton_norwood", "grade": "III"}}, "eligible", []),
    ({**F, "onset_age": 12}, "refer", [("childhood_onset", "red_flag", "clinical.md §3.2")]),
    ({**F, "onset_age": 13}, "eligible", []),
    ({**M, "age": 17}, "eligible_with_precautions",
     [("under_18", "precaution", "clinical.md §5.1")]),
    ({**M, "age": 18}, "eligible", []),
    ({**M, "medications": [{"name": "isotretinoin", "stopped_months_ago": 12}]},
     "eligible_with_precautions", [("recent_isotretinoin", "precaution", "clinical.md §5.1")]),
    ({**M, "medications": [{"name": "isotretinoin", "stopped_months_ago": 13}]}, "eligible", []),
    ({**M, "medications": [{"name": "warfarin", "stopped_months_ago": 1}]}, "eligible", []),
]  # fmt: skip


def test_thresholds_hold_exactly_at_the_contract_defaults(tmp_path: Path) -> None:
    status, decisions, err = triage_cli(tmp_path, [case for case, _, _ in BOUNDARIES])
    assert (status, err) == (0, "")
    for (case, outcome, reasons), decision in zip(BOUNDARIES, decisions, strict=True):
        found = without_messages(decision)
        assert (found["decision"], found["reasons"]) == (outcome, reasons), case


def test_optional_fields_given_as_null_or_empty_mean_none_recorded(tmp_path: Path) -> None:
    empty: dict[str, Any] = {
        "age": 40, "sex": "male", "pregnant": None, "breastfeeding": None,
        "trying_to_conceive": None, "onset_age": None, "course": None, "pattern": None,
        "findings": [], "symptoms": None, "pull_test": None, "recent_events": [],
        "medications": None, "conditions": [], "allergies": [], "labs": {},
    }  # fmt: skip
    status, decision, err = triage_cli(tmp_path, empty)
    assert (status, err) == (0, "")
    assert decision == {
        "decision": "eligible", "reasons": [], "suspected": [], "suggested_tests": [],
        "unrecognised_medications": [],
    }  # fmt: skip


@pytest.mark.parametrize(
    "event", ["started_hormonal_contraception", "stopped_hormonal_contraception"]
)
def test_a_hormonal_contraception_event_is_a_te_trigger_not_a_drug_reason(
    tmp_path: Path, event: str
) -> None:
    # Contract: drug_induced_shedding_suspected is "a drug of a shedding class started,
    # stopped or changed ≤ 6 months ago, or event `chemotherapy` ≤ 12 months ago"; other
    # events are trigger events of telogen_effluvium_suspected (1–6 months ago).
    case = {**F, **SHED, "recent_events": [{"event": event, "months_ago": 3}]}
    _, decision, _ = triage_cli(tmp_path, case)
    assert without_messages(decision)["reasons"] == [TE]
    early = {**F, **SHED, "recent_events": [{"event": event, "months_ago": 0.5}]}
    _, decision, _ = triage_cli(tmp_path, early)
    assert decision["decision"] == "eligible"


def test_a_hormonal_contraceptive_medication_changed_recently_is_a_drug_reason(
    tmp_path: Path,
) -> None:
    case = {**F, **SHED, "medications": [{"name": "drospirenone", "stopped_months_ago": 3}]}
    _, decision, _ = triage_cli(tmp_path, case)
    assert without_messages(decision)["reasons"] == [DRUG]
