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
or continuous answers) the rows themselves are resampled, **by groups of rows**: the rows are
cut into groups G_1, ..., G_m of ``GROUP_ROWS`` rows; of n rows drawn with replacement, the
numbers drawn from each group are multinomial(n; |G_1|/n, ..., |G_m|/n), and given those
totals the draws within a group are uniform over its rows. So a resample's group totals are
drawn first (one small ``Generator.multinomial`` call for a chunk of resamples), then, group by
group, its rows' counts (uniform row indices for the group's draws: the generator's raw bits when
the group has a power-of-two number of rows, else ``Generator.integers``; the draws of 16 resamples
at a time tallied by scipy's sparse-to-dense conversion of (resample, row) pairs). This is exactly drawing n rows with replacement, and each group's counts are
multiplied with that group's cross-products only: the (resamples x n) count matrix and the (n x
p) design never exist whole, and the groups are drawn and multiplied in ``WORKERS`` threads
(NumPy's draws, scipy's tally and the BLAS product release the GIL; ``np.bincount`` does not,
which is why it is not used), so that both cores draw.
Every (chunk, group) has its own random stream, derived from ``seed`` (``SeedSequence`` spawn
keys), so the result does not depend on which thread finishes first.

Either way the same ``seed`` gives the same resamples however the work is chunked or threaded.
When the answers are whole numbers and every sum stays below 2**24 the products are done in
float32, which is then exact (all partial sums are integers); otherwise in float64.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy.sparse import coo_array
from threadpoolctl import threadpool_limits

from scoring.stats.pairwise import ROW_BLOCK  # rows read at a time when a pass needs temporaries

CHUNK_CELLS = 15_000_000  # pattern counts held at once (resamples x patterns): 60 MB
DESIGN_BYTES = 400_000_000  # cross-products kept in memory at once (patterns path)
GROUP_ROWS = 16_384  # rows path: rows whose counts are drawn, and multiplied, together
RESAMPLE_CHUNK = 1_000  # rows path: resamples drawn together; a group's counts are then 65 MB float32
WORKERS = max(1, min(4, os.cpu_count() or 1))  # rows path: threads drawing and multiplying groups (about 100 MB each)
STAGE_RESAMPLES = 16  # rows path: resamples counted before they are copied into the Fortran-ordered counts
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


def _root_sequence(seed: int | np.random.Generator | None) -> np.random.SeedSequence:
    """The seed sequence every random stream of one bootstrap is derived from."""
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(seed.integers(0, 2**63, size=4))
    return np.random.SeedSequence(seed)


