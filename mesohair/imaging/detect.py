"""Hair segmentation: flat-field to absorbance, ridge filter, hysteresis.

The background is estimated by a grey closing (an opening for light hair)
larger than any hair, on a downsampled luminance image from which a smooth
illumination field (vignetting, a robust polynomial fit) has been taken out
and in which the invalid field (caption, glare, black border) stands at the
skin level, so that
``A = log(B) - log(I)`` is a vignetting-free absorbance in which thresholds
are absolute (Beer-Lambert; see ``domain/imaging.md`` section 4a). Thin hairs
are picked up by a scale-normalised Hessian ridge measure (Frangi et al.,
MICCAI 1998; Lindeberg, IJCV 1998;30:117), and the union is thresholded by
hysteresis (Canny, IEEE TPAMI 1986;8:679).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

FloatImage = NDArray[np.float32]

A_LOW, A_HIGH = 0.10, 0.22
"""Hysteresis thresholds on absorbance (natural-log units)."""
R_LOW, R_HIGH = 0.08, 0.16
"""Hysteresis thresholds on the scale-normalised ridge measure."""


@dataclass
class Segmentation:
    """Hair mask and absorbance at working resolution."""

    mask: NDArray[np.bool_]
    absorbance: FloatImage
    light_hair: bool


MIN_RED_RATIO = 0.55
"""Least ratio of red to green absorbance of a hair shaft. Melanin absorbs across the
visible range (eumelanin falls only gently from blue to red; even pheomelanin absorbs
red at about half its green), while haemoglobin absorbs green tens of times more than
red, so a superficial vessel has a ratio near 0.1."""


def _field_skin_level(channel: NDArray[Any]) -> float:
    """The skin's level in a channel: its median over every fourth pixel (the skin is
    most of the field), at least 1."""
    return max(float(np.median(channel[::4, ::4])), 1.0)


def hair_luminance(rgb: NDArray[np.uint8]) -> FloatImage:
    """Luminance in which red structures (vessels, erythema) lose their darkness.

    A pixel's absorbance is taken as the smaller of its luminance absorbance
    and its red-channel absorbance divided by :data:`MIN_RED_RATIO` (both
    against the image's median skin). A hair, whose red absorbance is at
    least that fraction of its green, keeps its luminance; a vessel, dark in
    green and blue but not in red, fades to a faint line. Light (grey, white)
    hair is brighter than the skin and is left as it was.
    """
    y = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    # The lift is decided on slightly smoothed channels: on raw pixels, noise darker
    # in green than in red would be lifted and noise darker in red kept, biasing the skin.
    ys = cv2.GaussianBlur(y, (0, 0), 1.0)
    red = cv2.GaussianBlur(rgb[..., 0].astype(np.float32), (0, 0), 1.0)
    y_skin, r_skin = _field_skin_level(ys), _field_skin_level(red)
    red_dark = np.minimum((red + 1.0) / (r_skin + 1.0), 1.0)
    as_luminance = (y_skin + 1.0) * red_dark ** (1.0 / MIN_RED_RATIO) - 1.0
    lift = np.maximum(np.minimum(as_luminance, y_skin) - ys, 0.0)
    return np.asarray(y + lift, dtype=np.float32)


GREY_SMOOTHING_PX = 1.5
"""Gaussian sigma (working pixels) of the red and luminance images compared by
:func:`grey_hair_darkened`: JPEG stores colour at half resolution in 8x8 blocks, and its
chroma noise, half-wave rectified, would read as darkness at 1 px."""

GREY_MARGIN = 0.015
"""Fraction by which a pixel must be darker in red than in luminance (relative to the
skin) before it is darkened: below it, chroma noise (JPEG 70 cost 0.02 F1 on the
real-set proxy without it)."""


def grey_hair_darkened(rgb: NDArray[np.uint8], grey: FloatImage) -> FloatImage:
    """``grey`` (:func:`hair_luminance`) darkened where a pixel is darker in red than
    in luminance, relative to the skin: as dark as its red channel says.

    Grey and white hair is nearly neutral; over reddish skin it takes far more red
    than green out of the skin's colour (on the phantom's skin a grey shaft reads 0.36
    in red, 0.2 in luminance: below the seed threshold :data:`A_HIGH`). Skin texture,
    shading and brown pigment darken red no more than luminance, a vessel far less, so
    they are unchanged. For dark hair only: light hair, brighter than the skin, is
    also less red than it.
    """
    ys = cv2.GaussianBlur(grey, (0, 0), GREY_SMOOTHING_PX)
    red = cv2.GaussianBlur(rgb[..., 0].astype(np.float32), (0, 0), GREY_SMOOTHING_PX)
    y_skin, r_skin = _field_skin_level(ys), _field_skin_level(red)
    as_red = (y_skin + 1.0) * (red + 1.0) / (r_skin + 1.0) - 1.0
    # where red is clipped (glare) it cannot say how dark the pixel is
    deeper = np.where(red < 250.0, np.maximum(ys * (1.0 - GREY_MARGIN) - as_red, 0.0), 0.0)
    return np.asarray(np.maximum(grey - deeper, 0.0), dtype=np.float32)


ILLUMINATION_BLOCK = 16
"""Side (quarter-resolution pixels) of the blocks the illumination field is read from."""


def _poly_terms(x: NDArray[np.float64], y: NDArray[np.float64], degree: int
                ) -> NDArray[np.float64]:
    """Monomials ``x**i * y**j`` with ``i + j <= degree`` (columns)."""
    return np.stack([x**i * y**j for i in range(degree + 1) for j in range(degree + 1 - i)],
                    axis=-1)


def _illumination(small: FloatImage, valid: NDArray[np.bool_], close: bool) -> FloatImage:
    """Smooth illumination field (vignetting) of a quarter-resolution log image.

    Each block's skin level is a high (low, for light hair) percentile of its
    valid pixels, which ignores the hair in it. A bivariate polynomial
    (degree 4: vignetting falls off as about cos^4 of the field angle) is
    fitted to the levels of blocks at least half valid, by least squares with
    blocks more than three robust deviations off dropped (blocks filled by
    hair). Without this the closing, whose kernel spans the steep vignetting
    gradient of a corner, takes its envelope from the brighter side and reads
    the darker corner as hair; the polynomial, unlike interpolated blocks,
    also follows the fall-off into the corners.
    """
    h, w = small.shape
    b = ILLUMINATION_BLOCK
    ny, nx = h // b, w // b
    if ny < 3 or nx < 3 or not valid.any():
        return np.full_like(small, float(np.median(small[valid] if valid.any() else small)))

    def blocks(img: NDArray[np.float32]) -> NDArray[np.float32]:
        return img[: ny * b, : nx * b].reshape(ny, b, nx, b).transpose(0, 2, 1, 3).reshape(
            ny, nx, b * b)

    k = int((0.8 if close else 0.2) * (b * b - 1))
    away = -np.inf if close else np.inf  # invalid pixels sort below (above) the percentile
    level = np.partition(blocks(np.where(valid, small, np.float32(away))), k, axis=-1)[..., k]
    good = blocks(valid.astype(np.float32)).mean(axis=-1) >= 0.5
    cy, cx = np.mgrid[0:ny, 0:nx]
    bx, by = ((cx + 0.5) * b / w * 2 - 1).ravel(), ((cy + 0.5) * b / h * 2 - 1).ravel()
    degree = 4 if ny * nx >= 60 else 2
    terms = _poly_terms(bx, by, degree)
    z, use = level.ravel().astype(np.float64), good.ravel()
    if use.sum() < 2 * terms.shape[1]:
        return np.full_like(small, float(np.median(z[use])) if use.any() else 0.0)
    for _ in range(3):
        coef = np.linalg.lstsq(terms[use], z[use], rcond=None)[0]
        res = z - terms @ coef
        spread = 1.4826 * float(np.median(np.abs(res[use]))) + 0.01
        keep = good.ravel() & (np.abs(res) <= 3.0 * spread)
        if keep.sum() < 2 * terms.shape[1] or (keep == use).all():
            break
        use = keep
    gx = (np.arange(w) + 0.5) / w * 2 - 1
    gy = (np.arange(h) + 0.5) / h * 2 - 1
    field = _poly_terms(gx[None, :], gy[:, None], degree) @ coef
    return np.asarray(field, dtype=np.float32)


def _background(logi: FloatImage, valid: NDArray[np.bool_], close: bool,
                size: int) -> FloatImage:
    """Grey closing (opening) larger than a hair, computed at quarter resolution
    on the image with its illumination field taken out (:func:`_illumination`)."""
    h, w = logi.shape
    qs = (max(1, w // 4), max(1, h // 4))
    small = np.asarray(cv2.resize(logi, qs, interpolation=cv2.INTER_AREA), dtype=np.float32)
    ok = cv2.resize(valid.astype(np.uint8), qs, interpolation=cv2.INTER_NEAREST) > 0
    field = _illumination(small, ok, close)
    # Outside the valid field (caption, glare, black border) the closing, an upper
    # envelope, would take white letters or glare for skin and see the skin round them
    # as hair: there the flattened image is set to the skin level. Shine left in the
    # field is clipped at a few spreads above the skin (mirrored for light hair).
    flat = np.where(ok, small - field, np.float32(0.0)).astype(np.float32)
    n = flat.size
    q25, q50, q75 = np.partition(flat.ravel(), [n // 4, n // 2, 3 * n // 4])[
        [n // 4, n // 2, 3 * n // 4]]
    if close:
        flat = np.minimum(flat, q50 + 4.0 * (q75 - q50) + 0.02)
    else:
        flat = np.maximum(flat, q50 - 4.0 * (q50 - q25) - 0.02)
    k = max(3, size // 4) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    bg = cv2.morphologyEx(flat, cv2.MORPH_CLOSE if close else cv2.MORPH_OPEN, kernel)
    bg = cv2.GaussianBlur(bg, (0, 0), k / 3) + field
    return np.asarray(cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR), dtype=np.float32)


def ridge_measure(a: FloatImage, sigmas: tuple[float, ...] = (1.0, 2.0)) -> FloatImage:
    """Scale-normalised bright-ridge strength, ``max_s s^2 (-l1 - |l2|)``, clipped at 0."""
    out = np.zeros_like(a)
    for s in sigmas:
        g = cv2.GaussianBlur(a, (0, 0), s)
        dxx = cv2.Sobel(g, cv2.CV_32F, 2, 0, ksize=3)
        dyy = cv2.Sobel(g, cv2.CV_32F, 0, 2, ksize=3)
        dxy = cv2.Sobel(g, cv2.CV_32F, 1, 1, ksize=3)
        half_tr = (dxx + dyy) / 2
        disc = np.sqrt(((dxx - dyy) / 2) ** 2 + dxy**2)
        l1, l2 = half_tr - disc, half_tr + disc  # l1 <= l2; ridge: l1 << 0
        np.maximum(out, (s * s) * (-l1 - np.abs(l2)), out=out)
    return out


def _local_skin_level(a: FloatImage, max_width_px: int) -> FloatImage:
    """Local mean absorbance of the skin around each pixel (hair pixels left out).

    The closing is an upper envelope of the skin texture; subtracting the
    normalised-convolution mean of non-hair pixels recentres the skin on 0.
    """
    skin = (a < A_HIGH).astype(np.float32)
    s = max(4.0, max_width_px / 2)
    h, w = a.shape
    f = max(1, min(4, int(s // 4)))  # a smooth field: compute it at reduced resolution
    size = (max(1, w // f), max(1, h // f))
    num = cv2.GaussianBlur(cv2.resize(a * skin, size, interpolation=cv2.INTER_AREA), (0, 0), s / f)
    den = cv2.GaussianBlur(cv2.resize(skin, size, interpolation=cv2.INTER_AREA), (0, 0), s / f)
    level = cv2.resize(num / np.maximum(den, 1e-3), (w, h), interpolation=cv2.INTER_LINEAR)
    return np.asarray(level, dtype=np.float32)


def _bright_tail(grey: FloatImage, valid: NDArray[np.bool_]) -> bool:
    """True when far more pixels are much brighter than the skin than much darker.

    The skin is the mode of the luminance histogram; hair darker than the
    skin makes a dark tail, light (grey, white) hair a bright one.
    """
    vals = grey[valid] if valid.any() else grey.ravel()
    hist = np.bincount(vals.astype(np.int64).clip(0, 255), minlength=256).astype(np.float64)
    mode = float(np.argmax(np.convolve(hist, np.ones(31) / 31, mode="same")))
    bright = float((vals > 1.4 * mode + 10).mean())
    dark = float((vals < mode / 1.4 - 5).mean())
    return mode < 130 and bright > 2.0 * dark + 0.01


def _hysteresis(low: NDArray[np.bool_], high: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Keep connected components of ``low`` that contain a ``high`` pixel."""
    n, lab = cv2.connectedComponents(low.astype(np.uint8), connectivity=8)
    keep = np.zeros(n, bool)
    keep[np.unique(lab[high & low])] = True
    keep[0] = False
    return np.asarray(keep[lab])


