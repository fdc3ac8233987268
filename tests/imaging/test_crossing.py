"""Two stubs crossing at a shallow angle: one bow-tie blob, two hairs."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from mesohair.imaging import analyze_image
from mesohair.imaging.crossing import crossing_pair

from .conftest import hair_image


def _capsule(mask: np.ndarray, a: np.ndarray, b: np.ndarray, width: int) -> None:
    cv2.line(mask, tuple(np.round(a).astype(int)), tuple(np.round(b).astype(int)), 1, width)
    for p in (a, b):
        cv2.circle(mask, tuple(np.round(p).astype(int)), width // 2, 1, -1)


def _x(angle_deg: float, shift: float = 0.0, width: int = 12) -> tuple[np.ndarray, list]:
    """Mask of two 95 px stubs crossing at ``angle_deg``, the second moved along x."""
    mask = np.zeros((200, 300), np.uint8)
    half = math.radians(angle_deg) / 2
    c = np.array([150.0, 100.0])
    ends = []
    for sign, dx in ((1, 0.0), (-1, shift)):
        d = np.array([math.cos(half), sign * math.sin(half)]) * 47.5
        ends.append((c + [dx, 0] - d, c + [dx, 0] + d))
        _capsule(mask, *ends[-1], width)
    return mask.astype(bool), ends


BISECTOR = np.array([[115.0, 100.0], [185.0, 100.0]])  # where the skeleton runs


def _angle(line: np.ndarray) -> float:
    d = line[-1] - line[0]
    return math.degrees(math.atan2(d[1], d[0])) % 180


@pytest.mark.parametrize("angle", [12, 16, 20])
@pytest.mark.parametrize("shift", [0.0, 12.0, 24.0])
def test_a_bow_tie_blob_is_two_stubs_along_its_outer_edges(angle: float, shift: float) -> None:
    mask, ends = _x(angle, shift)
    pair = crossing_pair(BISECTOR + [shift / 2, 0], mask, 12.0)
    assert pair is not None
    got = sorted(_angle(p) for p in pair)
    want = sorted(_angle(np.array(e)) for e in ends)
    assert np.allclose(got, want, atol=2.5)
    for line, (a, b) in zip(sorted(pair, key=_angle), sorted(ends, key=lambda e: _angle(
            np.array(e))), strict=True):
        mid = (a + b) / 2
        assert np.hypot(*(line.mean(axis=0) - mid)) < 4.0


def test_one_stub_a_parallel_pair_or_a_stub_crossed_by_a_thin_hair_is_not_a_bow_tie() -> None:
    one = np.zeros((200, 300), np.uint8)
    _capsule(one, np.array([102.0, 100.0]), np.array([198.0, 100.0]), 12)
    assert crossing_pair(BISECTOR, one.astype(bool), 12.0) is None
    pair = one.copy()
    _capsule(pair, np.array([102.0, 111.0]), np.array([198.0, 111.0]), 12)
    assert crossing_pair(BISECTOR, pair.astype(bool), 12.0) is None
    for angle in (15, 20, 30):  # a thin hair crossing the stub, short or long
        for length in (40, 60, 95):
            d = np.array([math.cos(math.radians(angle)), math.sin(math.radians(angle))])
            thin = one.copy()
            cv2.line(thin, tuple((np.array([150, 100]) - d * length).astype(int)),
                     tuple((np.array([150, 100]) + d * length).astype(int)), 1, 3)
            assert crossing_pair(BISECTOR, thin.astype(bool), 12.0) is None, (angle, length)


@pytest.mark.parametrize("angle", [12, 16, 20])
def test_a_bow_tie_with_a_thin_hair_touching_one_end_is_still_two_stubs(angle: float) -> None:
    # The thin hair lies beside the blob from one end on, widening every row it crosses
    # as if the blob had no waist.
    mask, ends = _x(angle)
    m = mask.astype(np.uint8)
    tip = max((p for e in ends for p in e), key=lambda p: (p[0], -p[1]))
    cv2.line(m, tuple(np.round(tip).astype(int)), tuple(np.round(tip + [-80, -16]).astype(int)),
             1, 3)
    pair = crossing_pair(BISECTOR, m.astype(bool), 12.0)
    assert pair is not None
    want = sorted(_angle(np.array(e)) for e in ends)
    assert np.allclose(sorted(_angle(p) for p in pair), want, atol=2.5)


def test_a_third_shaft_touching_the_crossing_is_left_alone() -> None:
    mask, _ = _x(16)
    m = mask.astype(np.uint8)
    _capsule(m, np.array([110.0, 118.0]), np.array([200.0, 118.0]), 12)
    assert crossing_pair(BISECTOR, m.astype(bool), 12.0) is None


def _stub(cx: float, cy: float, angle: float, length: float = 190,
          width: float = 25) -> tuple[float, float, float, float, float]:
    a = math.radians(angle)
    dx, dy = math.cos(a) * length / 2, math.sin(a) * length / 2
    return (cx - dx, cy - dy, cx + dx, cy + dy, width)


@pytest.mark.parametrize("angle", [12, 18])
def test_two_stubs_crossing_at_a_shallow_angle_are_two_hairs(angle: float) -> None:
    others = [_stub(150, 150, 30), _stub(450, 150, 100), _stub(150, 400, 170),
              _stub(500, 420, 60)]
    img = hair_image((560, 640), [*others, _stub(300, 300, 0), _stub(300, 300, angle)])
    res = analyze_image(img, um_per_px=3.5)
    assert res["hair_count"] == 6
    crossing = [h for h in res["hairs"] if np.hypot(*(np.mean(h["polyline"], axis=0)
                                                      - [300, 300])) < 20]
    assert len(crossing) == 2
    assert all(abs(h["diameter_um"] - 87.5) < 10 for h in crossing)
