"""Calibration from an image of a stage micrometer or ruler (``mesohair calibrate``)."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import pytest

from mesohair.imaging.calibrate import CalibrationError, calibrate
from mesohair.imaging.phantom import PhantomParams, render_phantom


def stage_micrometer(um_per_px: float, spacing_um: float, *, angle_deg: float = 0.0,
                     shape: tuple[int, int] = (512, 640), line_um: float = 3.0,
                     blur_px: float = 1.0, extent: float = 0.8) -> np.ndarray:
    """A graduated scale as a trichoscope sees one: dark lines in a band across the
    field, every 5th longer and every 10th longest and numbered, on a baseline."""
    h, w = shape
    s = 4  # drawn 4x larger, then reduced (sub-pixel line positions)
    big = np.zeros((h * s, w * s), np.uint8)
    step = spacing_um / um_per_px * s
    n = int(extent * w * s / step)
    x0, base = w * s / 2 - n * step / 2, h * s // 2
    thick = max(1, int(round(line_um / um_per_px * s)))
    for i in range(n + 1):
        x = int(x0 + i * step)
        length = (0.3 if i % 10 == 0 else 0.22 if i % 5 == 0 else 0.15) * h * s
        cv2.line(big, (x, int(base - length)), (x, base), 255, thick)
        if i % 10 == 0:
            cv2.putText(big, str(i), (x - 10 * s, int(base - length - 8 * s)),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.5 * s, 255, s)
    cv2.line(big, (int(x0), base), (int(x0 + n * step), base), 255, thick)
    turn = cv2.getRotationMatrix2D((w * s / 2, h * s / 2), angle_deg, 1.0)
    big = cv2.warpAffine(big, turn, (w * s, h * s))
    ink = cv2.resize(big.astype(np.float32) / 255, (w, h), interpolation=cv2.INTER_AREA)
    ink = cv2.GaussianBlur(ink, (0, 0), blur_px)
    grey = 200.0 - 140.0 * ink + np.random.default_rng(0).normal(0, 3, ink.shape)
    return np.clip(np.stack([grey, grey * 0.95, grey * 0.9], -1), 0, 255).astype(np.uint8)


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
