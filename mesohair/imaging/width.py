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
from mesohair.imaging.numeric import median, row_medians

Floats = NDArray[np.float64]
N_SAMPLES = 97
U = np.linspace(-1.0, 1.0, N_SAMPLES)
H_REL = np.linspace(0.01, 0.62, 62)
BETAS = (0.5, 1.5, 3.0, 6.0, 20.0)
SIGMAS = (0.5, 0.8, 1.2, 1.7, 2.4, 3.4)


def _stations(pts: Floats, width: float, nodes: NDArray[np.int32], scale: float
              ) -> tuple[Floats, Floats]:
    """Sample positions (full-res px) and unit normals along one hair."""
    seg = np.hypot(*np.diff(pts, axis=0).T)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    step = max(2.0, width)
    t = np.arange(min(width, s[-1] / 2), s[-1] - min(width, s[-1] / 2) + 1e-9, step)
    if len(t) == 0:
        t = np.array([s[-1] / 2])
    xy = np.stack([np.interp(t, s, pts[:, 0]), np.interp(t, s, pts[:, 1])], axis=1)
    ahead = np.stack([np.interp(t + step, s, pts[:, 0]), np.interp(t + step, s, pts[:, 1])], 1)
    behind = np.stack([np.interp(t - step, s, pts[:, 0]), np.interp(t - step, s, pts[:, 1])], 1)
    tan = ahead - behind
    tan /= np.maximum(np.hypot(*tan.T), 1e-9)[:, None]
    ix = np.clip(xy.astype(int), 0, [nodes.shape[1] - 1, nodes.shape[0] - 1])
    free = nodes[ix[:, 1], ix[:, 0]] == 0
    if free.any():
        xy, tan = xy[free], tan[free]
    if len(xy) > 24:
        keep = np.linspace(0, len(xy) - 1, 24).astype(int)
        xy, tan = xy[keep], tan[keep]
    normal = np.stack([-tan[:, 1], tan[:, 0]], axis=1)
    return (xy + 0.5) * scale - 0.5, normal


def _opacity(grey: NDArray[np.float32], xy: Floats, normal: Floats, radius: Floats,
             light: bool) -> Floats:
    """Opacity profiles (one row per station) against the skin level of the tails;
    ``radius`` is each row's half-range."""
    off = U[None, :] * radius[:, None]
    mx = (xy[:, 0:1] + normal[:, 0:1] * off).astype(np.float32)
    my = (xy[:, 1:2] + normal[:, 1:2] * off).astype(np.float32)
    prof = cv2.remap(grey, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    prof = prof.astype(np.float64)
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


def _base_models() -> Floats:
    """Unblurred chord profiles on the normalised grid, one row per (beta, h / radius)."""
    rel = np.clip(1.0 - (U[None, :] / H_REL[:, None]) ** 2, 0.0, None)
    rows = [(1 - np.exp(-b * np.sqrt(rel))) / (1 - np.exp(-b)) for b in BETAS]
    return np.concatenate(rows).astype(np.float32)


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
    best = [SIGMAS[int(i)] for i in np.argmin(res, axis=0)]
    return float(np.sort(best)[(len(best) - 1) // 2])


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
