"""Invariants of analyze_image on small synthetic images (scikit-image style)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesohair.imaging import PhantomParams, analyze_image, render_phantom
from mesohair.imaging.detect import grey_hair_darkened, hair_luminance
from mesohair.imaging.numeric import densify
from mesohair.imaging.phantom import Hair, _hair_opacity

from .conftest import hair_image

GREY = (150.0, 148.0, 146.0)
"""The phantom's grey hair colour."""

SHAPE = (240, 320)
THREE = [(40, 40, 120, 200, 10), (170, 30, 290, 90, 6), (200, 150, 280, 220, 14)]


def test_an_image_without_hair_has_no_hairs() -> None:
    res = analyze_image(hair_image(SHAPE, []), um_per_px=4.0)
    assert res["hair_count"] == 0
    assert res["frame_count"] == 0
    assert res["hairs"] == []
    assert res["diameter_um"] is None


def test_a_uniform_black_or_white_image_has_no_hairs() -> None:
    for value in (0, 255):
        res = analyze_image(np.full((*SHAPE, 3), value, np.uint8))
        assert res["hair_count"] == 0


@pytest.mark.parametrize("width", [5.0, 10.0, 16.0])
def test_it_counts_a_single_straight_hair_once_and_measures_its_width(width: float) -> None:
    img = hair_image(SHAPE, [(60, 50, 260, 190, width)])
    res = analyze_image(img, um_per_px=5.0)
    assert res["hair_count"] == 1
    hair = res["hairs"][0]
    assert hair["width_px"] == pytest.approx(width, abs=max(1.0, 0.1 * width))
    assert hair["diameter_um"] == pytest.approx(5.0 * width, abs=max(5.0, 0.1 * 5 * width))
    assert hair["length_px"] > 0.8 * np.hypot(200, 140)


def test_the_width_estimate_does_not_depend_on_blur() -> None:
    sharp = analyze_image(hair_image(SHAPE, [(60, 50, 260, 190, 8.0)], blur=0.6))
    blurred = analyze_image(hair_image(SHAPE, [(60, 50, 260, 190, 8.0)], blur=2.5))
    assert blurred["hairs"][0]["width_px"] == pytest.approx(sharp["hairs"][0]["width_px"], abs=1.2)


@settings(max_examples=12, deadline=None)
@given(angle=st.floats(0, 180), width=st.floats(4.0, 14.0))
def test_a_straight_hair_at_any_angle_is_one_hair(angle: float, width: float) -> None:
    c, r = np.array([160.0, 120.0]), 90.0
    d = r * np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
    img = hair_image(SHAPE, [(*(c - d), *(c + d), width)])
    assert analyze_image(img)["hair_count"] == 1


def test_rotating_or_flipping_the_image_does_not_change_the_count() -> None:
    img = hair_image(SHAPE, THREE)
    base = analyze_image(img)["hair_count"]
    assert base == 3
    for variant in (np.rot90(img), np.rot90(img, 2), img[:, ::-1], img[::-1]):
        assert analyze_image(np.ascontiguousarray(variant))["hair_count"] == base


@pytest.mark.parametrize("angle", [90, 60, 40])
def test_two_crossing_hairs_are_two_hairs(angle: float) -> None:
    t = np.radians(angle)
    a = (40, 120, 280, 120, 9)
    d = 110 * np.array([np.cos(t), np.sin(t)])
    b = (160 - d[0], 120 - d[1], 160 + d[0], 120 + d[1], 9)
    res = analyze_image(hair_image(SHAPE, [a, b]))
    assert res["hair_count"] == 2


def _caption(img: np.ndarray) -> np.ndarray:
    bgr = np.ascontiguousarray(img[..., ::-1])
    org = (10, SHAPE[0] - 12)
    for colour, thick in (((0, 0, 0), 4), ((255, 255, 255), 1)):
        cv2.putText(bgr, "70x 2026-11-23 ID 0042", org, cv2.FONT_HERSHEY_SIMPLEX, 0.6,
                    colour, thick, cv2.LINE_AA)
    return np.ascontiguousarray(bgr[..., ::-1])


