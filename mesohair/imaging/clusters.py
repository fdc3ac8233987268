"""Opaque stubs lying against one another, told apart by their straight sides.

Clipped stubs are opaque and about equally wide. Where two or three touch or cross at
a shallow angle (several hairs leave one ostium; crossing and touching hairs are the
documented misses of hair counting, Van Neste & Trueb 2006, Saraogi & Dhurat 2010;
``domain/imaging.md`` section 0) the hair mask, whose threshold is low, is one blob
whose skeleton follows one of them, or runs between them. Two things still show:

* the skin between touching stubs is far paler than they are, so the blob's *opaque
  core* (above half its plateau absorbance, :data:`CORE_LEVEL`) falls apart into the
  stubs, or into smaller clusters where they overlap;
* every stub shows at least one straight stretch of its outline, the side no other
  stub covers: a straight stretch at least :data:`MIN_EDGE` shaft widths long is one
  side of a shaft whose centreline lies half a shaft inside it.

Each shaft's own width is the core's depth from that side where no other stub lies
against it (stubs of one ostium differ in width). The shafts so found are taken for a
core when, lying on the core and covering a part of it no other covers, together they
make it up (intersection over union at least :data:`MIN_IOU`). Glare or a caption
across a stub cuts its core in two pieces in line (:func:`joined_across`).
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray
from skimage.morphology import skeletonize

from mesohair.imaging.numeric import mask_at, median, segment_distance

Points = NDArray[np.float64]
Shaft = tuple[Points, Points]

CORE_LEVEL = 0.5
"""Fraction of a blob's plateau absorbance (its 90th percentile) above which a pixel is
in an opaque core."""

MIN_EDGE = 1.5
"""Shortest straight stretch of outline (in shaft widths) taken as a shaft's side."""

EDGE_RMS = 0.06
"""Largest RMS distance of a straight stretch from its fitted line: this many shaft
widths plus 0.35 px (the outline's pixel steps)."""

SAME_SHAFT_DEG, SAME_SHAFT_OFFSET = 6.0, 0.35
"""Two sides belong to one shaft when their centrelines differ by less than these
(degrees; shaft widths)."""

MIN_ON_CORE = 0.9
"""Part of a shaft's body that must lie on the core."""

MIN_OWN = 0.2
"""Part of a shaft's body that no shaft taken before it covers."""

MIN_IOU = 0.85
"""Overlap of the shafts with the core needed to take them for it."""

OWN_DEPTH = 10.0
"""Percentile of the core's depth from a shaft's side (:func:`_depths`) read as the
shaft's own width."""

TWIN_DEG = 2.0
"""Two shafts more nearly parallel than this, side by side with level ends, are one wide
shaft (:func:`_twins`)."""


def opaque_cores(blob: NDArray[np.bool_], absorbance: NDArray[np.float32], min_area: float
                 ) -> list[NDArray[np.bool_]]:
    """The opaque cores (:data:`CORE_LEVEL`) of one blob of the hair mask, as masks of
    the blob's shape; parts smaller than ``min_area`` pixels are left out."""
    level = CORE_LEVEL * float(np.percentile(absorbance[blob], 90))
    n, lab = cv2.connectedComponents((blob & (absorbance > level)).astype(np.uint8),
                                     connectivity=8)
    return [part for i in range(1, n) if (part := lab == i).sum() >= min_area]


def core_width(core: NDArray[np.bool_]) -> float:
    """A core's shaft width: twice the median distance to its edge along its skeleton
    (single shafts make most of the skeleton even where a few cross)."""
    dist = np.asarray(cv2.distanceTransform(core.astype(np.uint8), cv2.DIST_L2, 5))
    on_skeleton = np.asarray(skeletonize(core), dtype=np.bool_)  # type: ignore[no-untyped-call]
    return 2.0 * median(dist[on_skeleton])


