"""Synthetic demo patients: deterministic profiles covering the triage paths.

Each profile is a plain dict so the demo loader, the tests and (later) the
assessment seeding read the same data. Months are counted back from the day
the demo is loaded. All names are invented.
"""

from __future__ import annotations

from typing import Any

Profile = dict[str, Any]

# Classic pattern hair loss, eligible.
_CLASSIC: list[Profile] = [
    {"family": "Serrano", "given": "Pablo", "sex": "male", "age": 31, "onset": 24,
     "course": "gradual", "family_history": ["father"], "pattern": ("hamilton_norwood", "III"),
     "findings": ["receding_hairline", "hair_diameter_diversity"]},
    {"family": "Okafor", "given": "Daniel", "sex": "male", "age": 27, "onset": 22,
     "course": "gradual", "family_history": ["father", "paternal_grandparent"],
     "pattern": ("hamilton_norwood", "III vertex"), "findings": ["crown_thinning"]},
    {"family": "Lindqvist", "given": "Erik", "sex": "male", "age": 44, "onset": 30,
     "course": "gradual", "pattern": ("hamilton_norwood", "V"),
     "findings": ["receding_hairline", "crown_thinning", "vellus_hairs"],
     "treatments": [("finasteride", "improved", 60, 24)]},
    {"family": "Moreau", "given": "Claire", "sex": "female", "age": 38, "onset": 33,
     "course": "gradual", "family_history": ["mother"], "pattern": ("ludwig", "I"),
     "findings": ["part_widening", "hair_diameter_diversity"],
     "labs": [("ferritin", 62, "µg/L", 2), ("tsh", 1.8, "mU/L", 2)]},
    {"family": "Rossi", "given": "Giulia", "sex": "female", "age": 46, "onset": 39,
     "course": "gradual", "pattern": ("sinclair", "3"),
     "findings": ["part_widening", "frontal_accentuation"],
     "labs": [("ferritin", 48, "ng/mL", 1)]},
    {"family": "Nakamura", "given": "Kenji", "sex": "male", "age": 35, "onset": 28,
     "course": "gradual", "pattern": ("basp", "M2V1"), "findings": ["receding_hairline"]},
    {"family": "García", "given": "Lucía", "sex": "female", "age": 52, "onset": 47,
     "course": "gradual", "pattern": ("savin", "I-3"), "findings": ["part_widening"],
     "labs": [("ferritin", 85, "µg/L", 3), ("haemoglobin", 13.4, "g/dL", 3)]},
    {"family": "Novak", "given": "Tomas", "sex": "male", "age": 23, "onset": 19,
     "course": "gradual", "pattern": ("hamilton_norwood", "IIa"),
     "findings": ["receding_hairline"], "treatments": [("minoxidil_topical", "stable", 18, 6)]},
    {"family": "Haddad", "given": "Samir", "sex": "male", "age": 39, "onset": 29,
     "course": "gradual", "pattern": ("hamilton_norwood", "IV"),
     "findings": ["receding_hairline", "crown_thinning"]},
    {"family": "Brennan", "given": "Aoife", "sex": "female", "age": 58, "onset": 51,
     "course": "gradual", "pattern": ("ludwig", "II"), "findings": ["crown_thinning"],
     "labs": [("ferritin", 70, "µg/L", 4), ("tsh", 2.4, "mU/L", 4)]},
]

# Warning signs: see a doctor first.
_REFER: list[Profile] = [
    {"family": "Whitfield", "given": "Margaret", "sex": "female", "age": 48,
     "pattern": ("ludwig", "I"), "symptoms": ["scalp_burning", "marked_itch"],
     "findings": ["perifollicular_erythema", "perifollicular_scale",
                  "loss_of_follicular_openings"],
     "notes": "Itchy, burning vertex for 6 months."},
    {"family": "Kowalski", "given": "Anna", "sex": "female", "age": 61,
     "findings": ["band_like_frontal_recession", "eyebrow_loss"],
     "notes": "Frontal hairline receding in a band; eyebrows thinning."},
    {"family": "Dubois", "given": "Marc", "sex": "male", "age": 29, "course": "sudden",
     "findings": ["patchy_loss", "exclamation_mark_hairs"],
     "notes": "Round bald patch noticed 6 weeks ago."},
    {"family": "Mensah", "given": "Kofi", "sex": "male", "age": 33, "course": "rapid",
     "findings": ["patchy_loss", "black_dots", "nail_pitting"]},
    {"family": "Ibrahim", "given": "Yusuf", "sex": "male", "age": 26, "onset": 10,
     "course": "gradual", "pattern": ("hamilton_norwood", "III")},
]

