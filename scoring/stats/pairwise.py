"""Pairwise-complete moments of item columns, read once and shared by the scales drawn from them.

A round's scales share their respondents and, when one scale is the union of others (a total
scale over its subscales), their items. Every coefficient of :func:`scoring.stats.reliability.alpha.alpha`
and :func:`scoring.stats.reliability.omega.omega` that does not need the scale's total score
depends on the answers only through these sums, so one pass over all the columns serves every
scale (:meth:`PairwiseMoments.take` gives a scale's block). With x the answers centred by the
item means, m the answered mask (0/1) and x set to 0 where missing (four matrix products):

    n_jl = m_j'm_l,   s_j|l = x_j'm_l,   q_j|l = (x_j^2)'m_l,   c_jl = x_j'x_l

    cov_jl = (c_jl - s_j|l s_l|j / n_jl) / (n_jl - 1)                          R's cov(use = "pairwise")
    r_jl   = (c_jl - s_j|l s_l|j / n_jl) / sqrt((q_j|l - s_j|l^2 / n_jl)(q_l|j - s_l|j^2 / n_jl))
                                                                               R's cor(use = "pairwise")

(the correlation's means and standard deviations are those of the rows answering both items,
so it is not cov2cor of the covariance). When every answer is a whole number and the codes span
fewer than ``MAX_CODES`` values, the answers per item and code are counted too (one
``np.bincount``), for frequencies and floor and ceiling shares.

The sums are those of :func:`scoring.stats.reliability.alpha.pairwise_covariance` and
:func:`scoring.stats.efa.factors.pairwise_correlation`; taken from a wider matrix product they
can differ from a scale's own in the last bits (another order of summation), never more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_CODES = 11  # counts per code only for answers spanning at most this many whole numbers
ROW_BLOCK = 4_096  # rows read at a time by the passes that need temporaries (1.7 MB at 52 items), here and in the bootstrap and alpha


@dataclass(frozen=True)
class PairwiseMoments:
    """Per item and per pair of items: answers, means, SDs, pairwise covariances and
    correlations, and (whole-number codes) answers per code. Build with :meth:`of`."""

    names: list[str]
    count: np.ndarray  # answers per item
    mean: np.ndarray  # item means over the answers (NaN without answers)
    sd: np.ndarray  # item SDs over the answers, n - 1 divisor (NaN with fewer than 2)
    low: np.ndarray  # smallest answer per item (NaN without answers)
    high: np.ndarray  # largest answer per item
    n_pair: np.ndarray  # rows answering both items (int)
    cov: np.ndarray  # pairwise covariances, NaN where n_pair < 2
    cor: np.ndarray  # pairwise correlations, NaN where undefined
    codes: np.ndarray | None  # the whole-number codes counted (ascending), None when not counted
    tally: np.ndarray | None  # (items x codes) answers per code

    @classmethod
    def of(cls, values: np.ndarray, names: list[str]) -> PairwiseMoments:
        """The moments of the columns of ``values`` (respondents x items, NaN = missing; not changed).

        Read ``ROW_BLOCK`` rows at a time, twice (the means, then the centred sums): temporaries
        the size of the whole matrix (62 MB each for a national round) are fresh memory, whose
        first touch costs more than the arithmetic."""
        values = np.asarray(values, dtype=float)
        k = values.shape[1]
        blocks = [values[start:start + ROW_BLOCK] for start in range(0, len(values), ROW_BLOCK)]
        count, total = np.zeros(k, dtype=np.int64), np.zeros(k)
        low, high = np.full(k, np.inf), np.full(k, -np.inf)
        whole = True
        for block in blocks:  # over blocks of rows: counts, sums and ranges
            answered = ~np.isnan(block)
            count += answered.sum(axis=0)
            total += np.where(answered, block, 0.0).sum(axis=0)
            np.fmin(low, np.fmin.reduce(block, axis=0), out=low)
            np.fmax(high, np.fmax.reduce(block, axis=0), out=high)
            whole = whole and bool(np.all(~answered | (block == np.round(block))))
        given = count > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(given, total / count, np.nan)
        low, high = np.where(given, low, np.nan), np.where(given, high, np.nan)
        centre = np.where(given, mean, 0.0)
        first = float(np.nanmin(low)) if given.any() else 0.0
        width = int(np.nanmax(high) - first) + 1 if given.any() else 0
        counting = whole and given.any() and width <= MAX_CODES
        n_pair, s, q, cross = (np.zeros((k, k)) for _ in range(4))
        tally = np.zeros(k * width if counting else 0, dtype=np.int64)
        for block in blocks:  # over blocks of rows: the four products on the centred answers
            answered = ~np.isnan(block)
            x = np.where(answered, block - centre, 0.0)
            m = answered.astype(float)
            n_pair += m.T @ m
            s += x.T @ m  # [j, l]: sum of x_j over the rows where l (and j) is answered
            q += (x * x).T @ m
            cross += x.T @ x
            if counting:  # answers per (item, code): one bincount over the block's answers
                code = (block[answered] - first).astype(np.intp) + np.nonzero(answered)[1] * width
                tally += np.bincount(code, minlength=k * width)
        cov, cor = covariances_from_sums(n_pair, s, cross), correlations_from_sums(n_pair, s, q, cross)
        with np.errstate(invalid="ignore", divide="ignore"):
            sd = np.sqrt(np.diag(q) / (count - 1.0))
        sd[count < 2] = np.nan
        codes = first + np.arange(width, dtype=float) if counting else None
        return cls(list(names), count, mean, sd, low, high, n_pair.astype(int), cov, cor, codes,
                   tally.reshape(k, width) if counting else None)

    def take(self, names: list[str]) -> PairwiseMoments:
        """The moments of the items ``names`` (a subset, in that order)."""
        position = {name: j for j, name in enumerate(self.names)}
        at = np.array([position[name] for name in names], dtype=int)
        block = np.ix_(at, at)
        return PairwiseMoments(
            list(names), self.count[at], self.mean[at], self.sd[at], self.low[at], self.high[at],
            self.n_pair[block], self.cov[block], self.cor[block], self.codes,
            None if self.tally is None else self.tally[at],
        )


def covariances_from_sums(n_pair: np.ndarray, s: np.ndarray, cross: np.ndarray) -> np.ndarray:
    """cov_jl = (c_jl - s_j|l s_l|j / n_jl) / (n_jl - 1) from the module docstring's sums of
    centred answers (``cross`` = x'x); NaN where n_jl < 2."""
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (cross - s * s.T / n_pair) / (n_pair - 1.0)
    cov[n_pair < 2] = np.nan
    return cov


def correlations_from_sums(n_pair: np.ndarray, s: np.ndarray, q: np.ndarray, cross: np.ndarray) -> np.ndarray:
    """r_jl from the module docstring's sums of centred answers (``cross`` = x'x): each pair's own
    means and SDs; NaN where fewer than 2 rows answer both items or one has no variance on them."""
    with np.errstate(invalid="ignore", divide="ignore"):
        ss = q - s * s / n_pair  # [j, l]: sum of squares of item j about its mean, on the rows answering l too
        cor = (cross - s * s.T / n_pair) / np.sqrt(ss * ss.T)
    cor[(n_pair < 2) | ~(ss > 0) | ~(ss.T > 0)] = np.nan
    np.fill_diagonal(cor, np.where(np.diag(n_pair) >= 2, 1.0, np.nan))
    return cor
