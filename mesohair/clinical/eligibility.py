"""May this patient proceed to treatment planning? (contracts/triage.md, design.md §4).

Planning is allowed when the latest assessment's triage decision is ``eligible``; or
``eligible_with_precautions`` with every precaution acknowledged by the clinician; or when a
clinician has overridden the decision with a recorded reason. The answer always says why,
and an override never hides the reasons it overrides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mesohair.clinical.triage import Decision
from mesohair.clinical.vocabulary import Kind, Outcome, words

_BLOCKED = {
    Outcome.REFER: "Triage advises referral to a physician before any mesotherapy decision",
    Outcome.NOT_ELIGIBLE: "Triage found a contraindication: mesotherapy is not possible now",
    Outcome.WORKUP_FIRST: "Triage asks for a work-up before treatment",
}


@dataclass(frozen=True)
class Eligibility:
    """The answer: ``allowed`` plus plain-language reasons and unacknowledged precautions."""

    allowed: bool
    reasons: tuple[str, ...]
    unacknowledged: tuple[str, ...] = ()
    overridden: bool = False


def may_plan_treatment(
    decision: Decision | None,
    acknowledged: Iterable[str] = (),
    override_reason: str | None = None,
) -> Eligibility:
    """Answer whether treatment planning may start, and why or why not.

    Parameters
    ----------
    decision
        The triage decision of the latest assessment, or None when none is recorded.
    acknowledged
        Precaution codes the clinician has acknowledged.
    override_reason
        The reason of a clinician override; None or blank means no override.
    """
    if decision is None:
        return Eligibility(False, ("No assessment recorded: assess and triage the patient first.",))
    if override_reason is not None and override_reason.strip():
        return _overridden(decision, override_reason.strip())
    if decision.decision in _BLOCKED:
        return _blocked(decision)
    missing = tuple(c for c in decision.codes if c in decision.precaution_codes - set(acknowledged))
    if missing:
        text = f"Precautions not yet acknowledged by a clinician: {', '.join(map(words, missing))}."
        return Eligibility(False, (text,), missing)
    if decision.decision is Outcome.ELIGIBLE_WITH_PRECAUTIONS:
        return Eligibility(True, ("Eligible; every precaution has been acknowledged.",))
    return Eligibility(True, ("Eligible: triage found no reason to wait.",))


def _blocked(decision: Decision) -> Eligibility:
    """Not allowed: list the reasons of the most restrictive kind first."""
    head = _BLOCKED[decision.decision] + " (a clinician may override with a recorded reason)."
    details = tuple(r.message for r in decision.reasons if r.kind is not Kind.PRECAUTION)
    return Eligibility(False, (head, *details))


def _overridden(decision: Decision, reason: str) -> Eligibility:
    """Allowed by a clinician override; the overridden reasons stay visible."""
    head = f"Clinician override recorded: {reason}"
    details = tuple(f"Overridden: {r.message}" for r in decision.reasons)
    return Eligibility(True, (head, *details), overridden=True)
