"""Template tags: the patient page's assessment section and plain words for codes."""

from __future__ import annotations

from typing import Any

from django import template

from mesohair.assessments import leaflet
from mesohair.assessments.presenting import summary
from mesohair.clinical.vocabulary import words

register = template.Library()


@register.inclusion_tag("assessments/_patient_section.html", takes_context=True)
def assessment_section(context: dict[str, Any], patient: Any) -> dict[str, Any]:
    """Latest assessment, whether the patient may proceed to planning, and the forms."""
    return {
        "patient": patient,
        "summary": summary(patient),
        "perms_here": context.get("perms_here", {}),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def plain(code: str) -> str:
    """A code such as ``part_widening`` in plain words."""
    return words(str(code))


@register.filter
def test_words(code: str) -> str:
    """A suggested test in plain words for patients."""
    return leaflet.test_words(str(code))
