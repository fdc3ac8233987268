"""Lines that are not hairs: superficial vessels, immersion-bubble rims and the
walls of a honeycomb pigment network.

All are thin dark lines in luminance, the shape a vellus hair has, and
``domain/imaging.md`` (sections 4b, 4c) lists such distractors among what a
counter must reject. They differ from a hair in colour and in shape:

* a vessel is red: haemoglobin absorbs green tens of times more than red,
  melanin absorbs both (see :data:`mesohair.imaging.detect.MIN_RED_RATIO`);
* a bubble rim is a circle of a few hundred micrometres at most, drawn by
  refraction at the edge of an air bubble in the immersion fluid; a shaft
  is straight or gently curved over that length;
* a pigment network closes into many small round cells with thin walls
  (:func:`pigment_network`); crossing hairs enclose few, elongated holes;
* a peripilar halo or a pigment spot is a faint, broad, short patch that darkens
  the skin in the skin's own colour (:func:`pigment_spots`); a shaft that wide is
  far darker, or (grey hair) takes the red out of the skin's colour.
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from mesohair.imaging.chains import length
from mesohair.imaging.numeric import (
    circle_fit,
    circle_fits,
    densify,
    in_image,
    mask_at,
    median,
    normals,
    padded,
    values_at,
)
from mesohair.imaging.quality import near_field_edge

Points = NDArray[np.float64]

VESSEL_RED_RATIO = 0.35
"""Red-to-luminance absorbance ratio of a line below which it is a vessel (a dark
hair reads 0.8-1, a red-haired shaft about 0.5, a vessel 0.1-0.3)."""

VESSEL_MAX_WIDTH_UM = 60.0
"""Widest line tested for a vessel."""

RIM_MAX_RADIUS_UM = 300.0
"""Largest bubble rim taken for one (a curl that tight over half a turn is not a shaft)."""

RIM_MIN_RADIUS_UM = 30.0
"""Smallest bubble rim looked for."""

RUNS_OUT_PX = 6.5
"""A curling line ending this close to the image edge or the invalid field may be a cut rim."""

RIM_MIN_COVER = 0.75
"""Fraction of a circle that must be drawn in the mask for it to be a rim."""


def _absorbance_channels(rgb: NDArray[np.uint8]) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Red channel and luminance, offset by one so that logs stay finite."""
    red = rgb[..., 0].astype(np.float32) + 1.0
    lum = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32) + 1.0
    return red, lum


def red_ratios(rgb: NDArray[np.uint8], lines: list[tuple[Points, float]]) -> list[float]:
    """For each (centreline, width): median red absorbance over median luminance
    absorbance along the line (1.0 for a line too short or too faint to tell).

    Absorbance is taken against the skin on both sides of the line (offsets
    of half a width plus three pixels), so vignetting and skin colour cancel.
    All lines are sampled in one pass (this runs on every image).
    """
    if not lines:
        return []
    red, lum = _absorbance_channels(rgb)
    dense = [densify(pts, 1.5) for pts, _ in lines]
    p = np.concatenate(dense)
    ends = np.cumsum([len(d) for d in dense])
    last = np.zeros(len(p), bool)
    last[ends - 1] = True
    first = np.zeros(len(p), bool)
    first[ends[:-1]] = True
    first[0] = True
    step = np.diff(p, axis=0, append=p[-1:])  # forward difference, central once summed
    t = np.where(last[:, None], 0.0, step) + np.where(first[:, None], 0.0, np.roll(step, 1, 0))
    t /= np.maximum(np.hypot(*t.T), 1e-9)[:, None]
    n = np.stack([-t[:, 1], t[:, 0]], axis=1)
    off = np.concatenate([np.full(len(d), w / 2.0 + 3.0) for d, (_, w) in
                          zip(dense, lines, strict=True)])[:, None]
    a_r = np.log(np.maximum(values_at(red, p + off * n), values_at(red, p - off * n))
                 / values_at(red, p))
    a_y = np.log(np.maximum(values_at(lum, p + off * n), values_at(lum, p - off * n))
                 / values_at(lum, p))
    ids = np.repeat(np.arange(len(dense)), [len(d) for d in dense])
    dark = a_y > 0.05
    count = np.bincount(ids[dark], minlength=len(dense))
    med_r = _group_medians(a_r[dark], ids[dark], len(dense))
    med_y = _group_medians(a_y[dark], ids[dark], len(dense))
    ratio = med_r / np.maximum(med_y, 1e-6)
    return [float(v) if c >= 3 else 1.0 for v, c in zip(ratio, count, strict=True)]


