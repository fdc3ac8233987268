"""``analyze_image``: one trichoscopy image to the contract's output object.

Pipeline (``domain/imaging.md`` section 4a): decode and orient; quality
control and valid field (:mod:`.quality`); absorbance (grey hair darkened by
its colour), ridge filter and hysteresis (:mod:`.detect`); skeleton graph with
junction pairing (:mod:`.graph`); vessels and bubble rims dropped
(:mod:`.distractors`); blur-aware projected width (:mod:`.width`); peripilar
halos and pigment spots dropped (:mod:`.distractors`); on clipped fields, pieces inside
or hooked onto a stub dropped, shallow crossings split (:mod:`.crossing`),
untraced shafts added, bundles split by width, and blobs of touching or
crossing stubs told apart by their straight sides (:mod:`.clusters`); roots and
the unbiased counting frame (Gundersen, J Microsc 1977;111:219); summary.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from mesohair.imaging.chains import Chain, extend_both, length, stub_field
from mesohair.imaging.clusters import (
    Shaft,
    core_shafts,
    core_width,
    joined_across,
    opaque_cores,
)
from mesohair.imaging.crossing import crossing_pair
from mesohair.imaging.detect import Segmentation, hair_luminance, segment_hairs
from mesohair.imaging.distractors import (
    VESSEL_MAX_WIDTH_UM,
    find_rims,
    on_rim,
    pigment_network,
    pigment_spots,
    vessels,
)
from mesohair.imaging.graph import trace_hairs
from mesohair.imaging.io import as_rgb_array, read_image
from mesohair.imaging.numeric import (
    border_distance,
    densify,
    ends_at_edge,
    median,
    normals,
    onto_image,
    segment_distance,
    values_at,
)
from mesohair.imaging.overlay import write_overlay
from mesohair.imaging.quality import FieldQuality, assess_field, near_field_edge
from mesohair.imaging.width import (
    measure_widths,
    pale_shafts,
    parted_shafts,
    shafts_across,
    striped_shafts,
)


def _warm_up() -> None:
    """Analyse two synthetic 1.3 MP images (long hair, clipped stubs) once, at import time.

    One-off initialisation (OpenCV thread pool, scikit-image lazy loading,
    first-touch memory of full and working-size buffers, width-model tables) then does
    not count in the first real image's ``elapsed_ms``; nothing is compiled.
    """
    # 1280x1024 (1.3 MP, the common trichoscope frame): full-size buffers (decode,
    # grey, width profiles) are first-touched too, not only the working-size ones
    img = np.full((1024, 1280, 3), 200, np.uint8)
    for i in range(6):
        cv2.line(img, (80 + 180 * i, 80), (180 * i, 940), (40, 30, 25), 8 + 6 * i, cv2.LINE_AA)
    analyze_image(img, um_per_px=2.0)
    stubs = np.full((1024, 1280, 3), 200, np.uint8)  # clipped stubs take their own path
    for i in range(12):
        x, y = 80 + 100 * i, 120 + 60 * (i % 4)
        cv2.line(stubs, (x, y), (x + 40, y + 120), (40, 30, 25), 24 + (i % 3) * 8, cv2.LINE_AA)
        cv2.line(stubs, (x, y + 600), (x + 28, y + 700), (40, 30, 25), 10, cv2.LINE_AA)
    analyze_image(stubs, um_per_px=2.0)


MAX_HAIR_UM = 160.0
"""Widest shaft expected; sets the background kernel when calibrated."""


@dataclass
class _Work:
    """Working-resolution images of one analysis."""

    rgb: NDArray[np.uint8]
    grey: NDArray[np.float32]
    scale: float


def check_parameters(um_per_px: float | None, vellus_threshold_um: float) -> None:
    """Raise ValueError with a one-line reason for invalid parameters."""
    if um_per_px is not None and not (np.isfinite(um_per_px) and 0 < um_per_px <= 1000):
        raise ValueError(f"um_per_px must be a positive number up to 1000, got {um_per_px}")
    if not (np.isfinite(vellus_threshold_um) and 0 < vellus_threshold_um <= 500):
        raise ValueError(f"vellus_threshold_um must be in (0, 500], got {vellus_threshold_um}")


def _work_images(rgb: NDArray[np.uint8]) -> _Work:
    """Downsample (area) to the working resolution: 1x below 0.8 MP, 2x up to 20 MP."""
    h, w = rgb.shape[:2]
    f = 1 if h * w < 800_000 else (2 if h * w <= 20_000_000 else 4)
    small = rgb if f == 1 else cv2.resize(rgb, (w // f, h // f), interpolation=cv2.INTER_AREA)
    small = np.ascontiguousarray(small, dtype=np.uint8)
    grey = hair_luminance(small)
    return _Work(small, grey, float(w / (w // f)))


ROOT_DOT = 0.03
"""Absorbance of skin beyond a hair end above which the end is a follicle opening."""


def _end_score(a: NDArray[np.float32], mask: NDArray[np.bool_], p: NDArray[np.float64],
               out: NDArray[np.float64], width: float) -> float:
    """Mean skin absorbance just beyond a hair end (a follicle opening is darker)."""
    c = p + out * (0.5 * width + 2.0)
    r = max(2, int(round(0.6 * width)))
    x, y = int(round(c[0])), int(round(c[1]))
    h, w = a.shape
    sl = (slice(max(y - r, 0), min(y + r + 1, h)), slice(max(x - r, 0), min(x + r + 1, w)))
    vals = a[sl][~mask[sl]]
    return float(vals.mean()) if vals.size else 0.0


def _orient(chain: Chain, a: NDArray[np.float32], mask: NDArray[np.bool_],
            q: FieldQuality) -> tuple[NDArray[np.float64], bool]:
    """Put the root first; return points and whether the hair is in the counting frame.

    The root is the end with a darker follicle opening beyond it. A hair
    that runs out of the field with no opening at its inner end entered
    from outside: its root is the boundary end and it is not in the frame.
    """
    pts, w = chain.points, max(chain.width, 2.0)
    k = min(len(pts) - 1, int(2 * w))
    out0, out1 = pts[0] - pts[k], pts[-1] - pts[len(pts) - 1 - k]
    s0 = _end_score(a, mask, pts[0], out0 / max(np.hypot(*out0), 1e-9), w)
    s1 = _end_score(a, mask, pts[-1], out1 / max(np.hypot(*out1), 1e-9), w)
    near = (near_field_edge(pts[0], q.valid, w + 2), near_field_edge(pts[-1], q.valid, w + 2))
    if near[0] != near[1]:
        inner = 1 if near[0] else 0
        root_first = (inner == 0) == ((s0, s1)[inner] > ROOT_DOT)
    else:
        root_first = s0 >= s1
    pts = pts if root_first else pts[::-1]
    return pts, _in_frame(pts, q.valid.shape, w + 2)


def _in_frame(pts: NDArray[np.float64], shape: tuple[int, ...], margin: float) -> bool:
    """Unbiased counting frame (Gundersen 1977): a hair counts unless it runs out of
    the image through the exclusion edges (left, top); through the inclusion edges
    (right, bottom) it counts, so each hair of an infinite field is counted once."""
    for p in (pts[0], pts[-1]):
        if p[0] < margin or p[1] < margin:
            return False
    return True


MAX_SINGLE_UM = 125.0
SPLIT_RATIO = 1.45
"""Wider than this (µm) a 'hair' is taken to be touching shafts (several per ostium)."""
PARTED_RATIO = 1.1
"""Wider than this (times the typical width) a line may be two shafts whose gap shows
along part of it (:func:`.parted_shafts`); the typical width is inflated where many
shafts touch, so a V pair of stubs may read only a little wider than it."""


def _offset(pts: NDArray[np.float64], d: float, span: float) -> NDArray[np.float64]:
    """Polyline shifted sideways by ``d`` pixels (along its normal over ``span``)."""
    return np.asarray(pts + d * normals(pts, span))


Kept = list[tuple[Chain, NDArray[np.float64], bool]]


def _cut_blob(pts: NDArray[np.float64], width: float, shape: tuple[int, ...]) -> bool:
    """True for a piece shorter than 1.5 widths that touches the image border."""
    if float(np.hypot(*np.diff(pts, axis=0).T).sum()) >= 1.5 * width:
        return False
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    return bool(min(lo[0], lo[1]) < 0.5 * width + 2 or hi[0] > shape[1] - 3 - 0.5 * width
                or hi[1] > shape[0] - 3 - 0.5 * width)


ALONG_FRAME = 0.5
"""Part of a stub's line whose body reaches the image border above which the frame cuts
the stub lengthwise."""


def _widths_along_frame(kept: Kept, widths: list[float], shape: tuple[int, ...],
                        scale: float) -> list[float]:
    """Widths with those of stubs cut lengthwise by the frame raised to the image's
    typical width.

    A stub whose body, as measured, reaches the image border along most of its line
    (:data:`ALONG_FRAME`; the line lies in the middle of what shows) shows only part of
    its width, the part inside the frame, and the profile across it measures that part.
    The shaft is at least that wide and, with nothing in the image to measure it by, is
    given the typical width (the per-image prior :func:`split_bundles` uses too). Bench
    seeds, clipped: a 98 µm stub seen as a sliver along the frame read 15 µm; diameter
    MAE of matched hairs (pooled over clipped and clipped + distractors) 5.0 -> 3.6 µm,
    development seeds 5.4 -> 5.0 µm, no count changed. Taking 30 % of the line as enough
    raised the development seeds' MAE to 6.3 µm (a vellus hair given a terminal width).
    """
    if len(widths) < 3:
        return widths
    ref = typical_width(widths)
    out = []
    for (_, pts, _), wd in zip(kept, widths, strict=True):
        # distance to the image's own edge (the outer edge of its outermost pixels)
        edge = border_distance(densify(pts), shape) + 0.5
        reaches = edge <= wd / scale / 2 + 1.0  # a pixel for the blur of its edge
        out.append(max(wd, ref) if float(reaches.mean()) >= ALONG_FRAME else wd)
    return out


def _fans(pts: NDArray[np.float64], dist: NDArray[np.float32], ref: float) -> bool:
    """True when the mask along a line widens from one shaft to about two."""
    ix = np.clip(np.round(pts).astype(int), 0, [dist.shape[1] - 1, dist.shape[0] - 1])
    w = 2.0 * dist[ix[:, 1], ix[:, 0]]
    n = len(w)
    if n < 8:
        return False
    w = w[n // 8: n - n // 8]
    hi, lo = float(np.percentile(w, 85)), float(np.percentile(w, 15))
    return hi >= 1.5 * lo and hi >= 1.5 * ref and lo <= 1.2 * ref


def typical_width(widths: list[float]) -> float:
    """The typical terminal width of an image: the median of the wider half of its
    hairs' widths (vellus and fragments left out)."""
    return float(np.median(np.sort(np.asarray(widths))[len(widths) // 2:]))


def split_bundles(kept: Kept, widths: list[float], scale: float, um: float | None,
                  shape: tuple[int, ...] | None = None,
                  dist: NDArray[np.float32] | None = None,
                  grey: NDArray[np.float32] | None = None, light: bool = False,
                  fan_dist: NDArray[np.float32] | None = None) -> tuple[Kept, list[float]]:
    """Split shafts lying side by side (one wide 'hair') into ``k`` parallel hairs.

    Hairs leaving one ostium often touch along their whole visible length
    and cannot be told apart by the mask or the profile; a width of about
    ``k`` times the typical terminal width in the image (the median of the
    wider half), and above :data:`MAX_SINGLE_UM` when calibrated, is taken
    as ``k`` shafts (Saraogi & Dhurat 2010 list this as a main miss).
    Touching shafts overlap, so an equal share of the bundle's width reads
    low: each shaft gets the larger of the share and that typical width (the
    per-image width prior), never more than the bundle's width. On clipped
    fields (``dist``, the mask's distance map, given) a line whose mask widens
    from about one typical width to 1.5 or more of them is two shafts fanning
    from one ostium (:func:`_fans`), even when its fitted width (measured from
    the clean side) looks single; ``fan_dist``, the distance map of the mask less
    untraced shafts already found (:func:`_without_bars`), is used for that when
    given. With ``grey`` (full-resolution luminance), where gaps between the
    shafts show across the bundle, each shaft is placed and measured on its own
    run (:func:`.shafts_across`); a line somewhat wider than one shaft
    (:data:`PARTED_RATIO`) is split only where its gap shows along part of it
    (:func:`.parted_shafts`, also tried for two shafts with no consistent gap).
    On clipped fields a line of one or two shafts with no gap may be a dark shaft
    with a pale, thin one lying against it (:func:`_pale_beside`): each is placed
    and measured on its own.
    The equal split and the typical width are kept for shafts touching with no
    gap, and for images whose shafts show a specular stripe along the middle
    (:func:`.striped_shafts`); where it would put a shaft off the mask, the
    bundle's width was read too wide and the mask's own is taken.
    """
    if len(widths) < 3:
        return kept, widths
    ref = typical_width(widths)
    striped: bool | None = None  # judged once, at the first bundle
    out: Kept = []
    out_w: list[float] = []
    traced: _Traced | None = None
    for i, ((chain, pts, inside), wd) in enumerate(zip(kept, widths, strict=True)):
        k = _shafts_in(wd, ref, um)
        if k == 1 and dist is not None and _fans(pts, dist if fan_dist is None else fan_dist,
                                                 ref / scale):
            k = 2  # shafts leaving one ostium: the blob widens to two shafts at the root
        if shape is not None and _cut_blob(pts, wd / scale, shape):
            k, wd = 1, min(wd, ref)  # a stub cut by the frame: axis and width unknown
        # a clipped line somewhat wider than one shaft may be two whose gap shows in part
        parted = k == 1 and dist is not None and wd >= PARTED_RATIO * ref
        seen = None
        if (k > 1 or parted) and grey is not None:
            if striped is None:
                singles = [(k[1], w) for k, w in zip(kept, widths, strict=True)
                           if 0.8 * ref <= w <= 1.2 * ref]
                striped = striped_shafts(grey, [p for p, _ in singles],
                                         [w for _, w in singles], scale, light)
            # where each shaft shows a stripe along its middle, the stripes would read as gaps
            if not striped:
                args = (grey, pts, wd / scale, scale, light, 0.6 * ref)
                seen = None if parted else shafts_across(*args)
                if seen is None and (parted or k == 2):
                    seen = parted_shafts(*args)
        if seen is None and k <= 2 and grey is not None and dist is not None:
            seen = _pale_beside(grey, pts, wd, scale, light, ref, dist)
        if seen is not None:
            traced = traced or _Traced.of(kept)
            seen = _own_shafts(seen, traced, i, ref / scale)
        if seen is not None:
            for line, w in zip(*seen, strict=True):
                out.append((Chain(line, w / scale), line, inside))
                out_w.append(w)
            continue
        if k == 1:
            out.append((Chain(pts, chain.width), pts, inside))
            out_w.append(wd)
            continue
        if dist is not None and not all(
                _on_mask(line, dist) for line in _even_split(pts, wd / scale, k)):
            # a width read too wide would spread the shafts onto bare skin: take the mask's,
            # still two shafts where it is clearly wider than one
            wd = min(wd, 2.0 * median(values_at(dist, densify(pts))) * scale)
            k = max(_shafts_in(wd, ref, um), 2 if wd >= PARTED_RATIO * ref else 1)
        for line in _even_split(pts, wd / scale, k):
            out.append((Chain(line, chain.width / k), line, inside))
            out_w.append(max(wd / k, min(ref, wd)))
    return out, out_w


PALE_MIN_WIDTH = 0.15
"""Narrowest pale shaft looked for beside a dark one, in typical widths (3 px at least)."""


def _pale_beside(grey: NDArray[np.float32], pts: NDArray[np.float64], width: float,
                 scale: float, light: bool, ref: float, dist: NDArray[np.float32]
                 ) -> tuple[list[NDArray[np.float64]], list[float]] | None:
    """The dark shaft of a line and the paler ones lying against it (:func:`.pale_shafts`),
    or None; a pale shaft must lie on the hair mask (``dist`` > 0): a shadow or darker
    skin beside a thin hair is not one."""
    seen = pale_shafts(grey, pts, width / scale, scale, light,
                       max(3.0, PALE_MIN_WIDTH * ref))
    if seen is None or not all(_on_mask(line, dist) for line in seen[0][1:]):
        return None
    # where it goes under the dark shaft's edge the pale one shows no step: follow it on
    mask = dist > 0
    (core, *pale), (dark, *thin) = seen
    pale = [extend_both(line, mask, w / scale) for line, w in zip(pale, thin, strict=True)]
    keep = [i for i, line in enumerate(pale) if length(line) >= dark / scale]
    if not keep:
        return None
    return [core] + [pale[i] for i in keep], [dark] + [thin[i] for i in keep]


def _own_shafts(seen: tuple[list[NDArray[np.float64]], list[float]], traced: _Traced,
                own: int, ref: float) -> tuple[list[NDArray[np.float64]], list[float]] | None:
    """The shafts found across line ``own`` less those that are hairs traced on their
    own (a profile across a line whose width was read too wide reaches the hairs beside
    it); None when none is left."""
    keep = [(line, w) for line, w in zip(*seen, strict=True)
            if not _traced_elsewhere(densify(line), traced, own, ref)]
    if not keep:
        return None
    return [line for line, _ in keep], [w for _, w in keep]


def _traced_elsewhere(line: NDArray[np.float64], traced: _Traced, own: int, ref: float
                      ) -> bool:
    """True when ``line`` follows another traced line (:func:`_follows`), or another (a
    shaft long at least) lies mostly within half a shaft of it."""
    if _follows(line, traced, own, ref):
        return True
    r = ref / 2
    mine = cKDTree(line)
    return any(length(traced.line(j)) >= ref
               and np.mean(mine.query(traced.line(j), distance_upper_bound=r)[0] <= r) >= 0.5
               for j in traced.near(line, r, own))


def _shafts_in(width: float, ref: float, um: float | None) -> int:
    """How many touching shafts a line of ``width`` is, by the typical width ``ref``
    (one below :data:`SPLIT_RATIO` of it, or below :data:`MAX_SINGLE_UM` when
    calibrated; at most four)."""
    if width < SPLIT_RATIO * ref or (um is not None and width * um < MAX_SINGLE_UM):
        return 1
    return int(min(4, max(2, round(width / ref))))


def _even_split(pts: NDArray[np.float64], width: float, k: int) -> list[NDArray[np.float64]]:
    """``k`` lines spaced evenly across a bundle ``width`` wide (same units as ``pts``)."""
    return [_offset(pts, (i - (k - 1) / 2) * width / k, width) for i in range(k)]


def _on_mask(line: NDArray[np.float64], dist: NDArray[np.float32]) -> bool:
    """True when most (70 %) of a line lies on the hair mask (``dist`` > 0)."""
    return bool(np.mean(values_at(dist, densify(line)) > 0) >= 0.7)


CONTAINED = 0.5
"""Fraction of a short hair lying inside a longer, wider hair above which it is dropped."""


def drop_contained(kept: Kept, widths: list[float], scale: float,
                   shape: tuple[int, ...] | None = None) -> tuple[Kept, list[float]]:
    """Drop short pieces that lie mostly inside a longer, wider hair.

    The rounded cut end of an opaque stub thins into a small fork whose
    arms, paired across the node, give a short line *across* the stub, and
    a dark follicle opening at a root leaves a stub of skeleton; neither is
    a hair. A piece no longer than three widths of the hair it lies in,
    with at least :data:`CONTAINED` of its centreline within that hair's
    half-width, is dropped (a hair crossing another has only a short part
    inside it). A piece bridging the touching ends of a thick and a thin stub
    is judged by its own (the thick one's) width; not one ending at the frame
    (``shape``, working image), which is short because the frame cuts it.
    """
    if len(kept) < 2:
        return kept, widths
    lens = np.array([float(np.hypot(*np.diff(p, axis=0).T).sum()) for _, p, _ in kept])
    wd = np.asarray(widths) / scale
    lo = np.array([p.min(axis=0) for _, p, _ in kept])
    hi = np.array([p.max(axis=0) for _, p, _ in kept])
    near = ((lo[:, None, :] <= hi[None, :, :] + wd[None, :, None] / 2).all(-1)
            & (hi[:, None, :] >= lo[None, :, :] - wd[None, :, None] / 2).all(-1))
    # no shape given: no piece is judged by its own width
    own = np.array([shape is not None and not ends_at_edge(p, shape, 2.0)
                    for _, p, _ in kept])[:, None] * wd[:, None]
    cand = (near & (lens[:, None] < lens[None, :])
            & (lens[:, None] <= 3.0 * np.maximum(own, wd[None, :]))
            & (wd[:, None] >= 0.6 * wd[None, :]))
    drop: set[int] = set()
    covered: dict[int, NDArray[np.bool_]] = {}
    for i, j in zip(*np.nonzero(cand), strict=True):
        if i in drop or j in drop:
            continue
        di, dj = densify(kept[i][1]), densify(kept[j][1])
        d2 = ((di[:, None, :] - dj[None, :, :]) ** 2).sum(-1).min(axis=1)
        inside = d2 <= (wd[j] / 2 + 1.0) ** 2
        # Inside one hair, or inside the union of the hairs it lies between (the apex of
        # two stubs leaving one ostium in a V skeletonises as a piece across both).
        covered[int(i)] = covered.get(int(i), np.zeros(len(di), bool)) | inside
        if float(np.mean(covered[int(i)])) >= CONTAINED:
            drop.add(int(i))
    keep = [i for i in range(len(kept)) if i not in drop]
    return [kept[i] for i in keep], [widths[i] for i in keep]


HOOK_LENGTH = 3.0
"""Longest end hook dropped, in its own widths."""


def drop_end_hooks(kept: Kept, widths: list[float], scale: float, shape: tuple[int, ...]
                   ) -> tuple[Kept, list[float]]:
    """Drop short pieces hooked onto the end of a longer hair.

    Where a thin hair ends at a dark follicle opening the opening joins the hair
    mask, and its skeleton forks: the hair goes on through one branch and the
    other is left as a short piece lying at the hair's end. A piece no longer
    than :data:`HOOK_LENGTH` of its widths, touching (within its width) an end
    of a thin hair (at most 0.7 of the typical width) at least twice as long, is
    dropped; onto a thick stub's end only a piece at most 1.5 of its widths long
    (a short stub leaving the same opening as a longer one is longer than that,
    and such pairs are common: several hairs share an opening). A piece touching
    a hair's side is not at its end; one at the image border is kept, as it may
    be a stub cut short by the frame.
    """
    if len(kept) < 2:
        return kept, widths
    lens = np.array([float(np.hypot(*np.diff(p, axis=0).T).sum()) for _, p, _ in kept])
    wd = np.asarray(widths) / scale
    ends = np.array([[p[0], p[-1]] for _, p, _ in kept])  # (n, 2, 2)
    ref = typical_width(widths) / scale
    drop = set()
    h, w = shape[:2]
    for i in np.flatnonzero(lens <= HOOK_LENGTH * np.maximum(wd, 2.0)):
        piece = densify(kept[i][1])
        margin = wd[i] + 2.0
        if (piece.min() < margin or (piece[:, 0] > w - 1 - margin).any()
                or (piece[:, 1] > h - 1 - margin).any()):
            continue
        d = np.hypot(*(piece[None, None, :, :] - ends[:, :, None, :]).transpose(3, 0, 1, 2))
        near = d.min(axis=(1, 2)) <= wd[i] + 1.0
        host = (wd <= 0.7 * ref) if lens[i] > 1.5 * max(wd[i], 2.0) else True
        near &= (lens >= 2.0 * lens[i]) & host
        near[i] = False
        if near.any():
            drop.add(int(i))
    keep = [i for i in range(len(kept)) if i not in drop]
    return [kept[i] for i in keep], [widths[i] for i in keep]


def unexplained(mask: NDArray[np.bool_], kept: Kept, widths: list[float], scale: float,
                valid: NDArray[np.bool_]) -> list[Chain]:
    """Straight hairs for elongated parts of the mask that no traced hair explains.

    Opaque shafts leaving one ostium side by side merge into one mask blob
    whose skeleton follows only one of them; the other shaft's body is left
    over once every traced hair's body (its measured width) is removed.
    Left-over parts at least 0.6 of the typical terminal width across, twice
    as long as wide and filling their rotated bounding box are taken as hairs.
    Where the traced line stops short of the blob's end (its skeleton ended in
    a junction), the shafts on both sides of it stay joined round its end and
    the left-over part is a U, not a bar: such a part is cut again with the
    traced lines prolonged through the mask at both ends, and each bar left
    is taken.
    """
    if len(widths) < 3:
        return []
    ref = typical_width(widths) / scale
    body = _bodies(mask.shape, kept, widths, scale)
    rest = _opened(mask & (body == 0) & valid, ref)
    n, lab, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    free = _distance(body == 0)
    longer: NDArray[np.uint8] | None = None
    out = []
    for i in range(1, n):
        if float(stats[i, cv2.CC_STAT_AREA]) < ref * ref:
            continue
        x, y, bw, bh = stats[i, :4]
        part = lab[y:y + bh, x:x + bw] == i
        bars = _bars(part, (x, y), ref, free)
        if bars:
            out += bars
            continue
        if longer is None:
            longer = _bodies(mask.shape, kept, widths, scale, mask)
        cut = _opened(part & (longer[y:y + bh, x:x + bw] == 0), ref)
        m, sub = cv2.connectedComponents(cut, connectivity=8)
        out += [b for j in range(1, m) for b in _bars(sub == j, (x, y), ref, free)]
    return out


def _distance(mask: NDArray[np.bool_] | NDArray[np.uint8]) -> NDArray[np.float32]:
    """Euclidean distance of each mask pixel to the background (3x3 approximation)."""
    return np.asarray(cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 3),
                      dtype=np.float32)


def _without_bars(mask: NDArray[np.bool_], bars: list[Chain]) -> NDArray[np.uint8]:
    """The mask less the bodies of untraced shafts already found beside traced lines
    (:func:`unexplained`), so that a line is not also taken for two shafts fanning
    from one ostium (:func:`_fans`) where that second shaft is one of them."""
    out = mask.astype(np.uint8)
    for c in bars:
        cv2.polylines(out, [np.round(c.points).astype(np.int32).reshape(-1, 1, 2)], False, 0,
                      max(int(round(c.width + 2.0)), 1))
    return out


def _bodies(shape: tuple[int, ...], kept: Kept, widths: list[float], scale: float,
            through: NDArray[np.bool_] | None = None) -> NDArray[np.uint8]:
    """Traced hairs' bodies (their measured width + 2 px); with ``through`` (the
    mask), each line prolonged along its end directions to the mask's edge."""
    body = np.zeros(shape[:2], np.uint8)
    for (_, pts, _), wd in zip(kept, widths, strict=True):
        t = int(round(wd / scale + 2.0))
        if through is not None:
            pts = extend_both(pts, through, wd / scale)
        cv2.polylines(body, [np.round(pts).astype(np.int32).reshape(-1, 1, 2)], False, 1,
                      max(t, 1))
    return body


def _opened(part: NDArray[np.bool_], ref: float) -> NDArray[np.uint8]:
    """``part`` opened by a disc of 0.4 typical widths (slivers along bodies removed)."""
    k = max(3, int(round(0.4 * ref)) | 1)
    return np.asarray(cv2.morphologyEx(part.astype(np.uint8), cv2.MORPH_OPEN,
                                       cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))))


