"""Post-processing of traced hairs: kinks, end extension, fragment linking.

A hair shaft is smooth: a sharp turn within about a hair width marks two
hairs meeting (split there); pieces of one hair separated by a gap or an
unresolved crossing face each other and continue one smooth curve (linked
greedily, the best fit first, as in ``domain/imaging.md`` section 4a(5)).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from mesohair.imaging.numeric import (
    arc_lengths,
    circle_fit,
    circle_fits,
    median,
    padded,
    solve_many,
    values_at,
)

Points = NDArray[np.float64]
MAX_TURN_DEG = 35.0
"""Largest change of direction accepted when continuing a hair."""


@dataclass
class Chain:
    """One hair: ordered centreline points (working pixels) and its width."""

    points: Points
    width: float


class UnionFind:
    """Disjoint sets over 0..n-1 (path halving)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        """Representative of the set holding ``i``."""
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        """Merge the sets of ``i`` and ``j``."""
        self.parent[self.find(i)] = self.find(j)


STUB_COVER = 0.2
"""Largest fraction of the field covered by hair in an image of clipped stubs."""


def stub_field(chains: list[Chain], mask: NDArray[np.bool_]) -> bool:
    """True for clipped hair: the typical hair is shorter than ten of its widths and hair
    covers little of the field (long hair, even cut into pieces at crossings, covers much)."""
    if not chains:
        return False
    ratios = [length(c.points) / max(c.width, 1.0) for c in chains]
    return float(np.median(ratios)) < 10.0 and float(mask.mean()) < STUB_COVER


def length(path: Points) -> float:
    """Arc length of a pixel path (a single pixel counts as 1)."""
    return float(np.hypot(*np.diff(path, axis=0).T).sum()) + 1.0 if len(path) > 1 else 1.0


ON_ONE_CIRCLE_PX = 0.6
"""Largest RMS distance (px) of a centreline from its fitted circle for a smooth curl."""


CURL_MIN_DEG = 60.0
"""Smallest arc (degrees) a line on one circle must span to count as a curl (two stubs
meeting at a shallow angle may also lie close to a circle, over their small turn)."""


def _curl_deg(pts: Points) -> float:
    """Degrees of arc a line spans on its least-squares circle, 0 when it is off it."""
    c, _, resid = circle_fit(pts)
    if not resid <= ON_ONE_CIRCLE_PX:
        return 0.0
    ang = np.unwrap(np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0]))
    return float(np.degrees(abs(ang[-1] - ang[0])))


def split_at_kinks(pts: Points, width: float, max_turn_deg: float = 35.0,
                   curls: bool = True) -> list[Points]:
    """Split a centreline where it turns sharply: a shaft is smooth, two hairs meet at a kink.

    The turn at each point is the angle between the chords to the points
    about 1.5 widths behind and ahead; the sharpest turn above ``max_turn_deg``
    splits the line, recursively. A line lying on one circle (RMS residual of
    the least-squares circle at most :data:`ON_ONE_CIRCLE_PX`) over at least
    :data:`CURL_MIN_DEG` of arc is a smoothly curled shaft, however tight, and
    is not split: two straight hairs meeting at an angle leave a larger residual.
    ``curls=False`` (clipped stubs, nearly straight) leaves that out: two stubs
    meeting end to end can join smoothly enough to lie on a circle.
    """
    n = len(pts)
    reach = max(3, int(round(1.5 * width)))
    if n < 2 * reach + 3:
        return [pts]
    if curls and n >= 3 * reach and _curl_deg(pts) >= CURL_MIN_DEG:
        return [pts]
    i = np.arange(reach, n - reach)
    back = pts[i] - pts[i - reach]
    ahead = pts[i + reach] - pts[i]
    cos = (back * ahead).sum(axis=1) / np.maximum(
        np.hypot(*back.T) * np.hypot(*ahead.T), 1e-9)
    k = int(np.argmin(cos))
    if cos[k] > np.cos(np.radians(max_turn_deg)):
        return [pts]
    cut = int(i[k])
    return (split_at_kinks(pts[:cut + 1], width, max_turn_deg, curls)
            + split_at_kinks(pts[cut:], width, max_turn_deg, curls))


