"""Robust maximum likelihood (MLR), as ``lavaan::cfa(..., estimator = "MLR")`` (lavaan 0.6).

MLR keeps the ML estimates and changes the standard errors and the test statistic:

- **Standard errors** (``se = "robust.huber.white"``): the sandwich
  acov(x) = E^-1 B0 E^-1 / N, E the observed information per observation (half the Hessian of
  F, lavaan's ``information = "observed"``) and B0 = (1/N) sum_i s_i s_i' the first-order
  information from the casewise scores s_i = d log L_i / d x (complete rows or, under FIML,
  each row's observed variables).
- **Test** (``test = "yuan.bentler.mplus"``, Yuan & Bentler 2000; the Mplus variant): T_scaled
  = T / c with c = [sum_g tr(A1_g^-1 B1_g) - tr(E^-1 B0)] / df, where A1_g and B1_g are the
  observed and first-order information of the saturated (H1) model of group g at its
  estimates (sample moments, or the EM estimates under FIML) per observation. The baseline
  (independence) model gets its own factor c0 the same way.
- **Fit indices**: ``*_scaled`` as lavaan's ``cfi.scaled``, ``tli.scaled``, ``rmsea.scaled``
  (the indices of the scaled statistics; the RMSEA interval from T on c df degrees of
  freedom); ``*_robust`` as lavaan's ``cfi.robust``, ``tli.robust``, ``rmsea.robust`` (Brosseau-
  Liard, Savalei & Li 2012; Brosseau-Liard & Savalei 2014): CFI = 1 - max(T - c df, 0) /
  max(T - c df, T0 - c0 df0, 0), TLI = 1 - (T - c df) df0 / ((T0 - c0 df0) df), RMSEA =
  sqrt(max(T / (N df) - c / N, 0)) sqrt(G), its interval from T/c scaled back by sqrt(c).
- **Robust indices under FIML** (``missing = "ml"``): lavaan 0.6-13+ replaces T, c, T0 and c0
  above by the FIML-corrected statistics of Zhang & Savalei (2023; "FIML-C", version V3 with a
  scaled test), :func:`fiml_corrected`: the model and the independence (baseline) model, both
  at their FIML estimates (the baseline fitted with the same estimator and missing-data
  handling), are evaluated against the EM (H1) moments as if they were complete data, which
  gives T3 and T3_0 on the same df; their scaling factors come from the H1 informations.

The saturated and independence models are written as parameter tables (no factors; Theta
fully free, respectively diagonal; free intercepts with a mean structure), so that the
information matrices and casewise scores come from the same code as the model's.
"""

from __future__ import annotations

import math

import numpy as np

from scoring.stats.cfa import fit as cfa_fit
from scoring.stats.cfa.ml import GroupData, expected_information, observed_information
from scoring.stats.cfa.model import MATRICES, Parameter, ParTable


