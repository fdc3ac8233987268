"""Synthetic trichoscopy phantom with exact ground truth.

Hairs are elliptical absorbing tubes (Beer-Lambert through the elliptical
chord, composited over the skin colour), grouped in follicular units, on a
textured skin with follicle dots, skin lines and distractor dots, seen
through an acquisition model (vignetting, glare, Gaussian PSF, noise, JPEG,
burned-in overlay text). With ``distractors`` the scene also holds what
must *not* be counted (section 4(c)): superficial vessels, scale flakes and
immersion bubbles. Physical units are micrometres; the same scalp
(``scalp_seed``) can be re-acquired (``acq_seed``) with a small shift and new
noise for test-retest studies. See ``domain/imaging.md`` section 4(c).

References
----------
.. [1] Van Neste D, Trueb RM. Critical study of hair growth analysis with
   computer-assisted methods. JEADV 2006;20:578-583 (failure modes modelled:
   crossings, several hairs per ostium, thin and light hairs, edges).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from scipy.spatial import Voronoi

from mesohair.imaging.numeric import densify, onto_image, segment_distance

FloatImage = NDArray[np.float32]


@dataclass(frozen=True)
class PhantomParams:
    """Scenario parameters of the phantom (lengths in micrometres)."""

    width_px: int = 640
    height_px: int = 512
    um_per_px: float = 3.5
    fu_per_cm2: float = 80.0
    fu_sizes: tuple[float, ...] = (0.45, 0.35, 0.15, 0.05)
    clipped: bool = False
    stub_um: tuple[float, float] = (200.0, 600.0)
    square_cut: bool = False  # clipped stubs' cut ends square, not rounded (a sweep row)
    long_um: tuple[float, float] = (1500.0, 6000.0)
    vellus_fraction: float = 0.25
    vellus_um: tuple[float, float] = (12.0, 32.0)
    terminal_um: tuple[float, float] = (50.0, 110.0)
    grey_fraction: float = 0.0
    light_hair: bool = False
    skin_rgb: tuple[float, float, float] = (215.0, 172.0, 150.0)
    curvature_per_mm: float = 0.25
    spread_deg: float = 14.0
    orientation_jitter: float = 0.6
    blur_um: float = 2.5
    noise: float = 2.0
    jpeg_quality: int = 92
    glare_spots: int = 2
    vignetting: float = 0.25
    overlay_text: bool = True
    specular: float = 0.0
    field_stop: bool = False
    shift_um: float = 15.0
    distractors: bool = False
    honeycomb: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def with_(self, **changes: Any) -> PhantomParams:
        """Return a copy with some parameters changed."""
        return replace(self, **changes)


@dataclass
class Hair:
    """One ground-truth hair (micrometres, before the acquisition shift)."""

    points_um: NDArray[np.float64]
    width_um: float
    max_chord_um: float
    k_per_um: float
    colour: tuple[float, float, float]
    fu: int
    square_end: bool = False


@dataclass
class Phantom:
    """A rendered phantom image and its ground truth."""

    image: NDArray[np.uint8]
    truth: dict[str, Any]
    valid_mask: NDArray[np.bool_]


def _fu_positions(p: PhantomParams, rng: np.random.Generator) -> NDArray[np.float64]:
    """Follicular-unit ostia by dart throwing (Poisson disk) over a padded field."""
    w, h = p.width_px * p.um_per_px, p.height_px * p.um_per_px
    pad = 0.0 if p.clipped else p.long_um[1] * 0.6
    pad = max(pad, 400.0)
    area_cm2 = (w + 2 * pad) * (h + 2 * pad) * 1e-8
    n = rng.poisson(p.fu_per_cm2 * area_cm2)
    min_d = 0.35 * 1e4 / np.sqrt(max(p.fu_per_cm2, 1.0))
    pts: list[NDArray[np.float64]] = []
    for _ in range(n * 20):
        if len(pts) >= n:
            break
        c = rng.uniform([-pad, -pad], [w + pad, h + pad])
        if all(np.hypot(*(c - q)) >= min_d for q in pts):
            pts.append(c)
    return np.array(pts).reshape(-1, 2)


def _hair_shape(p: PhantomParams, rng: np.random.Generator, vellus: bool) -> tuple[float, float]:
    """Projected width and maximal chord of an elliptical shaft with random roll."""
    lo, hi = p.vellus_um if vellus else p.terminal_um
    width = rng.uniform(lo, hi)
    ratio = rng.uniform(0.65, 0.9)
    roll = rng.uniform(0, np.pi)
    # semi-axes chosen so that the projected half-width equals width / 2
    k = np.sqrt(np.sin(roll) ** 2 / ratio**2 + np.cos(roll) ** 2)
    b = width / 2 / k
    a = b / ratio
    return width, 2 * a * b / (width / 2)


def _centreline(
    root: NDArray[np.float64], angle: float, length: float, curv: float
) -> NDArray[np.float64]:
    """Circular-arc centreline sampled every 25 µm (curvature in 1/µm)."""
    n = max(2, int(np.ceil(length / 25.0)) + 1)
    s = np.linspace(0, length, n)
    theta = angle + curv * s
    step = np.diff(s, prepend=0.0)
    xy = np.cumsum(np.stack([np.cos(theta) * step, np.sin(theta) * step], axis=1), axis=0)
    return root + xy


def _make_hairs(p: PhantomParams, rng: np.random.Generator) -> list[Hair]:
    """Draw follicular units and their hairs."""
    hairs: list[Hair] = []
    base = rng.uniform(0, 2 * np.pi)
    sizes = np.array(p.fu_sizes) / np.sum(p.fu_sizes)
    for fu, ost in enumerate(_fu_positions(p, rng)):
        j = p.orientation_jitter
        local = base + j * np.sin(ost[0] / 1500.0) + j * np.cos(ost[1] / 1700.0)
        n_fu = int(rng.choice(len(sizes), p=sizes)) + 1
        across = np.array([-np.sin(local), np.cos(local)])
        offset, prev = 0.0, 0.0
        for k in range(n_fu):
            vellus = rng.random() < p.vellus_fraction
            width, chord = _hair_shape(p, rng, vellus)
            # shafts leave one ostium side by side (touching or nearly), then diverge
            offset += (prev + width) / 2 * rng.uniform(1.0, 1.25) if k else 0.0
            prev = width
            lo, hi = p.stub_um if p.clipped else p.long_um
            length = rng.uniform(lo, hi) * (0.6 if vellus and not p.clipped else 1.0)
            curv = rng.normal(0, p.curvature_per_mm / 1000.0) * (0.3 if p.clipped else 1.0)
            root = ost + across * offset + rng.normal(0, 3.0, 2)
            angle = local + rng.normal(0, np.radians(p.spread_deg))
            grey = rng.random() < p.grey_fraction
            k_abs, colour = _pigment(p, rng, vellus, grey)
            pts = _centreline(root, angle, length, curv)
            hairs.append(Hair(pts, width, chord, k_abs, colour, fu,
                              square_end=p.clipped and p.square_cut))
    return hairs


def _pigment(
    p: PhantomParams, rng: np.random.Generator, vellus: bool, grey: bool
) -> tuple[float, tuple[float, float, float]]:
    """Absorption per µm and hair colour (light hair scatters, dark hair absorbs)."""
    if p.light_hair:
        return rng.uniform(0.03, 0.06), (205.0, 198.0, 188.0)
    if grey:
        return rng.uniform(0.02, 0.04), (150.0, 148.0, 146.0)
    k = rng.uniform(0.02, 0.04) if vellus else rng.uniform(0.04, 0.08)
    return k, (40.0, 28.0, 22.0)


def _hair_opacity(hair: Hair, pts_px: NDArray[np.float64], shape: tuple[int, int],
                  um: float) -> tuple[tuple[slice, slice], FloatImage] | None:
    """Optical density of one hair over its bounding box (pixels)."""
    half = hair.width_um / 2 / um
    reach = half * (1.5 if hair.square_end else 1.0) + 2  # a square end's corners
    lo = np.floor(pts_px.min(axis=0) - reach).astype(int)
    hi = np.ceil(pts_px.max(axis=0) + reach).astype(int)
    x0, y0 = max(lo[0], 0), max(lo[1], 0)
    x1, y1 = min(hi[0], shape[1]), min(hi[1], shape[0])
    if x1 <= x0 or y1 <= y0:
        return None
    dist = np.full((y1 - y0, x1 - x0), np.inf)
    for a, b in zip(pts_px[:-1], pts_px[1:], strict=True):
        sx0 = int(max(np.floor(min(a[0], b[0]) - half - 1), x0))
        sx1 = int(min(np.ceil(max(a[0], b[0]) + half + 2), x1))
        sy0 = int(max(np.floor(min(a[1], b[1]) - half - 1), y0))
        sy1 = int(min(np.ceil(max(a[1], b[1]) + half + 2), y1))
        if sx1 <= sx0 or sy1 <= sy0:
            continue
        ys, xs = np.mgrid[sy0:sy1, sx0:sx1].astype(np.float64)
        sub = dist[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0]
        np.minimum(sub, segment_distance(xs, ys, a, b), out=sub)
    cut: NDArray[np.float64] | float = 1.0
    if hair.square_end:
        dist, cut = _squared_off(dist, pts_px[-2], pts_px[-1], half, x0, y0)
    rel = np.clip(1.0 - (dist / half) ** 2, 0.0, None)
    od = (hair.k_per_um * hair.max_chord_um * np.sqrt(rel) * cut).astype(np.float32)
    return (slice(y0, y1), slice(x0, x1)), od


def _squared_off(dist: NDArray[np.float64], before: NDArray[np.float64],
                 end: NDArray[np.float64], half: float, x0: int, y0: int
                 ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A clipper's cut end drawn square instead of rounded: the shaft runs on at its
    full width to a flat end half a width beyond the centreline's end, so the drawn
    body still holds the truth's (discs along the centreline) and fills its box.

    Returns the distance to the shaft's axis and the part of each pixel left of the
    shaft (1 before the flat end, 0 beyond it, a pixel's ramp across it).
    """
    u = (end - before) / max(float(np.hypot(*(end - before))), 1e-9)
    ys, xs = np.mgrid[y0:y0 + dist.shape[0], x0:x0 + dist.shape[1]].astype(np.float64)
    along = (xs - end[0]) * u[0] + (ys - end[1]) * u[1]
    across = np.abs((ys - end[1]) * u[0] - (xs - end[0]) * u[1])
    beyond = along > 0
    dist = np.where(beyond, np.minimum(dist, across), dist)
    return dist, np.clip(half + 0.5 - along, 0.0, 1.0)


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], sigma_px: float) -> FloatImage:
    """Zero-mean, unit-variance smooth random field."""
    f = rng.standard_normal(shape).astype(np.float32)
    f = np.asarray(cv2.GaussianBlur(f, (0, 0), max(sigma_px, 0.5)), np.float32)
    return np.asarray((f - f.mean()) / (f.std() + 1e-6), dtype=np.float32)


