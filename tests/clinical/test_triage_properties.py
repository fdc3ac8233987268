"""Properties of the triage engine over generated cases (bounded Hypothesis runs)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mesohair.clinical import vocabulary as vocab
from mesohair.clinical.case import Case, validate_case
from mesohair.clinical.medications import DEFAULT_MEDICATION_CLASSES
from mesohair.clinical.triage import triage
from mesohair.clinical.vocabulary import DECISION_FOR_KIND, KIND_ORDER, OUTCOME_ORDER

RED_FLAG_FINDINGS = [
    ["perifollicular_erythema"], ["loss_of_follicular_openings"], ["tufted_hairs"],
    ["exclamation_mark_hairs"], ["comma_or_corkscrew_hairs"], ["patchy_loss", "black_dots"],
]  # fmt: skip
MONTHS = st.integers(min_value=0, max_value=30)


def _codes(options: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(options), max_size=4, unique=True)


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    """Valid case dictionaries covering most of the vocabulary."""
    sex = draw(st.sampled_from(["female", "male"]))
    age = draw(st.integers(min_value=5, max_value=90))
    data: dict[str, Any] = {"age": age, "sex": sex}
    data["findings"] = draw(_codes(vocab.FINDINGS))
    data["symptoms"] = draw(_codes(vocab.SYMPTOMS))
    data["conditions"] = draw(_codes(vocab.CONDITIONS))
    events = st.fixed_dictionaries({"event": st.sampled_from(vocab.EVENTS), "months_ago": MONTHS})
    data["recent_events"] = draw(st.lists(events, max_size=2))
    names = st.sampled_from([*DEFAULT_MEDICATION_CLASSES, "sertraline"])
    meds = st.fixed_dictionaries({"name": names}, optional={"started_months_ago": MONTHS})
    data["medications"] = draw(st.lists(meds, max_size=2))
    if sex == "female":
        data["pregnant"] = draw(st.booleans())
    data["onset_age"] = draw(st.integers(min_value=0, max_value=age))
    ferritin = st.floats(min_value=0, max_value=200, allow_nan=False)
    data["labs"] = draw(st.fixed_dictionaries({}, optional={"ferritin_ug_l": ferritin}))
    return data


def _case(data: dict[str, Any]) -> Case:
    case, problems = validate_case(data)
    assert case is not None, problems
    return case


def _rank(data: dict[str, Any]) -> int:
    return OUTCOME_ORDER.index(triage(_case(data)).decision)


@settings(max_examples=60, deadline=None)
@given(cases(), st.sampled_from(RED_FLAG_FINDINGS))
def test_it_never_becomes_less_restrictive_when_a_red_flag_is_added(
    data: dict[str, Any], extra: list[str]
) -> None:
    flagged = {**data, "findings": sorted({*data["findings"], *extra})}
    assert _rank(flagged) <= _rank(data)
    assert str(triage(_case(flagged)).decision) == "refer"


@settings(max_examples=60, deadline=None)
@given(cases())
def test_it_decides_by_the_most_restrictive_reason(data: dict[str, Any]) -> None:
    decision = triage(_case(data))
    if decision.reasons:
        assert decision.decision is DECISION_FOR_KIND[decision.reasons[0].kind]
    else:
        assert str(decision.decision) == "eligible"
    ranks = [KIND_ORDER.index(r.kind) for r in decision.reasons]
    assert ranks == sorted(ranks)


@settings(max_examples=60, deadline=None)
@given(cases())
def test_it_lists_each_code_once_and_only_known_codes(data: dict[str, Any]) -> None:
    decision = triage(_case(data))
    assert len(decision.codes) == len(set(decision.codes))
    assert set(decision.codes) <= set(vocab.CODES)
    assert set(decision.suspected) <= set(vocab.SUSPECTED)
    assert set(decision.suggested_tests) <= set(vocab.TESTS)


@settings(max_examples=40, deadline=None)
@given(cases())
def test_it_is_deterministic_and_independent_of_list_order(data: dict[str, Any]) -> None:
    shuffled = {k: list(reversed(v)) if isinstance(v, list) else v for k, v in data.items()}
    first = json.dumps(triage(_case(data)).to_dict())
    assert first == json.dumps(triage(_case(data)).to_dict())
    assert json.loads(first)["decision"] == triage(_case(shuffled)).to_dict()["decision"]


@settings(max_examples=40, deadline=None)
@given(cases())
def test_it_never_drops_an_unknown_medication(data: dict[str, Any]) -> None:
    decision = triage(_case(data))
    unknown = {
        m["name"] for m in data["medications"] if m["name"] not in DEFAULT_MEDICATION_CLASSES
    }
    assert set(decision.unrecognised_medications) == unknown