def _bars(part: NDArray[np.bool_], origin: tuple[int, int], ref: float,
          free: NDArray[np.float32]) -> list[Chain]:
    """The straight hairs a left-over part is: none when it is not shaped like a hair
    (0.6-2.5 typical widths across, twice as long as wide, filling its rotated box),
    ``k`` side by side when its mean width is about ``k`` typical widths (untraced
    shafts touching, as :func:`split_bundles` takes a traced one)."""
    ys, xs = np.nonzero(part)
    area = float(len(xs))
    if area < ref * ref:
        return []
    (cx, cy), (a, b), ang = cv2.minAreaRect(
        np.stack([xs + origin[0], ys + origin[1]], 1).astype(np.float32))
    long, short = max(a, b), max(min(a, b), 1.0)
    if (short < 0.6 * ref or short > 2.5 * ref or long < max(2.0 * short, 2.5 * ref)
            or area < 0.6 * long * short):
        return []
    t = np.radians(ang if a >= b else ang + 90)
    u = np.array([np.cos(t), np.sin(t)])
    centre = np.array([cx, cy])
    normal = np.array([-u[1], u[0]])
    # how many shafts by the part's mean width (area over length): a part left ragged
    # by the bodies beside it spans a rotated box wider than the shaft it is
    k = int(round(area / long / ref))
    if k >= 2:
        d = u * (long - short / k) / 2
        return [Chain(np.array([c - d, c + d]), float(short / k)) for c in
                (centre + normal * (i - (k - 1) / 2) * short / k for i in range(k))]
    # across, the shaft lies where most of the part is (not the box's middle)
    offsets = (np.stack([xs + origin[0], ys + origin[1]], 1) - centre) @ normal
    centre = centre + normal * float(np.median(offsets))
    short = min(short, area / long)
    if short > 1.4 * ref:  # the traced hair beside it claimed too little: keep off it
        side = [centre + sg * normal * (short - ref) / 2 for sg in (-1, 1)]
        far = [_clear(free, c) for c in side]
        centre, short = side[int(np.argmax(far))], ref
    d = u * (long - short) / 2
    return [Chain(np.array([centre - d, centre + d]), float(short))]


