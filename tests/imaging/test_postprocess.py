"""Post-processing of traced hairs: width steps, pieces inside a stub, linking, crossings."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from mesohair.imaging import analyze_image
from mesohair.imaging.analyze import (
    _fans,
    _without_bars,
    drop_contained,
    split_bundles,
    unexplained,
)
from mesohair.imaging.chains import Chain, link_fragments, off_one_curve, off_one_curve_many
from mesohair.imaging.graph import (
    _line_fits,
    _skeleton,
    _thin_pieces_linked,
    _two_part_deviation,
    split_at_border_caps,
    split_at_sidestep,
    split_at_width_step,
    trace_hairs,
)
from mesohair.imaging.numeric import circle_fit, densify, flanking_peaks
from mesohair.imaging.width import striped_shafts

from .conftest import hair_image


def _line(x0: float, x1: float, y: float = 20.0) -> np.ndarray:
    xs = np.arange(x0, x1 + 1, dtype=np.float64)
    return np.stack([xs, np.full_like(xs, y)], axis=1)


def test_a_line_whose_width_steps_is_cut_at_the_step() -> None:
    dist = np.zeros((40, 200), np.float32)
    dist[:, :80] = 1.0   # thin hair: width 2
    dist[:, 80:] = 7.0   # thick stub: width 14
    parts = split_at_width_step(_line(5, 190), dist)
    assert len(parts) == 2
    assert abs(parts[0][-1, 0] - 80) <= 6



def test_a_short_thin_tip_touching_a_thick_stub_is_cut_off() -> None:
    # 16 px of a 4 px hair before a 14 px stub: long enough (two of its widths), and
    # measured beyond the stub's rounded end (half the stub's width), not a whole width.
    dist = np.zeros((40, 200), np.float32)
    dist[:, :21] = 2.0
    dist[:, 21:] = 7.0
    parts = split_at_width_step(_line(5, 190), dist)
    assert len(parts) == 2
    assert abs(parts[0][-1, 0] - 21) <= 4

def test_a_line_of_constant_width_is_not_cut() -> None:
    dist = np.full((40, 200), 4.0, np.float32)
    assert len(split_at_width_step(_line(5, 190), dist)) == 1


def test_the_change_point_cost_of_all_cuts_at_once_equals_the_cost_cut_by_cut() -> None:
    rng = np.random.default_rng(3)
    w = rng.uniform(2, 20, 97)
    cuts = np.arange(3, 94, 2)
    slow = [np.abs(w[:c] - np.median(w[:c])).sum() + np.abs(w[c:] - np.median(w[c:])).sum()
            for c in cuts]
    assert np.allclose(_two_part_deviation(w, cuts), slow)


def test_a_short_wide_piece_across_a_stub_is_dropped_but_a_crossing_hair_is_kept() -> None:
    stub = Chain(_line(10, 110, 50), 20.0)
    across = np.array([[60.0, 38.0], [60.0, 62.0]])  # lies inside the stub
    crossing = np.array([[70.0, 0.0], [70.0, 100.0]])  # crosses it
    kept = [(stub, stub.points, True), (Chain(across, 20.0), across, True),
            (Chain(crossing, 18.0), crossing, True)]
    out, widths = drop_contained(kept, [20.0, 20.0, 18.0], 1.0)
    assert len(out) == 2 and widths == [20.0, 18.0]


def test_a_piece_at_the_apex_of_two_stubs_lying_half_in_each_is_dropped() -> None:
    # Two stubs leave one ostium in a V; the skeleton of the merged apex gives a short
    # piece lying partly in one stub and partly in the other, inside neither alone.
    left = np.array([[100.0, 100.0], [40.0, 0.0]])
    right = np.array([[100.0, 100.0], [160.0, 0.0]])
    apex = np.array([[86.0, 77.0], [114.0, 77.0]])  # across the apex, 28 px long
    kept = [(Chain(left, 20.0), left, True), (Chain(right, 20.0), right, True),
            (Chain(apex, 20.0), apex, True)]
    out, _ = drop_contained(kept, [20.0, 20.0, 20.0], 1.0)
    assert len(out) == 2



@pytest.mark.parametrize("image_width, dropped", [(400, True), (232, False)])
def test_a_piece_bridging_a_thick_and_a_thin_stub_end_is_dropped_unless_cut_by_the_frame(
        image_width: int, dropped: bool) -> None:
    # A 40 px stub's end touches a 20 px one's; the skeleton bridges them with a piece
    # 64 px long, the thick one's width: too long to be judged by the thin stub's width,
    # not by its own. A piece ending at the frame is a hair the frame cut short.
    thick, thin = _line(20, 200, 50), _line(215, 380, 100)
    bridge = densify(np.array([[190.0, 50.0], [230.0, 100.0]]), 1.0)
    kept = [(Chain(p, w), p, True) for p, w in ((thick, 40.0), (thin, 20.0), (bridge, 40.0))]
    out, _ = drop_contained(kept, [40.0, 20.0, 40.0], 1.0, (300, image_width))
    assert len(out) == (2 if dropped else 3)

def test_a_thin_hair_touching_the_end_of_a_thick_stub_is_two_hairs() -> None:
    img = hair_image((200, 320), [(20, 100, 140, 100, 3.5), (140, 100, 290, 100, 16.0),
                                  (40, 30, 140, 40, 15.0), (180, 160, 290, 170, 14.0)])
    res = analyze_image(img, um_per_px=5.0)
    assert res["hair_count"] == 4


def test_a_shaft_beside_a_traced_one_that_no_hair_explains_is_added() -> None:
    mask = np.zeros((120, 200), bool)
    mask[40:52, 20:180] = True   # traced stub
    mask[52:64, 30:170] = True   # touching stub beside it, untraced
    mask[90:101, 20:150] = True  # another traced stub
    mask[5:16, 20:150] = True    # and a third
    traced = [np.array([[20.0, 45.5], [179.0, 45.5]]), np.array([[20.0, 95.0], [149.0, 95.0]]),
              np.array([[20.0, 10.0], [149.0, 10.0]])]
    kept = [(Chain(p, 12.0), p, True) for p in traced]
    valid = np.ones_like(mask)
    extra = unexplained(mask, kept, [12.0, 11.0, 11.0], 1.0, valid)
    assert len(extra) == 1
    assert abs(float(extra[0].points[:, 1].mean()) - 58.0) < 3.0
    assert abs(float(np.ptp(extra[0].points[:, 0])) - 140.0) < 20.0
    mask[52:64] = False  # every shaft traced: nothing to add
    assert unexplained(mask, kept, [12.0, 11.0, 11.0], 1.0, valid) == []


def _stub_blob_with_refs(mask: np.ndarray) -> list[tuple[Chain, np.ndarray, bool]]:
    """Two lone traced stubs (12 px wide) that set the typical width."""
    mask[150:162, 20:150] = True
    mask[180:192, 20:150] = True
    refs = [np.array([[20.0, 155.5], [149.0, 155.5]]), np.array([[20.0, 185.5], [149.0, 185.5]])]
    return [(Chain(p, 12.0), p, True) for p in refs]


def _added_rows(mask: np.ndarray, kept: list[tuple[Chain, np.ndarray, bool]],
                traced: np.ndarray) -> list[float]:
    """Rows (mean y) of the hairs :func:`unexplained` adds once ``traced`` (12 px wide)
    is traced too."""
    kept = [*kept, (Chain(traced, 12.0), traced, True)]
    extra = unexplained(mask, kept, [12.0, 12.0, 12.0], 1.0, np.ones_like(mask))
    return sorted(float(c.points[:, 1].mean()) for c in extra)


def test_shafts_on_both_sides_of_a_line_traced_short_are_added() -> None:
    # Three stubs side by side; the skeleton followed the middle one but stopped short of
    # the blob's end, so the shafts on both sides stay joined round its end (a U, no bar).
    mask = np.zeros((210, 220), bool)
    kept = _stub_blob_with_refs(mask)
    mask[30:42, 20:180] = True   # upper stub
    mask[42:54, 20:180] = True   # middle stub, traced from x=50 only
    mask[54:66, 20:180] = True   # lower stub
    rows = _added_rows(mask, kept, np.array([[50.0, 47.5], [179.0, 47.5]]))
    assert len(rows) == 2
    assert abs(rows[0] - 36.0) < 3.0 and abs(rows[1] - 60.0) < 3.0


def test_an_untraced_part_two_shafts_wide_is_two_hairs() -> None:
    mask = np.zeros((210, 220), bool)
    kept = _stub_blob_with_refs(mask)
    mask[30:42, 20:180] = True   # traced stub
    mask[42:66, 25:175] = True   # two stubs beside it, touching, untraced
    rows = _added_rows(mask, kept, np.array([[20.0, 35.5], [179.0, 35.5]]))
    assert len(rows) == 2
    assert abs(rows[0] - 48.0) < 3.0 and abs(rows[1] - 60.0) < 3.0


def test_an_untraced_shaft_left_ragged_by_the_bodies_beside_it_is_one_hair() -> None:
    # Where three stubs leave one ostium the left-over part of the untraced middle one
    # keeps a wedge of the merged root: its rotated box is two shafts wide, its mean
    # width one (two bars used to be laid side by side, one of them beside the shaft).
    mask = np.zeros((210, 220), bool)
    kept = _stub_blob_with_refs(mask)
    mask[30:42, 20:180] = True   # traced stub
    mask[42:56, 25:175] = True   # untraced stub beside it, 14 px
    for x in range(25, 80):      # a wedge under its root end
        mask[56:56 + (80 - x) // 4, x] = True
    rows = _added_rows(mask, kept, np.array([[20.0, 35.5], [179.0, 35.5]]))
    assert len(rows) == 1
    assert abs(rows[0] - 49.0) < 4.0


def test_a_field_of_short_stubs_is_a_stub_field_and_long_or_dense_hair_is_not() -> None:
    from mesohair.imaging.chains import stub_field

    mask = np.zeros((200, 200), bool)
    stubs = [Chain(_line(10, 70, y), 12.0) for y in (20, 60, 100)]
    assert stub_field(stubs, mask)
    assert not stub_field([Chain(_line(0, 199, y), 5.0) for y in (20, 60)], mask)
    mask[:120] = True  # hair covering most of the field: long hair cut into pieces
    assert not stub_field(stubs, mask)
    assert not stub_field([], mask)


def test_a_short_piece_at_the_border_is_a_cut_blob_and_a_stub_inside_is_not() -> None:
    from mesohair.imaging.analyze import _cut_blob

    shape = (100, 200)
    assert _cut_blob(np.array([[100.0, 90.0], [110.0, 98.0]]), 20.0, shape)
    assert not _cut_blob(np.array([[100.0, 40.0], [110.0, 48.0]]), 20.0, shape)
    assert not _cut_blob(np.array([[100.0, 60.0], [100.0, 98.0]]), 20.0, shape)


def test_a_blob_that_widens_from_one_shaft_to_two_fans_from_one_ostium() -> None:
    from mesohair.imaging.analyze import _fans

    dist = np.zeros((60, 200), np.float32)
    dist[:, :100] = 5.0    # one shaft, width 10
    dist[:, 100:] = 9.5    # two touching shafts at the root end
    line = _line(10, 190, 30)
    assert _fans(line, dist, 10.0)
    assert not _fans(line, np.full((60, 200), 5.0, np.float32), 10.0)


def test_two_stubs_meeting_end_to_end_at_a_shallow_angle_are_two_hairs() -> None:
    img = hair_image((240, 360), [(40, 150, 120, 150, 14.0), (120, 150, 190, 113, 14.0),
                                  (30, 30, 110, 45, 13.0), (220, 200, 300, 215, 15.0)])
    res = analyze_image(img, um_per_px=5.0)
    assert res["hair_count"] == 4



@pytest.mark.parametrize("step, parts", [(4.0, 1), (6.0, 1), (8.0, 2), (14.0, 2)])
def test_a_line_stepping_sideways_by_half_a_width_or_more_is_cut_at_the_step(
        step: float, parts: int) -> None:
    # Two straight parts 14 px wide, the second shifted sideways by ``step``.
    line = densify(np.array([[0, 0], [60, 0], [70, step], [140, step]], float), 1.0)
    got = split_at_sidestep(line, 14.0)
    assert len(got) == parts
    if parts == 2:
        assert 55 <= got[0][-1, 0] <= 62 and 67 <= got[1][0, 0] <= 73


def test_a_gently_curved_line_is_not_taken_for_a_sidestep() -> None:
    t = np.linspace(0.0, 0.9, 40)
    arc = densify(np.stack([100 * np.cos(t), 100 * np.sin(t)], axis=1), 1.0)
    assert len(split_at_sidestep(arc, 14.0)) == 1


def test_a_line_longer_than_a_stub_is_not_cut_at_a_sidestep() -> None:
    # The same step in a line 14 widths long: long hair, not two stubs.
    line = densify(np.array([[0, 0], [90, 0], [100, 10.0], [196, 10.0]], float), 1.0)
    assert len(split_at_sidestep(line, 14.0)) == 1


def test_line_fits_over_many_ranges_equal_one_fit_per_range() -> None:
    rng = np.random.default_rng(5)
    s = np.cumsum(rng.uniform(0.5, 1.5, 60))
    o = 0.3 * s + rng.normal(0, 2.0, 60)
    lo, hi = np.array([0, 5, 20]), np.array([30, 60, 41])
    a, b, rms = _line_fits(s, o, lo, hi)
    for i in range(3):
        slope, icpt = np.polyfit(s[lo[i]:hi[i]], o[lo[i]:hi[i]], 1)
        resid = o[lo[i]:hi[i]] - (icpt + slope * s[lo[i]:hi[i]])
        assert np.isclose(a[i], icpt) and np.isclose(b[i], slope)
        assert np.isclose(rms[i], np.sqrt(np.mean(resid ** 2)))


def test_two_stubs_touching_side_by_side_at_their_tips_are_two_hairs() -> None:
    # The skeleton of the merged pair runs along one stub and steps onto the other.
    d = np.array([np.cos(np.radians(-55)), np.sin(np.radians(-55))])
    n = np.array([-d[1], d[0]])
    a0 = np.array([90.0, 220.0])
    b0 = a0 + 80 * d - 12 * n
    stubs = [(*a0, *(a0 + 90 * d), 15.0), (*b0, *(b0 + 90 * d), 15.0)]
    img = hair_image((300, 380), [(30, 30, 110, 45, 13.0), (250, 230, 330, 245, 15.0),
                                  (40, 240, 100, 280, 14.0), (300, 40, 340, 110, 14.0),
                                  *stubs])
    res = analyze_image(img, um_per_px=5.0)
    assert res["hair_count"] == 6
    for x0, y0, x1, y1, _ in stubs:
        mid = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
        assert any(np.hypot(*(densify(h["polyline"]) - mid).T).min() <= 4.0
                   and abs(h["length_px"] - 90) <= 25 for h in res["hairs"])

def _deviation_from_chord(pts: np.ndarray) -> float:
    """Largest distance of a centreline from the straight line through its ends."""
    a, b = pts[0], pts[-1]
    v = (b - a) / max(float(np.hypot(*(b - a))), 1e-9)
    return float(np.abs((pts - a)[:, 0] * v[1] - (pts - a)[:, 1] * v[0]).max())


@pytest.mark.parametrize("gap, angle", [(10, 30), (14, 60), (18, 90), (24, 60)])
def test_two_parallel_hairs_crossed_by_a_third_each_stay_on_their_own_line(
        gap: int, angle: float) -> None:
    # Their junctions merge into one node; the walk across it must follow the pairs
    # chosen by position and direction, not hop to the neighbour's other half.
    mask = np.zeros((240, 320), np.uint8)
    cv2.line(mask, (10, 100), (310, 100), 1, 7)
    cv2.line(mask, (10, 100 + gap), (310, 100 + gap), 1, 7)
    d = 140 * np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
    c = np.array([160.0, 100 + gap / 2])
    cv2.line(mask, tuple(int(v) for v in c - d), tuple(int(v) for v in c + d), 1, 7)
    chains, _ = trace_hairs(mask.astype(bool), 6.0)
    assert len(chains) == 3
    assert all(_deviation_from_chord(ch.points) < 5.0 for ch in chains)


@pytest.mark.parametrize("radius, gap, angle", [(150, 20, 90), (150, 30, 110), (250, 30, 90)])
def test_a_curved_hair_through_a_long_node_stays_one_hair(radius: int, gap: int,
                                                          angle: float) -> None:
    # Two hairs crossing it close together merge their junctions into one long node;
    # across it the curved shaft drifts off its straight tangent but stays on its arc.
    mask = np.zeros((300, 400), np.uint8)
    t = np.radians(np.linspace(200, 340, 200))
    arc = np.stack([200 + radius * np.cos(t), 40 + radius + radius * np.sin(t)], 1)
    cv2.polylines(mask, [arc.round().astype(np.int32).reshape(-1, 1, 2)], False, 1, 9)
    d = 200 * np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
    for off in (-gap / 2, gap / 2):
        p = np.array([200.0 + off, 40.0])
        cv2.line(mask, tuple(int(v) for v in p - d), tuple(int(v) for v in p + d), 1, 5)
    chains, _ = trace_hairs(mask.astype(bool), 6.0)
    assert len(chains) == 3


def _arc(centre: tuple[float, float], radius: float, a0: float, a1: float) -> np.ndarray:
    t = np.radians(np.arange(a0, a1, 0.15))
    return np.stack([centre[0] + radius * np.cos(t), centre[1] + radius * np.sin(t)], 1)


def _covered_by_one_chain(line: np.ndarray, chains: list[Chain], reach: float) -> bool:
    """Does one chain lie along ``line`` (all its points within ``reach``) and cover it?"""
    for ch in chains:
        pts = densify(ch.points)
        on = np.hypot(*(pts[:, None, :] - line[None, :, :]).transpose(2, 0, 1)).min(axis=1)
        covered = np.hypot(*(line[:, None, :] - pts[None, :, :]).transpose(2, 0, 1)).min(axis=1)
        if (on <= reach).all() and (covered <= reach).mean() >= 0.95:
            return True
    return False


def test_pieces_of_one_curved_hair_across_a_wide_gap_are_linked_not_a_piece_pointing_astray(
        ) -> None:
    # A crossing of thick hairs hides the shaft over five of its widths. A piece of another
    # hair starts closer, nearly straight ahead (22 degrees off): it does not continue the
    # curve, the far piece does.
    left, right = _arc((300.0, 450.0), 400.0, 235, 262), _arc((300.0, 450.0), 400.0, 270, 300)
    out = left[-1] - left[-2]
    t = np.radians(-22.0)
    astray = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]) @ (out / np.hypot(*out))
    other = left[-1] + (20.0 + np.arange(150.0))[:, None] * astray
    chains = link_fragments([Chain(left, 11.0), Chain(right, 11.0), Chain(other, 11.0)])
    assert len(chains) == 2
    assert _covered_by_one_chain(_arc((300.0, 450.0), 400.0, 235, 300), chains, 3.0)


def test_ends_of_three_points_in_all_are_never_taken_for_one_curve() -> None:
    # Any three points lie on a parabola and on a circle: they show nothing.
    a, b = np.array([[0.0, 0.0]]), np.array([[5.0, 9.0], [6.0, -7.0]])
    assert off_one_curve(a, b, 3.0) == float("inf")
    assert off_one_curve(a, np.array([[5.0, 9.0], [6.0, -7.0], [9.0, 2.0]]), 3.0) > 1


def test_ends_fitted_together_score_as_each_pair_fitted_alone() -> None:
    # The ends of an image's candidate pairs are fitted in one batch; a pair's score must
    # not depend on the others in it (different lengths, a degenerate pair among them).
    rng = np.random.default_rng(3)
    arc = _arc((300.0, 300.0), 150.0, 0, 40)
    pairs = [(arc[:20], arc[25:]), (_line(0, 30), _line(40, 90, 21.0)),
             (np.array([[0.0, 0.0]]), np.array([[5.0, 9.0], [6.0, -7.0]])),
             (_line(0, 30) + rng.normal(0, 0.3, (31, 2)),
              np.array([40.0, 20.0]) + np.arange(30.0)[:, None] * [0.5, 0.866])]
    widths = np.array([11.0, 6.0, 3.0, 8.0])
    together = off_one_curve_many(pairs, widths)
    alone = [off_one_curve(a, b, w) for (a, b), w in zip(pairs, widths, strict=True)]
    assert together[2] == alone[2] == float("inf")
    np.testing.assert_allclose(together, alone, rtol=1e-9)
    assert together[0] <= 1 < together[3]  # one circle; two lines meeting at 60 degrees


def test_circle_fit_finds_the_circle_an_arc_lies_on() -> None:
    c, r, resid = circle_fit(_arc((40.0, -25.0), 30.0, 10, 120))
    np.testing.assert_allclose(c, [40.0, -25.0], atol=1e-6)
    assert abs(r - 30.0) < 1e-6 and resid < 1e-6


def test_a_sparse_mask_thinned_part_by_part_gives_the_whole_image_skeleton() -> None:
    # Thinning each connected part in its own box must be exactly the whole-image
    # thinning: parts lying inside one another's boxes, touching only diagonally
    # apart by one pixel, and cut by the border included.
    from skimage.morphology import skeletonize

    mask = np.zeros((260, 360), np.uint8)
    cv2.line(mask, (10, 20), (120, 150), 1, 9)
    cv2.line(mask, (20, 140), (60, 110), 1, 7)  # inside the first line's box
    cv2.line(mask, (100, 60), (160, 60), 1, 7)  # from inside that box to outside it
    cv2.circle(mask, (200, 60), 30, 1, 6)
    cv2.rectangle(mask, (185, 45), (215, 75), 1, -1)  # inside the ring's box
    cv2.line(mask, (250, 0), (299, 120), 1, 12)  # cut by the border
    mask[160:170, 230:260] = 1
    mask[171:180, 261:280] = 1  # one pixel apart, diagonally: another part
    assert mask.mean() < 0.1
    whole = np.asarray(skeletonize(mask > 0), np.uint8)
    np.testing.assert_array_equal(_skeleton(mask > 0), whole)


def test_two_halves_of_a_tightly_curved_hair_are_linked_at_its_apex() -> None:
    # Over 15 of its widths on either side a hair curled this tightly is far from any
    # parabola; it is on one circle.
    first = _arc((300.0, 300.0), 150.0, 0, 88)
    second = _arc((300.0, 300.0), 150.0, 92, 180)
    chains = link_fragments([Chain(first, 11.0), Chain(second, 11.0)])
    assert len(chains) == 1
    assert _covered_by_one_chain(_arc((300.0, 300.0), 150.0, 0, 180), chains, 3.0)


def test_pieces_in_line_are_linked_across_a_faint_stretch_but_not_across_bare_skin() -> None:
    # The tip of one hair and the root of the next along the same line are two hairs; a
    # faint stretch of one hair (a third as dark) is not a gap between two.
    first, second = _line(10, 150, 100), _line(216, 360, 100)  # 6 widths apart
    signal = np.zeros((200, 400), np.float32)
    signal[95:106, 10:151] = signal[95:106, 216:361] = 1.0
    pieces = [Chain(first, 11.0), Chain(second, 11.0)]
    assert len(link_fragments(pieces, signal)) == 2
    signal[95:106, 151:216] = 0.3
    assert len(link_fragments(pieces, signal)) == 1


def test_a_thin_hair_is_linked_across_a_thick_hair_crossing_it_at_a_shallow_angle() -> None:
    # Hidden over the thick hair's width (30 px at 25 degrees: 71 px of it), ten of its
    # own widths (3 px) would not reach.
    t = np.radians(25.0)
    u = np.array([np.cos(t), np.sin(t)])
    thick = np.array([200.0, 200.0]) + np.arange(-180.0, 181.0)[:, None] * u
    first, second = _line(10, 164, 200), _line(236, 390, 200)
    others = [Chain(thick + [0.0, dy], 30.0) for dy in (0.0, 150.0, -150.0)]
    signal = np.zeros((400, 400), np.float32)
    signal[198:203, 10:391] = 1.0
    chains = link_fragments([Chain(first, 3.0), Chain(second, 3.0), *others], signal)
    assert len(chains) == 4
    assert _covered_by_one_chain(_line(10, 390, 200), chains, 3.0)


@pytest.mark.parametrize("angle, width", [(8, 11), (12, 15), (16, 15)])
def test_two_thick_hairs_crossing_at_a_shallow_angle_are_two_whole_hairs(
        angle: float, width: int) -> None:
    # Their shared stretch is a long skeleton bridge with two branches at each end; taken
    # as one hair, it joined each half of one shaft to the other half of the other.
    a = _arc((350.0, 1250.0), 1000.0, 250, 290)
    t = np.radians(angle)
    b = (a - [350.0, 250.0]) @ np.array([[np.cos(t), np.sin(t)], [-np.sin(t), np.cos(t)]]) \
        + [350.0, 250.0]
    mask = np.zeros((500, 700), np.uint8)
    cv2.polylines(mask, [h.round().astype(np.int32).reshape(-1, 1, 2) for h in (a, b)], False,
                  1, width)
    chains, _ = trace_hairs(mask.astype(bool), 6.0)
    assert len(chains) == 2
    assert all(_covered_by_one_chain(h, chains, width / 2 + 2) for h in (a, b))


def test_stubs_fanning_in_from_beyond_the_image_edge_are_not_lost() -> None:
    # Cut by the frame they merge into one wide blob whose skeleton is all spurs; it was
    # dropped whole. Kept as (at least) one hair, its width telling how many shafts.
    stubs = [(60, 60, 100, 160, 16), (200, 80, 230, 190, 16), (400, 300, 470, 380, 16),
             (520, 100, 560, 200, 16)]
    fan = [(320, 560, 320 + k * 20, 470, 16) for k in (-1, 0, 1)]
    res = analyze_image(hair_image((512, 640), stubs + fan))
    assert res["hair_count"] >= len(stubs) + 1
    assert any(min(h["polyline"][0][1], h["polyline"][-1][1]) > 440 for h in res["hairs"])


def test_a_stub_cut_lengthwise_by_the_frame_is_one_hair() -> None:
    # Its centreline runs out beyond the right edge, so less and less of its width shows
    # towards the edge: the mask narrows there like a thin hair touching a thick stub's
    # end, but it is one stub and must not be cut in two at the width step.
    stubs = [(60, 60, 100, 160, 24), (200, 80, 230, 190, 24), (400, 300, 470, 380, 24),
             (120, 350, 180, 440, 24)]
    for edge in [(652, 120, 622, 330, 24), (650, 60, 610, 300, 24), (648, 150, 618, 420, 24)]:
        res = analyze_image(hair_image((512, 640), [*stubs, edge]))
        assert res["hair_count"] == len(stubs) + 1, edge


@pytest.mark.parametrize("edge", [(300, -5, 420, -7), (-6, 250, -4, 380), (300, 517, 430, 518),
                                  (645, 200, 646, 330)])
def test_a_stub_cut_lengthwise_by_the_frame_takes_the_typical_width_not_its_slivers(
        edge: tuple[int, int, int, int]) -> None:
    # Its centreline lies just beyond the edge: a band a quarter of its width shows, and
    # the profile across that band read 5-7 px for a 24 px stub.
    stubs = [(60, 60, 100, 160, 24), (200, 80, 230, 190, 24), (400, 300, 470, 380, 24),
             (120, 350, 180, 440, 24)]
    res = analyze_image(hair_image((512, 640), [*stubs, (*edge, 24)]), um_per_px=3.0)
    assert res["hair_count"] == len(stubs) + 1
    assert min(h["width_px"] for h in res["hairs"]) >= 0.8 * 24


def test_a_thin_hair_lying_along_the_frame_inside_it_keeps_its_width() -> None:
    # Wholly inside, a few pixels from the edge: nothing of it is cut, so it is measured.
    stubs = [(60, 60, 100, 160, 24), (200, 80, 230, 190, 24), (400, 300, 470, 380, 24),
             (120, 350, 180, 440, 24)]
    res = analyze_image(hair_image((512, 640), [*stubs, (300, 9, 420, 10, 8)]), um_per_px=3.0)
    thin = [h["width_px"] for h in res["hairs"] if max(p[1] for p in h["polyline"]) < 30]
    assert len(thin) == 1 and thin[0] <= 12


@pytest.mark.parametrize("gap", [1, 5])
@pytest.mark.parametrize("length", [50, 70])
def test_two_short_stubs_side_by_side_are_not_lost(gap: int, length: int) -> None:
    # Merged into one blob about as long as wide, their skeleton is one junction whose
    # node swallows every branch; the pair was dropped whole (4 hairs found of 6).
    stubs = [(60, 60, 100, 160, 24), (200, 80, 230, 190, 24), (400, 300, 470, 380, 24),
             (120, 350, 180, 440, 24)]
    d = 24 + gap
    pair = [(500, 100, 500 + length * 0.6, 100 + length * 0.8, 24),
            (500 + d * 0.8, 100 - d * 0.6, 500 + d * 0.8 + length * 0.6,
             100 - d * 0.6 + length * 0.8, 24)]
    res = analyze_image(hair_image((512, 640), stubs + pair), um_per_px=3.5)
    assert res["hair_count"] == 6
    near = [h for h in res["hairs"]
            if np.hypot(*(np.mean(h["polyline"], axis=0) - [520, 120])) < 60]
    assert len(near) == 2


def test_a_short_hook_at_a_thin_hair_end_is_dropped_but_not_a_stub_or_a_piece_at_its_side(
) -> None:
    from mesohair.imaging.analyze import drop_end_hooks

    hair = _line(100, 300, 100)  # a thin hair, 3 px wide, ending at x = 300
    hook = np.array([[302.0, 94.0], [306.0, 104.0]])  # across the opening at its end
    side = np.array([[200.0, 103.0], [204.0, 112.0]])  # as short, against its side
    stub = np.array([[305.0, 130.0], [345.0, 140.0]])  # a stub beside its end, 10 px wide
    edge = np.array([[2.0, 40.0], [8.0, 44.0]])  # at the image border, by a hair's end
    edge_hair = _line(8, 150, 45)
    long_stub = _line(100, 300, 170)  # a thick stub, and a short one leaving its opening
    short_stub = np.array([[300.0, 172.0], [318.0, 190.0]])  # 25 px long, 10 wide
    kept = [(Chain(p, w), p, True) for p, w in
            [(hair, 3.0), (hook, 4.0), (side, 4.0), (stub, 10.0), (edge, 4.0), (edge_hair, 3.0),
             (long_stub, 10.0), (short_stub, 10.0)]]
    out, widths = drop_end_hooks(kept, [3.0, 4.0, 4.0, 10.0, 4.0, 3.0, 10.0, 10.0], 1.0,
                                 (200, 400))
    assert widths == [3.0, 4.0, 10.0, 4.0, 3.0, 10.0, 10.0]
    assert not any(np.array_equal(k[1], hook) for k in out)


def test_a_hair_measured_alone_with_the_images_psf_reads_as_among_all_hairs() -> None:
    # Stubs split from a shallow crossing are measured on their own; the PSF is the
    # image's (estimated from its widest hairs), not re-estimated from those few.
    from mesohair.imaging.width import measure_widths

    img = hair_image((200, 320), [(20, 40, 300, 40, 4.0), (20, 100, 300, 100, 14.0),
                                  (20, 160, 300, 160, 9.0)])
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).astype(np.float32)
    chains = [Chain(_line(30, 290, y), w) for y, w in ((40, 4.0), (100, 14.0), (160, 9.0))]
    nodes = np.zeros(grey.shape, np.int32)
    every, sigma = measure_widths(grey, chains, nodes, 1.0, False)
    alone, used = measure_widths(grey, chains[:1], nodes, 1.0, False, sigma)
    assert used == sigma
    assert alone[0] == pytest.approx(every[0])
    assert every[0] == pytest.approx(4.0, abs=1.5)


_SINGLES = [(40, 40, 160, 60, 20), (220, 40, 340, 50, 21), (40, 230, 160, 250, 19),
            (230, 240, 350, 250, 20)]


def _bundle(wide: float, thin: float, gap: float) -> list[tuple[float, float, float, float,
                                                               float]]:
    """Two shafts of widths ``wide`` and ``thin`` side by side, ``gap`` px apart."""
    sep = (wide + thin) / 2 + gap
    return [(60, 130.3, 330, 130.3, wide), (60, 130.3 + sep, 330, 130.3 + sep, thin)]


def _bundle_widths(img: np.ndarray) -> list[float]:
    res = analyze_image(img)
    mid = [h for h in res["hairs"] if 110 <= np.asarray(h["polyline"])[:, 1].mean() <= 175]
    return sorted(h["width_px"] for h in mid)


@pytest.mark.parametrize("gap", [1.0, 2.5])
@pytest.mark.parametrize("wide, thin", [(26, 14), (30, 18)])
def test_touching_shafts_of_different_widths_are_each_measured_across_the_gap(
        wide: float, thin: float, gap: float) -> None:
    # Two shafts from one ostium, one wide line to the skeleton; each used to get the
    # image's typical width (20 px here). The gap between them shows where one ends.
    img = hair_image((300, 400), _SINGLES + _bundle(wide, thin, gap))
    got = _bundle_widths(img)
    assert len(got) == 2
    assert got[0] == pytest.approx(thin, abs=2.0)
    assert got[1] == pytest.approx(wide, abs=2.0)


def _with_stripes(img: np.ndarray, hairs: list[tuple[float, float, float, float, float]]
                  ) -> np.ndarray:
    """A bright specular stripe along the middle of each hair (a fifth of its width)."""
    glow = np.zeros(img.shape[:2], np.float32)
    for x0, y0, x1, y1, w in hairs:
        a, b = np.array([x0, y0]), np.array([x1, y1])
        inset = 4 * (b - a) / np.hypot(*(b - a))
        p0, p1 = np.round(a + inset).astype(int), np.round(b - inset).astype(int)
        cv2.line(glow, tuple(p0), tuple(p1), 1.0, max(1, round(0.2 * w)))
    glow = cv2.GaussianBlur(glow, (0, 0), 1.0)
    return np.clip(img + 110.0 * glow[..., None], 0, 255).astype(np.uint8)


def test_a_specular_stripe_along_each_shaft_is_not_taken_for_gaps() -> None:
    # Under non-polarised light every shaft shows a bright stripe along its middle; across
    # two touching shafts the stripes look like gaps, cutting them into three 'shafts'.
    hairs = _SINGLES + _bundle(24, 22, 0.0)
    img = _with_stripes(hair_image((300, 400), hairs), hairs)
    assert len(_bundle_widths(img)) == 2


@pytest.mark.parametrize("plain, striped", [(3, 5), (4, 4), (5, 3), (8, 0), (0, 8)])
def test_shafts_are_judged_striped_when_most_of_eight_show_a_stripe(plain: int,
                                                                  striped: int) -> None:
    # Plain shafts first: the vote may stop early only once the stripes cannot win.
    hairs = [(30.0 + 45 * i, 40.0, 40.0 + 45 * i, 260.0, 20.0) for i in range(8)]
    img = _with_stripes(hair_image((300, 400), hairs), hairs[plain:])
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).astype(np.float32)
    lines = [densify(np.array([[x0, y0], [x1, y1]])) for x0, y0, x1, y1, _ in hairs]
    got = striped_shafts(grey, lines, [20.0] * 8, 1.0, False)
    assert got == (striped > plain)


@pytest.mark.parametrize("gap", [0.0, 2.5])
@pytest.mark.parametrize("angle", [7, 17])
def test_shafts_split_from_a_slanted_bundle_run_straight_without_zigzags(
        angle: float, gap: float) -> None:
    # A slanted skeleton steps pixel by pixel; each shaft used to be that line shifted
    # along its pixel-step normals, doubling back on itself at every step.
    t = np.radians(angle)
    along, across = np.array([np.cos(t), np.sin(t)]), np.array([-np.sin(t), np.cos(t)])
    a = np.array([80.0, 110.0])
    b = a + (22 + gap) * across
    hairs = _SINGLES + [(*a, *(a + 230 * along), 22), (*b, *(b + 230 * along), 22)]
    res = analyze_image(hair_image((300, 400), hairs))
    assert res["hair_count"] == 6
    for hair in res["hairs"]:
        step = np.diff(np.asarray(hair["polyline"]), axis=0)
        assert (np.einsum("ij,ij->i", step[:-1], step[1:]) > 0).all()


@pytest.mark.parametrize("wide, thin, root_offset, far_gap",
                         [(26, 16, 2, 4), (24, 14, 0, 3), (24, 16, 4, 3), (22, 18, 4, 3)])
def test_two_shafts_parting_along_part_of_their_length_are_two_hairs_each_measured(
        wide: float, thin: float, root_offset: float, far_gap: float) -> None:
    # Two stubs from one ostium, one over the other at the root and parting towards
    # their cut ends: the gap shows along only part of the line, which was taken as one
    # hair (no wider than a bundle) or split into two of the typical width (21 px).
    far = (wide + thin) / 2 + far_gap
    hairs = _SINGLES + [(60, 130, 330, 130, wide), (60, 130 + root_offset, 330, 130 + far, thin)]
    got = _bundle_widths(hair_image((300, 400), hairs))
    assert len(got) == 2
    assert got[0] == pytest.approx(thin, abs=2.0)
    assert got[1] == pytest.approx(wide, abs=2.0)


def test_a_wide_shaft_with_a_stripe_along_part_of_it_is_one_hair() -> None:
    # A dip along part of one shaft looks like a gap there, but the shaft is no wider
    # at the 'gap' than elsewhere, as two parting shafts would be.
    shaft = (60, 140.3, 330, 140.3, 30)
    stripe = (200, 140.3, 330, 140.3, 12)  # a stripe 2 px wide along the last half
    img = _with_stripes(hair_image((300, 400), _SINGLES + [shaft]), [stripe])
    assert _bundle_widths(img) == [pytest.approx(30, abs=2.5)]


def test_a_line_whose_widening_is_an_untraced_shaft_already_found_is_not_fanning() -> None:
    # The skeleton of two stubs touching along half their length runs between them
    # there; the second stub's body, left over, is taken as a hair of its own, and the
    # widening must not also make the traced line two shafts fanning from one ostium.
    mask = np.zeros((120, 220), bool)
    mask[40:60, 10:210] = True
    mask[60:80, 100:210] = True
    pts = np.array([[x, 50.0 if x < 100 else 60.0] for x in range(12, 208)], np.float64)
    dist = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 3)
    assert _fans(pts, dist, 20.0)
    bar = Chain(np.array([[102.0, 70.0], [208.0, 70.0]]), 20.0)
    dist = cv2.distanceTransform(_without_bars(mask, [bar]), cv2.DIST_L2, 3)
    assert not _fans(pts, dist, 20.0)


def test_a_bundle_whose_width_was_read_too_wide_is_not_spread_onto_bare_skin() -> None:
    # A V of two stubs read 70 px wide (its mask is 24): split evenly, shafts would lie
    # on bare skin either side; the mask's own width is taken instead.
    mask = np.zeros((120, 300), bool)
    mask[48:72, 20:280] = True
    dist = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 3)
    lines = [_line(20, 280, y) for y in (10.0, 100.0, 110.0)] + [_line(22, 278, 60.0)]
    kept = [(Chain(p, 20.0), p, True) for p in lines]
    out, widths = split_bundles(kept, [20.0, 20.0, 20.0, 70.0], 1.0, None, mask.shape, dist)
    assert len(out) == 4 and widths[3] == pytest.approx(24.0, abs=1.5)
    assert np.allclose(out[3][1][:, 1], 60.0)


def test_a_hair_beside_a_line_read_too_wide_is_not_taken_for_a_second_shaft() -> None:
    # The profiles across a line whose width was read 70 px (it is 20) reach the hair
    # 40 px below it: that run is the hair already traced there, not a shaft of a bundle.
    hairs = [(20, 60, 280, 60, 20.0), (20, 100, 280, 100, 20.0),
             (20, 180, 280, 180, 20.0), (20, 230, 280, 230, 20.0)]
    img = hair_image((260, 300), hairs)
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).astype(np.float32)
    lines = [_line(22, 278, y) for y in (60.0, 100.0, 180.0, 230.0)]
    kept = [(Chain(p, 20.0), p, True) for p in lines]
    mask = grey < 150
    dist = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 3)
    out, widths = split_bundles(kept, [70.0, 20.0, 20.0, 20.0], 1.0, None, mask.shape, dist,
                                grey)
    assert len(out) == 4
    assert np.abs(out[0][1][:, 1] - 60.0).max() <= 2.0
    assert widths[0] == pytest.approx(20.0, abs=3.0)


PALE_K = 0.06
"""Absorption of a thinly pigmented shaft: about 40 % of the dark shafts' opacity."""


