"""Micrometres per pixel from an image of a stage micrometer or ruler.

The graduations' orientation and period are proposed by the strongest peaks
of the 2-D power spectrum (a periodic line pattern is a pair of spectral
peaks); for each proposal the image is projected onto the direction across
the lines, line centres are located with sub-pixel (parabolic) precision,
and the period is the slope of a least-squares line through centre position
against graduation index (a ruler's longer ticks do not bias it). The
proposal that finds the most regular graduations wins: the strongest peak
alone is often not the graduations but the band they occupy (ticks covering
a strip of the image) or the longer ticks every fifth or tenth line.

A wrong scale is worse than none (every micrometre and per-cm² figure follows
it), so lines are accepted as graduations only when enough of them repeat
closely, and a scale whose finer graduations show in the spectrum but cannot
be located is refused rather than measured from its longer ticks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import maximum_filter, maximum_filter1d

from mesohair.imaging.io import as_rgb_array, read_image
from mesohair.imaging.quality import black_border

Floats = NDArray[np.float64]


class CalibrationError(ValueError):
    """No regular graduations could be found in the image."""


def _without_black_border(grey: NDArray[np.uint8]) -> NDArray[np.float32]:
    """The image with a round field stop's black corners (or any black border) filled
    with the field's mean: their edge would be the strongest pattern in the spectrum
    and a step in every projection."""
    out = grey.astype(np.float32)
    border = black_border(grey)
    if border.any() and not border.all():
        out[border] = float(out[~border].mean())
    return out


@dataclass(frozen=True)
class _Spectrum:
    """Power spectrum of the (at most 2048 px) image, zero frequency at ``centre``."""

    power: NDArray[np.float64]
    scale: float  # spectrum pixels per image pixel

    @property
    def centre(self) -> tuple[int, int]:
        return self.power.shape[0] // 2, self.power.shape[1] // 2

    def at(self, angle: float, period: float, reach: int = 1) -> float:
        """Power of a line pattern across ``angle`` with ``period`` image px: the best
        bin within ``reach`` bins of it (0 beyond the Nyquist limit)."""
        h, w = self.power.shape
        fy, fx = np.sin(angle) / (period * self.scale), np.cos(angle) / (period * self.scale)
        if max(abs(fx), abs(fy)) >= 0.5:
            return 0.0
        y, x = int(round(self.centre[0] + fy * h)), int(round(self.centre[1] + fx * w))
        return float(self.power[max(0, y - reach):y + reach + 1,
                                max(0, x - reach):x + reach + 1].max())


def _spectrum(grey: NDArray[np.float32]) -> _Spectrum:
    """Hann-windowed power spectrum; images over 2048 px are reduced first."""
    h, w = grey.shape
    f = min(1.0, 2048.0 / max(h, w))
    g = cv2.resize(grey, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA) if f < 1 else grey
    g = g - g.mean()
    win = np.outer(np.hanning(g.shape[0]), np.hanning(g.shape[1])).astype(np.float32)
    return _Spectrum(np.abs(np.fft.fftshift(np.fft.fft2(g * win))) ** 2, f)


def _spectral_peaks(spec: _Spectrum, count: int = 8) -> list[tuple[float, float, float]]:
    """The ``count`` strongest local peaks of the power spectrum, strongest first,
    each as (angle across the lines in rad, period in image px, prominence)."""
    p = spec.power.copy()
    cy, cx = spec.centre
    yy, xx = np.mgrid[0:p.shape[0], 0:p.shape[1]]
    r = np.hypot((yy - cy) / p.shape[0], (xx - cx) / p.shape[1])
    p[r < 3.0 / min(p.shape)] = 0
    p[:cy] = 0  # the spectrum of a real image is symmetric: one half holds every peak
    p[cy, :cx] = 0
    if not (p > 0).any():  # a uniform image
        return []
    background = float(np.median(p[p > 0])) + 1e-12
    peak = (p == maximum_filter(p, size=5)) & (p > 0)
    order = np.argsort(p[peak])[::-1][:count]
    out = []
    for py, px in np.argwhere(peak)[order]:
        fy, fx = (py - cy) / p.shape[0], (px - cx) / p.shape[1]
        out.append((float(np.arctan2(fy, fx)), 1.0 / (spec.scale * float(np.hypot(fx, fy))),
                    float(p[py, px] / background)))
    return out


def _finer_graduations(spec: _Spectrum, angle: float, period: float) -> int | None:
    """``n`` when the spectrum shows graduations ``n`` times finer than ``period``
    (2 <= n <= 10), else None.

    Thin lines at one period give harmonics whose power falls with their order
    (with dips where the line width's transform has its zeros); a scale whose
    longer ticks were found while its fine graduations were not shows a
    harmonic four times stronger than both its neighbours and comparable to
    the fundamental (the fine lines' own fundamental: 0.4-0.5 of it on
    synthetic stage micrometers, against 1e-4 for a dip's neighbour).
    """
    # The direction is known to about a bin at the fundamental, so to about n bins at the
    # n-th harmonic: look that far round it.
    power = [spec.at(angle, period / n, 1 + n) for n in range(1, 12)]
    for n in range(2, 11):
        if power[n] == 0.0:  # its next harmonic is beyond the Nyquist limit: no reference
            return None
        if power[n - 1] > max(4.0 * power[n - 2], 4.0 * power[n], 0.02 * power[0]):
            return n
    return None


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


def _detrended(prof: Floats, period_bins: float) -> Floats:
    """A projection less its running mean over one period, lines positive (dark lines
    on a bright field are turned over)."""
    k = max(3, int(period_bins) | 1)
    x = prof - cv2.blur(prof.reshape(1, -1), (k, 1)).ravel()
    if abs(float(np.percentile(x, 1))) > abs(float(np.percentile(x, 99))):
        x = -x
    return np.asarray(x, dtype=np.float64)


def _centres(x: Floats, period_bins: float) -> Floats:
    """Sub-pixel positions (bins) of the line centres in a detrended projection.

    Lines are the local maxima (within 0.35 of a period) at least 0.3 of the
    strong ones' height (90th percentile of all), so the longer ticks and the
    numbers of a scale do not hide its fine graduations.
    """
    half = max(1, int(period_bins * 0.35))
    top = maximum_filter1d(x, 2 * half + 1)
    i = np.flatnonzero((x == top) & (x > 0))
    i = i[(i >= half) & (i < len(x) - half)]
    if len(i) == 0:
        return np.zeros(0)
    i = i[x[i] > 0.3 * float(np.percentile(x[i], 90))]
    a, b, c = x[i - 1], x[i], x[i + 1]
    den = a - 2 * b + c
    return np.asarray(i + np.where(den != 0, 0.5 * (a - c) / np.where(den != 0, den, 1.0), 0.0),
                      dtype=np.float64)


def _regular_run(c: Floats, period: float) -> Floats:
    """The longest run of line centres spaced one or two periods apart (within 20 %):
    the graduations, without stray extrema in the text or the empty field beside them."""
    if len(c) < 2:
        return c
    ratio = np.diff(c) / period
    n = np.round(ratio)
    ok = (n >= 1) & (n <= 2) & (np.abs(ratio - n) < 0.2)
    best, start, best_start = 0, 0, 0
    for j, good in enumerate(np.append(ok, False)):
        if not good:
            if j - start > best:
                best, best_start = j - start, start
            start = j + 1
    return c[best_start:best_start + best + 1]


MIN_LINES = 6
"""Fewest graduations accepted: hairs lying side by side fall into a regular run of
4-5 lines by chance on hair phantoms (and of 6-10 in 4 of 120)."""

MANY_LINES = 12
"""A run of this many regularly spaced lines is a scale when they repeat at all
(agreement >= 0.3; no hair phantom gave such a run); fewer must repeat closely
(residual <= 3 %, agreement >= 0.75). The runs of 6-10 lines on hair phantoms had
residuals of 2.3-4.7 % and agreements of 0.52-0.62; synthetic rulers with 6-11
ticks mostly 0.2-3 % and 0.76-0.94 (a few rotated ones are refused: safer than
a wrong scale)."""


@dataclass(frozen=True)
class _Fit:
    """Graduations found along one direction."""

    angle: float
    period_px: float
    lines: int
    residual_pct: float
    agreement: float  # see _agreement
    line_width_px: float  # see _line_width
    alternates: bool  # see _alternate


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
        When no regular graduations are found, too few of them (fewer than
        :data:`MIN_LINES`, or fewer than :data:`MANY_LINES` not repeating
        closely), or finer graduations than those found show but are not
        resolved.
    ValueError
        When ``spacing_um`` is not positive.
    """
    if not (np.isfinite(spacing_um) and spacing_um > 0):
        raise ValueError(f"spacing_um must be positive, got {spacing_um}")
    rgb = read_image(image) if isinstance(image, str | os.PathLike) else as_rgb_array(image)
    if min(rgb.shape[:2]) < 32:
        raise CalibrationError(f"image too small ({rgb.shape[1]}x{rgb.shape[0]} px) to show a "
                               "scale's graduations")
    grey = _without_black_border(np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), np.uint8))
    spec = _spectrum(grey)
    fits: list[_Fit] = []
    reason = None  # why the strongest proposal failed, if all do
    for angle, period, prominence in _spectral_peaks(spec):
        if prominence < 50 or not 3 <= period <= min(grey.shape) / 3:
            continue
        fit = _fit_graduations(grey, angle, period)
        if isinstance(fit, str):
            reason = reason or fit
        else:
            fits.append(fit)
    if not fits:
        raise CalibrationError(reason or "no regular graduations found (no periodic line "
                               "pattern)")
    # The finest regular pattern is the graduations (not the longer ticks every fifth or
    # tenth line); among proposals finding about as many, the most regular.
    most = max(f.lines for f in fits)
    best = min((f for f in fits if f.lines >= 0.9 * most), key=lambda f: f.residual_pct)
    for n in (10, 5, 2):  # fine lines too faint to be a spectral peak of their own
        fine = _fit_graduations(grey, best.angle, best.period_px / n)
        if isinstance(fine, _Fit) and fine.lines >= 1.5 * best.lines:
            best = fine
            break
    if best.alternates and best.period_px / 5 < 1.5 * best.line_width_px:
        raise CalibrationError(
            f"lines {best.period_px:.1f} px apart alternate in length like the 5th and 10th "
            f"graduations of a scale, and the image is too blurred (lines "
            f"{best.line_width_px:.1f} px wide) to show graduations 5 times finer: focus "
            "and image it again")
    finer = _finer_graduations(spec, best.angle, best.period_px)
    if finer is not None:
        raise CalibrationError(
            f"lines {best.period_px:.1f} px apart found, but the scale has graduations "
            f"{finer} times finer that are not resolved: image it at a higher magnification "
            "or use a coarser scale")
    return {"um_per_px": round(float(spacing_um / best.period_px), 5), "lines_found": best.lines,
            "residual_pct": round(best.residual_pct, 3)}


