"""From a hair mask to individual hairs: skeleton graph with junction pairing.

The mask is thinned (Zhang & Suen, CACM 1984;27:236, via scikit-image),
junction pixels are grown into discs of about a hair width so that an
X-crossing (two nearby Y-junctions) becomes one node, short bridges between
nodes are absorbed, short spurs are pruned, and at every node the branches
are paired by tangent continuity (the branch leaving opposite to another
continues it, straight on or along one arc), as recommended in
``domain/imaging.md`` section 4a(5). A long bridge between two nodes of two
branches each, whose branches continue each other along smooth curves, is the
shared stretch of two shafts crossing at a shallow angle: both hairs run
through it.
Unpaired branches at a node are separate hairs (several hairs from one
ostium).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray
from skimage.morphology import skeletonize

from mesohair.imaging.chains import (
    MAX_TURN_DEG,
    Chain,
    Points,
    UnionFind,
    end_span,
    extend_both,
    length,
    link_fragments,
    off_one_curve,
    split_at_kinks,
    stub_field,
    untraced,
)
from mesohair.imaging.numeric import (
    arc_lengths,
    border_distance,
    densify,
    ends_at_edge,
    flanking_peaks,
    median,
    values_at,
)


def _neighbours(skel: NDArray[np.uint8]) -> NDArray[np.float32]:
    """Number of 8-neighbours of each skeleton pixel."""
    k = np.ones((3, 3), np.float32)
    k[1, 1] = 0
    return np.asarray(cv2.filter2D(skel.astype(np.float32), -1, k,
                                   borderType=cv2.BORDER_CONSTANT) * skel)


def _node_discs(skel: NDArray[np.uint8], dist: NDArray[np.float32]) -> NDArray[np.int32]:
    """Label image of junction nodes: discs of about one hair width around junctions."""
    disc = np.zeros(skel.shape, np.uint8)
    ys, xs = np.nonzero(_neighbours(skel) >= 3)
    for y, x in zip(ys.tolist(), xs.tolist(), strict=True):
        cv2.circle(disc, (x, y), int(round(1.2 * dist[y, x] + 1.5)), 1, -1)
    _, lab = cv2.connectedComponents(disc, connectivity=8)
    return np.asarray(lab, dtype=np.int32)


def _ordered_segments(seg: NDArray[np.uint8]) -> list[Points]:
    """Ordered pixel paths of the 1-px-thick components of ``seg`` (x, y)."""
    contours, hier = cv2.findContours(seg, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    ends = _neighbours(seg) == 1
    paths = []
    for k, c in enumerate(contours):
        if hier[0][k][3] != -1:
            continue
        pts = c[:, 0, :]
        idx = np.flatnonzero(ends[pts[:, 1], pts[:, 0]])
        if len(pts) == 1:
            path = pts
        elif len(idx) >= 2:
            path = pts[idx[0]:idx[1] + 1]
        else:
            path = pts[: len(pts) // 2 + 1]
        paths.append(path.astype(np.float64))
    return paths


@dataclass
class _End:
    """A segment end touching a junction node, with its inward direction."""
    seg: int
    head: bool
    node: int
    direction: Points
    pos: Points
    width: float


def _direction(path: Points, head: bool, reach: float) -> Points:
    """Unit vector pointing from the end into the segment, over ``reach`` pixels."""
    pts = path if head else path[::-1]
    d = np.hypot(*(pts - pts[0]).T)
    far = pts[min(int(np.searchsorted(d, reach)), len(pts) - 1)]
    v = far - pts[0]
    n = float(np.hypot(*v))
    return np.asarray(v / n) if n > 0 else np.zeros(2)


def _ends(paths: list[Points], nodes: NDArray[np.int32],
          dist: NDArray[np.float32]) -> list[_End]:
    """Ends of segments that touch a node, with their inward directions."""
    grown = cv2.dilate(nodes.astype(np.float32), np.ones((5, 5), np.uint8)).astype(np.int32)
    out = []
    for i, path in enumerate(paths):
        for head in (True, False):
            x, y = (path[0] if head else path[-1]).astype(int)
            node = int(grown[y, x])
            if node:
                reach = max(4.0, 3.0 * float(dist[y, x]))
                pos = path[0] if head else path[-1]
                out.append(_End(i, head, node, _direction(path, head, reach), pos,
                                2.0 * float(dist[y, x])))
    return out


ARC_TOL_DEG = 5.0
"""Largest difference between the turns into and out of the chord of one arc."""


def _aligned(dirs: Points, pos: Points, width: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Pairwise: does end j lie near the straight continuation of end i (and vice
    versa), or do both lie on one arc (:func:`_on_one_arc`)? ``dirs`` are the ends'
    inward unit directions, ``pos`` their positions, ``width`` their widths."""
    d = pos[None, :, :] - pos[:, None, :]  # d[i, j] = pos[j] - pos[i]
    wmax = np.maximum(width[:, None], width[None, :])
    tol = 0.6 * wmax + 2.0
    off_a = np.abs(dirs[:, None, 0] * d[..., 1] - dirs[:, None, 1] * d[..., 0])
    off_b = np.abs(dirs[None, :, 0] * d[..., 1] - dirs[None, :, 1] * d[..., 0])
    near = np.hypot(d[..., 0], d[..., 1]) < 8.0 * wmax + 6
    return near & (((off_a < tol) & (off_b < tol)) | _on_one_arc(dirs, d))