@pytest.mark.parametrize("side", [-1, 1])
@pytest.mark.parametrize("thin", [7.0, 10.0])
def test_a_pale_thin_shaft_lying_against_a_dark_one_is_a_second_hair_each_measured(
        side: int, thin: float) -> None:
    # A vellus shaft from the ostium of a terminal one lies against it with no gap: one
    # blob, one skeleton line, one width (the two together), and the pale hair was lost.
    # Across the pair the profile steps down to the pale shaft's level before the skin.
    wide = 24.0
    y = 130.3 + side * (wide + thin) / 2
    hairs = [*_SINGLES, (60, 130.3, 330, 130.3, wide), (60, y, 330, y, thin, PALE_K)]
    got = _bundle_widths(hair_image((300, 400), hairs))
    assert len(got) == 2
    assert got[0] == pytest.approx(thin, abs=2.5)
    assert got[1] == pytest.approx(wide, abs=2.5)


def test_the_blurred_edge_of_a_dark_shaft_is_not_a_pale_shaft_beside_it() -> None:
    # Blur spreads each edge over a few pixels at levels between skin and shaft; that
    # ramp is not a plateau, and the shaft stays one hair of its own width.
    img = hair_image((300, 400), [*_SINGLES, (60, 130.3, 330, 130.3, 24.0)], blur=2.5)
    assert _bundle_widths(img) == [pytest.approx(24.0, abs=2.5)]


