"""Timeline entries from the registry and intake history."""

from __future__ import annotations

from collections.abc import Iterator

from mesohair.patients.models import Patient
from mesohair.patients.timeline import Entry, at_noon, source


@source
def registration(patient: Patient) -> Iterator[Entry]:
    """Registration and later changes to the demographics."""
    for record in patient.history.select_related("history_user").order_by("history_date"):
        verb = "Registered" if record.history_type == "+" else "Details updated"
        by = f" by {record.history_user}" if record.history_user else ""
        yield Entry(record.history_date, "registry", f"{verb}{by}", clinical=False)


@source
def intake_changes(patient: Patient) -> Iterator[Entry]:
    """Each saved version of the intake history."""
    intake = getattr(patient, "intake", None)
    if intake is None:
        return
    for record in intake.history.select_related("history_user").order_by("history_date"):
        by = f" by {record.history_user}" if record.history_user else ""
        verb = "Intake history recorded" if record.history_type == "+" else "Intake history updated"
        yield Entry(record.history_date, "intake", f"{verb}{by}")


@source
def dated_records(patient: Patient) -> Iterator[Entry]:
    """Events, labs, medications and treatments at the date they happened."""
    for event in patient.events.all():
        yield Entry(at_noon(event.occurred_on), "event", str(event.get_event_display()),
                    event.notes)
    for lab in patient.labs.all():
        yield Entry(at_noon(lab.taken_on), "lab", str(lab))
    for med in patient.medications.all():
        when = at_noon(med.started_on) if med.started_on else med.recorded_at
        yield Entry(when, "medication", f"Medication: {med}", med.notes)
        if med.stopped_on:
            yield Entry(at_noon(med.stopped_on), "medication", f"Stopped {med.generic_name}")
    for treatment in patient.prior_treatments.all():
        when = at_noon(treatment.started_on) if treatment.started_on else treatment.recorded_at
        result = treatment.get_result_display()
        yield Entry(when, "treatment", f"Tried {treatment}", f"Result: {result}")
    for allergy in patient.allergies.all():
        yield Entry(allergy.recorded_at, "allergy", f"Allergy: {allergy}", allergy.reaction)
