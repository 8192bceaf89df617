"""CFA of ordered items by WLSMV, as ``lavaan::cfa(..., ordered = TRUE, estimator = "WLSMV")``.

Sample statistics (lavaan's two-step approach, listwise complete rows):

1. Thresholds per item from its marginal: tau_jc = Phi^-1(share of answers in categories <= c),
   the categories being the item's observed values in order.
2. Polychoric correlations for each pair by ML on the pair's table with the thresholds fixed
   (:func:`scoring.stats.polychoric.polychoric_pair`). No continuity correction, except lavaan's
   ``zero.add = 0.5`` for a 2 x 2 table with one empty cell (margins kept).
3. Their asymptotic covariance matrix Gamma (N times the sampling covariance) by Muthen's (1984)
   sandwich over the casewise scores s_i of the stacked estimating equations:
   Gamma = N B^-1 (sum_i s_i s_i') B^-T, with B = [[A11, 0], [A21, A22]], A11 the threshold
   block of sum s_i s_i' (within items), A21 = sum_i s_rho,i s_tau,i', A22 = diag(sum s_rho,i^2)
   (lavaan's ``muthen1984``).

Estimation: the delta parameterisation (latent response variances 1; residual variances
1 - diag(Lambda Psi Lambda') are not free), thresholds free. DWLS minimises
F = (s - sigma(x))' W (s - sigma(x)) with W = diag(Gamma)^-1 and s = (thresholds, polychoric
correlations); the model thresholds equal the sample thresholds, so only the correlations
carry information about loadings. chi-square = (N - 1) F: lavaan scales non-ML statistics by
N - G (G groups), not by N as for ML.

Test statistics (lavaan's ``test = "scaled.shifted"``, Asparouhov & Muthen 2010): with Delta =
d sigma / d x, U = W - W Delta (Delta' W Delta)^-1 Delta' W and UG = U Gamma,
a = sqrt(df / tr(UG UG)), b = df - a tr(UG); chi-square_scaled = a T + b on df degrees of
freedom; ``chisq_scaling_factor`` = 1 / a. The baseline (independence: thresholds only) gets the
same treatment; CFI/TLI/RMSEA "scaled" use the scaled statistics. RMSEA uses N - 1 (lavaan's
N - G for non-ML estimators). The "robust" CFI/RMSEA of lavaan (``cfi.robust``, based on the
catML approach) are not computed. SRMR is the root mean square of the off-diagonal correlation
residuals over p(p+1)/2 (lavaan's ``srmr`` for categorical data).

Standard errors: lavaan's ``robust.sem`` sandwich (Delta' W Delta)^-1 Delta' W Gamma W Delta
(Delta' W Delta)^-1 / (N - 1).

Composite reliability of ordered items: Green & Yang's (2009) categorical omega as
``semTools::compRelSEM`` (``ord.scale = TRUE``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.special import ndtr, ndtri

from scoring.errors import Coded
from scoring.stats.cfa import fit as cfa_fit
from scoring.stats.cfa.ml import GroupData, start_values
from scoring.stats.cfa.model import ParTable
from scoring.stats.cfa.syntax import ModelSpec
from scoring.stats.polychoric import bivariate_normal_cdf, polychoric_pair

_FAR = 10.0
MAX_CATEGORIES = 10


def _phi(x):
    return np.where(np.isfinite(x), np.exp(-0.5 * np.square(np.where(np.isfinite(x), x, 0.0))) / math.sqrt(2 * math.pi), 0.0)


def _phi2(h, k, r):
    """Standard bivariate normal density; 0 when either argument is infinite."""
    h = np.asarray(h, dtype=float)
    k = np.asarray(k, dtype=float)
    ok = np.isfinite(h) & np.isfinite(k)
    hh, kk = np.where(ok, h, 0.0), np.where(ok, k, 0.0)
    s = 1.0 - r * r
    dens = np.exp(-(hh * hh - 2 * r * hh * kk + kk * kk) / (2 * s)) / (2 * math.pi * math.sqrt(s))
    return np.where(ok, dens, 0.0)


class OrdinalStatistics:
    """Thresholds, polychoric correlations and Gamma of complete ordinal data (n x p codes)."""

    def __init__(self, x: np.ndarray):
        n, p = x.shape
        self.n = n
        self.p = p
        self.codes = np.empty((n, p), dtype=int)
        self.levels = []
        self.tau: list[np.ndarray] = []
        for j in range(p):
            levels, codes = np.unique(x[:, j], return_inverse=True)
            self.levels.append(levels)
            self.codes[:, j] = codes.ravel()
            share = np.bincount(self.codes[:, j], minlength=len(levels)) / n
            self.tau.append(ndtri(np.cumsum(share)[:-1]))
        self.th_start = np.cumsum([0] + [len(t) for t in self.tau])
        self.pairs = list(zip(*np.tril_indices(p, -1)))  # (i, j) with i > j
        self.rho = np.eye(p)
        for i, j in self.pairs:
            self.rho[i, j] = self.rho[j, i] = polychoric_pair(self._table(i, j, adjusted=True), self.tau[i], self.tau[j])
        self.gamma = self._gamma()

    @property
    def n_thresholds(self) -> int:
        return int(self.th_start[-1])

    @property
    def sample(self) -> np.ndarray:
        """s = (thresholds item by item, correlations in ``pairs`` order)."""
        return np.concatenate(self.tau + [np.array([self.rho[i, j] for i, j in self.pairs])])

    def _table(self, i: int, j: int, adjusted: bool = False) -> np.ndarray:
        ki, kj = len(self.levels[i]), len(self.levels[j])
        table = np.zeros((ki, kj))
        np.add.at(table, (self.codes[:, i], self.codes[:, j]), 1.0)
        if adjusted and table.shape == (2, 2) and np.count_nonzero(table == 0) == 1:
            # lavaan's zero.add = 0.5 with zero.keep.margins for a single empty cell of a 2 x 2 table
            sign = 1.0 if table[0, 0] == 0 or table[1, 1] == 0 else -1.0
            table += sign * 0.5 * np.array([[1.0, -1.0], [-1.0, 1.0]])
        return table

    def _gamma(self) -> np.ndarray:
        n, p = self.n, self.p
        t_count = self.n_thresholds
        n_pairs = len(self.pairs)
        sc_th = np.zeros((n, t_count))
        rows = np.arange(n)
        for j in range(p):
            tau = np.concatenate([[-np.inf], self.tau[j], [np.inf]])
            c = self.codes[:, j]
            prob = ndtr(tau[c + 1]) - ndtr(tau[c])
            upper = c < len(self.tau[j])
            lower = c > 0
            base = self.th_start[j]
            sc_th[rows[upper], base + c[upper]] = _phi(tau[c + 1])[upper] / prob[upper]
            sc_th[rows[lower], base + c[lower] - 1] = -_phi(tau[c])[lower] / prob[lower]
        sc_rho = np.zeros((n, n_pairs))
        a21 = np.zeros((n_pairs, t_count))
        for k, (i, j) in enumerate(self.pairs):
            r = self.rho[i, j]
            ti = np.concatenate([[-np.inf], self.tau[i], [np.inf]])
            tj = np.concatenate([[-np.inf], self.tau[j], [np.inf]])
            ci, cj = self.codes[:, i], self.codes[:, j]
            prob = _cell_probabilities(ti, tj, r)[ci, cj]
            d_rho = (
                _phi2(ti[ci + 1], tj[cj + 1], r)
                - _phi2(ti[ci], tj[cj + 1], r)
                - _phi2(ti[ci + 1], tj[cj], r)
                + _phi2(ti[ci], tj[cj], r)
            )
            sc_rho[:, k] = d_rho / prob
            s = math.sqrt(1 - r * r)
            for (tx, ty, cx, cy, start, nx) in (
                (ti, tj, ci, cj, self.th_start[i], len(self.tau[i])),
                (tj, ti, cj, ci, self.th_start[j], len(self.tau[j])),
            ):
                d_th = np.zeros((n, nx))
                up = cx < nx
                lo = cx > 0
                with np.errstate(invalid="ignore"):
                    band_up = ndtr((ty[cy + 1] - r * tx[cx + 1]) / s) - ndtr((ty[cy] - r * tx[cx + 1]) / s)
                    band_lo = ndtr((ty[cy + 1] - r * tx[cx]) / s) - ndtr((ty[cy] - r * tx[cx]) / s)
                d_th[rows[up], cx[up]] = (_phi(tx[cx + 1]) * band_up)[up] / prob[up]
                d_th[rows[lo], cx[lo] - 1] = -(_phi(tx[cx]) * band_lo)[lo] / prob[lo]
                a21[k, start : start + nx] = sc_rho[:, k] @ d_th
        scores = np.hstack([sc_th, sc_rho])
        inner = scores.T @ scores
        a11 = np.zeros((t_count, t_count))
        for j in range(p):
            blk = slice(self.th_start[j], self.th_start[j + 1])
            a11[blk, blk] = inner[blk, blk]
        a11_inv = np.linalg.pinv(a11)
        a22_inv = np.diag(1.0 / np.sum(sc_rho**2, axis=0))
        b_inv = np.block([[a11_inv, np.zeros((t_count, n_pairs))], [-a22_inv @ a21 @ a11_inv, a22_inv]])
        return n * (b_inv @ inner @ b_inv.T)


def _cell_probabilities(ti: np.ndarray, tj: np.ndarray, r: float) -> np.ndarray:
    """Cell probabilities of the table cut at the (padded) thresholds ti x tj."""
    gi = np.clip(ti, -_FAR, _FAR)
    gj = np.clip(tj, -_FAR, _FAR)
    grid = bivariate_normal_cdf(gi[:, None], gj[None, :], r)
    grid[0, :] = 0.0
    grid[:, 0] = 0.0
    grid[-1, 1:] = ndtr(tj[1:])
    grid[1:, -1] = ndtr(ti[1:])
    grid[-1, -1] = 1.0
    return np.diff(np.diff(grid, axis=0), axis=1)


@dataclass
class DwlsFit:
    """Output of :func:`fit_dwls`: estimates ``x`` of the structural parameters (thresholds
    are ``stats.tau``), fit measures, the implied latent-response correlation matrix ``sigma``
    and omega per factor; ``reason`` is None unless the fit failed (then only ``npar``/``df``)."""

    stats: OrdinalStatistics | None
    x: np.ndarray
    npar: int
    df: float
    reason: str | None = None
    measures: dict = field(default_factory=dict)
    sigma: np.ndarray | None = None
    omega: pd.DataFrame | None = None
    iterations: int = 0
    se: np.ndarray | None = None


def ordinal_problems(spec: ModelSpec, x: np.ndarray, names: list[str]) -> str | None:
    """Why complete ordinal data ``x`` (n x p) cannot be analysed with ``spec`` (None if it can)."""
    n = x.shape[0]
    if n < 3:
        return Coded(f"too few complete rows ({n}; at least 3 are needed)", "too_few_complete_rows", rows=n, min=3)
    constant = [name for j, name in enumerate(names) if np.unique(x[:, j]).size < 2]
    if constant:
        return Coded(f"constant item(s): {', '.join(constant)}", "constant_items", items=", ".join(constant))
    many = [name for j, name in enumerate(names) if np.unique(x[:, j]).size > MAX_CATEGORIES]
    if many:
        return Coded(f"more than {MAX_CATEGORIES} categories, not ordinal: {', '.join(many)}", "too_many_categories",
                     max=MAX_CATEGORIES, items=", ".join(many))
    if any(st.op == "~~" and st.lhs == t.name and st.lhs in names for st in spec.statements for t in st.terms):
        return Coded("residual variances of ordered items are not free parameters (delta parameterisation); remove `x ~~ x`", "ordered_residuals")
    return None


def fit_dwls(pt: ParTable, x: np.ndarray) -> DwlsFit:
    """DWLS fit of ``pt`` (built with ``residual_variances=False``) to complete ordinal data.

    On success Theta's diagonal in ``pt`` is set to 1 - diag(Lambda Psi Lambda') (the delta
    parameterisation's residual variances) so that parameter tables show them.
    """
    n, p = x.shape
    stats = OrdinalStatistics(x)
    t_count = stats.n_thresholds
    w = 1.0 / np.diag(stats.gamma)
    w_rho = w[t_count:]
    rows = np.array([i for i, _ in stats.pairs], dtype=int)
    cols = np.array([j for _, j in stats.pairs], dtype=int)
    r_sample = stats.rho[rows, cols]

    def implied_r(v):
        return pt.implied(v, 0)[0][rows, cols]

    npar = pt.npar + t_count
    df = len(stats.pairs) + t_count - npar
    boundary = [f"{pt.observed[j]} and {pt.observed[i]}" for (i, j), r in zip(stats.pairs, r_sample) if abs(r) > 1 - 1e-6]
    if boundary:
        reason = Coded("polychoric correlation of +-1 between " + "; ".join(boundary)
                       + " (items answered identically, or too few rows): the DWLS fit is not defined", "polychoric_boundary", pairs="; ".join(boundary))
        return DwlsFit(stats, np.full(pt.npar, np.nan), npar, df, reason)
    if df < 0:
        reason = Coded(f"the model is not identified: {npar} free parameters but only {npar + df} sample statistics", "not_identified_count",
                       npar=npar, moments=npar + df)
        return DwlsFit(stats, np.full(pt.npar, np.nan), npar, math.nan, reason)
    sw = np.sqrt(w_rho)
    fit = optimize.least_squares(
        lambda v: sw * (r_sample - implied_r(v)),
        start_values(pt, [GroupData(n, stats.rho, np.zeros(p))]),
        jac=lambda v: -sw[:, None] * pt.jacobian(v, (rows, cols)),
        method="trf",
        xtol=1e-15,
        ftol=1e-15,
        gtol=1e-12,
        max_nfev=2000,
    )
    est = fit.x
    jac = pt.jacobian(est, (rows, cols))
    resid = r_sample - implied_r(est)
    grad = jac.T @ (w_rho * resid)
    if not fit.success or not np.all(np.isfinite(est)) or np.max(np.abs(grad), initial=0.0) > 1e-6:
        return DwlsFit(stats, np.full(pt.npar, np.nan), npar, df, f"the DWLS fit did not converge ({fit.message})")
    if np.linalg.matrix_rank(jac, tol=1e-7 * max(np.abs(jac).max(), 1.0)) < pt.npar:
        return DwlsFit(stats, np.full(pt.npar, np.nan), npar, df, "the model is not identified (some parameters cannot be separated)")
    # lavaan's DWLS statistic uses N - 1 (N - G), unlike ML's N
    chisq = (n - 1) * float(np.sum(w_rho * resid**2))
    chisq_b = (n - 1) * float(np.sum(w_rho * r_sample**2))
    df_b = len(stats.pairs)

    common = pt.implied(est, 0)[0]
    pt.value["theta"][0][np.diag_indices(p)] = 1.0 - np.diag(common)
    sigma = pt.implied(est, 0)[0]

    delta = np.zeros((t_count + len(stats.pairs), npar))
    delta[:t_count, :t_count] = np.eye(t_count)
    delta[t_count:, t_count:] = jac
    model_test = _scaled_shifted(chisq, df, stats.gamma, w, delta)
    base_test = _scaled_shifted(chisq_b, df_b, stats.gamma, w, delta[:, :t_count])

    n_rmsea = n - 1
    srmr = cfa_fit.srmr_group(stats.rho, None, sigma, None, correlations=True)
    measures = wlsmv_measures(npar, chisq, df, chisq_b, df_b, n_rmsea, srmr, model_test, base_test)
    se = _robust_se(stats.gamma, w, delta, n)
    return DwlsFit(stats, est, npar, df, None, measures, sigma, _omega_categorical(pt, est, stats), int(fit.nfev), se)


def _robust_se(gamma: np.ndarray, w: np.ndarray, delta: np.ndarray, n: int) -> np.ndarray:
    """lavaan's ``se = "robust.sem"`` for DWLS: sqrt(diag(B Delta' W Gamma W Delta B) / (N - 1))
    with B = (Delta' W Delta)^-1 (N - 1: lavaan's N - G for non-ML estimators); thresholds
    first, then the structural parameters."""
    wd = w[:, None] * delta
    bread = np.linalg.inv(delta.T @ wd)
    acov = bread @ wd.T @ gamma @ wd @ bread / (n - 1)
    with np.errstate(invalid="ignore"):
        return np.sqrt(np.diag(acov))


def _scaled_shifted(chisq: float, df: int, gamma: np.ndarray, w: np.ndarray, delta: np.ndarray) -> dict:
    """lavaan's scaled-and-shifted statistic for a DWLS fit (weights ``w``, Jacobian ``delta``)."""
    if df <= 0:
        return {"chisq": chisq, "scaling_factor": math.nan, "shift": math.nan}
    wd = w[:, None] * delta
    e_inv = np.linalg.inv(delta.T @ wd)
    u = np.diag(w) - wd @ e_inv @ wd.T
    ug = u @ gamma
    tr1 = float(np.trace(ug))
    tr2 = float(np.sum(ug * ug.T))
    a = math.sqrt(df / tr2)
    shift = df - a * tr1
    return {"chisq": a * chisq + shift, "scaling_factor": 1.0 / a, "shift": shift}


