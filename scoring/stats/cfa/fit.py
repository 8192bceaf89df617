"""Fit indices of a CFA model, computed as ``lavaan::fitMeasures`` (lavaan 0.6) computes them.

With chi-square T and degrees of freedom d for the model, T_b and d_b for the baseline
(independence) model, N the total sample size and G the number of groups:

- CFI = 1 - max(T - d, 0) / max(T - d, T_b - d_b, 0)  (Bentler 1990); 1 when both are 0.
- TLI = 1 - ((T - d) d_b) / ((T_b - d_b) d)  (Tucker & Lewis 1973); 1 when d = 0.
- RMSEA = sqrt(max(T / (N d) - 1 / N, 0)) * sqrt(G)  (Steiger 1990). lavaan divides by N for
  ML; semopy divides by N - 1. For (D)WLS lavaan uses N - G, and so do we.
- RMSEA 90% CI: lambda_L, lambda_U solve P(chi2_d(lambda) <= T) = .95 and .05; the bounds are
  sqrt(lambda / (N d)) * sqrt(G) (Browne & Cudeck 1993), 0 when no root exists.
- RMSEA p-value (close fit): 1 - P(chi2_d(N d .05^2 / G) <= T).
- SRMR (lavaan's default ``srmr`` = ``srmr_bentler``): per group the root mean square of the
  residuals standardised by the observed standard deviations, r_ij = (s_ij - sigma_ij) /
  sqrt(s_ii s_jj) over the p(p+1)/2 variances and covariances, plus the mean residuals
  (m_i - mu_i) / sqrt(s_ii) when the model has a mean structure; groups are weighted by n_g / N.
  Residuals below 1e-5 are left unstandardised, as in lavaan. For ordered items lavaan uses the
  correlation residuals only (``srmr_bentler_nomean``), divided by p(p+1)/2.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats


def chisq_pvalue(chisq: float, df: float) -> float:
    """Upper-tail p-value of the chi-square statistic (NaN for df < 1, as lavaan's 0-df case)."""
    if not (np.isfinite(chisq) and np.isfinite(df)) or df <= 0:
        return math.nan
    return float(stats.chi2.sf(chisq, df))


def cfi(chisq: float, df: float, chisq_b: float, df_b: float) -> float:
    """Comparative fit index (Bentler 1990) as ``lavaan:::lav_fit_cfi``."""
    if not all(np.isfinite([chisq, df, chisq_b, df_b])):
        return math.nan
    t1 = max(chisq - df, 0.0)
    t2 = max(chisq - df, chisq_b - df_b, 0.0)
    if math.isclose(t1, 0.0, abs_tol=1.5e-8) and math.isclose(t2, 0.0, abs_tol=1.5e-8):
        return 1.0
    return 1.0 - t1 / t2


def tli(chisq: float, df: float, chisq_b: float, df_b: float) -> float:
    """Tucker-Lewis index (non-normed fit index) as ``lavaan:::lav_fit_tli``."""
    if not all(np.isfinite([chisq, df, chisq_b, df_b])):
        return math.nan
    t1 = (chisq - df) * df_b
    t2 = (chisq_b - df_b) * df
    if df > 0 and abs(t2) > 0:
        return 1.0 - t1 / t2
    return 1.0


def rmsea(chisq: float, df: float, n: float, groups: int = 1) -> float:
    """Root mean square error of approximation with lavaan's divisor ``n`` (pass N for ML)."""
    if not all(np.isfinite([chisq, df, n])):
        return math.nan
    if df <= 0:
        return 0.0
    return math.sqrt(max(chisq / n / df - 1.0 / n, 0.0)) * math.sqrt(groups)


def _ncx2_cdf(x: float, df: float, nc: float) -> float:
    return float(stats.chi2.cdf(x, df)) if nc <= 0 else float(stats.ncx2.cdf(x, df, nc))


def rmsea_ci(chisq: float, df: float, n: float, groups: int = 1, level: float = 0.90) -> tuple[float, float]:
    """(lower, upper) confidence limits of the RMSEA, lavaan's noncentral chi-square method."""
    if not all(np.isfinite([chisq, df, n])):
        return math.nan, math.nan
    upper_p = 1 - (1 - level) / 2
    lower_p = (1 - level) / 2

    def lower_fn(lam):
        return _ncx2_cdf(chisq, df, lam) - upper_p

    def upper_fn(lam):
        return _ncx2_cdf(chisq, df, lam) - lower_p

    scale = math.sqrt(groups)
    if df < 1 or lower_fn(0.0) < 0:
        lo = 0.0
    else:
        lam = optimize.brentq(lower_fn, 0.0, chisq, xtol=1e-12)
        lo = math.sqrt(lam / (n * df)) * scale
    n_rmsea = max(n, 4 * chisq)
    if df < 1 or upper_fn(n_rmsea) > 0 or upper_fn(0.0) < 0:
        hi = 0.0
    else:
        lam = optimize.brentq(upper_fn, 0.0, n_rmsea, xtol=1e-12)
        hi = math.sqrt(lam / (n * df)) * scale
    return lo, hi


def rmsea_pvalue(chisq: float, df: float, n: float, groups: int = 1, h0: float = 0.05) -> float:
    """P-value of the test of close fit, H0: RMSEA <= ``h0``."""
    if not all(np.isfinite([chisq, df, n])) or df <= 0:
        return math.nan
    return 1.0 - _ncx2_cdf(chisq, df, n * df * h0**2 / groups)


def _standardised(resid: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return np.where(np.abs(resid) < 1e-5, resid, resid * scale)


def srmr_group(s: np.ndarray, m: np.ndarray | None, sigma: np.ndarray, mu: np.ndarray | None, *, correlations: bool = False) -> float:
    """SRMR (Bentler) of one group; pass ``m``/``mu`` to include the mean residuals.

    ``correlations=True``: sample and implied matrices are correlation matrices (ordered
    items); only the p(p-1)/2 off-diagonal residuals enter, divided by p(p+1)/2 as lavaan does.
    """
    p = s.shape[0]
    sd = np.sqrt(np.diag(s))
    rows, cols = np.tril_indices(p, k=-1 if correlations else 0)
    resid = _standardised((s - sigma)[rows, cols], 1.0 / (sd[rows] * sd[cols]))
    total = float(resid @ resid)
    count = p * (p + 1) / 2
    if m is not None and mu is not None and not correlations:
        mres = _standardised(m - mu, 1.0 / sd)
        total += float(mres @ mres)
        count += p
    return math.sqrt(total / count)
