"""Codes accepted in a triage case and produced in a decision (contracts/triage.md).

Everything here is data: the app uses these tuples for form choices, the validator for
refusing unknown codes, and the engine for the kind and source of each reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

FINDINGS: tuple[str, ...] = (
    "receding_hairline", "crown_thinning", "part_widening", "frontal_accentuation",
    "diffuse_thinning", "hair_diameter_diversity", "vellus_hairs", "yellow_dots",
    "peripilar_sign", "single_hair_units", "patchy_loss", "exclamation_mark_hairs",
    "black_dots", "broken_hairs", "nail_pitting", "perifollicular_erythema",
    "perifollicular_scale", "loss_of_follicular_openings", "pustules", "tufted_hairs",
    "scalp_scaling", "eyebrow_loss", "band_like_frontal_recession",
    "comma_or_corkscrew_hairs", "lymphadenopathy", "open_wound_or_lesion", "folliculitis",
)  # fmt: skip

SYMPTOMS: tuple[str, ...] = (
    "increased_shedding", "scalp_pain", "scalp_burning", "marked_itch", "fatigue",
    "weight_change", "cold_intolerance", "heat_intolerance", "fever", "rash", "heavy_menses",
    "irregular_menses", "acne", "hirsutism", "galactorrhoea", "infertility", "virilization",
)  # fmt: skip

EVENTS: tuple[str, ...] = (
    "childbirth", "major_illness", "surgery", "high_fever", "crash_diet", "severe_stress",
    "started_hormonal_contraception", "stopped_hormonal_contraception", "chemotherapy",
)  # fmt: skip

CONDITIONS: tuple[str, ...] = (
    "bleeding_disorder", "keloid_tendency", "autoimmune_disease", "immunosuppression",
    "organ_transplant", "active_cancer", "diabetes_uncontrolled", "cardiovascular_disease",
    "thyroid_disease", "anaemia", "vegetarian_diet", "active_scalp_infection", "liver_disease",
    "pcos",
)  # fmt: skip

LABS: Mapping[str, str] = MappingProxyType(
    {
        "ferritin_ug_l": "ferritin (µg/L)",
        "tsh_mu_l": "TSH (mU/L)",
        "haemoglobin_g_dl": "haemoglobin (g/dL)",
        "vitamin_d_nmol_l": "25-OH vitamin D (nmol/L)",
        "total_testosterone_nmol_l": "total testosterone (nmol/L)",
    }
)

COURSES: tuple[str, ...] = ("gradual", "rapid", "sudden")

SUSPECTED: tuple[str, ...] = (
    "androgenetic_alopecia", "telogen_effluvium", "alopecia_areata", "cicatricial_alopecia",
    "tinea_capitis", "traction_or_trichotillomania", "hyperandrogenism",
    "drug_induced_effluvium", "thyroid_disease", "iron_deficiency",
)  # fmt: skip

TESTS: tuple[str, ...] = (
    "ferritin", "cbc", "tsh", "vitamin_d", "androgen_panel", "prolactin", "fungal_culture",
    "scalp_biopsy", "syphilis_serology",
)  # fmt: skip


class Kind(StrEnum):
    """Kind of a reason, most restrictive first."""

    RED_FLAG = "red_flag"
    CONTRAINDICATION = "contraindication"
    WORKUP = "workup"
    PRECAUTION = "precaution"


class Outcome(StrEnum):
    """Triage decision, most restrictive first."""

    REFER = "refer"
    NOT_ELIGIBLE = "not_eligible"
    WORKUP_FIRST = "workup_first"
    ELIGIBLE_WITH_PRECAUTIONS = "eligible_with_precautions"
    ELIGIBLE = "eligible"


KIND_ORDER: tuple[Kind, ...] = tuple(Kind)
OUTCOME_ORDER: tuple[Outcome, ...] = tuple(Outcome)
DECISION_FOR_KIND: Mapping[Kind, Outcome] = MappingProxyType(
    {
        Kind.RED_FLAG: Outcome.REFER,
        Kind.CONTRAINDICATION: Outcome.NOT_ELIGIBLE,
        Kind.WORKUP: Outcome.WORKUP_FIRST,
        Kind.PRECAUTION: Outcome.ELIGIBLE_WITH_PRECAUTIONS,
    }
)

# code -> (kind, source). The kind is fixed by the contract; the source is the section of
# clinical.md whose table the rule comes from (checked against clinical.md).
CODES: Mapping[str, tuple[Kind, str]] = MappingProxyType(
    {
        "scarring_alopecia_signs": (Kind.RED_FLAG, "clinical.md §3.2"),
        "alopecia_areata_signs": (Kind.RED_FLAG, "clinical.md §3.2"),
        "tinea_capitis_signs": (Kind.RED_FLAG, "clinical.md §3.2"),
        "childhood_onset": (Kind.RED_FLAG, "clinical.md §3.2"),
        "systemic_illness_signs": (Kind.RED_FLAG, "clinical.md §3.2"),
        "traction_or_trichotillomania_signs": (Kind.RED_FLAG, "clinical.md §3.1"),
        "pregnancy": (Kind.CONTRAINDICATION, "clinical.md §5.1"),
        "breastfeeding": (Kind.CONTRAINDICATION, "clinical.md §5.1"),
        "active_scalp_infection": (Kind.CONTRAINDICATION, "clinical.md §5.1"),
        "telogen_effluvium_suspected": (Kind.WORKUP, "clinical.md §3.2"),
        "hyperandrogenism_signs": (Kind.WORKUP, "clinical.md §3.2"),
        "thyroid_symptoms": (Kind.WORKUP, "clinical.md §3.2"),
        "iron_deficiency_risk": (Kind.WORKUP, "clinical.md §3.3"),
        "drug_induced_shedding_suspected": (Kind.WORKUP, "clinical.md §3.2"),
        "anticoagulant_or_antiplatelet": (Kind.PRECAUTION, "clinical.md §5.1"),
        "bleeding_disorder": (Kind.PRECAUTION, "clinical.md §5.1"),
        "autoimmune_disease": (Kind.PRECAUTION, "clinical.md §5.1"),
        "keloid_tendency": (Kind.PRECAUTION, "clinical.md §5.1"),
        "immunosuppression": (Kind.PRECAUTION, "clinical.md §5.1"),
        "active_cancer": (Kind.PRECAUTION, "clinical.md §5.1"),
        "diabetes_uncontrolled": (Kind.PRECAUTION, "clinical.md §5.1"),
        "cardiovascular_disease": (Kind.PRECAUTION, "clinical.md §5.1"),
        "recent_isotretinoin": (Kind.PRECAUTION, "clinical.md §5.1"),
        "systemic_corticosteroids": (Kind.PRECAUTION, "clinical.md §5.1"),
        "under_18": (Kind.PRECAUTION, "clinical.md §5.1"),
        "ingredient_allergy": (Kind.PRECAUTION, "clinical.md §5.1"),
        # contracts/triage.md cites "(§5.1, §5.2)" for the pregnancy, breastfeeding and
        # trying-to-conceive flags alike; §5.1's table has the conception row, so §5.1 as for
        # the other two flags and every other precaution.
        "trying_to_conceive": (Kind.PRECAUTION, "clinical.md §5.1"),
    }
)

PRECAUTION_CODES: frozenset[str] = frozenset(
    code for code, (kind, _) in CODES.items() if kind is Kind.PRECAUTION
)


# Plain-language phrases for codes whose words alone read badly in a sentence.
PHRASES: Mapping[str, str] = MappingProxyType(
    {
        "pcos": "polycystic ovary syndrome (PCOS)",
        "major_illness": "a major illness",
        "high_fever": "a high fever",
        "crash_diet": "a crash diet",
        "started_hormonal_contraception": "starting hormonal contraception",
        "stopped_hormonal_contraception": "stopping hormonal contraception",
        "irregular_menses": "irregular periods",
        "heavy_menses": "heavy periods",
    }
)


def words(code: str) -> str:
    """Turn a code such as ``perifollicular_erythema`` into plain words."""
    return PHRASES.get(code, code.replace("_", " "))


def listing(codes: list[str] | tuple[str, ...]) -> str:
    """Join codes as plain words: 'a', 'a and b', 'a, b and c'."""
    items = [words(c) for c in codes]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
