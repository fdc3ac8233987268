"""Pure clinical logic: no Django imports (design.md §3).

- :mod:`~mesohair.clinical.scales`: classification scales as data, ``validate_grade``,
  ``severity``, ``scales_for_sex``, ``scale_choices``, ``choices``.
- :mod:`~mesohair.clinical.schematics`: ``schematic_svg(scale, grade)`` and
  ``schematics(scale)``, small SVG drawings of each grade.
- :mod:`~mesohair.clinical.case`: ``validate_case(obj, place)`` → ``(Case | None, problems)``.
- :mod:`~mesohair.clinical.triage`: ``triage(case, settings)`` → ``Decision``.
- :mod:`~mesohair.clinical.eligibility`: ``may_plan_treatment(decision, acknowledged,
  override_reason)`` → ``Eligibility``.
- :mod:`~mesohair.clinical.cli`: ``triage_main(argv)`` for ``mesohair triage CASE.json``.
"""
