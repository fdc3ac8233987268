"""Work-up rules: a treatable cause of hair loss to look for before mesotherapy (§3.1–3.3)."""

from __future__ import annotations

from mesohair.clinical._rule_base import (
    Hit,
    Rule,
    joined,
    meds_of,
    months,
    present,
    recent_change,
    shedding,
    undated_note,
)
from mesohair.clinical.case import Case
from mesohair.clinical.medications import SHEDDING_CLASSES
from mesohair.clinical.triage_settings import TriageSettings
from mesohair.clinical.vocabulary import listing, words

_BIOTIN = " High-dose biotin supplements can distort this test (§3.3): ask about them."


def _triggers(case: Case, s: TriageSettings) -> list[str]:
    """Events in the trigger window, e.g. 'childbirth 3 months ago'."""
    low, high = s.trigger_min_months, s.trigger_max_months
    return [
        f"{words(e.event)} {months(e.months_ago)} ago"
        for e in case.recent_events
        if low <= e.months_ago <= high
    ]


def telogen_effluvium(case: Case, s: TriageSettings) -> Hit | None:
    """§3.1–3.2: diffuse shedding 2–4 months after a trigger, or sudden with a diffuse pull test."""
    shed = shedding(case, s)
    if shed is None:
        return None
    triggers = _triggers(case, s)
    sites = case.pull_test.sites_positive if case.pull_test else None
    diffuse = case.course == "sudden" and (sites or 0) >= s.te_min_sites_positive
    if triggers:
        why = f"after {listing(triggers)} (shedding usually starts 2–4 months after a trigger)"
    elif diffuse:
        why = f"of sudden onset, with a positive pull test at {sites} scalp sites"
    else:
        return None
    # The drug rule asks for missing dates itself when it is raised; ask only once.
    undated = [] if _recent_drugs(case, s) else meds_of(case, s, SHEDDING_CLASSES)
    note = undated_note(undated)
    return Hit(
        "telogen_effluvium_suspected",
        f"Shedding ({shed}) {why}: possible telogen effluvium. Defer elective injections;"
        f" find and remove the trigger and check ferritin, blood count and TSH.{note}",
        ("telogen_effluvium",),
        # contracts/triage.md, "Decision (output)" example: ["ferritin", "tsh", "cbc"].
        ("ferritin", "tsh", "cbc"),
    )


def _recent_drugs(case: Case, s: TriageSettings) -> list[str]:
    """Shedding-class drugs started, stopped or changed in the window, and recent chemo."""
    found = [recent_change(m, s.drug_window_months) for m in meds_of(case, s, SHEDDING_CLASSES)]
    # contracts/triage.md names one event for this rule: "or event `chemotherapy` ≤ 12 months
    # ago". The events started/stopped_hormonal_contraception are trigger events of the
    # telogen-effluvium rule; a hormonal contraceptive counts here when it is recorded as a
    # medication with its dates.
    found += [
        f"{words(e.event)} {months(e.months_ago)} ago"
        for e in case.recent_events
        if e.event == "chemotherapy" and e.months_ago <= s.chemotherapy_window_months
    ]
    return [text for text in found if text]


def drug_induced_shedding(case: Case, s: TriageSettings) -> Hit | None:
    """§3.1–3.2: shedding with a recent change of a drug known to cause it: review, defer."""
    shed = shedding(case, s)
    drugs = _recent_drugs(case, s)
    if shed is None or not drugs:
        return None
    note = undated_note(meds_of(case, s, SHEDDING_CLASSES))
    return Hit(
        "drug_induced_shedding_suspected",
        f"Shedding ({shed}) with {listing(drugs)}: possible drug-induced hair shedding. Review"
        " the medication with the prescriber (never stop it on your own) and defer injections."
        f"{note}",
        ("drug_induced_effluvium",),
    )


def _androgen_signs(case: Case, s: TriageSettings) -> list[str]:
    """§3.2–3.3: clinical and laboratory signs of androgen excess in a woman."""
    signs = [words(c) for c in present(case, ("hirsutism", "virilization", "galactorrhoea"))]
    signs += [words(c) for c in present(case, ("irregular_menses", "pcos"))]
    others = present(case, ("infertility",)) + (["rapid course"] if case.course == "rapid" else [])
    if "acne" in case.symptoms and (signs or others):
        signs.append(f"acne with {listing(others)}" if others else "acne")
    testosterone = case.lab("total_testosterone_nmol_l")
    limit = s.testosterone_uln_nmol_l * s.testosterone_uln_multiple
    if testosterone is not None and testosterone > limit:
        signs.append(
            f"total testosterone {testosterone:g} nmol/L, above {s.testosterone_uln_multiple:g}×"
            f" the upper limit ({s.testosterone_uln_nmol_l:g} nmol/L): a tumour alert, so"
            " arrange imaging promptly"
        )
    pattern = case.pattern
    if pattern and pattern.scale == "hamilton_norwood" and case.age < s.premenopausal_age_below:
        signs.append(
            f"a male-type pattern (Hamilton–Norwood {pattern.grade}) at age {case.age} (age"
            f" under {s.premenopausal_age_below} stands in for premenopausal; clinician to confirm)"
        )
    return signs


