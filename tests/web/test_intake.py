"""Recording the intake history and the dated records the triage case reads."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mesohair.patients.models import Intake
from tests.factories import PatientFactory
from tests.personas import Personas, post_form


def _intake_url(patient: object) -> str:
    return reverse("patients:intake", args=[patient.pk])  # type: ignore[attr-defined]


def test_it_records_the_intake_history(personas: Personas) -> None:
    patient = PatientFactory(clinic=personas.clinic, date_of_birth=dt.date(1990, 3, 1))
    response = post_form(personas.client("nurse"), _intake_url(patient), {
        "onset_age": "29", "course": "gradual", "family_history": ["mother"],
        "trying_to_conceive": "on", "symptoms": ["increased_shedding", "fatigue"],
        "conditions": ["thyroid_disease"], "notes": "Worse after winter.",
    })
    assert response.status_code == 302
    intake = Intake.objects.get(patient=patient)
    assert intake.symptoms == ["increased_shedding", "fatigue"]
    assert intake.trying_to_conceive and intake.recorded_by == personas.nurse


def test_it_keeps_every_version_of_the_intake(personas: Personas) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    client = personas.client("clinician")
    post_form(client, _intake_url(patient), {"onset_age": "20", "course": "gradual"})
    post_form(client, _intake_url(patient), {"onset_age": "21", "course": "rapid"})
    versions = patient.intake.history.order_by("history_date")
    assert [v.course for v in versions] == ["gradual", "rapid"]
    assert versions.last().history_user == personas.clinician


def test_it_refuses_an_onset_age_later_than_the_patients_age(personas: Personas) -> None:
    patient = PatientFactory(clinic=personas.clinic, date_of_birth=dt.date(2000, 1, 1))
    response = post_form(personas.client("nurse"), _intake_url(patient),
                         {"onset_age": "90", "course": "gradual"})
    assert "onset cannot be later" in response.content.decode()
    assert 'value="90"' in response.content.decode()


def test_it_does_not_ask_about_pregnancy_for_a_male_patient(personas: Personas) -> None:
    patient = PatientFactory(clinic=personas.clinic, sex_at_birth="male")
    body = personas.client("nurse").get(_intake_url(patient)).content.decode()
    assert "Trying to conceive" in body
    assert 'name="pregnant"' not in body and "heavy_menses" not in body


def test_it_clears_pregnancy_flags_once_the_sex_at_birth_is_corrected_to_male(
    personas: Personas,
) -> None:
    patient = PatientFactory(clinic=personas.clinic, sex_at_birth="female")
    Intake.objects.create(patient=patient, pregnant=True, breastfeeding=True)
    patient.sex_at_birth = "male"  # a data-entry correction on the edit page
    patient.save()
    response = post_form(personas.client("nurse"), _intake_url(patient),
                         {"onset_age": "30", "course": "gradual"})
    assert response.status_code == 302
    intake = Intake.objects.get(patient=patient)
    assert (intake.pregnant, intake.breastfeeding, intake.onset_age) == (False, False, 30)


def test_it_refuses_clinical_intake_to_the_front_desk(personas: Personas) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    response = post_form(personas.client("front_desk"), _intake_url(patient), {"course": "rapid"})
    assert response.status_code == 403
    assert not Intake.objects.exists()


def test_it_records_a_medication_with_its_dates(personas: Personas) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    url = reverse("patients:record_add", args=[patient.pk, "medications"])
    post_form(personas.client("nurse"), url, {
        "generic_name": " Warfarin ", "dose": "5 mg", "started_on": "2024-01-10",
    })
    med = patient.medications.get()
    assert med.generic_name == "warfarin" and med.started_on == dt.date(2024, 1, 10)


def test_it_refuses_a_medication_stopped_before_it_started(personas: Personas) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    url = reverse("patients:record_add", args=[patient.pk, "medications"])
    response = post_form(personas.client("nurse"), url, {
        "generic_name": "lithium", "started_on": "2024-05-01", "stopped_on": "2024-01-01",
    })
    assert "Stopped before it started" in response.content.decode()


def test_it_refuses_an_event_in_the_future(personas: Personas) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    url = reverse("patients:record_add", args=[patient.pk, "events"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = post_form(personas.client("nurse"), url,
                         {"event": "childbirth", "occurred_on": tomorrow.isoformat()})
    assert "is in the future" in response.content.decode()


def test_it_records_a_lab_result_with_its_unit(personas: Personas) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    url = reverse("patients:record_add", args=[patient.pk, "labs"])
    post_form(personas.client("nurse"), url,
              {"test": "vitamin_d", "value": "20", "unit": "ng/mL", "taken_on": "2025-02-01"})
    lab = patient.labs.get()
    assert round(lab.canonical_value, 1) == 49.9


def test_it_refuses_a_lab_unit_that_does_not_fit_the_test(personas: Personas) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    url = reverse("patients:record_add", args=[patient.pk, "labs"])
    response = post_form(personas.client("nurse"), url,
                         {"test": "ferritin", "value": "20", "unit": "g/dL",
                          "taken_on": "2025-02-01"})
    assert "is not a unit for Ferritin" in response.content.decode()


def test_it_shows_the_timeline_newest_first(personas: Personas) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    patient.events.create(event="childbirth", occurred_on=dt.date(2024, 6, 1))
    patient.labs.create(test="ferritin", value=14, unit="µg/L", taken_on=dt.date(2024, 9, 1))
    entries = personas.client("clinician").get(
        reverse("patients:detail", args=[patient.pk])).context["entries"]
    kinds = [e.kind for e in entries]
    assert kinds == ["registry", "lab", "event"]
    assert entries == sorted(entries, key=lambda e: e.when, reverse=True)


def test_it_hides_clinical_entries_of_the_timeline_from_the_front_desk(
    personas: Personas,
) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    patient.events.create(event="childbirth", occurred_on=dt.date(2024, 6, 1))
    response = personas.client("front_desk").get(reverse("patients:detail", args=[patient.pk]))
    assert [e.kind for e in response.context["entries"]] == ["registry"]
    assert "Childbirth" not in response.content.decode()


def test_it_cannot_edit_another_clinics_record_through_its_own_patient(
    personas: Personas,
) -> None:
    mine = PatientFactory(clinic=personas.clinic)
    theirs = PatientFactory(clinic=personas.other_clinic)
    med = theirs.medications.create(generic_name="aspirin")
    url = reverse("patients:record_edit", args=[mine.pk, "medications", med.pk])
    assert personas.client("clinician").get(url).status_code == 404


def test_it_logs_the_record_form_in_plain_words(personas: Personas) -> None:
    from mesohair.patients.models import AccessLog

    patient = PatientFactory(clinic=personas.clinic)
    personas.client("nurse").get(reverse("patients:record_add", args=[patient.pk, "allergies"]))
    assert AccessLog.objects.get().record == "allergies"


def test_the_patient_page_links_every_record_to_its_correction(personas: Personas) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    event = patient.events.create(event="childbirth", occurred_on=dt.date(2025, 1, 5))
    allergy = patient.allergies.create(substance="lidocaine")
    treatment = patient.prior_treatments.create(treatment="minoxidil_topical")
    lab = patient.labs.create(test="ferritin", value=20, unit="µg/L", taken_on=dt.date(2025, 2, 1))
    page = personas.client("nurse").get(reverse("patients:detail", args=[patient.pk]))
    html = page.content.decode()
    for kind, record in (("events", event), ("allergies", allergy),
                         ("treatments", treatment), ("labs", lab)):
        url = reverse("patients:record_edit", args=[patient.pk, kind, record.pk])
        assert f'href="{url}"' in html, kind
        assert personas.client("nurse").get(url).status_code == 200


def test_the_patient_page_drops_a_stale_pregnancy_flag_but_keeps_trying_to_conceive(
    personas: Personas,
) -> None:
    patient = PatientFactory(clinic=personas.clinic, sex_at_birth="female")
    Intake.objects.create(patient=patient, pregnant=True, trying_to_conceive=True)
    patient.sex_at_birth = "male"  # corrected after the intake was recorded
    patient.save()
    html = personas.client("nurse").get(reverse("patients:detail", args=[patient.pk]))
    text = html.content.decode()
    assert "Pregnant." not in text
    assert "Trying to conceive." in text
