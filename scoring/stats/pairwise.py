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
        """The moments of the columns of ``values`` (respondents x items, NaN = missing)."""
        x = np.array(values, dtype=float)  # a copy: centred in place below
        answered = ~np.isnan(x)
        k = x.shape[1]
        count = answered.sum(axis=0)
        mean, low, high = np.full(k, np.nan), np.full(k, np.nan), np.full(k, np.nan)
        whole = True
        # Item by item (a column is 1.2 MB at 150,000 rows; whole-matrix temporaries are 62 MB
        # each of fresh memory): each column's answers, their mean and range, centred in place
        for j in range(k):  # over items, not respondents
            column = x[:, j]
            given = column[answered[:, j]]
            if given.size:
                mean[j], low[j], high[j] = given.mean(), given.min(), given.max()
                whole = whole and bool(np.all(given == np.round(given)))
            column -= 0.0 if np.isnan(mean[j]) else mean[j]
            column[~answered[:, j]] = 0.0
        codes, tally = _tally(x, answered, mean, low, high) if whole else (None, None)
        m = answered.astype(float)
        n_pair = m.T @ m
        s = x.T @ m  # [j, l]: sum of x_j over the rows where l (and j) is answered
        q = (x * x).T @ m
        cross = x.T @ x
        cov, cor = covariances_from_sums(n_pair, s, cross), correlations_from_sums(n_pair, s, q, cross)
        with np.errstate(invalid="ignore", divide="ignore"):
            sd = np.sqrt(np.diag(q) / (count - 1.0))
        sd[count < 2] = np.nan
        return cls(list(names), count, mean, sd, low, high, n_pair.astype(int), cov, cor, codes, tally)

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


def _tally(x: np.ndarray, answered: np.ndarray, mean: np.ndarray, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(codes, answers per item and code) of whole-number answers (``x`` centred by ``mean``)
    when all items' answers span at most ``MAX_CODES`` codes; else (None, None)."""
    if not answered.any():
        return None, None
    first, last = float(np.nanmin(low)), float(np.nanmax(high))
    if last - first >= MAX_CODES:
        return None, None
    width = int(last - first) + 1
    tally = np.zeros((x.shape[1], width), dtype=np.int64)
    for j in range(x.shape[1]):  # over items
        if np.isfinite(mean[j]):
            # round: the centred answers are whole numbers only up to the centring's rounding
            codes = np.rint(x[answered[:, j], j] + (mean[j] - first)).astype(np.intp)
            tally[j] = np.bincount(codes, minlength=width)
    return first + np.arange(width, dtype=float), tally
