"""Hair-loss classification scales as data, with validation (clinical.md §1).

Every scale is a :class:`Scale` holding its grades in order. A :class:`Grade` carries a
one-line, paraphrased description, an ordinal ``severity`` for charts (``None`` where the
grade is not a severity step, such as Savin "frontal"), and ``unverified`` where clinical.md
says the wording came from secondary sources only, so that a clinic may edit the display text.

BASP (§1.6) is combinatorial (basic type + optional F and V), so its grades are parsed rather
than listed; :func:`choices` still lists every valid combination for a form.

Olsen's frontal accentuation (§1.4) is a present/absent sign, recorded as the finding
``frontal_accentuation``, not a scale: the staged "Olsen 1–3" exists only on a clinic page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Sex = Literal["female", "male"]
Fit = Literal["primary", "secondary"]
SEXES: tuple[Sex, ...] = ("female", "male")

OLSEN_FINDING = "frontal_accentuation"


class GradeError(ValueError):
    """A grade that is not on the scale, or a scale that does not exist."""


@dataclass(frozen=True)
class Grade:
    """One grade of a scale."""

    code: str
    description: str
    severity: int | None
    unverified: bool = False


@dataclass(frozen=True)
class Scale:
    """A classification scale: its grades in order and whom it suits."""

    key: str
    name: str
    grades: tuple[Grade, ...]
    suits: Mapping[Sex, Fit]
    note: str
    source: str

    def grade(self, code: str) -> Grade:
        """Return the grade with this code, or raise :class:`GradeError`."""
        for grade in self.grades:
            if grade.code == code:
                return grade
        if self.key == "basp":
            return basp_grade(code)
        raise GradeError(invalid_grade_message(self, code))

    @property
    def codes(self) -> tuple[str, ...]:
        """Grade codes in scale order."""
        return tuple(g.code for g in self.grades)


def _grades(rows: list[tuple[str, str]], *, unverified: bool = False) -> tuple[Grade, ...]:
    """Build grades whose severity is their 1-based position on the scale."""
    return tuple(Grade(code, text, index, unverified) for index, (code, text) in enumerate(rows, 1))


# §1.1: Norwood's twelve categories. Severity orders the A variants just after their
# numbered stage, since "the suffix gives the depth of recession, matching II–V"; the steps
# are unequal (§1.7), so severity is an order for charts, not a distance.
_HAMILTON_NORWOOD = _grades(
    [
        ("I", "Juvenile hairline; little or no recession at the temples."),
        ("II", "Small symmetrical triangular recessions at the temples; the adult hairline."),
        ("IIa", "Whole front hairline recedes evenly as a unit to about stage II depth."),
        ("III", "Deep bare or sparse temporal recessions; the first stage counted as balding."),
        ("IIIa", "Whole front hairline recedes as a unit to about stage III depth."),
        ("III vertex", "Loss mainly at the crown; temple recession no deeper than stage III."),
        ("IV", "Deeper temple recession and sparse crown, separated by a dense band of hair."),
        ("IVa", "Whole front hairline recedes as a unit, beyond stage III, no crown bridge."),
        ("V", "Larger front and crown bald areas; the band between them narrower but present."),
        ("Va", "Front recedes as a unit almost to the crown; no island of hair behind it."),
        ("VI", "The band is gone: front and crown merge into one bald area."),
        ("VII", "Only a narrow horseshoe of hair remains at the sides and back."),
    ]
)

# §1.2: Ludwig 1977; the frontal hairline is kept.
_LUDWIG = _grades(
    [
        ("I", "Visible thinning over the crown, 1–3 cm behind a preserved frontal hairline."),
        ("II", "Marked thinning within the same crown area."),
        ("III", "Near-complete baldness of the crown area; the frontal fringe stays intact."),
    ]
)

# §1.3: Savin panel labels and wording are from web summaries only (marked unverified).
# "frontal" is a pattern panel, not a tenth severity step, so it has no severity.
_SAVIN = _grades(
    [
        ("I-1", "Normal midline part; no thinning."),
        ("I-2", "Slightly wider midline part."),
        ("I-3", "Wider midline part."),
        ("I-4", "Clearly widened midline part."),
        ("II-1", "Diffuse thinning over the top of the scalp."),
        ("II-2", "More diffuse thinning over the top of the scalp."),
        ("III", "Marked diffuse loss over the top of the scalp."),
        ("advanced", "Advanced loss over the top of the scalp."),
    ],
    unverified=True,
) + (Grade("frontal", "Loss concentrated at the front of the part (pattern panel).", None, True),)

# §1.5: "the primary figure was not retrieved, so check the wording before use".
_SINCLAIR = _grades(
    [
        ("1", "Normal part; no thinning."),
        ("2", "Part visibly widened."),
        ("3", "Widened part plus thinning of hair on both sides of it."),
        ("4", "Diffuse thinning becoming visible over the top of the scalp."),
        ("5", "Advanced, extensive loss over the top of the scalp."),
    ],
    unverified=True,
)

# §1.6: BASP basic types (anterior hairline shape) and specific types (top density).
BASP_BASIC: Mapping[str, str] = MappingProxyType(
    {
        "L": "Linear hairline, no recession",
        "M0": "M-shaped hairline, preserved",
        "M1": "M-shaped temporal recession, mild",
        "M2": "M-shaped temporal recession, moderate",
        "M3": "M-shaped temporal recession, deep",
        "C0": "C-shaped hairline, preserved",
        "C1": "C-shaped central front recession, mild",
        "C2": "C-shaped central front recession, moderate",
        "C3": "C-shaped central front recession, deep",
        "U1": "U-shaped hairline behind the vertex, mild",
        "U2": "U-shaped hairline behind the vertex, moderate",
        "U3": "U-shaped hairline behind the vertex, severe",
    }
)
BASP_SPECIFIC: Mapping[str, str] = MappingProxyType(
    {
        "F1": "mild diffuse thinning over the top",
        "F2": "moderate diffuse thinning over the top",
        "F3": "severe diffuse thinning over the top",
        "V1": "mild thinning at the vertex",
        "V2": "moderate thinning at the vertex",
        "V3": "severe thinning at the vertex",
    }
)
_BASP_RE = re.compile(r"(L|[MC][0-3]|U[1-3])(F[1-3])?(V[1-3])?")


def _basp_basic_rank(basic: str) -> int:
    """Rank a basic type for charts: L, M0 and C0 are 0; M/C1–3 are 1–3; U1–3 are 4–6."""
    if basic == "L":
        return 0
    depth = int(basic[1])
    return depth + 3 if basic[0] == "U" else depth


def basp_grade(code: str) -> Grade:
    """Parse a BASP final type such as ``M2V1`` into a :class:`Grade`.

    Severity is the basic rank plus the F and V numbers: an order for charts only, since
    BASP is two independent axes, not one scale.
    """
    match = _BASP_RE.fullmatch(code)
    if match is None:
        raise GradeError(invalid_grade_message(SCALES["basp"], code))
    basic, f_type, v_type = match.groups()
    parts = [BASP_BASIC[basic]] + [BASP_SPECIFIC[s] for s in (f_type, v_type) if s]
    severity = _basp_basic_rank(basic) + sum(int(s[1]) for s in (f_type, v_type) if s)
    return Grade(code, "; ".join(parts) + ".", severity)


def _basp_codes() -> tuple[str, ...]:
    specifics_f = ("", "F1", "F2", "F3")
    specifics_v = ("", "V1", "V2", "V3")
    return tuple(b + f + v for b in BASP_BASIC for f in specifics_f for v in specifics_v)


SCALES: Mapping[str, Scale] = MappingProxyType(
    {
        "hamilton_norwood": Scale(
            "hamilton_norwood",
            "Hamilton–Norwood",
            _HAMILTON_NORWOOD,
            MappingProxyType({"male": "primary", "female": "secondary"}),
            "Men; women only with a male-type pattern.",
            "clinical.md §1.1",
        ),
        "ludwig": Scale(
            "ludwig",
            "Ludwig",
            _LUDWIG,
            MappingProxyType({"female": "primary", "male": "secondary"}),
            "Women; men only with a female-type pattern.",
            "clinical.md §1.2",
        ),
        "savin": Scale(
            "savin",
            "Savin",
            _SAVIN,
            MappingProxyType({"female": "primary"}),
            "Women; eight density panels plus a 'frontal' pattern panel. Labels unverified.",
            "clinical.md §1.3",
        ),
        "sinclair": Scale(
            "sinclair",
            "Sinclair",
            _SINCLAIR,
            MappingProxyType({"female": "primary", "male": "secondary"}),
            "Women; a modified version is validated in men with a female-type pattern.",
            "clinical.md §1.5",
        ),
        "basp": Scale(
            "basp",
            "BASP",
            tuple(basp_grade(c) for c in BASP_BASIC),
            MappingProxyType({"female": "primary", "male": "primary"}),
            "Both sexes; basic hairline type plus at most one F and one V, in that order.",
            "clinical.md §1.6",
        ),
    }
)


def _valid_list(scale: Scale) -> str:
    if scale.key == "basp":
        return "a basic type L, M0–M3, C0–C3 or U1–U3, then optionally F1–F3, then V1–V3"
    return ", ".join(scale.codes)


def invalid_grade_message(scale: Scale, code: object) -> str:
    """Return the message for a grade that is not on ``scale``, listing the valid choices."""
    return f"{code!r} is not a {scale.name} grade; valid: {_valid_list(scale)}"


def get_scale(key: str) -> Scale:
    """Return the scale with this key, or raise :class:`GradeError` naming the valid keys."""
    scale = SCALES.get(key)
    if scale is None:
        raise GradeError(f"{key!r} is not a scale; valid: {', '.join(SCALES)}")
    return scale


def validate_grade(scale: str, grade: str) -> Grade:
    """Return the :class:`Grade` for ``grade`` on ``scale``; raise :class:`GradeError`."""
    return get_scale(scale).grade(grade)


def severity(scale: str, grade: str) -> int | None:
    """Return the ordinal severity of a grade for charts (``None`` for Savin 'frontal')."""
    return validate_grade(scale, grade).severity


def scales_for_sex(sex: Sex, *, include_secondary: bool = True) -> tuple[Scale, ...]:
    """Return the scales suited to a sex, primary ones first."""
    primary = [s for s in SCALES.values() if s.suits.get(sex) == "primary"]
    secondary = [s for s in SCALES.values() if s.suits.get(sex) == "secondary"]
    return tuple(primary + (secondary if include_secondary else []))


def scale_choices(sex: Sex | None = None) -> list[tuple[str, str]]:
    """Return ``(key, name)`` pairs for a scale select box, optionally for one sex."""
    scales = SCALES.values() if sex is None else scales_for_sex(sex)
    return [(s.key, s.name) for s in scales]


def choices(scale: str) -> list[tuple[str, str]]:
    """Return ``(code, "code — description")`` pairs for a grade select box."""
    found = get_scale(scale)
    codes = _basp_codes() if found.key == "basp" else found.codes
    return [(code, f"{code} — {found.grade(code).description}") for code in codes]


# Grades that describe no pattern loss: Hamilton–Norwood I (juvenile hairline), Savin I-1
# and Sinclair 1 (normal part), BASP L/M0/C0 without a specific type (§1.1, §1.3, §1.5, §1.6).
NORMAL_GRADES: frozenset[tuple[str, str]] = frozenset(
    {
        ("hamilton_norwood", "I"),
        ("savin", "I-1"),
        ("sinclair", "1"),
        ("basp", "L"),
        ("basp", "M0"),
        ("basp", "C0"),
    }
)


def is_normal(scale: str, grade: str) -> bool:
    """Return True for a valid grade that means 'no pattern hair loss'."""
    validate_grade(scale, grade)
    return (scale, grade) in NORMAL_GRADES
