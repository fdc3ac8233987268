"""The triage case (input) and its validation (contracts/triage.md, "Case").

:func:`validate_case` turns decoded JSON into a frozen :class:`Case` or a list of problems,
each naming its place (``case.pattern.grade: …``). Unknown keys and codes, wrong types
(booleans are not numbers), negative numbers, and pregnancy or breastfeeding recorded for a
male are problems. Unknown medication and allergy names are not: they are kept as given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mesohair.clinical import vocabulary as vocab
from mesohair.clinical._checks import Checker
from mesohair.clinical.scales import SCALES, SEXES, GradeError, Sex, get_scale


@dataclass(frozen=True)
class Pattern:
    """A scale and a grade on it."""

    scale: str
    grade: str


@dataclass(frozen=True)
class PullTest:
    """Pull test: hairs grasped, extracted at the worst site, sites with more than 6."""

    grasped: int | None = None
    extracted: int | None = None
    sites_positive: int | None = None


@dataclass(frozen=True)
class Event:
    """A recent event and how many months ago it happened."""

    event: str
    months_ago: float


@dataclass(frozen=True)
class Medication:
    """A medication by generic name, with optional dates in months before today."""

    name: str
    started_months_ago: float | None = None
    stopped_months_ago: float | None = None
    changed_months_ago: float | None = None

    @property
    def current(self) -> bool:
        """True unless a stop date is recorded."""
        return self.stopped_months_ago is None

    @property
    def undated(self) -> bool:
        """True when no date at all is recorded (counted as long-standing)."""
        dates = (self.started_months_ago, self.stopped_months_ago, self.changed_months_ago)
        return all(d is None for d in dates)


@dataclass(frozen=True)
class Case:
    """A validated triage case."""

    age: int
    sex: Sex
    pregnant: bool = False
    breastfeeding: bool = False
    trying_to_conceive: bool = False
    onset_age: int | None = None
    course: str | None = None
    pattern: Pattern | None = None
    findings: frozenset[str] = frozenset()
    symptoms: frozenset[str] = frozenset()
    pull_test: PullTest | None = None
    recent_events: tuple[Event, ...] = ()
    medications: tuple[Medication, ...] = ()
    conditions: frozenset[str] = frozenset()
    allergies: tuple[str, ...] = ()
    labs: Mapping[str, float] | None = None

    def lab(self, key: str) -> float | None:
        """Return a lab value, or None when not recorded."""
        return None if self.labs is None else self.labs.get(key)


_CASE_KEYS = (
    "age", "sex", "pregnant", "breastfeeding", "trying_to_conceive", "onset_age", "course",
    "pattern", "findings", "symptoms", "pull_test", "recent_events", "medications",
    "conditions", "allergies", "labs",
)  # fmt: skip
_MED_KEYS = ("name", "started_months_ago", "stopped_months_ago", "changed_months_ago")


def validate_case(obj: object, place: str = "case") -> tuple[Case | None, list[str]]:
    """Validate decoded JSON as a case; return ``(case, [])`` or ``(None, problems)``."""
    check = Checker()
    fields = _case_fields(check, obj, place)
    if check.problems or fields is None:
        return None, check.problems
    return Case(**fields), []


def _case_fields(check: Checker, obj: object, place: str) -> dict[str, Any] | None:
    data = check.mapping(obj, place, _CASE_KEYS)
    if data is None:
        return None
    fields: dict[str, Any] = {
        "age": check.integer(data, "age", place, required=True),
        "sex": check.choice(data, "sex", place, SEXES, required=True),
        "onset_age": check.integer(data, "onset_age", place),
        "course": check.choice(data, "course", place, vocab.COURSES),
        "pattern": _pattern(check, data, place),
        "findings": frozenset(check.codes(data, "findings", place, vocab.FINDINGS)),
        "symptoms": frozenset(check.codes(data, "symptoms", place, vocab.SYMPTOMS)),
        "pull_test": _pull_test(check, data, place),
        "recent_events": _events(check, data, place),
        "medications": _medications(check, data, place),
        "conditions": frozenset(check.codes(data, "conditions", place, vocab.CONDITIONS)),
        "allergies": tuple(check.strings(data, "allergies", place)),
        "labs": _labs(check, data, place),
    }
    for flag in ("pregnant", "breastfeeding", "trying_to_conceive"):
        fields[flag] = check.boolean(data, flag, place)
    _cross_checks(check, fields, place)
    return fields


def _cross_checks(check: Checker, fields: dict[str, Any], place: str) -> None:
    # Contract: pregnancy or breastfeeding recorded for a male is an error, not a decision.
    if fields["sex"] == "male":
        for flag in ("pregnant", "breastfeeding"):
            if fields[flag]:
                check.add(f"{place}.{flag}", "cannot be true when sex is 'male'")
    age, onset = fields["age"], fields["onset_age"]
    if isinstance(age, int) and isinstance(onset, int) and onset > age:
        check.add(f"{place}.onset_age", f"{onset} is greater than age {age}")


def _pattern(check: Checker, data: Mapping[str, object], place: str) -> Pattern | None:
    sub = check.sub_mapping(data, "pattern", place, ("scale", "grade"))
    if sub is None:
        return None
    here = f"{place}.pattern"
    scale = check.choice(sub, "scale", here, tuple(SCALES), required=True)
    grade = check.string(sub, "grade", here, required=True)
    if scale is None or grade is None:
        return None
    try:
        get_scale(scale).grade(grade)
    except GradeError as error:
        check.add(f"{here}.grade", str(error))
        return None
    return Pattern(scale, grade)


def _pull_test(check: Checker, data: Mapping[str, object], place: str) -> PullTest | None:
    keys = ("grasped", "extracted", "sites_positive")
    sub = check.sub_mapping(data, "pull_test", place, keys)
    if sub is None:
        return None
    here = f"{place}.pull_test"
    test = PullTest(*(check.integer(sub, key, here) for key in keys))
    if test.grasped is not None and test.extracted is not None and test.extracted > test.grasped:
        check.add(f"{here}.extracted", f"{test.extracted} is more than grasped {test.grasped}")
    return test


def _events(check: Checker, data: Mapping[str, object], place: str) -> tuple[Event, ...]:
    events = []
    for here, item in check.items(data, "recent_events", place):
        sub = check.mapping(item, here, ("event", "months_ago"))
        if sub is None:
            continue
        event = check.choice(sub, "event", here, vocab.EVENTS, required=True)
        months = check.number(sub, "months_ago", here, required=True)
        if event is not None and months is not None:
            events.append(Event(event, months))
    return tuple(events)


def _medications(check: Checker, data: Mapping[str, object], place: str) -> tuple[Medication, ...]:
    meds = []
    for here, item in check.items(data, "medications", place):
        sub = check.mapping(item, here, _MED_KEYS)
        if sub is None:
            continue
        name = check.string(sub, "name", here, required=True)
        dates = [check.number(sub, key, here) for key in _MED_KEYS[1:]]
        if name is not None:
            meds.append(Medication(name, *dates))
    return tuple(meds)


def _labs(check: Checker, data: Mapping[str, object], place: str) -> Mapping[str, float] | None:
    sub = check.sub_mapping(data, "labs", place, tuple(vocab.LABS))
    if sub is None:
        return None
    values = {key: check.number(sub, key, f"{place}.labs") for key in vocab.LABS}
    return {key: value for key, value in values.items() if value is not None}
