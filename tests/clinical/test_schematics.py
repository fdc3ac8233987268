"""SVG schematics: one well-formed, accessible drawing per grade."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from mesohair.clinical.scales import SCALES, GradeError
from mesohair.clinical.schematics import frontal_accentuation_svg, schematic_svg, schematics

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("scale", list(SCALES))
def test_it_draws_a_well_formed_svg_with_a_title_for_every_grade(scale: str) -> None:
    drawings = schematics(scale)
    assert drawings
    for grade, svg in drawings.items():
        root = ET.fromstring(svg)
        assert root.get("width") == "120" and root.get("height") == "140"
        title = root.find(f"{SVG}title")
        assert title is not None and title.text and grade in title.text


def test_it_draws_little_for_a_normal_grade_and_more_for_loss() -> None:
    assert 'clip-path="url(#clip-mh-sinclair-1)"><rect' in schematic_svg("sinclair", "1")
    assert schematic_svg("hamilton_norwood", "I").count("<polygon") == 1  # the nose only
    assert schematic_svg("hamilton_norwood", "VII").count("<ellipse") > 4


def test_it_draws_different_pictures_for_different_grades() -> None:
    drawings = [schematic_svg("hamilton_norwood", g) for g in SCALES["hamilton_norwood"].codes]
    bodies = {svg.split("<g ")[1] for svg in drawings}
    assert len(bodies) == len(drawings)


def test_it_gives_each_svg_unique_ids_so_several_can_share_a_page() -> None:
    ids = [ET.fromstring(s).find(f"{SVG}title").get("id") for s in schematics("savin").values()]  # type: ignore[union-attr]
    assert len(set(ids)) == len(ids)


def test_it_escapes_text_and_refuses_invalid_grades() -> None:
    with pytest.raises(GradeError):
        schematic_svg("ludwig", "IV")


def test_it_can_limit_basp_drawings_to_the_basic_types() -> None:
    assert len(schematics("basp", basic_only=True)) == 12
    assert "M2V1" in schematics("basp")


def test_it_draws_frontal_accentuation_as_a_sign() -> None:
    root = ET.fromstring(frontal_accentuation_svg())
    title = root.find(f"{SVG}title")
    assert title is not None and "present/absent sign" in (title.text or "")
