"""One test per rule: each raising condition, and a near miss that must not raise."""

from __future__ import annotations

from typing import Any

import pytest

from mesohair.clinical.vocabulary import CODES, DECISION_FOR_KIND, KIND_ORDER

from ._cases import codes, decide

MALE = {"sex": "male"}
SHED = {"symptoms": ["increased_shedding"]}
PATCHY = "patchy_loss"


def f(*codes: str) -> dict[str, Any]:
    """Findings."""
    return {"findings": list(codes)}


def sx(*codes: str) -> dict[str, Any]:
    """Symptoms."""
    return {"symptoms": list(codes)}


def cond(*codes: str) -> dict[str, Any]:
    """Conditions."""
    return {"conditions": list(codes)}


def med(name: str, **dates: float) -> dict[str, Any]:
    """One medication with optional dates."""
    return {"medications": [{"name": name, **dates}]}


def ev(event: str, months_ago: float) -> dict[str, Any]:
    """One recent event."""
    return {"recent_events": [{"event": event, "months_ago": months_ago}]}


def lab(key: str, value: float) -> dict[str, Any]:
    """One lab value."""
    return {"labs": {key: value}}


def pull(extracted: int, sites: int = 0) -> dict[str, Any]:
    """A ~60-hair pull test."""
    return {"pull_test": {"grasped": 60, "extracted": extracted, "sites_positive": sites}}


HN3 = {"pattern": {"scale": "hamilton_norwood", "grade": "III"}}

