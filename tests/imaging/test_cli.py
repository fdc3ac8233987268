"""The command-line contract of ``mesohair analyze`` and ``mesohair calibrate``."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from mesohair.cli import main

from .conftest import hair_image

SHAPE = (200, 260)


def _png_header_only(path: Path, width: int, height: int) -> str:
    """A PNG that declares ``width`` x ``height`` pixels but carries almost no data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b""))
    path.write_bytes(body + chunk(b"IEND", b""))
    return str(path)


@pytest.fixture
def good(write_jpeg) -> str:  # type: ignore[no-untyped-def]
    return str(write_jpeg("scalp.jpg", hair_image(SHAPE, [(30, 30, 220, 170, 9)])))


def _json_lines(out: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_it_prints_one_json_object_per_image_in_order(good: str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["analyze", good, good, "--json", "--um-per-px", "4"]) == 0
    lines = _json_lines(capsys.readouterr().out)
    assert [x["image"] for x in lines] == [good, good]
    assert lines[0]["hair_count"] == 1
    assert lines[0]["um_per_px"] == 4.0
    assert lines[0]["density_per_cm2"] is not None


def test_without_calibration_the_micrometre_fields_are_null(good: str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["analyze", good, "--json"]) == 0
    (res,) = _json_lines(capsys.readouterr().out)
    assert res["valid_area_cm2"] is None and res["density_per_cm2"] is None
    assert res["diameter_um"] is None and res["vellus_fraction"] is None
    assert res["hairs"][0]["class"] is None


def test_bad_files_get_an_error_line_and_the_batch_goes_on(good: str, tmp_path: Path,
                                                          capsys) -> None:  # type: ignore[no-untyped-def]
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    trunc = tmp_path / "cut.jpg"
    trunc.write_bytes(Path(good).read_bytes()[:300])
    missing = str(tmp_path / "missing.png")
    code = main(["analyze", str(text), good, str(trunc), missing, "--json"])
    assert code == 2
    lines = _json_lines(capsys.readouterr().out)
    assert [x["image"] for x in lines] == [str(text), good, str(trunc), missing]
    assert set(lines[0]) == {"image", "error"} and lines[0]["error"]
    assert "hair_count" in lines[1]
    assert "error" in lines[2] and "error" in lines[3]


def test_huge_images_and_decompression_bombs_are_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    huge = _png_header_only(tmp_path / "huge.png", 8000, 7000)
    bomb = _png_header_only(tmp_path / "bomb.png", 40000, 40000)
    assert main(["analyze", huge, bomb, "--json"]) == 2
    a, b = _json_lines(capsys.readouterr().out)
    assert "50 MP" in a["error"]
    assert "MP" in b["error"] or "bomb" in b["error"]


def test_the_table_reports_errors_on_stderr(good: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0garbage")
    assert main(["analyze", good, str(bad)]) == 2
    cap = capsys.readouterr()
    assert good in cap.out and str(bad) not in cap.out
    assert str(bad) in cap.err and len(cap.err.strip().splitlines()) == 1


def test_an_overlay_png_is_written_per_image(good: str, tmp_path: Path) -> None:
    out = tmp_path / "review"
    assert main(["analyze", good, "--overlay", str(out)]) == 0
    (png,) = out.iterdir()
    img = cv2.imread(str(png))
    assert png.suffix == ".png" and img.shape[:2] == SHAPE


@pytest.mark.parametrize("args", [["--um-per-px", "-2"], ["--um-per-px", "0"],
                                  ["--vellus-threshold-um", "-40"], ["--um-per-px", "abc"]])
def test_invalid_parameters_exit_2_with_a_one_line_reason(good: str, args: list[str],
                                                         capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["analyze", good, *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err and "error" in err[-1]


def _ruler(um_per_px: float, spacing_um: float) -> np.ndarray:
    img = np.full((300, 400), 225, np.uint8)
    step = spacing_um / um_per_px
    for i in range(int(400 / step) + 1):
        x = int(round(10 + i * step))
        cv2.line(img, (x, 40), (x, 260 if i % 5 else 290), 30, 2)
    return cv2.GaussianBlur(img, (0, 0), 0.8)


def test_calibrate_measures_micrometres_per_pixel(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "ruler.png")
    cv2.imwrite(path, _ruler(4.0, 100.0))
    assert main(["calibrate", path, "--spacing-um", "100", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["um_per_px"] == pytest.approx(4.0, rel=0.01)
    assert res["lines_found"] >= 10 and res["residual_pct"] < 5


def test_calibrate_exits_2_when_it_finds_no_graduations(write_jpeg, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write_jpeg("skin.jpg", hair_image(SHAPE, []))
    assert main(["calibrate", path, "--spacing-um", "100"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "graduations" in err[0]