def _clear(free: NDArray[np.float32], p: NDArray[np.float64]) -> float:
    """Distance from ``p`` to the nearest traced hair body (0 outside the image)."""
    x, y = int(round(p[0])), int(round(p[1]))
    h, w = free.shape
    return float(free[y, x]) if 0 <= x < w and 0 <= y < h else 0.0


def _to_full(pts: NDArray[np.float64], scale: float) -> NDArray[np.float64]:
    """Working-pixel centres to full-resolution pixel coordinates."""
    return np.asarray((pts + 0.5) * scale - 0.5)


def _simplify(pts: NDArray[np.float64]) -> NDArray[np.float64]:
    """Douglas-Peucker simplification (tolerance 0.75 working px)."""
    if len(pts) <= 2:
        return pts
    c = cv2.approxPolyDP(pts.astype(np.float32).reshape(-1, 1, 2), 0.75, False)
    return np.asarray(c.reshape(-1, 2), dtype=np.float64)


def _hair_record(i: int, pts: NDArray[np.float64], width_px: float, um: float | None,
                 vellus_um: float) -> dict[str, Any]:
    """One hair of the output object."""
    arc = float(np.hypot(*np.diff(pts, axis=0).T).sum()) if len(pts) > 1 else 0.0
    diam = None if um is None else round(width_px * um, 1)
    cls = None if diam is None else ("vellus" if diam <= vellus_um else "terminal")
    return {
        "id": i, "root": [round(float(pts[0, 0]), 1), round(float(pts[0, 1]), 1)],
        "polyline": [[round(float(x), 1), round(float(y), 1)] for x, y in pts],
        "length_px": round(arc, 1), "width_px": round(float(width_px), 2),
        "diameter_um": diam, "class": cls,
    }