def test_darker_skin_round_the_root_of_a_dark_shaft_is_not_a_pale_shaft_beside_it() -> None:
    # An ostium is a darker ring of skin round the root: a step down on both sides of
    # the shaft along its last stretch, not a second shaft lying against one side.
    img = hair_image((300, 400), [*_SINGLES, (60, 130.3, 330, 130.3, 24.0)]).astype(float)
    yy, xx = np.mgrid[:300, :400]
    ring = np.exp(-((xx - 300.0) ** 2 / (2 * 90.0**2) + (yy - 130.3) ** 2 / (2 * 14.0**2)))
    img = np.clip(img * (1 - 0.4 * ring[..., None]), 0, 255).astype(np.uint8)
    assert _bundle_widths(img) == [pytest.approx(24.0, abs=3.0)]


def _stub_field_with_thin_line(gaps: list[tuple[int, int]]) -> np.ndarray:
    """A working-resolution mask of five thick stubs (12 px) and a thin line (2 px) from
    x = 100 to 420 at y = 330, cleared over the x ranges ``gaps``."""
    mask = np.zeros((400, 520), np.uint8)
    for x0, y0, x1, y1 in [(40, 40, 90, 110), (200, 30, 240, 110), (330, 60, 400, 110),
                           (60, 180, 120, 250), (300, 170, 360, 240)]:
        cv2.line(mask, (x0, y0), (x1, y1), 1, 12)
    cv2.line(mask, (100, 330), (420, 330), 1, 2)
    for a, b in gaps:
        mask[320:341, a:b] = 0
    return mask.astype(bool)


