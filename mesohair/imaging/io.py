"""Reading trichoscopy images safely.

JPEG, PNG and TIFF (first page) are decoded with Pillow, EXIF orientation is
applied first, 16-bit data is scaled to 8 bits, and anything over
:data:`MAX_PIXELS` (50 megapixels) is refused before the pixels are decoded,
which also defeats decompression bombs.
"""

from __future__ import annotations

import io
import os
import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

MAX_PIXELS = 50_000_000
"""Largest accepted image, in pixels (the contract's 50 megapixels)."""

ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "TIFF", "MPO"})

Image.init()  # load the format plugins now, not while the first image is being timed


def _warm_up_decoder() -> None:
    """Decode a tiny JPEG once so that the codec's set-up is not timed on a real image."""
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (120, 90, 80)).save(buf, format="JPEG")
    buf.seek(0)
    with Image.open(buf) as img:
        img.load()


_warm_up_decoder()


class ImageError(ValueError):
    """An image that cannot be analysed (unreadable, unsupported or too large)."""


def _check_size(width: int, height: int) -> None:
    """Refuse images above :data:`MAX_PIXELS` before decoding them."""
    if width <= 0 or height <= 0:
        raise ImageError("image has no pixels")
    if width * height > MAX_PIXELS:
        big = width * height > 2 * MAX_PIXELS
        bomb = " (refused as a possible decompression bomb)" if big else ""
        raise ImageError(
            f"image is {width}x{height} ({width * height / 1e6:.1f} MP); "
            f"the limit is {MAX_PIXELS / 1e6:.0f} MP{bomb}"
        )


def _to_uint8_rgb(img: Image.Image) -> NDArray[np.uint8]:
    """Convert any Pillow mode to an RGB uint8 array (16-bit scaled by its range)."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode.startswith("I;16") or arr.max() > 255 else 255.0
        grey = np.clip(arr * (255.0 / top), 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.stack([grey] * 3, axis=-1))
    if img.mode != "RGB":
        img = img.convert("RGB")
    return np.ascontiguousarray(np.asarray(img, dtype=np.uint8))


def _open(path: str) -> Image.Image:
    """Open, check and decode the first frame of an image file."""
    old = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None  # sizes are checked below, before decoding
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(path)
            if img.format not in ALLOWED_FORMATS:
                raise ImageError(f"unsupported image format {img.format!r}")
            _check_size(*img.size)
            img.seek(0)
            img.load()
            return img
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"refused as a decompression bomb: {exc}") from exc
    finally:
        Image.MAX_IMAGE_PIXELS = old


def read_image(path: str | os.PathLike[str]) -> NDArray[np.uint8]:
    """Read an image file as an oriented RGB uint8 array of shape (H, W, 3).

    Parameters
    ----------
    path : str or PathLike
        JPEG, PNG or TIFF file. EXIF orientation is applied; for TIFF the
        first page is used; 16-bit data is scaled to 8 bits.

    Returns
    -------
    ndarray
        RGB image, uint8.

    Raises
    ------
    ImageError
        When the file is missing, truncated, not an image, larger than
        50 megapixels or a decompression bomb.
    """
    name = os.fspath(path)
    if not os.path.isfile(name):
        raise ImageError("file not found")
    try:
        img = _open(name)
        img = ImageOps.exif_transpose(img) or img
        return _to_uint8_rgb(img)
    except ImageError:
        raise
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"cannot read image: {exc}") from exc


def as_rgb_array(image: Any) -> NDArray[np.uint8]:
    """Validate an in-memory image (grey, RGB or RGBA array) and return RGB uint8."""
    arr = np.asarray(image)
    if arr.ndim == 3 and arr.shape[2] == 4:
        arr = arr[..., :3]
    if arr.ndim == 2:
        arr = np.stack([arr] * 3, axis=-1)
    if arr.ndim != 3 or arr.shape[2] != 3:
        raise ImageError(f"expected an (H, W) or (H, W, 3) array, got shape {arr.shape}")
    _check_size(arr.shape[1], arr.shape[0])
    if arr.dtype == np.uint16:
        arr = (arr.astype(np.float64) * (255.0 / 65535.0)).astype(np.uint8)
    elif arr.dtype != np.uint8:
        if not np.issubdtype(arr.dtype, np.number):
            raise ImageError(f"unsupported array dtype {arr.dtype}")
        scale = 255.0 if float(np.nanmax(arr)) <= 1.0 else 1.0
        arr = np.clip(np.nan_to_num(arr.astype(np.float64)) * scale, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(arr)
