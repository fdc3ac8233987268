"""The triage engine (contracts/triage.md): may this patient be considered for mesotherapy?

``triage(case)`` runs every rule, lists every reason found (each code once, most
restrictive kind first) and decides by precedence
``refer > not_eligible > workup_first > eligible_with_precautions > eligible``.
The engine never hides a reason; a clinician may override the decision in the app.

Example
-------
>>> case, problems = validate_case({"age": 31, "sex": "male"})
>>> triage(case).decision
'eligible'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mesohair.clinical._rule_base import Hit, Rule, present
from mesohair.clinical._rules_precaution import PRECAUTION_RULES
from mesohair.clinical._rules_refer import REFER_RULES
from mesohair.clinical._rules_workup import WORKUP_RULES
from mesohair.clinical.case import Case, validate_case
from mesohair.clinical.medications import normalise_name
from mesohair.clinical.scales import is_normal
from mesohair.clinical.triage_settings import DEFAULT_SETTINGS, TriageSettings
from mesohair.clinical.vocabulary import (
    CODES,
    DECISION_FOR_KIND,
    KIND_ORDER,
    OUTCOME_ORDER,
    Kind,
    Outcome,
)

__all__ = ["Decision", "Reason", "TriageSettings", "DEFAULT_SETTINGS", "triage", "validate_case"]

RULES: tuple[Rule, ...] = REFER_RULES + WORKUP_RULES + PRECAUTION_RULES

# §2.1–2.2: the clinical and trichoscopic picture of androgenetic alopecia.
_AGA_FINDINGS = (
    "receding_hairline", "crown_thinning", "part_widening", "frontal_accentuation",
    "hair_diameter_diversity", "vellus_hairs", "peripilar_sign", "single_hair_units",
)  # fmt: skip
_CODE_ORDER = {code: index for index, code in enumerate(CODES)}


@dataclass(frozen=True)
class Reason:
    """One reason: its code, kind, a plain-language message and the clinical.md section."""

    code: str
    kind: Kind
    message: str
    source: str

    def to_dict(self) -> dict[str, str]:
        """Return the reason as in the contract's output."""
        return {"code": self.code, "kind": str(self.kind), "message": self.message,
                "source": self.source}  # fmt: skip


@dataclass(frozen=True)
class Decision:
    """The triage decision with all its reasons, suspicions and suggested tests."""

    decision: Outcome
    reasons: tuple[Reason, ...] = ()
    suspected: tuple[str, ...] = ()
    suggested_tests: tuple[str, ...] = ()
    unrecognised_medications: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """Reason codes in output order."""
        return tuple(r.code for r in self.reasons)

    @property
    def precaution_codes(self) -> frozenset[str]:
        """Codes of the precautions a clinician must acknowledge."""
        return frozenset(r.code for r in self.reasons if r.kind is Kind.PRECAUTION)

    def to_dict(self) -> dict[str, Any]:
        """Return the decision as the contract's output JSON object."""
        return {
            "decision": str(self.decision),
            "reasons": [r.to_dict() for r in self.reasons],
            "suspected": list(self.suspected),
            "suggested_tests": list(self.suggested_tests),
            "unrecognised_medications": list(self.unrecognised_medications),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        """Rebuild a decision stored as :meth:`to_dict` output (e.g. in a JSON field)."""
        reasons = tuple(
            Reason(r["code"], Kind(r["kind"]), r["message"], r["source"]) for r in data["reasons"]
        )
        return cls(
            Outcome(data["decision"]),
            reasons,
            tuple(data.get("suspected", ())),
            tuple(data.get("suggested_tests", ())),
            tuple(data.get("unrecognised_medications", ())),
        )


def triage(case: Case, settings: TriageSettings = DEFAULT_SETTINGS) -> Decision:
    """Decide whether ``case`` may proceed, needs work-up, must wait, or should be referred."""
    hits = _unique_in_order([hit for rule in RULES if (hit := rule(case, settings)) is not None])
    reasons = tuple(Reason(h.code, CODES[h.code][0], h.message, CODES[h.code][1]) for h in hits)
    # contracts/triage.md, "Decision (output)": the example lists suspicions and tests in the
    # order the reasons raise them (["telogen_effluvium", "androgenetic_alopecia"],
    # ["ferritin", "tsh", "cbc"]), not in vocabulary order; androgenetic alopecia comes last.
    return Decision(
        decision=decide(r.kind for r in reasons),
        reasons=reasons,
        suspected=_dedup(_suspected(case, hits)),
        suggested_tests=_dedup(t for h in hits for t in h.tests),
        unrecognised_medications=_unrecognised(case, settings),
    )


def decide(kinds: Iterable[Kind]) -> Outcome:
    """Return the most restrictive decision any of the kinds calls for (or eligible)."""
    outcomes = {DECISION_FOR_KIND[kind] for kind in kinds}
    return next((o for o in OUTCOME_ORDER if o in outcomes), Outcome.ELIGIBLE)


def _unique_in_order(hits: list[Hit]) -> list[Hit]:
    """Each code once, most restrictive kind first, then in the contract's table order."""
    unique: dict[str, Hit] = {}
    for hit in hits:
        unique.setdefault(hit.code, hit)
    return sorted(
        unique.values(),
        key=lambda h: (KIND_ORDER.index(CODES[h.code][0]), _CODE_ORDER[h.code]),
    )


def _suspected(case: Case, hits: list[Hit]) -> list[str]:
    """Suspected diagnoses: those of the hits, plus AGA when its pattern or signs are seen."""
    found = [s for hit in hits for s in hit.suspected]
    pattern = case.pattern
    if (pattern and not is_normal(pattern.scale, pattern.grade)) or present(case, _AGA_FINDINGS):
        found.append("androgenetic_alopecia")
    return found


def _dedup(codes: Iterable[str]) -> tuple[str, ...]:
    """Deduplicate codes, keeping the order in which they were first raised."""
    return tuple(dict.fromkeys(codes))


def _unrecognised(case: Case, settings: TriageSettings) -> tuple[str, ...]:
    """Medication names not in the class table, as given, first occurrence order."""
    names = [m.name for m in case.medications]
    unknown = [n for n in names if normalise_name(n) not in settings.medication_classes]
    return tuple(dict.fromkeys(unknown))
