"""Small numeric and polyline helpers shared by the analysis, the phantom and scoring.

``np.median`` spends about 20 µs per call on dispatch and NaN checks, which
dominates for the few hundred tiny arrays an image needs (a hair's width
samples, a profile's tails); a plain sort gives the same value in a few µs.
Inputs here never hold NaN.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray


def median(values: ArrayLike) -> float:
    """Median of a non-empty 1-D array (the mean of the two middle values when even)."""
    s = np.sort(np.asarray(values, dtype=np.float64).ravel())
    n = len(s)
    return float((s[(n - 1) // 2] + s[n // 2]) / 2.0)


def flanking_peaks(values: ArrayLike) -> NDArray[np.float64]:
    """For each index of a 1-D array, the smaller of the highest value before it and the
    highest after it (-inf at either end): how high a dip there is walled on both sides."""
    v = np.asarray(values, dtype=np.float64)
    before = np.r_[-np.inf, np.maximum.accumulate(v)[:-1]]
    after = np.r_[np.maximum.accumulate(v[::-1])[::-1][1:], -np.inf]
    return np.asarray(np.minimum(before, after))


def row_medians(values: ArrayLike) -> NDArray[np.float64]:
    """Median of each row of a 2-D array, as a column (``keepdims`` shape)."""
    s = np.sort(np.asarray(values, dtype=np.float64), axis=1)
    n = s.shape[1]
    return np.asarray((s[:, (n - 1) // 2] + s[:, n // 2]) / 2.0)[:, None]


def densify(points: Any, step: float = 1.0) -> NDArray[np.float64]:
    """Resample a polyline at about ``step`` pixels (a single point is returned as is)."""
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if len(p) < 2:
        return p
    s = arc_lengths(p)
    t = np.linspace(0, s[-1], max(2, int(s[-1] / step) + 1))
    return np.stack([np.interp(t, s, p[:, 0]), np.interp(t, s, p[:, 1])], axis=1)


def values_at(img: NDArray[Any], pts: NDArray[np.float64]) -> NDArray[np.float32]:
    """Values of ``img`` at points (x, y), nearest pixel, clipped to the image."""
    h, w = img.shape[:2]
    ix = np.clip(np.round(pts).astype(int), 0, [w - 1, h - 1])
    return np.asarray(img[ix[:, 1], ix[:, 0]], dtype=np.float32)


def in_image(pts: NDArray[np.float64], shape: tuple[int, ...]) -> NDArray[np.bool_]:
    """Whether points (x, y; any leading shape) fall on a pixel of an image of ``shape``
    (h, w), nearest pixel."""
    h, w = shape[:2]
    ix = np.round(pts)
    return np.asarray((ix[..., 0] >= 0) & (ix[..., 1] >= 0) & (ix[..., 0] < w)
                      & (ix[..., 1] < h))


def mask_at(mask: NDArray[np.bool_], pts: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Whether points (x, y; any leading shape) fall on ``mask``, nearest pixel; points
    outside the image are not on it (unlike :func:`values_at`, which clips)."""
    inside = in_image(pts, mask.shape)
    ix = np.round(pts).astype(int)
    on = np.zeros(inside.shape, bool)
    at = ix[inside]
    on[inside] = mask[at[:, 1], at[:, 0]]
    return on


