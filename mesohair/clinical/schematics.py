"""Small SVG schematics of each scale grade, drawn by code (clinical.md §1).

Each drawing is a top view of a head (front at the top, marked by the nose), about
120 × 140 px, with the thinning region shaded: the darker the shading, the less hair.
These are simple, honest schematics to help pick a grade, not reproductions of the
published charts; each SVG has a ``<title>`` and ``<desc>`` for screen readers.

Example
-------
>>> svg = schematic_svg("ludwig", "II")
>>> svg.startswith("<svg") and "<title" in svg
True
"""

from __future__ import annotations

import re
from html import escape

from mesohair.clinical.scales import BASP_BASIC, OLSEN_FINDING, choices, get_scale

WIDTH, HEIGHT = 120, 140
_HEAD = 'cx="60" cy="74" rx="44" ry="56"'
_SCALP = "#f4dcc8"
_HAIR = "#6f4e37"
_LOSS = "#f4dcc8"


def _ellipse(cx: float, cy: float, rx: float, ry: float, opacity: float = 1.0) -> str:
    return f'<ellipse cx="{cx:g}" cy="{cy:g}" rx="{rx:g}" ry="{ry:g}" {_fill(opacity)}/>'


def _polygon(points: list[tuple[float, float]], opacity: float = 1.0) -> str:
    text = " ".join(f"{x:g},{y:g}" for x, y in points)
    return f'<polygon points="{text}" {_fill(opacity)}/>'


def _rect(x: float, y: float, w: float, h: float, opacity: float = 1.0) -> str:
    return f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" {_fill(opacity)}/>'


def _fill(opacity: float) -> str:
    return f'fill="{_LOSS}" fill-opacity="{opacity:g}"'


def temples(depth: float) -> list[str]:
    """Two triangular temporal recessions reaching ``depth`` px behind the hairline."""
    if depth <= 0:
        return []
    left = [(4.0, 30.0), (46.0, 10.0), (42.0, 24 + 0.4 * depth), (28.0, 32 + depth)]
    right = [(WIDTH - x, y) for x, y in left]
    return [_polygon(left), _polygon(right)]


def front_band(depth: float) -> list[str]:
    """The whole front hairline receding evenly as a unit (type-A pattern)."""
    return [_ellipse(60, 16, 50, 6 + depth)]


def central_front(depth: float) -> list[str]:
    """A C-shaped recession of the centre of the front hairline (BASP C)."""
    return [_ellipse(60, 16, 22, 4 + depth)]


def vertex(radius: float, opacity: float = 1.0) -> list[str]:
    """Loss at the crown (vertex)."""
    return [_ellipse(60, 94, radius, radius * 1.1, opacity)]


def part(width: float) -> list[str]:
    """The central part, from the front towards the crown."""
    return [_rect(60 - width / 2, 24, width, 80)]


def top(opacity: float, rx: float = 24, ry: float = 36) -> list[str]:
    """Diffuse thinning over the top of the scalp, frontal hairline kept."""
    return [_ellipse(60, 68, rx, ry, opacity)]


def christmas_tree(opacity: float = 0.7) -> list[str]:
    """Frontal accentuation: wide at the front, narrowing back along the part (Olsen)."""
    return [_polygon([(34, 24), (86, 24), (60, 104)], opacity)]


_HAMILTON: dict[str, list[str]] = {
    "I": [],
    "II": temples(10),
    "IIa": front_band(6),
    "III": temples(20),
    "IIIa": front_band(14),
    "III vertex": temples(18) + vertex(10),
    "IV": temples(28) + vertex(13),
    "IVa": front_band(26),
    "V": temples(34) + vertex(18),
    "Va": front_band(42),
    "VI": [_ellipse(60, 62, 32, 46)],
    "VII": [_ellipse(60, 64, 38, 54)],
}
_LUDWIG = {"I": top(0.35), "II": top(0.65), "III": top(0.95)}
_SAVIN = {
    "I-1": part(1.5),
    "I-2": part(4),
    "I-3": part(6.5),
    "I-4": part(9),
    "II-1": part(9) + top(0.25),
    "II-2": part(9) + top(0.4),
    "III": part(10) + top(0.6),
    "advanced": top(0.9, 28, 40),
    "frontal": part(6) + christmas_tree(),
}
_SINCLAIR = {
    "1": part(1.5),
    "2": part(6),
    "3": part(6) + [_rect(50, 24, 20, 80, 0.35)],
    "4": part(6) + top(0.5),
    "5": top(0.9, 28, 40),
}