# (code, fields that raise it, fields of a near miss that must not raise it)
RULES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("scarring_alopecia_signs", f("perifollicular_erythema"), f("scalp_scaling")),
    ("scarring_alopecia_signs", f("perifollicular_scale"), f("yellow_dots")),
    ("scarring_alopecia_signs", f("loss_of_follicular_openings"), {}),
    ("scarring_alopecia_signs", f("tufted_hairs"), f("pustules")),
    ("scarring_alopecia_signs", f("band_like_frontal_recession", "eyebrow_loss"),
     f("band_like_frontal_recession")),
    ("alopecia_areata_signs", f(PATCHY, "black_dots"), f("black_dots")),
    ("alopecia_areata_signs", f(PATCHY, "nail_pitting"), f(PATCHY)),
    ("alopecia_areata_signs", f(PATCHY, "yellow_dots"), f("yellow_dots")),
    ("alopecia_areata_signs", f("exclamation_mark_hairs"), f("broken_hairs")),
    ("tinea_capitis_signs", f("comma_or_corkscrew_hairs"), f("broken_hairs")),
    ("tinea_capitis_signs", {"age": 15, **f(PATCHY, "scalp_scaling")},
     {"age": 16, **f(PATCHY, "scalp_scaling")}),
    ("tinea_capitis_signs", {**f(PATCHY, "pustules"), **cond("organ_transplant")},
     {**f("pustules"), **cond("organ_transplant")}),
    ("tinea_capitis_signs", f(PATCHY, "scalp_scaling", "lymphadenopathy"),
     f(PATCHY, "lymphadenopathy")),
    ("tinea_capitis_signs", {**f(PATCHY, "scalp_scaling"), **med("tacrolimus")},
     {**f(PATCHY, "scalp_scaling"), **med("tacrolimus", stopped_months_ago=30)}),
    ("traction_or_trichotillomania_signs", f(PATCHY, "broken_hairs"),
     f(PATCHY, "broken_hairs", "exclamation_mark_hairs")),
    ("childhood_onset", {"onset_age": 12}, {"onset_age": 13}),
    ("systemic_illness_signs", sx("fever"), sx("fatigue")),
    ("systemic_illness_signs", sx("rash"), sx("marked_itch")),
    ("pregnancy", {"pregnant": True}, {"pregnant": False, "trying_to_conceive": True}),
    ("breastfeeding", {"breastfeeding": True}, {"breastfeeding": False}),
    ("active_scalp_infection", cond("active_scalp_infection"), {}),
    ("active_scalp_infection", f("folliculitis"), f("scalp_scaling")),
    ("active_scalp_infection", f("open_wound_or_lesion"), {}),
    ("active_scalp_infection", f("pustules"), f("pustules", "tufted_hairs")),
    ("telogen_effluvium_suspected", {**SHED, **ev("surgery", 3)}, {**SHED, **ev("surgery", 7)}),
    ("telogen_effluvium_suspected", {**SHED, **ev("crash_diet", 1)},
     {**SHED, **ev("crash_diet", 0.5)}),
    ("telogen_effluvium_suspected", {**pull(7), **ev("high_fever", 6)},
     {**pull(6), **ev("high_fever", 6)}),
    ("telogen_effluvium_suspected", {"course": "sudden", **pull(9, 2)},
     {"course": "sudden", **pull(9, 1)}),
    ("drug_induced_shedding_suspected", {**SHED, **med("valproate", started_months_ago=6)},
     {**SHED, **med("valproate", started_months_ago=7)}),
    ("drug_induced_shedding_suspected", {**SHED, **med("levonorgestrel", stopped_months_ago=2)},
     med("levonorgestrel", stopped_months_ago=2)),
    ("drug_induced_shedding_suspected", {**SHED, **med("lithium", changed_months_ago=1)},
     {**SHED, **med("lithium")}),
    ("drug_induced_shedding_suspected", {**SHED, **med("propranolol", started_months_ago=2)},
     {**SHED, **med("prednisone", started_months_ago=2)}),
    ("drug_induced_shedding_suspected", {**SHED, **ev("chemotherapy", 12)},
     {**SHED, **ev("chemotherapy", 13)}),
    ("hyperandrogenism_signs", sx("hirsutism"), {**MALE, **sx("hirsutism")}),
    ("hyperandrogenism_signs", sx("virilization"), {}),
    ("hyperandrogenism_signs", sx("galactorrhoea"), {}),
    ("hyperandrogenism_signs", sx("irregular_menses"), sx("heavy_menses")),
    ("hyperandrogenism_signs", cond("pcos"), cond("thyroid_disease")),
    ("hyperandrogenism_signs", sx("acne", "infertility"), sx("acne")),
    ("hyperandrogenism_signs", lab("total_testosterone_nmol_l", 4.1),
     lab("total_testosterone_nmol_l", 4.0)),
    ("hyperandrogenism_signs", {"age": 49, **HN3}, {"age": 50, **HN3}),
    ("thyroid_symptoms", {**SHED, **cond("thyroid_disease")}, cond("thyroid_disease")),
    ("thyroid_symptoms", sx("fatigue", "cold_intolerance"), sx("fatigue")),
    ("thyroid_symptoms", lab("tsh_mu_l", 4.1), lab("tsh_mu_l", 4.0)),
    ("thyroid_symptoms", lab("tsh_mu_l", 0.39), lab("tsh_mu_l", 0.4)),
    ("iron_deficiency_risk", lab("ferritin_ug_l", 29.9), lab("ferritin_ug_l", 30)),
    ("iron_deficiency_risk", lab("haemoglobin_g_dl", 11.9), lab("haemoglobin_g_dl", 12)),
    ("iron_deficiency_risk", {**MALE, **lab("haemoglobin_g_dl", 12.9)},
     {**MALE, **lab("haemoglobin_g_dl", 13)}),
    ("iron_deficiency_risk", {**f("diffuse_thinning"), **sx("heavy_menses")},
     {**f("diffuse_thinning"), **sx("heavy_menses"), **lab("ferritin_ug_l", 80)}),
    ("iron_deficiency_risk", {**SHED, **cond("vegetarian_diet")},
     {**MALE, **SHED, **cond("vegetarian_diet")}),
    ("anticoagulant_or_antiplatelet", med("warfarin"), med("warfarin", stopped_months_ago=1)),
    ("anticoagulant_or_antiplatelet", med("clopidogrel"), med("minoxidil")),
    ("recent_isotretinoin", med("isotretinoin"), {}),
    ("recent_isotretinoin", med("acitretin", stopped_months_ago=12),
     med("acitretin", stopped_months_ago=13)),
    ("systemic_corticosteroids", med("prednisolone"), med("prednisolone", stopped_months_ago=2)),
    ("immunosuppression", med("methotrexate"), med("aspirin")),
    ("immunosuppression", cond("organ_transplant"), cond("liver_disease")),
    ("immunosuppression", cond("immunosuppression"), {}),
    ("under_18", {"age": 17}, {"age": 18}),
    ("ingredient_allergy", {"allergies": ["lidocaine"]}, {"allergies": []}),
    ("trying_to_conceive", {"trying_to_conceive": True}, {}),
    ("trying_to_conceive", {**MALE, "trying_to_conceive": True}, MALE),
    ("bleeding_disorder", cond("bleeding_disorder"), cond("anaemia")),
    ("autoimmune_disease", cond("autoimmune_disease"), {}),
    ("keloid_tendency", cond("keloid_tendency"), {}),
    ("active_cancer", cond("active_cancer"), {}),
    ("diabetes_uncontrolled", cond("diabetes_uncontrolled"), {}),
    ("cardiovascular_disease", cond("cardiovascular_disease"), {}),
]  # fmt: skip