def onto_image(points: NDArray[np.float64], shape: tuple[int, ...]
               ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Points pulled onto the nearest pixel of an image of ``shape`` (h, w), and how far
    each was pulled (0 for points inside)."""
    h, w = shape[:2]
    pulled = np.stack([np.clip(points[:, 0], 0, w - 1), np.clip(points[:, 1], 0, h - 1)], 1)
    return pulled, np.hypot(*(points - pulled).T)


def border_distance(pts: NDArray[np.float64], shape: tuple[int, ...]) -> NDArray[np.float64]:
    """Distance of each point (x, y) from the centres of the outermost pixels of an image
    of ``shape`` (h, w): 0 on the first or last row or column."""
    h, w = shape[:2]
    return np.asarray(np.minimum(np.minimum(pts[:, 0], pts[:, 1]),
                                 np.minimum(w - 1 - pts[:, 0], h - 1 - pts[:, 1])))


def ends_at_edge(pts: NDArray[np.float64], shape: tuple[int, ...], margin: float) -> bool:
    """True when an end of a line lies within ``margin`` px of the image border."""
    return bool(np.any(border_distance(np.array([pts[0], pts[-1]]), shape) < margin))


def padded(sets: list[NDArray[np.float64]]
           ) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.float64]]:
    """Point sets (each (k, 2)) stacked into one zero-padded array (m, longest, 2), which
    entries are points, and how many each set has: for fitting many small sets at once
    (one at a time, numpy's per-call overhead is most of the cost)."""
    n = np.array([len(p) for p in sets], dtype=np.float64)
    pts = np.zeros((len(sets), int(n.max()), 2))
    held = np.zeros(pts.shape[:2], bool)
    for i, p in enumerate(sets):
        pts[i, :len(p)] = p
        held[i, :len(p)] = True
    return pts, held, n


def solve_many(gram: NDArray[np.float64], rhs: NDArray[np.float64]
               ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Solutions of a stack of square systems (normal equations), and which could be
    solved (a singular one has none; its row is 0)."""
    try:
        return np.linalg.solve(gram, rhs[..., None])[..., 0], np.ones(len(gram), bool)
    except np.linalg.LinAlgError:  # rare: solve one by one, to know which
        out, ok = np.zeros(rhs.shape), np.ones(len(gram), bool)
        for i in range(len(gram)):
            try:
                out[i] = np.linalg.solve(gram[i], rhs[i])
            except np.linalg.LinAlgError:
                ok[i] = False
        return out, ok


def circle_fits(pts: NDArray[np.float64], held: NDArray[np.bool_], n: NDArray[np.float64]
                ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Least-squares circles (Kasa 1976) of padded point sets (:func:`padded`): centres,
    radii and RMS residuals. Radius and residual are inf where the normal equations are
    exactly singular (the centre is then the points' mean); points on a straight line
    are rarely exactly so in floating point and give some circle with a large residual
    (a line of 51 points: radius 25 px, residual 3.8 px), which callers' residual limits
    refuse."""
    x, y = pts[..., 0], pts[..., 1]
    b = x * x + y * y
    sx, sy = x.sum(1), y.sum(1)
    sxx, sxy, syy = (x * x).sum(1), (x * y).sum(1), (y * y).sum(1)
    # normal equations of |p|^2 = 2 c.p + (r^2 - |c|^2): a 3x3 solve per set
    gram = np.stack([np.stack([4 * sxx, 4 * sxy, 2 * sx], -1),
                     np.stack([4 * sxy, 4 * syy, 2 * sy], -1),
                     np.stack([2 * sx, 2 * sy, n], -1)], 1)
    sol, ok = solve_many(gram, np.stack([2 * (x * b).sum(1), 2 * (y * b).sum(1), b.sum(1)],
                                        -1))
    c = np.where(ok[:, None], sol[:, :2], pts.sum(1) / n[:, None])
    r = np.sqrt(np.maximum(sol[:, 2] + (c * c).sum(1), 0.0))
    res = (np.hypot(x - c[:, :1], y - c[:, 1:]) - r[:, None]) * held
    resid = np.sqrt((res * res).sum(1) / n)
    return c, np.where(ok, r, np.inf), np.where(ok, resid, np.inf)


def circle_fit(p: NDArray[np.float64]) -> tuple[NDArray[np.float64], float, float]:
    """Least-squares circle (Kasa 1976) of one point set: centre, radius and RMS residual
    (:func:`circle_fits`)."""
    c, r, resid = circle_fits(*padded([np.asarray(p, dtype=np.float64).reshape(-1, 2)]))
    return c[0], float(r[0]), float(resid[0])


def segment_distance(
    xs: NDArray[np.float64], ys: NDArray[np.float64], a: NDArray[np.float64],
    b: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Euclidean distance from points (``xs``, ``ys``) to the segment ``a``-``b``."""
    d = b - a
    t = ((xs - a[0]) * d[0] + (ys - a[1]) * d[1]) / max(float(d @ d), 1e-12)
    t = np.clip(t, 0.0, 1.0)
    return np.asarray(np.hypot(xs - a[0] - t * d[0], ys - a[1] - t * d[1]))


def arc_lengths(pts: NDArray[np.float64]) -> NDArray[np.float64]:
    """Arc length at each vertex of a polyline (0 at the first)."""
    d = np.diff(pts, axis=0)
    out = np.zeros(len(pts))
    np.cumsum(np.hypot(d[:, 0], d[:, 1]), out=out[1:])
    return out


def at_arc(pts: NDArray[np.float64], t: NDArray[np.float64], step: float
           ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Points at arc lengths ``t`` along a polyline, and unit tangents from the chord
    ``step`` either side."""
    s = arc_lengths(pts)
    n = len(t)
    at = np.concatenate([t, t + step, t - step])  # one interpolation per axis, not six
    xy3 = np.stack([np.interp(at, s, pts[:, 0]), np.interp(at, s, pts[:, 1])], axis=1)
    xy, tan = xy3[:n], xy3[n:2 * n] - xy3[2 * n:]
    return xy, tan / np.maximum(np.hypot(tan[:, 0], tan[:, 1]), 1e-9)[:, None]


def normals(pts: NDArray[np.float64], span: float) -> NDArray[np.float64]:
    """Unit normals along a polyline, each from the chord ``span`` arc length either side
    (the skeleton's pixel steps would turn a line shifted sideways into a zigzag)."""
    if len(pts) < 2:
        return np.tile([[0.0, 1.0]], (len(pts), 1))
    _, tan = at_arc(pts, arc_lengths(pts), span)
    return np.stack([-tan[:, 1], tan[:, 0]], axis=1)