def _group_medians(vals: NDArray[np.float64], ids: NDArray[np.intp], n: int
                   ) -> NDArray[np.float64]:
    """Median of ``vals`` per group id 0..n-1 (0 for an empty group), in one sort."""
    order = np.lexsort((vals, ids))
    v = vals[order]
    count = np.bincount(ids, minlength=n)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    lo = np.minimum(start + (count - 1) // 2, max(len(v) - 1, 0))
    hi = np.minimum(start + count // 2, max(len(v) - 1, 0))
    if len(v) == 0:
        return np.zeros(n)
    return np.where(count > 0, (v[lo] + v[hi]) / 2.0, 0.0)


def vessels(rgb: NDArray[np.uint8], lines: list[tuple[Points, float]], max_width: float
            ) -> list[bool]:
    """For each (centreline, width): a dark line whose darkness is almost all in green
    and blue (red-to-luminance absorbance ratio below :data:`VESSEL_RED_RATIO`).
    Lines wider than ``max_width`` pixels are shafts (superficial vessels of the scalp
    are a few tens of micrometres across) and are not sampled."""
    thin = [i for i, (_, w) in enumerate(lines) if w <= max_width]
    out = [False] * len(lines)
    for i, r in zip(thin, red_ratios(rgb, [lines[i] for i in thin]), strict=True):
        out[i] = r < VESSEL_RED_RATIO
    return out


PIGMENT_MAX_ABSORBANCE = 0.3
"""Absorbance (natural log, against the local skin; :func:`_body_absorbance`) below which
a line as wide as :data:`PIGMENT_MIN_WIDTH` of the image's typical hair is too faint for
a dark shaft: dark terminal stubs read 0.45 and more on the benchmark phantoms, the
peripilar halos and pigment spots traced as lines 0.10-0.25."""

PIGMENT_MIN_WIDTH = 0.5
"""Width, as a fraction of the image's typical hair width, from which a faint line is
tested (thin vellus hair is faint because it is thin)."""

PIGMENT_MAX_ELONGATION = 3.5
"""Longest line, in its own widths, taken for a patch: a halo or spot traced as a line
is 0.8-3.4 widths long on the phantoms; a shaft is a body with parallel sides."""

PIGMENT_MAX_RED_RATIO = 1.15
"""Red-to-luminance absorbance ratio (:func:`red_ratios`) up to which a faint patch
darkens the skin in the skin's own colour (about 1 for skin pigment, below 1 for brown
melanin). A grey or white shaft over reddish skin takes more red than green out of it
(1.2-1.8 on the grey-hair phantoms on pale and on average skin), and is kept."""


def pigment_spots(rgb: NDArray[np.uint8], absorbance: NDArray[np.float32],
                  lines: list[tuple[Points, float]], typical: float) -> list[bool]:
    """For each (centreline, width) in working pixels: a peripilar halo or a pigment
    spot traced as a line.

    The brown peripilar halo round a follicle opening is a trichoscopic sign of
    early AGA (``domain/clinical.md``, peripilar sign, R34) and, with other skin
    pigment, one of the things a hair counter must not count (``domain/imaging.md``
    4c). Joined to a shaft in the hair mask, or dark enough to seed it alone, its
    patch is traced as a short, wide, faint line. Such a line is one (all four):
    at least :data:`PIGMENT_MIN_WIDTH` of ``typical`` wide, fainter than
    :data:`PIGMENT_MAX_ABSORBANCE`, at most :data:`PIGMENT_MAX_ELONGATION` widths
    long, and coloured like the skin it darkens (:data:`PIGMENT_MAX_RED_RATIO`; a
    line too faint against its flanks for its colour to be read counts as skin-coloured).
    """
    out = [False] * len(lines)
    faint = [i for i, (pts, w) in enumerate(lines)
             if w >= PIGMENT_MIN_WIDTH * typical and length(pts) <= PIGMENT_MAX_ELONGATION * w
             and _body_absorbance(absorbance, pts, w) < PIGMENT_MAX_ABSORBANCE]
    for i, r in zip(faint, red_ratios(rgb, [lines[i] for i in faint]), strict=True):
        out[i] = r <= PIGMENT_MAX_RED_RATIO
    return out


def _body_absorbance(absorbance: NDArray[np.float32], pts: Points, width: float) -> float:
    """How dark a line's body is, median along the line. At each station, the centre,
    or the lighter of its two sides where both are darker (each side's darkest sample
    at 0.175 and 0.35 of the width out): the line traced through two shafts side by
    side runs in the pale gap between them, dark on both sides; a halo touching a
    shaft is dark on that side only."""
    p = densify(pts, 1.5)
    n = normals(p, max(width / 2, 2.0))

    def at(f: float) -> NDArray[np.float32]:
        return values_at(absorbance, p + f * width * n)

    sides = np.minimum(np.maximum(at(-0.35), at(-0.175)), np.maximum(at(0.35), at(0.175)))
    return median(np.maximum(at(0.0), sides))


Circle = tuple[NDArray[np.float64], float]


def _curls(lines: list[Points], hi: float) -> list[Circle | None]:
    """For each line, the circle of radius at most ``hi`` px it bends along for 30° or
    more (its middle five sevenths fitted), or None. The circles of all lines are fitted
    at once (:func:`.circle_fits`)."""
    mids = []
    for pts in lines:
        p = densify(pts, 1.0)
        k = len(p) // 7
        mids.append(p[k:len(p) - k])
    fit = [i for i, mid in enumerate(mids) if len(mid) >= 8]
    out: list[Circle | None] = [None] * len(lines)
    if not fit:
        return out
    centres, radii, resids = circle_fits(*padded([mids[i] for i in fit]))
    for i, c, r, resid in zip(fit, centres, radii.tolist(), resids.tolist(), strict=True):
        if r > hi or resid > max(1.0, 0.1 * r):
            continue
        mid = mids[i]
        ang = np.unwrap(np.arctan2(mid[:, 1] - c[1], mid[:, 0] - c[0]))
        if np.degrees(abs(ang[-1] - ang[0])) >= 30.0:
            out[i] = (c, r)
    return out


def _in_mask(mask: NDArray[np.bool_], pts: Points) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Which points fall inside the image, and which of those lie on the mask."""
    return in_image(pts, mask.shape), mask_at(mask, pts)


def _unit_circle(r: float) -> Points:
    """Unit vectors round a circle of radius ``r``, about one per pixel of its length."""
    t = np.linspace(0.0, 2 * np.pi, max(24, int(2 * np.pi * r)), endpoint=False)
    return np.stack([np.cos(t), np.sin(t)], axis=1)


def _is_ring(mask: NDArray[np.bool_], valid: NDArray[np.bool_], c: NDArray[np.float64],
             r: float) -> bool:
    """A drawn circle (:data:`RIM_MIN_COVER` of its part in the valid field on the
    mask, a pixel either way) that is hollow (a rounded hair end is a filled disc), or,
    where shafts under the bubble fill it, thin between them
    (:func:`_thin_between_shafts`). Glare or the field stop may hide part of a rim."""
    unit = _unit_circle(r)
    inside = np.ones(len(unit), bool)
    drawn = np.zeros(len(unit), bool)
    for dr in (-1.0, 0.0, 1.0):
        ins, on = _in_mask(mask, c + (r + dr) * unit)
        inside &= ins & _in_mask(valid, c + (r + dr) * unit)[1]
        drawn |= on
    if inside.mean() < 0.4 or drawn[inside].mean() < RIM_MIN_COVER:
        return False
    # Hollow: along most rays the mask is empty at 0.6 r (hairs may lie inside a bubble).
    ins, on = _in_mask(mask, c + 0.6 * r * unit)
    if ins.any() and on[ins].mean() <= 0.4:
        return True
    # A bubble over a tuft of stubs is not hollow, but its rim is still a thin line where
    # no shaft crosses it.
    return _thin_between_shafts(mask, c, r)


def _refine(mask: NDArray[np.bool_], c: NDArray[np.float64], r: float
            ) -> tuple[NDArray[np.float64], float]:
    """Least-squares circle through the mask pixels near a Hough circle (the transform's
    centre and radius are a few pixels off on a thin rim)."""
    band = max(3.0, 0.15 * r)
    h, w = mask.shape
    x0, y0 = max(int(c[0] - r - band), 0), max(int(c[1] - r - band), 0)
    x1, y1 = min(int(c[0] + r + band) + 1, w), min(int(c[1] + r + band) + 1, h)
    ys, xs = np.nonzero(mask[y0:y1, x0:x1])
    p = np.stack([xs + x0, ys + y0], axis=1).astype(np.float64)
    p = p[np.abs(np.hypot(*(p - c).T) - r) <= band]
    if len(p) < 12:
        return c, r
    c2, r2, _ = circle_fit(p)
    return (c2, r2) if abs(r2 - r) <= band and np.hypot(*(c2 - c)) <= band else (c, r)


def find_rims(lines: list[Points], mask: NDArray[np.bool_], valid: NDArray[np.bool_],
              um_per_px: float, finest_um_per_px: float | None = None) -> list[Circle]:
    """Bubble rims: thin dark circles of radius :data:`RIM_MIN_RADIUS_UM` to
    :data:`RIM_MAX_RADIUS_UM` drawn in the hair mask.

    A traced line that curls that tightly points at a possible rim; the Hough
    transform (Duda & Hart, CACM 1972;15:11; OpenCV's gradient variant) is run
    on the mask around it (where the line runs out of the image or into glare,
    its own fitted circle is tried as well, if thin for its size: the
    transform misses a rim cut by the image edge, its centre near or beyond
    the edge), and a circle found there must be drawn around most
    of its length and hollow or thin (:func:`_is_ring`): a hair crossing the rim does
    not hide it, and a field of straight stubs or gently curved hair pays
    nothing. ``valid`` is the valid field; ``um_per_px`` is the scale of the
    pixels of ``lines`` and the masks; ``finest_um_per_px``, when the scale is
    only assumed, the finest it may be (larger rims in pixels are looked for).
    """
    lo = RIM_MIN_RADIUS_UM / um_per_px
    hi = RIM_MAX_RADIUS_UM / min(um_per_px, finest_um_per_px or um_per_px)
    h, w = mask.shape
    rims: list[Circle] = []
    for pts, curl in zip(lines, _curls(lines, hi), strict=True):
        if curl is None or on_rim(pts, rims, 0.0):
            continue
        (cx, cy), r = curl
        half = int(min(hi, 1.6 * r) + 6)
        x0, y0 = max(int(cx) - half, 0), max(int(cy) - half, 0)
        x1, y1 = min(int(cx) + half + 1, w), min(int(cy) + half + 1, h)
        if x1 - x0 < 8 or y1 - y0 < 8:
            continue
        roi = np.ascontiguousarray(mask[y0:y1, x0:x1].astype(np.uint8) * 255)
        found = cv2.HoughCircles(roi, cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=max(lo, 2.0),
                                 param1=300, param2=0.6, minRadius=int(lo),
                                 maxRadius=int(np.ceil(hi)) + 2)
        cands = [] if found is None else [(x + x0, y + y0, rr, False) for x, y, rr in found[0]]
        # where the line runs out of the image or into glare the transform misses a cut rim
        if any(near_field_edge(e, valid, RUNS_OUT_PX) for e in (pts[0], pts[-1])):
            cands.insert(0, (cx, cy, r, True))
        for x, y, rr, cut in cands:
            c, rad = _refine(mask, np.array([x, y], dtype=np.float64), float(rr))
            if any(np.hypot(*(c - c2)) < 0.3 * rad and abs(rad - r2) < 0.3 * rad
                   for c2, r2 in rims):
                continue
            if _is_ring(mask, valid, c, rad) and (not cut or _thin_rim(mask, c, rad)):
                rims.append((c, rad))
    return rims


def _rim_thickness(mask: NDArray[np.bool_], c: NDArray[np.float64], r: float
                   ) -> NDArray[np.intp]:
    """Thickness of the mask across a circle (pixels on it within 8 px either way of the
    circle) along each ray where the circle is drawn."""
    unit = _unit_circle(r)
    steps = np.arange(-8.0, 8.5, 1.0)
    on = np.stack([_in_mask(mask, c + (r + dr) * unit)[1] for dr in steps], axis=1)
    drawn = on[:, len(steps) // 2 - 1:len(steps) // 2 + 2].any(axis=1)
    return np.asarray(on[drawn].sum(axis=1), dtype=np.intp)


def _thin_rim(mask: NDArray[np.bool_], c: NDArray[np.float64], r: float) -> bool:
    """True when the mask along a circle is thin for its size (median thickness across it at
    most 0.18 of the radius, 4 px at least): a bubble's rim, not a curled shaft near the edge,
    whose visible arc may cover the circle's part inside the image as well."""
    thick = _rim_thickness(mask, c, r)
    return bool(len(thick)) and bool(np.median(thick) <= max(4.0, 0.18 * r))


TUFT_RIM_MIN_RADIUS_PX = 8.0
"""Smallest rim taken without being hollow: the rounded end of a shaft that size is a
filled disc at least 9 px thick across its edge, twice a rim's thickness."""


def _thin_between_shafts(mask: NDArray[np.bool_], c: NDArray[np.float64], r: float) -> bool:
    """True when a quarter of a drawn circle of :data:`TUFT_RIM_MIN_RADIUS_PX` or more is
    a thin line (thickness at most a quarter of the radius, 4 px at least): the rim of a
    bubble whose inside shafts fill, seen where no shaft crosses it. The rounded end of
    a shaft is a filled disc, thick all round."""
    if r < TUFT_RIM_MIN_RADIUS_PX:
        return False
    thick = _rim_thickness(mask, c, r)
    return bool(len(thick)) and bool(np.percentile(thick, 25) <= max(4.0, 0.25 * r))


def on_rim(pts: Points, rims: list[Circle], width: float) -> bool:
    """True when most of a line (70 %) lies along ``rims``: along one, or from one rim
    onto another where two bubbles touch or overlap."""
    if not rims:
        return False
    p = densify(pts, 1.0)
    tol = 2.0 + width / 2.0
    along = np.zeros(len(p), bool)
    for c, r in rims:
        along |= np.abs(np.hypot(*(p - c).T) - r) <= tol
    return bool(along.mean() >= 0.7)


NETWORK_CELL_UM = (40.0, 600.0)
"""Diameter range of the cells of a honeycomb pigment network (rete ridges, ~100-300 µm)."""

NETWORK_WALL_UM = 40.0
"""Thickest wall of a pigment network."""

NETWORK_CELL_ASPECT = 2.0
"""Most elongated cell (ratio of its principal axes): honeycomb cells are round-ish
polygons (median 1.6 in a synthetic network), the holes that crossing hairs enclose are
long triangles and lozenges (median 2.8-3.0 on the long-hair phantoms)."""

NETWORK_MIN_CELLS = 60
"""Compact thin-walled cells needed before the field is taken to hold a pigment network:
a 1.3 MP field of honeycomb has about 460 at 3.5 µm/px (130 at 1.5 µm/px); the holes that
crossing long hair encloses gave at most 59 compact ones (5 µm/px phantoms), none of
them thin-walled all round."""


def _aspect(region: NDArray[np.bool_]) -> float:
    """Ratio of the principal axes of a region (from its second central moments)."""
    m = cv2.moments(region.astype(np.uint8), binaryImage=True)
    half = (m["mu20"] + m["mu02"]) / 2
    disc = float(np.hypot((m["mu20"] - m["mu02"]) / 2, m["mu11"]))
    return float(np.sqrt((half + disc) / max(half - disc, 1e-9)))


def pigment_network(mask: NDArray[np.bool_], valid: NDArray[np.bool_], um_px: float
                    ) -> tuple[NDArray[np.bool_], int]:
    """Thin walls of a honeycomb pigment network in the hair mask, and how many cells.

    Honeycomb pigmentation (hyperpigmented rete ridges round paler dermal papillae)
    grows with AGA severity and sun exposure (``domain/clinical.md``, peripilar sign
    row, R34) and is the normal scalp pattern in dark skin. Its brown lines are
    thin, dark and hair-like (a synthetic network at 20 % contrast gave 251
    "hairs"), but they close into small round cells; the holes that crossing hairs
    enclose are elongated. Cells are the background regions enclosed by the mask
    (not touching the image border or the invalid field) of a cell's size and
    shape (:data:`NETWORK_CELL_ASPECT`) whose ring lies on thin mask. With
    :data:`NETWORK_MIN_CELLS` or more, the thin mask round them is returned as
    network wall, and so is thin mask within a cell's diameter of any hole of a
    cell's size (cells cut by the image edge or the caption count once the network
    is found) and what is left there no larger than a cell (the deeper blob where
    three walls meet, single wall pieces); thick shafts crossing it keep their cores.
    """
    none = np.zeros(mask.shape, bool)
    bg = (~mask).astype(np.uint8)
    n, lab, stats, _ = cv2.connectedComponentsWithStats(bg, connectivity=4)
    h, w = mask.shape
    x, y, bw, bh, area = (stats[:, k] for k in range(5))
    d_lo, d_hi = (v / um_px for v in NETWORK_CELL_UM)
    cell = ((x > 0) & (y > 0) & (x + bw < w) & (y + bh < h)
            & (area >= np.pi / 4 * d_lo**2) & (area <= d_hi**2))
    cell[0] = False
    cell[np.unique(lab[~valid])] = False
    if cell.sum() < NETWORK_MIN_CELLS:
        return none, 0
    for i in np.flatnonzero(cell):
        cx, cy, cw, ch = (int(v) for v in stats[i, :4])
        cell[i] = _aspect(lab[cy:cy + ch, cx:cx + cw] == i) <= NETWORK_CELL_ASPECT
    if cell.sum() < NETWORK_MIN_CELLS:
        return none, 0
    half_wall = NETWORK_WALL_UM / um_px / 2
    depth = np.asarray(cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 3))
    cell_lab = np.where(cell[lab], lab, 0).astype(np.float32)
    near = cv2.dilate(cell_lab, np.ones((7, 7), np.uint8)).astype(np.int32)
    ring = mask & (near > 0)
    counts = np.bincount(near[ring], minlength=n)
    deep = np.bincount(near[ring], weights=depth[ring], minlength=n)
    thin_walled = cell & (counts > 0) & (deep <= half_wall * np.maximum(counts, 1))
    if thin_walled.sum() < NETWORK_MIN_CELLS:
        return none, 0
    # The network goes on where its cells are cut by the image edge or the caption, or
    # stretched past the shape limit: once it is found, every hole of a cell's size counts
    # as one of its cells, and thin mask within about a cell's diameter of one is wall.
    span = float(np.sqrt(np.median(area[thin_walled])))
    holes = area <= d_hi**2
    holes[0] = False
    cells = holes[lab]
    reach = np.asarray(cv2.distanceTransform((~cells).astype(np.uint8), cv2.DIST_L2, 3))
    region = reach <= span + 2 * half_wall
    # A darker network is segmented with thicker walls: their half-thickness is read
    # off the ridge of the mask in the region (mostly walls), up to twice the nominal.
    ridge = mask & region & (cv2.dilate(depth, np.ones((3, 3), np.uint8)) <= depth) & (depth > 0)
    thick = float(np.median(depth[ridge])) if ridge.any() else half_wall
    wall = mask & region & (depth <= min(max(half_wall, 1.25 * thick), 2 * half_wall))
    # where three walls meet the mask is a little deeper: the small blobs left there
    # and single wall pieces left (no longer than a cell, shorter than a stub) go too
    m, lab2, st2, _ = cv2.connectedComponentsWithStats((mask & ~wall).astype(np.uint8),
                                                       connectivity=8)
    small = np.maximum(st2[:, cv2.CC_STAT_WIDTH], st2[:, cv2.CC_STAT_HEIGHT]) < span
    small[0] = False
    blobs = small[lab2] & region
    return wall | blobs, int(thin_walled.sum())
