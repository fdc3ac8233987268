"""Building the triage case from the recorded intake: nothing is retyped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from mesohair.assessments.case_builder import CaseError, build_case
from mesohair.clinical.case import validate_case
from tests.factories import IntakeFactory, PatientFactory

ON = dt.date(2026, 6, 1)


@pytest.fixture
def patient(personas: Any) -> Any:
    patient = PatientFactory(clinic=personas.clinic, date_of_birth=dt.date(1990, 6, 2))
    IntakeFactory(
        patient=patient,
        onset_age=30,
        course="sudden",
        symptoms=["increased_shedding"],
        conditions=["thyroid_disease"],
        trying_to_conceive=True,
    )
    return patient


def test_it_reads_age_on_the_assessment_date_and_the_intake(patient: Any) -> None:
    case = build_case(patient, ON)
    assert case["age"] == 35  # birthday falls the day after
    assert case["sex"] == "female"
    assert (case["onset_age"], case["course"]) == (30, "sudden")
    assert case["symptoms"] == ["increased_shedding"]
    assert case["conditions"] == ["thyroid_disease"]
    assert case["trying_to_conceive"] is True and case["pregnant"] is False


def test_it_turns_event_dates_into_months_before_the_assessment(patient: Any) -> None:
    patient.events.create(event="childbirth", occurred_on=dt.date(2026, 3, 2))
    patient.events.create(event="surgery", occurred_on=dt.date(2026, 7, 1))  # after: ignored
    assert build_case(patient, ON)["recent_events"] == [{"event": "childbirth", "months_ago": 3.0}]


def test_it_gives_started_and_stopped_months_for_medications(patient: Any) -> None:
    patient.medications.create(
        generic_name="isotretinoin", started_on=dt.date(2025, 6, 1), stopped_on=dt.date(2026, 2, 1)
    )
    patient.medications.create(generic_name="warfarin")
    patient.medications.create(
        generic_name="lithium", started_on=dt.date(2026, 1, 1), stopped_on=dt.date(2026, 9, 1)
    )  # stopped later: current then
    meds = {m["name"]: m for m in build_case(patient, ON)["medications"]}
    assert meds["isotretinoin"] == {
        "name": "isotretinoin",
        "started_months_ago": 12.0,
        "stopped_months_ago": 3.9,
    }
    assert meds["warfarin"] == {"name": "warfarin"}
    assert "stopped_months_ago" not in meds["lithium"]


def test_it_converts_labs_to_canonical_units_keeping_the_latest(patient: Any) -> None:
    patient.labs.create(
        test="ferritin", value=Decimal("12"), unit="ng/mL", taken_on=dt.date(2025, 1, 1)
    )
    patient.labs.create(
        test="ferritin", value=Decimal("40"), unit="µg/L", taken_on=dt.date(2026, 5, 1)
    )
    patient.labs.create(
        test="haemoglobin", value=Decimal("125"), unit="g/L", taken_on=dt.date(2026, 5, 1)
    )
    patient.labs.create(
        test="vitamin_d", value=Decimal("20"), unit="ng/mL", taken_on=dt.date(2026, 5, 1)
    )
    labs = build_case(patient, ON)["labs"]
    assert labs["ferritin_ug_l"] == 40
    assert labs["haemoglobin_g_dl"] == pytest.approx(12.5)
    assert labs["vitamin_d_nmol_l"] == pytest.approx(49.92)


def test_it_adds_the_examination_and_the_case_is_valid(patient: Any) -> None:
    patient.allergies.create(substance="lidocaine")
    case = build_case(
        patient,
        ON,
        pattern=("ludwig", "II"),
        findings=["part_widening"],
        pull_test={"grasped": 60, "extracted": 8, "sites_positive": None},
    )
    assert case["pattern"] == {"scale": "ludwig", "grade": "II"}
    assert case["pull_test"] == {"grasped": 60, "extracted": 8}
    assert case["allergies"] == ["lidocaine"]
    assert validate_case(case)[1] == []


def test_it_reports_problems_by_place_when_the_case_is_invalid(patient: Any) -> None:
    with pytest.raises(CaseError) as error:
        build_case(patient, ON, pattern=("ludwig", "IV"))
    assert error.value.problems[0].startswith("case.pattern.grade:")


def test_a_date_of_birth_corrected_below_the_onset_age_says_which_record_to_correct(
    patient: Any,
) -> None:
    patient.date_of_birth = dt.date(2000, 1, 1)  # 26 on the assessment date; onset was 30
    patient.save()
    with pytest.raises(CaseError) as error:
        build_case(patient, ON)
    assert error.value.problems == [
        "The intake records hair loss starting at age 30, but the patient was 26 on "
        "01 Jun 2026. Correct the onset age in the intake, or the date of birth, before "
        "assessing."
    ]


def test_it_builds_a_minimal_case_without_an_intake(personas: Any) -> None:
    patient = PatientFactory(clinic=personas.clinic, sex_at_birth="male")
    case = build_case(patient, ON)
    assert case["sex"] == "male" and "onset_age" not in case and case["labs"] == {}


def test_it_leaves_out_pregnancy_flags_once_sex_at_birth_is_corrected_to_male(
    patient: Any,
) -> None:
    patient.intake.pregnant = True
    patient.intake.save()
    patient.sex_at_birth = "male"
    patient.save()
    case = build_case(patient, ON)
    assert "pregnant" not in case and "breastfeeding" not in case
    assert case["trying_to_conceive"] is True  # a man may be trying to conceive