def casewise_scores(pt: ParTable, groups: list[GroupData], x: np.ndarray) -> np.ndarray:
    """(N x npar) scores d log L_i / d x of every row (groups stacked in order).

    For a row with observed variables o and d = y_o - mu_o: d log L_i / d Sigma_oo =
    1/2 (Sigma_oo^-1 d d' Sigma_oo^-1 - Sigma_oo^-1) (entries treated as distinct) and
    d log L_i / d mu_o = Sigma_oo^-1 d, chained to x through the model Jacobian. Without a
    mean structure mu is the sample mean (saturated). Rows are handled by missing-data
    pattern, never one by one.
    """
    p = pt.p
    full = (np.repeat(np.arange(p), p), np.tile(np.arange(p), p))
    jac = pt.jacobian(x, full)
    per_group = p + p * p if pt.meanstructure else p * p
    out = []
    for g, data in enumerate(groups):
        block = jac[g * per_group : (g + 1) * per_group]
        j_mu, j_sigma = (block[:p], block[p:]) if pt.meanstructure else (None, block)
        sigma, mu = pt.implied(x, g)
        if not pt.meanstructure:
            mu = data.mean
        y = data.rows
        observed = ~np.isnan(y)
        g_sigma = np.zeros((y.shape[0], p, p))
        g_mu = np.zeros((y.shape[0], p))
        keys, inverse = np.unique(observed, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        for k, key in enumerate(keys):
            rows = np.flatnonzero(inverse == k)
            o = np.flatnonzero(key)
            inv = np.linalg.inv(sigma[np.ix_(o, o)])
            a = (y[np.ix_(rows, o)] - mu[o]) @ inv
            g_mu[np.ix_(rows, o)] = a
            g_sigma[np.ix_(rows, o, o)] = 0.5 * (a[:, :, None] * a[:, None, :] - inv)
        scores = g_sigma.reshape(y.shape[0], p * p) @ j_sigma
        if j_mu is not None:
            scores += g_mu @ j_mu
        out.append(scores)
    return np.vstack(out)


def reference_table(p: int, n_groups: int, meanstructure: bool, *, saturated: bool) -> ParTable:
    """The saturated (every variance and covariance free) or independence (variances only)
    model of p variables as a parameter table without factors; intercepts free with a mean
    structure. Parameters are ordered by group, then intercepts, then Theta's lower triangle."""
    pt = ParTable([f"v{i}" for i in range(p)], [], n_groups, meanstructure)
    shapes = {"lambda": (p, 0), "psi": (0, 0), "theta": (p, p), "nu": (p,), "alpha": (0,)}
    for name in MATRICES:
        pt.index[name] = [np.full(shapes[name], -1, dtype=int) for _ in range(n_groups)]
        pt.value[name] = [np.zeros(shapes[name]) for _ in range(n_groups)]
    for g in range(n_groups):
        if meanstructure:
            for i in range(p):
                pt.index["nu"][g][i] = pt.npar
                pt.params.append(Parameter(f"v{i}", "~1", "", g + 1))
        for i in range(p):
            for j in range(i + 1) if saturated else (i,):
                pt.index["theta"][g][i, j] = pt.index["theta"][g][j, i] = pt.npar
                pt.params.append(Parameter(f"v{j}", "~~", f"v{i}", g + 1))
    return pt


def reference_values(pt: ParTable, covs: list[np.ndarray], means: list[np.ndarray]) -> np.ndarray:
    """The parameter vector of a :func:`reference_table` at the given moments."""
    x = np.zeros(pt.npar)
    for g, (cov, mean) in enumerate(zip(covs, means)):
        for name, target in (("theta", cov), ("nu", mean)):
            free = pt.index[name][g] >= 0
            x[pt.index[name][g][free]] = target[free]
    return x


def _h1_trace(groups: list[GroupData], meanstructure: bool) -> float:
    """sum_g tr(A1_g^-1 B1_g) of the saturated model at the H1 estimates (per observation)."""
    total = 0.0
    p = groups[0].cov.shape[0]
    for data in groups:
        sat = reference_table(p, 1, meanstructure, saturated=True)
        x = reference_values(sat, [data.cov], [data.mean])
        # at the saturated ML estimates the observed information equals the expected one
        # for complete data; under FIML it does not (lavaan uses the observed)
        a1 = fiml_h1_information(data, p, meanstructure) if data.fiml else expected_information(sat, [data], x)
        s = casewise_scores(sat, [data], x)
        b1 = s.T @ s / data.n
        total += float(np.sum(np.linalg.solve(a1, b1).diagonal()))
    return total


def fiml_h1_information(data: GroupData, p: int, meanstructure: bool) -> np.ndarray:
    """Observed information per observation of the saturated FIML model at the EM estimates,
    in the parameter order of :func:`reference_table` (means, then Sigma's lower triangle).

    Pattern k (n_k rows, observed o, V = Sigma_oo^-1 zero-padded to p x p, d = m_k - mu,
    W = S_k + d d') adds to the Hessian of -2 log L: mu mu' : 2 V; mu sigma_ab : 2 V E_ab V d;
    sigma sigma (entries distinct): -(V (x) V) + (V (x) V W V) + (V W V (x) V); the
    covariance block is then mapped to the lower triangle by the duplication matrix.
    Information = Hessian / (2 n).
    """
    pairs = [(i, j) for i in range(p) for j in range(i + 1)]
    dup = np.zeros((p * p, len(pairs)))
    for k, (i, j) in enumerate(pairs):
        dup[i * p + j, k] = 1.0
        dup[j * p + i, k] = 1.0
    h_mm = np.zeros((p, p))
    h_ms = np.zeros((p, p * p))
    h_ss = np.zeros((p * p, p * p))
    for pat in data.patterns:
        o = pat.observed
        v = np.zeros((p, p))
        v[np.ix_(o, o)] = np.linalg.inv(data.cov[np.ix_(o, o)])
        d = np.zeros(p)
        d[o] = pat.mean - data.mean[o]
        w = np.zeros((p, p))
        w[np.ix_(o, o)] = pat.cov
        w += np.outer(d, d)
        vwv = v @ w @ v
        vd = v @ d
        h_mm += pat.n * 2 * v
        # d/d sigma_ab of -2 V d: 2 (V e_a)(e_b' V d) -> column a*p+b holds 2 V[:, a] (V d)[b]
        h_ms += pat.n * 2 * (v[:, :, None] * vd[None, None, :]).reshape(p, p * p)
        h_ss += pat.n * (-np.kron(v, v) + np.kron(v, vwv) + np.kron(vwv, v))
    h_ss = dup.T @ h_ss @ dup
    if not meanstructure:
        return h_ss / (2 * data.n)
    h_ms = h_ms @ dup
    return np.block([[h_mm, h_ms], [h_ms.T, h_ss]]) / (2 * data.n)


def _h0_parts(pt: ParTable, groups: list[GroupData], x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(E, B0): observed and first-order information of the model per observation."""
    n = sum(d.n for d in groups)
    e = observed_information(pt, groups, x)
    s = casewise_scores(pt, groups, x)
    return e, s.T @ s / n


def sandwich_se(e: np.ndarray, b0: np.ndarray, n: int) -> np.ndarray:
    """Huber-White standard errors sqrt(diag(E^-1 B0 E^-1) / N); NaN when E is singular."""
    try:
        e_inv = np.linalg.inv(e)
    except np.linalg.LinAlgError:
        return np.full(e.shape[0], np.nan)
    with np.errstate(invalid="ignore"):
        return np.sqrt(np.diag(e_inv @ b0 @ e_inv) / n)


def _scaling(trace_h1: float, e: np.ndarray, b0: np.ndarray, df: int) -> float:
    if df <= 0:
        return math.nan
    c = (trace_h1 - float(np.sum(np.linalg.solve(e, b0).diagonal()))) / df
    return c if c > 0 else math.nan


def mlr(
    pt: ParTable, groups: list[GroupData], x: np.ndarray, measures: dict, baseline: tuple[ParTable, np.ndarray]
) -> tuple[dict, np.ndarray]:
    """(fit measures with the MLR statistics added, robust standard errors).

    ``measures`` are the ML fit measures (``chisq``, ``df``, ``baseline_chisq``, ...);
    ``baseline`` the independence model's table and estimates.
    """
    n = sum(d.n for d in groups)
    n_groups = len(groups)
    e, b0 = _h0_parts(pt, groups, x)
    se = sandwich_se(e, b0, n)
    trace_h1 = _h1_trace(groups, pt.meanstructure)
    t, df = measures["chisq"], measures["df"]
    t0, df0 = measures["baseline_chisq"], measures["baseline_df"]
    c = _scaling(trace_h1, e, b0, df)
    c0 = _scaling(trace_h1, *_h0_parts(baseline[0], groups, baseline[1]), df0)
    ts, t0s = t / c, t0 / c0
    out = dict(measures)
    out.update(
        chisq_scaled=ts,
        df_scaled=df,
        pvalue_scaled=cfa_fit.chisq_pvalue(ts, df),
        chisq_scaling_factor=c,
        baseline_chisq_scaled=t0s,
        baseline_chisq_scaling_factor=c0,
        cfi_scaled=cfa_fit.cfi(ts, df, t0s, df0),
        tli_scaled=cfa_fit.tli(ts, df, t0s, df0),
        rmsea_scaled=cfa_fit.rmsea(ts, df, n, n_groups),
        rmsea_ci_scaled=cfa_fit.rmsea_ci(t, c * df, n, n_groups) if np.isfinite(c) else (math.nan, math.nan),
    )
    if any(d.fiml for d in groups):
        # lavaan: the robust indices under FIML come from the FIML-corrected statistics
        t, t0, c, c0 = fiml_corrected(pt, groups, x, baseline, df, df0)
        out.update(
            fiml_corrected_chisq=t,
            fiml_corrected_scaling_factor=c,
            fiml_corrected_baseline_chisq=t0,
            fiml_corrected_baseline_scaling_factor=c0,
        )
    out.update(robust_indices(t, df, t0, df0, c, c0, n, n_groups))
    return out, se


def robust_indices(t, df, t0, df0, c, c0, n, n_groups) -> dict:
    """lavaan's ``cfi.robust``, ``tli.robust``, ``rmsea.robust`` and its 90% interval from the
    statistic T with scaling factor c and the baseline's T0 with c0 (formulas in the module
    docstring; NaN when a factor is not finite)."""
    if not all(np.isfinite([t, t0, c, c0])) or df <= 0:
        nan = math.nan
        return dict(cfi_robust=nan, tli_robust=nan, rmsea_robust=nan, rmsea_ci_robust=(nan, nan))
    lo, hi = cfa_fit.rmsea_ci(t / c, df, n, n_groups)
    return dict(
        cfi_robust=cfa_fit.cfi(t - (c - 1) * df, df, t0 - (c0 - 1) * df0, df0),
        tli_robust=_tli_robust(t, df, t0, df0, c, c0),
        rmsea_robust=math.sqrt(max(t / (n * df) - c / n, 0.0)) * math.sqrt(n_groups),
        rmsea_ci_robust=(lo * math.sqrt(c), hi * math.sqrt(c)),
    )


def _complete_ml_discrepancy(sigma: np.ndarray, mu: np.ndarray, cov: np.ndarray, mean: np.ndarray) -> float:
    """F_ML = log|Sigma| - log|S| + tr(S Sigma^-1) - p + (m - mu)' Sigma^-1 (m - mu)."""
    inv = np.linalg.inv(sigma)
    d = mean - mu
    return float(np.linalg.slogdet(sigma)[1] - np.linalg.slogdet(cov)[1] + np.trace(cov @ inv) - cov.shape[0] + d @ inv @ d)


def _complete_h1_information(cov: np.ndarray) -> np.ndarray:
    """Information per observation of the complete-data saturated model at (cov, mean): means
    block Sigma^-1, covariance block 1/2 D' (Sigma^-1 (x) Sigma^-1) D, in the order of
    :func:`reference_table` (the observed information equals the expected one there)."""
    p = cov.shape[0]
    v = np.linalg.inv(cov)
    dup = _duplication(p)
    h_ss = 0.5 * dup.T @ np.kron(v, v) @ dup
    return np.block([[v, np.zeros((p, h_ss.shape[0]))], [np.zeros((h_ss.shape[0], p)), h_ss]])


def _duplication(p: int) -> np.ndarray:
    pairs = [(i, j) for i in range(p) for j in range(i + 1)]
    dup = np.zeros((p * p, len(pairs)))
    for k, (i, j) in enumerate(pairs):
        dup[i * p + j, k] = 1.0
        dup[j * p + i, k] = 1.0
    return dup


def _pairs(p: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the lower triangle in :func:`reference_table`'s order."""
    rows = np.repeat(np.arange(p), np.arange(1, p + 1))
    cols = np.concatenate([np.arange(i + 1) for i in range(p)])
    return rows, cols


def fiml_corrected(
    pt: ParTable, groups: list[GroupData], x: np.ndarray, baseline: tuple[ParTable, np.ndarray], df: int, df0: int
) -> tuple[float, float, float, float]:
    """(T3, T3_0, c3, c3_0): the FIML-corrected statistics of Zhang & Savalei (2023), version
    V3, as ``lavaan:::lav_fit_fiml_corrected`` (lavaan 0.6-14).

    With the EM moments (S~_g, m~_g) of group g, f_g = n_g / N and the model's FIML estimates:

    - T3 = N sum_g f_g F_ML(S~_g, m~_g; Sigma_g, mu_g), the model evaluated (not refitted)
      against the EM moments as complete data; T3_0 the same for the independence model at
      its FIML estimates.
    - Wm_g: observed information of the saturated FIML model at the EM estimates
      (:func:`fiml_h1_information`), Jm_g its first-order information (casewise scores), Wc_g
      the complete-data information at the EM moments; Gamma_g = Wm_g^-1 Jm_g Wm_g^-1 / f_g.
    - With block-diagonal Wm = diag(f_g Wm_g), Wc = diag(f_g Wc_g), Wm^-1 = diag(Wm_g^-1 / f_g),
      Delta the model's Jacobian d(mu, vech Sigma) / d theta and E = Delta' Wm Delta:
      U = Wm - Wm Delta E^-1 Delta' Wm, c3 = tr(U Wm^-1 Wc Wm^-1 U Gamma) / df;
      the baseline's c3_0 the same with its own Delta and df0.
    """
    n = sum(d.n for d in groups)
    p = pt.p
    f = [d.n / n for d in groups]
    wm, wc, gamma, wm_inv = [], [], [], []
    for fg, data in zip(f, groups):
        sat = reference_table(p, 1, True, saturated=True)
        xs = reference_values(sat, [data.cov], [data.mean])
        w = fiml_h1_information(data, p, True)
        s = casewise_scores(sat, [data], xs)
        w_inv = np.linalg.inv(w)
        wm.append(fg * w)
        wm_inv.append(w_inv / fg)
        wc.append(fg * _complete_h1_information(data.cov))
        gamma.append(w_inv @ (s.T @ s / data.n) @ w_inv / fg)
    wm_all, wc_all, wmi_all, gamma_all = (_block_diag(m) for m in (wm, wc, wm_inv, gamma))
    middle = wmi_all @ wc_all @ wmi_all

    def statistic(table: ParTable, est: np.ndarray) -> float:
        return n * sum(
            fg * _complete_ml_discrepancy(*table.implied(est, g), data.cov, data.mean) for g, (fg, data) in enumerate(zip(f, groups))
        )

    def scaling(table: ParTable, est: np.ndarray, dof: int) -> float:
        if dof <= 0:
            return math.nan
        delta = table.jacobian(est, _pairs(p))
        info = delta.T @ wm_all @ delta
        try:
            u = wm_all - wm_all @ delta @ np.linalg.solve(info, delta.T @ wm_all)
        except np.linalg.LinAlgError:
            return math.nan
        return float(np.trace(u @ middle @ u @ gamma_all)) / dof

    return statistic(pt, x), statistic(*baseline), scaling(pt, x, df), scaling(*baseline, df0)


def _block_diag(blocks: list[np.ndarray]) -> np.ndarray:
    size = sum(b.shape[0] for b in blocks)
    out = np.zeros((size, size))
    at = 0
    for b in blocks:
        out[at : at + b.shape[0], at : at + b.shape[0]] = b
        at += b.shape[0]
    return out


def _tli_robust(t, df, t0, df0, c, c0) -> float:
    """lavaan's ``tli.robust``: 1 - (T - c df) df0 / ((T0 - c0 df0) df)."""
    den = (t0 - c0 * df0) * df
    return 1.0 - (t - c * df) * df0 / den if df > 0 and den != 0 else 1.0
