"""Two opaque stubs crossing at a shallow angle, traced as one.

Clipped stubs are as wide as they are dark: two of them crossing at less
than about 25 degrees merge into one blob shaped like a bow tie, narrow
(one shaft) where they cross and about two shafts wide towards both ends,
where the notch between the arms is too shallow to give the skeleton a
branch. The skeleton then runs along the bisector and the second stub is
lost (crossing and touching hairs are the documented misses of hair counting,
Van Neste & Trueb 2006, Saraogi & Dhurat 2010; ``domain/imaging.md`` section 0).
Each arm's outer edge is the outer edge of one stub, so each stub's centreline
is recovered from the blob's edges: the upper edge on one side of the waist and
the lower edge on the other.
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from mesohair.imaging.numeric import densify, flanking_peaks, segment_distance

Points = NDArray[np.float64]

WAIST_RATIO = 1.6
"""Blob width on both sides of the waist, over the waist's width, that makes a bow tie."""

MAX_WAIST = 1.35
"""Widest waist (in typical shaft widths) still taken for a single shaft."""

MIN_WAIST = 0.7
"""Narrowest waist (in typical shaft widths): thinner lines are not stubs."""

MIN_TURN, MAX_TURN = np.radians(4.0), np.radians(40.0)
"""Angles between the two stubs considered (steeper crossings have a skeleton branch)."""

MIN_IOU = 0.8
"""Overlap of the two-shaft model with the blob needed to accept it."""

MIN_ARM = 0.25
"""Part of each shaft that must lie clear of the other's body (the arms of the X)."""

MIN_FILL = 0.85
"""Part of each shaft's body that must lie on the blob."""

MAX_EDGE_RMS = 0.12
"""Largest RMS distance (in shaft widths) of an edge from its fitted straight centreline."""


def _frame(pts: Points) -> tuple[Points, Points, Points, float]:
    """Centre, unit direction, unit normal and chord length of a traced line."""
    chord = pts[-1] - pts[0]
    length = float(np.hypot(*chord))
    u = chord / max(length, 1e-9)
    return (pts[0] + pts[-1]) / 2, u, np.array([-u[1], u[0]]), length


def _sample(mask: NDArray[np.bool_], centre: Points, u: Points, n: Points,
            s: NDArray[np.float64], t: NDArray[np.float64]) -> NDArray[np.bool_]:
    """The mask on a grid of ``s`` along ``u`` and ``t`` along ``n`` (outside: False)."""
    x = (centre[0] + s[:, None] * u[0] + t[None, :] * n[0]).astype(np.float32)
    y = (centre[1] + s[:, None] * u[1] + t[None, :] * n[1]).astype(np.float32)
    out = cv2.remap(mask.view(np.uint8), x, y, cv2.INTER_NEAREST,
                    borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return np.asarray(out, dtype=bool)


def _blob(grid: NDArray[np.bool_], line_rows: NDArray[np.intp], centre_col: int
          ) -> NDArray[np.bool_]:
    """The parts of the sampled grid connected to the traced line itself."""
    n, lab = cv2.connectedComponents(grid.view(np.uint8), connectivity=8)
    hit = np.zeros(n, bool)
    hit[lab[line_rows, centre_col]] = True
    hit[0] = False
    return np.asarray(hit[lab])


def crossing_pair(pts: Points, mask: NDArray[np.bool_], ref: float
                  ) -> tuple[Points, Points] | None:
    """Centrelines of two stubs crossing at a shallow angle, or None.

    Parameters
    ----------
    pts : ndarray
        The traced line (working pixels), as the skeleton gave it.
    mask : ndarray of bool
        Hair mask at working resolution.
    ref : float
        Typical shaft width in the image (working pixels).

    Returns
    -------
    tuple of ndarray or None
        Two straight centrelines (end points) when the blob around the line
        is a bow tie: a waist no wider than :data:`MAX_WAIST` shafts with at
        least :data:`WAIST_RATIO` times its width on both sides, whose outer
        edges lie on two straight lines crossing at the waist.
    """
    centre, u, n, length = _frame(pts)
    if length < 3.0 * ref:
        return None
    # A coarse look first: most lines are single shafts of even width.
    coarse = _profile(pts, mask, ref, centre, u, n, length, 2.0, 1.0)
    if coarse is None or _waist(coarse[-1], ref, 0.9 * WAIST_RATIO) is None:
        return None
    fine = _profile(pts, mask, ref, centre, u, n, length, 1.0, 0.5)
    found = None if fine is None else _bow_tie(*fine, ref)
    if found is None:
        return None
    a, b = (centre + st[:, :1] * u + st[:, 1:] * n for st in found)
    return a, b


Profile = tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_],
                NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]