def _straight_sides(contour: Points, width: float, cut: NDArray[np.bool_]
                    ) -> list[tuple[Points, Points]]:
    """Straight stretches of a closed outline, straightest first, no two sharing an
    outline point and none along the image border (``cut``, per outline point): a point
    on each and its unit direction."""
    n = len(contour)
    span = max(4, int(round(MIN_EDGE * width)))
    if n < 2 * span:
        return []
    idx = (np.arange(n)[:, None] + np.arange(span)[None, :]) % n
    win = contour[idx]  # (n, span, 2): the stretch starting at each outline point
    centre = win.mean(axis=1)
    q = win - centre[:, None, :]
    evals, evecs = np.linalg.eigh(np.einsum("nki,nkj->nij", q, q) / span)
    across = np.sqrt(np.maximum(evals[:, 0], 0.0))  # spread about the fitted line
    straight = (across <= EDGE_RMS * width + 0.35) & ~cut[idx].any(axis=1)
    used = np.zeros(n, bool)
    sides = []
    for i in np.argsort(across):
        if straight[i] and not used[idx[i]].any():
            used[idx[i]] = True
            sides.append((centre[i], evecs[i, :, 1]))
    return sides


def _inward(core: NDArray[np.bool_], point: Points, u: Points, width: float) -> Points | None:
    """The unit normal of a side (through ``point`` along ``u``) that points into the
    core, or None when neither does."""
    h, w = core.shape
    normal = np.array([-u[1], u[0]])
    for inward in (normal, -normal):
        x, y = np.round(point + inward * 0.25 * width).astype(int)
        if 0 <= x < w and 0 <= y < h and core[y, x]:
            return inward
    return None


def _centreline(core: NDArray[np.bool_], point: Points, u: Points, inward: Points,
                width: float) -> Shaft | None:
    """The shaft ``width`` wide one of whose sides passes through ``point`` along ``u``:
    its centreline half a shaft inside the core, cut to the core's run along it less the
    rounded ends (end points), or None when that run is shorter than two widths."""
    h, w = core.shape
    c = point + inward * 0.5 * width
    s = np.arange(-float(max(h, w)), max(h, w) + 1.0)
    on = mask_at(core, c[None, :] + s[:, None] * u[None, :])
    mid = int(np.argmin(np.abs(s)))
    if not on[mid]:
        return None
    lo = mid - int(np.argmin(on[mid::-1])) + 1 if not on[:mid + 1].all() else 0
    hi = mid + int(np.argmin(on[mid:])) - 1 if not on[mid:].all() else len(s) - 1
    if s[hi] - s[lo] < 2.0 * width:
        return None
    return c + (s[lo] + 0.5 * width) * u, c + (s[hi] - 0.5 * width) * u


def _depths(core: NDArray[np.bool_], shaft: Shaft, inward: Points, width: float
            ) -> NDArray[np.float64]:
    """How far the core reaches in from a shaft's side, every two pixels along it:
    its own width where nothing lies against it, more where another stub does."""
    a, b = shaft
    n = max(int(np.hypot(*(b - a)) / 2), 1)  # every other pixel: enough for a percentile
    side = a + (b - a) * np.linspace(0.0, 1.0, n + 1)[:, None] - inward * 0.5 * width
    t = np.arange(0.0, 3.0 * width, 0.5)
    on = mask_at(core, side[:, None, :] + t[None, :, None] * inward)
    deep = np.where(on.all(axis=1), len(t), np.argmin(on, axis=1)) * 0.5
    return deep[on[:, 0]]


def _own_width(core: NDArray[np.bool_], point: Points, u: Points, inward: Points,
               line: Shaft, width: float) -> tuple[Shaft, float]:
    """A shaft found from one side (``line``, placed for the core's typical ``width``)
    placed again for its own width: stubs of one ostium differ in width (50-110 µm), so
    each is measured where no other lies against it, the narrow end of the core's depth
    from its side (:data:`OWN_DEPTH`)."""
    deep = _depths(core, line, inward, width)
    if len(deep) < 3:
        return line, width
    # the depth at OWN_DEPTH percent (np.partition: 1.3 µs against np.percentile's 28)
    k = int(OWN_DEPTH / 100.0 * (len(deep) - 1))
    own = float(np.clip(np.partition(deep, k)[k], 0.5 * width, 2.0 * width))
    if abs(own - width) <= 0.1 * width:
        return line, width
    again = _centreline(core, point, u, inward, own)
    return (again, own) if again is not None else (line, width)


