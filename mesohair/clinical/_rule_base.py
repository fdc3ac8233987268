"""Shared pieces of the triage rules: the rule result and helpers over a case."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mesohair.clinical.case import Case, Medication
from mesohair.clinical.medications import normalise_name
from mesohair.clinical.triage_settings import TriageSettings


@dataclass(frozen=True)
class Hit:
    """What one rule found: its code, a plain-language message, suspicions and tests."""

    code: str
    message: str
    suspected: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()


Rule = Callable[[Case, TriageSettings], Hit | None]


def present(case: Case, codes: Iterable[str]) -> list[str]:
    """Return the codes found in the case's findings, symptoms or conditions, in given order."""
    recorded = case.findings | case.symptoms | case.conditions
    return [code for code in codes if code in recorded]


def months(value: float) -> str:
    """Format a number of months for a message ('1 month', '2.5 months')."""
    text = f"{value:g}"
    return f"{text} month" if value == 1 else f"{text} months"


def pull_test_positive(case: Case, s: TriageSettings) -> bool:
    """True when the pull test gave more than the normal count at the worst site (§2.3)."""
    test = case.pull_test
    return bool(test and test.extracted is not None and test.extracted > s.pull_test_positive_above)


def shedding(case: Case, s: TriageSettings) -> str | None:
    """Describe the shedding recorded (reported or on pull test), or None if none."""
    parts = []
    if "increased_shedding" in case.symptoms:
        parts.append("increased shedding reported")
    if pull_test_positive(case, s) and case.pull_test is not None:
        grasped = case.pull_test.grasped or 60
        parts.append(f"positive pull test, {case.pull_test.extracted} of ~{grasped} hairs")
    return "; ".join(parts) or None


def drug_class(med: Medication, s: TriageSettings) -> str | None:
    """Return the class of a medication from the settings' table, or None."""
    return s.medication_classes.get(normalise_name(med.name))


def meds_of(case: Case, s: TriageSettings, classes: Iterable[str]) -> list[Medication]:
    """Return the case's medications whose class is one of ``classes``."""
    wanted = set(classes)
    return [m for m in case.medications if drug_class(m, s) in wanted]


def recent_change(med: Medication, window: float) -> str | None:
    """Describe a start, stop or dose change within ``window`` months, or None."""
    for label, value in (
        ("started", med.started_months_ago),
        ("stopped", med.stopped_months_ago),
        ("changed", med.changed_months_ago),
    ):
        if value is not None and value <= window:
            return f"{med.name} {label} {months(value)} ago"
    return None


def undated_note(meds: Iterable[Medication]) -> str:
    """Ask for the dates of medications recorded without any (counted as long-standing)."""
    names = sorted({m.name for m in meds if m.undated})
    if not names:
        return ""
    return (
        f" No date is recorded for {', '.join(names)}, so it was counted as long-standing;"
        " please record when it was started, stopped or changed."
    )


def joined(parts: Iterable[str]) -> str:
    """Join message parts with semicolons."""
    return "; ".join(parts)