def _thin_lines(chains: list[Chain]) -> list[Chain]:
    return [c for c in chains if c.points[:, 1].min() > 300]


def test_pieces_of_a_thin_stub_broken_by_short_gaps_are_one_hair() -> None:
    # A vellus stub is one or two working pixels wide: noise breaks its mask into pieces
    # (three 12 um stubs of 24 development scalps were counted as two to four hairs).
    mask = _stub_field_with_thin_line([(180, 183), (300, 302)])
    chains, _ = trace_hairs(mask, 6.0, mask.astype(np.float32))
    thin = _thin_lines(chains)
    assert len(thin) == 1
    assert _covered_by_one_chain(_line(100, 420, 330), thin, 2.0)


def test_thin_stubs_in_line_across_bare_skin_wider_than_a_stub_stay_two() -> None:
    mask = _stub_field_with_thin_line([(240, 270)])
    chains, _ = trace_hairs(mask, 6.0, mask.astype(np.float32))
    assert len(_thin_lines(chains)) == 2


def _caps_at_left_edge(centres: list[int], shape: tuple[int, int] = (240, 200),
                       radius: int = 9) -> np.ndarray:
    """Mask of stub ends poking in from beyond the left edge: discs centred 4 px
    outside it (only their rounded caps show)."""
    mask = np.zeros(shape, np.uint8)
    for y in centres:
        cv2.circle(mask, (-4, y), radius, 1, -1)
    return mask.astype(bool)


