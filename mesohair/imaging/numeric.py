"""Small numeric helpers used in the per-hair loops.

``np.median`` spends about 20 µs per call on dispatch and NaN checks, which
dominates for the few hundred tiny arrays an image needs (a hair's width
samples, a profile's tails); a plain sort gives the same value in a few µs.
Inputs here never hold NaN.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def median(values: ArrayLike) -> float:
    """Median of a non-empty 1-D array (the mean of the two middle values when even)."""
    s = np.sort(np.asarray(values, dtype=np.float64).ravel())
    n = len(s)
    return float((s[(n - 1) // 2] + s[n // 2]) / 2.0)


def row_medians(values: ArrayLike) -> NDArray[np.float64]:
    """Median of each row of a 2-D array, as a column (``keepdims`` shape)."""
    s = np.sort(np.asarray(values, dtype=np.float64), axis=1)
    n = s.shape[1]
    return np.asarray((s[:, (n - 1) // 2] + s[:, n // 2]) / 2.0)[:, None]