def _fit_graduations(grey: NDArray[np.float32], angle: float, period: float) -> _Fit | str:
    """Regular graduations across ``angle`` near ``period``, or why there are none."""
    if period < 3:
        return f"graduations {period:.1f} px apart are too fine to measure"
    prof, _ = _projection(grey, angle)
    x = _detrended(prof, period * 4)
    c = _regular_run(_centres(x, period * 4) / 4.0, period)
    if len(c) < MIN_LINES:
        return f"only {len(c)} graduations found; need at least {MIN_LINES}"
    gaps = np.diff(c)
    step = float(np.median(gaps))
    idx = np.concatenate([[0.0], np.cumsum(np.maximum(np.round(gaps / step), 1.0))])
    slope, icpt = np.polyfit(idx, c, 1)
    resid = c - (slope * idx + icpt)
    rms = float(np.sqrt(np.mean(resid**2)))
    if rms > 0.15 * slope:
        return "graduations are irregular (residual above 15 % of the spacing)"
    fit = _Fit(angle, float(slope), int(len(c)), 100.0 * rms / float(slope),
               _agreement(x, c, float(slope)), _line_width(x, c, float(slope)),
               _alternate(x, c))
    if fit.agreement < 0.3 or (fit.lines < MANY_LINES and (
            fit.residual_pct > 3.0 or fit.agreement < 0.75)):
        return (f"{fit.lines} lines found, but they do not repeat like a scale's graduations "
                f"(residual {fit.residual_pct:.1f} %, agreement {fit.agreement:.2f})")
    return fit