def _summary(hairs: list[dict[str, Any]], frame: int, valid_px: float, um: float | None,
             vellus_um: float) -> dict[str, Any]:
    """Area, density, diameter statistics and the vellus/terminal split."""
    if um is None:
        return {"valid_area_cm2": None, "density_per_cm2": None, "diameter_um": None,
                "vellus_count": None, "terminal_count": None, "vellus_fraction": None}
    area = valid_px * (um * 1e-4) ** 2
    d = np.array([h["diameter_um"] for h in hairs], dtype=np.float64)
    diam = None
    if len(d):
        mean = float(d.mean())
        diam = {"mean": round(mean, 1), "median": round(float(np.median(d)), 1),
                "cv": round(float(d.std() / mean), 3) if mean > 0 else 0.0}
    vellus = int((d <= vellus_um).sum())
    return {"valid_area_cm2": round(area, 5),
            "density_per_cm2": round(frame / area, 1) if area > 0 else None,
            "diameter_um": diam, "vellus_count": vellus, "terminal_count": len(d) - vellus,
            "vellus_fraction": round(vellus / len(d), 3) if len(d) else None}


def _load(image: Any) -> tuple[str, NDArray[np.uint8]]:
    """Name and RGB pixels of a path or an array."""
    if isinstance(image, str | os.PathLike):
        return os.fspath(image), read_image(image)
    return "<array>", as_rgb_array(image)


