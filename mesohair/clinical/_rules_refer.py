"""Red-flag rules (refer) and contraindications (not eligible now).

Red flags (clinical.md §3.1–3.2) mean another diagnosis is likely and a physician should
see the patient before any mesotherapy decision. Contraindications (§5.1) mean "not now".
"""

from __future__ import annotations

from mesohair.clinical._rule_base import Hit, Rule, meds_of, present
from mesohair.clinical.case import Case
from mesohair.clinical.medications import IMMUNOSUPPRESSANT
from mesohair.clinical.triage_settings import TriageSettings
from mesohair.clinical.vocabulary import listing

_SCARRING_SIGNS = (
    "perifollicular_erythema", "perifollicular_scale", "loss_of_follicular_openings",
    "tufted_hairs",
)  # fmt: skip
_AA_COMPANIONS = ("exclamation_mark_hairs", "black_dots", "nail_pitting", "yellow_dots")


def scarring_signs(case: Case) -> list[str]:
    """Findings that point to a scarring alopecia (§3.1: LPP, FFA, DLE, FD)."""
    signs = present(case, _SCARRING_SIGNS)
    # §3.1: frontal fibrosing alopecia gives band-like frontal recession with eyebrow loss.
    if {"band_like_frontal_recession", "eyebrow_loss"} <= case.findings:
        signs += ["band_like_frontal_recession", "eyebrow_loss"]
    return signs


def scarring_alopecia(case: Case, s: TriageSettings) -> Hit | None:
    """§3.2: perifollicular redness, scale, lost openings, tufts: refer urgently, do not inject."""
    signs = scarring_signs(case)
    if not signs:
        return None
    felt = present(case, ("scalp_pain", "scalp_burning", "marked_itch"))
    extra = f" The reported {listing(felt)} fit this picture." if felt else ""
    return Hit(
        "scarring_alopecia_signs",
        f"Signs of a possible scarring alopecia: {listing(signs)}.{extra} Refer urgently to a"
        " dermatologist, usually for a scalp biopsy; do not inject meanwhile.",
        ("cicatricial_alopecia",),
        ("scalp_biopsy",),
    )


def alopecia_areata(case: Case, s: TriageSettings) -> Hit | None:
    """§3.1–3.2: patches with exclamation-mark hairs, black dots, pitting or yellow dots."""
    companions = present(case, _AA_COMPANIONS)
    patchy = "patchy_loss" in case.findings
    if not (patchy and companions) and "exclamation_mark_hairs" not in case.findings:
        return None
    signs = (["patchy_loss"] if patchy else []) + companions
    return Hit(
        "alopecia_areata_signs",
        f"Signs of possible alopecia areata: {listing(signs)}. Refer to a dermatologist:"
        " mesotherapy aimed at pattern hair loss is not the right treatment for it.",
        ("alopecia_areata",),
    )


def _tinea_risk(case: Case, s: TriageSettings) -> str | None:
    """§3.2: tinea capitis is mostly seen in children and immunosuppressed adults."""
    if case.age < s.tinea_child_age_below:
        return f"a child aged {case.age}"
    weak = present(case, ("immunosuppression", "organ_transplant"))
    drugs = [m.name for m in meds_of(case, s, (IMMUNOSUPPRESSANT,)) if m.current]
    if weak or drugs:
        return f"an immunosuppressed patient ({listing(weak + drugs)})"
    if "lymphadenopathy" in case.findings:
        return "swollen lymph nodes"
    return None


def tinea_capitis(case: Case, s: TriageSettings) -> Hit | None:
    """§3.1–3.2: comma/corkscrew hairs, or scaly/pustular patches in someone at risk."""
    if "comma_or_corkscrew_hairs" in case.findings:
        what = "Comma or corkscrew hairs on trichoscopy"
    else:
        lesions = present(case, ("scalp_scaling", "pustules"))
        risk = _tinea_risk(case, s)
        if "patchy_loss" not in case.findings or not lesions or risk is None:
            return None
        what = f"Patchy loss with {listing(lesions)} in {risk}"
    return Hit(
        "tinea_capitis_signs",
        f"{what} suggest a fungal scalp infection (tinea capitis). See a physician for a"
        " fungal scraping or culture; it needs systemic treatment, and infected skin must"
        " not be injected.",
        ("tinea_capitis",),
        ("fungal_culture",),
    )


