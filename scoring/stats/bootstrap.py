"""Vectorised nonparametric bootstrap of covariance matrices.

A bootstrap resample of n respondents is a vector of counts c (how often each respondent was
drawn; sum c = n). Every statistic that depends on the data only through covariances can be
computed from weighted sufficient statistics, so B resamples need a (B x n) count matrix and
one matrix product with per-respondent cross-products, never a loop over resamples:

    S_j = sum_i c_i x_ij,   S_jl = sum_i c_i x_ij x_il   (x set to 0 where missing).

Pairwise-complete covariances (R's ``cov(use = "pairwise")``) also need, per pair, the weighted
count of rows answering both items and each item's sum over the rows answering the other:

    N_jl = N - D_j - D_l + D_jl,   S_j|l = S_j - E_jl,

with D_j = sum c (1 - m_j), D_jl = sum c (1 - m_j)(1 - m_l), E_jl = sum c x_j (1 - m_l) (m the
answered mask). D_jl and E_jl only involve the rows where item l is missing, so they are
computed on those rows alone (missing answers are few); then

    cov_jl = (S_jl - S_j|l S_l|j / N_jl) / (N_jl - 1).

**Distinct answer patterns.** Survey answers repeat: four items with five codes and a missing
answer have at most 6^4 = 1296 patterns, however many respondents there are. Respondents with
the same pattern are interchangeable, so a resample is fully described by how often each
*pattern* is drawn, and drawing n rows with replacement gives pattern counts that are
multinomial(n; f_1/n, ..., f_P/n) for pattern frequencies f. :func:`distinct_rows` finds the
patterns; the counts are then drawn with one ``Generator.multinomial`` call per chunk of
resamples and the cross-products are P x p instead of n x p. This is the same bootstrap (the
same distribution of resamples), not an approximation. When the rows barely repeat (many items
or continuous answers) the rows themselves are resampled: ``Generator.integers`` draws the row
indices of a chunk of resamples in one call and ``np.bincount`` counts them.

Either way the same ``seed`` gives the same resamples however the work is chunked. Counts are
processed in chunks (about 60 MB each); the cross-products are built once (in row blocks when
they would exceed about 400 MB). When the answers are whole numbers and every sum stays below
2**24 the products are done in float32, which is then exact (all partial sums are integers);
otherwise in float64.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np

CHUNK_CELLS = 15_000_000  # resampling counts held at once (resamples x rows or patterns): 60 MB; two are alive at once
DESIGN_BYTES = 400_000_000  # cross-products kept in memory at once
DRAW_RESAMPLES = 16  # resamples whose row indices are drawn by one call (rows path)
MAX_PATTERN_SHARE = 0.5  # resample patterns when there are at most this share of rows


def distinct_rows(x: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The distinct rows of ``x`` (NaN counts as one more code) and how often each occurs.

    None when the rows are not whole numbers, when their codes cannot be packed into one 64-bit
    key per row, or when there are more than ``MAX_PATTERN_SHARE`` of n distinct rows (then
    resampling rows is as cheap).
    """
    x = np.asarray(x, dtype=float)
    n, k = x.shape
    if n == 0 or k == 0 or k * np.log2(3) > 62:  # even two codes and missing would not fit in a key
        return None
    missing = np.isnan(x)
    with np.errstate(invalid="ignore"):
        low = np.where(missing.all(axis=0), 0.0, np.nanmin(np.where(missing, np.inf, x), axis=0))
        top = int(np.nanmax(np.where(missing, -np.inf, x) - low, initial=0.0)) + 1  # codes 0..top-1; top = missing
    base = top + 1
    if k * np.log2(base) > 62:
        return None
    shifted = np.where(missing, 0.0, x - low)
    if np.any(np.abs(shifted - np.round(shifted)) > 1e-12):
        return None
    codes = np.where(missing, top, shifted).astype(np.int64)
    keys = codes @ (base ** np.arange(k, dtype=np.int64))
    unique, first, weights = np.unique(keys, return_index=True, return_counts=True)
    if len(unique) > MAX_PATTERN_SHARE * n:
        return None
    return x[first], weights