def _full_invalid(q: FieldQuality, shape: tuple[int, ...]) -> NDArray[np.bool_]:
    """Invalid-field mask at full resolution."""
    inv = (~q.valid).astype(np.uint8)
    return np.asarray(cv2.resize(inv, (shape[1], shape[0]),
                                 interpolation=cv2.INTER_NEAREST) > 0)


def analyze_image(image: Any, *, um_per_px: float | None = None,
                  vellus_threshold_um: float = 40.0,
                  overlay_path: str | os.PathLike[str] | None = None,
                  polarity: str = "auto") -> dict[str, Any]:
    """Count and measure the hairs in one trichoscopy image.

    Parameters
    ----------
    image : str, PathLike or ndarray
        Image file (JPEG, PNG, TIFF) or an RGB/grey array.
    um_per_px : float, optional
        Calibration in micrometres per pixel. Without it, every value in
        micrometres or per cm² is ``None``.
    vellus_threshold_um : float
        A hair is vellus when its projected diameter is at most this (40 µm,
        TrichoScan's convention; 30 µm is the other common choice).
    overlay_path : str or PathLike, optional
        Where to write the review overlay PNG.
    polarity : {"auto", "dark", "light"}
        Hair darker or lighter than the skin.

    Returns
    -------
    dict
        The output object of ``contracts/analyze.md`` (JSON-serialisable).

    Raises
    ------
    mesohair.imaging.io.ImageError
        Unreadable, non-image, too large (> 50 MP) or bomb files.
    ValueError
        Invalid parameters.
    """
    check_parameters(um_per_px, vellus_threshold_um)
    t0 = time.perf_counter()
    name, rgb = _load(image)
    work = _work_images(rgb)
    q = assess_field(work.rgb, work.grey)
    max_w = (MAX_HAIR_UM / um_per_px if um_per_px else min(rgb.shape[:2]) / 9) / work.scale
    seg = segment_hairs(work.grey, q.valid, int(max(3, max_w)), polarity, work.rgb)
    if q.border.any():  # hairs go on under captions and glare, not into the black border
        seg = Segmentation(seg.mask & ~q.border, seg.absorbance, seg.light_hair)
    seg = _without_network(seg, q, (um_per_px or UNCALIBRATED_UM_PER_PX) * work.scale)
    chains, nodes = trace_hairs(seg.mask, min_length=max(5.0, 12.0 / work.scale),
                                absorbance=seg.absorbance)
    kept = [(c, *_orient(c, seg.absorbance, seg.mask, q)) for c in chains]
    rim = _along_border(q)
    kept = [k for k in kept if _touches_valid(k[1], q) and not (rim and rim(k[1], k[0].width))]
    kept = _without_distractors(kept, work, um_per_px, seg, q.valid)
    full_grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    widths, sigma = measure_widths(full_grey, [k[0] for k in kept], nodes, work.scale,
                                   seg.light_hair)
    kept, widths, seg = _without_pigment_spots(kept, widths, work, seg)
    extra: list[Chain] | None = None
    if stub_field([k[0] for k in kept], seg.mask):  # cut-end pieces, shafts side by side
        kept, widths = drop_contained(kept, widths, work.scale, seg.mask.shape)
        kept, widths = drop_end_hooks(kept, widths, work.scale, seg.mask.shape)
        kept, widths = _split_crossings(kept, widths, seg, q, full_grey, nodes, work.scale,
                                         sigma)
        extra = unexplained(seg.mask, kept, widths, work.scale, q.valid)
    dist = _distance(seg.mask) if extra is not None else None
    kept, widths = split_bundles(kept, widths, work.scale, um_per_px, seg.mask.shape, dist,
                                  full_grey, seg.light_hair,
                                  _distance(_without_bars(seg.mask, extra)) if extra else dist)
    if extra:
        more = [(c, *_orient(c, seg.absorbance, seg.mask, q)) for c in extra]
        typical = typical_width(widths)
        kept += more
        widths += [w if w <= 1.3 * typical else typical for w in measure_widths(
            full_grey, [k[0] for k in more], nodes, work.scale, seg.light_hair,
            sigma)[0]]
    if extra is not None:  # clipped field: blobs of touching stubs told apart
        kept, widths = _stub_clusters(kept, widths, seg, q, work.scale)
        widths = _widths_along_frame(kept, widths, seg.mask.shape, work.scale)
    # A line extended or shifted past the frame is pulled back onto the border: where
    # a hair cut lengthwise by the frame is seen.
    hairs = [_hair_record(i + 1, onto_image(_to_full(_simplify(pts), work.scale), rgb.shape)[0],
                          wd, um_per_px, vellus_threshold_um)
             for i, ((_, pts, _), wd) in enumerate(zip(kept, widths, strict=True))]
    frame = sum(1 for k in kept if k[2])
    valid_px = float(q.valid.sum()) * work.scale**2
    result: dict[str, Any] = {
        "image": name, "width_px": int(rgb.shape[1]), "height_px": int(rgb.shape[0]),
        "um_per_px": um_per_px, "hair_count": len(hairs), "frame_count": frame,
        "vellus_threshold_um": vellus_threshold_um, "hairs": hairs,
        "quality": {"focus": round(q.focus, 3), "glare_fraction": round(q.glare_fraction, 4),
                    "warnings": list(q.warnings)},
    }
    result.update(_summary(hairs, frame, valid_px, um_per_px, vellus_threshold_um))
    result["elapsed_ms"] = round((time.perf_counter() - t0) * 1000.0, 1)
    if overlay_path is not None:
        write_overlay(overlay_path, rgb, result, _full_invalid(q, rgb.shape))
    return _ordered(result)


