"""Per-image quality control: valid field, glare, overlay text and focus.

Burned-in captions are found as clusters of small saturated-white or strongly
coloured strokes laid out along a line, or as rows of thin black letters;
glare as the remaining saturated blobs; the black field stop of a dermatoscope
as large near-black regions touching the image border. Focus is the fraction of Laplacian energy
that a 1-pixel Gaussian removes (Pertuz et al., Pattern Recognit 2013;46:1415,
"Analysis of focus measure operators for shape-from-focus").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
from numpy.typing import NDArray

BoolImage = NDArray[np.bool_]


@dataclass
class FieldQuality:
    """Masks (working resolution) and quality figures of one image."""

    valid: BoolImage
    glare: BoolImage
    text: BoolImage
    border: BoolImage
    focus: float
    warnings: list[str] = field(default_factory=list)

    @property
    def glare_fraction(self) -> float:
        """Fraction of the image covered by glare."""
        return float(self.glare.mean())


def _bright(rgb: NDArray[np.uint8]) -> tuple[BoolImage, BoolImage]:
    """Near-white pixels, and strongly saturated caption-coloured pixels."""
    r, g, b = cv2.split(rgb)
    lo = cv2.min(cv2.min(r, g), b)
    hi = cv2.max(cv2.max(r, g), b)
    white = lo >= 235
    coloured = (hi >= 200) & (cv2.subtract(hi, lo) >= 150) & (r < hi)
    return white, coloured


DARK_INK = 50
"""Brightest channel (0-255) of black overlay ink."""


def _dark_ink(rgb: NDArray[np.uint8]) -> BoolImage:
    """Near-black strokes with sharp edges and thin as a font's: black overlay ink.

    Burned-in letters and graphics are drawn into the pixels: one or two
    working pixels wide, with skin two pixels beside them. A shaft is optically
    blurred, so its near-black core (if any) is flanked by more hair. Components
    of near-black pixels at most 6 px across whose ring 2-3 px outside is about
    as bright as the skin (3/4 of the image's median) are kept, for
    :func:`_ink_text` to find the ones laid out as text.
    """
    hi = cv2.max(cv2.max(rgb[..., 0], rgb[..., 1]), rgb[..., 2])
    ink = (hi <= DARK_INK).astype(np.uint8)
    if not ink.any():
        return np.zeros(ink.shape, bool)
    n, labels = cv2.connectedComponents(ink, connectivity=8)
    lab = np.asarray(labels, np.int32)
    thin = np.bincount(lab[cv2.distanceTransform(ink, cv2.DIST_L2, 3) > 3.0], minlength=n) == 0
    grown = cv2.dilate(lab.astype(np.float32), np.ones((7, 7), np.uint8)).astype(np.int32)
    ring = (cv2.dilate(ink, np.ones((5, 5), np.uint8)) == 0) & (grown > 0)
    counts = np.bincount(grown[ring], minlength=n)
    sums = np.bincount(grown[ring], weights=hi[ring].astype(np.float64), minlength=n)
    skin = float(np.median(hi[::4, ::4]))
    keep = thin & (sums >= 0.75 * skin * np.maximum(counts, 1)) & (counts > 0)
    keep[0] = False
    return np.asarray(keep[lab])


def _ink_text(ink: BoolImage) -> BoolImage:
    """Boxes around lines of black letters: at least four letter-sized ink pieces of
    similar height standing on one baseline.

    Thin dark hairs also leave thin near-black strokes, so the letters' layout
    decides: each piece 5 px to 1/12 of the image tall and no wider than 1.5
    heights, their heights within a third of their median, their bottoms within
    a quarter of it, side by side along a row.
    """
    h, w = ink.shape
    out = np.zeros_like(ink)
    if np.count_nonzero(ink) < 40:  # fewer pixels than four small letters
        return out
    n, lab, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    bw, bh = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    letter = (bh >= 5) & (bh <= max(6, h // 12)) & (bw <= 1.5 * bh)
    letter[0] = False
    if letter.sum() < 4:
        return out
    gap = max(8, w // 30)
    joined = cv2.dilate(letter[lab].astype(np.uint8), np.ones((1, gap), np.uint8))
    m, lab2 = cv2.connectedComponents(joined, connectivity=8)
    rows = np.nonzero(letter)[0]
    cx = stats[rows, cv2.CC_STAT_LEFT] + stats[rows, cv2.CC_STAT_WIDTH] // 2
    cy = stats[rows, cv2.CC_STAT_TOP] + stats[rows, cv2.CC_STAT_HEIGHT] // 2
    line_of = lab2[cy, cx]
    for k in range(1, m):
        members = rows[line_of == k]
        if len(members) < 4:
            continue
        hts = bh[members].astype(np.float64)
        med = float(np.median(hts))
        bottoms = (stats[members, cv2.CC_STAT_TOP] + hts).astype(np.float64)
        near = (np.abs(hts - med) <= med / 3) & (np.abs(bottoms - np.median(bottoms)) <= med / 4)
        if near.sum() < 4:
            continue
        sel = members[near]
        x0 = int(stats[sel, cv2.CC_STAT_LEFT].min())
        x1 = int((stats[sel, cv2.CC_STAT_LEFT] + bw[sel]).max())
        y0 = int(stats[sel, cv2.CC_STAT_TOP].min())
        y1 = int((stats[sel, cv2.CC_STAT_TOP] + bh[sel]).max())
        if x1 - x0 < 3 * (y1 - y0):
            continue
        pad = max(3, int(med) // 2)
        out[max(y0 - pad, 0):y1 + pad, max(x0 - pad, 0):x1 + pad] = True
    return out


def _text_mask(cand: BoolImage) -> BoolImage:
    """Boxes around line-shaped clusters of small bright strokes (captions)."""
    h, w = cand.shape
    out = np.zeros_like(cand)
    if not cand.any():
        return out
    n, lab, stats, _ = cv2.connectedComponentsWithStats(cand.astype(np.uint8), connectivity=8)
    small = np.zeros(n, bool)
    small[1:] = (stats[1:, cv2.CC_STAT_HEIGHT] <= max(6, h // 12)) & (
        stats[1:, cv2.CC_STAT_AREA] < 0.6 * stats[1:, cv2.CC_STAT_WIDTH]
        * stats[1:, cv2.CC_STAT_HEIGHT])
    strokes = small[lab].astype(np.uint8)
    gap = max(8, w // 30)
    joined = cv2.dilate(strokes, np.ones((max(1, gap // 3), gap), np.uint8))
    m, lab2, st2, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    for i in range(1, m):
        x, y, bw, bh = st2[i, :4]
        if bw < 2.5 * bh:
            continue
        box = (slice(y, y + bh), slice(x, x + bw))
        pieces = len(np.unique(lab[box][(lab2[box] == i) & (strokes[box] > 0)]))
        if pieces >= 2:
            pad, side = max(3, bh // 3), max(3, bh)
            out[max(y - pad, 0):y + bh + pad, max(x - side, 0):x + bw + side] = True
    if out.any():
        _absorb_nearby_strokes(out, np.asarray(lab, np.int32), np.asarray(stats, np.int32),
                               strokes, gap)
    return out


def _absorb_nearby_strokes(out: BoolImage, lab: NDArray[np.int32], stats: NDArray[np.int32],
                           strokes: NDArray[np.uint8], gap: int) -> None:
    """Add to the caption boxes the strokes lying on the same line just beside them."""
    grown = cv2.dilate(out.astype(np.uint8), np.ones((1, 4 * gap + 1), np.uint8)) > 0
    for i in np.unique(lab[grown & (strokes > 0)]):
        x, y, bw, bh = stats[i, :4]
        pad = max(3, int(bh) // 2)
        out[max(y - pad, 0):y + bh + pad, max(x - pad, 0):x + bw + pad] = True


def black_border(grey: NDArray[np.uint8]) -> BoolImage:
    """Large near-black regions touching the border (field stop, vignette corners),
    whole (an opening finds them, their connected black pixels are all taken) and
    grown by a small rim."""
    h, w = grey.shape
    raw = (grey < 14).astype(np.uint8)
    k = max(3, min(h, w) // 30) | 1
    dark = np.asarray(cv2.morphologyEx(raw, cv2.MORPH_OPEN, np.ones((k, k), np.uint8)), np.uint8)
    out = np.zeros((h, w), bool)
    if not dark.any():
        return out
    n, lab, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        touches = x == 0 or y == 0 or x + bw == w or y + bh == h
        if touches and area > 0.005 * h * w:
            out |= lab == i
    if not out.any():
        return out
    # The opening (which keeps dark hairs out) also shaves off the thin tips where a
    # round field stop meets the image edge; the hair mask finds its dark rim there as
    # lines. The whole black region found is excluded, with its soft rim.
    _, whole = cv2.connectedComponents(raw, connectivity=8)
    hit = np.zeros(int(whole.max()) + 1, bool)
    hit[whole[out]] = True
    hit[0] = False
    rim = max(1, min(h, w) // 200) * 2 + 1
    return np.asarray(cv2.dilate(hit[whole].view(np.uint8), np.ones((rim, rim), np.uint8)) > 0)


def near_field_edge(p: NDArray[np.float64], valid: BoolImage, margin: float) -> bool:
    """True when point ``p`` (x, y) is within ``margin`` px of the image edge or of the
    invalid field (caption, glare, black border): a line ending there may run on out
    of sight."""
    x, y, m = int(round(p[0])), int(round(p[1])), int(margin)
    box = valid[max(y - m, 0):y + m + 1, max(x - m, 0):x + m + 1]
    return bool(box.size == 0 or not box.all()) or bool(
        min(p[0], p[1], valid.shape[1] - 1 - p[0], valid.shape[0] - 1 - p[1]) < margin)


def focus_measure(grey: NDArray[np.float32]) -> float:
    """Share of Laplacian energy removed by a 1-px Gaussian blur, in [0, 1]."""
    lap = np.abs(cv2.Laplacian(grey, cv2.CV_32F, ksize=3))
    blurred = np.abs(cv2.Laplacian(cv2.GaussianBlur(grey, (0, 0), 1.0), cv2.CV_32F, ksize=3))
    total = float(lap.mean())
    if total <= 1e-6:
        return 0.0
    return float(np.clip(1.0 - float(blurred.mean()) / total, 0.0, 1.0))


def assess_field(rgb: NDArray[np.uint8], grey: NDArray[np.float32]) -> FieldQuality:
    """Compute the valid-field mask and quality figures at working resolution.

    Parameters
    ----------
    rgb : ndarray
        RGB uint8 image at working resolution.
    grey : ndarray
        Its luminance, float32 in 0-255.

    Returns
    -------
    FieldQuality
        ``valid`` excludes captions, glare (dilated) and the black border.
    """
    white, coloured = _bright(rgb)
    ink = _dark_ink(rgb)
    text = _text_mask(white | coloured) | _ink_text(ink)
    grow = max(3, min(grey.shape) // 100) * 2 + 1
    glare = cv2.dilate((white & ~text).astype(np.uint8), np.ones((grow, grow), np.uint8)) > 0
    border = black_border(grey.astype(np.uint8))
    valid = ~(text | glare | border)
    focus = focus_measure(grey)
    warnings = []
    if focus < 0.25:
        warnings.append("out of focus")
    if glare.mean() > 0.05:
        warnings.append("glare over more than 5% of the field")
    if valid.mean() < 0.5:
        warnings.append("less than half of the image is usable")
    return FieldQuality(valid, glare, text, border, focus, warnings)
