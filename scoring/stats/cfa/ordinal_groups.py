"""Multi-group CFA of ordered items by WLSMV and ordinal measurement invariance.

Agrees with ``lavaan::cfa(..., group =, ordered =, estimator = "WLSMV")`` in its default
delta parameterisation, with the invariance models that ``semTools::measEq.syntax`` writes
with its defaults ``ID.fac = "std.lv"``, ``ID.cat = "Wu.Estabrook.2016"`` and lavaan's default
``parameterization = "delta"`` (the fit does not depend on ID.fac; ``std_lv=False`` gives the
marker-identified version of the same models):

- **configural**: every group as the single-group model (thresholds free, intercepts 0, scale
  factors 1); the fit equals lavaan's plain multi-group model;
- **loadings and thresholds equal** (Wu & Estabrook 2016): thresholds and loadings shared;
  in groups 2, 3, ... the latent-response intercepts nu_j and scale factors delta_j are free,
  as are the factor variances (std_lv) and covariances; factor means stay 0. (lavaan's own
  ``group.equal = c("thresholds", "loadings")`` instead fixes the intercepts to 0 and frees the
  factor means, a different model with 4 more df here; it is not what measEq.syntax writes.)

For group g with loadings Lambda, factor covariance Psi_g, the implied statistics are the
standardised thresholds and the polychoric correlations

    tau*_jc = delta_j (tau_jc - nu_j),      rho_ij = delta_i delta_j (Lambda Psi_g Lambda')_ij,

(the latent-response variances are 1 / delta_j^2, residual variances 1/delta_j^2 -
(Lambda Psi Lambda')_jj). The sample statistics and their Gamma are computed per group
(:class:`scoring.stats.cfa.ordinal.OrdinalStatistics`). DWLS minimises
sum_g (n_g - 1) (s_g - sigma_g)' W_g (s_g - sigma_g), W_g = diag(Gamma_g)^-1; chi-square is
that minimum (lavaan's sum of group statistics). The scaled-and-shifted test takes
U = V - V Delta (Delta' V Delta)^-1 Delta' V with V = bdiag(f_g W_g), Gamma_all =
bdiag(Gamma_g / f_g), f_g = n_g / N (lavaan's ``lav_test_satorra_bentler_trace_original``).
Robust standard errors: E^-1 (sum_g f_g Delta_g' W_g Gamma_g W_g Delta_g) E^-1 / (N - G),
E = sum_g f_g Delta_g' W_g Delta_g. RMSEA uses N - G and sqrt(G).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from scoring.errors import Coded
from scoring.stats.cfa import fit as cfa_fit
from scoring.stats.cfa.ml import GroupData, start_values
from scoring.stats.cfa.model import ParTable
from scoring.stats.cfa.ordinal import OrdinalStatistics, _scaled_shifted, wlsmv_measures


@dataclass
class GroupsFit:
    """Output of :func:`fit_dwls_groups`. ``tau[g][j]``, ``nu[g]``, ``delta[g]``: thresholds,
    intercepts and scale factors per group, with their standard errors in ``*_se``; ``sigma[g]``
    the implied latent-response covariance matrix (diagonal 1 / delta^2)."""

    x: np.ndarray
    npar: int
    df: float
    reason: str | None = None
    measures: dict = field(default_factory=dict)
    se: np.ndarray | None = None
    tau: list = field(default_factory=list)
    tau_se: list = field(default_factory=list)
    nu: list = field(default_factory=list)
    delta: list = field(default_factory=list)
    sigma: list = field(default_factory=list)
    stats: list = field(default_factory=list)
    iterations: int = 0
    jacobians: list = field(default_factory=list)  # d sigma_g / d z at the estimates, per group


class _Layout:
    """Where the threshold, intercept and scale parameters sit in the full vector
    z = (ParTable parameters, thresholds, intercepts, scales)."""

    def __init__(self, pt: ParTable, stats: list[OrdinalStatistics], equal: bool):
        self.pt = pt
        self.stats = stats
        self.equal = equal
        self.g_count = len(stats)
        k = pt.npar
        self.tau_index = []  # per group: index of each threshold (stacked as in OrdinalStatistics)
        for g, st in enumerate(stats):
            if equal and g > 0:
                self.tau_index.append(self.tau_index[0])
            else:
                self.tau_index.append(np.arange(k, k + st.n_thresholds))
                k += st.n_thresholds
        p = pt.p
        self.nu_index = [None] * self.g_count
        self.delta_index = [None] * self.g_count
        if equal:
            for g in range(1, self.g_count):
                self.nu_index[g] = np.arange(k, k + p)
                k += p
                self.delta_index[g] = np.arange(k, k + p)
                k += p
        self.size = k

    def item_of_threshold(self, g: int) -> np.ndarray:
        st = self.stats[g]
        return np.repeat(np.arange(st.p), np.diff(st.th_start))

    def unpack(self, z: np.ndarray, g: int):
        p = self.pt.p
        tau = z[self.tau_index[g]]
        nu = z[self.nu_index[g]] if self.nu_index[g] is not None else np.zeros(p)
        delta = z[self.delta_index[g]] if self.delta_index[g] is not None else np.ones(p)
        return tau, nu, delta


def _implied(layout: _Layout, z: np.ndarray, g: int):
    """(implied statistics of group g, d statistics / d z)."""
    pt, st = layout.pt, layout.stats[g]
    rows = np.array([i for i, _ in st.pairs], dtype=int)
    cols = np.array([j for _, j in st.pairs], dtype=int)
    x = z[: pt.npar]
    tau, nu, delta = layout.unpack(z, g)
    item = layout.item_of_threshold(g)
    common = pt.implied(x, g)[0]
    t_count = st.n_thresholds
    n_pairs = len(st.pairs)
    value = np.concatenate([delta[item] * (tau - nu[item]), delta[rows] * delta[cols] * common[rows, cols]])
    jac = np.zeros((t_count + n_pairs, layout.size))
    per_group = len(st.pairs)
    jx = pt.jacobian(x, (rows, cols))[g * per_group : (g + 1) * per_group]
    jac[t_count:, : pt.npar] = (delta[rows] * delta[cols])[:, None] * jx
    th = np.arange(t_count)
    np.add.at(jac, (th, layout.tau_index[g]), delta[item])
    if layout.nu_index[g] is not None:
        np.add.at(jac, (th, layout.nu_index[g][item]), -delta[item])
        np.add.at(jac, (th, layout.delta_index[g][item]), tau - nu[item])
        pair = t_count + np.arange(n_pairs)
        c = common[rows, cols]
        np.add.at(jac, (pair, layout.delta_index[g][rows]), delta[cols] * c)
        np.add.at(jac, (pair, layout.delta_index[g][cols]), delta[rows] * c)
    return value, jac


def groups_problems(stats: list[OrdinalStatistics], names: list[str], equal: bool, labels: list[str]) -> str | None:
    """Why the groups cannot share thresholds (None when they can)."""
    if not equal:
        return None
    for j, name in enumerate(names):
        levels = [tuple(st.levels[j]) for st in stats]
        if any(lv != levels[0] for lv in levels[1:]):
            where = "; ".join(f"{lab}: {', '.join(f'{v:g}' for v in lv)}" for lab, lv in zip(labels, levels))
            return Coded(f"item {name} has different answer categories in the groups ({where}): thresholds cannot be equal", "thresholds_differ",
                         item=name, categories=where)
        if len(levels[0]) < 3:
            return Coded(f"item {name} is binary: the Wu-Estabrook threshold-invariance model needs at least 3 categories", "binary_item_thresholds",
                         item=name)
    return None


def fit_dwls_groups(pt: ParTable, blocks: list[np.ndarray], equal: bool, labels: list[str] | None = None) -> GroupsFit:
    """DWLS fit of ``pt`` (built with ``residual_variances=False``, loadings shared when
    ``equal``) to complete ordinal data per group; see the module docstring."""
    stats = [OrdinalStatistics(b) for b in blocks]
    problem = groups_problems(stats, pt.observed, equal, labels or [str(g + 1) for g in range(len(stats))])
    if problem:
        return GroupsFit(np.full(pt.npar, np.nan), pt.npar, math.nan, problem)
    layout = _Layout(pt, stats, equal)
    nobs = np.array([st.n for st in stats], dtype=float)
    n_total, g_count = nobs.sum(), len(stats)
    w = [1.0 / np.diag(st.gamma) for st in stats]
    sample = [st.sample for st in stats]
    n_stats = sum(s.size for s in sample)
    npar = layout.size
    df = n_stats - npar
    if df < 0:
        return GroupsFit(np.full(pt.npar, np.nan), npar, math.nan, f"the model is not identified: {npar} free parameters but only {n_stats} sample statistics")
    boundary = [st for st in stats if np.any(np.abs(st.rho[np.tril_indices(st.p, -1)]) > 1 - 1e-6)]
    if boundary:
        return GroupsFit(np.full(pt.npar, np.nan), npar, df, "a polychoric correlation of +-1 in a group: the DWLS fit is not defined")
    sw = [np.sqrt((n - 1) * wg) for n, wg in zip(nobs, w)]

    def resid(z):
        return np.concatenate([sw[g] * (sample[g] - _implied(layout, z, g)[0]) for g in range(g_count)])

    def jac(z):
        return np.vstack([-sw[g][:, None] * _implied(layout, z, g)[1] for g in range(g_count)])

    fit = optimize.least_squares(resid, _start(layout), jac=jac, method="trf", xtol=1e-15, ftol=1e-15, gtol=1e-12, max_nfev=2000)
    z = fit.x
    j = jac(z)
    grad = j.T @ resid(z)
    if not fit.success or not np.all(np.isfinite(z)) or np.max(np.abs(grad)) > 1e-6 * n_total:
        return GroupsFit(np.full(pt.npar, np.nan), npar, df, f"the DWLS fit did not converge ({fit.message})")
    if np.linalg.matrix_rank(j, tol=1e-7 * max(np.abs(j).max(), 1.0)) < npar:
        return GroupsFit(np.full(pt.npar, np.nan), npar, df, "the model is not identified (some parameters cannot be separated)")
    chisq = float(np.sum(resid(z) ** 2))
    deltas = [_implied(layout, z, g)[1] for g in range(g_count)]
    f = nobs / n_total
    gammas = [st.gamma for st in stats]
    model_test = _scaled_shifted_groups(chisq, df, gammas, w, deltas, f)
    chisq_b, df_b, base_test = _baseline(stats, w, f)
    n_rmsea = n_total - g_count
    sigmas = []
    srmr = 0.0
    for g, st in enumerate(stats):
        _, _, delta = layout.unpack(z, g)
        common = pt.implied(z[: pt.npar], g)[0]
        pt.value["theta"][g][np.diag_indices(pt.p)] = 1.0 / delta**2 - np.diag(common)
        sigmas.append(pt.implied(z[: pt.npar], g)[0])
        srmr += f[g] * cfa_fit.srmr_group(st.rho, None, np.outer(delta, delta) * sigmas[g], None, correlations=True)
    measures = wlsmv_measures(npar, chisq, df, chisq_b, df_b, n_rmsea, srmr, model_test, base_test, g_count)
    se = _robust_se_groups(gammas, w, deltas, f, n_rmsea)
    out = GroupsFit(
        z[: pt.npar], npar, df, None, measures, se[: pt.npar], stats=stats, sigma=sigmas, iterations=int(fit.nfev),
        jacobians=deltas,
    )
    for g in range(g_count):
        tau, nu, delta = layout.unpack(z, g)
        out.tau.append(tau)
        out.tau_se.append(se[layout.tau_index[g]])
        out.nu.append((nu, se[layout.nu_index[g]] if layout.nu_index[g] is not None else None))
        out.delta.append((delta, se[layout.delta_index[g]] if layout.delta_index[g] is not None else None))
    return out


def _start(layout: _Layout) -> np.ndarray:
    """Start values: the single-group ones per group, sample thresholds, intercepts 0, scales 1."""
    pt, stats = layout.pt, layout.stats
    z0 = np.zeros(layout.size)
    z0[: pt.npar] = start_values(pt, [GroupData(st.n, st.rho, np.zeros(st.p)) for st in stats])
    for g, st in enumerate(stats):
        z0[layout.tau_index[g]] = st.sample[: st.n_thresholds]
        if layout.delta_index[g] is not None:
            z0[layout.delta_index[g]] = 1.0
    return z0


def _baseline(stats: list[OrdinalStatistics], w: list[np.ndarray], f: np.ndarray) -> tuple[float, int, dict]:
    """The independence model (thresholds free in every group, correlations 0): chi-square,
    df and its scaled-and-shifted test."""
    t_counts = [st.n_thresholds for st in stats]
    deltas = []
    offset = 0
    for st, t in zip(stats, t_counts):
        d = np.zeros((st.sample.size, sum(t_counts)))
        d[:t, offset : offset + t] = np.eye(t)
        offset += t
        deltas.append(d)
    chisq = float(sum((st.n - 1) * np.sum(wg[st.n_thresholds :] * st.sample[st.n_thresholds :] ** 2) for wg, st in zip(w, stats)))
    df = sum(len(st.pairs) for st in stats)
    return chisq, df, _scaled_shifted_groups(chisq, df, [st.gamma for st in stats], w, deltas, f)


def _scaled_shifted_groups(chisq, df, gammas, w, deltas, f) -> dict:
    """The scaled-and-shifted statistic over groups (see the module docstring)."""
    if len(gammas) == 1:
        return _scaled_shifted(chisq, df, gammas[0], w[0], deltas[0])
    if df <= 0:
        return {"chisq": chisq, "scaling_factor": math.nan, "shift": math.nan}
    v = np.concatenate([fg * wg for fg, wg in zip(f, w)])
    delta = np.vstack(deltas)
    gamma = _bdiag([gm / fg for gm, fg in zip(gammas, f)])
    vd = v[:, None] * delta
    e_inv = np.linalg.pinv(delta.T @ vd)
    u = np.diag(v) - vd @ e_inv @ vd.T
    ug = u @ gamma
    tr1 = float(np.trace(ug))
    tr2 = float(np.sum(ug * ug.T))
    a = math.sqrt(df / tr2)
    shift = df - a * tr1
    return {"chisq": a * chisq + shift, "scaling_factor": 1.0 / a, "shift": shift}


def _robust_se_groups(gammas, w, deltas, f, n_divisor) -> np.ndarray:
    """Sandwich standard errors over groups (see the module docstring)."""
    e = sum(fg * d.T @ (wg[:, None] * d) for fg, wg, d in zip(f, w, deltas))
    meat = sum(fg * (wg[:, None] * d).T @ gm @ (wg[:, None] * d) for fg, wg, d, gm in zip(f, w, deltas, gammas))
    bread = np.linalg.inv(e)
    with np.errstate(invalid="ignore"):
        return np.sqrt(np.diag(bread @ meat @ bread) / n_divisor)


def _bdiag(mats: list[np.ndarray]) -> np.ndarray:
    size = sum(m.shape[0] for m in mats)
    out = np.zeros((size, size))
    k = 0
    for m in mats:
        out[k : k + m.shape[0], k : k + m.shape[0]] = m
        k += m.shape[0]
    return out


def satorra_2000_difference(free: GroupsFit, restricted: GroupsFit) -> dict:
    """Scaled-and-shifted chi-square difference test of two nested WLSMV fits, lavaan's
    ``lavTestLRT`` default for WLSMV (``method = "satorra.2000"``, ``A.method = "delta"``,
    ``scaled.shifted = TRUE``; Satorra 2000, Asparouhov & Muthen 2010).

    With Delta_1 and Delta_0 the Jacobians of the less and the more restricted model (groups
    stacked), H = Delta_1^+ Delta_0 and A spanning the orthogonal complement of H's columns
    (A H = 0: the constraints that turn model 1 into model 0), P = sum_g f_g Delta_1g' W_g
    Delta_1g and M = P^-1 A' (A P^-1 A')^+ A P^-1:
    tr1 = sum_g f_g tr(W_g Gamma_g W_g Delta_1g M Delta_1g'), tr2 = tr((U Gamma_all)^2) with
    U = V Delta_1 M Delta_1' V, V = bdiag(W_g), Gamma_all = bdiag(f_g Gamma_g);
    a = sqrt(m / tr2), b = m - a tr1, T_delta = a (T_0 - T_1) + b on m = df_0 - df_1 df.
    """
    from scipy.linalg import null_space

    m = int(restricted.df - free.df)
    d_chi = restricted.measures["chisq"] - free.measures["chisq"]
    if m <= 0:
        return {"chisq": d_chi, "df": m, "pvalue": math.nan}
    stats = free.stats
    nobs = np.array([st.n for st in stats], dtype=float)
    f = nobs / nobs.sum()
    w = [1.0 / np.diag(st.gamma) for st in stats]
    d1 = np.vstack(free.jacobians)
    d0 = np.vstack(restricted.jacobians)
    h = np.linalg.pinv(d1) @ d0
    a_mat = null_space(h.T).T
    p_mat = sum(fg * d.T @ (wg[:, None] * d) for fg, wg, d in zip(f, w, free.jacobians))
    p_inv = np.linalg.inv(p_mat)
    apa = a_mat @ p_inv @ a_mat.T
    middle = p_inv @ a_mat.T @ np.linalg.pinv(apa) @ a_mat @ p_inv
    tr1 = sum(
        fg * np.trace((wg[:, None] * st.gamma * wg[None, :]) @ d @ middle @ d.T)
        for fg, wg, d, st in zip(f, w, free.jacobians, stats)
    )
    v = np.concatenate(w)
    u = (v[:, None] * d1) @ middle @ (d1.T * v[None, :])
    ug = u @ _bdiag([fg * st.gamma for fg, st in zip(f, stats)])
    tr2 = float(np.sum(ug * ug.T))
    a = math.sqrt(m / tr2)
    b = m - a * tr1
    t_delta = a * d_chi + b
    return {"chisq": float(t_delta), "df": m, "pvalue": cfa_fit.chisq_pvalue(t_delta, m)}