def _profile(pts: Points, mask: NDArray[np.bool_], ref: float, centre: Points, u: Points,
             n: Points, length: float, ds: float, dt: float) -> Profile | None:
    """The blob round a traced line sampled every ``ds`` along and ``dt`` across it:
    positions ``s`` and ``t``, the blob, and its upper and lower edges and width per
    ``s`` (NaN where empty); None when the blob is too short."""
    reach = length / 2 + 3.0 * ref
    s = np.arange(-reach, reach + ds / 2, ds)
    t = np.arange(-2.5 * ref, 2.5 * ref + dt / 2, dt)
    grid = _sample(mask, centre, u, n, s, t)
    rows = np.clip(np.round(((pts - centre) @ u + reach) / ds).astype(np.intp), 0, len(s) - 1)
    blob = _without_thin_runs(_blob(grid, rows, len(t) // 2), 0.6 * ref / dt)
    filled = blob.any(axis=1)
    if filled.sum() * ds < 3.0 * ref:
        return None
    top = np.where(filled, t[len(t) - 1 - np.argmax(blob[:, ::-1], axis=1)], np.nan)
    bottom = np.where(filled, t[np.argmax(blob, axis=1)], np.nan)
    return s, t, blob, top, bottom, top - bottom + dt


def _without_thin_runs(blob: NDArray[np.bool_], min_run: float) -> NDArray[np.bool_]:
    """The blob less, in each row, the runs narrower than ``min_run`` samples that are not
    the run nearest the traced line (a thin hair touching a stub's end lies beside it
    over a long stretch, widening every row it crosses)."""
    rows, cols = blob.shape
    start = blob & ~np.pad(blob, ((0, 0), (1, 0)))[:, :-1]
    run = np.cumsum(start, axis=1) * blob
    dist = np.where(blob, np.abs(np.arange(cols) - cols // 2)[None, :], cols)
    centre_run = run[np.arange(rows), np.argmin(dist, axis=1)]
    size = np.zeros((rows, int(run.max()) + 1))
    np.add.at(size, (np.repeat(np.arange(rows), cols), run.ravel()), 1)
    narrow = size[np.arange(rows)[:, None], run] < min_run
    return np.asarray(blob & ~(narrow & (run != centre_run[:, None])))


def _waist(width: NDArray[np.float64], ref: float, ratio: float = WAIST_RATIO
           ) -> tuple[int, float] | None:
    """Index (into ``width``) and width of a waist with ``ratio`` times its width on
    both sides, one shaft across; None when there is none."""
    idx = np.nonzero(np.isfinite(width))[0]
    w = width[idx]
    score = flanking_peaks(w) / np.maximum(w, 1.0)
    k = int(np.argmax(score))
    waist = float(w[k])
    if score[k] < ratio or not MIN_WAIST * ref <= waist <= MAX_WAIST * ref:
        return None
    return int(idx[k]), waist


def _bow_tie(s: NDArray[np.float64], t: NDArray[np.float64], blob: NDArray[np.bool_],
             top: NDArray[np.float64], bottom: NDArray[np.float64], width: NDArray[np.float64],
             ref: float) -> tuple[Points, Points] | None:
    """The two centrelines of a bow-tie profile, in (s, t) coordinates, or None."""
    found = _waist(width, ref)
    if found is None:
        return None
    at, waist = found
    idx = np.nonzero(np.isfinite(width))[0]
    s0 = s[at]
    # Shaft width from the waist: the two shafts overlap fully there.
    half = waist / 2
    wide = width >= 1.2 * waist
    cap = ref  # the rounded ends: edges there are not the shaft's side
    inner = np.isfinite(width) & (s > s[idx[0]] + cap) & (s < s[idx[-1]] - cap)
    lines = []
    for upper_after in (True, False):
        after = (s > s0) & wide & inner
        before = (s < s0) & wide & inner
        if after.sum() < 3 or before.sum() < 3:
            return None
        ta = (top[after] - half) if upper_after else (bottom[after] + half)
        tb = (bottom[before] + half) if upper_after else (top[before] - half)
        ss = np.r_[s[after], s[before]]
        tt = np.r_[ta, tb]
        slope, icpt = np.polyfit(ss, tt, 1)
        rms = float(np.sqrt(np.mean((tt - (slope * ss + icpt)) ** 2)))
        if rms > MAX_EDGE_RMS * 2 * half + 0.75:
            return None
        lines.append((slope, icpt))
    if not MIN_TURN <= abs(np.arctan(lines[0][0]) - np.arctan(lines[1][0])) <= MAX_TURN:
        return None
    pair = _extent(s, t, blob, lines[0], at), _extent(s, t, blob, lines[1], at)
    return pair if _explains(pair, half, s, t, blob) else None


def _explains(pair: tuple[Points, Points], half: float, s: NDArray[np.float64],
              t: NDArray[np.float64], blob: NDArray[np.bool_]) -> bool:
    """True when two shafts of the waist's width along ``pair`` make up the blob
    (intersection over union at least :data:`MIN_IOU`): a thin hair crossing a stub,
    or a third shaft touching, is not two stubs."""
    grid = np.stack(np.meshgrid(s, t, indexing="ij"), axis=-1)
    cores = [_core(a, b, half) for a, b in pair]
    for (a, b), (c0, c1) in zip(pair, cores[::-1], strict=True):
        line = densify(np.array([a, b]))
        if float(np.mean(segment_distance(line[:, 0], line[:, 1], c0, c1) > half)) < MIN_ARM:
            return False
    model = np.zeros(blob.shape, bool)
    for a, b in cores:
        model |= segment_distance(grid[..., 0], grid[..., 1], a, b) <= half
    if float((model & blob).sum()) < MIN_IOU * float((model | blob).sum()):
        return False
    return all(_filled(a, b, half, s, t, blob) >= MIN_FILL for a, b in pair)


def _core(a: Points, b: Points, half: float) -> tuple[Points, Points]:
    """A shaft's centreline less its rounded ends (extents run to the tips)."""
    v = b - a
    cap = v * min(half / max(float(np.hypot(*v)), 1e-9), 0.5)
    return a + cap, b - cap


def _filled(a: Points, b: Points, half: float, s: NDArray[np.float64],
            t: NDArray[np.float64], blob: NDArray[np.bool_]) -> float:
    """Fraction of a shaft's body (two lines half its half-width off its centreline,
    in (s, t)) that lies on the blob: a thin hair taken for a stub leaves it."""
    ss = np.arange(a[0], b[0] + 0.5, 1.0)
    tt = np.interp(ss, [a[0], b[0]], [a[1], b[1]]) if b[0] > a[0] else np.full(len(ss), a[1])
    i = np.clip(np.round(ss - s[0]).astype(np.intp), 0, len(s) - 1)
    step = t[1] - t[0]
    on = [blob[i, np.clip(np.round((tt + off - t[0]) / step).astype(np.intp), 0, len(t) - 1)]
          for off in (-half / 2, half / 2)]
    return float(np.mean(on))


def _extent(s: NDArray[np.float64], t: NDArray[np.float64], blob: NDArray[np.bool_],
            line: tuple[float, float], at: int) -> Points:
    """End points, in (s, t), of a fitted centreline cut to the run of the blob
    along it that passes the waist (row ``at``)."""
    slope, icpt = line
    tt = slope * s + icpt
    col = np.round((tt - t[0]) / (t[1] - t[0])).astype(np.intp)
    inside = (col >= 0) & (col < len(t))
    on = np.zeros(len(s), bool)
    on[inside] = blob[np.nonzero(inside)[0], col[inside]]
    off = np.nonzero(~on)[0]
    lo = int(off[off < at].max()) + 1 if (off < at).any() else 0
    hi = int(off[off > at].min()) - 1 if (off > at).any() else len(s) - 1
    return np.array([[s[lo], tt[lo]], [s[hi], tt[hi]]])
