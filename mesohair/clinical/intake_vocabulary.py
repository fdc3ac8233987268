"""Coded vocabulary of the intake history, with plain-language labels.

The codes are exactly those of the triage contract (contracts/triage.md), so
that an intake recorded in the clinic becomes a triage case without retyping.
A test checks that these codes and the triage engine's stay the same.
"""

from __future__ import annotations

COURSES: dict[str, str] = {
    "gradual": "Gradual, over years",
    "rapid": "Rapid, over months",
    "sudden": "Sudden, over weeks",
}

SYMPTOMS: dict[str, str] = {
    "increased_shedding": "Increased shedding",
    "scalp_pain": "Scalp pain",
    "scalp_burning": "Scalp burning",
    "marked_itch": "Marked itch",
    "fatigue": "Fatigue",
    "weight_change": "Weight change",
    "cold_intolerance": "Cold intolerance",
    "heat_intolerance": "Heat intolerance",
    "fever": "Fever",
    "rash": "Rash",
    "heavy_menses": "Heavy menstrual bleeding",
    "irregular_menses": "Irregular periods",
    "acne": "Acne",
    "hirsutism": "Excess body or facial hair (hirsutism)",
    "galactorrhoea": "Milky nipple discharge (galactorrhoea)",
    "infertility": "Infertility",
    "virilization": "Virilisation (deepening voice, clitoromegaly …)",
}

# Symptoms that only apply to people born female (hidden for males in forms).
FEMALE_ONLY_SYMPTOMS = frozenset({"heavy_menses", "irregular_menses", "galactorrhoea"})

CONDITIONS: dict[str, str] = {
    "bleeding_disorder": "Bleeding disorder",
    "keloid_tendency": "Keloid or hypertrophic scar tendency",
    "autoimmune_disease": "Autoimmune disease",
    "immunosuppression": "Immunosuppression",
    "organ_transplant": "Organ transplant",
    "active_cancer": "Active cancer",
    "diabetes_uncontrolled": "Uncontrolled diabetes",
    "cardiovascular_disease": "Cardiovascular disease",
    "thyroid_disease": "Thyroid disease",
    "anaemia": "Anaemia",
    "vegetarian_diet": "Vegetarian or vegan diet",
    "active_scalp_infection": "Active scalp infection",
    "liver_disease": "Liver disease",
    "pcos": "Polycystic ovary syndrome (PCOS)",
}

EVENTS: dict[str, str] = {
    "childbirth": "Childbirth",
    "major_illness": "Major illness",
    "surgery": "Surgery",
    "high_fever": "High fever",
    "crash_diet": "Crash diet or rapid weight loss",
    "severe_stress": "Severe emotional stress",
    "started_hormonal_contraception": "Started hormonal contraception",
    "stopped_hormonal_contraception": "Stopped hormonal contraception",
    "chemotherapy": "Chemotherapy",
}

FAMILY_HISTORY: dict[str, str] = {
    "father": "Father",
    "mother": "Mother",
    "sibling": "Brother or sister",
    "paternal_grandparent": "Paternal grandparent",
    "maternal_grandparent": "Maternal grandparent",
    "none_known": "None known",
}

PRIOR_TREATMENTS: dict[str, str] = {
    "minoxidil_topical": "Minoxidil, topical",
    "minoxidil_oral": "Minoxidil, oral",
    "finasteride": "Finasteride",
    "dutasteride": "Dutasteride",
    "spironolactone": "Spironolactone",
    "prp": "Platelet-rich plasma (PRP)",
    "mesotherapy": "Mesotherapy",
    "low_level_light": "Low-level light therapy",
    "hair_transplant": "Hair transplant",
    "supplements": "Supplements",
    "other": "Other",
}

TREATMENT_RESULTS: dict[str, str] = {
    "improved": "Improved",
    "stable": "Stopped getting worse",
    "no_effect": "No effect",
    "worse": "Worse",
    "side_effects": "Stopped for side effects",
    "unknown": "Not known",
}