def _skin(p: PhantomParams, rng: np.random.Generator, ostia: NDArray[np.float64]) -> FloatImage:
    """Skin colour with multi-octave texture, skin lines and follicle dots."""
    h, w, um = p.height_px, p.width_px, p.um_per_px
    tex = np.zeros((h, w), np.float32)
    for scale, amp in ((15.0, 0.02), (60.0, 0.03), (250.0, 0.04)):
        tex += amp * _smooth_noise(rng, (h, w), scale / um)
    dark = np.zeros((h, w), np.float32)
    for _ in range(rng.integers(3, 7)):
        a, b = rng.uniform(0, [w, h]), rng.uniform(0, [w, h])
        cv2.line(dark, tuple(int(v) for v in a), tuple(int(v) for v in b), 0.05,
                 max(1, int(30 / um)))
    for c in ostia:
        cv2.circle(dark, (int(c[0]), int(c[1])), max(2, int(rng.uniform(35, 60) / um)),
                   float(rng.uniform(0.06, 0.12)), -1)
    for _ in range(rng.poisson(3)):
        c = rng.uniform(0, [w, h])
        cv2.circle(dark, (int(c[0]), int(c[1])), max(2, int(rng.uniform(30, 70) / um)), 0.15, -1)
    dark = np.asarray(cv2.GaussianBlur(dark, (0, 0), 8 / um), np.float32)
    if p.honeycomb > 0:
        dark = np.maximum(dark, p.honeycomb * _honeycomb(np.random.default_rng(
            int(rng.integers(2**32))), (h, w), um))
    base = np.array(p.skin_rgb, np.float32)
    return np.asarray(base * ((1 + tex) * (1 - dark))[..., None], dtype=np.float32)


