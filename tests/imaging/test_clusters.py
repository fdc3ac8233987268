"""Touching and crossing opaque stubs told apart by their straight sides (clusters.py)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from mesohair.imaging import PhantomParams, analyze_image, render_phantom
from mesohair.imaging.clusters import core_shafts, core_width, opaque_cores
from mesohair.imaging.evaluate import hair_boxes, match_hairs

from .conftest import hair_image

WIDTH = 14


def _core(shape: tuple[int, int], shafts: list[tuple[tuple[float, float], tuple[float, float]]],
          width: int = WIDTH) -> np.ndarray:
    """A core mask: capsules ``width`` wide along the given centrelines."""
    img = np.zeros(shape, np.uint8)
    for (x0, y0), (x1, y1) in shafts:
        cv2.line(img, (round(x0), round(y0)), (round(x1), round(y1)), 1, width)
    return img > 0


def _angle(a: np.ndarray, b: np.ndarray) -> float:
    d = b - a
    return float(np.degrees(np.arctan2(d[1], d[0])) % 180.0)


def _matches(found: list[tuple[np.ndarray, np.ndarray]],
             true: list[tuple[tuple[float, float], tuple[float, float]]]) -> bool:
    """Each true shaft has a found one along it (within 3 degrees and 3 px of its middle)."""
    for (x0, y0), (x1, y1) in true:
        a, b = np.array([x0, y0]), np.array([x1, y1])
        mid = (a + b) / 2
        if not any(min(abs(_angle(p, q) - _angle(a, b)), 180 - abs(_angle(p, q) - _angle(a, b)))
                   <= 3.0 and _distance_to_line(mid, p, q) <= 3.0 for p, q in found):
            return False
    return True


def _distance_to_line(m: np.ndarray, p: np.ndarray, q: np.ndarray) -> float:
    d = (q - p) / np.hypot(*(q - p))
    return float(abs((m - p) @ np.array([-d[1], d[0]])))


def test_a_single_stub_is_one_shaft_along_its_middle() -> None:
    true = [((30.0, 40.0), (150.0, 90.0))]
    found = core_shafts(_core((140, 190), true), float(WIDTH))
    assert found is not None and len(found) == 1
    assert _matches(found, true)


@pytest.mark.parametrize("true", [
    # crossing at 14 degrees near their lower ends: a lambda, not a bow tie
    [((40.0, 30.0), (60.0, 170.0)), ((85.0, 30.0), (50.0, 165.0))],
    # leaving one ostium in a V, 12 degrees apart
    [((40.0, 150.0), (160.0, 60.0)), ((40.0, 150.0), (170.0, 90.0))],
    # side by side and touching, the tips a shaft's length apart
    [((30.0, 60.0), (170.0, 60.0)), ((70.0, 74.0), (210.0, 74.0))],
])
def test_touching_or_crossing_stubs_are_each_found(true: list) -> None:
    core = _core((200, 240), true)
    found = core_shafts(core, core_width(core))
    assert found is not None and len(found) == 2
    assert _matches(found, true)


def test_a_blob_not_made_of_straight_shafts_is_left_alone() -> None:
    disc = np.zeros((120, 120), np.uint8)
    cv2.circle(disc, (60, 60), 35, 1, -1)
    assert core_shafts(disc > 0, float(WIDTH)) is None
    bend = np.zeros((200, 200), np.uint8)
    cv2.ellipse(bend, (100, 100), (70, 70), 0, 0, 160, 1, WIDTH)
    assert core_shafts(bend > 0, float(WIDTH)) is None


def test_the_frame_cutting_a_blob_is_not_taken_for_a_shafts_side() -> None:
    # A real-set-like phantom (1.5 um/px, uncalibrated): a stub crossing the left edge
    # beside two slivers of stubs beyond it makes one blob whose outline runs straight
    # down the frame for several shaft widths; taken for a side, it gave a 'shaft'
    # lying along the frame.
    params = PhantomParams(width_px=1280, height_px=1024, um_per_px=1.5, fu_per_cm2=80.0,
                           clipped=True)
    res = analyze_image(render_phantom(params, 13, 0).image)
    for hair in res["hairs"]:
        pts = np.asarray(hair["polyline"])
        beside_frame = (pts[:, 0] <= hair["width_px"]).all()
        assert not (beside_frame and np.ptp(pts[:, 0]) < 0.2 * np.ptp(pts[:, 1]))


def test_a_stub_under_glare_is_not_taken_for_touching_stubs() -> None:
    # A real-set-like phantom (2.5 um/px, long stubs, uncalibrated): glare on a stub
    # bites a notch out of its core, whose outline then shows straight stretches at two
    # offsets; where glare (or a caption) covers part of a blob, its outline is not the
    # shafts' and the blob is left as traced.
    params = PhantomParams(width_px=1280, height_px=1024, um_per_px=2.5, fu_per_cm2=80.0,
                           clipped=True, stub_um=(500.0, 1200.0))
    ph = render_phantom(params, 18, 0)
    res = analyze_image(ph.image)
    lo, hi = hair_boxes(ph.truth, ph.valid_mask)[1]  # the stub under the glare
    inside = [h for h in res["hairs"]
              if (((p := np.asarray(h["polyline"])) >= lo) & (p <= hi)).all(1).mean() >= 0.8]
    assert len(inside) == 1


def test_a_thin_hair_is_not_cut_into_straight_pieces() -> None:
    # A real-set-like phantom (3.5 um/px, uncalibrated): a faint thin hair's 'core' is
    # a ragged thread whose outline has many short straight stretches; only cores at
    # least CLUSTER_MIN_WIDTH of the typical shaft are looked into.
    params = PhantomParams(width_px=1280, height_px=1024, um_per_px=3.5, fu_per_cm2=80.0,
                           clipped=True)
    ph = render_phantom(params, 13, 0)
    res = analyze_image(ph.image)
    lo, hi = hair_boxes(ph.truth, ph.valid_mask)[9]  # the thin hair
    inside = [h for h in res["hairs"]
              if (((p := np.asarray(h["polyline"])) >= lo) & (p <= hi)).all(1).mean() >= 0.8]
    assert len(inside) == 1


def test_three_stubs_from_one_ostium_and_the_thin_hair_touching_them_are_all_found() -> None:
    # Clipped phantom (3.5 um/px) seed 202: three stubs leave one ostium in a fan and a
    # thin hair touches the outer one; the skeleton ran between two of the stubs. The
    # stubs are told apart by their sides; the thin hair, off their opaque cores, is
    # kept as traced (counted among the blob's lines it would have been replaced).
    params = PhantomParams(width_px=1280, height_px=1024, um_per_px=3.5, clipped=True)
    ph = render_phantom(params, 202, 0)
    res = analyze_image(ph.image, um_per_px=3.5)
    found = {t for t, _ in match_hairs(res["hairs"], ph.truth["hairs"], ph.valid_mask)}
    assert {19, 20, 21, 22} <= found  # 21 is the thin hair


def test_the_skin_between_touching_stubs_splits_the_opaque_core() -> None:
    blob = np.zeros((60, 200), bool)
    blob[10:50, 10:190] = True
    absorbance = np.zeros(blob.shape, np.float32)
    absorbance[12:28, 12:188] = 1.6  # two opaque stubs
    absorbance[31:48, 12:188] = 1.5
    absorbance[28:31, 12:188] = 0.3  # the pale skin between them, under the mask
    cores = opaque_cores(blob, absorbance, 50)
    assert len(cores) == 2


@pytest.mark.parametrize("k", [1.5, 3.0])
def test_two_opaque_stubs_crossing_at_a_shallow_angle_are_two_hairs(k: float) -> None:
    # Two stubs (14 and 20 px) crossing at 5 degrees, side by side over most of their
    # length (a real-set-like phantom's pair, 3.5 um/px seed 16): one blob, whose
    # skeleton is one line between them; each still shows one straight side.
    hairs = [(111.8, 123.9, 77.9, 68.3, 14.4), (128.2, 115.0, 81.3, 50.6, 19.8),
             (250.0, 40.0, 290.0, 120.0, 17.0), (330.0, 50.0, 360.0, 140.0, 18.0),
             (420.0, 30.0, 450.0, 110.0, 16.0)]
    res = analyze_image(hair_image((200, 500), hairs, k=k))
    assert res["hair_count"] == 5
