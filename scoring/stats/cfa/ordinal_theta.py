"""Ordinal (WLSMV) scalar, strict and partial invariance in the theta parameterisation.

The steps after "thresholds and loadings equal" (:mod:`scoring.stats.cfa.ordinal_groups`) as
``semTools::measEq.syntax`` writes them for ordered items with ``ID.fac = "std.lv"``,
``ID.cat = "Wu.Estabrook.2016"`` and ``parameterization = "theta"`` (measEq.syntax refuses equal
residual variances under "delta"; the scalar model's fit is the same in both):

For group g the latent responses y* = nu_g + Lambda eta + eps, eta ~ N(alpha_g, Psi_g),
eps ~ N(0, Theta_g) (diagonal), so Sigma*_g = Lambda Psi_g Lambda' + Theta_g and
mu*_g = nu_g + Lambda alpha_g. With s_j = Sigma*_jj^(-1/2) the implied statistics are the
standardised thresholds and the polychoric correlations

    tau*_jc = s_j (tau_jc - mu*_j),      rho_ij = s_i s_j Sigma*_ij.

Thresholds and loadings are shared by all groups. Group 1: Psi_1 a correlation matrix
(std.lv), alpha_1 = 0, nu_1 = 0, Theta_1 = I. Groups 2, 3, ...: Psi_g free (variances and
covariances);

- ``intercepts`` equal (scalar): nu_g = 0 and alpha_g free, except the intercepts named in
  ``group_partial`` (``x~1``), free in groups 2, ...; otherwise nu_g free and alpha_g = 0;
- ``residuals`` equal (strict): Theta_g = I, except the residual variances named in
  ``group_partial`` (``x~~x``), free in groups 2, ...; otherwise Theta_g free.

DWLS, the scaled-and-shifted test, robust standard errors and the fit measures are those of
:mod:`scoring.stats.cfa.ordinal_groups` (same statistics, weights and formulas); the Jacobian of
the implied statistics is taken by central differences (h = 1e-6; the statistics are smooth
and the parameters few). The result is a :class:`~scoring.stats.cfa.ordinal_groups.GroupsFit`,
so :func:`~scoring.stats.cfa.ordinal_groups.satorra_2000_difference` compares it with the
delta-parameterised configural and thresholds-loadings fits (the test depends on the span of
the Jacobians, not on the parameterisation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from scoring.stats.cfa import fit as cfa_fit
from scoring.stats.cfa.ordinal import OrdinalStatistics, wlsmv_measures
from scoring.stats.cfa.ordinal_groups import GroupsFit, _baseline, _robust_se_groups, _scaled_shifted_groups, groups_problems

PARTIAL_OPS = ("~1", "~~")


@dataclass(frozen=True)
class Block:
    """Where one kind of parameter sits in the vector: ``index`` (-1 = fixed at ``fixed``)."""

    index: np.ndarray
    fixed: float

    def values(self, z: np.ndarray) -> np.ndarray:
        return np.where(self.index >= 0, z[np.maximum(self.index, 0)], self.fixed)


class ThetaLayout:
    """The parameter vector z of a scalar or strict model: thresholds, loadings, then per group
    the factor (co)variances, factor means, intercepts and residual variances that are free."""

    def __init__(self, pattern: np.ndarray, stats: list[OrdinalStatistics], intercepts: bool, residuals: bool,
                 free_nu: set[int], free_theta: set[int]):  # fmt: skip
        self.pattern = pattern  # (p x m) True where an item loads on a factor
        self.stats = stats
        p, m = pattern.shape
        self.p, self.m = p, m
        self.names: list[tuple] = []  # (kind, group, i, j) per parameter, for the report
        k = 0

        def take(count: int, kind: str, g: int, where) -> np.ndarray:
            nonlocal k
            idx = np.arange(k, k + count)
            self.names += [(kind, g, *w) for w in where]
            k += count
            return idx

        st = stats[0]
        self.tau = take(st.n_thresholds, "tau", 0, [(j, c) for j in range(p) for c in range(st.th_start[j + 1] - st.th_start[j])])
        rows, cols = np.nonzero(pattern)
        self.lam = np.full((p, m), -1)
        self.lam[rows, cols] = take(len(rows), "lambda", 0, list(zip(rows, cols)))
        lower = [(a, b) for a in range(m) for b in range(a + 1)]
        self.psi, self.alpha, self.nu, self.theta = [], [], [], []
        for g in range(len(stats)):
            psi = np.full((m, m), -1)
            free_pairs = [(a, b) for a, b in lower if g > 0 or a != b]
            idx = take(len(free_pairs), "psi", g, free_pairs)
            for (a, b), i in zip(free_pairs, idx):
                psi[a, b] = psi[b, a] = i
            self.psi.append(psi)
            alpha = np.full(m, -1)
            if g > 0 and intercepts:
                alpha[:] = take(m, "alpha", g, [(a, 0) for a in range(m)])
            self.alpha.append(Block(alpha, 0.0))
            nu = np.full(p, -1)
            free = [] if g == 0 else (sorted(free_nu) if intercepts else list(range(p)))
            nu[free] = take(len(free), "nu", g, [(j, 0) for j in free])
            self.nu.append(Block(nu, 0.0))
            theta = np.full(p, -1)
            free = [] if g == 0 else (sorted(free_theta) if residuals else list(range(p)))
            theta[free] = take(len(free), "theta", g, [(j, 0) for j in free])
            self.theta.append(Block(theta, 1.0))
        self.size = k

    def matrices(self, z: np.ndarray, g: int) -> dict[str, np.ndarray]:
        lam = np.where(self.lam >= 0, z[np.maximum(self.lam, 0)], 0.0)
        psi = np.where(self.psi[g] >= 0, z[np.maximum(self.psi[g], 0)], 0.0)
        if g == 0:
            np.fill_diagonal(psi, 1.0)
        return {"tau": z[self.tau], "lambda": lam, "psi": psi, "alpha": self.alpha[g].values(z),
                "nu": self.nu[g].values(z), "theta": self.theta[g].values(z)}  # fmt: skip

    def implied(self, z: np.ndarray, g: int) -> np.ndarray:
        """The implied standardised thresholds and polychoric correlations of group g."""
        mat = self.matrices(z, g)
        lam = mat["lambda"]
        sigma = lam @ mat["psi"] @ lam.T + np.diag(mat["theta"])
        mu = mat["nu"] + lam @ mat["alpha"]
        s = 1.0 / np.sqrt(np.diag(sigma))
        st = self.stats[g]
        item = np.repeat(np.arange(self.p), np.diff(st.th_start))
        rows = np.array([i for i, _ in st.pairs], dtype=int)
        cols = np.array([j for _, j in st.pairs], dtype=int)
        return np.concatenate([s[item] * (mat["tau"] - mu[item]), s[rows] * s[cols] * sigma[rows, cols]])

    def jacobian(self, z: np.ndarray, g: int, h: float = 1e-6) -> np.ndarray:
        out = np.empty((self.stats[g].sample.size, self.size))
        for k in range(self.size):
            e = np.zeros(self.size)
            e[k] = h
            out[:, k] = (self.implied(z + e, g) - self.implied(z - e, g)) / (2 * h)
        return out

    def start(self) -> np.ndarray:
        """Sample thresholds, loadings .7, factor correlations 0, variances and residuals 1."""
        z = np.zeros(self.size)
        z[self.tau] = self.stats[0].sample[: self.stats[0].n_thresholds]
        z[self.lam[self.lam >= 0]] = 0.7
        for g in range(1, len(self.stats)):
            z[np.diag(self.psi[g])] = 1.0
            z[self.theta[g].index[self.theta[g].index >= 0]] = 1.0
        return z


def partial_items(entries, observed: list[str]) -> tuple[set[int], set[int]]:
    """(items whose intercept, items whose residual variance is freed) from ``x~1`` and ``x~~x``
    entries; anything else raises ValueError with the entry."""
    nu, theta = set(), set()
    for entry in entries:
        text = str(entry).replace(" ", "")
        if text.endswith("~1") and text[:-2] in observed:
            nu.add(observed.index(text[:-2]))
            continue
        left, sep, right = text.partition("~~")
        if sep and left == right and left in observed:
            theta.add(observed.index(left))
            continue
        raise ValueError(entry)
    return nu, theta


def fit_theta_groups(pattern: np.ndarray, observed: list[str], blocks: list[np.ndarray], *, intercepts: bool, residuals: bool,
                     partial=(), labels: list[str] | None = None) -> tuple[GroupsFit, ThetaLayout | None]:  # fmt: skip
    """DWLS fit of the scalar (``intercepts``) or strict (``residuals`` too) model with the
    ``group_partial`` entries freed; see the module docstring."""
    stats = [OrdinalStatistics(b) for b in blocks]
    problem = groups_problems(stats, observed, True, labels or [str(g + 1) for g in range(len(stats))])
    if problem:
        return GroupsFit(np.full(0, np.nan), 0, math.nan, problem), None
    free_nu, free_theta = partial_items(partial, observed)
    layout = ThetaLayout(pattern, stats, intercepts, residuals, free_nu, free_theta)
    nobs = np.array([st.n for st in stats], dtype=float)
    n_total, g_count = nobs.sum(), len(stats)
    w = [1.0 / np.diag(st.gamma) for st in stats]
    n_stats = sum(st.sample.size for st in stats)
    npar = layout.size
    df = n_stats - npar
    if df < 0:
        return GroupsFit(
            np.full(0, np.nan), npar, math.nan, f"the model is not identified: {npar} free parameters but only {n_stats} sample statistics"
        ), None
    sw = [np.sqrt((n - 1) * wg) for n, wg in zip(nobs, w)]

    def resid(z):
        return np.concatenate([sw[g] * (stats[g].sample - layout.implied(z, g)) for g in range(g_count)])

    def jac(z):
        return np.vstack([-sw[g][:, None] * layout.jacobian(z, g) for g in range(g_count)])

    fit = optimize.least_squares(resid, layout.start(), jac=jac, method="trf", xtol=1e-15, ftol=1e-15, gtol=1e-12, max_nfev=500)
    z = fit.x
    deltas = [layout.jacobian(z, g) for g in range(g_count)]
    j = np.vstack([-sw[g][:, None] * deltas[g] for g in range(g_count)])
    if not np.all(np.isfinite(z)) or np.max(np.abs(j.T @ resid(z))) > 1e-5 * n_total:
        return GroupsFit(np.full(0, np.nan), npar, df, f"the DWLS fit did not converge ({fit.message})"), None
    if np.linalg.matrix_rank(j, tol=1e-7 * max(np.abs(j).max(), 1.0)) < npar:
        return GroupsFit(np.full(0, np.nan), npar, df, "the model is not identified (some parameters cannot be separated)"), None
    chisq = float(np.sum(resid(z) ** 2))
    f = nobs / n_total
    gammas = [st.gamma for st in stats]
    model_test = _scaled_shifted_groups(chisq, df, gammas, w, deltas, f)
    chisq_b, df_b, base_test = _baseline(stats, w, f)
    srmr = 0.0
    for g, st in enumerate(stats):
        rho = np.eye(st.p)
        implied = layout.implied(z, g)[st.n_thresholds :]
        for (a, b), r in zip(st.pairs, implied):
            rho[a, b] = rho[b, a] = r
        srmr += f[g] * cfa_fit.srmr_group(st.rho, None, rho, None, correlations=True)
    measures = wlsmv_measures(npar, chisq, df, chisq_b, df_b, n_total - g_count, srmr, model_test, base_test, g_count)
    se = _robust_se_groups(gammas, w, deltas, f, n_total - g_count)
    out = GroupsFit(z, npar, df, None, measures, se, stats=stats, iterations=int(fit.nfev), jacobians=deltas)
    return out, layout


def parameter_rows(layout: ThetaLayout, z: np.ndarray, se: np.ndarray, observed: list[str], factors: list[str], labels: list[str]):
    """(group, lhs, op, rhs, free, est, se) of every parameter, fixed ones included, in lavaan's
    operators: loadings ``=~``, thresholds ``|`` (``t1``, ...), residual variances and factor
    (co)variances ``~~``, intercepts and factor means ``~1``."""
    rows = []
    for g, label in enumerate(labels):
        for lhs, op, rhs, index, value in _group_parameters(layout, z, g, observed, factors):
            free = index >= 0
            rows.append((label, lhs, op, rhs, bool(free), float(value), float(se[index]) if free else math.nan))
    return rows


def _group_parameters(layout: ThetaLayout, z: np.ndarray, g: int, observed: list[str], factors: list[str]):
    """(lhs, op, rhs, index in z or -1, value) of group g's parameters, in lavaan's order."""
    mat = layout.matrices(z, g)
    st = layout.stats[g]
    for a, f in enumerate(factors):
        for i in np.flatnonzero(layout.lam[:, a] >= 0):
            yield f, "=~", observed[i], layout.lam[i, a], mat["lambda"][i, a]
    for j, o in enumerate(observed):
        for c in range(st.th_start[j + 1] - st.th_start[j]):
            k = st.th_start[j] + c
            yield o, "|", f"t{c + 1}", layout.tau[k], mat["tau"][k]
    for j, o in enumerate(observed):
        yield o, "~~", o, layout.theta[g].index[j], mat["theta"][j]
    for a in range(layout.m):
        for b in range(a + 1):
            yield factors[b], "~~", factors[a], layout.psi[g][a, b], mat["psi"][a, b]
    for j, o in enumerate(observed):
        yield o, "~1", "", layout.nu[g].index[j], mat["nu"][j]
    for a, f in enumerate(factors):
        yield f, "~1", "", layout.alpha[g].index[a], mat["alpha"][a]
