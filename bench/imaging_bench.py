"""Benchmark of ``mesohair analyze`` on phantom scenarios with exact ground truth.

Usage::

    .venv/bin/python bench/imaging_bench.py [--quick] [--write] [--only NAME ...] [--sweep]
    .venv/bin/python bench/imaging_bench.py --calibration

Every scenario's parameters and seeds are fixed here. Reports, per scenario,
precision / recall / F1 of one-to-one matched hairs, signed and absolute count
error, density error, diameter MAE and bias by band, vellus/terminal accuracy,
test-retest CV of density over re-rendered acquisitions of the same scalp,
and analysis milliseconds per megapixel (``elapsed_ms``, decoding excluded
because the phantom is passed as an array). ``--write`` rewrites
``bench/RESULTS.md``. ``--calibration`` measures ``mesohair calibrate`` instead:
synthetic scales of known µm per pixel (``phantom.render_scale``) and scalp
phantoms, which must be refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mesohair.imaging import PhantomParams, analyze_image, render_phantom  # noqa: E402
from mesohair.imaging.calibrate import CalibrationError, calibrate  # noqa: E402
from mesohair.imaging.evaluate import (  # noqa: E402
    box_matches,
    box_score,
    hair_boxes,
    retest_cv,
    score_image,
    summarise,
)
from mesohair.imaging.phantom import render_scale  # noqa: E402

BASE = {"width_px": 1280, "height_px": 1024, "um_per_px": 3.5}
SCENARIOS: dict[str, dict[str, Any]] = {
    "default": {},
    "sparse": {"fu_per_cm2": 40.0},
    "dense": {"fu_per_cm2": 150.0},
    "clipped": {"clipped": True},
    "clipped dense": {"clipped": True, "fu_per_cm2": 150.0},
    "clipped, specular shafts": {"clipped": True, "specular": 0.6},
    "clipped + distractors": {"clipped": True, "distractors": True},
    "clipped, honeycomb pigment": {"clipped": True, "honeycomb": 0.3},
    "clipped, round field stop": {"clipped": True, "field_stop": True},
    "distractors": {"distractors": True},
    "crossings": {"orientation_jitter": 2.5, "spread_deg": 30.0},
    "fine vellus": {"vellus_fraction": 0.6},
    "grey hair": {"grey_fraction": 0.5},
    "light hair, dark skin": {"light_hair": True},
    "blur + noise": {"blur_um": 7.0, "noise": 5.0, "jpeg_quality": 75},
    "2 um/px": {"um_per_px": 2.0},
    "5 um/px": {"um_per_px": 5.0},
}
SEEDS = (101, 202, 303, 404)
RETEST_ACQ = (1, 2, 3, 4, 5)


REAL_PROXY: dict[str, dict[str, Any]] = {
    "2.5 um/px, 40 FU/cm²": {"um_per_px": 2.5, "fu_per_cm2": 40.0},
    "2.5 um/px, 80 FU/cm²": {"um_per_px": 2.5, "fu_per_cm2": 80.0},
    "1.5 um/px, 80 FU/cm²": {"um_per_px": 1.5, "fu_per_cm2": 80.0},
    "2.5 um/px, 80 FU/cm², strong vignetting": {"um_per_px": 2.5, "fu_per_cm2": 80.0,
                                                "vignetting": 0.6},
    "3.5 um/px, 80 FU/cm²": {"um_per_px": 3.5, "fu_per_cm2": 80.0},
}
"""Phantoms shaped like the real clipped-hair set (1280x1024, clipped dark hair, caption,
about 4-25 hairs an image) analysed WITHOUT calibration, as that set may be, and scored
by its rule (a hair matches an annotated box when its polyline midpoint lies inside)."""
REAL_PROXY_SEEDS = tuple(range(11, 19))

HELD_OUT_SCENARIOS = ("clipped", "clipped + distractors")
HELD_OUT_SEEDS = (2101, 2202, 2303, 2404, 2505, 2606)
HELD_OUT_PROXY = ("2.5 um/px, 80 FU/cm²", "3.5 um/px, 80 FU/cm²")
HELD_OUT_PROXY_SEEDS = tuple(range(61, 77))
"""Seeds never looked at while the analysis was developed (added 24 Nov, thirteenth
session): the seeds above were studied image by image for twelve sessions, and the
figures on them are higher than on new scalps (clipped F1 0.95 there, 0.85 on six
development seeds first looked at then). Do not study these images; report them."""


DEV_SEEDS = (505, 606, 707, 808, 909, 1010)
DEV_PROXY = ("2.5 um/px, 40 FU/cm²", "2.5 um/px, 80 FU/cm²", "3.5 um/px, 80 FU/cm²")
DEV_PROXY_SEEDS = tuple(range(31, 47))
"""Development seeds (``--development``): new scalps, not the bench's, to choose changes
on (thirteenth session on) before the held-out seeds are read once at the end."""


SWEEP_BASE = "2.5 um/px, 80 FU/cm²"
PROXY_SWEEP: dict[str, dict[str, Any]] = {
    "as is": {},
    "blur 7 um": {"blur_um": 7.0},
    "noise 6, JPEG 70": {"noise": 6.0, "jpeg_quality": 70},
    "half the hairs grey": {"grey_fraction": 0.5},
    "round field stop": {"field_stop": True},
    "dark skin": {"skin_rgb": (150.0, 110.0, 90.0)},
    "pale skin": {"skin_rgb": (235.0, 205.0, 190.0)},
    "specular shafts": {"specular": 0.6},
    "distractors": {"distractors": True},
    "distractors at 1.5 um/px": {"distractors": True, "um_per_px": 1.5},
    "thin terminal hair (40-70 um)": {"terminal_um": (40.0, 70.0)},
    "short stubs (100-300 um)": {"stub_um": (100.0, 300.0)},
    "long stubs (500-1200 um)": {"stub_um": (500.0, 1200.0)},
    "square cut ends": {"square_cut": True},
    "light hair": {"light_hair": True},
}
"""Robustness sweep (``--sweep``): the real-set proxy at 2.5 um/px, 80 FU/cm², with one
acquisition or scalp property changed at a time; not part of the full run."""


CALIBRATION_SCALES: dict[str, dict[str, float]] = {
    "10 um divisions at 1.0 um/px": {"spacing_um": 10.0, "um_per_px": 1.0, "line_um": 2.0},
    "10 um divisions at 1.5 um/px": {"spacing_um": 10.0, "um_per_px": 1.5, "line_um": 3.0},
    "10 um divisions at 2.5 um/px": {"spacing_um": 10.0, "um_per_px": 2.5, "line_um": 3.0},
    "10 um divisions at 3.5 um/px (2.9 px: refuse)": {"spacing_um": 10.0, "um_per_px": 3.5,
                                                      "line_um": 3.0},
    "100 um divisions at 1.0 um/px": {"spacing_um": 100.0, "um_per_px": 1.0, "line_um": 3.0},
    "100 um divisions at 2.5 um/px": {"spacing_um": 100.0, "um_per_px": 2.5, "line_um": 5.0},
    "100 um divisions at 3.5 um/px": {"spacing_um": 100.0, "um_per_px": 3.5, "line_um": 5.0},
    "ruler, 500 um at 3.5 um/px (7 ticks)": {"spacing_um": 500.0, "um_per_px": 3.5,
                                             "line_um": 20.0},
}
CALIBRATION_ANGLES = (0.0, 15.0, 33.0, 45.0, 60.0, 90.0)
CALIBRATION_LOOKS: dict[str, dict[str, Any]] = {
    "plain": {}, "blur 2 px, noise 8": {"blur_px": 2.0, "noise": 8.0},
    "bright lines": {"bright_lines": True},
}
"""``--calibration``: every scale at every angle in every look (1280x1024)."""


def run_calibration() -> str:
    """Markdown tables: scales measured right (within 0.5 %), wrong, or refused; and
    scalp phantoms wrongly taken for a scale."""
    lines = ["| scale | images | within 0.5 % | wrong | refused | worst accepted error % |",
             "|" + "---|" * 6]
    for name, sc in CALIBRATION_SCALES.items():
        right = wrong = refused = 0
        worst = 0.0
        for angle in CALIBRATION_ANGLES:
            for look in CALIBRATION_LOOKS.values():
                img = render_scale(sc["um_per_px"], sc["spacing_um"], angle_deg=angle,
                                   line_um=sc["line_um"], seed=int(angle), **look)
                try:
                    got = calibrate(img, spacing_um=sc["spacing_um"])["um_per_px"]
                except CalibrationError:
                    refused += 1
                    continue
                err = 100.0 * abs(got / sc["um_per_px"] - 1.0)
                worst = max(worst, err)
                right, wrong = right + (err <= 0.5), wrong + (err > 0.5)
        n = right + wrong + refused
        lines.append(f"| {name} | {n} | {right} | {wrong} | {refused} | {worst:.2f} |")
    taken = tried = 0
    for name in ("default", "clipped", "clipped dense", "dense", "clipped + distractors",
                 "clipped, honeycomb pigment", "2 um/px", "5 um/px"):
        params = PhantomParams(**{**BASE, **SCENARIOS[name]})
        for seed in SEEDS:
            image = render_phantom(params, seed, 0).image
            for spacing in (10.0, 100.0):
                tried += 1
                try:
                    calibrate(image, spacing_um=spacing)
                    taken += 1
                except CalibrationError:
                    pass
    return "\n".join(lines) + (f"\n\nScalp phantoms taken for a scale: {taken} of {tried} "
                               "(8 scenarios x 4 seeds x 2 spacings; should be 0).")


def run_real_proxy(name: str, quick: bool, change: dict[str, Any] | None = None,
                   seeds: tuple[int, ...] = REAL_PROXY_SEEDS) -> dict[str, Any]:
    """Box-rule P/R/F1 and per-image count MAE of one real-set-like scenario."""
    kw = {**BASE, "clipped": True, **REAL_PROXY[name], **(change or {})}
    params = PhantomParams(**kw)
    scores = []
    for seed in seeds[: 2 if quick else None]:
        ph = render_phantom(params, seed, 0)
        res = analyze_image(ph.image)  # uncalibrated
        boxes = hair_boxes(ph.truth, ph.valid_mask)
        scores.append((len(box_matches(res["hairs"], boxes)), res["hair_count"], len(boxes)))
    return box_score(scores)


def proxy_table(rows: dict[str, dict[str, Any]]) -> str:
    """Markdown table of the real-set proxy."""
    lines = ["| real-set proxy (uncalibrated) | hairs/image | det | P | R | F1 (box) | "
             "count MAE / image |", "|" + "---|" * 7]
    for name, s in rows.items():
        lines.append(f"| {name} | {s['true_per_image']:.1f} | {s['detected']} | "
                     f"{_f(s['precision'])} | {_f(s['recall'])} | {_f(s['f1'])} | "
                     f"{s['count_mae']:.2f} |")
    return "\n".join(lines)


def run_held_out(name: str, seeds: tuple[int, ...] = HELD_OUT_SEEDS) -> dict[str, Any]:
    """A scenario's summary on ``seeds`` (no re-acquisitions)."""
    return summarise(_scored(PhantomParams(**{**BASE, **SCENARIOS[name]}), seeds))


