"""Finding patients, and spotting likely duplicates before registering one."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.db.models import Q, QuerySet

from mesohair.clinics.models import Clinic
from mesohair.patients.models import Patient


def fold(text: str) -> str:
    """Lower-case without accents, so 'Núñez' finds 'Nunez'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def search_patients(
    patients: QuerySet[Patient], text: str = "", dob: dt.date | None = None
) -> QuerySet[Patient]:
    """Patients whose name parts or identifier match every word of ``text``."""
    if dob:
        patients = patients.filter(date_of_birth=dob)
    for word in text.split():
        patients = patients.filter(
            Q(family_name__icontains=word)
            | Q(given_names__icontains=word)
            | Q(identifiers__value__iexact=word)
        )
    return patients.distinct()


def likely_duplicates(
    clinic: Clinic, family_name: str, given_names: str, dob: dt.date | None
) -> list[Patient]:
    """Patients of ``clinic`` with the same birth date and a similar name."""
    if not dob or not family_name:
        return []
    family, given = fold(family_name), fold(given_names).split()
    same_day = Patient.objects.in_clinic(clinic).filter(date_of_birth=dob)
    return [
        p for p in same_day
        if fold(p.family_name) == family
        or (given and fold(p.given_names).split()[:1] == given[:1])
    ]