UNCALIBRATED_UM_PER_PX = 3.5
"""Scale assumed for shape limits in micrometres when no calibration is given (a common
70x, 1280x1024 field); nothing in micrometres is reported from it."""


FINEST_UNCALIBRATED_UM_PER_PX = 1.5
"""Finest scale an uncalibrated image may have (a 1280 px field 2 mm wide): bubble rims
are looked for up to their largest size at it."""


def _without_network(seg: Segmentation, q: FieldQuality, um_work: float) -> Segmentation:
    """The hair mask less the walls of a honeycomb pigment network (dark hair only),
    with a warning saying how many cells were found (:func:`.pigment_network`)."""
    if seg.light_hair:
        return seg
    wall, cells = pigment_network(seg.mask, q.valid, um_work)
    if not wall.any():
        return seg
    q.warnings.append(f"pigment network (honeycomb, {cells} cells) left out of the hair mask: "
                      "thin hairs crossing it may be missed")
    return Segmentation(seg.mask & ~wall, seg.absorbance, seg.light_hair)


def _without_distractors(kept: Kept, work: _Work, um_per_px: float | None,
                         seg: Segmentation, valid: NDArray[np.bool_]) -> Kept:
    """Drop vessels (dark hair only: light hair is not dark in any channel) and
    bubble rims (:mod:`.distractors`)."""
    um_work = (um_per_px or UNCALIBRATED_UM_PER_PX) * work.scale
    # Uncalibrated, rims may be larger in pixels than at the assumed scale; looked for in
    # fields of straight stubs only (among long hair a wide curl may be a hair, and each
    # curling piece would cost a circle search).
    finest = (FINEST_UNCALIBRATED_UM_PER_PX * work.scale
              if um_per_px is None and stub_field([k[0] for k in kept], seg.mask) else None)
    rims = find_rims([k[1] for k in kept], seg.mask, valid, um_work, finest)
    # Redness decides; the width limit only spares the test on shafts: uncalibrated,
    # vessels as wide as they may be at the finest scale are tested.
    widest = VESSEL_MAX_WIDTH_UM / (um_work if um_per_px else
                                    FINEST_UNCALIBRATED_UM_PER_PX * work.scale)
    red = ([False] * len(kept) if seg.light_hair
           else vessels(work.rgb, [(k[1], k[0].width) for k in kept], widest))
    return [k for k, v in zip(kept, red, strict=True)
            if not v and not on_rim(k[1], rims, k[0].width)]


