"""Field validators for patient records: no future dates, no impossible ages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

MAX_AGE_YEARS = 120


def today() -> dt.date:
    """Today in the active (clinic) time zone."""
    return timezone.localdate()


def not_in_future(value: dt.date) -> None:
    """Dates of birth, events, results and treatments cannot lie ahead."""
    if value and value > today():
        raise ValidationError(f"{value:%d %b %Y} is in the future.")


def plausible_birth_date(value: dt.date) -> None:
    """Born in the past and at most 120 years ago."""
    not_in_future(value)
    if value and age_on(value, today()) > MAX_AGE_YEARS:
        raise ValidationError(f"That makes the patient over {MAX_AGE_YEARS} years old.")


def age_on(birth: dt.date, on: dt.date) -> int:
    """Completed years between ``birth`` and ``on``."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def months_between(earlier: dt.date, later: dt.date) -> float:
    """Months from ``earlier`` to ``later`` (never negative), to one decimal."""
    return max(0.0, round((later - earlier).days / 30.4375, 1))
