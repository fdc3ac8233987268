"""Command line: ``mesohair analyze`` and ``mesohair calibrate`` (contracts/analyze.md)."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from typing import Any, TextIO

from mesohair.imaging.analyze import analyze_image, check_parameters
from mesohair.imaging.calibrate import CalibrationError, calibrate
from mesohair.imaging.io import ImageError


class _Parser(argparse.ArgumentParser):
    """ArgumentParser that raises instead of exiting, so callers get a status."""

    def error(self, message: str) -> Any:
        """Raise instead of exiting, so that the caller returns status 2."""
        self.print_usage(sys.stderr)
        raise _UsageError(f"{self.prog}: error: {message}")


class _UsageError(Exception):
    """Bad command-line usage (already explained on stderr)."""


def _positive(text: str) -> float:
    """argparse type: a finite number (range checked later, with a clear reason)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def _analyze_parser() -> _Parser:
    """The argument parser of ``mesohair analyze``."""
    p = _Parser(prog="mesohair analyze", description="Count and measure hairs in "
                "trichoscopy images (contracts/analyze.md).")
    p.add_argument("images", nargs="+", metavar="IMAGE")
    p.add_argument("--um-per-px", type=_positive, default=None,
                   help="calibration in micrometres per pixel")
    p.add_argument("--vellus-threshold-um", type=_positive, default=40.0,
                   help="vellus when diameter <= this (default 40; 30 is also common)")
    p.add_argument("--json", action="store_true", help="one JSON object per image per line")
    p.add_argument("--overlay", metavar="DIR", default=None,
                   help="write a review PNG per image into DIR")
    return p


def _overlay_path(directory: str | None, image: str, index: int, seen: set[str]) -> str | None:
    """Overlay file name in ``directory``: image stem, made unique within the run."""
    if directory is None:
        return None
    stem = os.path.splitext(os.path.basename(image))[0] or f"image{index}"
    name = f"{stem}_overlay.png"
    if name in seen:
        name = f"{stem}_{index}_overlay.png"
    seen.add(name)
    return os.path.join(directory, name)


def _row(r: dict[str, Any]) -> str:
    """One line of the human-readable table."""
    def fmt(v: Any, spec: str) -> str:
        """Format a value, or "-" when missing."""
        return "-" if v is None else format(v, spec)
    d = r["diameter_um"] or {}
    vf = r["vellus_fraction"]
    return (f"{r['image']}\t{r['hair_count']}\t{r['frame_count']}\t"
            f"{fmt(r['density_per_cm2'], '.1f')}\t{fmt(d.get('mean'), '.1f')}\t"
            f"{fmt(None if vf is None else 100 * vf, '.0f')}\t{r['quality']['focus']:.2f}\t"
            f"{r['elapsed_ms']:.0f}\t{'; '.join(r['quality']['warnings'])}")


def _emit(result: dict[str, Any], as_json: bool, out: TextIO) -> None:
    """Write one result as a JSON line or a table row."""
    if as_json:
        out.write(json.dumps(result, allow_nan=False) + "\n")
    else:
        out.write(_row(result) + "\n")
    out.flush()


def _analyze_one(path: str, args: argparse.Namespace, overlay: str | None) -> dict[str, Any]:
    """Analyse one file; errors become ``{"image", "error"}`` and never propagate."""
    try:
        return analyze_image(path, um_per_px=args.um_per_px,
                             vellus_threshold_um=args.vellus_threshold_um,
                             overlay_path=overlay)
    except (ImageError, OSError, ValueError) as exc:
        return {"image": path, "error": str(exc) or type(exc).__name__}
    except Exception as exc:  # noqa: BLE001 - one bad image must not stop the batch
        return {"image": path, "error": f"internal error: {type(exc).__name__}: {exc}"}


def analyze_main(argv: list[str]) -> int:
    """Run ``mesohair analyze``; returns 0, or 2 when any image failed or on bad usage."""
    try:
        args = _analyze_parser().parse_args(argv)
        check_parameters(args.um_per_px, args.vellus_threshold_um)
        if args.overlay is not None:
            os.makedirs(args.overlay, exist_ok=True)
    except _UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except (ValueError, OSError) as exc:
        print(f"mesohair analyze: error: {exc}", file=sys.stderr)
        return 2
    if not args.json:
        print("image\thairs\tframe\tdensity_cm2\tmean_um\tvellus_pct\tfocus\tms\twarnings")
    failed, seen = 0, set[str]()
    for i, path in enumerate(args.images):
        result = _analyze_one(path, args, _overlay_path(args.overlay, path, i, seen))
        if "error" in result:
            failed += 1
            if not args.json:
                print(f"mesohair analyze: {path}: {result['error']}", file=sys.stderr)
                continue
        _emit(result, args.json, sys.stdout)
    return 2 if failed else 0


def calibrate_main(argv: list[str]) -> int:
    """Run ``mesohair calibrate``; returns 0, or 2 with a one-line reason."""
    p = _Parser(prog="mesohair calibrate",
                description="Micrometres per pixel from a stage micrometer or ruler image.")
    p.add_argument("image", metavar="IMAGE")
    p.add_argument("--spacing-um", type=_positive, required=True,
                   help="distance between graduations in micrometres")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    try:
        args = p.parse_args(argv)
        result = calibrate(args.image, spacing_um=args.spacing_um)
    except _UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except (CalibrationError, ImageError, ValueError, OSError) as exc:
        print(f"mesohair calibrate: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result))
    else:
        print(f"um_per_px {result['um_per_px']}  lines_found {result['lines_found']}  "
              f"residual_pct {result['residual_pct']}")
    return 0
