"""The codes of the intake (patients app) and of the triage engine stay the same."""

from __future__ import annotations

import pytest

from mesohair.clinical import vocabulary as vocab
from mesohair.clinical.medications import DEFAULT_MEDICATION_CLASSES

intake = pytest.importorskip("mesohair.clinical.intake_vocabulary")
labs = pytest.importorskip("mesohair.clinical.labs")


@pytest.mark.parametrize("name", ["COURSES", "SYMPTOMS", "CONDITIONS", "EVENTS"])
def test_it_keeps_intake_codes_equal_to_the_triage_codes(name: str) -> None:
    assert set(getattr(intake, name)) == set(getattr(vocab, name))


def test_it_keeps_intake_lab_keys_equal_to_the_triage_lab_keys() -> None:
    assert {test.case_key for test in labs.LAB_TESTS.values()} == set(vocab.LABS)


def test_it_recognises_every_medication_named_in_the_contract() -> None:
    named = """warfarin acenocoumarol phenprocoumon heparin enoxaparin dalteparin apixaban
    rivaroxaban edoxaban dabigatran aspirin clopidogrel prasugrel ticagrelor isotretinoin
    acitretin methimazole carbimazole propylthiouracil lithium valproate carbamazepine
    propranolol metoprolol atenolol bisoprolol prednisone prednisolone methylprednisolone
    dexamethasone tacrolimus ciclosporin mycophenolate azathioprine methotrexate
    ethinylestradiol levonorgestrel desogestrel drospirenone norethisterone finasteride
    dutasteride minoxidil""".split()
    assert set(named) <= set(DEFAULT_MEDICATION_CLASSES)