def test_an_overlay_text_band_is_ignored() -> None:
    empty = analyze_image(_caption(hair_image(SHAPE, [])), um_per_px=4.0)
    assert empty["hair_count"] == 0
    one = analyze_image(_caption(hair_image(SHAPE, [(60, 30, 250, 150, 10)])), um_per_px=4.0)
    assert one["hair_count"] == 1
    full_area = SHAPE[0] * SHAPE[1] * (4.0e-4) ** 2
    assert one["valid_area_cm2"] < 0.97 * full_area


@pytest.mark.parametrize("scale, thick", [(0.5, 1), (0.9, 2)])
def test_a_black_caption_is_ignored(scale: float, thick: int) -> None:
    # Black letters are thin near-black strokes with skin right beside them; a dark
    # hair's near-black core is flanked by more hair. Found by their layout as text.
    def caption(rgb: np.ndarray) -> np.ndarray:
        bgr = np.ascontiguousarray(rgb[..., ::-1]).copy()
        cv2.putText(bgr, "2026/11/23 10:32 70x ID 0042", (12, 24), cv2.FONT_HERSHEY_SIMPLEX,
                    scale, (0, 0, 0), thick, cv2.LINE_AA)
        return np.ascontiguousarray(bgr[..., ::-1])

    shape = (512, 640)
    assert analyze_image(caption(hair_image(shape, [])))["hair_count"] == 0
    black_hairs = hair_image(shape, [(60, 120, 300, 400, 12), (400, 100, 420, 300, 5)],
                             colour=(8.0, 6.0, 5.0), k=1.5)  # near-black cores, like ink
    assert analyze_image(caption(black_hairs))["hair_count"] == 2


def _vignetted(rgb: np.ndarray, strength: float) -> np.ndarray:
    """Darken towards the corners by ``strength`` (the corners keep 1 - strength)."""
    h, w = rgb.shape[:2]
    y, x = np.mgrid[0:h, 0:w]
    r2 = ((x - w / 2) / (w / 2)) ** 2 + ((y - h / 2) / (h / 2)) ** 2
    return np.clip(rgb * (1 - strength * r2 / 2)[..., None], 0, 255).astype(np.uint8)


def _bottom_caption(rgb: np.ndarray) -> np.ndarray:
    """A large device caption near the bottom-left corner, as dermatoscopes burn in."""
    bgr = np.ascontiguousarray(rgb[..., ::-1]).copy()
    for colour, thick in (((0, 0, 0), 4), ((255, 255, 255), 2)):
        cv2.putText(bgr, "70x 2026-11-23 ID 0042", (10, rgb.shape[0] - 12),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.9, colour, thick, cv2.LINE_AA)
    return np.ascontiguousarray(bgr[..., ::-1])


@pytest.mark.parametrize("strength", [0.3, 0.7])
def test_dark_corners_and_a_caption_at_the_edge_are_not_hairs(strength: float) -> None:
    # A closing whose kernel spans a steep vignetting gradient, or reaches white caption
    # letters, reads the skin beside them as hair: corners and captions gave false hairs.
    shape = (512, 640)
    empty = _bottom_caption(_vignetted(hair_image(shape, []), strength))
    assert analyze_image(empty)["hair_count"] == 0
    one = _bottom_caption(_vignetted(hair_image(shape, [(20, 20, 140, 160, 14)]), strength))
    assert analyze_image(one)["hair_count"] == 1


def test_without_calibration_micrometre_values_are_null() -> None:
    res = analyze_image(hair_image(SHAPE, THREE))
    for key in ("um_per_px", "valid_area_cm2", "density_per_cm2", "diameter_um",
                "vellus_count", "terminal_count", "vellus_fraction"):
        assert res[key] is None
    assert all(h["diameter_um"] is None and h["class"] is None for h in res["hairs"])
    assert all(h["width_px"] > 0 for h in res["hairs"])


