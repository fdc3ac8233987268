"""Micrometres per pixel from an image of a stage micrometer or ruler.

The graduations' orientation and period are found as the strongest peak of
the 2-D power spectrum (a periodic line pattern is a pair of spectral
peaks); the image is then projected onto the direction across the lines,
line centres are located with sub-pixel (parabolic) precision, and the
period is the slope of a least-squares line through centre position against
graduation index (a ruler's longer ticks do not bias it).
"""

from __future__ import annotations

import os
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from mesohair.imaging.io import as_rgb_array, read_image

Floats = NDArray[np.float64]


class CalibrationError(ValueError):
    """No regular graduations could be found in the image."""


def _spectral_peak(grey: NDArray[np.float32]) -> tuple[float, float, float]:
    """Angle (rad) across the lines, period (px) and peak prominence."""
    h, w = grey.shape
    f = min(1.0, 1024.0 / max(h, w))
    g = cv2.resize(grey, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA) if f < 1 else grey
    g = g - g.mean()
    win = np.outer(np.hanning(g.shape[0]), np.hanning(g.shape[1])).astype(np.float32)
    p = np.abs(np.fft.fftshift(np.fft.fft2(g * win))) ** 2
    cy, cx = p.shape[0] // 2, p.shape[1] // 2
    yy, xx = np.mgrid[0:p.shape[0], 0:p.shape[1]]
    r = np.hypot((yy - cy) / p.shape[0], (xx - cx) / p.shape[1])
    p[r < 3.0 / min(p.shape)] = 0
    k = int(np.argmax(p))
    py, px = divmod(k, p.shape[1])
    fy, fx = (py - cy) / p.shape[0], (px - cx) / p.shape[1]
    prominence = float(p.max() / (np.median(p[p > 0]) + 1e-12))
    return float(np.arctan2(fy, fx)), f / float(np.hypot(fx, fy)), prominence


def _projection(grey: NDArray[np.float32], angle: float) -> tuple[Floats, float]:
    """Mean grey value against position across the lines (0.25 px bins)."""
    h, w = grey.shape
    yy, xx = np.mgrid[0:h, 0:w]
    t = xx * np.cos(angle) + yy * np.sin(angle)
    t0 = float(t.min())
    idx = ((t - t0) * 4).astype(np.int64).ravel()
    s = np.bincount(idx, weights=grey.ravel().astype(np.float64))
    n = np.bincount(idx)
    ok = n > max(5, 0.2 * n.max())
    prof = np.interp(np.arange(len(s)), np.flatnonzero(ok), s[ok] / n[ok])
    return prof, t0


def _centres(prof: Floats, period_bins: float) -> Floats:
    """Sub-pixel positions (bins) of the line centres in a projection."""
    k = max(3, int(period_bins) | 1)
    x = prof - cv2.blur(prof.reshape(1, -1), (k, 1)).ravel()
    if abs(float(x.min())) > abs(float(x.max())):
        x = -x
    half = max(1, int(period_bins * 0.35))
    peaks = []
    for i in range(half, len(x) - half):
        seg = x[i - half:i + half + 1]
        if x[i] == seg.max() and x[i] > 0.3 * float(x.max()):
            a, b, c = x[i - 1], x[i], x[i + 1]
            den = a - 2 * b + c
            peaks.append(i + (0.5 * (a - c) / den if den != 0 else 0.0))
    return np.array(peaks)


def calibrate(image: Any, *, spacing_um: float) -> dict[str, Any]:
    """Measure micrometres per pixel from a graduated scale.

    Parameters
    ----------
    image : str, PathLike or ndarray
        Image of a stage micrometer or ruler.
    spacing_um : float
        Distance between neighbouring graduations, in micrometres.

    Returns
    -------
    dict
        ``{"um_per_px": float, "lines_found": int, "residual_pct": float}``;
        the residual is the RMS deviation of line centres from a regular
        grid, in percent of the spacing.

    Raises
    ------
    CalibrationError
        When no regular graduations are found.
    ValueError
        When ``spacing_um`` is not positive.
    """
    if not (np.isfinite(spacing_um) and spacing_um > 0):
        raise ValueError(f"spacing_um must be positive, got {spacing_um}")
    rgb = read_image(image) if isinstance(image, str | os.PathLike) else as_rgb_array(image)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    angle, period, prominence = _spectral_peak(grey)
    if prominence < 50 or not 3 <= period <= min(grey.shape) / 3:
        raise CalibrationError("no regular graduations found (no periodic line pattern)")
    prof, _ = _projection(grey, angle)
    c = _centres(prof, period * 4) / 4.0
    if len(c) < 4:
        raise CalibrationError(f"only {len(c)} graduations found; need at least 4")
    gaps = np.diff(c)
    step = float(np.median(gaps))
    idx = np.concatenate([[0.0], np.cumsum(np.maximum(np.round(gaps / step), 1.0))])
    slope, icpt = np.polyfit(idx, c, 1)
    resid = c - (slope * idx + icpt)
    rms = float(np.sqrt(np.mean(resid**2)))
    if rms > 0.15 * slope:
        raise CalibrationError("graduations are irregular (residual above 15 % of the spacing)")
    return {"um_per_px": round(float(spacing_um / slope), 5), "lines_found": int(len(c)),
            "residual_pct": round(100.0 * rms / float(slope), 3)}
