"""Precaution rules: may proceed once a clinician has weighed and acknowledged them (§5).

clinical.md §5.1 builds this list from clinic material (evidence D) and calls it a
screening checklist for clinician review, so the messages say "clinician to decide".
"""

from __future__ import annotations

from mesohair.clinical._rule_base import Hit, Rule, drug_class, meds_of, months, present
from mesohair.clinical.case import Case
from mesohair.clinical.medications import (
    BLEEDING_CLASSES,
    CORTICOSTEROID,
    IMMUNOSUPPRESSANT,
    RETINOID,
)
from mesohair.clinical.triage_settings import TriageSettings
from mesohair.clinical.vocabulary import listing, words

_WEAK = " (clinic checklists, weak evidence; clinician to decide)"


def _current(
    case: Case, s: TriageSettings, classes: frozenset[str] | tuple[str, ...], *, named: bool = True
) -> str:
    """Name current medications of the classes, e.g. 'apixaban (anticoagulant)'."""
    meds = [m for m in meds_of(case, s, classes) if m.current]
    if not named:
        return ", ".join(m.name for m in meds)
    return ", ".join(f"{m.name} ({words(drug_class(m, s) or '')})" for m in meds)


def anticoagulant(case: Case, s: TriageSettings) -> Hit | None:
    """§5.1: anticoagulants and antiplatelets raise the risk of haematoma."""
    drugs = _current(case, s, BLEEDING_CLASSES)
    if not drugs:
        return None
    return Hit(
        "anticoagulant_or_antiplatelet",
        f"Takes {drugs}: more bruising and bleeding (haematoma) from injections. Clinician"
        " clearance needed; the drug must not be stopped without the prescriber.",
    )


def immunosuppression(case: Case, s: TriageSettings) -> Hit | None:
    """§5.1: immunosuppression (transplant drugs, chemotherapy, HIV) raises infection risk."""
    causes = [words(c) for c in present(case, ("immunosuppression", "organ_transplant"))]
    drugs = _current(case, s, (IMMUNOSUPPRESSANT,), named=False)
    if not causes and not drugs:
        return None
    what = ", ".join(causes + ([drugs] if drugs else []))
    return Hit(
        "immunosuppression",
        f"Immunosuppressed ({what}): higher risk of infection after injections. Physician"
        f" clearance needed{_WEAK}.",
    )


def recent_isotretinoin(case: Case, s: TriageSettings) -> Hit | None:
    """§5.1: clinics wait 6–12 months after isotretinoin before needling (healing)."""
    window = s.isotretinoin_window_months
    found = []
    for med in meds_of(case, s, (RETINOID,)):
        stopped = med.stopped_months_ago
        if stopped is None:
            found.append(f"{med.name} taken now")
        elif stopped <= window:
            found.append(f"{med.name} stopped {months(stopped)} ago")
    if not found:
        return None
    return Hit(
        "recent_isotretinoin",
        f"{listing(found).capitalize()}: skin healing may be impaired. Clinics wait 6–12"
        f" months after the last dose before needling, this clinic {months(window)}{_WEAK}.",
    )


def corticosteroids(case: Case, s: TriageSettings) -> Hit | None:
    """§5.1: systemic corticosteroids affect healing and inflammation."""
    drugs = _current(case, s, (CORTICOSTEROID,))
    if not drugs:
        return None
    return Hit(
        "systemic_corticosteroids",
        f"Takes {drugs}: healing and the response to injections may be affected{_WEAK}.",
    )


def under_18(case: Case, s: TriageSettings) -> Hit | None:
    """§5.1: no paediatric safety data; topical minoxidil is contraindicated under 18."""
    if case.age >= s.adult_age:
        return None
    return Hit(
        "under_18",
        f"Age {case.age}, under {s.adult_age}: there are no safety data for mesotherapy in"
        " young people and minoxidil is contraindicated. Clinician and guardian to decide.",
    )


def ingredient_allergy(case: Case, s: TriageSettings) -> Hit | None:
    """§5.1: known allergy to any component (including local anaesthetic, nickel)."""
    if not case.allergies:
        return None
    return Hit(
        "ingredient_allergy",
        f"Allergy recorded: {', '.join(case.allergies)}. Any ingredient, anaesthetic or needle"
        " material that matches must be left out of the formulation.",
    )


def trying_to_conceive(case: Case, s: TriageSettings) -> Hit | None:
    """§5.1–5.2: dutasteride/finasteride endanger a male fetus and may affect sperm."""
    if not case.trying_to_conceive:
        return None
    if case.sex == "female":
        why = "dutasteride and finasteride must not be used (risk to a male fetus)"
    else:
        why = "dutasteride mesotherapy is not recommended (possible effect on sperm)"
    return Hit(
        "trying_to_conceive",
        f"Trying to conceive: {why}. Choose ingredients with this in mind.",
    )


# Precautions raised by the condition of the same name (§5.1), with the reason why.
_CONDITION_REASONS = {
    "bleeding_disorder": "Bleeding disorder: more bleeding and haematoma from injections.",
    "autoimmune_disease": "Autoimmune disease: inflammation after injections is"
    " unpredictable, and lupus can overlap with scarring alopecia.",
    "keloid_tendency": "Keloid or hypertrophic-scar tendency: injections may scar.",
    "active_cancer": "Current or recent cancer: infection risk and drug interactions;"
    " physician clearance needed.",
    "diabetes_uncontrolled": "Uncontrolled diabetes: higher risk of infection and slow healing.",
    "cardiovascular_disease": "Cardiovascular disease: vasodilators such as minoxidil are"
    " contraindicated; physician clearance needed.",
}


def _condition_rule(code: str) -> Rule:
    """Build the rule that raises ``code`` when the condition of that name is recorded."""

    def rule(case: Case, s: TriageSettings) -> Hit | None:
        if code not in case.conditions:
            return None
        return Hit(code, _CONDITION_REASONS[code].rstrip(".") + _WEAK + ".")

    rule.__name__ = code
    rule.__doc__ = f"§5.1: the condition {code!r} is a precaution."
    return rule


PRECAUTION_RULES: tuple[Rule, ...] = (
    anticoagulant,
    immunosuppression,
    recent_isotretinoin,
    corticosteroids,
    under_18,
    ingredient_allergy,
    trying_to_conceive,
    *(_condition_rule(code) for code in _CONDITION_REASONS),
)
