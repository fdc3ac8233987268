"""may_proceed_to_planning: the one answer treatment planning asks, as a truth table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mesohair.assessments.services import acknowledge, may_proceed_to_planning, override
from tests.assessments.helpers import assessment_of
from tests.factories import IntakeFactory, PatientFactory

REFER = {"findings": ["perifollicular_erythema"]}
WORKUP = {
    "findings": ["diffuse_thinning"],
    "pull_test": {"grasped": 60, "extracted": 12, "sites_positive": 3},
}


@pytest.fixture
def patient(personas: Any) -> Any:
    patient = PatientFactory(clinic=personas.clinic)
    IntakeFactory(patient=patient, course="sudden", conditions=["keloid_tendency"])
    return patient


def test_it_waits_when_no_assessment_is_recorded(patient: Any) -> None:
    answer = may_proceed_to_planning(patient)
    assert not answer.allowed and "No assessment" in answer.reasons[0]


@pytest.mark.parametrize(("fields", "allowed"), [(REFER, False), (WORKUP, False)])
def test_it_blocks_referral_and_work_up(patient: Any, fields: dict, allowed: bool) -> None:
    assessment_of(patient, **fields)
    assert may_proceed_to_planning(patient).allowed is allowed


def test_it_blocks_a_contraindication(personas: Any) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    IntakeFactory(patient=patient, pregnant=True)
    assert assessment_of(patient).decision["decision"] == "not_eligible"
    assert not may_proceed_to_planning(patient).allowed


def test_it_allows_an_eligible_patient(personas: Any) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    assert assessment_of(patient).decision["decision"] == "eligible"
    assert may_proceed_to_planning(patient).allowed


def test_it_waits_for_each_precaution_to_be_acknowledged(personas: Any, patient: Any) -> None:
    patient.allergies.create(substance="lidocaine")
    assessment = assessment_of(patient)
    assert assessment.decision["decision"] == "eligible_with_precautions"
    answer = may_proceed_to_planning(patient)
    assert not answer.allowed
    assert set(answer.unacknowledged) == {"keloid_tendency", "ingredient_allergy"}
    acknowledge(assessment, ["keloid_tendency"], personas.clinician)
    assert may_proceed_to_planning(patient).unacknowledged == ("ingredient_allergy",)
    acknowledge(assessment, ["ingredient_allergy"], personas.clinician)
    assert may_proceed_to_planning(patient).allowed


def test_it_allows_a_referral_overridden_with_a_reason(personas: Any, patient: Any) -> None:
    assessment = assessment_of(patient, **REFER)
    override(assessment, "eligible", "Seen by dermatology: no scarring.", personas.clinician)
    answer = may_proceed_to_planning(patient)
    assert answer.allowed and answer.overridden
    assert "Seen by dermatology" in answer.reasons[0]
    assert any(r.startswith("Overridden:") for r in answer.reasons)


def test_it_blocks_when_the_clinician_overrides_to_a_stricter_decision(
    personas: Any, patient: Any
) -> None:
    assessment = assessment_of(patient)
    acknowledge(assessment, ["keloid_tendency"], personas.clinician)
    override(assessment, "refer", "Unusual pattern for age.", personas.clinician)
    assert not may_proceed_to_planning(patient).allowed


def test_it_judges_on_the_latest_assessment(personas: Any) -> None:
    patient = PatientFactory(clinic=personas.clinic)
    older = assessment_of(patient)
    older.assessed_on = dt.date.today() - dt.timedelta(days=30)
    older.save()
    assessment_of(patient, **REFER)
    assert not may_proceed_to_planning(patient).allowed