def test_the_vellus_threshold_decides_the_class() -> None:
    img = hair_image(SHAPE, [(60, 50, 260, 190, 9.0)])  # 9 px x 4 um = 36 um
    assert analyze_image(img, um_per_px=4.0)["hairs"][0]["class"] == "vellus"
    assert analyze_image(img, um_per_px=4.0, vellus_threshold_um=30)["hairs"][0]["class"] == (
        "terminal")


def test_density_is_frame_count_over_valid_area() -> None:
    res = analyze_image(hair_image(SHAPE, THREE), um_per_px=4.0)
    assert res["density_per_cm2"] == pytest.approx(
        res["frame_count"] / res["valid_area_cm2"], rel=1e-3)


def test_a_light_hair_on_dark_skin_is_counted() -> None:
    img = hair_image(SHAPE, [(60, 50, 260, 190, 8.0)], skin=(90, 62, 48),
                     colour=(215, 205, 195), k=0.3)
    assert analyze_image(img)["hair_count"] == 1


def test_the_output_has_the_contract_keys_and_plain_types() -> None:
    import json

    res = analyze_image(hair_image(SHAPE, THREE), um_per_px=4.0)
    assert list(res) == ["image", "width_px", "height_px", "um_per_px", "valid_area_cm2",
                         "hair_count", "frame_count", "density_per_cm2", "diameter_um",
                         "vellus_threshold_um", "vellus_count", "terminal_count",
                         "vellus_fraction", "hairs", "quality", "elapsed_ms"]
    assert set(res["hairs"][0]) == {"id", "root", "polyline", "length_px", "width_px",
                                    "diameter_um", "class"}
    assert set(res["quality"]) == {"focus", "glare_fraction", "warnings"}
    json.dumps(res, allow_nan=False)


def test_invalid_parameters_are_refused() -> None:
    img = hair_image(SHAPE, [])
    with pytest.raises(ValueError, match="um_per_px"):
        analyze_image(img, um_per_px=-1.0)
    with pytest.raises(ValueError, match="vellus_threshold_um"):
        analyze_image(img, vellus_threshold_um=0.0)


def test_a_black_field_stop_is_excluded_from_the_valid_area() -> None:
    img = hair_image(SHAPE, [(80, 60, 240, 180, 10)])
    yy, xx = np.mgrid[0:SHAPE[0], 0:SHAPE[1]]
    outside = (xx - 160) ** 2 + (yy - 120) ** 2 > 115**2
    img[outside] = 0
    res = analyze_image(img, um_per_px=4.0)
    full = SHAPE[0] * SHAPE[1] * (4.0e-4) ** 2
    assert res["hair_count"] == 1
    assert res["valid_area_cm2"] < 0.9 * full


def test_glare_is_reported_and_masked() -> None:
    img = hair_image(SHAPE, [(40, 40, 120, 200, 10)])
    cv2.circle(img, (230, 120), 30, (255, 255, 255), -1)
    res = analyze_image(img, um_per_px=4.0)
    assert res["quality"]["glare_fraction"] > 0.02
    assert res["hair_count"] == 1


def test_tightly_curled_hairs_are_counted_once_each() -> None:
    # A smooth coil turns more than the kink limit over a few widths; before, each
    # curl was cut into a dozen "hairs" (5 coils read as 23-30).
    shape = (480, 640)
    img = hair_image(shape, []).astype(np.float32)
    line = np.zeros(shape, np.float32)
    coils = [(120, 120, 40, 0, 220), (320, 130, 35, 90, 300), (520, 120, 45, -60, 160),
             (200, 330, 30, 30, 250), (450, 340, 40, 180, 400)]
    for cx, cy, r, a0, a1 in coils:
        t = np.radians(np.linspace(a0, a1, 300))
        arc = np.stack([cx + r * np.cos(t), cy + r * np.sin(t)], axis=1)
        cv2.polylines(line, [arc.round().astype(np.int32).reshape(-1, 1, 2)], False, 1.0, 6,
                      cv2.LINE_AA)
    a = cv2.GaussianBlur(line, (0, 0), 1.0)[..., None]
    out = img * (1 - a) + np.array((45, 32, 26), np.float32) * a
    res = analyze_image(np.clip(out, 0, 255).astype(np.uint8), um_per_px=3.5)
    assert res["hair_count"] == len(coils)


