"""Assessments: examination, scale grade, trichoscopy findings and the triage result.

The clinical decision is made by the pure engine (``mesohair.clinical``); this app builds the
case from recorded data, stores the decision with the assessment, and records what the
clinician did with it (precautions acknowledged, decision overridden with a reason).
``services.may_proceed_to_planning(patient)`` is the one answer treatment planning asks.
"""
