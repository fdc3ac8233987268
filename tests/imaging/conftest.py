"""Helpers for imaging tests: small synthetic images with known hairs."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from mesohair.imaging.phantom import Hair, _hair_opacity

Segment = tuple[float, ...]
"""A straight hair ``(x0, y0, x1, y1, width_px)``, optionally with its own absorption
``k`` as a sixth value (a pale, thinly pigmented hair)."""


def hair_image(shape: tuple[int, int], hairs: Sequence[Segment],
               skin: tuple[float, float, float] = (212.0, 172.0, 150.0),
               colour: tuple[float, float, float] = (40.0, 28.0, 22.0),
               k: float = 0.5, blur: float = 0.8, noise: float = 1.5,
               seed: int = 0) -> NDArray[np.uint8]:
    """RGB image of straight hairs (:data:`Segment`) on plain textured skin."""
    rng = np.random.default_rng(seed)
    img = np.empty((*shape, 3), np.float32)
    img[:] = skin
    tex = cv2.GaussianBlur(rng.standard_normal(shape).astype(np.float32), (0, 0), 6)
    img *= (1 + 0.6 * tex / (tex.std() + 1e-6) * 0.03)[..., None]
    for seg in hairs:
        x0, y0, x1, y1, w = seg[:5]
        pts = np.array([[x0, y0], [x1, y1]], np.float64)
        hair = Hair(pts, w, w, seg[5] if len(seg) > 5 else k, colour, 0)
        got = _hair_opacity(hair, pts, shape, 1.0)
        if got is None:
            continue
        box, od = got
        t = np.exp(-od)[..., None]
        img[box] = img[box] * t + np.array(colour, np.float32) * (1 - t)
    img = cv2.GaussianBlur(img, (0, 0), blur)
    img += rng.normal(0, noise, img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


@pytest.fixture(autouse=True)
def _fast_and_isolated() -> None:
    """Imaging tests are pure: no Django settings to adjust (works with -p no:django)."""


@pytest.fixture
def write_jpeg(tmp_path):  # type: ignore[no-untyped-def]
    """Write an RGB array as JPEG under tmp_path and return its path."""

    def _write(name: str, rgb: NDArray[np.uint8]) -> str:
        path = str(tmp_path / name)
        assert cv2.imwrite(path, np.ascontiguousarray(rgb[..., ::-1]))
        return path

    return _write
