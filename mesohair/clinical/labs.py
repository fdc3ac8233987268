"""Laboratory tests the intake records, their units and conversions.

Values are stored as entered, with their unit; the triage contract reads them
in one canonical unit per test, converted here. Conversion factors are the
standard molar-mass ones (vitamin D 25-OH: 1 ng/mL = 2.496 nmol/L;
testosterone: 1 ng/dL = 0.03467 nmol/L; haemoglobin 10 g/L = 1 g/dL;
ferritin 1 ng/mL = 1 µg/L; TSH 1 µIU/mL = 1 mU/L).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabTest:
    """A test: its triage key, canonical unit, accepted units and plausible range."""

    code: str
    label: str
    case_key: str
    canonical_unit: str
    factors: dict[str, float]  # unit -> factor to the canonical unit
    plausible_max: float  # a value above this in canonical units is a typo

    def to_canonical(self, value: float, unit: str) -> float:
        """``value`` in ``unit`` expressed in the canonical unit."""
        if unit not in self.factors:
            units = ", ".join(self.factors)
            raise ValueError(f"{unit!r} is not a unit for {self.label}; use {units}")
        return value * self.factors[unit]


LAB_TESTS: dict[str, LabTest] = {
    t.code: t
    for t in (
        LabTest("ferritin", "Ferritin", "ferritin_ug_l", "µg/L", {"µg/L": 1.0, "ng/mL": 1.0}, 5000),
        LabTest("tsh", "TSH", "tsh_mu_l", "mU/L", {"mU/L": 1.0, "µIU/mL": 1.0}, 200),
        LabTest(
            "haemoglobin", "Haemoglobin", "haemoglobin_g_dl", "g/dL",
            {"g/dL": 1.0, "g/L": 0.1}, 30,
        ),
        LabTest(
            "vitamin_d", "Vitamin D (25-OH)", "vitamin_d_nmol_l", "nmol/L",
            {"nmol/L": 1.0, "ng/mL": 2.496}, 1000,
        ),
        LabTest(
            "total_testosterone", "Total testosterone", "total_testosterone_nmol_l", "nmol/L",
            {"nmol/L": 1.0, "ng/dL": 0.03467, "ng/mL": 3.467}, 100,
        ),
    )
}


def unit_choices() -> list[tuple[str, str]]:
    """Every unit any test accepts, for a form's select."""
    seen: dict[str, str] = {}
    for test in LAB_TESTS.values():
        for unit in test.factors:
            seen.setdefault(unit, unit)
    return list(seen.items())


def check_lab_value(code: str, value: float, unit: str) -> str | None:
    """Why this result cannot be right, or None when it is plausible."""
    test = LAB_TESTS.get(code)
    if test is None:
        return f"Unknown test {code!r}."
    if value < 0:
        return "A laboratory value cannot be negative."
    try:
        canonical = test.to_canonical(value, unit)
    except ValueError as exc:
        return str(exc)
    if canonical > test.plausible_max:
        return f"{value} {unit} is not a plausible {test.label} result; check the unit."
    return None