def _without_pigment_spots(kept: Kept, widths: list[float], work: _Work, seg: Segmentation
                           ) -> tuple[Kept, list[float], Segmentation]:
    """Drop peripilar halos and pigment spots traced as lines (:func:`.pigment_spots`;
    dark hair only: the light-hair mask holds no dark patches), and take their bodies
    out of the hair mask: a shaft whose skeleton was drawn into the halo beside it is
    then found as the untraced part of the mask it is (:func:`unexplained`)."""
    if seg.light_hair or not kept:
        return kept, widths, seg
    spots = pigment_spots(work.rgb, seg.absorbance,
                          [(k[1], w / work.scale) for k, w in zip(kept, widths, strict=True)],
                          typical_width(widths) / work.scale)
    if not any(spots):
        return kept, widths, seg
    keep = [i for i, s in enumerate(spots) if not s]
    drop = [i for i, s in enumerate(spots) if s]
    body = _bodies(seg.mask.shape, [kept[i] for i in drop], [widths[i] for i in drop],
                   work.scale)
    return ([kept[i] for i in keep], [widths[i] for i in keep],
            Segmentation(seg.mask & (body == 0), seg.absorbance, seg.light_hair))


def _split_crossings(kept: Kept, widths: list[float], seg: Segmentation, q: FieldQuality,
                     full_grey: NDArray[np.float32], nodes: NDArray[np.int32], scale: float,
                     sigma: float) -> tuple[Kept, list[float]]:
    """Replace each line traced through two stubs crossing at a shallow angle by the
    two stubs (:func:`.crossing_pair`), each measured along its own axis; a stub
    another traced line already follows is not added twice."""
    if len(widths) < 3:
        return kept, widths
    ref = typical_width(widths) / scale
    traced: _Traced | None = None
    out: Kept = []
    out_w: list[float] = []
    new: list[Chain] = []
    for i, ((chain, pts, inside), wd) in enumerate(zip(kept, widths, strict=True)):
        pair = crossing_pair(pts, seg.mask, ref)
        if pair is not None:
            traced = traced or _Traced.of(kept)
            if not any(_follows(densify(p), traced, i, ref) for p in pair):
                new += [Chain(p, chain.width) for p in pair]
                continue
        out.append((chain, pts, inside))
        out_w.append(wd)
    if not new:
        return kept, widths
    out += [(c, *_orient(c, seg.absorbance, seg.mask, q)) for c in new]
    typical = ref * scale
    out_w += [min(w, typical) for w in measure_widths(full_grey, new, nodes, scale,
                                                       seg.light_hair, sigma)[0]]
    return out, out_w


CLUSTER_MIN_WIDTH = 0.6
"""Narrowest opaque core (in typical shaft widths) looked into for touching stubs: thin
hair is not opaque, its core is a ragged thread."""

WIDEST_STUB = 1.2
"""Widest a stub told apart in a core is taken to be (in typical shaft widths): where
another stub lies against it all along, its core's depth reads them both. Terminal
shafts are 50-110 µm and the typical width (the median of the wider half) about 90."""

ON_SHAFT = 0.25
"""Largest median distance (in typical shaft widths) of a traced line from a shaft found
in its blob for the line to be that shaft."""