def test_a_line_along_the_border_across_two_stub_ends_is_cut_between_them() -> None:
    mask = _caps_at_left_edge([100, 116])
    line = np.array([[1.0, 92.0], [1.0, 124.0]])
    parts = split_at_border_caps(line, mask, 12.0)
    assert len(parts) == 2
    cut = (parts[0][:, 1].max() + parts[1][:, 1].min()) / 2
    assert abs(cut - 108) <= 2


def test_a_stub_cut_lengthwise_by_the_frame_is_not_cut_as_stub_ends() -> None:
    mask = np.zeros((240, 200), bool)
    mask[60:160, :11] = True
    mask[95:105, 6:11] = False  # a nick in its edge, not a notch between two ends
    assert len(split_at_border_caps(np.array([[4.0, 60.0], [4.0, 159.0]]), mask, 11.0)) == 1


def test_stub_ends_poking_in_side_by_side_from_beyond_the_frame_are_each_a_hair() -> None:
    mask = _stub_field_with_thin_line([(100, 421)]) | _caps_at_left_edge([150, 166], (400, 520))
    chains, _ = trace_hairs(mask, 6.0, mask.astype(np.float32))
    at_edge = [c for c in chains if c.points[:, 0].max() < 12]
    assert len(at_edge) == 2


def test_flanking_peaks_are_the_lower_of_the_highest_values_either_side() -> None:
    got = flanking_peaks([3.0, 1.0, 5.0, 2.0, 4.0])
    assert got.tolist() == [-np.inf, 3.0, 3.0, 4.0, -np.inf]


