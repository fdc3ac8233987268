"""Thresholds of the triage engine, as data a clinic may adjust (contracts/triage.md).

Defaults follow clinical.md, taking the safer value where it gives a range. Where
clinical.md gives no figure, the contract's default is used and the message says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mesohair.clinical.medications import DEFAULT_MEDICATION_CLASSES


@dataclass(frozen=True)
class TriageSettings:
    """Thresholds and tables used by :func:`mesohair.clinical.triage.triage`."""

    # §3.3: ROC cut-offs 27.5 (TE) and 29.4 (FPHL) µg/L; other sources propose 10–60.
    ferritin_min_ug_l: float = 30.0
    # Not given in clinical.md (§3.3 has no TSH figure): a common adult reference range.
    tsh_low_mu_l: float = 0.4
    tsh_high_mu_l: float = 4.0
    # §3.3: total testosterone above 2x the upper limit of normal is a tumour alert.
    testosterone_uln_nmol_l: float = 2.0
    testosterone_uln_multiple: float = 2.0
    # Not given in clinical.md: WHO anaemia thresholds, g/dL.
    haemoglobin_min_female_g_dl: float = 12.0
    haemoglobin_min_male_g_dl: float = 13.0
    # §3.1: TE typically starts 2–4 months after a trigger; widened to 1–6 for safety.
    trigger_min_months: float = 1.0
    trigger_max_months: float = 6.0
    # §3.2: "current or recent" drugs; §2.1: record new drugs from the past year.
    drug_window_months: float = 6.0
    chemotherapy_window_months: float = 12.0
    # §5.1: clinics wait 6–12 months after isotretinoin before needling; the safer 12.
    isotretinoin_window_months: float = 12.0
    # §3.2: onset in childhood or early adolescence.
    childhood_onset_max_age: int = 12
    # §5.1: no paediatric safety data; minoxidil contraindicated under 18.
    adult_age: int = 18
    # §3.1–3.2: tinea capitis is mostly a disease of children.
    tinea_child_age_below: int = 16
    # §3.2: male-pattern balding in a premenopausal woman; age as a stand-in for menopause.
    premenopausal_age_below: int = 50
    # §2.3: more than 6 hairs from a ~60-hair pull means active shedding.
    pull_test_positive_above: int = 6
    # §2.3: positive in several regions suggests telogen (or anagen) effluvium.
    te_min_sites_positive: int = 2
    # §3.2: fatigue, weight change, cold or heat intolerance.
    thyroid_min_symptoms: int = 2
    medication_classes: Mapping[str, str] = field(
        default_factory=lambda: DEFAULT_MEDICATION_CLASSES
    )


DEFAULT_SETTINGS = TriageSettings()