def _stream(root: np.random.SeedSequence, *key: int) -> np.random.Generator:
    """The generator of one part of the work (``key``), independent of every other part's."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, *key))))


class RowDraws:
    """Resampling counts of n distinct rows, drawn by (chunk of resamples, group of rows).

    Resample r draws n rows with replacement. Its totals per group of rows (``groups``, up to
    ``GROUP_ROWS`` rows each) are multinomial(n; |G|/n), drawn when the draws are made (one
    stream per chunk of ``RESAMPLE_CHUNK`` resamples); given them, group i's rows are drawn
    uniformly (:meth:`counts`, one stream per chunk and group). The counts are the same however
    the groups are scheduled.
    """

    def __init__(self, n: int, n_boot: int, seed: int | np.random.Generator | None):
        self.root = _root_sequence(seed)
        self.groups = [(start, min(n, start + GROUP_ROWS)) for start in range(0, n, GROUP_ROWS)]
        self.chunks = [(start, min(n_boot, start + RESAMPLE_CHUNK)) for start in range(0, n_boot, RESAMPLE_CHUNK)]
        sizes = np.array([stop - start for start, stop in self.groups], dtype=float)
        self._totals = [
            np.full((stop - start, 1), n, dtype=np.int64) if len(self.groups) == 1
            else _stream(self.root, c).multinomial(n, sizes / n, size=stop - start)
            for c, (start, stop) in enumerate(self.chunks)
        ]

    def counts(self, chunk: int, group: int, out: np.ndarray | None = None) -> np.ndarray:
        """(resamples of the chunk) x (rows of the group) counts, float32, Fortran-ordered.

        Fortran order keeps a row's counts over the resamples contiguous, for the sums over the
        rows where an item is missing (:meth:`_CrossProducts.block_sums`). ``out``: a
        (rows of the group) x (resamples) float32 array to write into (its transpose is
        returned), so that a worker reuses its memory from group to group.
        """
        start, stop = self.groups[group]
        size = stop - start
        totals = self._totals[chunk][:, group]
        indices = _IndexStream(_stream(self.root, chunk, group), size, int(totals.sum()))
        shape = (size, len(totals))  # transposed: (b x size) in Fortran order
        fits = out is not None and out.shape == shape and out.dtype == np.float32 and out.flags.c_contiguous
        counts = out if fits else np.empty(shape, dtype=np.float32)
        stage = np.empty((STAGE_RESAMPLES, size), dtype=np.float32, order="F")
        ends = np.cumsum(totals)
        starts = ends - totals
        stages = range(0, len(totals), STAGE_RESAMPLES)
        ones = np.ones(int(np.add.reduceat(totals, stages).max(initial=0)) if len(totals) else 0, dtype=np.float32)
        for first in stages:  # over resamples, a stage at a time
            last = min(len(totals), first + STAGE_RESAMPLES)
            drawn = indices.take(int(ends[last - 1] - starts[first]))
            resample = np.repeat(np.arange(last - first, dtype=np.int32), totals[first:last])
            # scipy's dense conversion of (resample, row) pairs sums the repeats without the GIL
            # (np.bincount holds it: the other worker and the scales' analyses would wait); in a
            # Fortran-ordered stage a row's 16 counts share a cache line
            part = stage[:last - first] if last - first == STAGE_RESAMPLES else np.empty((last - first, size), np.float32, order="F")
            coo_array((ones[:len(drawn)], (resample, drawn)), shape=part.shape).toarray(out=part)
            counts[:, first:last] = part.T
        return counts.T

    def whole(self, chunk: int) -> np.ndarray:
        """The chunk's counts for all n rows (small n: tests and callers that need the matrix)."""
        return np.hstack([self.counts(chunk, group) for group in range(len(self.groups))])