def _scored(params: PhantomParams, seeds: tuple[int, ...]) -> list[dict[str, Any]]:
    """Per-image scores (:func:`.score_image`) of a scenario's scalps ``seeds``."""
    scores = []
    for seed in seeds:
        ph = render_phantom(params, seed, 0)
        res = analyze_image(ph.image, um_per_px=params.um_per_px)
        scores.append(score_image(res, ph.truth, ph.valid_mask))
    return scores


def held_out_table(rows: dict[str, dict[str, Any]], proxy: dict[str, dict[str, Any]],
                   title: str = "held-out seeds") -> str:
    """Markdown table of the held-out (or development) seeds' figures, scenarios and
    proxies."""
    lines = [f"| {title} | images | true | det | P | R | F1 | count err | "
             "diam MAE µm |", "|" + "---|" * 9]
    for name, s in rows.items():
        lines.append(f"| {name} | {s['images']} | {s['true']} | {s['detected']} | "
                     f"{_f(s['precision'])} | {_f(s['recall'])} | {_f(s['f1'])} | "
                     f"{s['count_err_pct']:+.1f} % | {_f(s['diam_mae_um'], '.1f')} |")
    for name, s in proxy.items():
        lines.append(f"| proxy {name} (box rule, uncalibrated) | {s['images']} | {s['true']} | "
                     f"{s['detected']} | {_f(s['precision'])} | {_f(s['recall'])} | "
                     f"{_f(s['f1'])} | MAE {s['count_mae']:.2f} / image | – |")
    return "\n".join(lines)