# Work-up first: shedding after a trigger, hormones, thyroid, iron.
_WORKUP: list[Profile] = [
    {"family": "Silva", "given": "Mariana", "sex": "female", "age": 30, "course": "sudden",
     "symptoms": ["increased_shedding"], "events": [("childbirth", 3)],
     "findings": ["diffuse_thinning"], "pull_test": (60, 14, 4)},
    {"family": "Patel", "given": "Priya", "sex": "female", "age": 24, "onset": 20,
     "course": "gradual", "symptoms": ["acne", "hirsutism", "irregular_menses"],
     "pattern": ("ludwig", "II"), "findings": ["part_widening", "crown_thinning"]},
    {"family": "Schmidt", "given": "Katrin", "sex": "female", "age": 42, "course": "rapid",
     "symptoms": ["increased_shedding", "fatigue", "cold_intolerance"],
     "conditions": ["thyroid_disease"], "labs": [("tsh", 7.9, "mU/L", 1)],
     "findings": ["diffuse_thinning"]},
    {"family": "Laurent", "given": "Sophie", "sex": "female", "age": 35, "course": "gradual",
     "symptoms": ["increased_shedding", "heavy_menses"], "conditions": ["vegetarian_diet"],
     "labs": [("ferritin", 12, "µg/L", 1), ("haemoglobin", 11.2, "g/dL", 1)],
     "findings": ["diffuse_thinning"]},
    {"family": "Andersen", "given": "Mette", "sex": "female", "age": 28, "course": "sudden",
     "symptoms": ["increased_shedding"], "events": [("crash_diet", 4)],
     "findings": ["diffuse_thinning"], "pull_test": (60, 9, 2)},
    {"family": "Costa", "given": "Rafael", "sex": "male", "age": 50, "course": "sudden",
     "symptoms": ["increased_shedding"], "medications": [("metoprolol", "50 mg daily", 3, None)],
     "findings": ["diffuse_thinning"], "pull_test": (60, 8, 1)},
]

# Contraindications (not now) and precautions (with clinician clearance).
_CAUTION: list[Profile] = [
    {"family": "Fischer", "given": "Lena", "sex": "female", "age": 32, "pregnant": True,
     "pattern": ("ludwig", "I"), "findings": ["part_widening"]},
    {"family": "Ortega", "given": "Isabel", "sex": "female", "age": 34, "breastfeeding": True,
     "pattern": ("ludwig", "I"), "findings": ["part_widening"]},
    {"family": "Kaya", "given": "Emre", "sex": "male", "age": 41, "conditions":
     ["active_scalp_infection"], "pattern": ("hamilton_norwood", "IV"),
     "findings": ["folliculitis"]},
    {"family": "Jensen", "given": "Henrik", "sex": "male", "age": 58,
     "pattern": ("hamilton_norwood", "IV"), "findings": ["receding_hairline", "crown_thinning"],
     "medications": [("apixaban", "5 mg twice daily", 30, None)],
     "conditions": ["cardiovascular_disease"]},
    {"family": "Murphy", "given": "Sean", "sex": "male", "age": 36,
     "pattern": ("hamilton_norwood", "III"), "findings": ["receding_hairline"],
     "allergies": [("lidocaine", "Hives after dental anaesthetic")]},
    {"family": "Tanaka", "given": "Yui", "sex": "female", "age": 29, "onset": 25,
     "course": "gradual", "trying_to_conceive": True, "pattern": ("ludwig", "I"),
     "findings": ["part_widening"], "labs": [("ferritin", 55, "µg/L", 2)]},
    {"family": "Petrov", "given": "Dmitri", "sex": "male", "age": 17, "onset": 15,
     "course": "gradual", "pattern": ("hamilton_norwood", "II")},
    {"family": "Hughes", "given": "Olivia", "sex": "female", "age": 45, "onset": 40,
     "course": "gradual", "conditions": ["keloid_tendency"], "pattern": ("ludwig", "I"),
     "findings": ["part_widening"], "labs": [("ferritin", 40, "µg/L", 2)]},
    {"family": "Ahmed", "given": "Nadia", "sex": "female", "age": 33, "onset": 28,
     "course": "gradual", "medications": [("isotretinoin", "20 mg daily", 10, 5)],
     "pattern": ("ludwig", "I"), "findings": ["part_widening"],
     "labs": [("ferritin", 45, "µg/L", 1)]},
]

PROFILES: list[Profile] = _CLASSIC + _REFER + _WORKUP + _CAUTION