def _agreement(x: Floats, c: Floats, period: float) -> float:
    """Correlation of the detrended projection with itself one period on, over the
    lines found: near 1 where every graduation looks like the next."""
    lag = int(round(period * 4))
    seg = x[max(0, int(c[0] * 4) - lag // 2): int(c[-1] * 4) + lag // 2]
    if len(seg) <= lag + 2:
        return 0.0
    a, b = seg[:-lag], seg[lag:]
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def _line_width(x: Floats, c: Floats, period: float) -> float:
    """Full width at half maximum (px) of the mean line across the graduations found:
    the image's blur and the lines' own width together."""
    half = max(2, int(period * 2))
    rows = [x[i - half:i + half + 1] for i in np.round(c * 4).astype(int)
            if i - half >= 0 and i + half < len(x)]
    if not rows:
        return 0.0
    # Smoothed over a pixel: at oblique angles the quarter-pixel bins are filled unevenly.
    mean = cv2.blur(np.mean(rows, axis=0).reshape(1, -1), (5, 1)).ravel()
    mean = mean - min(float(mean[2]), float(mean[-3]))
    return float(np.count_nonzero(mean >= 0.5 * mean.max())) / 4.0


def _alternate(x: Floats, c: Floats) -> bool:
    """True when the lines found are alternately stronger and weaker (longer and shorter
    ticks), as every 5th and 10th graduation of a decimal scale are."""
    depth = x[np.round(c * 4).astype(int)]
    pairs = len(depth) // 2
    if pairs < 3:
        return False
    even, odd = depth[0:2 * pairs:2], depth[1:2 * pairs:2]
    ratio = float(even.mean() / max(float(odd.mean()), 1e-12))
    hi_first = even > odd
    return (ratio >= 1.2 and hi_first.mean() >= 0.8) or (ratio <= 1 / 1.2
                                                          and hi_first.mean() <= 0.2)