def run_scenario(name: str, quick: bool) -> dict[str, Any]:
    """Analyse a scenario's seeds and its re-acquisitions; return the summary."""
    kw = {**BASE, **SCENARIOS[name]}
    if quick:
        kw.update(width_px=640, height_px=512)
    params = PhantomParams(**kw)
    seeds = SEEDS[:2] if quick else SEEDS
    scores = _scored(params, seeds)
    dens, true_dens = [], []
    for acq in RETEST_ACQ[: 3 if quick else 5]:
        ph = render_phantom(params, seeds[0], acq)
        dens.append(analyze_image(ph.image, um_per_px=params.um_per_px)["density_per_cm2"])
        true_dens.append(ph.truth["frame_count"] / ph.truth["valid_area_cm2"])
    out = summarise(scores)
    out["retest_cv_pct"] = retest_cv([d or 0.0 for d in dens])
    out["true_retest_cv_pct"] = retest_cv(true_dens)
    # Repeatability alone: the true density of the re-acquisitions moves (roots in and
    # out of the shifted frame, under the moved caption and glare), the ratio does not.
    out["ratio_cv_pct"] = retest_cv([(d or 0.0) / t for d, t in zip(dens, true_dens,
                                                                     strict=True)])
    return out


def timing(width: int, height: int, um: float, runs: int = 3) -> str:
    """``elapsed_ms`` of a JPEG phantom (decoding included): first image of a fresh
    process (median over ``runs`` processes) and the same image analysed again."""
    import subprocess
    import tempfile

    import cv2

    ph = render_phantom(PhantomParams(width_px=width, height_px=height, um_per_px=um), 7, 0)
    path = os.path.join(tempfile.gettempdir(), f"mesohair_bench_{width}x{height}.jpg")
    cv2.imwrite(path, ph.image[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, 92])
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
            "from mesohair.imaging import analyze_image; "
            f"print(*[analyze_image({path!r}, um_per_px={um!r})['elapsed_ms'] for _ in range(3)])")
    firsts, laters = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout.split()
        firsts.append(float(out[0]))
        laters += [float(v) for v in out[1:]]
    return (f"{width}x{height}: first image {sorted(firsts)[runs // 2]:.0f} ms, "
            f"later images {sorted(laters)[len(laters) // 2]:.0f} ms")


