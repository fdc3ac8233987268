"""Everything recorded about a patient, newest first.

Each app that records something about a patient registers a *source*: a
function that returns timeline entries for a patient. The patient page shows
the merged list; clinical entries are hidden from roles that may not see them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from mesohair.patients.models import Patient


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    when: dt.datetime
    kind: str  # short tag shown as a badge: "registry", "intake", "lab" ...
    title: str
    detail: str = ""
    clinical: bool = True
    url: str = ""


Source = Callable[[Patient], Iterable[Entry]]
_SOURCES: list[Source] = []


def source(func: Source) -> Source:
    """Register a function that contributes entries to every patient's timeline."""
    _SOURCES.append(func)
    return func


def at_noon(day: dt.date) -> dt.datetime:
    """An aware datetime for a date-only record, so it sorts among timestamps."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def timeline(patient: Patient, *, include_clinical: bool) -> list[Entry]:
    """All entries for ``patient``, newest first."""
    entries = [e for s in _SOURCES for e in s(patient) if include_clinical or not e.clinical]
    return sorted(entries, key=lambda e: e.when, reverse=True)