def test_the_rim_of_a_round_field_stop_is_not_taken_for_hairs() -> None:
    # The black corners of a round field stop, thin where the circle meets the image edge,
    # were shaved off the border mask by its opening and their dark rim traced as lines
    # running along the circle (3-4 an image on clipped phantoms).
    params = PhantomParams(width_px=1280, height_px=1024, um_per_px=2.5, clipped=True,
                           fu_per_cm2=80.0, field_stop=True)
    h, w = params.height_px, params.width_px
    for seed in (11, 12, 16):
        ph = render_phantom(params, seed, 0)
        res = analyze_image(ph.image)
        for hair in res["hairs"]:
            p = densify(hair["polyline"])
            r2 = ((p[:, 0] - w / 2) ** 2 + (p[:, 1] - h / 2) ** 2) / ((w / 2) ** 2 + (h / 2) ** 2)
            assert np.mean(r2 > 0.78) < 0.8, (seed, hair["polyline"])
        # hairs are not lost with the rim: within 3 (seed 12 reads a touching pair well
        # inside the field, at (780, 970), as one hair: 22 of 25)
        assert abs(res["hair_count"] - ph.truth["hair_count"]) <= 3


@pytest.mark.parametrize("length", [40, 90])
def test_a_grey_stub_among_dark_ones_is_counted_by_its_colour(length: int) -> None:
    # Fully grey, it is 0.2 darker than the skin in luminance (log), below the seed
    # threshold: it was not found at all. In red it is 0.36 darker.
    stubs = [(60, 60, 100, 160, 22), (560, 60, 600, 170, 22), (60, 400, 160, 440, 22),
             (480, 420, 590, 460, 22)]
    img = hair_image((512, 640), stubs, blur=0.01, noise=0.0).astype(np.float32)
    pts = np.array([[300.0, 240.0], [300 + length * 0.8, 240 + length * 0.6]])
    box, od = _hair_opacity(Hair(pts, 24, 24, 0.3, GREY, 0), pts, (512, 640), 1.0)
    t = np.exp(-od)[..., None]
    img[box] = img[box] * t + np.array(GREY, np.float32) * (1 - t)
    img = cv2.GaussianBlur(img, (0, 0), 0.8) + np.random.default_rng(0).normal(0, 1.5, img.shape)
    res = analyze_image(np.clip(img, 0, 255).astype(np.uint8))
    assert res["hair_count"] == len(stubs) + 1
    grey = [h for h in res["hairs"] if np.hypot(*(np.mean(h["polyline"], axis=0) - pts.mean(0)))
            < 10]
    assert len(grey) == 1


def test_only_grey_hair_is_darkened_by_its_colour() -> None:
    # A grey shaft takes the red out of the skin's colour and is darkened; a dark
    # shaft and the skin's own texture and shading are left as they were.
    rgb = hair_image((400, 400), [(60, 60, 100, 160, 22)]).astype(np.float32)
    pts = np.array([[120.0, 300.0], [200.0, 320.0]])
    box, od = _hair_opacity(Hair(pts, 24, 24, 0.3, GREY, 0), pts, (400, 400), 1.0)
    t = np.exp(-od)[..., None]
    rgb[box] = rgb[box] * t + np.array(GREY, np.float32) * (1 - t)
    yy, xx = np.mgrid[0:400, 0:400].astype(np.float32)
    rgb *= (1 - 0.3 * ((xx - 200) ** 2 + (yy - 200) ** 2) / 200**2)[..., None]  # vignetting
    rgb = np.clip(rgb, 0, 255).astype(np.uint8)
    grey = hair_luminance(rgb)
    deeper = grey - grey_hair_darkened(rgb, grey)
    assert deeper[310, 160] > 15  # the grey shaft's middle
    assert deeper[110, 80] < 1.0  # the dark shaft's middle
    skin = np.ones((400, 400), bool)
    skin[30:190, 40:120] = skin[270:350, 100:220] = False
    assert np.percentile(deeper[skin], 99) < 1.0
