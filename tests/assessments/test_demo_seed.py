"""The demo clinic shows every triage outcome, each assessment decided by the engine."""

from __future__ import annotations

from typing import Any

from mesohair.assessments.models import Assessment
from mesohair.demo.loader import load_demo
from mesohair.demo.people import PROFILES


def test_it_seeds_one_assessment_per_demo_patient_covering_every_decision(db: Any) -> None:
    load_demo()
    assessments = Assessment.objects.filter(patient__clinic__name="Demo Hair Clinic")
    assert assessments.count() == len(PROFILES)
    decisions = {a.engine_decision for a in assessments}
    assert decisions == {
        "refer",
        "not_eligible",
        "workup_first",
        "eligible_with_precautions",
        "eligible",
    }
    whitfield = assessments.get(patient__family_name="Whitfield")
    assert whitfield.engine_decision == "refer"
    assert whitfield.case["findings"][0] == "perifollicular_erythema"
    silva = assessments.get(patient__family_name="Silva")
    assert silva.pull_test == {"grasped": 60, "extracted": 14, "sites_positive": 4}
