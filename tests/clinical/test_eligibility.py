"""May the patient proceed to treatment planning?"""

from __future__ import annotations

from mesohair.clinical.eligibility import may_plan_treatment
from mesohair.clinical.triage import Decision

from ._cases import decide

ELIGIBLE = decide(age=40, sex="male")
PRECAUTIONS = decide(medications=[{"name": "warfarin"}], allergies=["lidocaine"])
REFER = decide(findings=["perifollicular_erythema"], medications=[{"name": "warfarin"}])


def test_it_refuses_when_no_assessment_is_recorded() -> None:
    answer = may_plan_treatment(None)
    assert not answer.allowed
    assert "no assessment recorded" in answer.reasons[0].lower()


def test_it_allows_an_eligible_decision() -> None:
    assert may_plan_treatment(ELIGIBLE).allowed


def test_it_refuses_precautions_until_each_is_acknowledged() -> None:
    answer = may_plan_treatment(PRECAUTIONS, {"anticoagulant_or_antiplatelet"})
    assert not answer.allowed
    assert answer.unacknowledged == ("ingredient_allergy",)
    assert "ingredient allergy" in answer.reasons[0]


def test_it_allows_precautions_once_all_are_acknowledged() -> None:
    codes = {"anticoagulant_or_antiplatelet", "ingredient_allergy"}
    assert may_plan_treatment(PRECAUTIONS, codes).allowed


def test_it_refuses_refer_even_with_every_precaution_acknowledged() -> None:
    answer = may_plan_treatment(REFER, {"anticoagulant_or_antiplatelet"})
    assert not answer.allowed
    assert "referral" in answer.reasons[0]
    assert any("scarring alopecia" in reason for reason in answer.reasons)


def test_it_refuses_workup_and_not_eligible_decisions() -> None:
    assert not may_plan_treatment(decide(pregnant=True)).allowed
    assert not may_plan_treatment(decide(labs={"ferritin_ug_l": 5})).allowed


def test_it_allows_an_override_with_a_reason_and_keeps_the_reasons_visible() -> None:
    answer = may_plan_treatment(REFER, override_reason="Biopsy excluded scarring alopecia")
    assert answer.allowed and answer.overridden
    assert "Biopsy excluded" in answer.reasons[0]
    assert any(reason.startswith("Overridden: Signs") for reason in answer.reasons)


def test_it_ignores_an_override_without_a_reason() -> None:
    assert not may_plan_treatment(REFER, override_reason="   ").allowed


def test_it_works_from_a_decision_stored_as_json() -> None:
    stored = Decision.from_dict(PRECAUTIONS.to_dict())
    assert stored == PRECAUTIONS
    assert not may_plan_treatment(stored).allowed