def _stub_clusters(kept: Kept, widths: list[float], seg: Segmentation, q: FieldQuality,
                   scale: float) -> tuple[Kept, list[float]]:
    """Replace the lines of a blob of touching or crossing stubs by the stubs its opaque
    cores are made of (:mod:`.clusters`), where those are more than the lines, or as
    many but some line runs off every one of them (between two stubs, or across a V).
    A specular stripe along a shaft splits its core into two parallel halves with level
    ends, which :func:`.core_shafts` refuses (twins).
    """
    if len(widths) < 3:
        return kept, widths
    ref = typical_width(widths) / scale
    _, lab, stats, _ = cv2.connectedComponentsWithStats(seg.mask.astype(np.uint8),
                                                        connectivity=8)
    lines = [densify(k[1]) for k in kept]
    # the blob each line belongs to: the one under its midpoint
    owner = [int(values_at(lab, line[len(line) // 2][None])[0]) for line in lines]
    found: dict[int, list[Chain]] = {}
    replaced: set[int] = set()
    for i in sorted(set(owner) - {0}):
        if stats[i, cv2.CC_STAT_AREA] < 2.0 * ref * ref:
            continue  # no room for two stubs
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        blob = lab[y:y + bh, x:x + bw] == i
        got = _blob_shafts(blob, seg.absorbance[y:y + bh, x:x + bw], (x, y), lab.shape, ref,
                           ~q.valid[y:y + bh, x:x + bw])
        if got is None:
            continue
        shafts, own, cores = got
        # the lines on the stubs' cores; a thin hair touching them is left as it is
        mine = [j for j, o in enumerate(owner) if o == i and _on_core(lines[j], cores, (x, y))]
        if len(shafts) < len(mine) or (len(shafts) == len(mine) and all(
                _near_a_shaft(lines[j], shafts, ON_SHAFT * ref) for j in mine)):
            continue
        found[i] = [Chain(np.array(shaft), wd) for shaft, wd in zip(shafts, own, strict=True)]
        replaced.update(mine)
    if not found:
        return kept, widths
    out = [k for j, k in enumerate(kept) if j not in replaced]
    out_w = [wd for j, wd in enumerate(widths) if j not in replaced]
    new = [c for chains in found.values() for c in chains]
    out += [(c, *_orient(c, seg.absorbance, seg.mask, q)) for c in new]
    # each stub's width from its core, where no other lies against it: a profile across
    # touching stubs sees them both (diameter MAE 6.1 -> 5.3 µm, development seeds)
    out_w += [min(c.width, WIDEST_STUB * ref) * scale for c in new]
    return out, out_w


def _blob_shafts(blob: NDArray[np.bool_], absorbance: NDArray[np.float32],
                 origin: tuple[int, int], shape: tuple[int, ...], ref: float,
                 hidden: NDArray[np.bool_]
                 ) -> tuple[list[Shaft], list[float], NDArray[np.bool_]] | None:
    """The straight shafts (working-pixel end points) of a blob of the hair mask, from
    each of its opaque cores, and the cores (a mask of the blob's box); None when a core
    is not opaque stubs or not made up of straight ones."""
    x, y = origin
    h, w = blob.shape
    cut = np.zeros(blob.shape, bool)  # the image border, where the frame cut the blob
    cut[:, 0] |= x == 0
    cut[0, :] |= y == 0
    cut[:, -1] |= x + w == shape[1]
    cut[-1, :] |= y + h == shape[0]
    # glare or a caption over part of it: the outline there is where they hide it
    hidden = cv2.dilate(hidden.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    cut |= hidden
    shafts: list[Shaft] = []
    widths: list[float] = []
    cores = np.zeros(blob.shape, bool)
    for core in opaque_cores(blob, absorbance, ref * ref):
        width = core_width(core)
        got = core_shafts(core, width, cut) if width >= CLUSTER_MIN_WIDTH * ref else None
        if got is None:
            continue  # left as traced; the blob's other cores may still be stubs
        shafts += got[0]
        widths += got[1]
        cores |= core
    if not shafts:
        return None
    shafts, widths = joined_across(shafts, widths, hidden)
    return [(a + origin, b + origin) for a, b in shafts], widths, cores


def _on_core(line: NDArray[np.float64], cores: NDArray[np.bool_], origin: tuple[int, int]
             ) -> bool:
    """True when most of a line (working px) lies on the opaque cores (their box at
    ``origin``)."""
    return bool(np.mean(values_at(cores, line - origin)) >= 0.5)


def _near_a_shaft(line: NDArray[np.float64], shafts: list[Shaft], reach: float) -> bool:
    """True when a traced line runs along one of the shafts (median distance at most
    ``reach``)."""
    return any(median(segment_distance(line[:, 0], line[:, 1], a, b)) <= reach
               for a, b in shafts)


@dataclass
class _Traced:
    """The traced lines, their boxes, and their densified points and k-d trees built as
    needed: for asking many times which traced line a new one follows. Most lines are
    never near a line asked about, so none is densified up front (that cost 2-3 ms per
    image of long hair); the boxes are the vertices' boxes, which hold the densified
    points, so no line near one is missed."""

    points: list[NDArray[np.float64]]
    lo: NDArray[np.float64]
    hi: NDArray[np.float64]
    dense: dict[int, NDArray[np.float64]]
    trees: dict[int, cKDTree]

    @classmethod
    def of(cls, kept: Kept) -> _Traced:
        """The index of the lines of ``kept``."""
        points = [k[1] for k in kept]
        lo = np.array([p.min(axis=0) for p in points]).reshape(-1, 2)
        hi = np.array([p.max(axis=0) for p in points]).reshape(-1, 2)
        return cls(points, lo, hi, {}, {})

    def near(self, line: NDArray[np.float64], r: float, own: int) -> list[int]:
        """Lines (not ``own``) whose box meets ``line``'s grown by ``r``."""
        ok = ((self.hi >= line.min(axis=0) - r).all(axis=1)
              & (self.lo <= line.max(axis=0) + r).all(axis=1))
        return [int(j) for j in np.flatnonzero(ok) if j != own]

    def line(self, j: int) -> NDArray[np.float64]:
        """Line ``j`` densified (:func:`.densify`)."""
        if j not in self.dense:
            self.dense[j] = densify(self.points[j])
        return self.dense[j]

    def tree(self, j: int) -> cKDTree:
        """The k-d tree of line ``j`` (densified)."""
        if j not in self.trees:
            self.trees[j] = cKDTree(self.line(j))
        return self.trees[j]


def _follows(line: NDArray[np.float64], traced: _Traced, own: int, ref: float) -> bool:
    """True when most of ``line`` lies within half a shaft of another traced line."""
    r = ref / 2
    near = traced.near(line, r, own)
    if not near:
        return False
    # Only a line whose box, grown by r, holds half of ``line`` can be followed: a cheap
    # test that spares building the k-d trees of most lines near a long one.
    lo, hi = traced.lo[near] - r, traced.hi[near] + r
    held = ((line[None] >= lo[:, None]) & (line[None] <= hi[:, None])).all(-1).mean(1)
    return any(np.mean(traced.tree(j).query(line, distance_upper_bound=r)[0] <= r) >= 0.5
               for j, h in zip(near, held, strict=True) if h >= 0.5)


def _along_border(q: FieldQuality
                  ) -> Callable[[NDArray[np.float64], float], bool] | None:
    """A test ``(points, width) -> bool`` for lines running along the black border (most
    of the line within its own width of it: the darkened rim of a round field stop, not
    a hair), or None when the image has no black border."""
    if not q.border.any():
        return None
    dist = _distance(~q.border)
    h, w = dist.shape

    def hugs(pts: NDArray[np.float64], width: float) -> bool:
        ix = np.clip(np.round(pts).astype(int), 0, [w - 1, h - 1])
        return bool((dist[ix[:, 1], ix[:, 0]] <= max(width, 2.0) + 2.0).mean() >= 0.8)

    return hugs


def _touches_valid(pts: NDArray[np.float64], q: FieldQuality) -> bool:
    """True when a fair part (a quarter) of the hair lies in the valid field."""
    ix = np.clip(np.round(pts).astype(int), 0, [q.valid.shape[1] - 1, q.valid.shape[0] - 1])
    return bool(q.valid[ix[:, 1], ix[:, 0]].mean() >= 0.25)


KEY_ORDER = ("image", "width_px", "height_px", "um_per_px", "valid_area_cm2", "hair_count",
             "frame_count", "density_per_cm2", "diameter_um", "vellus_threshold_um",
             "vellus_count", "terminal_count", "vellus_fraction", "hairs", "quality",
             "elapsed_ms")


def _ordered(result: dict[str, Any]) -> dict[str, Any]:
    """The output object with keys in the contract's order."""
    return {k: result[k] for k in KEY_ORDER}


_warm_up()