def _same_shaft(a: Shaft, b: Shaft, width: float) -> bool:
    """True when two centrelines run along one shaft (the two sides of one stub)."""
    da, db = a[1] - a[0], b[1] - b[0]
    cos = abs(float(da @ db)) / max(float(np.hypot(*da) * np.hypot(*db)), 1e-9)
    if cos < np.cos(np.radians(SAME_SHAFT_DEG)):
        return False
    mid = (b[0] + b[1]) / 2
    off = segment_distance(np.array([mid[0]]), np.array([mid[1]]), a[0], a[1])[0]
    return float(off) < SAME_SHAFT_OFFSET * width


def _body(px: Points, py: Points, shaft: Shaft, width: float,
          square: NDArray[np.bool_] | None) -> NDArray[np.bool_]:
    """Which core pixels (``px``, ``py``) a shaft ``width`` wide covers: its capsule
    (a stub's ends are rounded), and where the frame or glare cuts the core
    (``square``, per pixel) the corners of a square end: the frame cuts a stub
    square, and a body with rounded ends there left the corners along it unexplained
    and the core refused (development proxy at 3.5 µm/px: F1 0.893 -> 0.898; crediting
    square corners everywhere turned refused fans inside the field into wrong ones on
    synthetic cores)."""
    a, b = shaft
    capsule = segment_distance(px, py, a, b) <= width / 2
    if square is None or not square.any():
        return capsule
    d = b - a
    n = max(float(np.hypot(*d)), 1e-9)
    along = ((px - a[0]) * d[0] + (py - a[1]) * d[1]) / n
    across = np.abs((py - a[1]) * d[0] - (px - a[0]) * d[1]) / n
    r = width / 2
    return np.asarray(capsule | (square & (across <= r) & (along >= -r) & (along <= n + r)))


def _capsule_area(shaft: Shaft, width: float) -> float:
    """Area of a shaft ``width`` wide along a centreline, with rounded ends."""
    a, b = shaft
    return float(np.hypot(*(b - a)) * width + np.pi * (width / 2) ** 2)


