"""Trichoscopy image analysis (pure package: NumPy, SciPy, OpenCV, scikit-image).

Public API
----------
analyze_image(image, *, um_per_px=None, vellus_threshold_um=40.0, overlay_path=None) -> dict
    Count hairs and measure their projected diameters in one image; returns the
    output object of ``contracts/analyze.md`` (JSON-serialisable; values in µm
    or per cm² are ``None`` without calibration). Raises ``ImageError`` for
    unreadable, non-image, > 50 MP or decompression-bomb files and
    ``ValueError`` for invalid parameters.
calibrate(image, *, spacing_um) -> dict
    Micrometres per pixel from an image of a stage micrometer or ruler whose
    graduations are ``spacing_um`` apart: ``{"um_per_px", "lines_found",
    "residual_pct"}``. Raises ``CalibrationError`` when no graduations are found.
render_phantom(params=None, scalp_seed=0, acq_seed=0) -> Phantom
    Synthetic trichoscopy image with exact ground truth (``mesohair.imaging.phantom``).

Command line: ``mesohair analyze`` and ``mesohair calibrate`` (:mod:`mesohair.imaging.cli`).
No Django is imported anywhere in this package.
"""

from __future__ import annotations

from mesohair.imaging.analyze import analyze_image
from mesohair.imaging.calibrate import CalibrationError, calibrate
from mesohair.imaging.io import ImageError
from mesohair.imaging.phantom import PhantomParams, render_phantom

__all__ = [
    "CalibrationError",
    "ImageError",
    "PhantomParams",
    "analyze_image",
    "calibrate",
    "render_phantom",
]