def _omega_categorical(pt: ParTable, x: np.ndarray, stats: OrdinalStatistics) -> pd.DataFrame:
    """Green & Yang (2009) omega for ordered items, as semTools' ``omegaCat``:

    omega = sum_jj' [sum_cc' Phi2(t_jc, t_j'c'; (lambda lambda' psi)_jj') - P_j P_j'] /
            sum_jj' [sum_cc' Phi2(t_jc, t_j'c'; rho_jj') - P_j P_j'],

    P_j = sum_c Phi(t_jc), rho the polychoric correlations (1 on the diagonal), Phi2 the
    bivariate normal CDF.
    """
    mat = pt.matrices(x, 0)
    rows = []
    for f, fname in enumerate(pt.factors):
        items = np.flatnonzero(mat["lambda"][:, f] != 0)
        if items.size < 2:
            continue
        lam = mat["lambda"][items, f]
        true_cov = np.outer(lam, lam) * mat["psi"][f, f]
        num = den = 0.0
        for a, j in enumerate(items):
            for b, k in enumerate(items):
                tj, tk = stats.tau[j], stats.tau[k]
                pj, pk = ndtr(tj).sum(), ndtr(tk).sum()
                grid_t = np.clip(tj, -_FAR, _FAR)[:, None], np.clip(tk, -_FAR, _FAR)[None, :]
                num += bivariate_normal_cdf(*grid_t, min(true_cov[a, b], 1.0)).sum() - pj * pk
                den += bivariate_normal_cdf(*grid_t, stats.rho[j, k]).sum() - pj * pk
        rows.append({"group": "", "factor": fname, "omega": float(num / den)})
    return pd.DataFrame(rows, columns=["group", "factor", "omega"])


