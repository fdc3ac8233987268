"""Plain words for patients: what each triage reason means, without jargon or alarm.

These are explanations only; which reasons apply was decided by the triage engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mesohair.clinical.vocabulary import words

_SEE_A_DOCTOR = (
    "A doctor can look at your scalp more closely and, if needed, do simple tests. "
    "Many of these conditions can be treated, and treating them first gives the best result."
)

PLAIN: Mapping[str, str] = {
    "scarring_alopecia_signs": "We saw some redness or scaling around the hair roots. "
    "A skin doctor (dermatologist) should check this before any treatment of the scalp.",
    "alopecia_areata_signs": "The pattern of your hair loss can have a cause other than "
    "common thinning. A dermatologist can tell the difference and advise you.",
    "tinea_capitis_signs": "Some signs on your scalp can come from a skin infection. "
    "A doctor can check this simply and treat it if needed.",
    "childhood_onset": "Your hair loss began in childhood, which a doctor should look into "
    "before we plan a cosmetic treatment.",
    "systemic_illness_signs": "You told us about a fever or a rash. A doctor should see you "
    "for these first; hair treatments can wait.",
    "traction_or_trichotillomania_signs": "Some hairs look broken in patches. A doctor can "
    "help find out why; this is common and can be helped.",
    "pregnancy": "Scalp injections are not given during pregnancy. We can talk about options "
    "for later.",
    "breastfeeding": "Scalp injections are not given while breastfeeding. We can talk about "
    "options for later.",
    "active_scalp_infection": "Your scalp has an area that should heal before any injection. "
    "Once it has healed we can look again.",
    "telogen_effluvium_suspected": "Extra shedding often follows an event such as childbirth, "
    "illness or stress, and often settles by itself. A few checks help us be sure.",
    "hyperandrogenism_signs": "Some of what you told us can be linked to hormones. "
    "A blood test helps us choose the right treatment for you.",
    "thyroid_symptoms": "Some of what you told us can be linked to the thyroid gland. "
    "A blood test can check this.",
    "iron_deficiency_risk": "Low iron stores can add to hair shedding. A blood test can "
    "check this, and it is easy to treat.",
    "drug_induced_shedding_suspected": "Some medicines can cause shedding for a while. "
    "Please do not stop any medicine yourself; your doctor can advise you.",
}

TEST_WORDS: Mapping[str, str] = {
    "ferritin": "iron stores (ferritin)",
    "cbc": "full blood count",
    "tsh": "thyroid function (TSH)",
    "vitamin_d": "vitamin D",
    "androgen_panel": "hormone levels (androgens)",
    "prolactin": "prolactin (a hormone)",
    "fungal_culture": "a scalp sample to look for a fungal infection",
    "scalp_biopsy": "a small skin sample from the scalp (biopsy)",
    "syphilis_serology": "a blood test for infection (syphilis serology)",
}


def plain_reasons(reasons: Iterable[Mapping[str, Any]]) -> list[str]:
    """Patient-friendly sentences for the non-precaution reasons, each once."""
    found = [
        PLAIN.get(r["code"], words(r["code"]).capitalize() + ".")
        for r in reasons
        if r["kind"] != "precaution"
    ]
    return list(dict.fromkeys(found))


def see_a_doctor() -> str:
    """The closing reassurance of the leaflet."""
    return _SEE_A_DOCTOR


def test_words(code: str) -> str:
    """A suggested test in plain words."""
    return TEST_WORDS.get(code, words(code))
