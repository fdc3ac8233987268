"""Calibration from an image of a stage micrometer or ruler (``mesohair calibrate``)."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import pytest

from mesohair.imaging.calibrate import CalibrationError, calibrate
from mesohair.imaging.phantom import PhantomParams, render_phantom, render_scale


def stage_micrometer(um_per_px: float, spacing_um: float, **kw: Any) -> np.ndarray:
    """A stage micrometer 640 px wide unless ``shape`` says otherwise."""
    return render_scale(um_per_px, spacing_um, **{"shape": (512, 640), **kw})


@pytest.mark.parametrize("angle", [0.0, 33.0, 90.0])
def test_a_stage_micrometer_with_numbered_longer_ticks_gives_its_scale(angle: float) -> None:
    # 10 um divisions 6.7 px apart; the band of ticks, the longer ticks and the numbers
    # were stronger spectral peaks than the graduations (only 1-3 lines were found).
    res = calibrate(stage_micrometer(1.5, 10.0, angle_deg=angle), spacing_um=10.0)
    assert res["um_per_px"] == pytest.approx(1.5, rel=0.005)
    assert res["lines_found"] >= 50


def test_a_ruler_with_few_wide_apart_ticks_gives_its_scale() -> None:
    res = calibrate(stage_micrometer(3.5, 250.0, line_um=15.0), spacing_um=250.0)
    assert res["um_per_px"] == pytest.approx(3.5, rel=0.005)


def test_faint_blurred_graduations_are_found_between_the_longer_ticks() -> None:
    img = stage_micrometer(1.5, 10.0, blur_px=2.5)
    assert calibrate(img, spacing_um=10.0)["um_per_px"] == pytest.approx(1.5, rel=0.005)


def test_graduations_too_fine_to_resolve_are_refused_not_taken_from_the_longer_ticks() -> None:
    # 10 um at 3.5 um/px is 2.9 px: only every 5th (longer) tick is resolved, and taking
    # those for the graduations would report a scale five times too fine.
    with pytest.raises(CalibrationError, match="finer"):
        calibrate(stage_micrometer(3.5, 10.0), spacing_um=10.0)


@pytest.mark.parametrize("params,seed", [({"clipped": True, "fu_per_cm2": 150.0}, 1),
                                         ({"fu_per_cm2": 150.0}, 10),
                                         ({"clipped": True, "um_per_px": 2.5}, 1)])
def test_a_scalp_image_is_not_taken_for_a_scale(params: dict[str, Any], seed: int) -> None:
    # Hairs lying side by side can form a short regular run of lines; the first of these
    # images gave 0.56 um/px, the others a scale under the first rules for few lines.
    ph = render_phantom(PhantomParams(**{"width_px": 1280, "height_px": 1024,
                                         "um_per_px": 3.5, **params}), seed, 0)
    with pytest.raises(CalibrationError):
        calibrate(ph.image, spacing_um=100.0)


def test_an_image_wider_than_the_reduced_spectrum_gives_its_scale() -> None:
    # Spectra are taken of images reduced to 2048 px; the period read off one was
    # scaled the wrong way (0.79 times too short for a 2600 px image: nothing found).
    img = stage_micrometer(1.5, 10.0, shape=(700, 2600), angle_deg=20.0)
    assert calibrate(img, spacing_um=10.0)["um_per_px"] == pytest.approx(1.5, rel=0.005)


def test_a_scale_seen_through_a_round_field_stop_with_a_caption_gives_its_scale() -> None:
    # The black corners' edge was the strongest pattern in the spectrum and hid the
    # graduations' peak (1 line found at 45 degrees).
    img = stage_micrometer(3.5, 100.0, shape=(1024, 1280), angle_deg=45.0).copy()
    yy, xx = np.mgrid[0:1024, 0:1280]
    img[np.hypot(yy - 512, xx - 640) > 600] = 0
    cv2.putText(img, "70x 2026-11-21 ID 00123", (300, 990), cv2.FONT_HERSHEY_SIMPLEX, 1.2,
                (255, 255, 255), 2)
    img = cv2.imdecode(cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 80])[1], 1)
    assert calibrate(img, spacing_um=100.0)["um_per_px"] == pytest.approx(3.5, rel=0.005)


def test_a_blurred_micrometer_showing_only_its_longer_ticks_is_refused() -> None:
    # Blur (2 px) wipes out 10 um lines 4 px apart; the 5th and 10th ticks remain, and
    # taking them for the graduations read 0.5 um/px for 2.5.
    img = render_scale(2.5, 10.0, blur_px=2.0, noise=8.0, shape=(512, 640))
    with pytest.raises(CalibrationError, match="blurred|finer"):
        calibrate(img, spacing_um=10.0)


def test_a_blurred_scale_whose_graduations_show_is_measured_not_refused() -> None:
    img = render_scale(3.5, 100.0, blur_px=2.0, noise=8.0, shape=(512, 640), angle_deg=45.0)
    assert calibrate(img, spacing_um=100.0)["um_per_px"] == pytest.approx(3.5, rel=0.01)


@pytest.mark.parametrize("image", [np.zeros((100, 100, 3), np.uint8),
                                   np.full((100, 100, 3), 255, np.uint8),
                                   np.tile(np.array([0, 255, 255, 0], np.uint8), (10, 5))])
def test_a_blank_or_tiny_image_gets_a_clear_refusal(image: np.ndarray) -> None:
    # A 10x20 image of stripes ended in numpy's "array of sample points is empty".
    with pytest.raises(CalibrationError, match="no regular graduations|too small"):
        calibrate(image, spacing_um=10.0)