def _honeycomb(rng: np.random.Generator, shape: tuple[int, int], um: float) -> FloatImage:
    """A honeycomb pigment network: brown lines (~20 µm) round cells of ~150 µm (the
    edges of a Voronoi tessellation of random points), 0-1."""
    h, w = shape
    pad = 300 / um
    n = int((h + 2 * pad) * (w + 2 * pad) * (um / 150.0) ** 2)
    vor = Voronoi(rng.uniform([-pad, -pad], [w + pad, h + pad], (max(n, 4), 2)))
    net = np.zeros((h, w), np.float32)
    for a, b in vor.ridge_vertices:
        if a >= 0 and b >= 0:
            p, q = vor.vertices[a], vor.vertices[b]
            cv2.line(net, (int(p[0]), int(p[1])), (int(q[0]), int(q[1])), 1.0,
                     max(1, int(round(20 / um))), cv2.LINE_AA)
    return np.asarray(cv2.GaussianBlur(net, (0, 0), 6 / um), np.float32)


def _acquire(p: PhantomParams, img: FloatImage, rng: np.random.Generator) -> tuple[
        NDArray[np.uint8], NDArray[np.bool_]]:
    """Vignetting, glare, PSF, noise, overlay text and JPEG; returns image and valid mask."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r2 = ((xx - w / 2) ** 2 + (yy - h / 2) ** 2) / ((w / 2) ** 2 + (h / 2) ** 2)
    img = img * (1 - p.vignetting * r2)[..., None]
    valid = np.ones((h, w), bool)
    for _ in range(p.glare_spots):
        c, rad = rng.uniform(0, [w, h]), rng.uniform(40, 120) / p.um_per_px
        spot = np.exp(-(((xx - c[0]) ** 2 + (yy - c[1]) ** 2) / (2 * (rad / 2) ** 2)))
        img = img + 400 * spot[..., None]
        valid &= spot < 0.3
    img = np.asarray(cv2.GaussianBlur(img, (0, 0), max(p.blur_um / p.um_per_px, 0.3)),
                     np.float32)
    img = img + rng.normal(0, p.noise, img.shape).astype(np.float32)
    out = np.clip(img, 0, 255).astype(np.uint8)
    if p.field_stop:
        ring = r2 > 0.8
        out[ring] = 0
        valid &= ~(r2 > 0.78)
    if p.overlay_text:
        valid &= ~_burn_text(out, rng)
    if p.jpeg_quality < 100:
        ok, buf = cv2.imencode(".jpg", out[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, p.jpeg_quality])
        dec = np.asarray(cv2.imdecode(buf, cv2.IMREAD_COLOR), np.uint8)
        out = np.ascontiguousarray(dec[..., ::-1])
    return out, valid


def _burn_text(img: NDArray[np.uint8], rng: np.random.Generator) -> NDArray[np.bool_]:
    """Burn a device caption (white text with a dark outline); returns its box mask."""
    h, w = img.shape[:2]
    scale = max(0.4, w / 1600)
    text = f"70x  2026-11-{rng.integers(10, 28)}  ID {rng.integers(1000, 9999)}"
    (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 2)
    org = (int(0.03 * w), int(h - 0.04 * h))
    bgr = np.ascontiguousarray(img[..., ::-1])
    cv2.putText(bgr, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), 4, cv2.LINE_AA)
    cv2.putText(bgr, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 2, cv2.LINE_AA)
    img[:] = bgr[..., ::-1]
    box = np.zeros((h, w), bool)
    box[max(org[1] - th - 6, 0):org[1] + base + 6, max(org[0] - 6, 0):org[0] + tw + 6] = True
    return box


def _random_curve(rng: np.random.Generator, start: NDArray[np.float64], length_px: float,
                  turn_per_px: float) -> NDArray[np.int32]:
    """A smooth random walk (a tortuous vessel) of about ``length_px`` pixels."""
    n = max(3, int(length_px / 2))
    heading = rng.uniform(0, 2 * np.pi) + np.cumsum(rng.normal(0, turn_per_px * 2, n))
    steps = 2.0 * np.stack([np.cos(heading), np.sin(heading)], axis=1)
    return np.round(start + np.cumsum(steps, axis=0)).astype(np.int32).reshape(-1, 1, 2)


def _vessels(p: PhantomParams, skin: FloatImage, rng: np.random.Generator) -> FloatImage:
    """Superficial vessels: thin tortuous red lines under the hair (haemoglobin absorbs
    green and blue far more than red)."""
    h, w = skin.shape[:2]
    um = p.um_per_px
    od = np.zeros((h, w), np.float32)
    for _ in range(int(rng.poisson(4))):
        curve = _random_curve(rng, rng.uniform(0, [w, h]), rng.uniform(300, 1500) / um,
                              rng.uniform(0.01, 0.05))
        cv2.polylines(od, [curve], False, float(rng.uniform(0.25, 0.6)),
                      max(1, int(round(rng.uniform(10, 25) / um))), cv2.LINE_AA)
    od = np.asarray(cv2.GaussianBlur(od, (0, 0), 4 / um), np.float32)
    absorb = np.array([0.08, 1.0, 0.7], np.float32)  # R, G, B
    return np.asarray(skin * np.exp(-od[..., None] * absorb), np.float32)


def _flakes(p: PhantomParams, img: FloatImage, rng: np.random.Generator) -> FloatImage:
    """Scale flakes: irregular whitish plates lying on skin and hair."""
    h, w = img.shape[:2]
    um = p.um_per_px
    alpha = np.zeros((h, w), np.float32)
    for _ in range(int(rng.poisson(3))):
        c = rng.uniform(0, [w, h])
        r = rng.uniform(50, 200) / um
        ang = np.sort(rng.uniform(0, 2 * np.pi, 9))
        rad = r * rng.uniform(0.5, 1.0, 9)
        poly = np.round(c + np.stack([rad * np.cos(ang), rad * np.sin(ang)], 1))
        cv2.fillPoly(alpha, [poly.astype(np.int32)], float(rng.uniform(0.5, 0.85)))
    alpha = np.asarray(cv2.GaussianBlur(alpha, (0, 0), 3 / um), np.float32)[..., None]
    return np.asarray(img * (1 - alpha) + np.array([240, 236, 222], np.float32) * alpha,
                      np.float32)


def _bubbles(p: PhantomParams, img: FloatImage, rng: np.random.Generator) -> FloatImage:
    """Immersion bubbles: a thin dark rim (refraction) around a brighter disc."""
    h, w = img.shape[:2]
    um = p.um_per_px
    rim = np.zeros((h, w), np.float32)
    lit = np.zeros((h, w), np.float32)
    for _ in range(int(rng.poisson(1.5))):
        c = tuple(int(v) for v in rng.uniform(0, [w, h]))
        r = int(rng.uniform(60, 250) / um)
        cv2.circle(lit, c, r, 0.12, -1, cv2.LINE_AA)
        cv2.circle(rim, c, r, float(rng.uniform(0.4, 0.9)),
                   max(1, int(round(rng.uniform(8, 15) / um))), cv2.LINE_AA)
    rim = np.asarray(cv2.GaussianBlur(rim, (0, 0), 2 / um), np.float32)[..., None]
    lit = np.asarray(cv2.GaussianBlur(lit, (0, 0), 4 / um), np.float32)[..., None]
    return np.asarray((img * (1 + lit)) * np.exp(-rim), np.float32)


def _compose(p: PhantomParams, hairs: list[Hair], skin: FloatImage,
             offset_um: NDArray[np.float64]) -> FloatImage:
    """Alpha-composite every hair over the skin (optical densities add at crossings)."""
    img = skin.copy()
    for hair in hairs:
        pts = (hair.points_um + offset_um) / p.um_per_px
        got = _hair_opacity(hair, pts, img.shape[:2], p.um_per_px)
        if got is None:
            continue
        box, od = got
        t = np.exp(-od)[..., None]
        img[box] = img[box] * t + np.array(hair.colour, np.float32) * (1 - t)
        if p.specular > 0:  # cuticle reflection along the shaft (non-polarised light)
            rel = (od / max(hair.k_per_um * hair.max_chord_um, 1e-6)) ** 2
            img[box] += (180.0 * p.specular * np.exp(-(1.0 - rel) / 0.03) * (rel > 0))[..., None]
    return img


def _sliver_in_field(d: NDArray[np.float64], width_px: float,
                     valid: NDArray[np.bool_]) -> bool:
    """True when a hair's body reaches at least 3 px into the image (enough for a person
    to see and box it), and onto the valid field, from a centreline beyond the edge."""
    pulled, moved = onto_image(d, valid.shape)
    ix = np.round(pulled[moved <= width_px / 2 - 3.0]).astype(int)
    return bool(valid[ix[:, 1], ix[:, 0]].any())


def _truth(p: PhantomParams, hairs: list[Hair], offset_um: NDArray[np.float64],
           valid: NDArray[np.bool_]) -> dict[str, Any]:
    """Ground-truth record of the hairs seen in the valid field: any part of the hair,
    as the contract counts them, so also a shaft whose centreline lies just beyond the
    image edge while a sliver of its body shows (a person annotating would box it)."""
    h, w = valid.shape
    out: list[dict[str, Any]] = []
    for hair in hairs:
        pts = (hair.points_um + offset_um) / p.um_per_px
        d = densify(pts)
        ix, iy = np.round(d[:, 0]).astype(int), np.round(d[:, 1]).astype(int)
        inside = (ix >= 0) & (iy >= 0) & (ix < w) & (iy < h)
        seen = np.zeros(len(d), bool)
        seen[inside] = valid[iy[inside], ix[inside]]
        if not seen.any() and not _sliver_in_field(d, hair.width_um / p.um_per_px, valid):
            continue
        out.append({
            "id": len(out) + 1, "fu": hair.fu,
            "root": [float(pts[0, 0]), float(pts[0, 1])],
            "polyline": pts.tolist(),
            "width_um": float(hair.width_um), "width_px": float(hair.width_um / p.um_per_px),
            "length_um": float(np.hypot(*np.diff(hair.points_um, axis=0).T).sum()),
            "root_in_field": bool(seen[0]), "visible_fraction": float(seen.mean()),
        })
    area = float(valid.sum()) * (p.um_per_px * 1e-4) ** 2
    return {"um_per_px": p.um_per_px, "hairs": out, "hair_count": len(out),
            "frame_count": sum(x["root_in_field"] for x in out), "valid_area_cm2": area}


def render_phantom(params: PhantomParams | None = None, scalp_seed: int = 0,
                   acq_seed: int = 0) -> Phantom:
    """Render one phantom acquisition with exact ground truth.

    Parameters
    ----------
    params : PhantomParams, optional
        Scenario (image size, µm per pixel, density, hair mix, optics).
    scalp_seed : int
        Seed of the scalp: hairs, follicles, skin.
    acq_seed : int
        Seed of the acquisition: sub-pixel shift, glare, noise, caption.

    Returns
    -------
    Phantom
        RGB image, ground truth (``hairs`` with polyline, root, projected
        ``width_um``; ``hair_count``, ``frame_count``, ``valid_area_cm2``) and
        the ground-truth valid mask.
    """
    p = params or PhantomParams()
    rng = np.random.default_rng(scalp_seed)
    hairs = _make_hairs(p, rng)
    ostia = np.array([h.points_um[0] for h in hairs]).reshape(-1, 2)
    acq = np.random.default_rng(10_000 + acq_seed)
    offset = acq.uniform(-p.shift_um, p.shift_um, 2) if acq_seed else np.zeros(2)
    skin = _skin(p, rng, (ostia + offset) / p.um_per_px)
    if p.light_hair:
        skin = skin * np.float32(0.42)
    if p.distractors:  # own generators, so scenes without them are unchanged
        skin = _vessels(p, skin, np.random.default_rng(777_000 + scalp_seed))
    scene = _compose(p, hairs, skin, offset)
    if p.distractors:
        scene = _flakes(p, scene, np.random.default_rng(778_000 + scalp_seed))
        scene = _bubbles(p, scene, np.random.default_rng(779_000 + 10_000 * scalp_seed + acq_seed))
    img, valid = _acquire(p, scene, acq)
    return Phantom(img, _truth(p, hairs, offset, valid), valid)


def render_scale(um_per_px: float, spacing_um: float, *, angle_deg: float = 0.0,
                 shape: tuple[int, int] = (1024, 1280), line_um: float = 3.0,
                 blur_px: float = 1.0, noise: float = 3.0, extent: float = 0.8,
                 bright_lines: bool = False, seed: int = 0) -> NDArray[np.uint8]:
    """A graduated scale (stage micrometer or ruler) as a trichoscope sees one, whose
    true scale is ``um_per_px``: for ``mesohair calibrate``.

    Lines ``spacing_um`` apart in a band across the field (``extent`` of its
    width), every 5th longer and every 10th longest and numbered, hanging from a
    baseline; drawn 4x larger and reduced (sub-pixel positions), turned by
    ``angle_deg``, blurred (Gaussian, ``blur_px``), with noise. Dark lines on a
    bright field, or bright on dark (``bright_lines``, dark-field illumination).
    """
    h, w = shape
    s = 4
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
    big = np.asarray(cv2.warpAffine(big, turn, (w * s, h * s)), np.uint8)
    ink = cv2.resize(big.astype(np.float32) / 255, (w, h), interpolation=cv2.INTER_AREA)
    if blur_px > 0:
        ink = cv2.GaussianBlur(ink, (0, 0), blur_px)
    if bright_lines:
        ink = 1.0 - ink
    grey = 200.0 - 140.0 * ink + np.random.default_rng(seed).normal(0, noise, ink.shape)
    rgb = np.stack([grey, grey * 0.95, grey * 0.9], -1)
    return np.asarray(np.clip(rgb, 0, 255), dtype=np.uint8)
