"""Review overlay: detected hairs drawn over the image, written as PNG."""

from __future__ import annotations

import os
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

VELLUS_BGR = (255, 200, 0)
TERMINAL_BGR = (40, 220, 40)
UNCLASSIFIED_BGR = (0, 200, 255)


def _colour(hair: dict[str, Any]) -> tuple[int, int, int]:
    """Drawing colour of a hair by class (BGR)."""
    if hair["class"] == "vellus":
        return VELLUS_BGR
    if hair["class"] == "terminal":
        return TERMINAL_BGR
    return UNCLASSIFIED_BGR


def draw_overlay(rgb: NDArray[np.uint8], result: dict[str, Any],
                 invalid: NDArray[np.bool_] | None = None) -> NDArray[np.uint8]:
    """Return a BGR image with hairs (polyline, root dot, id) and masked areas shaded."""
    out = np.ascontiguousarray(rgb[..., ::-1]).copy()
    if invalid is not None and invalid.any():
        out[invalid] = (out[invalid] * 0.45).astype(np.uint8)
    thick = max(1, int(round(min(out.shape[:2]) / 400)))
    for hair in result["hairs"]:
        pts = np.round(np.array(hair["polyline"]) * 16).astype(np.int32).reshape(-1, 1, 2)
        col = _colour(hair)
        cv2.polylines(out, [pts], False, col, thick, cv2.LINE_AA, shift=4)
        rx, ry = (int(round(v)) for v in hair["root"])
        cv2.circle(out, (rx, ry), 2 * thick + 1, (0, 0, 255), -1, cv2.LINE_AA)
        cv2.putText(out, str(hair["id"]), (rx + 4, ry - 4), cv2.FONT_HERSHEY_SIMPLEX,
                    0.35 * thick, (255, 255, 255), 1, cv2.LINE_AA)
    caption = f"hairs {result['hair_count']}  frame {result['frame_count']}"
    cv2.putText(out, caption, (8, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.5 * thick, (0, 255, 255),
                thick, cv2.LINE_AA)
    return out


def write_overlay(path: str | os.PathLike[str], rgb: NDArray[np.uint8], result: dict[str, Any],
                  invalid: NDArray[np.bool_] | None = None) -> None:
    """Write the review overlay PNG to ``path``."""
    if not cv2.imwrite(os.fspath(path), draw_overlay(rgb, result, invalid)):
        raise OSError(f"cannot write overlay {os.fspath(path)!r}")
