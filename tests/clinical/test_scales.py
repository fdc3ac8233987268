"""Scales as data: grades, validation, severities, choices and suitability."""

from __future__ import annotations

import pytest

from mesohair.clinical import scales
from mesohair.clinical.scales import GradeError, severity, validate_grade

CONTRACT_GRADES = {
    "hamilton_norwood": [
        "I", "II", "IIa", "III", "IIIa", "III vertex", "IV", "IVa", "V", "Va", "VI", "VII",
    ],
    "ludwig": ["I", "II", "III"],
    "savin": ["I-1", "I-2", "I-3", "I-4", "II-1", "II-2", "III", "advanced", "frontal"],
    "sinclair": ["1", "2", "3", "4", "5"],
}  # fmt: skip


@pytest.mark.parametrize("scale", CONTRACT_GRADES)
def test_it_lists_exactly_the_contract_grades_in_order(scale: str) -> None:
    assert list(scales.SCALES[scale].codes) == CONTRACT_GRADES[scale]


@pytest.mark.parametrize("scale", CONTRACT_GRADES)
def test_it_gives_every_grade_a_one_line_description(scale: str) -> None:
    for grade in scales.SCALES[scale].grades:
        assert grade.description and "\n" not in grade.description


def test_it_refuses_an_invalid_grade_listing_the_valid_choices() -> None:
    with pytest.raises(GradeError) as error:
        validate_grade("hamilton_norwood", "IIx")
    assert str(error.value) == (
        "'IIx' is not a Hamilton–Norwood grade; valid: I, II, IIa, III, IIIa, III vertex, IV,"
        " IVa, V, Va, VI, VII"
    )


def test_it_refuses_an_unknown_scale_listing_the_scales() -> None:
    with pytest.raises(GradeError, match="'olsen' is not a scale; valid: hamilton_norwood"):
        validate_grade("olsen", "1")


@pytest.mark.parametrize("grade", ["L", "M0", "M3", "C2", "U1", "M2V1", "C1F2", "M3F1V2", "LF2"])
def test_it_accepts_basp_final_types(grade: str) -> None:
    assert validate_grade("basp", grade).code == grade


@pytest.mark.parametrize("grade", ["", "U0", "M4", "V1", "F1", "M2V1F1", "M2F1F2", "m2", "L V1"])
def test_it_refuses_malformed_basp_types(grade: str) -> None:
    with pytest.raises(GradeError, match="is not a BASP grade"):
        validate_grade("basp", grade)


def test_it_lists_all_192_basp_combinations_as_choices() -> None:
    codes = [code for code, _ in scales.choices("basp")]
    assert len(codes) == len(set(codes)) == 12 * 4 * 4
    assert "M1F2V1" in codes


def test_it_orders_severity_along_each_scale() -> None:
    for scale in ("hamilton_norwood", "ludwig", "sinclair"):
        values = [g.severity for g in scales.SCALES[scale].grades]
        assert values == sorted(values)  # type: ignore[type-var]


def test_it_gives_savin_frontal_no_severity_because_it_is_a_pattern_panel() -> None:
    assert severity("savin", "frontal") is None
    assert severity("savin", "advanced") == 8


def test_it_ranks_basp_by_basic_and_specific_types() -> None:
    assert severity("basp", "L") == 0
    assert severity("basp", "M2V1") == 3
    assert severity("basp", "U3F3V3") > severity("basp", "M3")  # type: ignore[operator]


def test_it_marks_savin_and_sinclair_wording_as_unverified() -> None:
    assert all(g.unverified for g in scales.SCALES["savin"].grades)
    assert all(g.unverified for g in scales.SCALES["sinclair"].grades)
    assert not any(g.unverified for g in scales.SCALES["ludwig"].grades)


def test_it_lists_scales_suited_to_each_sex_primary_first() -> None:
    female = [s.key for s in scales.scales_for_sex("female")]
    male = [s.key for s in scales.scales_for_sex("male", include_secondary=False)]
    assert female[-1] == "hamilton_norwood" and "savin" in female
    assert male == ["hamilton_norwood", "basp"]
    assert ("savin", "Savin") not in scales.scale_choices("male")


def test_it_records_frontal_accentuation_as_a_finding_not_a_scale() -> None:
    assert "olsen" not in scales.SCALES
    assert scales.OLSEN_FINDING == "frontal_accentuation"


def test_it_knows_which_grades_mean_no_pattern_loss() -> None:
    assert scales.is_normal("sinclair", "1")
    assert not scales.is_normal("ludwig", "I")
    assert not scales.is_normal("basp", "LV1")
