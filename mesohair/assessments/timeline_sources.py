"""Timeline entries for assessments: the triage decision and any override."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from mesohair.clinical.vocabulary import words
from mesohair.patients.models import Patient
from mesohair.patients.timeline import Entry, source


@source
def assessments(patient: Patient) -> Iterator[Entry]:
    """Each assessment with the engine's decision, and each override recorded on it."""
    for a in patient.assessments.select_related("clinician", "overridden_by"):
        url = reverse("assessments:detail", kwargs={"pk": patient.pk, "aid": a.pk})
        by = f" by {a.clinician}" if a.clinician else ""
        codes = ", ".join(words(r["code"]) for r in a.decision["reasons"])
        yield Entry(
            a.created_at,
            "assessment",
            f"Assessed{by}: triage {words(a.engine_decision)}",
            codes,
            url=url,
        )
        if a.override_decision and a.overridden_at:
            yield Entry(
                a.overridden_at,
                "assessment",
                f"Decision overridden to {words(a.override_decision)} by {a.overridden_by}",
                a.override_reason,
                url=url,
            )