def segment_hairs(grey: FloatImage, valid: NDArray[np.bool_], max_width_px: int,
                  polarity: str = "auto", rgb: NDArray[np.uint8] | None = None
                  ) -> Segmentation:
    """Segment hair shafts in a luminance image (working resolution).

    Parameters
    ----------
    grey : ndarray
        Luminance, float32 in 0-255.
    valid : ndarray of bool
        Valid-field mask; hairs are segmented everywhere but seeded only here.
    max_width_px : int
        Widest hair expected, in working pixels (sets the background kernel).
    polarity : {"auto", "dark", "light"}
        Hair darker or lighter than skin; ``auto`` picks the stronger.
    rgb : ndarray of uint8, optional
        The colour image ``grey`` came from: with it, dark-hair segmentation also
        finds grey hair by the red it takes out of the skin (:func:`grey_hair_darkened`).

    Returns
    -------
    Segmentation
    """
    size = 2 * max_width_px + 1
    light_hair = polarity == "light" or (polarity == "auto" and _bright_tail(grey, valid))
    if light_hair:
        logi = np.log(grey + 1.0).astype(np.float32)
        dark = np.maximum(logi - _background(logi, valid, False, size), 0)
    else:
        toned = grey if rgb is None else grey_hair_darkened(rgb, grey)
        logi = np.log(toned + 1.0).astype(np.float32)
        dark = np.maximum(_background(logi, valid, True, size) - logi, 0)
    a = cv2.GaussianBlur(dark, (0, 0), 0.7)
    a = np.maximum(a - _local_skin_level(a, max_width_px), 0)
    r = ridge_measure(a)
    low = (a > A_LOW) | (r > R_LOW)
    high = ((a > A_HIGH) | (r > R_HIGH)) & valid
    mask = _hysteresis(low, high)
    mask = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)) > 0
    return Segmentation(np.asarray(mask), np.asarray(a, dtype=np.float32), light_hair)