def cpu_probe(rounds: int = 7) -> float:
    """Median milliseconds of a fixed workload (a Python loop and a NumPy sort).

    These shared machines change speed by up to 2x over minutes, everything slowing
    together; the probe, read next to the speed line, tells a slow phase from slower code.
    """
    import numpy as np

    data = np.random.default_rng(0).random(200_000)
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        total = 0
        for i in range(200_000):
            total += i
        np.sort(data)
        times.append((time.perf_counter() - t) * 1000.0)
    return sorted(times)[rounds // 2]


def _f(v: float, spec: str = ".2f") -> str:
    return "–" if v != v else format(v, spec)


def table(rows: dict[str, dict[str, Any]]) -> str:
    """Markdown table of the scenario summaries."""
    head = ("| scenario | true | det | P | R | F1 | count err % | abs count err % | "
            "density err % | diam MAE µm | median AE µm | bias µm | MAE <30 / 30–60 / ≥60 µm | "
            "V/T acc | retest CV % | true CV % | measured/true CV % | ms/MP |")
    lines = [head, "|" + "---|" * 18]
    for name, s in rows.items():
        bands = " / ".join(_f(s[k], ".1f") for k in ("mae_0-30", "mae_30-60", "mae_60-"))
        lines.append(
            f"| {name} | {s['true']} | {s['detected']} | {_f(s['precision'])} | "
            f"{_f(s['recall'])} | {_f(s['f1'])} | {s['count_err_pct']:+.1f} | "
            f"{s['abs_count_err_pct']:.1f} | {s['density_err_pct']:+.1f} | "
            f"{_f(s['diam_mae_um'], '.1f')} | {_f(s['diam_medae_um'], '.1f')} | "
            f"{_f(s['diam_bias_um'], '+.1f')} | {bands} | "
            f"{_f(s['vt_accuracy'])} | {s['retest_cv_pct']:.1f} | "
            f"{s['true_retest_cv_pct']:.1f} | {s['ratio_cv_pct']:.1f} | "
            f"{s['ms_per_mp']:.0f} |")
    return "\n".join(lines)


def machine() -> str:
    """One line describing this machine."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores (`nproc`), {model}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (and optionally write) the results."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="640x512, fewer seeds")
    ap.add_argument("--write", action="store_true", help="rewrite bench/RESULTS.md")
    ap.add_argument("--only", nargs="*", default=None,
                    help="scenario names (the speed line is left out)")
    ap.add_argument("--sweep", action="store_true",
                    help="only the robustness sweep of the real-set proxy (PROXY_SWEEP)")
    ap.add_argument("--calibration", action="store_true",
                    help="only the calibration check (synthetic scales, scalp phantoms)")
    ap.add_argument("--development", action="store_true",
                    help="only the development seeds (DEV_SEEDS, DEV_PROXY_SEEDS), ~1 min")
    args = ap.parse_args(argv)
    if args.development:
        print(held_out_table({n: run_held_out(n, DEV_SEEDS) for n in HELD_OUT_SCENARIOS},
                             {n: run_real_proxy(n, False, seeds=DEV_PROXY_SEEDS)
                              for n in DEV_PROXY}, "development seeds"))
        return 0
    if args.calibration:
        print(run_calibration())
        return 0
    if args.sweep:
        sweep = {n: run_real_proxy(SWEEP_BASE, args.quick, c) for n, c in PROXY_SWEEP.items()}
        print(proxy_table(sweep).replace("real-set proxy (uncalibrated)",
                                         f"{SWEEP_BASE} proxy, changed"))
        return 0
    names = args.only or [*SCENARIOS, *REAL_PROXY]
    unknown = [n for n in names if n not in SCENARIOS and n not in REAL_PROXY]
    if unknown:
        ap.error(f"unknown scenario(s): {', '.join(unknown)}")
    t0 = time.perf_counter()
    rows = {n: run_scenario(n, args.quick) for n in names if n in SCENARIOS}
    proxy = {n: run_real_proxy(n, args.quick) for n in names if n in REAL_PROXY}
    held = ""
    if not (args.quick or args.only):
        held = held_out_table({n: run_held_out(n) for n in HELD_OUT_SCENARIOS},
                              {n: run_real_proxy(n, False, seeds=HELD_OUT_PROXY_SEEDS)
                               for n in HELD_OUT_PROXY})
    text = "\n\n".join(t for t in (table(rows) if rows else "",
                                     proxy_table(proxy) if proxy else "", held) if t)
    speed = ""
    if not (args.quick or args.only):
        before = cpu_probe()
        lines = f"{timing(1280, 1024, 3.5)}; {timing(2592, 1944, 2.0)}"
        speed = (f"\nSpeed (`elapsed_ms`, JPEG file, decoding included; median of 3 fresh "
                 f"processes): {lines}. Machine probe (`cpu_probe`, fixed workload) "
                 f"{before:.0f} ms before, {cpu_probe():.0f} ms after.\n")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = (f"Run {stamp} on {machine()}; {'quick' if args.quick else 'full'} run, "
              f"{time.perf_counter() - t0:.0f} s.\n\n{text}\n{speed}")
    print(report)
    if args.write:
        _write(report)
    return 0


def _write(report: str) -> None:
    """Replace the generated part of bench/RESULTS.md."""
    path = ROOT / "bench" / "RESULTS.md"
    marker = "<!-- generated by bench/imaging_bench.py -->"
    head = path.read_text().split(marker)[0] if path.exists() else "# Imaging benchmark\n\n"
    path.write_text(f"{head}{marker}\n{report}")


if __name__ == "__main__":
    sys.exit(main())