def wlsmv_measures(npar, chisq, df, chisq_b, df_b, n_rmsea, srmr, model_test, base_test, groups: int = 1) -> dict:
    """lavaan's WLSMV fit measures: the DWLS statistic with CFI/TLI/RMSEA, and the same from the
    scaled-shifted statistic (``model_test``, ``base_test``: chisq, scaling_factor, shift) for
    one group or several (``groups`` enters the RMSEA as lavaan's sqrt(G) factor)."""
    scaled = model_test["chisq"]
    return {
        "npar": npar,
        "chisq": chisq,
        "df": int(df),
        "pvalue": cfa_fit.chisq_pvalue(chisq, df),
        "cfi": cfa_fit.cfi(chisq, df, chisq_b, df_b),
        "tli": cfa_fit.tli(chisq, df, chisq_b, df_b),
        "rmsea": cfa_fit.rmsea(chisq, df, n_rmsea, groups),
        "rmsea_ci": cfa_fit.rmsea_ci(chisq, df, n_rmsea, groups),
        "rmsea_pvalue": cfa_fit.rmsea_pvalue(chisq, df, n_rmsea, groups),
        "srmr": float(srmr),
        "baseline_chisq": chisq_b,
        "baseline_df": int(df_b),
        "chisq_scaled": scaled,
        "df_scaled": int(df),
        "pvalue_scaled": cfa_fit.chisq_pvalue(scaled, df),
        "chisq_scaling_factor": model_test["scaling_factor"],
        "shift_parameter": model_test["shift"],
        "baseline_chisq_scaled": base_test["chisq"],
        "cfi_scaled": cfa_fit.cfi(scaled, df, base_test["chisq"], df_b),
        "tli_scaled": cfa_fit.tli(scaled, df, base_test["chisq"], df_b),
        "rmsea_scaled": cfa_fit.rmsea(scaled, df, n_rmsea, groups),
        "rmsea_ci_scaled": cfa_fit.rmsea_ci(scaled, df, n_rmsea, groups),
    }
