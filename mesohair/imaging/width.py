"""Blur-aware projected hair width from perpendicular profiles.

Perpendicular luminance profiles are sampled at full resolution along each
hair (crossings and ends skipped), converted to opacity ``1 - I / I_skin``
with the skin level taken from the profile tails, re-centred, and each
station's profile is fitted by the model

    O(x) = a * (1 - exp(-b * sqrt(1 - x^2 / h^2))) / (1 - exp(-b)) (*) G_sigma + c,

i.e. Beer-Lambert absorption through the chord of a cylinder (or any
ellipse, whose chord has the same shape) convolved with a Gaussian point
spread function, by grid search over ``h`` and ``b`` with linear least
squares for ``a`` and ``c`` (``domain/imaging.md`` section 4a(7)). The PSF
width is estimated once per image from the widest hairs. A hair's projected
width is the median over its stations of ``2 h``; it is unbiased by blur and
by the threshold used to segment. All hairs of an image are profiled in one
remap and fitted together (per-hair calls cost more in overhead than in work).

Touching shafts from one ostium (a bundle) are told apart where a gap shows
across them: runs above half the plateau of each profile, cut at dips
(:func:`shafts_across`), unless every shaft of the image shows a specular
stripe along its middle, which looks the same (:func:`striped_shafts`). A pale,
thin shaft lying against a dark one with no gap shows as a step down to a second,
lower plateau on one side of the profile (:func:`pale_shafts`).

References
----------
.. [1] Hoffmann R. TrichoScan: combining epiluminescence microscopy with
   digital image analysis for the measurement of hair growth in vivo.
   Eur J Dermatol 2001;11:362-368.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from numpy.typing import NDArray

from mesohair.imaging.chains import Chain
from mesohair.imaging.numeric import (
    arc_lengths,
    at_arc,
    flanking_peaks,
    median,
    normals,
    row_medians,
)

Floats = NDArray[np.float64]
N_SAMPLES = 97
U = np.linspace(-1.0, 1.0, N_SAMPLES)
H_REL = np.linspace(0.01, 0.62, 62)
BETAS = (0.5, 1.5, 3.0, 6.0, 20.0)
SIGMAS = (0.5, 0.8, 1.2, 1.7, 2.4, 3.4)


def _stations(pts: Floats, width: float, nodes: NDArray[np.int32], scale: float
              ) -> tuple[Floats, Floats]:
    """Sample positions (full-res px) and unit normals along one hair."""
    s = arc_lengths(pts)
    step = max(2.0, width)
    t = np.arange(min(width, s[-1] / 2), s[-1] - min(width, s[-1] / 2) + 1e-9, step)
    if len(t) == 0:
        t = np.array([s[-1] / 2])
    xy, tan = at_arc(pts, t, step)
    ix = np.clip(xy.astype(int), 0, [nodes.shape[1] - 1, nodes.shape[0] - 1])
    free = nodes[ix[:, 1], ix[:, 0]] == 0
    if free.any():
        xy, tan = xy[free], tan[free]
    if len(xy) > 24:
        keep = np.linspace(0, len(xy) - 1, 24).astype(int)
        xy, tan = xy[keep], tan[keep]
    normal = np.stack([-tan[:, 1], tan[:, 0]], axis=1)
    return (xy + 0.5) * scale - 0.5, normal


def _sample_across(grey: NDArray[np.float32], xy: Floats, normal: Floats, radius: Floats
                   ) -> Floats:
    """Luminance profiles across a line (one row per station, half-range ``radius``)."""
    off = U[None, :] * radius[:, None]
    mx = (xy[:, 0:1] + normal[:, 0:1] * off).astype(np.float32)
    my = (xy[:, 1:2] + normal[:, 1:2] * off).astype(np.float32)
    prof = cv2.remap(grey, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(prof, dtype=np.float64)


def _raw_opacity(grey: NDArray[np.float32], xy: Floats, normal: Floats, radius: Floats,
                 light: bool) -> Floats:
    """Opacity profiles against the skin level of the brighter (darker, for light hair)
    tail, both sides kept as they are."""
    prof = _sample_across(grey, xy, normal, radius)
    tail = max(4, N_SAMPLES // 10)
    left = row_medians(prof[:, :tail])
    right = row_medians(prof[:, -tail:])
    base = np.minimum(left, right) if light else np.maximum(left, right)
    ratio = prof / np.maximum(base, 1.0)
    return np.asarray(ratio - 1.0 if light else 1.0 - ratio)


def _opacity(grey: NDArray[np.float32], xy: Floats, normal: Floats, radius: Floats,
             light: bool) -> Floats:
    """Opacity profiles (one row per station) against the skin level of the tails;
    ``radius`` is each row's half-range."""
    prof = _sample_across(grey, xy, normal, radius)
    tail = max(4, N_SAMPLES // 10)
    left = row_medians(prof[:, :tail])
    right = row_medians(prof[:, -tail:])
    base = left + (right - left) * (U + 1) / 2
    # a neighbouring hair in one tail: trust the skin-like (brighter, or darker) side
    uneven = (np.abs(left - right) > 0.15 * np.maximum(left, right))[:, 0]
    flat = np.minimum(left, right) if light else np.maximum(left, right)
    base[uneven] = flat[uneven]
    ratio = prof / np.maximum(base, 1.0)
    o = np.asarray(ratio - 1.0 if light else 1.0 - ratio)
    return _mirror_clean_side(o, uneven, (left > right)[:, 0] != light)


def _mirror_clean_side(o: Floats, uneven: NDArray[np.bool_], left_clean: NDArray[np.bool_]
                       ) -> Floats:
    """Where a neighbouring hair darkens one tail, make the profile symmetric from the other."""
    mid = N_SAMPLES // 2
    out = o.copy()
    use_left = uneven & left_clean
    use_right = uneven & ~left_clean
    out[use_left, mid + 1:] = o[use_left, :mid][:, ::-1]
    out[use_right, :mid] = o[use_right, mid + 1:][:, ::-1]
    return out


def _grid_radius(r: float) -> float:
    """Round a profile half-range up to a geometric grid (ratio 1.1) so models are shared."""
    return float(10.0 * 1.1 ** np.ceil(np.log(max(r, 10.0) / 10.0) / np.log(1.1)))


@dataclass
class _Profiles:
    """Re-centred opacity profiles of many hairs, stacked: rows ``starts[i]:starts[i+1]``
    belong to hair ``i``, each row with its half-range ``radius``."""

    rows: Floats
    radius: Floats
    starts: NDArray[np.intp]

    def of(self, i: int) -> slice:
        """Rows of hair ``i``."""
        return slice(int(self.starts[i]), int(self.starts[i + 1]))


def hair_profiles(grey: NDArray[np.float32], chains: list[Chain], nodes: NDArray[np.int32],
                  scale: float, light: bool) -> _Profiles:
    """Re-centred opacity profiles of every hair (one row per station).

    All hairs' stations are sampled in one remap (per-hair calls cost more in
    overhead than in work); each profile is re-centred on its opacity centroid
    and sampled again.
    """
    xy, normal, radius, widths = [], [], [], []
    for c in chains:
        full_width = c.width * scale
        p, n = _stations(c.points, c.width, nodes, scale)
        xy.append(p)
        normal.append(n)
        radius.append(np.full(len(p), _grid_radius(1.6 * full_width + 10.0)))
        widths.append(np.full(len(p), full_width))
    starts = np.concatenate([[0], np.cumsum([len(p) for p in xy])]).astype(np.intp)
    if not chains:
        return _Profiles(np.zeros((0, N_SAMPLES)), np.zeros(0), starts)
    pos, nrm = np.concatenate(xy), np.concatenate(normal)
    rad, w = np.concatenate(radius), np.concatenate(widths)
    o = _opacity(grey, pos, nrm, rad, light)
    off = U[None, :] * rad[:, None]
    core = np.abs(off) < 0.75 * w[:, None] + 2.0
    wts = np.where(core, np.clip(o, 0, None), 0.0)
    shift = (wts * off).sum(axis=1) / np.maximum(wts.sum(axis=1), 1e-9)
    shift = np.clip(shift, -w / 3 - 1, w / 3 + 1)
    return _Profiles(_opacity(grey, pos + nrm * shift[:, None], nrm, rad, light), rad, starts)


SUPERSAMPLE = 8
"""Points per profile sample over which each model sample is averaged. A chord model
read only at the profile's points moves its edges in whole samples (1.3 px across a
30 px stub), so neighbouring widths gave one model and the widths read went in steps,
up to 2 px off; averaged over each sample's footprint (a box one sample wide, which the
per-image PSF sigma absorbs), its edges move smoothly."""


def _base_models() -> Floats:
    """Unblurred chord profiles averaged over each sample's footprint on the normalised
    grid, one row per (beta, h / radius)."""
    dx = 2.0 / (N_SAMPLES - 1)
    sub = ((np.arange(SUPERSAMPLE) + 0.5) / SUPERSAMPLE - 0.5) * dx
    u = (U[:, None] + sub[None, :]).ravel()
    rel = np.clip(1.0 - (u[None, :] / H_REL[:, None]) ** 2, 0.0, None)
    rows = [(1 - np.exp(-b * np.sqrt(rel))) / (1 - np.exp(-b)) for b in BETAS]
    fine = np.concatenate(rows).reshape(-1, N_SAMPLES, SUPERSAMPLE)
    return fine.mean(axis=2).astype(np.float32)


BASE_MODELS = _base_models()
"""The model shapes do not depend on the profile's range, only their blur does."""


@lru_cache(maxsize=512)
def _blurred(sigma_samples: float) -> tuple[Floats, Floats]:
    """Centred models blurred by ``sigma_samples`` (in profile samples), and their norms."""
    m = cv2.GaussianBlur(BASE_MODELS, (0, 1), sigmaX=max(sigma_samples, 0.05), sigmaY=0,
                         borderType=cv2.BORDER_REPLICATE)
    mc = np.asarray(m, dtype=np.float64)
    mc -= mc.mean(axis=1, keepdims=True)
    return mc, np.maximum((mc * mc).sum(axis=1), 1e-12)


def _models(radius: float, sigma: float) -> tuple[Floats, Floats, Floats]:
    """Centred blurred chord-profile models for every (h, beta), their norms and h (px)."""
    dx = 2 * radius / (N_SAMPLES - 1)
    mc, den = _blurred(round(sigma / dx, 2))
    return mc, den, np.tile(H_REL * radius, len(BETAS))


def fit_rows(profiles: Floats, radius: Floats, sigma: float) -> tuple[Floats, Floats]:
    """Best-fitting model width (px) of each profile row, and its residual.

    Rows are fitted together by half-range (the models depend on it only through
    the blur in samples).
    """
    width = np.zeros(len(profiles))
    resid_out = np.zeros(len(profiles))
    for r in np.unique(radius):
        sel = radius == r
        mc, den, hs = _models(float(r), sigma)
        pc = profiles[sel] - profiles[sel].mean(axis=1, keepdims=True)
        num = pc @ mc.T
        resid = (pc * pc).sum(axis=1, keepdims=True) - np.where(num > 0, num * num / den, 0.0)
        k = np.argmin(resid, axis=1)
        width[sel] = 2 * _refine(resid, k, hs)
        resid_out[sel] = resid[np.arange(len(k)), k]
    return width, resid_out


def _refine(resid: Floats, k: NDArray[np.intp], hs: Floats) -> Floats:
    """Sub-grid h by a parabola through the residuals at the best h and its neighbours."""
    n = len(H_REL)
    i = k % n
    ok = (i > 0) & (i < n - 1)
    rows = np.arange(len(k))
    km, kp = np.where(ok, k - 1, k), np.where(ok, k + 1, k)
    a, b, c = resid[rows, km], resid[rows, k], resid[rows, kp]
    den = a - 2 * b + c
    t = np.where(ok & (den > 0), 0.5 * (a - c) / np.where(den > 0, den, 1.0), 0.0)
    step = hs[kp] - hs[k]
    return np.asarray(hs[k] + np.clip(t, -0.5, 0.5) * step)


def estimate_psf(prof: _Profiles, widths: list[float]) -> float:
    """PSF sigma (px): median of the best sigma over the widest hairs."""
    order = [int(k) for k in np.argsort(widths)[::-1][:8] if widths[k] >= 8.0]
    if not order:
        return 1.0
    rows = np.concatenate([np.arange(prof.starts[k], prof.starts[k + 1]) for k in order])
    hair = np.repeat(np.arange(len(order)), [prof.starts[k + 1] - prof.starts[k] for k in order])
    res = np.stack([np.bincount(hair, fit_rows(prof.rows[rows], prof.radius[rows], s)[1],
                                minlength=len(order)) for s in SIGMAS])
    best = [_between_sigmas(res[:, j]) for j in range(len(order))]
    return float(np.sort(best)[(len(best) - 1) // 2])


def _between_sigmas(resid: Floats) -> float:
    """The sigma of least residual, read between the grid's (a parabola through the
    best and its neighbours, on the grid's log scale): a thin hair's width moves by a
    pixel or more from one grid sigma to the next. Where an end of the grid is best, it
    is taken as it is (nothing beyond it to read between)."""
    i = int(np.argmin(resid))
    if i == 0 or i == len(SIGMAS) - 1:
        return SIGMAS[i]
    a, b, c = (float(v) for v in resid[i - 1:i + 2])
    den = a - 2 * b + c
    t = 0.5 * (a - c) / den if np.isfinite(den) and den > 0 else 0.0  # inf: no parabola
    lo, hi = (SIGMAS[i - 1], SIGMAS[i]) if t < 0 else (SIGMAS[i], SIGMAS[i + 1])
    return float(SIGMAS[i] * (hi / lo) ** float(np.clip(t, -0.5, 0.5)))


def measure_widths(grey: NDArray[np.float32], chains: list[Chain], nodes: NDArray[np.int32],
                   scale: float, light: bool, sigma: float | None = None
                   ) -> tuple[list[float], float]:
    """Projected width (full-resolution px) of each hair, and the PSF sigma used.

    Parameters
    ----------
    grey : ndarray
        Full-resolution luminance, float32.
    chains : list of Chain
        Hairs traced at working resolution.
    nodes : ndarray
        Junction-node labels at working resolution (profiles there are skipped).
    scale : float
        Full-resolution pixels per working pixel.
    light : bool
        Hair lighter than skin.
    sigma : float, optional
        PSF sigma (full-resolution px) already estimated for the image; by
        default estimated from these hairs.
    """
    prof = hair_profiles(grey, chains, nodes, scale, light)
    if sigma is None:
        sigma = estimate_psf(prof, [c.width * scale for c in chains])
    width, _ = fit_rows(prof.rows, prof.radius, sigma)
    return [median(width[prof.of(i)]) for i in range(len(chains))], sigma


MAX_STATIONS = 24
"""Most profiles taken across one line when telling touching shafts apart."""

STRIPE_STATIONS = 12
"""Profiles taken across each single shaft when looking for a specular stripe."""

SHALLOW_DIP = 0.15
"""Smallest dip (fraction of the plateau) between touching shafts that is taken as a gap."""


def _runs_across(o: Floats, top: float, dx: float, min_width: float
                 ) -> list[tuple[float, float]]:
    """(left, right) edges in samples of the shafts across one opacity profile: runs above
    half the plateau ``top``, each cut again at dips of at least :data:`SHALLOW_DIP` of it."""
    if top <= 0.05:
        return []
    above = o >= 0.5 * top
    edges = np.flatnonzero(np.diff(above.astype(np.int8)))
    out: list[tuple[float, float]] = []
    starts = ([0] if above[0] else []) + [int(e) + 1 for e in edges if not above[e]]
    ends = [int(e) for e in edges if above[e]] + ([len(o) - 1] if above[-1] else [])
    for a, b in zip(starts, ends, strict=False):
        if (b - a + 1) * dx < 2.0:
            continue
        left = _half_cross(o, a - 1, a, 0.5 * top)
        right = _half_cross(o, b, b + 1, 0.5 * top)
        seg = o[a:b + 1]
        i = np.arange(2, len(seg) - 2)
        depth = flanking_peaks(seg)[i] - seg[i]
        minima = i[(seg[i] <= seg[i - 1]) & (seg[i] < seg[i + 1])
                   & (depth >= SHALLOW_DIP * top)]
        dips = [(float(depth[j - 2]), float(a + j)) for j in minima]
        # Deepest dips first, each only where it leaves both sides a shaft's width: a
        # specular stripe along one shaft's middle is a dip too, between two halves.
        cuts = [left, right]
        for _, dip in sorted(dips, reverse=True):
            new = sorted([*cuts, dip])
            if float(np.min(np.diff(new))) * dx >= min_width:
                cuts = new
        out += list(zip(cuts[:-1], cuts[1:], strict=True))
    return out


def _half_cross(o: Floats, i: int, j: int, level: float) -> float:
    """Sub-sample position between ``i`` and ``j`` where ``o`` crosses ``level``."""
    if i < 0 or j >= len(o):
        return float(max(min(i, j), 0) if i < 0 else min(i, len(o) - 1))
    d = o[j] - o[i]
    return float(i + (level - o[i]) / d) if abs(d) > 1e-9 else float(i)


@dataclass
class _Across:
    """Opacity profiles across a line every third of its width: station arc positions
    ``t`` (working px), rows of runs ``found`` (offsets across, full-resolution px)."""

    t: Floats
    found: list[list[tuple[float, float]]]


@dataclass
class _Along:
    """Opacity profiles across a line (rows ``o``) at arc positions ``t`` (working px),
    each ``2 * radius`` full-resolution px long, ``dx`` px between samples; ``top``,
    each row's plateau (95th percentile)."""

    t: Floats
    o: Floats
    radius: float
    dx: float
    top: Floats


def _profiles_along(grey: NDArray[np.float32], pts: Floats, width: float, scale: float,
                    light: bool, stations: int = MAX_STATIONS) -> _Along | None:
    """Opacity profiles across a line at stations a third of its width apart, ends left
    out by half its width; None for a line too short for three stations."""
    s = arc_lengths(pts)
    step = max(1.0, width / 3)
    t = np.arange(width / 2, s[-1] - width / 2 + 1e-9, step)
    if len(t) < 3:
        return None
    if len(t) > stations:  # a long hair: enough stations spread along it
        t = t[np.linspace(0, len(t) - 1, stations).astype(int)]
    xy, tan = at_arc(pts, t, step)
    normal = np.stack([-tan[:, 1], tan[:, 0]], axis=1)
    wf = width * scale
    radius = 0.5 * wf + max(12.0, 0.3 * wf)
    o = _raw_opacity(grey, (xy + 0.5) * scale - 0.5, normal, np.full(len(t), radius), light)
    # np.percentile's linear interpolation, by hand: it costs 20x more on small rows
    rank = 0.95 * (N_SAMPLES - 1)
    lo = int(rank)
    srt = np.sort(o, axis=1)
    top = srt[:, lo] + (rank - lo) * (srt[:, lo + 1] - srt[:, lo])
    return _Along(t, o, radius, 2 * radius / (N_SAMPLES - 1), top)


def _runs_along(grey: NDArray[np.float32], pts: Floats, width: float, scale: float,
                light: bool, min_width: float, stations: int = MAX_STATIONS
                ) -> _Across | None:
    """The runs (shafts) seen across a line at stations a third of its width apart,
    ends left out by half its width; None for a line too short for three stations."""
    prof = _profiles_along(grey, pts, width, scale, light, stations)
    if prof is None:
        return None
    t, o, radius, dx = prof.t, prof.o, prof.radius, prof.dx
    wf = width * scale
    found = []
    for row, top in zip(o, prof.top, strict=True):
        runs = [(a * dx - radius, b * dx - radius)
                for a, b in _runs_across(row, float(top), dx, min_width)]
        found.append([r for r in runs if r[1] > -0.5 * wf - 2 and r[0] < 0.5 * wf + 2])
    return _Across(t, found)


def striped_shafts(grey: NDArray[np.float32], lines: list[Floats], widths: list[float],
                   scale: float, light: bool) -> bool:
    """True when single shafts show a dip along their middle (a specular stripe).

    Non-polarised light reflects off the cuticle in a bright stripe along each
    shaft; across one shaft it looks like the gap between two touching ones.
    Judged on up to eight of the given lines (single shafts, working px; widths
    full-resolution px): striped when most show two runs at most stations.
    """
    votes: list[bool] = []
    judged = list(zip(lines, widths, strict=True))[:8]
    for i, (pts, w) in enumerate(judged):
        seen = _runs_along(grey, pts, w / scale, scale, light, 0.0, STRIPE_STATIONS)
        if seen is not None:
            votes.append(bool(np.mean([len(f) >= 2 for f in seen.found]) >= 0.5))
        # not striped even if every line left says so: stop (half the cost on most images)
        left = len(judged) - 1 - i
        if 2 * (sum(votes) + left) <= len(votes) + left:
            return False
    return bool(votes) and float(np.mean(votes)) > 0.5


def shafts_across(grey: NDArray[np.float32], pts: Floats, width: float, scale: float,
                  light: bool, min_width: float) -> tuple[list[Floats], list[float]] | None:
    """The shafts of a bundle told apart by the gaps between them, or None.

    Touching shafts from one ostium show as one wide line; where a gap (a
    bright line, or a dip in opacity) separates them, each shaft's edges
    can be read across the bundle. Opacity profiles are taken across the
    line every third of its width; in each, the runs above half the plateau
    cut again at dips are the shafts. When the same number of shafts (two or
    more) shows at enough stations, each shaft's width is the median of its
    run lengths and its centreline follows its run centres along the line.

    Parameters
    ----------
    grey : ndarray
        Full-resolution luminance, float32.
    pts : ndarray
        The bundle's centreline at working resolution.
    width : float
        The bundle's width (working px).
    scale : float
        Full-resolution pixels per working pixel.
    light : bool
        Hair lighter than skin.
    min_width : float
        Narrowest shaft (full-resolution px) a gap may leave on either side.

    Returns
    -------
    (list of ndarray, list of float) or None
        Each shaft's centreline (working px) and width (full-resolution px),
        or None when no consistent gaps show.
    """
    seen = _runs_along(grey, pts, width, scale, light, min_width)
    if seen is None:
        return None
    t, found = seen.t, seen.found
    n = np.array([len(f) for f in found])
    counts = np.bincount(n, minlength=3)
    counts[:2] = 0
    k = int(np.argmax(counts))
    if k < 2 or counts[k] < max(2, 0.3 * len(t)):
        return None
    at = np.flatnonzero(n == k)
    centres = np.array([[(a + b) / 2 for a, b in found[i]] for i in at])
    sizes = np.array([[b - a for a, b in found[i]] for i in at])
    return _shaft_lines(pts, width, t[at], centres / scale, sizes)


def parted_shafts(grey: NDArray[np.float32], pts: Floats, width: float, scale: float,
                  light: bool, min_width: float) -> tuple[list[Floats], list[float]] | None:
    """Two shafts parting along one stretch of a line (:func:`_parted_pair`), or None;
    parameters and result as :func:`shafts_across`."""
    seen = _runs_along(grey, pts, width, scale, light, min_width)
    pair = None if seen is None else _parted_pair(seen.found, min_width)
    if seen is None or pair is None:
        return None
    at, centres, sizes = pair
    return _shaft_lines(pts, width, seen.t[at], centres / scale, sizes)


def _shaft_lines(pts: Floats, width: float, t: Floats, centres: Floats, sizes: Floats
                 ) -> tuple[list[Floats], list[float]]:
    """Each shaft's centreline (``pts`` moved sideways by its centre offsets at arc
    positions ``t``, working px) and its width (median of ``sizes``)."""
    s = arc_lengths(pts)
    lines = [pts + np.interp(s, t, centres[:, j])[:, None] * normals(pts, width)
             for j in range(centres.shape[1])]
    return lines, [median(sizes[:, j]) for j in range(centres.shape[1])]


PARTED_SPAN = 1.15
"""Least ratio of a parted pair's outer width to the width of the run where it touches."""


def _parted_pair(found: list[list[tuple[float, float]]], min_width: float
                 ) -> tuple[NDArray[np.int64], Floats, Floats] | None:
    """Two shafts that part along one stretch of a line and touch along the rest.

    Two stubs leaving one ostium lie side by side, touching towards the root
    and parting towards their cut ends (or the reverse): the gap shows only at
    a few stations in a row. There each shaft's width is read; where the two
    touch, the one run is taken as both, each shaft lying against its own edge
    of it (where one lies over the other, it may hide under it). Needs at
    least two neighbouring stations with a gap, each shaft there at least
    ``min_width`` (full-resolution px) wide, and the pair spread wider
    there (outer edges :data:`PARTED_SPAN` times the joined run elsewhere): a
    single shaft with a dip along part of it is no wider at the dip. Returns the
    stations used, each shaft's centre at them (offsets across) and the shaft
    widths at the gap stations, or None.
    """
    n = np.array([len(f) for f in found])
    two = np.flatnonzero(n == 2)
    if len(two) < 2 or np.any(n > 2) or not np.any(np.diff(two) == 1):
        return None
    sizes = np.array([[b - a for a, b in found[i]] for i in two])
    w1, w2 = float(np.median(sizes[:, 0])), float(np.median(sizes[:, 1]))
    if min(w1, w2) < min_width:
        return None  # a sliver beside a shaft (the rim of a field stop, a shadow)
    one = np.flatnonzero(n == 1)
    joined = np.array([found[i][0] for i in one]).reshape(-1, 2)
    span = float(np.median([found[i][1][1] - found[i][0][0] for i in two]))
    if len(one) and span < PARTED_SPAN * median(joined[:, 1] - joined[:, 0]):
        return None  # no wider where parted: one shaft with a dip along part of it
    at = np.sort(np.concatenate([two, one]))
    centres = np.empty((len(at), 2))
    for row, i in enumerate(at):
        if n[i] == 2:
            centres[row] = [(a + b) / 2 for a, b in found[i]]
        else:
            lo, hi = found[i][0]
            centres[row] = [lo + w1 / 2, hi - w2 / 2]
    return at, centres, sizes



SHOULDER_CORE = 0.8
"""Level (fraction of the profile's plateau) above which a profile is the dark shaft."""

SHOULDER_LEVELS = (0.12, 0.7)
"""Plateau levels (fractions of the dark shaft's) that a paler shaft beside it may have."""

SHOULDER_FLAT = 0.5
"""Least fraction of a shoulder's samples within 30 % of its level: a plateau, not the
blurred edge of the dark shaft."""

SHOULDER_STATIONS = 0.3
"""Least fraction of a line's stations (three at least) showing the shoulder on one side."""

def _first(mask: NDArray[np.bool_]) -> NDArray[np.intp]:
    """Index of the first True of each row (the row length where there is none)."""
    return np.where(mask.any(axis=1), mask.argmax(axis=1), mask.shape[1])


def _falls_below(o: Floats, start: NDArray[np.intp], level: Floats) -> Floats:
    """Per row, the sub-sample position at or after ``start`` where ``o`` first falls
    below ``level`` (the last sample where it never does)."""
    n = o.shape[1]
    rows = np.arange(len(o))
    k = _first((np.arange(n)[None, :] >= start[:, None]) & (o < level[:, None]))
    prev = np.clip(k - 1, 0, n - 1)
    at = np.minimum(k, n - 1)
    drop = np.maximum(o[rows, prev] - o[rows, at], 1e-9)
    pos = prev + (o[rows, prev] - level) / drop
    return np.where(k >= n, n - 1.0, np.where(k <= start, k, pos))


@dataclass
class _Shoulder:
    """Per profile row, on one side of the dark shaft: its edge there, whether the
    profile steps down there at all (``step``: above the skin for ``min_width`` and
    more), whether a paler shaft lies against it (``pale``: that step is a plateau),
    and that one's inner and outer edges (samples from the profile's start)."""

    edge: Floats
    step: NDArray[np.bool_]
    pale: NDArray[np.bool_]
    inner: Floats
    outer: Floats


def _shoulder_right(o: Floats, top: Floats, end: NDArray[np.intp], dx: float,
                    min_width: float) -> _Shoulder:
    """The right side of :func:`_shoulders`, ``end`` the dark shaft's last sample."""
    n = o.shape[1]
    j = np.arange(n)[None, :]
    edge = _falls_below(o, end, 0.5 * top)
    skin = _first((j > end[:, None]) & (o < 0.1 * top[:, None]))
    flank = (j > end[:, None]) & (j < skin[:, None])
    size = flank.sum(axis=1)
    # the median of each row's flank: its values first in each sorted row
    ordered = np.sort(np.where(flank, o, np.inf), axis=1)
    lo, hi = np.clip((size - 1) // 2, 0, n - 1), np.clip(size // 2, 0, n - 1)
    level = np.where(size > 0, (np.take_along_axis(ordered, lo[:, None], 1)[:, 0]
                                + np.take_along_axis(ordered, hi[:, None], 1)[:, 0]) / 2, 0.0)
    flat = (flank & (np.abs(o - level[:, None]) <= 0.3 * level[:, None])).sum(axis=1)
    inner = _falls_below(o, end, (top + level) / 2)
    outer = _falls_below(o, end, level / 2)
    step = (size * dx >= min_width) & (level >= SHOULDER_LEVELS[0] * top)
    pale = (step & (skin < n) & (level <= SHOULDER_LEVELS[1] * top)
            & (flat >= SHOULDER_FLAT * size) & ((outer - inner) * dx >= min_width))
    return _Shoulder(np.where(pale, inner, edge), step, pale, inner, outer)


def _shoulders(o: Floats, top: Floats, dx: float, min_width: float
               ) -> tuple[NDArray[np.bool_], dict[int, _Shoulder]]:
    """The dark shaft and the paler shafts lying against it, in each opacity profile.

    The dark shaft is the run above :data:`SHOULDER_CORE` of the plateau ``top``
    nearest the middle. Beyond each of its edges the profile falls to the skin;
    where it first stays on a lower plateau (:data:`SHOULDER_LEVELS`, flat by
    :data:`SHOULDER_FLAT`) at least ``min_width`` (full-resolution px) wide, a paler
    shaft lies against the dark one. Its inner edge is where the profile passes
    midway between the two levels, its outer edge where it falls to half its own
    level; the dark shaft's edge on a side without one is at half its plateau.
    Returns the rows with a plateau and, by side (-1 left, 1 right), the
    :class:`_Shoulder` there, positions in samples from the profile's start.
    """
    n = o.shape[1]
    core = o >= SHOULDER_CORE * top[:, None]
    j = np.arange(n)[None, :]
    c = np.argmin(np.where(core, np.abs(j - n // 2), n), axis=1)
    right = _first(~core & (j > c[:, None])) - 1
    left = n - 1 - (_first((~core & (j < c[:, None]))[:, ::-1]) - 1)
    sides = {1: _shoulder_right(o, top, right, dx, min_width)}
    flip = _shoulder_right(o[:, ::-1], top, n - 1 - left, dx, min_width)
    sides[-1] = _Shoulder(n - 1 - flip.edge, flip.step, flip.pale, n - 1 - flip.inner,
                          n - 1 - flip.outer)
    return core.any(axis=1) & (top > 0.05), sides


def pale_shafts(grey: NDArray[np.float32], pts: Floats, width: float, scale: float,
                light: bool, min_width: float) -> tuple[list[Floats], list[float]] | None:
    """A paler, thinner shaft lying against a dark one along a line, or None.

    A thin, lightly pigmented shaft leaving the ostium of a thick dark one often
    lies against it with no gap: the mask is one blob, the skeleton one line
    and the width the two together. Across the pair the profile steps down
    from the dark shaft's plateau to the pale one's and only then to the skin
    (:func:`_shoulders`). Where that step shows on one side along a stretch of
    enough stations (:data:`SHOULDER_STATIONS`), and the profile does not step
    down on the other side too at most of them (the darker skin round an
    ostium, a plateau there or not), the dark shaft is placed and measured
    between its edges and the pale one along the stretch where it shows.
    Parameters and result as :func:`shafts_across` (``min_width``: the
    narrowest pale shaft, full-resolution px).
    """
    prof = _profiles_along(grey, pts, width, scale, light)
    if prof is None:
        return None
    top = prof.top
    seen, sides = _shoulders(prof.o, top, prof.dx, min_width)
    need = max(3, SHOULDER_STATIONS * len(top))
    if seen.sum() < 3 or max(np.sum(seen & sd.pale) for sd in sides.values()) < need:
        return None
    core = np.stack([sides[-1].edge, sides[1].edge], axis=1)[seen] * prof.dx - prof.radius
    lines, widths = _shaft_lines(pts, width, prof.t[seen], core.mean(axis=1, keepdims=True)
                                 / scale, (core[:, 1] - core[:, 0])[:, None])
    s = arc_lengths(pts)
    spacing = max(1.0, width / 3)  # between stations, as _profiles_along takes them
    for side, sd in sides.items():
        at = np.array(_longest_run([int(i) for i in np.flatnonzero(seen & sd.pale)]))
        if len(at) < need or np.sum(sides[-side].step[at]) > 0.5 * len(at):
            continue
        edge = np.stack([sd.inner[at], sd.outer[at]], axis=1) * prof.dx - prof.radius
        pale = median(np.abs(edge[:, 1] - edge[:, 0]))
        line = _shaft_lines(pts, width, prof.t[at], edge.mean(axis=1, keepdims=True) / scale,
                            np.abs(edge[:, 1] - edge[:, 0])[:, None])[0][0]
        keep = (s >= prof.t[at[0]] - spacing) & (s <= prof.t[at[-1]] + spacing)
        if keep.sum() >= 2:
            lines.append(line[keep])
            widths.append(pale)
    return (lines, widths) if len(lines) > 1 else None


def _longest_run(stations: list[int]) -> list[int]:
    """The longest stretch of ``stations`` (sorted indices) with no more than one station
    missing between neighbours."""
    runs: list[list[int]] = []
    for i in stations:
        if runs and i - runs[-1][-1] <= 2:
            runs[-1].append(i)
        else:
            runs.append([i])
    return max(runs, key=len) if runs else []