def _basp_shapes(code: str) -> list[str]:
    """Compose a BASP final type: basic hairline shape plus F (top) and V (vertex)."""
    match = re.fullmatch(r"(L|[MCU]\d)(F\d)?(V\d)?", code)
    assert match is not None  # validated by get_scale(...).grade(code) before
    basic, f_type, v_type = match.groups()
    shapes: list[str] = []
    if basic[0] == "M":
        shapes += temples(4 + 8 * int(basic[1]))
    elif basic[0] == "C":
        shapes += central_front(8 * int(basic[1]))
    elif basic[0] == "U":
        shapes += [_ellipse(60, 48, 40, 44 + 6 * int(basic[1]))]
    if f_type:
        shapes += top(0.2 + 0.2 * int(f_type[1]))
    if v_type:
        shapes += vertex(6 + 4 * int(v_type[1]), 0.35 + 0.2 * int(v_type[1]))
    return shapes


_TABLES = {"hamilton_norwood": _HAMILTON, "ludwig": _LUDWIG, "savin": _SAVIN, "sinclair": _SINCLAIR}


def _svg(ident: str, title: str, shapes: list[str]) -> str:
    """Wrap shapes in the head drawing; the shapes are clipped to the scalp."""
    clip = f"clip-{ident}"
    body = "".join(shapes)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">Schematic top view of the head, front at the top; the pale'
        " shaded area is thinning (the paler, the less hair). Not to scale.</desc>"
        f'<defs><clipPath id="{clip}"><ellipse {_HEAD}/></clipPath></defs>'
        f'<polygon points="54,20 60,6 66,20" fill="{_SCALP}" stroke="#555"/>'
        f'<ellipse cx="15" cy="78" rx="5" ry="11" fill="{_SCALP}" stroke="#555"/>'
        f'<ellipse cx="105" cy="78" rx="5" ry="11" fill="{_SCALP}" stroke="#555"/>'
        f'<ellipse {_HEAD} fill="{_HAIR}"/>'
        f'<g clip-path="url(#{clip})">{body}</g>'
        f'<ellipse {_HEAD} fill="none" stroke="#333" stroke-width="1.5"/></svg>'
    )


def _ident(scale: str, grade: str) -> str:
    """A stable, id-safe name so several SVGs can share one page."""
    return "mh-" + re.sub(r"[^A-Za-z0-9-]+", "_", f"{scale}-{grade}")


def schematic_svg(scale: str, grade: str) -> str:
    """Return the SVG schematic of ``grade`` on ``scale``; raise GradeError if invalid."""
    found = get_scale(scale)
    described = found.grade(grade)
    shapes = _basp_shapes(grade) if scale == "basp" else _TABLES[scale][grade]
    title = f"{found.name} {grade}: {described.description}"
    return _svg(_ident(scale, grade), title, shapes)


def schematics(scale: str, *, basic_only: bool = False) -> dict[str, str]:
    """Return ``{grade: svg}`` for every grade of a scale, in scale order.

    For BASP, ``basic_only`` limits the drawings to the twelve basic types.
    """
    codes = list(BASP_BASIC) if scale == "basp" and basic_only else [c for c, _ in choices(scale)]
    return {code: schematic_svg(scale, code) for code in codes}


def frontal_accentuation_svg() -> str:
    """Return a schematic of Olsen's frontal accentuation ("Christmas tree") sign."""
    title = "Frontal accentuation (Olsen, 'Christmas tree'): a present/absent sign"
    return _svg(f"mh-sign-{OLSEN_FINDING}", title, part(6) + christmas_tree())
