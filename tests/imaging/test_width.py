"""The blur-aware width model (``mesohair.imaging.width``) on synthetic shafts of known width."""

from __future__ import annotations

import numpy as np
import pytest

from mesohair.imaging.chains import Chain
from mesohair.imaging.width import SIGMAS, _between_sigmas, measure_widths

from .conftest import hair_image


def _measured(width: float, k: float) -> float:
    """Width (px) measured across a straight shaft of ``width`` px and absorption ``k``
    whose centre lies off the pixel grid, along its known axis."""
    shape = (160, 300)
    y = 80.3
    img = hair_image(shape, [(20, y, 280, y, width, k)], noise=0.0)
    grey = img.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    chain = Chain(np.array([[40.0, y], [260.0, y]]), width)
    got, _ = measure_widths(grey, [chain], np.zeros(shape, np.int32), 1.0, False)
    return got[0]


def test_measured_widths_follow_the_true_width_without_steps() -> None:
    # Models sampled only at the profile's points moved their edges in whole samples: the
    # width read went in steps, up to 2.1 px off across this range (0.66-0.76 px on
    # average); built on a finer grid, 1.3 px at most (0.41-0.48 px on average).
    widths = np.arange(20.0, 34.01, 0.5)
    for k in (0.5, 2.0):  # a translucent shaft and an opaque stub
        err = np.array([_measured(w, k) - w for w in widths])
        assert np.abs(err).max() <= 1.5, (k, np.round(err, 2))
        assert np.abs(err).mean() <= 0.55, (k, np.round(err, 2))


def test_the_psf_sigma_is_read_between_the_grid_values() -> None:
    # A thin hair's width moves by a pixel or more from one grid sigma to the next (an
    # 8 px hair under blur 2.5 read 8.95 px at sigma 2.4, 3.3 px at 3.4): the sigma of
    # least residual is read between them, not snapped to one.
    for true in (0.7, 1.45, 2.0, 2.6):
        resid = (np.log(np.array(SIGMAS)) - np.log(true)) ** 2
        assert _between_sigmas(resid) == pytest.approx(true, rel=0.05)
    # where the grid's end is best (past it, or nearer it than the last but one) it is
    # taken as it is: there is no residual beyond it to read between
    for true in (2.9, 6.0):
        assert _between_sigmas((np.log(np.array(SIGMAS)) - np.log(true)) ** 2) == SIGMAS[-1]
    assert _between_sigmas((np.log(np.array(SIGMAS)) - np.log(0.2)) ** 2) == SIGMAS[0]
    # a residual that is not finite beside the best gives no parabola: the best is kept
    assert _between_sigmas(np.array([3.0, np.inf, 1.0, 2.0, 5.0, 6.0])) == SIGMAS[2]
