"""Medication classes as data (contracts/triage.md; clinical.md §3.1, §5.1).

Names are lower-case generic names. A clinic can extend the table through
``TriageSettings.medication_classes``; a name not in the table is reported back in
``unrecognised_medications``, never silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

ANTICOAGULANT = "anticoagulant"
ANTIPLATELET = "antiplatelet"
RETINOID = "retinoid"
ANTITHYROID = "antithyroid"
LITHIUM = "lithium"
ANTICONVULSANT = "anticonvulsant"
BETA_BLOCKER = "beta_blocker"
CORTICOSTEROID = "systemic_corticosteroid"
IMMUNOSUPPRESSANT = "immunosuppressant"
HORMONAL_CONTRACEPTIVE = "hormonal_contraceptive"
ANTIANDROGEN_5ARI = "5_alpha_reductase_inhibitor"
MINOXIDIL = "minoxidil"

_TABLE: dict[str, tuple[str, ...]] = {
    ANTICOAGULANT: (
        "warfarin", "acenocoumarol", "phenprocoumon", "heparin", "enoxaparin", "dalteparin",
        "apixaban", "rivaroxaban", "edoxaban", "dabigatran",
    ),
    ANTIPLATELET: ("aspirin", "clopidogrel", "prasugrel", "ticagrelor"),
    RETINOID: ("isotretinoin", "acitretin"),
    ANTITHYROID: ("methimazole", "carbimazole", "propylthiouracil"),
    LITHIUM: ("lithium",),
    ANTICONVULSANT: ("valproate", "carbamazepine"),
    BETA_BLOCKER: ("propranolol", "metoprolol", "atenolol", "bisoprolol"),
    CORTICOSTEROID: ("prednisone", "prednisolone", "methylprednisolone", "dexamethasone"),
    IMMUNOSUPPRESSANT: (
        "tacrolimus", "ciclosporin", "mycophenolate", "azathioprine", "methotrexate",
    ),
    HORMONAL_CONTRACEPTIVE: (
        "ethinylestradiol", "levonorgestrel", "desogestrel", "drospirenone", "norethisterone",
    ),
    ANTIANDROGEN_5ARI: ("finasteride", "dutasteride"),
    MINOXIDIL: ("minoxidil",),
}  # fmt: skip

DEFAULT_MEDICATION_CLASSES: Mapping[str, str] = MappingProxyType(
    {name: drug_class for drug_class, names in _TABLE.items() for name in names}
)

# §3.1 lists these classes as triggers of drug-induced telogen effluvium (§3.2: "review the
# medication; defer"). Antiplatelets, steroids, 5-ARIs and minoxidil are not in that list.
SHEDDING_CLASSES: frozenset[str] = frozenset(
    {
        ANTICOAGULANT, RETINOID, ANTITHYROID, LITHIUM, ANTICONVULSANT, BETA_BLOCKER,
        HORMONAL_CONTRACEPTIVE,
    }
)  # fmt: skip

BLEEDING_CLASSES: frozenset[str] = frozenset({ANTICOAGULANT, ANTIPLATELET})


def normalise_name(name: str) -> str:
    """Return the lookup form of a medication name (trimmed, lower-case)."""
    return " ".join(name.split()).lower()
