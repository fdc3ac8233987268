"""Reading images: formats, orientation, 16-bit, refusals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mesohair.imaging import ImageError
from mesohair.imaging.io import as_rgb_array, read_image


def test_exif_orientation_is_applied_first(tmp_path: Path) -> None:
    path = tmp_path / "rotated.jpg"
    img = Image.new("RGB", (40, 20), (200, 150, 120))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    img.save(path, exif=exif)
    assert read_image(path).shape == (40, 20, 3)


def test_sixteen_bit_tiff_is_scaled_to_eight_bits(tmp_path: Path) -> None:
    path = tmp_path / "deep.tif"
    data = np.full((10, 12), 65535, np.uint16)
    data[:, :6] = 32768
    Image.fromarray(data).save(path)
    rgb = read_image(path)
    assert rgb.dtype == np.uint8 and rgb.shape == (10, 12, 3)
    assert rgb[0, -1, 0] == 255 and 120 <= rgb[0, 0, 0] <= 135


def test_png_with_alpha_reads_as_rgb(tmp_path: Path) -> None:
    path = tmp_path / "alpha.png"
    Image.new("RGBA", (8, 6), (10, 20, 30, 128)).save(path)
    assert read_image(path).shape == (6, 8, 3)


@pytest.mark.parametrize("content", [b"", b"GIF89a....", b"%PDF-1.4 nothing"])
def test_non_images_raise_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(content)
    with pytest.raises(ImageError):
        read_image(path)


def test_arrays_are_validated() -> None:
    assert as_rgb_array(np.zeros((5, 6))).shape == (5, 6, 3)
    assert as_rgb_array(np.ones((5, 6, 3), np.float32)).max() == 255
    with pytest.raises(ImageError):
        as_rgb_array(np.zeros((5, 6, 2)))