def traction_or_trichotillomania(case: Case, s: TriageSettings) -> Hit | None:
    """§3.1: broken hairs in irregular patches, without the exclamation-mark hairs of AA."""
    wanted = {"broken_hairs", "patchy_loss"}
    if not wanted <= case.findings or "exclamation_mark_hairs" in case.findings:
        return None
    return Hit(
        "traction_or_trichotillomania_signs",
        "Broken hairs in patches, without exclamation-mark hairs, suggest traction alopecia"
        " (from hairstyles) or hair pulling (trichotillomania). Refer to a dermatologist to"
        " confirm; mesotherapy does not address the cause.",
        ("traction_or_trichotillomania",),
    )


def childhood_onset(case: Case, s: TriageSettings) -> Hit | None:
    """§3.2: pattern hair loss begins after puberty, so early onset suggests another cause."""
    if case.onset_age is None or case.onset_age > s.childhood_onset_max_age:
        return None
    return Hit(
        "childhood_onset",
        f"Hair loss began at age {case.onset_age}, in childhood or early adolescence. Pattern"
        " hair loss begins after puberty, so another diagnosis is more likely: dermatology"
        " assessment first.",
    )


def systemic_illness(case: Case, s: TriageSettings) -> Hit | None:
    """§3.2: fever or rash now suggests systemic disease, including secondary syphilis."""
    signs = present(case, ("fever", "rash"))
    if not signs:
        return None
    return Hit(
        "systemic_illness_signs",
        f"{listing(signs).capitalize()} reported now: possible systemic illness (including"
        " secondary syphilis). See a GP for a medical work-up before any mesotherapy decision.",
        (),
        ("syphilis_serology",) if "rash" in signs else (),
    )


def pregnancy(case: Case, s: TriageSettings) -> Hit | None:
    """§5.1–5.2: unknown fetal exposure; dutasteride and finasteride endanger a male fetus."""
    if not case.pregnant:
        return None
    return Hit(
        "pregnancy",
        "Pregnant: no mesotherapy now. What injected drugs do to the baby is unknown, and"
        " dutasteride and finasteride can harm a male fetus. Reassess after pregnancy.",
    )


def breastfeeding(case: Case, s: TriageSettings) -> Hit | None:
    """§5.1–5.2: unknown infant exposure; minoxidil is contraindicated while breastfeeding."""
    if not case.breastfeeding:
        return None
    return Hit(
        "breastfeeding",
        "Breastfeeding: no mesotherapy now. What injected drugs do to the baby is unknown,"
        " and minoxidil is contraindicated while breastfeeding. Reassess after weaning.",
    )


def active_scalp_infection(case: Case, s: TriageSettings) -> Hit | None:
    """§5.1: defer injections into infected or broken skin until healed (spread of infection)."""
    signs = present(case, ("active_scalp_infection", "folliculitis", "open_wound_or_lesion"))
    # Pustules with scarring signs point to folliculitis decalvans, a red flag instead (§3.1).
    if "pustules" in case.findings and not scarring_signs(case):
        signs.append("pustules")
    if not signs:
        return None
    return Hit(
        "active_scalp_infection",
        f"Active scalp infection or broken skin ({listing(signs)}): no injections until it has"
        " healed, so as not to spread infection.",
    )


REFER_RULES: tuple[Rule, ...] = (
    scarring_alopecia,
    alopecia_areata,
    tinea_capitis,
    childhood_onset,
    systemic_illness,
    traction_or_trichotillomania,
    pregnancy,
    breastfeeding,
    active_scalp_infection,
)
