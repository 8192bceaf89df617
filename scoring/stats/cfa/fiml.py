"""Full-information ML with missing data: patterns, the EM (H1) moments and the discrepancy.

Rows are grouped by missing-data pattern k (n_k rows; observed variables o, missing M, q and
m of them); each pattern enters through its divisor-n_k means m_k and covariances S_k. With
d_k = m_k - mu_o and W_k = S_k + d_k d_k' the FIML discrepancy of a group (Arbuckle 1996) is

    F = (1 / N) sum_k n_k [log|Sigma_oo| + tr(Sigma_oo^-1 W_k)].

**One inverse for every pattern.** Inverting Sigma_oo per pattern costs q^3 each; a national
round has twelve thousand patterns of 28-31 of 32 items. With P = Sigma^-1 and H_k = P_MM
(m x m), the inverse of the partitioned matrix gives, for every pattern,

    Sigma_oo^-1 = P_oo - P_oM H_k^-1 P_Mo,      log|Sigma_oo| = log|Sigma| + log|H_k|

(e.g. Magnus & Neudecker 2019, ch. 1), so a pattern costs m q^2 (m is 1-4 for most answers).
Embedded in p x p, A_k = P - P Q_k P with Q_k = H_k^-1 placed at (M, M). With R_k = P_Mo W_k
(m x q), the sums over patterns are

    W = sum_k n_k W_k (embedded),      D = sum_k n_k d_k (embedded),
    C = sum_k n_k Q_k,                 Z = sum_k n_k H_k^-1 R_k at (M, o),
    V = sum_k n_k H_k^-1 R_k P_oM H_k^-1 at (M, M),   Y = sum_k n_k H_k^-1 P_Mo d_k at M,

and with B = C + W - Z - Z' + V:

    N F     = N log|Sigma| + sum_k n_k log|H_k| + tr(P W) - sum_k n_k tr(H_k^-1 R_k P_oM),
    N dF/dSigma = N P - P B P,          N dF/dmu = -2 P (D - Y).

B and D - Y are also the EM algorithm's E-step: in y = x - mu, the expected sum of y y' over
every row (observed values and the conditional means and covariances H_k^-1 of the missing
ones) is B, and the expected sum of y is D - Y; so one EM step is mu + (D - Y) / N and
B / N - ybar ybar' (Little & Rubin 2002, ch. 11). W and D need no pass over the patterns: from
the rows (x centred at ``centre``, 0 where missing, o the answered indicator),
W = X'X - mu_i T_ij - mu_j T_ji + mu_i mu_j O'O with T = O'X, and D = diag(T) - diag(O'O) mu.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Pattern:
    """Rows sharing one missing-data pattern: ``observed`` indices, count, divisor-n moments."""

    observed: np.ndarray
    n: int
    cov: np.ndarray
    mean: np.ndarray


@dataclass(frozen=True)
class PatternBlock:
    """The K patterns with m missing variables, stacked: ``observed`` (K x q), ``missing``
    (K x m), ``counts`` n_k, ``covs`` S_k (K x q x q), ``means`` m_k - centre (K x q), and the
    flat p x p positions of the (M, M) and (M, o) entries."""

    observed: np.ndarray
    missing: np.ndarray
    counts: np.ndarray
    covs: np.ndarray
    means: np.ndarray
    flat_mm: np.ndarray
    flat_mo: np.ndarray


@dataclass(frozen=True)
class PatternSums:
    """What FIML needs of a group's rows: the incomplete patterns by m (:class:`PatternBlock`)
    and the sums over every row (x centred at ``centre``, 0 where missing): ``cross`` X'X,
    ``paired`` T = O'X and ``answered`` O'O; ``n`` rows."""

    n: int
    p: int
    centre: np.ndarray
    cross: np.ndarray
    paired: np.ndarray
    answered: np.ndarray
    blocks: tuple[PatternBlock, ...]


def missing_patterns(x: np.ndarray) -> tuple[Pattern, ...]:
    """Group the rows of ``x`` (NaN = missing) by missing-data pattern; all-missing rows dropped."""
    obs = ~np.isnan(x)
    keep = obs.any(axis=1)
    x, obs = x[keep], obs[keep]
    if obs.shape[1] <= 62:  # a pattern as one integer: sorting integers, not rows (10 times faster)
        bits = obs.astype(np.int64) @ (np.int64(1) << np.arange(obs.shape[1], dtype=np.int64))
        _, first, inverse, counts = np.unique(bits, return_index=True, return_inverse=True, return_counts=True)
        keys = obs[first]
    else:
        keys, inverse, counts = np.unique(obs, axis=0, return_inverse=True, return_counts=True)
    order = np.argsort(inverse.ravel(), kind="stable")
    ends = np.cumsum(counts)
    out = []
    for k, key in enumerate(keys):  # over patterns: each reads its own slice of the sorted rows
        rows = x[order[ends[k] - counts[k]:ends[k]]][:, key]
        mean = rows.mean(axis=0)
        centred = rows - mean
        out.append(Pattern(np.flatnonzero(key), rows.shape[0], centred.T @ centred / rows.shape[0], mean))
    return tuple(out)


def pattern_sums(x: np.ndarray, patterns: tuple[Pattern, ...]) -> PatternSums:
    """The sums of :class:`PatternSums` for the rows ``x`` (all-missing rows dropped) and their
    ``patterns`` (:func:`missing_patterns`)."""
    n, p = x.shape
    answered = ~np.isnan(x)
    centre = np.array([x[answered[:, j], j].mean() if answered[:, j].any() else 0.0 for j in range(p)])
    x0 = np.where(answered, x - centre, 0.0)
    o = answered.astype(float)
    blocks = []
    for m in sorted({p - pt.observed.size for pt in patterns} - {0}):
        same = [pt for pt in patterns if p - pt.observed.size == m]
        observed = np.stack([pt.observed for pt in same])
        seen = np.zeros((len(same), p), dtype=bool)
        seen[np.arange(len(same))[:, None], observed] = True
        missing = np.nonzero(~seen)[1].reshape(len(same), m)  # row by row, ascending
        blocks.append(PatternBlock(
            observed, missing, np.array([pt.n for pt in same], dtype=float), np.stack([pt.cov for pt in same]),
            np.stack([pt.mean for pt in same]) - centre[observed],
            (missing[:, :, None] * p + missing[:, None, :]).ravel(), (missing[:, :, None] * p + observed[:, None, :]).ravel(),
        ))
    return PatternSums(n, p, centre, x0.T @ x0, o.T @ x0, o.T @ o, tuple(blocks))


@dataclass(frozen=True)
class Expected:
    """The sums of the module docstring at (Sigma, mu): ``b`` = B, ``d`` = D - Y, ``w`` = W,
    ``log_h`` = sum n_k log|H_k| and ``trace`` = sum n_k tr(H_k^-1 R_k P_oM)."""

    b: np.ndarray
    d: np.ndarray
    w: np.ndarray
    log_h: float
    trace: float


def expected_sums(precision: np.ndarray, mu: np.ndarray, sums: PatternSums) -> Expected | None:
    """:class:`Expected` for P = ``precision`` (Sigma^-1) and ``mu``; None when some H_k is
    not positive definite (then neither is Sigma)."""
    p = sums.p
    mc = mu - sums.centre
    t_mu = mc[:, None] * sums.paired
    w = sums.cross - t_mu - t_mu.T + np.outer(mc, mc) * sums.answered
    d = np.diag(sums.paired) - np.diag(sums.answered) * mc
    c, z, v, y = np.zeros(p * p), np.zeros(p * p), np.zeros(p * p), np.zeros(p)
    log_h = trace = 0.0
    flat = precision.ravel()
    for blk in sums.blocks:  # a block per number of missing variables, a few dozen at most
        miss, obs, n_k = blk.missing, blk.observed, blk.counts
        size, m = miss.shape
        p_mo = flat[blk.flat_mo].reshape(size, m, obs.shape[1])  # one flat gather: 3 times faster than (K, m, q) indexing
        h = flat[blk.flat_mm].reshape(size, m, m)
        sign, log_det = np.linalg.slogdet(h)
        if np.any(sign <= 0):
            return None
        h_inv = np.linalg.inv(h)
        dev = blk.means - mc[obs]
        p_d = np.einsum("kmq,kq->km", p_mo, dev)
        r = p_mo @ blk.covs + p_d[:, :, None] * dev[:, None, :]  # R_k = P_Mo W_k
        rp = r @ np.swapaxes(p_mo, 1, 2)
        hr = h_inv @ r
        log_h += n_k @ log_det
        trace += n_k @ np.einsum("kab,kba->k", h_inv, rp)
        c += np.bincount(blk.flat_mm, weights=(n_k[:, None, None] * h_inv).ravel(), minlength=p * p)
        z += np.bincount(blk.flat_mo, weights=(n_k[:, None, None] * hr).ravel(), minlength=p * p)
        v += np.bincount(blk.flat_mm, weights=(n_k[:, None, None] * (h_inv @ rp @ h_inv)).ravel(), minlength=p * p)
        y += np.bincount(miss.ravel(), weights=(n_k[:, None] * np.einsum("kab,kb->ka", h_inv, p_d)).ravel(), minlength=p)
    z = z.reshape(p, p)
    return Expected(c.reshape(p, p) + w - z - z.T + v.reshape(p, p), d - y, w, float(log_h), float(trace))


def precision_and_logdet(sigma: np.ndarray) -> tuple[np.ndarray, float] | None:
    """(Sigma^-1 made symmetric, log|Sigma| from its Cholesky factor); None when Sigma is not
    positive definite."""
    try:
        chol = np.linalg.cholesky(sigma)
    except np.linalg.LinAlgError:
        return None
    precision = np.linalg.inv(sigma)
    return (precision + precision.T) / 2, 2 * float(np.log(np.diag(chol)).sum())


def fiml_discrepancy(sigma: np.ndarray, mu: np.ndarray, sums: PatternSums):
    """(F, dF/dSigma, dF/dmu) of the module docstring; NaN when Sigma is not positive definite."""
    inverted = precision_and_logdet(sigma)
    e = None if inverted is None else expected_sums(inverted[0], mu, sums)
    if e is None:
        return np.nan, None, None
    precision, logdet = inverted
    n = sums.n
    f = n * logdet + e.log_h + np.sum(precision * e.w) - e.trace
    return f / n, (n * precision - precision @ e.b @ precision) / n, -2 * precision @ e.d / n


def available_case(patterns: tuple[Pattern, ...], p: int) -> tuple[np.ndarray, np.ndarray]:
    """(variances, means) of each variable over the rows that answer it (divisor n)."""
    s1, s2, counts = np.zeros(p), np.zeros(p), np.zeros(p)
    for pt in patterns:  # over patterns
        s1[pt.observed] += pt.n * pt.mean
        s2[pt.observed] += pt.n * (np.diag(pt.cov) + pt.mean**2)
        counts[pt.observed] += pt.n
    mean = s1 / counts
    return s2 / counts - mean**2, mean


def em_moments(patterns: tuple[Pattern, ...], sums: PatternSums, tol: float = 1e-13, max_iter: int = 20000):
    """EM estimates of the unrestricted mean vector and covariance matrix under MAR.

    Returns (cov, mean, iterations). Starts from available-case means and variances (zero
    covariances); each step is mu + (D - Y) / N and B / N - ybar ybar' (module docstring);
    stops when no moment changes by more than ``tol``.
    """
    variances, mean = available_case(patterns, sums.p)
    cov = np.diag(variances)
    for it in range(1, max_iter + 1):
        precision = np.linalg.inv(cov)
        e = expected_sums((precision + precision.T) / 2, mean, sums)
        ybar = e.d / sums.n
        new_mean = mean + ybar
        new_cov = e.b / sums.n - np.outer(ybar, ybar)
        new_cov = (new_cov + new_cov.T) / 2
        change = max(np.max(np.abs(new_mean - mean)), np.max(np.abs(new_cov - cov)))
        mean, cov = new_mean, new_cov
        if change < tol:
            return cov, mean, it
    return cov, mean, max_iter