def _on_one_arc(dirs: Points, d: Points) -> NDArray[np.bool_]:
    """Pairwise: are ends i and j (joined by the chord ``d[i, j]``) the ends of one
    circular arc across the node?

    Over a long node (several crossings merged) a curved shaft drifts off its
    straight tangent; on an arc the chord bisects the two end tangents, so the
    turn from i's tangent to the chord equals the turn from the chord to j's.
    """
    chord = np.arctan2(d[..., 1], d[..., 0])
    ta = np.arctan2(-dirs[:, 1], -dirs[:, 0])[:, None]  # travelling from i towards j
    tb = np.arctan2(dirs[:, 1], dirs[:, 0])[None, :]  # and on past j
    turn_a = (chord - ta + np.pi) % (2 * np.pi) - np.pi
    turn_b = (tb - chord + np.pi) % (2 * np.pi) - np.pi
    return np.asarray((np.abs(turn_a - turn_b) <= np.radians(ARC_TOL_DEG))
                      & (np.maximum(np.abs(turn_a), np.abs(turn_b))
                         <= np.radians(MAX_TURN_DEG / 2 + ARC_TOL_DEG)))


def _pair_at_nodes(ends: list[_End], uf: UnionFind,
                   forced: list[tuple[_End, _End]] | None = None
                   ) -> dict[tuple[int, bool], tuple[int, bool]]:
    """Pair branches through each node by tangent continuity.

    Returns, for every paired segment end, the end it continues into (both ways):
    the walk must follow the pairs chosen here. (Choosing the partner again by
    direction alone, among every paired end of the node, joined one of two
    parallel hairs crossing the same node to the other half of its neighbour.)
    The pairs in ``forced`` (decided across a long shared bridge,
    :func:`_smooth_crossing`) are taken first; the other candidates are paired
    greedily, the most nearly opposite first.
    """
    by_node: dict[int, list[_End]] = {}
    for e in ends:
        by_node.setdefault(e.node, []).append(e)
    cos_max = np.cos(np.radians(180.0 - MAX_TURN_DEG))
    links: dict[tuple[int, bool], tuple[int, bool]] = {}
    for x, y in forced or []:
        a, b = (x.seg, x.head), (y.seg, y.head)
        if a not in links and b not in links:
            uf.union(x.seg, y.seg)
            links[a], links[b] = b, a
    for group in by_node.values():
        if len(group) < 2:
            continue
        dirs = np.array([e.direction for e in group])
        pos = np.array([e.pos for e in group])
        seg = np.array([e.seg for e in group])
        c = dirs[:, None, 0] * dirs[None, :, 0] + dirs[:, None, 1] * dirs[None, :, 1]
        limit = -0.2 if len(group) == 2 else cos_max
        ok = (np.triu(c <= limit, 1) & (seg[:, None] != seg[None, :])
              & _aligned(dirs, pos, np.array([e.width for e in group])))
        ii, jj = np.nonzero(ok)
        used = {k for k, e in enumerate(group) if (e.seg, e.head) in links}
        for k in np.lexsort((jj, ii, c[ii, jj])):
            i, j = int(ii[k]), int(jj[k])
            if i in used or j in used:
                continue
            used.update((i, j))
            uf.union(group[i].seg, group[j].seg)
            a, b = (group[i].seg, group[i].head), (group[j].seg, group[j].head)
            links[a], links[b] = b, a
    return links


