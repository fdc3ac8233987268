"""A walk through the demo clinic as each clinical and desk role: every patient
page and every assessment page answers, and the triage mix is the one promised."""

from __future__ import annotations

from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from mesohair.accounts.models import User
from mesohair.assessments.models import Assessment
from mesohair.demo.loader import load_demo
from mesohair.patients.models import Patient


@pytest.fixture
def demo(db: object) -> None:
    load_demo()


def _client(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_the_demo_covers_every_triage_path(demo: None) -> None:
    decisions = Counter(a.engine_decision for a in Assessment.objects.all())
    assert set(decisions) == {
        "eligible", "eligible_with_precautions", "workup_first", "refer", "not_eligible"
    }


@pytest.mark.parametrize("email", ["clinician@demo.mesohair.test", "nurse@demo.mesohair.test",
                                   "frontdesk@demo.mesohair.test"])
def test_every_demo_patient_page_opens(demo: None, email: str) -> None:
    client = _client(email)
    for patient in Patient.objects.filter(clinic__name="Demo Hair Clinic"):
        response = client.get(reverse("patients:detail", args=[patient.pk]))
        assert response.status_code == 200, patient


def test_every_demo_assessment_and_its_documents_open_for_the_clinician(demo: None) -> None:
    client = _client("clinician@demo.mesohair.test")
    for a in Assessment.objects.select_related("patient"):
        args = [a.patient_id, a.pk]
        assert client.get(reverse("assessments:detail", args=args)).status_code == 200
        if a.engine_decision == "refer":
            assert client.get(reverse("assessments:referral", args=args)).status_code == 200
            assert client.get(reverse("assessments:leaflet", args=args)).status_code == 200
        if a.engine_decision == "workup_first":
            assert client.get(reverse("assessments:workup", args=args)).status_code == 200
    assert client.get(reverse("assessments:new", args=[a.patient_id])).status_code == 200


def test_the_demo_clinician_works_in_two_clinics_and_starts_in_the_demo_one(demo: None) -> None:
    client = _client("clinician@demo.mesohair.test")
    response = client.get(reverse("patients:list"))
    assert response.context["clinic"].name == "Demo Hair Clinic"
    assert len(response.context["memberships"]) == 2
    assert "Switch" in response.content.decode()