class _IndexStream:
    """``count`` row indices drawn uniformly from 0..size-1, handed out a stage at a time.

    A full group has a power-of-two number of rows (``GROUP_ROWS`` = 2**14): then each 16 bits of
    the generator's raw 64-bit output, masked to the low log2(size) bits, is exactly uniform, and
    four indices come from one raw number (a quarter of the time of ``Generator.integers`` and
    half its memory: 2 bytes an index). The raw numbers are drawn as the stages need them (the
    16-bit pieces left over from one stage start the next), so a group's 33 MB of indices never
    exist at once (fresh memory's first touch is the slow part), and the indices are those of one
    draw of all of them, in the same order. Other sizes draw every index at once with
    ``Generator.integers`` (uint32, NumPy's fastest bounded draw; its pieces would not be the
    same as one draw's).
    """

    def __init__(self, rng: np.random.Generator, size: int, count: int):
        self.rng, self.mask = rng, np.uint16(size - 1)
        self.piecewise = 0 < size <= 2**16 and size & (size - 1) == 0
        # drawn, not yet handed out
        self.left = np.empty(0, dtype=np.uint16) if self.piecewise else rng.integers(0, size, size=count, dtype=np.uint32)

    def take(self, n: int) -> np.ndarray:
        if self.piecewise and n > len(self.left):
            fresh = self.rng.bit_generator.random_raw(-(-(n - len(self.left)) // 4)).view(np.uint16)
            np.bitwise_and(fresh, self.mask, out=fresh)
            self.left = np.concatenate([self.left, fresh]) if len(self.left) else fresh
        drawn, self.left = self.left[:n], self.left[n:]
        return drawn


def resample_counts(
    weights: np.ndarray | int, n_boot: int, seed: int | np.random.Generator | None, *, chunk: int | None = None,
) -> Iterator[np.ndarray]:
    """Yield (b, P) float32 matrices of resampling counts, ``n_boot`` resamples in all.

    ``weights`` are the frequencies of P distinct rows (n = their sum) or, as an int, n rows
    that are all distinct. Row b of a matrix counts how often each distinct row comes up when n
    rows are drawn with replacement: multinomial(n; weights / n). Repeated rows are drawn as one
    ``Generator.multinomial`` call per chunk; distinct rows as :class:`RowDraws` draws them (the
    counts :func:`bootstrap_covariances` uses for the same ``seed``). The same ``seed`` gives the
    same resamples whatever ``chunk`` (resamples per matrix; default about 15 million counts per
    matrix, at most 1000 resamples).
    """
    if np.ndim(weights) == 0:
        n, pvals = int(weights), None
        size = n
    else:
        weights = np.asarray(weights, dtype=np.int64)
        n, size = int(weights.sum()), len(weights)
        pvals = None if size == n else weights / n
    per_chunk = chunk or min(1000, max(1, CHUNK_CELLS // max(size, 1)))
    per_chunk = -(-n_boot // -(-n_boot // per_chunk)) if n_boot > 0 else per_chunk  # equal chunks: no ragged last one
    if pvals is None:
        draws = RowDraws(size, n_boot, seed)
        whole = np.vstack([draws.whole(c) for c in range(len(draws.chunks))]) if n_boot > 0 else np.empty((0, size), np.float32)
        for start in range(0, n_boot, per_chunk):
            yield np.asfortranarray(whole[start:start + per_chunk])
        return
    rng = np.random.default_rng(seed)
    done = 0
    while done < n_boot:
        b = min(per_chunk, n_boot - done)
        done += b
        yield np.asfortranarray(rng.multinomial(n, pvals, size=b), dtype=np.float32)


class _CrossProducts:
    """Weighted sufficient statistics of (pairwise) covariances for many resamples at once.

    Only the pairs of items that share a block (a scale) are needed: with blocks B_1, ..., the
    dense columns per row are [x_j (k), x_j x_l ((j, l) in a common block, j <= l)]; with
    missing answers, per item l, [x_j, 1 - m_j] for the items j sharing a block with l, on the
    rows missing l. x is shifted to start at 0 per item (covariances do not change), which keeps
    the sums small and, for whole-number answers, exact in float32.
    """

    def __init__(self, x: np.ndarray, n: float, blocks: list[list[int]] | None = None, *, keep: bool = True):
        self.rows, self.k = x.shape
        self.n = n  # respondents the rows stand for (sum of the weights)
        blocks = [list(range(self.k))] if blocks is None else [sorted(set(b)) for b in blocks]
        self.pairs = sorted({(j, other) for b in blocks for j in b for other in b if j <= other})
        self.partners = [sorted({j for b in blocks if item in b for j in b}) for item in range(self.k)]
        # Read a block of rows at a time: whole-matrix temporaries (62 MB each for the national
        # round's 150,000 x 52) are fresh memory, whose first touch costs more than the arithmetic.
        low, high = column_limits(x)
        self.shift = np.where(np.isfinite(low), low, 0.0)  # an item without answers keeps 0
        top = float(np.max(np.where(np.isfinite(high), high - self.shift, 0.0), initial=0.0))
        self.missing = np.empty(x.shape, dtype=bool)
        whole = True
        for start in range(0, self.rows, ROW_BLOCK):  # over blocks of rows
            block = x[start:start + ROW_BLOCK]
            missing = np.isnan(block, out=self.missing[start:start + ROW_BLOCK])
            shifted = block - self.shift
            whole = whole and bool(np.all(missing | (np.abs(shifted - np.round(shifted)) < 1e-12)))
        self.pairwise = bool(self.missing.any())
        self.dtype = np.float32 if whole and n * max(top, 1.0) ** 2 < 2**24 else np.float64
        self.x0 = np.empty(x.shape, dtype=self.dtype)
        for start in range(0, self.rows, ROW_BLOCK):  # over blocks of rows
            stop = start + ROW_BLOCK
            self.x0[start:stop] = np.where(self.missing[start:stop], 0.0, x[start:stop] - self.shift)
        self.columns = self.k + len(self.pairs)
        self._kept = threading.local()  # per thread: the last group's design, written over by the next
        self.block = max(1, DESIGN_BYTES // (self.columns * np.dtype(self.dtype).itemsize))
        # kept whole when it fits and will be multiplied again (patterns path); the rows path
        # builds each group's rows when it multiplies them
        self.cached = self._rows(0, self.rows) if keep and self.rows <= self.block else None
        # Rows where item l is missing; the x and missing indicators of its partners there are
        # gathered block by block (:meth:`_missing_design`), in the thread that multiplies them.
        self.missing_rows = [np.flatnonzero(self.missing[:, item]) for item in range(self.k)] if self.pairwise else []
        self.missing_columns = [2 * len(self.partners[item]) for item in range(len(self.missing_rows))]

    def _rows(self, start: int, stop: int, out: np.ndarray | None = None) -> np.ndarray:
        """The cross-products of rows start..stop, (rows x columns), built column-contiguous
        (into ``out``, (columns x rows), when it has that shape: a worker's memory reused)."""
        x0 = np.ascontiguousarray(self.x0[start:stop].T)
        shape = (self.columns, stop - start)
        if out is None or out.shape != shape or out.dtype != self.dtype:
            out = np.empty(shape, dtype=self.dtype)
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

    def block_sums(self, counts: np.ndarray, start: int, stop: int) -> tuple[np.ndarray, list[np.ndarray]]:
        """counts (b x rows start..stop) -> that block's dense sums (b x columns) and, per item l,
        its sums over the block's rows missing l (in ``self.dtype``)."""
        counts = counts.astype(self.dtype, copy=False)
        if self.cached is not None:
            design = self.cached[start:stop]
        else:  # each thread keeps its design (41 MB for a full group at 630 columns) from group to group
            design = self._rows(start, stop, out=getattr(self._kept, "design", None))
            self._kept.design = design.T
        dense = counts @ design
        sparse = []
        # In Fortran order counts.T is C-ordered and np.take copies its rows (one resample vector
        # per respondent) whole; in C order each resample's row is gathered from (in cache).
        by_row = counts.T if counts.flags.f_contiguous else None
        for item, rows in enumerate(self.missing_rows):  # over items
            first, last = np.searchsorted(rows, (start, stop))
            at = rows[first:last]
            taken = np.take(by_row, at - start, axis=0).T if by_row is not None else np.take(counts, at - start, axis=1)
            sparse.append(taken @ self._missing_design(item, at))
        return dense, sparse

    def _missing_design(self, item: int, rows: np.ndarray) -> np.ndarray:
        """[x_j, 1 - answered_j] of item l's partners j on ``rows`` (rows missing l)."""
        partners = self.partners[item]
        return np.concatenate([self.x0[np.ix_(rows, partners)], self.missing[np.ix_(rows, partners)].astype(self.dtype)], axis=1)

    def weighted_sums(self, counts: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """counts (b x rows) -> dense sums (b x columns) and, per item l, sums over its missing rows."""
        step = self.rows if self.cached is not None else self.block
        blocks = [(start, min(self.rows, start + step)) for start in range(0, max(self.rows, 1), step)]
        return self.summed(counts.shape[0], (self.block_sums(counts[:, a:b], a, b) for a, b in blocks))

    def summed(self, b: int, parts) -> tuple[np.ndarray, list[np.ndarray]]:
        """The sums of :meth:`block_sums`' ``parts`` (for ``b`` resamples), in float64, in the
        order given: the same sums however the parts were computed."""
        dense = np.zeros((b, self.columns))
        sparse = [np.zeros((b, columns)) for columns in self.missing_columns]
        for part_dense, part_sparse in parts:
            dense += part_dense
            for total, part in zip(sparse, part_sparse):
                total += part
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
            # in place where an operand is not needed again: each (b, k, k) array is 21 MB of
            # fresh memory at 1,000 resamples of 52 items (the same operations, in the same order)
            d = np.diagonal(d_pair, axis1=1, axis2=2).copy()
            n_pair = np.subtract(n, d[:, :, None], out=np.empty((b, k, k)))  # n - D_j, for every l
            np.subtract(n_pair, d[:, None, :], out=n_pair)
            np.add(n_pair, d_pair, out=n_pair)  # diagonal: n - D_j
            s_given = np.subtract(s1[:, :, None], e, out=e)  # [j, l]: sum of x_j over rows answering l (and j)
            scratch = np.multiply(s_given, np.swapaxes(s_given, 1, 2), out=d_pair)
            np.divide(scratch, n_pair, out=scratch)
            cov = np.subtract(sxx, scratch, out=sxx)
            np.divide(cov, np.subtract(n_pair, 1.0, out=scratch), out=cov)
            cov[n_pair < 2] = np.nan
        return cov


def column_limits(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each column's smallest and largest answer (NaN = missing; +inf and -inf for a column
    without answers), read ``ROW_BLOCK`` rows at a time (``np.fmin``/``np.fmax`` skip NaN)."""
    k = x.shape[1]
    low, high = np.full(k, np.inf), np.full(k, -np.inf)
    for start in range(0, x.shape[0], ROW_BLOCK):  # over blocks of rows
        block = x[start:start + ROW_BLOCK]
        np.fmin(low, np.fmin.reduce(block, axis=0), out=low)
        np.fmax(high, np.fmax.reduce(block, axis=0), out=high)
    return low, high


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
    rows, group by group in ``WORKERS`` threads (:class:`RowDraws`); the counts are those of
    :func:`resample_counts` with the same ``seed``.
    """
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    patterns = distinct_rows(x)
    if patterns is not None:
        rows, weights = patterns
        cross = _CrossProducts(rows, float(n), blocks)
        out = np.empty((n_boot, cross.k, cross.k))
        done = 0
        for counts in resample_counts(weights, n_boot, seed):
            dense, sparse = cross.weighted_sums(counts)
            out[done:done + len(counts)] = cross.covariances(dense, sparse, np.full(len(counts), float(n)))
            done += len(counts)
        return out
    cross = _CrossProducts(x, float(n), blocks, keep=False)
    draws = RowDraws(n, n_boot, seed)
    out = np.empty((n_boot, cross.k, cross.k))
    # Each worker multiplies on one BLAS thread: with two BLAS threads per product, each
    # product's threads wait on the other worker's draws (measured: 2.7 -> 4.0 s wall, 4.8 ->
    # 7.5 CPU-s for the national round's 14 scales).
    # Each worker keeps its counts (65 MB for a full group of 1,000 resamples) from group to
    # group: fresh memory's first touch costs more than drawing into it.
    kept = threading.local()
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for chunk, (first, last) in enumerate(draws.chunks):
            def group_sums(group: int, chunk: int = chunk) -> tuple[np.ndarray, list[np.ndarray]]:
                start, stop = draws.groups[group]
                counts = draws.counts(chunk, group, out=getattr(kept, "counts", None))
                kept.counts = counts.T
                return cross.block_sums(counts, start, stop)

            # summed in group order, whichever thread finishes first: the same sums every run
            dense, sparse = cross.summed(last - first, pool.map(group_sums, range(len(draws.groups))))
            out[first:last] = cross.covariances(dense, sparse, np.full(last - first, float(n)))
    return out
