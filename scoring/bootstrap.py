"""Vectorised nonparametric bootstrap of covariance matrices.

A bootstrap resample of n respondents is a vector of counts c (how often each respondent was
drawn; sum c = n). Every statistic that depends on the data only through covariances can be
computed from weighted sufficient statistics, so B resamples need a (B x n) count matrix and
matrix products with per-respondent cross-products, never a loop over resamples:

    S_j = sum_i c_i x_ij,   S_jl = sum_i c_i x_ij x_il   (x set to 0 where missing).

Pairwise-complete covariances (R's ``cov(use = "pairwise")``) also need, per pair, the weighted
count of rows answering both items and each item's sum over the rows answering the other:

    N_jl = N - D_j - D_l + D_jl,   S_j|l = S_j - E_jl,

with D_j = sum c (1 - m_j), D_jl = sum c (1 - m_j)(1 - m_l), E_jl = sum c x_j (1 - m_l) (m the
answered mask). D_jl and E_jl only involve the rows where item l is missing, so they are
computed on those rows alone (missing answers are few); then

    cov_jl = (S_jl - S_j|l S_l|j / N_jl) / (N_jl - 1).

Draws are exactly those of drawing n rows with replacement; each resample's counts come from
``rng.integers(0, n, n)``, one resample at a time, so the stream does not depend on how the work
is chunked. Counts are processed in chunks (about 16 MB each) and the cross-products in row
blocks (about 128 MB) so memory stays bounded. When the answers are whole numbers and every sum
stays below 2**24 the products are done in float32, which is then exact (all partial sums are
integers); otherwise in float64.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

CHUNK_CELLS = 4_000_000  # resampling counts held at once (resamples x respondents)
DESIGN_CELLS = 32_000_000  # cross-products held at once (respondents x columns)


def resample_counts(n: int, n_boot: int, seed: int | np.random.Generator | None, *, chunk: int | None = None) -> Iterator[np.ndarray]:
    """Yield (b, n) float32 matrices of resampling counts, ``n_boot`` resamples in all.

    Row b counts how often each of the n rows is drawn when n rows are drawn with replacement
    (a multinomial(n; 1/n, ..., 1/n) vector). The same ``seed`` gives the same resamples
    whatever ``chunk`` (resamples per matrix; default about 4 million counts per matrix).
    """
    rng = np.random.default_rng(seed)
    per_chunk = chunk or max(1, CHUNK_CELLS // max(n, 1))
    done = 0
    while done < n_boot:
        b = min(per_chunk, n_boot - done)
        counts = np.empty((b, n), dtype=np.float32)
        for row in range(b):
            counts[row] = np.bincount(rng.integers(0, n, size=n, dtype=np.uint32), minlength=n)
        done += b
        yield counts


class _CrossProducts:
    """Weighted sufficient statistics of (pairwise) covariances for many resamples at once.

    Dense columns per row (k items, p = k(k+1)/2 pairs j <= l): [x_j (k), x_j x_l (p)] and, with
    missing answers, [1 - m_j (k)]. x is shifted to start at 0 per item (covariances do not
    change), which keeps the sums small and, for whole-number answers, exact in float32.
    """

    def __init__(self, x: np.ndarray):
        self.n, self.k = x.shape
        self.shift = np.nanmin(x, axis=0)
        shifted = x - self.shift
        self.missing = np.isnan(shifted)
        self.pairwise = bool(self.missing.any())
        top = float(np.nanmax(shifted, initial=0.0))
        whole = bool(np.all(self.missing | (np.abs(shifted - np.round(shifted)) < 1e-12)))
        self.dtype = np.float32 if whole and self.n * max(top, 1.0) ** 2 < 2**24 else np.float64
        self.x0 = np.where(self.missing, 0.0, shifted).astype(self.dtype)
        self.p = self.k * (self.k + 1) // 2
        self.columns = self.k + self.p + (self.k if self.pairwise else 0)
        self.block = max(1, DESIGN_CELLS // self.columns)
        self.cached = self._rows(0, self.n) if self.n <= self.block else None
        # Rows where item l is missing, with their x and missing indicators (for E and D_jl).
        self.missing_rows = [np.flatnonzero(self.missing[:, l]) for l in range(self.k)] if self.pairwise else []
        self.missing_design = [
            np.concatenate([self.x0[rows], self.missing[rows].astype(self.dtype)], axis=1) for rows in self.missing_rows
        ]

    def _rows(self, start: int, stop: int) -> np.ndarray:
        x0 = self.x0[start:stop]
        k = self.k
        out = np.empty((stop - start, self.columns), dtype=self.dtype)
        out[:, :k] = x0
        col = k
        for j in range(k):
            np.multiply(x0[:, j:j + 1], x0[:, j:], out=out[:, col:col + k - j])
            col += k - j
        if self.pairwise:
            out[:, col:] = self.missing[start:stop]
        return out

    def weighted_sums(self, counts: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """counts (b x n) -> dense sums (b x columns) and, per item l, sums over its missing rows."""
        counts = counts.astype(self.dtype, copy=False)
        if self.cached is not None:
            dense = (counts @ self.cached).astype(np.float64)
        else:
            dense = np.zeros((counts.shape[0], self.columns))
            for start in range(0, self.n, self.block):
                stop = min(self.n, start + self.block)
                dense += counts[:, start:stop] @ self._rows(start, stop)
        sparse = [(counts[:, rows] @ design).astype(np.float64) for rows, design in zip(self.missing_rows, self.missing_design)]
        return dense, sparse

    def covariances(self, dense: np.ndarray, sparse: list[np.ndarray], total: np.ndarray) -> np.ndarray:
        """(b, k, k) covariances from :meth:`weighted_sums`; ``total`` = sum of counts per resample."""
        b, k, p = dense.shape[0], self.k, self.p
        j, l = np.triu_indices(k)
        s1 = dense[:, :k]
        sxx = np.empty((b, k, k))
        sxx[:, j, l] = dense[:, k:k + p]
        sxx[:, l, j] = dense[:, k:k + p]
        n = total[:, None, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            if not self.pairwise:
                return (sxx - s1[:, :, None] * s1[:, None, :] / n) / (n - 1.0)
            d = dense[:, k + p:]  # weighted count of rows missing item j
            e = np.zeros((b, k, k))  # [j, l]: sum of x_j over rows missing l
            d_pair = np.zeros((b, k, k))  # [j, l]: rows missing both
            for item, sums in enumerate(sparse):
                e[:, :, item] = sums[:, :k]
                d_pair[:, :, item] = sums[:, k:]
            n_pair = n - d[:, :, None] - d[:, None, :] + d_pair  # diagonal: n - D_j
            s_given = s1[:, :, None] - e  # [j, l]: sum of x_j over rows answering l (and j)
            cov = (sxx - s_given * np.swapaxes(s_given, 1, 2) / n_pair) / (n_pair - 1.0)
            cov[n_pair < 2] = np.nan
        return cov


def weighted_covariances(x: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Covariance matrices of the resamples given by ``counts`` (b x n): shape (b, k, k).

    A resample's covariance equals that of the rows repeated ``counts`` times: pairwise-complete
    (as R's ``cov(use = "pairwise")``) when ``x`` has NaN, else ordinary (n - 1 divisor).
    """
    cross = _CrossProducts(np.asarray(x, dtype=float))
    counts = np.atleast_2d(counts)
    dense, sparse = cross.weighted_sums(counts)
    return cross.covariances(dense, sparse, counts.sum(axis=1, dtype=np.float64))


def bootstrap_covariances(x: np.ndarray, n_boot: int, seed: int | np.random.Generator | None) -> np.ndarray:
    """Covariance matrices of ``n_boot`` bootstrap resamples of the rows of ``x``: (n_boot, k, k).

    The resamples are those of :func:`resample_counts` with the same ``seed``.
    """
    cross = _CrossProducts(np.asarray(x, dtype=float))
    out = np.empty((n_boot, cross.k, cross.k))
    # Bigger chunks when the cross-products are rebuilt for every chunk (very many columns).
    chunk = max(1, (CHUNK_CELLS if cross.cached is not None else DESIGN_CELLS) // max(cross.n, 1))
    done = 0
    for counts in resample_counts(cross.n, n_boot, seed, chunk=chunk):
        dense, sparse = cross.weighted_sums(counts)
        out[done:done + len(counts)] = cross.covariances(dense, sparse, np.full(len(counts), float(cross.n)))
        done += len(counts)
    return out