def _width_at(path: Points, dist: NDArray[np.float32]) -> float:
    """Median local width (2 x distance to background) along a path."""
    ix = path.astype(int)
    return 2.0 * median(dist[ix[:, 1], ix[:, 0]])


STUB_TURN_DEG = 20.0
"""Largest turn accepted along a clipped stub (a stub under a millimetre is nearly straight)."""

WIDTH_STEP = 2.5
"""Ratio of the mask widths on either side of a point above which a line is two hairs."""


def _two_part_deviation(w: NDArray[np.float64], cuts: NDArray[np.int64]) -> NDArray[np.float64]:
    """For each cut c, the summed absolute deviation of ``w[:c]`` and of ``w[c:]`` from
    their own medians (all cuts at once: one row per cut, the other part masked)."""
    j = np.arange(len(w))[None, :]
    left = j < cuts[:, None]
    rows = np.arange(len(cuts))
    lo = np.sort(np.where(left, w, np.inf), axis=1)
    med_l = (lo[rows, (cuts - 1) // 2] + lo[rows, cuts // 2]) / 2
    k = len(w) - cuts
    hi = np.sort(np.where(left, np.inf, w), axis=1)
    med_r = (hi[rows, (k - 1) // 2] + hi[rows, k // 2]) / 2
    dev = np.where(left, np.abs(w - med_l[:, None]), np.abs(w - med_r[:, None]))
    return np.asarray(dev.sum(axis=1))


def split_at_width_step(pts: Points, dist: NDArray[np.float32]) -> list[Points]:
    """Split a line where its width steps (a thin hair touching the end of a thick one).

    A shaft's width is nearly constant along its visible length; the tip of
    a vellus hair touching the cut end of a terminal stub thins into one
    line with it. The cut is the change point of the mask width along the
    line (least absolute deviation from each side's median); it splits when
    each side is at least two of its widths long and the medians of the two
    sides, half the wider side's width either side of the cut left out, differ
    by more than :data:`WIDTH_STEP` times, unless the thin side runs along the image border
    (a stub cut lengthwise by the frame shows less of its width towards the edge).
    """
    n = len(pts)
    if n < 12:
        return [pts]
    ix = pts.astype(int)
    w = 2.0 * dist[ix[:, 1], ix[:, 0]].astype(np.float64)
    s = arc_lengths(pts)
    cands = np.arange(3, n - 3, max(1, n // 60))
    c = int(cands[int(np.argmin(_two_part_deviation(w, cands)))])
    wa, wb = median(w[:c]), median(w[c:])
    if s[c] < 2.0 * wa or s[-1] - s[c] < 2.0 * wb:
        return [pts]
    # The thick side's rounded end blurs the width profile over about its half-width.
    hi = 0.5 * max(wa, wb)
    ka, kb = w[:c][s[:c] < s[c] - hi], w[c:][s[c:] > s[c] + hi]
    if len(ka) < 3 or len(kb) < 3:
        return [pts]
    ma, mb = float(np.median(ka)), float(np.median(kb))
    if max(ma, mb) <= WIDTH_STEP * max(min(ma, mb), 1e-9):
        return [pts]
    thin = pts[:c + 1] if ma < mb else pts[c:]
    if _along_border(thin, dist.shape, 0.6 * max(ma, mb)):
        return [pts]  # a stub cut lengthwise by the frame narrows towards the edge
    return [pts[:c + 1], pts[c:]]


SIDESTEP = 0.5
"""Sideways step (in widths) between the straight parts of a line above which it is two
stubs: its skeleton crossed from one onto a parallel one where they touch."""

SIDESTEP_LONGEST = 12.0
"""Longest line (in widths) looked at for a sidestep: a stub's length. Longer lines are long
hair, where the bends and crossings of a hair the stub branch sees would read as steps."""


def _line_fits(s: NDArray[np.float64], o: NDArray[np.float64], lo: NDArray[np.int64],
               hi: NDArray[np.int64]) -> tuple[NDArray[np.float64], ...]:
    """Least-squares lines ``o = a + b s`` over ``[lo, hi)`` for many ranges at once
    (prefix sums): intercepts, slopes and RMS residuals. Hand-written because numpy's
    ``polyfit`` fits one range per call: two fits per candidate cut would cost O(n^2)."""
    def prefix(v: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.concatenate([[0.0], np.cumsum(v)])

    n, ss, s2, so, sos, o2 = (prefix(v)[hi] - prefix(v)[lo]
                              for v in (np.ones_like(s), s, s * s, o, s * o, o * o))
    det = np.maximum(n * s2 - ss * ss, 1e-9)
    b = (n * sos - ss * so) / det
    a = (so - b * ss) / np.maximum(n, 1)
    sse = o2 - 2 * a * so - 2 * b * sos + a * a * n + 2 * a * b * ss + b * b * s2
    return a, b, np.sqrt(np.maximum(sse, 0.0) / np.maximum(n, 1))


def split_at_sidestep(pts: Points, width: float) -> list[Points]:
    """Split a line that steps sideways from one straight stub onto a parallel one.

    Stubs leaving one ostium often lie side by side and touch along part of
    their length; the skeleton of the merged blob may run along one, cross
    where they touch and go on along the other, a path of two straight parts
    offset sideways (an S too gentle for :func:`~.chains.split_at_kinks`).
    Only lines 4 to :data:`SIDESTEP_LONGEST` widths long are looked at.
    Each candidate cut fits a straight line to the offsets from the chord on
    either side, leaving out half a width round the cut; the line splits where
    both sides are straight (RMS within 0.12 widths + 0.5 px), nearly parallel
    (within 20 degrees), each at least 1.5 widths long, and stand apart by at
    least :data:`SIDESTEP` widths at the cut. The half-width round the cut is
    dropped: it lies across the gap between the two stubs.
    """
    n = len(pts)
    s = arc_lengths(pts)
    if n < 12 or not 4.0 * width <= s[-1] <= SIDESTEP_LONGEST * width:
        return [pts]
    chord = pts[-1] - pts[0]
    u = chord / max(float(np.hypot(*chord)), 1e-9)
    o = (pts - pts[0]) @ np.array([-u[1], u[0]])
    cuts = np.flatnonzero((s >= 1.5 * width) & (s <= s[-1] - 1.5 * width))
    if not len(cuts):
        return [pts]
    lo = np.searchsorted(s, s[cuts] - 0.5 * width)
    hi = np.searchsorted(s, s[cuts] + 0.5 * width, side="right")
    a1, b1, r1 = _line_fits(s, o, np.zeros_like(lo), lo)
    a2, b2, r2 = _line_fits(s, o, hi, np.full_like(hi, n))
    jump = np.abs((a1 + b1 * s[cuts]) - (a2 + b2 * s[cuts]))
    tol = 0.12 * width + 0.5
    ok = ((r1 <= tol) & (r2 <= tol) & (lo >= 4) & (n - hi >= 4)
          & (np.abs(np.arctan(b1) - np.arctan(b2)) <= np.radians(20.0))
          & (jump >= SIDESTEP * width))
    if not ok.any():
        return [pts]
    k = int(np.argmax(np.where(ok, jump, -1.0)))
    return [pts[:lo[k]], pts[hi[k]:]]


def _along_border(pts: Points, shape: tuple[int, ...], reach: float) -> bool:
    """True when most (4/5) of a line lies within ``reach`` px of the image border."""
    return bool(np.mean(border_distance(pts, shape) <= reach) >= 0.8)


def _prune(paths: list[Points], ends: list[_End], nodes: NDArray[np.int32],
           dist: NDArray[np.float32]) -> tuple[set[int], list[_End], list[tuple[_End, _End]]]:
    """Drop spurs and absorb short bridges into their nodes; returns dropped, ends and
    the branch pairs decided across long shared bridges (:func:`_smooth_crossing`)."""
    by_seg: dict[int, list[_End]] = {}
    for e in ends:
        by_seg.setdefault(e.seg, []).append(e)
    uf = UnionFind(int(nodes.max()) + 1)
    drop: set[int] = set()
    for s, es in by_seg.items():
        if len(es) == 1 and length(paths[s]) < 0.5 * _width_at(paths[s], dist) + 2:
            drop.add(s)
    degree: dict[int, int] = {}
    for e in ends:
        if e.seg not in drop:
            degree[e.node] = degree.get(e.node, 0) + 1
    kept_ends = [e for e in ends if e.seg not in drop]
    forced: list[tuple[_End, _End]] = []
    for s, es in by_seg.items():
        if len(es) != 2 or es[0].node == es[1].node or s in drop:
            continue
        seg_len, width = length(paths[s]), _width_at(paths[s], dist)
        short = min(degree[es[0].node], degree[es[1].node]) >= 3 and seg_len < 2.0 * width
        x_like = degree[es[0].node] == degree[es[1].node] == 3  # two branches either side
        pairs = _smooth_crossing(es, kept_ends, paths) if x_like else None
        if pairs or short or (seg_len < 6.0 * width and _is_crossing(es, kept_ends)):
            uf.union(es[0].node, es[1].node)
            drop.add(s)
            forced += pairs or []
    kept = [_End(e.seg, e.head, uf.find(e.node), e.direction, e.pos, e.width)
            for e in ends if e.seg not in drop]
    return drop, kept, forced


def _beside(bridge: list[_End], ends: list[_End]) -> tuple[list[_End], list[_End]]:
    """The other branches at each of the two nodes a bridge joins."""
    a, b = ([e for e in ends if e.node == end.node and e.seg != end.seg] for end in bridge[:2])
    return a, b


def _is_crossing(bridge: list[_End], ends: list[_End]) -> bool:
    """True when the two nodes joined by a bridge are one shallow X-crossing.

    Each node must have exactly two other branches, and those four must form
    two straight continuations across both nodes.
    """
    a, b = _beside(bridge, ends)
    if len(a) != 2 or len(b) != 2:
        return False
    return any(_continues(a[0], b[i]) and _continues(a[1], b[1 - i]) for i in (0, 1))


def _smooth_crossing(bridge: list[_End], ends: list[_End], paths: list[Points]
                     ) -> list[tuple[_End, _End]] | None:
    """The two hairs of a shallow X whose shared stretch is a long bridge, or None.

    Two shafts crossing at a small angle merge over many widths; the skeleton
    runs one line along the merged stretch (the bridge) with two branches at
    each end. Taking the bridge as one of the hairs joins each half of one
    shaft to the other half of the other (two bounces). When each branch at
    one end continues a branch at the other end along one smooth curve
    (:func:`~mesohair.imaging.chains.off_one_curve`, as pieces are linked in
    :func:`~mesohair.imaging.chains.link_fragments`), the bridge is both
    hairs: those pairs are returned, to be joined across it.
    """
    a, b = _beside(bridge, ends)
    if len(a) != 2 or len(b) != 2 or len({e.seg for e in a + b}) != 4:
        return None

    def fit(x: _End, y: _End) -> float:
        if float(x.direction @ y.direction) > -0.5:
            return float("inf")
        px, py = paths[x.seg], paths[y.seg]
        wx, wy = x.width, y.width
        sx = end_span(px[::-1] if x.head else px, wx)
        sy = end_span(py[::-1] if y.head else py, wy)
        return off_one_curve(sx, sy, max(wx, wy))

    best = min((max(fit(a[0], b[i]), fit(a[1], b[1 - i])), i) for i in (0, 1))
    if not best[0] <= 1:
        return None
    i = best[1]
    return [(a[0], b[i]), (a[1], b[1 - i])]


def _continues(a: _End, b: _End) -> bool:
    """True when b carries on the straight line of a (facing, small lateral offset)."""
    if float(a.direction @ b.direction) > -np.cos(np.radians(MAX_TURN_DEG)):
        return False
    d = b.pos - a.pos
    tol = 0.6 * max(a.width, b.width) + 2.0
    return bool(abs(a.direction[0] * d[1] - a.direction[1] * d[0]) < tol
                and abs(b.direction[0] * d[1] - b.direction[1] * d[0]) < tol)


def _walk(start: int, paths: list[Points], links: dict[tuple[int, bool], tuple[int, bool]],
          seen: set[int]) -> Points:
    """Concatenate linked segments starting from ``start`` at its unlinked end."""
    head_free = (start, True) not in links
    seg, entered_head = start, head_free
    parts = []
    while seg not in seen:
        seen.add(seg)
        path = paths[seg] if entered_head else paths[seg][::-1]
        parts.append(path)
        nxt = links.get((seg, not entered_head))
        if nxt is None:
            break
        seg, entered_head = nxt
    return np.concatenate(parts, axis=0)


def _extended_piece(piece: Points, mask: NDArray[np.bool_], width: float,
                    min_length: float) -> Chain | None:
    """A piece of traced line prolonged to the mask's ends, or None when too short
    (a stub cut by the frame may be as short as its width)."""
    piece = extend_both(piece, mask, width)
    cut = ends_at_edge(piece, mask.shape, 3.0)
    long_enough = length(piece) >= max(min_length, (1.0 if cut else 2.0) * width)
    return Chain(piece, width) if long_enough else None


SPARSE_MASK = 0.1
"""Fraction of the image the hair mask covers below which it is thinned one connected
part at a time (:func:`_skeleton`)."""


def _skeleton(mask: NDArray[np.bool_]) -> NDArray[np.uint8]:
    """Zhang-Suen skeleton of the mask (scikit-image), 1 on the skeleton.

    The thinning sweeps the whole image on every pass, and passes go on until the
    thickest part is thin. Pixels of different 8-connected parts are never neighbours,
    so each part thins alone exactly as it does in the whole image: where the mask is
    sparse (clipped stubs, 3 % of the field), each part is thinned in its own box
    (5.6 -> 1.7 ms on a 1280x1024 image); where it is not (long hair, a few parts
    spanning the field) the boxes would cover the image and the whole is thinned.
    """
    if float(mask.mean()) >= SPARSE_MASK:
        return np.asarray(skeletonize(mask), np.uint8)  # type: ignore[no-untyped-call]
    n, lab, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    skel = np.zeros(mask.shape, np.uint8)
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        part = skeletonize(lab[y:y + h, x:x + w] == i)  # type: ignore[no-untyped-call]
        skel[y:y + h, x:x + w] |= np.asarray(part, np.uint8)
    return skel


CAP_NOTCH = 0.15
"""Least depth of the notch between two stub ends poking in from beyond the frame, as a
fraction of the shallower end's depth in from the border (and 3 px at least)."""

CAP_SPAN = 3.0
"""Longest run along the border (in widths of the traced line) of one stub end."""


def _depth_from_border(pts: Points, mask: NDArray[np.bool_]
                       ) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """For a line lying along a side of the image (the nearest to most of its points):
    each point's position along that side, and the mask's depth in from that side at
    every position (how many mask pixels run in from the outermost row or column)."""
    h, w = mask.shape
    gaps = np.stack([pts[:, 0], w - 1 - pts[:, 0], pts[:, 1], h - 1 - pts[:, 1]])
    side = int(np.argmin(np.median(gaps, axis=1)))
    view = (mask, mask[:, ::-1], mask.T, mask[::-1].T)[side]  # rows run along the side
    along = pts[:, 1] if side < 2 else pts[:, 0]
    # the first pixel off the mask in each row: the depth (the whole row when none is)
    off = ~view
    depth = np.where(off.any(axis=1), np.argmax(off, axis=1), view.shape[1])
    return along, depth.astype(np.intp)


def _notch(depth: NDArray[np.intp], width: float) -> int | None:
    """Index of the deepest notch between two stub ends, or None: each end at least
    0.4 ``width`` deep and at most :data:`CAP_SPAN` widths along the border, the notch
    at least 3 px and :data:`CAP_NOTCH` of the shallower end's depth less deep."""
    d = depth.astype(np.float64)
    ends = flanking_peaks(d)
    rise = np.where(ends >= 0.4 * width, ends - d, -np.inf)
    k = int(np.argmax(rise))
    if not rise[k] >= max(3.0, CAP_NOTCH * ends[k]):
        return None
    # each end's run along the border, from the notch to where the blob thins out
    shallow = d < 0.4 * width
    before = np.flatnonzero(shallow[:k])
    after = np.flatnonzero(shallow[k + 1:])
    span_before = k - (int(before[-1]) if len(before) else 0)
    span_after = (int(after[0]) if len(after) else len(d) - k - 1)
    return k if max(span_before, span_after) <= CAP_SPAN * width else None


def split_at_border_caps(pts: Points, mask: NDArray[np.bool_], width: float
                         ) -> list[Points]:
    """Cut a line traced along the image border across the rounded ends of stubs poking
    in side by side from beyond the frame: one piece per end.

    Stubs whose shafts lie beyond the frame show only their tips, rounded caps whose
    depth in from the border rises and falls; touching, they make one blob along the
    border and the skeleton runs along it across all of them (five stub ends of
    24 further clipped scalps were lost). A notch in the depth (:func:`_notch`)
    separates two ends; a stub cut lengthwise by the frame is about as deep all along
    and is not cut, nor is a run longer than :data:`CAP_SPAN` widths on either side.
    """
    if not _along_border(pts, mask.shape, width):
        return [pts]
    dense = densify(pts)
    along, depth = _depth_from_border(dense, mask)
    step = np.diff(along)
    if not ((step >= 0).all() or (step <= 0).all()):
        return [pts]  # it turns back along the border: not a line along it
    lo = max(int(np.floor(along.min())) - 1, 0)
    hi = min(int(np.ceil(along.max())) + 1, len(depth) - 1)
    k = _notch(depth[lo:hi + 1], width)
    if k is None:
        return [pts]
    at = lo + k
    first = along < at
    if not (first.any() and (~first).any()) or min(
            np.ptp(along[first]), np.ptp(along[~first])) < 0.5 * width:
        return [pts]  # a stub end is about a shaft wide along the border
    parts = [dense[first], dense[~first]]
    return [q for p in parts for q in split_at_border_caps(p, mask, width)]


THIN_PIECE = 0.5
"""Widest a piece of a clipped field may be, over the typical piece's width, along three
quarters of its length (the 75th percentile of its mask width) to be taken for part of a
thin hair: a line on the edge of a thick stub reads thin at its median only."""


def _thin_pieces_linked(chains: list[Chain], absorbance: NDArray[np.float32] | None,
                        dist: NDArray[np.float32]) -> list[Chain]:
    """Pieces of thin hairs in a field of clipped stubs joined along one straight or
    smooth line (:func:`~mesohair.imaging.chains.link_fragments`) across gaps up to a
    typical stub's width.

    A vellus stub is one or two working pixels wide, and noise breaks its mask or bends
    its skeleton into pieces that are cut as kinks and sidesteps: three 12 µm stubs of 24
    development scalps were counted as two to four hairs each. Stubs are not linked in
    general (each ends at its cut), and pieces along the image border are left alone: the
    slivers of stubs cut lengthwise by the frame are thin and lie in line.
    """
    if len(chains) < 2:
        return chains
    typical = float(np.median([c.width for c in chains]))
    thin = [2.0 * float(np.percentile(values_at(dist, c.points), 75)) <= THIN_PIECE * typical
            and not _along_border(c.points, dist.shape, typical) for c in chains]
    if sum(thin) < 2:
        return chains
    pieces = [c for c, t in zip(chains, thin, strict=True) if t]
    return ([c for c, t in zip(chains, thin, strict=True) if not t]
            + link_fragments(pieces, absorbance, max_gap=typical))


def trace_hairs(mask: NDArray[np.bool_], min_length: float = 6.0,
                absorbance: NDArray[np.float32] | None = None) -> tuple[
        list[Chain], NDArray[np.int32]]:
    """Split a hair mask into individual hairs.

    Parameters
    ----------
    mask : ndarray of bool
        Hair mask (working resolution).
    min_length : float
        Shortest hair kept, in pixels; hairs shorter than twice their width
        (follicle dots, specks) are dropped too.
    absorbance : ndarray, optional
        Hair absorbance (working resolution); with it, wide blobs of stubs cut by
        the image edge are kept (:func:`~mesohair.imaging.chains.untraced`), and
        pieces of long hair are not linked across bare skin
        (:func:`~mesohair.imaging.chains.link_fragments`).

    Returns
    -------
    chains : list of Chain
        One ordered centreline per hair.
    nodes : ndarray of int32
        Label image of the junction nodes (crossings), 0 elsewhere.
    """
    m8 = mask.astype(np.uint8)
    skel = _skeleton(mask)
    dist = np.asarray(cv2.distanceTransform(m8, cv2.DIST_L2, 5), np.float32)
    nodes = _node_discs(skel, dist)
    paths = _ordered_segments(skel & (nodes == 0).astype(np.uint8))
    drop, ends, forced = _prune(paths, _ends(paths, nodes, dist), nodes, dist)
    uf = UnionFind(len(paths))
    links = _pair_at_nodes(ends, uf, forced)
    seen: set[int] = set(drop)
    order = sorted(range(len(paths)), key=lambda i: ((i, True) in links) + ((i, False) in links))
    # Each line is cut at kinks twice: keeping smooth curls whole (long hair) and not
    # (clipped stubs, nearly straight, where two stubs may meet in a smooth bend).
    curled: list[Chain] = []
    chains: list[Chain] = []
    for i in order:
        if i in seen:
            continue
        pts = _walk(i, paths, links, seen)
        width = _width_at(pts, dist)
        straight = split_at_kinks(pts, width, curls=False)
        # keeping curls only ever cuts less: an uncut line is the same both ways
        whole = straight if len(straight) == 1 else split_at_kinks(pts, width, curls=True)
        kept = [_extended_piece(piece, mask, width, min_length) for piece in straight]
        chains += [c for c in kept if c is not None]
        if whole is straight:
            curled += [c for c in kept if c is not None]
        else:
            curled += [c for piece in whole
                       if (c := _extended_piece(piece, mask, width, min_length)) is not None]
    if curled and np.median([length(c.points) / max(c.width, 1.0) for c in curled]) >= 10:
        chains = link_fragments(curled, absorbance)  # long hair; stubs end at the cut
    elif stub_field(chains, mask):  # a thin stub touching a thick one's cut end: two hairs
        chains = [Chain(p, _width_at(p, dist)) if len(parts) > 1 else c
                  for c in chains for parts in [split_at_width_step(c.points, dist)]
                  for p in parts]
        chains = [Chain(p, c.width) for c in chains
                  for p in split_at_kinks(c.points, c.width, STUB_TURN_DEG, curls=False)
                  if length(p) >= max(min_length, 2.0 * c.width) or len(p) == len(c.points)]
        chains = [Chain(extend_both(p, mask, c.width), c.width)
                  if len(parts) > 1 else c
                  for c in chains for parts in [split_at_sidestep(c.points, c.width)]
                  for p in parts]
        chains = [Chain(p, c.width) for c in chains
                  for p in split_at_border_caps(c.points, mask, c.width)]
        chains = _thin_pieces_linked(chains, absorbance, dist)
    typical = (float(np.median([c.width for c in chains]))
               if chains and stub_field(chains, mask) else None)
    extra = untraced(mask, chains, dist, min_length, typical, absorbance)
    if typical is not None:  # blobs of stub ends at the frame, traced as one straight line
        extra = [Chain(p[[0, -1]], c.width) for c in extra
                 for p in split_at_border_caps(c.points, mask, c.width)]
    return chains + extra, nodes