def hyperandrogenism(case: Case, s: TriageSettings) -> Hit | None:
    """§3.2–3.3: endocrine work-up before or alongside treatment in women with these signs."""
    if case.sex != "female":
        return None
    signs = _androgen_signs(case, s)
    if not signs:
        return None
    prolactin = present(case, ("galactorrhoea", "irregular_menses", "infertility"))
    return Hit(
        "hyperandrogenism_signs",
        f"Possible androgen excess: {joined(signs)}. Endocrine work-up (androgen panel, early"
        " morning, early in the cycle) before or alongside hair-loss treatment; most women with"
        " pattern hair loss have normal androgens.",
        ("hyperandrogenism",),
        ("androgen_panel", "prolactin") if prolactin else ("androgen_panel",),
    )


def _thyroid_signs(case: Case, s: TriageSettings) -> list[str]:
    signs = []
    if "thyroid_disease" in case.conditions and shedding(case, s):
        signs.append("known thyroid disease with shedding")
    symptoms = present(case, ("fatigue", "cold_intolerance", "heat_intolerance", "weight_change"))
    if len(symptoms) >= s.thyroid_min_symptoms:
        signs.append(listing(symptoms))
    tsh = case.lab("tsh_mu_l")
    if tsh is not None and not s.tsh_low_mu_l <= tsh <= s.tsh_high_mu_l:
        signs.append(
            f"TSH {tsh:g} mU/L outside {s.tsh_low_mu_l:g}–{s.tsh_high_mu_l:g} mU/L (a default"
            " range, not from clinical.md: use your laboratory's range)"
        )
    return signs


def thyroid_symptoms(case: Case, s: TriageSettings) -> Hit | None:
    """§3.2–3.3: thyroid disease causes shedding; check TSH (± free T4) first."""
    signs = _thyroid_signs(case, s)
    if not signs:
        return None
    return Hit(
        "thyroid_symptoms",
        f"Possible thyroid problem: {joined(signs)}. Thyroid disease can cause or worsen"
        f" shedding: check TSH (± free T4) before treatment.{_BIOTIN}",
        ("thyroid_disease",),
        ("tsh",),
    )


def _iron_signs(case: Case, s: TriageSettings) -> list[str]:
    signs = []
    ferritin = case.lab("ferritin_ug_l")
    if ferritin is not None and ferritin < s.ferritin_min_ug_l:
        signs.append(
            f"ferritin {ferritin:g} µg/L, below {s.ferritin_min_ug_l:g} µg/L (published cut-offs"
            " range from 10 to 60; clinician to confirm)"
        )
    female = case.sex == "female"
    hb = case.lab("haemoglobin_g_dl")
    hb_min = s.haemoglobin_min_female_g_dl if female else s.haemoglobin_min_male_g_dl
    if hb is not None and hb < hb_min:
        signs.append(f"haemoglobin {hb:g} g/dL, below {hb_min:g} g/dL")
    thinning = "diffuse_thinning" in case.findings or shedding(case, s)
    risks = present(case, ("heavy_menses", "vegetarian_diet", "anaemia"))
    if female and thinning and risks and ferritin is None:
        signs.append(f"diffuse thinning or shedding with {listing(risks)}, and no ferritin yet")
    return signs


def iron_deficiency(case: Case, s: TriageSettings) -> Hit | None:
    """§3.2–3.3: iron deficiency can blunt the response; ferritin and blood count first."""
    signs = _iron_signs(case, s)
    if not signs:
        return None
    # §3.2: in men and postmenopausal women, look for a source of gut blood loss.
    gut = case.sex == "male" or case.age >= s.premenopausal_age_below
    extra = " In men and postmenopausal women, look for a source of blood loss." if gut else ""
    return Hit(
        "iron_deficiency_risk",
        f"Possible iron deficiency: {joined(signs)}. Check ferritin (repeat if not recent)"
        f" and a full blood count; the benefit of iron for hair without anaemia is unproven."
        f"{extra}",
        ("iron_deficiency",),
        ("ferritin", "cbc"),
    )


WORKUP_RULES: tuple[Rule, ...] = (
    telogen_effluvium,
    hyperandrogenism,
    thyroid_symptoms,
    iron_deficiency,
    drug_induced_shedding,
)
