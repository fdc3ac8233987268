"""Registering, finding and editing patients."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from mesohair.patients.models import AccessLog, Patient
from tests.factories import PatientFactory
from tests.personas import Personas, post_form

VALID = {
    "family_name": "Núñez", "given_names": "Carmen", "date_of_birth": "1988-04-12",
    "sex_at_birth": "female", "gender_identity": "woman", "email": "carmen@example.org",
    "phone": "+34 600 000 000", "preferred_language": "es",
}


def test_it_registers_a_patient_in_the_active_clinic(personas: Personas) -> None:
    client = personas.client("front_desk")
    data = {**VALID, "identifier_type": personas.national_id.pk, "identifier_value": "12345678Z"}
    response = post_form(client, reverse("patients:create"), data)
    patient = Patient.objects.get(family_name="Núñez")
    assert response.status_code == 302
    assert patient.clinic == personas.clinic
    assert patient.created_by == personas.front_desk
    assert patient.identifiers.get().value == "12345678Z"


def test_it_refuses_a_birth_date_in_the_future_and_keeps_what_was_typed(
    personas: Personas,
) -> None:
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = post_form(
        personas.client("front_desk"), reverse("patients:create"),
        {**VALID, "date_of_birth": future},
    )
    assert response.status_code == 200
    assert "is in the future" in response.content.decode()
    assert 'value="Núñez"' in response.content.decode()
    assert not Patient.objects.exists()


def test_it_refuses_an_impossible_age(personas: Personas) -> None:
    response = post_form(
        personas.client("front_desk"), reverse("patients:create"),
        {**VALID, "date_of_birth": "1880-01-01"},
    )
    assert "over 120 years old" in response.content.decode()


def test_it_refuses_a_malformed_identifier_with_the_expected_format(personas: Personas) -> None:
    data = {**VALID, "identifier_type": personas.national_id.pk, "identifier_value": "1234"}
    response = post_form(personas.client("front_desk"), reverse("patients:create"), data)
    body = response.content.decode()
    assert "&#x27;1234&#x27; is not a valid National ID (e.g. 12345678Z)" in body
    assert not Patient.objects.exists()


def test_it_refuses_an_identifier_another_patient_has_beside_the_field(
    personas: Personas,
) -> None:
    holder = PatientFactory(clinic=personas.clinic)
    holder.identifiers.create(type=personas.national_id, value="12345678Z")
    patient = PatientFactory(clinic=personas.clinic)
    response = post_form(
        personas.client("front_desk"), reverse("patients:identifier_add", args=[patient.pk]),
        {"type": personas.national_id.pk, "value": "12345678Z"},
    )
    errors = response.context["form"].errors
    assert errors == {"value": ["A patient already has National ID 12345678Z."]}
    assert not patient.identifiers.exists()


def test_it_warns_before_registering_a_likely_duplicate(personas: Personas) -> None:
    PatientFactory(clinic=personas.clinic, family_name="Nunez", given_names="Carmen",
                   date_of_birth=dt.date(1988, 4, 12))
    client = personas.client("front_desk")
    response = post_form(client, reverse("patients:create"), VALID)
    assert "Possible duplicate" in response.content.decode()
    assert Patient.objects.count() == 1
    response = post_form(client, reverse("patients:create"),
                         {**VALID, "confirm_not_duplicate": "on"})
    assert response.status_code == 302
    assert Patient.objects.count() == 2


def test_it_does_not_call_another_clinics_patient_a_duplicate(personas: Personas) -> None:
    PatientFactory(clinic=personas.other_clinic, family_name="Núñez", given_names="Carmen",
                   date_of_birth=dt.date(1988, 4, 12))
    response = post_form(personas.client("front_desk"), reverse("patients:create"), VALID)
    assert response.status_code == 302


def test_it_finds_patients_by_name_birth_date_or_identifier(personas: Personas) -> None:
    ana = PatientFactory(clinic=personas.clinic, family_name="Alvarez", given_names="Ana",
                         date_of_birth=dt.date(1990, 1, 2))
    PatientFactory(clinic=personas.clinic, family_name="Berg", given_names="Bo")
    ana.identifiers.create(type=personas.national_id, value="87654321X")
    PatientFactory(clinic=personas.other_clinic, family_name="Alvarez", given_names="Ana")
    client = personas.client("front_desk")
    for query in ("?q=alva", "?dob=1990-01-02", "?q=87654321X", "?q=ana+alvarez"):
        found = list(client.get(reverse("patients:list") + query).context["patients"])
        assert found == [ana], query


def test_it_answers_htmx_searches_with_the_results_table_only(personas: Personas) -> None:
    PatientFactory(clinic=personas.clinic, family_name="Alvarez")
    response = personas.client("front_desk").get(
        reverse("patients:list") + "?q=alv", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Alvarez".upper() in body
    assert "<html" not in body


def test_it_returns_404_for_another_clinics_patient(personas: Personas) -> None:
    theirs = PatientFactory(clinic=personas.other_clinic)
    response = personas.client("clinician").get(reverse("patients:detail", args=[theirs.pk]))
    assert response.status_code == 404


def test_it_logs_every_view_of_a_patient_record(personas: Personas) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    personas.client("nurse").get(reverse("patients:detail", args=[patient.pk]))
    entry = AccessLog.objects.get()
    assert (entry.user, entry.patient, entry.record) == (personas.nurse, patient, "patient page")
    log = personas.client("clinic_admin").get(reverse("access_log")).content.decode()
    assert "patient page" in log and str(patient) in log


def test_it_keeps_the_history_of_corrected_details(personas: Personas) -> None:
    patient = PatientFactory(clinic=personas.clinic, family_name="Smyth")
    data = {**VALID, "family_name": "Smith"}
    post_form(personas.client("front_desk"), reverse("patients:edit", args=[patient.pk]), data)
    names = [h.family_name for h in patient.history.order_by("history_date")]
    assert names == ["Smyth", "Smith"]


def test_it_lists_patients_with_a_fixed_number_of_queries(
    personas: Personas, django_assert_max_num_queries: object
) -> None:
    for n in range(25):
        patient = PatientFactory(clinic=personas.clinic)
        patient.identifiers.create(type=personas.national_id, value=f"{n:08d}A")
    client = personas.client("front_desk")
    client.get(reverse("patients:list"))  # warm the session
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(reverse("patients:list"))
    assert len(response.context["patients"]) == 25