def core_shafts(core: NDArray[np.bool_], width: float, cut: NDArray[np.bool_] | None = None
                ) -> tuple[list[Shaft], list[float]] | None:
    """The straight shafts (centreline end points, in the core's pixel coordinates) an
    opaque core of touching or crossing stubs is made of and their own widths
    (:func:`_own_width`), or None when straight shafts do not make it up.

    Parameters
    ----------
    core : ndarray of bool
        One connected opaque core (:func:`opaque_cores`).
    width : float
        Its shafts' typical width in pixels (:func:`core_width`); each shaft's own is
        measured from its side.
    cut : ndarray of bool, optional
        Pixels on the image border: the outline along them is where the frame cut the
        core, not a shaft's side.
    """
    contours, _ = cv2.findContours(core.astype(np.uint8), cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    contour = max(contours, key=len).reshape(-1, 2)
    on_border = (np.zeros(len(contour), bool) if cut is None
                 else cut[contour[:, 1], contour[:, 0]])
    cands: list[Shaft] = []
    own: list[float] = []
    for point, u in _straight_sides(contour.astype(np.float64), width, on_border):
        inward = _inward(core, point, u, width)
        if inward is None:
            continue
        line = _centreline(core, point, u, inward, width)
        # most straight stretches are more of a shaft already found: measured once
        if line is None or any(_same_shaft(line, c, width) for c in cands):
            continue
        line, wd = _own_width(core, point, u, inward, line, width)
        if not any(_same_shaft(line, c, width) for c in cands):
            cands.append(line)
            own.append(wd)
    ys, xs = np.nonzero(core)
    px, py = xs.astype(np.float64), ys.astype(np.float64)
    # core pixels within a shaft width of the frame or glare: where a shaft ends square
    near_cut = None if cut is None else cv2.dilate(
        cut.astype(np.uint8), np.ones((3, 3), np.uint8),
        iterations=max(1, int(round(width))))[ys, xs] > 0
    bodies = [_body(px, py, c, wd, near_cut) for c, wd in zip(cands, own, strict=True)]
    areas = [_capsule_area(c, wd) for c, wd in zip(cands, own, strict=True)]
    # shafts lying on the core, the one covering most of it first
    order = sorted((i for i in range(len(cands)) if bodies[i].sum() >= MIN_ON_CORE * areas[i]),
                   key=lambda i: -int(bodies[i].sum()))
    chosen: list[int] = []
    covered = np.zeros(len(xs), bool)
    for i in order:
        if float((bodies[i] & ~covered).sum()) >= MIN_OWN * areas[i]:
            chosen.append(i)
            covered |= bodies[i]
    if not chosen:
        return None
    # intersection over union of the shafts and the core; each shaft's part off the core
    # is its area less its pixels on it (overlaps off the core are few: MIN_ON_CORE)
    inter = float(covered.sum())
    shafts_area = inter + max(sum(areas[i] - float(bodies[i].sum()) for i in chosen), 0.0)
    if inter / max(float(len(xs)) + shafts_area - inter, 1.0) < MIN_IOU:
        return None
    shafts = [cands[i] for i in chosen]
    if any(_twins(a, b, width) for k, a in enumerate(shafts) for b in shafts[k + 1:]):
        return None
    return shafts, [own[i] for i in chosen]


def joined_across(shafts: list[Shaft], widths: list[float], hidden: NDArray[np.bool_]
                  ) -> tuple[list[Shaft], list[float]]:
    """Shafts with the pieces of one stub joined: glare or a caption across a stub cuts
    its core in two, each piece straight, in line with the other, with the hidden part
    between them (``hidden``, a mask in the shafts' coordinates)."""
    shafts, widths = list(shafts), list(widths)
    k = 0
    while k < len(shafts):
        for m in range(k + 1, len(shafts)):
            wd = max(widths[k], widths[m])
            if _in_line(shafts[k], shafts[m], wd) and _hidden_between(
                    shafts[k], shafts[m], hidden, wd):
                ends = np.array([*shafts[k], *shafts[m]])
                u = shafts[k][1] - shafts[k][0]
                along = ends @ (u / max(float(np.hypot(*u)), 1e-9))
                shafts[k] = (ends[int(np.argmin(along))], ends[int(np.argmax(along))])
                widths[k] = (widths[k] + widths[m]) / 2
                del shafts[m], widths[m]
                break
        else:
            k += 1
    return shafts, widths


def _in_line(a: Shaft, b: Shaft, width: float) -> bool:
    """True when two shafts lie on one straight line (within :data:`SAME_SHAFT_DEG` and
    :data:`SAME_SHAFT_OFFSET` shaft widths), wherever along it they are."""
    da = a[1] - a[0]
    u = da / max(float(np.hypot(*da)), 1e-9)
    db = b[1] - b[0]
    if abs(float(u @ db)) < np.cos(np.radians(SAME_SHAFT_DEG)) * float(np.hypot(*db)):
        return False
    normal = np.array([-u[1], u[0]])
    return all(abs(float((p - a[0]) @ normal)) < SAME_SHAFT_OFFSET * width for p in b)


def _hidden_between(a: Shaft, b: Shaft, hidden: NDArray[np.bool_], width: float) -> bool:
    """True when hidden pixels lie within a shaft ``width`` of the gap between the
    nearest ends of two shafts in line (glare is brightest at its middle, which the
    field check masks; its halo cuts the core beside it)."""
    p, q = min(((p, q) for p in a for q in b), key=lambda e: float(np.hypot(*(e[0] - e[1]))))
    ys, xs = np.nonzero(hidden)
    if not len(xs):
        return False
    gap = segment_distance(xs.astype(np.float64), ys.astype(np.float64), p, q)
    return bool((gap <= width).any())


def _twins(a: Shaft, b: Shaft, width: float) -> bool:
    """True for two shafts side by side, parallel within :data:`TWIN_DEG`, whose ends
    are level (within half a shaft along them): one wide shaft with a pale stripe along
    part of it (a specular reflection) reads so. Stubs lying that exactly against each
    other cannot be told apart by their outline; their width tells them apart
    (:func:`~mesohair.imaging.analyze.split_bundles`)."""
    da, db = a[1] - a[0], b[1] - b[0]
    la, lb = float(np.hypot(*da)), float(np.hypot(*db))
    if abs(float(da @ db)) < np.cos(np.radians(TWIN_DEG)) * la * lb:
        return False
    if float(da @ db) < 0:
        b = (b[1], b[0])
    u = da / max(la, 1e-9)
    return bool(abs(float((a[0] - b[0]) @ u)) <= 0.5 * width
                and abs(float((a[1] - b[1]) @ u)) <= 0.5 * width)