def resample_counts(
    weights: np.ndarray | int, n_boot: int, seed: int | np.random.Generator | None, *, chunk: int | None = None,
    buffers: int = 0,
) -> Iterator[np.ndarray]:
    """Yield (b, P) float32 matrices of resampling counts, ``n_boot`` resamples in all.

    The matrices are in Fortran order, so that the counts of a set of rows (columns here) are
    contiguous for the sums over the rows where an item is missing.

    ``weights`` are the frequencies of P distinct rows (n = their sum) or, as an int, n rows
    that are all distinct. Row b of a matrix counts how often each distinct row comes up when n
    rows are drawn with replacement: multinomial(n; weights / n). Rows that are all distinct
    are drawn as row indices (``Generator.integers``, ``DRAW_RESAMPLES`` resamples per call) and
    counted; repeated rows as one ``Generator.multinomial`` call per chunk. The same ``seed``
    gives the same resamples whatever ``chunk`` (resamples per matrix; default about 40 million
    counts per matrix, at most 1000 resamples). With ``buffers`` = B > 0 the rows-path matrices
    cycle through B preallocated buffers (a matrix stays valid while the next B - 1 are made),
    which saves the memory of the chunks and the cost of touching it afresh.
    """
    rng = np.random.default_rng(seed)
    if np.ndim(weights) == 0:
        n, pvals = int(weights), None
        size = n
    else:
        weights = np.asarray(weights, dtype=np.int64)
        n, size = int(weights.sum()), len(weights)
        pvals = None if size == n else weights / n
    per_chunk = chunk or min(1000, max(1, CHUNK_CELLS // max(size, 1)))
    per_chunk = -(-n_boot // -(-n_boot // per_chunk)) if n_boot > 0 else per_chunk  # equal chunks: no ragged last one
    done = 0
    pool: list[np.ndarray] = []
    stage = np.empty((min(DRAW_RESAMPLES, max(n_boot, 1)), size), dtype=np.float32) if pvals is None else None
    while done < n_boot:
        b = min(per_chunk, n_boot - done)
        if pvals is not None:
            counts = np.asfortranarray(rng.multinomial(n, pvals, size=b), dtype=np.float32)
        else:
            if len(pool) < buffers or not buffers:
                buffer = np.empty((min(per_chunk, n_boot), size), dtype=np.float32, order="F")
            else:
                buffer = pool.pop(0)  # the oldest: its matrix was yielded B chunks ago
            if buffers:
                pool.append(buffer)
            counts = buffer[:b]
            for start in range(0, b, DRAW_RESAMPLES):  # groups of resamples, each group one draw
                m = min(DRAW_RESAMPLES, b - start)
                index = rng.integers(0, size, size=(m, n), dtype=np.int64)
                # one bincount per resample (its bins stay in cache), into a C-ordered stage that
                # is copied into the Fortran-ordered matrix in one block
                for row in range(m):
                    stage[row] = np.bincount(index[row], minlength=size)
                counts[start:start + m] = stage[:m]
        done += b
        yield counts


class _CrossProducts:
    """Weighted sufficient statistics of (pairwise) covariances for many resamples at once.

    Only the pairs of items that share a block (a scale) are needed: with blocks B_1, ..., the
    dense columns per row are [x_j (k), x_j x_l ((j, l) in a common block, j <= l)]; with
    missing answers, per item l, [x_j, 1 - m_j] for the items j sharing a block with l, on the
    rows missing l. x is shifted to start at 0 per item (covariances do not change), which keeps
    the sums small and, for whole-number answers, exact in float32.
    """

    def __init__(self, x: np.ndarray, n: float, blocks: list[list[int]] | None = None):
        self.rows, self.k = x.shape
        self.n = n  # respondents the rows stand for (sum of the weights)
        blocks = [list(range(self.k))] if blocks is None else [sorted(set(b)) for b in blocks]
        self.pairs = sorted({(j, other) for b in blocks for j in b for other in b if j <= other})
        self.partners = [sorted({j for b in blocks if item in b for j in b}) for item in range(self.k)]
        self.shift = np.nanmin(np.where(np.isnan(x).all(axis=0, keepdims=True), 0.0, x), axis=0)
        shifted = x - self.shift
        self.missing = np.isnan(shifted)
        self.pairwise = bool(self.missing.any())
        top = float(np.nanmax(shifted, initial=0.0))
        whole = bool(np.all(self.missing | (np.abs(shifted - np.round(shifted)) < 1e-12)))
        self.dtype = np.float32 if whole and n * max(top, 1.0) ** 2 < 2**24 else np.float64
        self.x0 = np.where(self.missing, 0.0, shifted).astype(self.dtype)
        del shifted  # 8 bytes a cell: freed before the cross-products are built
        self.columns = self.k + len(self.pairs)
        self.block = max(1, DESIGN_BYTES // (self.columns * np.dtype(self.dtype).itemsize))
        self.cached = self._rows(0, self.rows) if self.rows <= self.block else None
        # Rows where item l is missing, with x and missing indicators of its partners there.
        self.missing_rows = [np.flatnonzero(self.missing[:, item]) for item in range(self.k)] if self.pairwise else []
        self.missing_design = [
            np.concatenate([self.x0[np.ix_(rows, self.partners[item])], self.missing[np.ix_(rows, self.partners[item])].astype(self.dtype)], axis=1)
            for item, rows in enumerate(self.missing_rows)
        ]

    def _rows(self, start: int, stop: int) -> np.ndarray:
        """The cross-products of rows start..stop, (rows x columns), built column-contiguous."""
        x0 = np.ascontiguousarray(self.x0[start:stop].T)
        out = np.empty((self.columns, stop - start), dtype=self.dtype)
        out[:self.k] = x0
        col = self.k
        for j in range(self.k):  # over items, building columns
            partners = [other for (i, other) in self.pairs if i == j]
            if partners and partners == list(range(partners[0], partners[-1] + 1)):
                others = x0[partners[0]:partners[-1] + 1]  # a view, not a copy
            else:
                others = x0[partners]
            np.multiply(x0[j], others, out=out[col:col + len(partners)])
            col += len(partners)
        return out.T

    def weighted_sums(self, counts: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """counts (b x rows) -> dense sums (b x columns) and, per item l, sums over its missing rows."""
        counts = counts.astype(self.dtype, copy=False)
        if self.cached is not None:
            dense = (counts @ self.cached).astype(np.float64)
        else:
            dense = np.zeros((counts.shape[0], self.columns))
            for start in range(0, self.rows, self.block):
                stop = min(self.rows, start + self.block)
                dense += counts[:, start:stop] @ self._rows(start, stop)
        # counts is Fortran-ordered: counts.T is C-ordered and np.take copies its rows (one
        # resample vector per respondent) whole, faster than the element-wise counts[:, rows]
        by_row = counts.T
        sparse = [(np.take(by_row, rows, axis=0).T @ design).astype(np.float64)
                  for rows, design in zip(self.missing_rows, self.missing_design)]
        return dense, sparse

    def covariances(self, dense: np.ndarray, sparse: list[np.ndarray], total: np.ndarray) -> np.ndarray:
        """(b, k, k) covariances from :meth:`weighted_sums` (NaN for pairs in no common block);
        ``total`` = sum of counts per resample."""
        b, k = dense.shape[0], self.k
        first, second = np.array(self.pairs).T  # the (j, l) of each cross-product column
        s1 = dense[:, :k]
        sxx = np.full((b, k, k), np.nan)
        sxx[:, first, second] = dense[:, k:]
        sxx[:, second, first] = dense[:, k:]
        n = total[:, None, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            if not self.pairwise:
                return (sxx - s1[:, :, None] * s1[:, None, :] / n) / (n - 1.0)
            e = np.zeros((b, k, k))  # [j, l]: sum of x_j over rows missing l
            d_pair = np.zeros((b, k, k))  # [j, l]: rows missing both; [l, l]: rows missing l
            for item, sums in enumerate(sparse):  # over items
                partners = self.partners[item]
                e[:, partners, item] = sums[:, :len(partners)]
                d_pair[:, partners, item] = sums[:, len(partners):]
            d = np.diagonal(d_pair, axis1=1, axis2=2)
            n_pair = n - d[:, :, None] - d[:, None, :] + d_pair  # diagonal: n - D_j
            s_given = s1[:, :, None] - e  # [j, l]: sum of x_j over rows answering l (and j)
            cov = (sxx - s_given * np.swapaxes(s_given, 1, 2) / n_pair) / (n_pair - 1.0)
            cov[n_pair < 2] = np.nan
        return cov


def weighted_covariances(x: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Covariance matrices of the resamples given by ``counts`` (b x n): shape (b, k, k).

    A resample's covariance equals that of the rows of ``x`` repeated ``counts`` times:
    pairwise-complete (as R's ``cov(use = "pairwise")``) when ``x`` has NaN, else ordinary
    (n - 1 divisor).
    """
    counts = np.atleast_2d(counts)
    total = counts.sum(axis=1, dtype=np.float64)
    cross = _CrossProducts(np.asarray(x, dtype=float), float(total.max(initial=0.0)))
    dense, sparse = cross.weighted_sums(counts)
    return cross.covariances(dense, sparse, total)


def bootstrap_covariances(
    x: np.ndarray, n_boot: int, seed: int | np.random.Generator | None, *, blocks: list[list[int]] | None = None
) -> np.ndarray:
    """Covariance matrices of ``n_boot`` bootstrap resamples of the rows of ``x``: (n_boot, k, k).

    ``blocks`` (lists of column indices, e.g. the items of each scale) limit the work to the
    pairs of items that share a block; the other entries are NaN. Without them every pair is
    computed. Resamples distinct answer patterns when rows repeat (:func:`distinct_rows`), else
    rows; the counts are those of :func:`resample_counts` with the same ``seed``.
    """
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    patterns = distinct_rows(x)
    rows, weights = patterns if patterns is not None else (x, n)
    # Drawing the counts (one core) overlaps with building the cross-products and with the
    # matrix products of the previous chunk: NumPy's random draws and copies release the GIL.
    chunks = resample_counts(weights, n_boot, seed, buffers=2)
    with ThreadPoolExecutor(max_workers=1) as drawer:
        upcoming = drawer.submit(next, chunks, None)
        cross = _CrossProducts(rows, float(n), blocks)
        out = np.empty((n_boot, cross.k, cross.k))
        done = 0
        while (counts := upcoming.result()) is not None:
            upcoming = drawer.submit(next, chunks, None)
            dense, sparse = cross.weighted_sums(counts)
            out[done:done + len(counts)] = cross.covariances(dense, sparse, np.full(len(counts), float(n)))
            done += len(counts)
    return out