def extend(pts: Points, mask: NDArray[np.bool_], width: float) -> Points:
    """Prolong the last point of ``pts`` along its direction while inside the mask."""
    if len(pts) < 2:
        return pts
    back = pts[max(0, len(pts) - 1 - int(max(3.0, 1.5 * width)))]
    d = pts[-1] - back
    n = float(np.hypot(*d))
    if n == 0:
        return pts
    u = d / n
    ux, uy = float(u[0]), float(u[1])
    x0, y0 = float(pts[-1, 0]), float(pts[-1, 1])
    h, w = mask.shape
    # Stepped pixel by pixel in plain Python: most ends go on a few pixels at most, and
    # a vectorised ray of every step cost more than the walk (150 ends per image).
    k = 0
    for i in range(1, int(4.0 * width + 4)):
        x, y = round(x0 + i * ux), round(y0 + i * uy)
        if not (0 <= x < w and 0 <= y < h and mask[y, x]):
            break
        k = i
    if k == 0:
        return pts
    return np.concatenate([pts, pts[-1] + k * u[None, :]], axis=0)


def extend_both(pts: Points, mask: NDArray[np.bool_], width: float) -> Points:
    """Prolong both ends of ``pts`` along their directions while inside the mask."""
    return extend(extend(pts, mask, width)[::-1], mask, width)[::-1]


def _outward(pts: Points, width: float) -> tuple[Points, Points]:
    """Unit _outward directions at the first and last point of a centreline."""
    k = min(len(pts) - 1, max(2, int(2 * width)))
    a, b = pts[0] - pts[k], pts[-1] - pts[len(pts) - 1 - k]
    return a / max(float(np.hypot(*a)), 1e-9), b / max(float(np.hypot(*b)), 1e-9)


LINK_SPAN_WIDTHS = 15.0
"""Length of each piece's end (in its widths) that must lie on one smooth curve with the
other's for two pieces to be linked as one hair."""

LINK_GAP_WIDTHS = 10.0
"""Largest gap (in widths of the hair, or of the image's median hair when wider) bridged
between two pieces of one hair: a shallow crossing of thick hairs hides the shaft over
several of their widths."""


def end_span(pts: Points, width: float) -> Points:
    """The last :data:`LINK_SPAN_WIDTHS` widths of a centreline, ending at its last point."""
    back = pts[::-1]
    d = arc_lengths(back)
    return np.asarray(back[d <= LINK_SPAN_WIDTHS * width][::-1])


def _parabola_rms(pts: NDArray[np.float64], held: NDArray[np.bool_], n: NDArray[np.float64]
                  ) -> NDArray[np.float64]:
    """RMS distance (px) of each point set (padded, :func:`.padded`) from the parabola
    fitted in its principal frame (least squares by the normal equations)."""
    q = (pts - pts.sum(axis=1, keepdims=True) / n[:, None, None]) * held[..., None]
    _, axes = np.linalg.eigh(np.einsum("mli,mlj->mij", q, q))  # ascending: last is principal
    x = np.einsum("mli,mi->ml", q, axes[:, :, 1])
    y = np.einsum("mli,mi->ml", q, axes[:, :, 0])
    xx = x * x
    s1, s2, s3, s4 = x.sum(1), xx.sum(1), (xx * x).sum(1), (xx * xx).sum(1)
    gram = np.stack([np.stack([n, s1, s2], -1), np.stack([s1, s2, s3], -1),
                     np.stack([s2, s3, s4], -1)], 1)
    coef, ok = solve_many(gram, np.stack([y.sum(1), (x * y).sum(1), (xx * y).sum(1)], -1))
    res = (coef[:, :1] + coef[:, 1:2] * x + coef[:, 2:] * xx - y) * held
    return np.where(ok, np.sqrt((res * res).sum(1) / n), np.inf)


def off_one_curve(a: Points, b: Points, width: float) -> float:
    """How far two pieces' ends lie off one smooth shaft: the RMS distance (px) of both
    from one parabola or one circle, whichever is closer, over 0.06 ``width`` + 0.7 px;
    at most 1 for one shaft.

    A stretch of :data:`LINK_SPAN_WIDTHS` widths of a smooth shaft is close to a
    parabola, or to a circle where it curls round further than a parabola bends;
    two hairs meeting at even a small angle are close to neither.
    """
    return float(off_one_curve_many([(a, b)], np.array([width]))[0])