def test_pieces_are_not_linked_across_a_gap_longer_than_the_largest_allowed() -> None:
    first, second = _line(10, 150, 100), _line(216, 360, 100)  # 65 px apart
    signal = np.zeros((200, 400), np.float32)
    signal[95:106, 10:361] = 1.0
    pieces = [Chain(first, 11.0), Chain(second, 11.0)]
    assert len(link_fragments(pieces, signal)) == 1
    assert len(link_fragments(pieces, signal, max_gap=60.0)) == 2


def test_thin_slivers_along_the_frame_are_not_linked_as_a_thin_stub() -> None:
    # Slivers of stubs cut lengthwise by the frame are thin and lie in line: two hairs.
    mask = _stub_field_with_thin_line([(100, 421)])
    mask[150:230, :2] = True
    mask[236:320, :2] = True
    chains, _ = trace_hairs(mask, 6.0, mask.astype(np.float32))
    assert len([c for c in chains if c.points[:, 0].max() < 6]) == 2


def test_a_line_turning_back_along_the_border_is_not_cut_as_stub_ends() -> None:
    mask = _caps_at_left_edge([100, 116])
    line = np.array([[1.0, 92.0], [1.0, 124.0], [3.0, 104.0]])
    assert len(split_at_border_caps(line, mask, 12.0)) == 1


def test_a_line_reading_thin_only_at_its_median_is_not_linked_as_a_thin_stub() -> None:
    # A line traced along a thick stub's edge for most of its length and then into its
    # middle reads thin at its median width; linked to the thin hair ending beside it, it
    # made one line of the two hairs (real-set proxy, 3.5 um/px).
    mask = np.zeros((300, 300), np.uint8)
    cv2.line(mask, (10, 100), (100, 100), 1, 2)
    mask[99:124, 104:162] = 1  # the stub's top edge runs along y = 100
    mask[60:140, 162:201] = 1  # and here the line runs through its middle
    dist = cv2.distanceTransform(mask, cv2.DIST_L2, 5)
    thin = Chain(_line(10, 100, 100), 2.0)
    along_edge = Chain(_line(104, 200, 100), 3.0)
    stubs = [Chain(_line(20, 80, y), 24.0) for y in (200, 240, 280)]
    chains = _thin_pieces_linked([thin, along_edge, *stubs], None, dist)
    assert len(chains) == 5