def test_it_has_a_raising_test_for_every_code() -> None:
    assert {code for code, _, _ in RULES} == set(CODES)


@pytest.mark.parametrize(("code", "fields", "near_miss"), RULES)
def test_it_raises_the_rule_and_not_for_the_near_miss(
    code: str, fields: dict[str, Any], near_miss: dict[str, Any]
) -> None:
    assert code in codes(**fields)
    assert code not in codes(**near_miss)


@pytest.mark.parametrize(("code", "fields", "near_miss"), RULES)
def test_it_decides_by_the_kind_of_the_raised_rule(
    code: str, fields: dict[str, Any], near_miss: dict[str, Any]
) -> None:
    decision = decide(**fields)
    reason = next(r for r in decision.reasons if r.code == code)
    assert reason.source.startswith("clinical.md §")
    assert reason.message and reason.message[0].isupper()
    assert reason.kind is CODES[code][0]
    ranks = [KIND_ORDER.index(r.kind) for r in decision.reasons]
    assert ranks == sorted(ranks)
    assert decision.decision is DECISION_FOR_KIND[decision.reasons[0].kind]


def test_it_decides_eligible_when_nothing_is_found() -> None:
    decision = decide(age=40, sex="male")
    assert decision.to_dict() == {
        "decision": "eligible",
        "reasons": [],
        "suspected": [],
        "suggested_tests": [],
        "unrecognised_medications": [],
    }


def test_it_names_the_event_and_months_in_the_telogen_effluvium_message() -> None:
    decision = decide(**SHED, recent_events=[{"event": "childbirth", "months_ago": 3}])
    message = decision.reasons[0].message
    assert "childbirth 3 months ago" in message


def test_it_names_the_drug_in_the_anticoagulant_message() -> None:
    decision = decide(medications=[{"name": "rivaroxaban"}])
    assert "rivaroxaban" in decision.reasons[0].message


def test_it_counts_an_undated_drug_as_long_standing_and_asks_for_the_date() -> None:
    decision = decide(
        **SHED,
        medications=[{"name": "carbamazepine"}, {"name": "lithium", "started_months_ago": 2}],
    )
    reason = next(r for r in decision.reasons if r.code == "drug_induced_shedding_suspected")
    assert "lithium started 2 months ago" in reason.message
    assert "No date is recorded for carbamazepine" in reason.message


def test_it_echoes_unknown_medications_and_never_drops_them() -> None:
    decision = decide(medications=[{"name": "sertraline"}, {"name": "Warfarin"}])
    assert decision.unrecognised_medications == ("sertraline",)
    assert "anticoagulant_or_antiplatelet" in decision.codes


def test_it_suggests_tests_and_suspicions_from_the_vocabularies() -> None:
    decision = decide(findings=["comma_or_corkscrew_hairs", "patchy_loss"], symptoms=["rash"])
    assert decision.suggested_tests == ("fungal_culture", "syphilis_serology")
    assert "tinea_capitis" in decision.suspected


def test_it_suspects_androgenetic_alopecia_from_a_pattern_grade_above_normal() -> None:
    assert "androgenetic_alopecia" in decide(pattern={"scale": "sinclair", "grade": "3"}).suspected
    assert decide(pattern={"scale": "sinclair", "grade": "1"}).suspected == ()


def test_it_says_clinician_to_confirm_where_the_evidence_is_weak() -> None:
    decision = decide(labs={"ferritin_ug_l": 12})
    assert "clinician to confirm" in decision.reasons[0].message


def test_it_reads_thresholds_from_settings() -> None:
    from mesohair.clinical.triage import TriageSettings, triage

    from ._cases import make_case

    case = make_case(labs={"ferritin_ug_l": 35})
    assert "iron_deficiency_risk" not in triage(case).codes
    strict = TriageSettings(ferritin_min_ug_l=40)
    assert "iron_deficiency_risk" in triage(case, strict).codes