def off_one_curve_many(pairs: list[tuple[Points, Points]], widths: NDArray[np.float64]
                       ) -> NDArray[np.float64]:
    """:func:`off_one_curve` of many pairs of ends at once (an image of long hair has a
    hundred candidate pairs; fitted one by one they cost 6 ms, together about one)."""
    off = np.full(len(pairs), np.inf)
    sets = [np.concatenate(pair) for pair in pairs]
    fit = [i for i, p in enumerate(sets) if len(p) >= 4]  # any three points lie on both
    if not fit:
        return off
    tol = 0.06 * np.asarray(widths, dtype=np.float64) + 0.7
    off[fit] = _parabola_rms(*padded([sets[i] for i in fit])) / tol[fit]
    bent = [i for i in fit if off[i] > 1.0]
    if bent:
        off[bent] = np.minimum(off[bent],
                               circle_fits(*padded([sets[i] for i in bent]))[2] / tol[bent])
    return off


BRIDGE_SIGNAL = 0.15
"""Smallest median absorbance along a gap longer than three widths, as a fraction of the
pieces' own, for the gap to be a stretch of one hair (faint, or under a crossing) rather
than bare skin between two hairs that happen to line up."""


def _over_skin(a: Points, b: Points, span: Points, signal: NDArray[np.float32]) -> bool:
    """True when the straight gap from ``a`` to ``b`` crosses bare skin: its median
    absorbance is below :data:`BRIDGE_SIGNAL` of the pieces' (their joint ``span``)."""
    gap = a + np.linspace(0.0, 1.0, max(2, int(np.hypot(*(b - a)))))[:, None] * (b - a)
    return median(values_at(signal, gap)) < BRIDGE_SIGNAL * median(values_at(signal, span))


def _link_candidates(chains: list[Chain], signal: NDArray[np.float32] | None = None,
                     max_gap: float = np.inf) -> list[tuple[float, int, int]]:
    """Pairs of facing chain ends that continue one smooth curve (score, end a, end b);
    end = 2 * chain + side, the lower the score the closer to one curve.

    Ends must point at each other (outward directions more than 120 degrees apart,
    each ahead of the other), be at most :data:`LINK_GAP_WIDTHS` widths apart (of the
    wider piece, or of the median piece when wider still) and of
    similar width; the last :data:`LINK_SPAN_WIDTHS` widths of both pieces together
    must lie on one smooth curve (:func:`off_one_curve`); no gap is longer than
    ``max_gap`` px. Local end directions
    alone mislead: where thick hairs cross at a shallow angle the traced line bends
    towards the merged blob's middle, and a piece of another hair can point the
    right way; the whole end of a shaft keeps its curvature across the crossing.
    With ``signal`` (the hair absorbance image), a gap over three widths long must
    not be bare skin (:func:`_over_skin`): the tip of one hair and the root of the
    next along the same curve are two hairs.
    """
    pos, out, wid = [], [], []
    for c in chains:
        o0, o1 = _outward(c.points, c.width)
        pos += [c.points[0], c.points[-1]]
        out += [o0, o1]
        wid += [c.width, c.width]
    p, o, w = np.array(pos).reshape(-1, 2), np.array(out).reshape(-1, 2), np.array(wid)
    cid = np.arange(len(p)) // 2
    d = p[None, :, :] - p[:, None, :]  # d[a, b] = p[b] - p[a]
    gap = np.hypot(d[..., 0], d[..., 1])
    wmax = np.maximum(w[:, None], w[None, :])
    wmin = np.minimum(w[:, None], w[None, :])
    ahead = (d * o[:, None, :]).sum(-1)
    facing = (o[:, None, :] * o[None, :, :]).sum(-1) < -0.5
    # a thin hair crossing a thick one is hidden over the thick one's width, not its own
    hidden = np.maximum(wmax, median(w))
    ok = (facing & (gap < np.minimum(LINK_GAP_WIDTHS * hidden + 4, max_gap))
          & (ahead > -0.5 * wmax)
          & (ahead.T > -0.5 * wmax) & (cid[:, None] < cid[None, :]) & (wmax < 1.6 * wmin + 1))
    spans: dict[int, Points] = {}
    cand = [(int(a), int(b)) for a, b in zip(*np.nonzero(ok), strict=True)]
    for e in sorted({e for pair in cand for e in pair}):
        c = chains[e // 2]
        spans[e] = end_span(c.points if e % 2 else c.points[::-1], c.width)
    offs = off_one_curve_many([(spans[a], spans[b]) for a, b in cand],
                              np.array([wmax[a, b] for a, b in cand]))
    out_pairs = []
    for (a, b), off in zip(cand, offs.tolist(), strict=True):
        if off > 1 or (signal is not None and gap[a, b] > 3.0 * wmax[a, b] and _over_skin(
                p[a], p[b], np.concatenate([spans[a], spans[b]]), signal)):
            continue
        out_pairs.append((off, a, b))
    return sorted(out_pairs)


def link_fragments(chains: list[Chain], signal: NDArray[np.float32] | None = None,
                   max_gap: float = np.inf) -> list[Chain]:
    """Join pieces of one hair split by a gap or an unresolved node (one smooth curve).

    Facing ends whose pieces continue one smooth curve, with no bare skin
    between them in ``signal`` (the hair absorbance image) when given and no
    more than ``max_gap`` px apart (:func:`_link_candidates`), are linked
    greedily, the best fit first, each end at most once and never into a loop;
    linked pieces are concatenated.
    """
    if len(chains) < 2:
        return chains
    uf = UnionFind(len(chains))
    partner: dict[int, int] = {}
    for _, a, b in _link_candidates(chains, signal, max_gap):
        if a in partner or b in partner or uf.find(a // 2) == uf.find(b // 2):
            continue
        partner[a], partner[b] = b, a
        uf.union(a // 2, b // 2)
    out, seen = [], set()
    for i in range(len(chains)):
        if i in seen or (2 * i in partner and 2 * i + 1 in partner):
            continue
        parts, width, end = [], [], (2 * i + 1 if 2 * i in partner else 2 * i)
        while True:  # walk from the free end ``end ^ 1`` of chain ``end // 2``
            c = end // 2
            seen.add(c)
            pts = chains[c].points
            parts.append(pts if end % 2 == 0 else pts[::-1])
            width.append(chains[c].width)
            nxt = partner.get(end ^ 1)
            if nxt is None:
                break
            end = nxt
        out.append(Chain(np.concatenate(parts), median(width)))
    return out


def untraced(mask: NDArray[np.bool_], chains: list[Chain], dist: NDArray[np.float32],
              min_length: float, typical_width: float | None = None,
              absorbance: NDArray[np.float32] | None = None) -> list[Chain]:
    """Elongated mask components that no chain passes through, as straight hairs.

    With ``typical_width`` and ``absorbance`` (clipped stubs), a component touching
    the image border that no chain passes through, far larger than a follicle dot
    (four typical widths squared, 1.5 across) and as dark as the traced hairs (half
    their median absorbance; a skin shadow at the edge is fainter) is kept too,
    along its long axis: stubs cut by the frame side by side merge into a blob
    whose skeleton is all spurs. So is such a blob inside the image when it is at
    least 2.5 typical widths long: short stubs side by side merge into a blob whose
    skeleton is one junction.
    """
    n, lab, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    hit = np.zeros(n, bool)
    for c in chains:
        ix = c.points.astype(int)
        hit[lab[ix[:, 1], ix[:, 0]]] = True
    dark = 0.0
    if typical_width is not None and absorbance is not None and chains:
        pts = np.concatenate([c.points for c in chains]).astype(int)
        dark = 0.5 * float(np.median(absorbance[pts[:, 1], pts[:, 0]]))
    h, w = mask.shape
    out = []
    for i in np.flatnonzero(~hit):
        if i == 0 or stats[i, cv2.CC_STAT_AREA] < 4:
            continue
        x, y, bw, bh = stats[i, :4]
        ys, xs = np.nonzero(lab[y:y + bh, x:x + bw] == i)
        xs, ys = xs + x, ys + y
        (cx, cy), (a, b), ang = cv2.minAreaRect(np.stack([xs, ys], 1).astype(np.float32))
        long, short = max(a, b), max(min(a, b), 1.0)
        blob = (typical_width is not None and absorbance is not None
                and len(xs) >= 4.0 * typical_width**2 and short >= 1.5 * typical_width
                and (x == 0 or y == 0 or x + bw == w or y + bh == h
                     or long >= 2.5 * typical_width)
                and float(np.median(absorbance[ys, xs])) >= dark)
        if long >= max(min_length, 2.0 * short) or blob:
            t = np.radians(ang if a >= b else ang + 90)
            # a blob may be nearly as wide as long: give its line half its width at least
            d = np.array([np.cos(t), np.sin(t)]) * max(long - short, 0.5 * short) / 2
            pts = np.array([[cx, cy] - d, [cx, cy] + d])
            out.append(Chain(pts, float(short)))
    return out
