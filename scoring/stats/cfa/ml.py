"""Maximum likelihood estimation of CFA models: complete data, FIML and multiple groups.

Sample statistics follow lavaan's ``likelihood = "normal"``: covariances have divisor N (not
N - 1). The discrepancy of group g is

    F_g = log|Sigma| + tr(S Sigma^-1) - log|S| - p  [+ (m - mu)' Sigma^-1 (m - mu)],

the mean term only with a mean structure, and the model minimises F = sum_g (n_g / N) F_g, so
that the likelihood-ratio statistic is chi-square = N F (lavaan's ``2 N fmin``).

With FIML (``missing = "ml"``) each missing-data pattern contributes with the rows and columns
of its observed variables (Arbuckle 1996):

    F_g = (1 / n_g) sum_patterns n_k [log|Sigma_k| + tr(Sigma_k^-1 (S_k + d_k d_k'))],

d_k = m_k - mu_k, and chi-square = N (F - F_h1) with the unrestricted (H1) means and
covariances from the EM algorithm. Rows with every variable missing are dropped, as lavaan does.
:mod:`scoring.stats.cfa.fiml` computes F, its gradient and the EM steps from one inverse of Sigma.

Minimisation: L-BFGS-B with analytic gradients, then trust-region Newton steps on a
finite-difference Hessian of the analytic gradient until the largest gradient element is below
1e-9 (lavaan's nlminb stops earlier; the estimates agree to its precision).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from scoring.stats.cfa.fiml import (
    Pattern,
    PatternSums,
    em_moments,
    fiml_discrepancy,
    missing_patterns,
    pattern_sums,
    precision_and_logdet,
)
from scoring.stats.cfa.model import ParTable


@dataclass(frozen=True)
class GroupData:
    """Sample moments of one group. ``cov``/``mean`` are the complete-data moments (divisor n),
    or for FIML the EM estimates of the unrestricted model (lavaan's ``missing.h1``)."""

    n: int
    cov: np.ndarray
    mean: np.ndarray
    patterns: tuple[Pattern, ...] | None = None
    h1_iterations: int = 0
    sums: PatternSums | None = None  # FIML: the patterns' sums (:mod:`scoring.stats.cfa.fiml`)
    rows: np.ndarray | None = None  # the raw (n x p) data, NaN = missing (robust statistics)

    @property
    def fiml(self) -> bool:
        return self.patterns is not None


def complete_moments(x: np.ndarray) -> GroupData:
    """Divisor-n covariance matrix and means of a complete (n x p) array."""
    n = x.shape[0]
    mean = x.mean(axis=0)
    centred = x - mean
    return GroupData(n, centred.T @ centred / n, mean, rows=x)


def fiml_moments(x: np.ndarray) -> GroupData:
    """Patterns and EM (H1) moments of an (n x p) array with NaN for missing values."""
    rows = x[~np.all(np.isnan(x), axis=1)]
    patterns = missing_patterns(rows)
    sums = pattern_sums(rows, patterns)
    cov, mean, iterations = em_moments(patterns, sums)
    return GroupData(sums.n, cov, mean, patterns, iterations, sums, rows)


def ml_discrepancy(sigma: np.ndarray, mu: np.ndarray, data: GroupData, meanstructure: bool):
    """(F_g, dF/dSigma, dF/dmu) for one group; NaN discrepancy when Sigma is not positive definite."""
    if data.fiml:
        return fiml_discrepancy(sigma, mu, data.sums)
    inverted = precision_and_logdet(sigma)
    if inverted is None:
        return np.nan, None, None
    inv, logdet = inverted
    _, logdet_s = np.linalg.slogdet(data.cov)
    w = data.cov
    d_mu = None
    if meanstructure:
        d = data.mean - mu
        w = w + np.outer(d, d)
        d_mu = -2 * inv @ d
    f = logdet + np.sum(inv * w) - logdet_s - sigma.shape[0]
    d_sigma = inv - inv @ w @ inv
    return f, d_sigma, d_mu


def fiml_h1_discrepancy(data: GroupData) -> float:
    """F_g of the unrestricted (H1) model at the EM estimates; 0 for complete data."""
    if not data.fiml:
        return 0.0
    return fiml_discrepancy(data.cov, data.mean, data.sums)[0]


def start_values(pt: ParTable, groups: list[GroupData]) -> np.ndarray:
    """Start values: one-factor principal-axis loadings per factor (signed as the marker, see
    :func:`_oriented`), half the observed variances as residual variances (as lavaan), zero
    factor covariances, sample means as intercepts."""
    x = np.zeros(pt.npar)
    for g, data in enumerate(groups):
        s = data.cov
        idx = pt.index
        for name in ("theta", "nu"):
            free = idx[name][g] >= 0
            if name == "theta":
                target = np.where(np.eye(pt.p, dtype=bool), s / 2, 0.0)
            else:
                target = data.mean
            x[idx[name][g][free]] = target[free]
        for f in range(pt.m):
            lam_free = idx["lambda"][g][:, f] >= 0
            fixed_vals = pt.value["lambda"][g][:, f]
            items = np.flatnonzero(lam_free | (fixed_vals != 0))
            if items.size == 0:
                continue
            ev, vec = np.linalg.eigh(s[np.ix_(items, items)])
            star = np.sqrt(max(ev[-1], 1e-6)) * vec[:, -1]
            markers = [k for k, i in enumerate(items) if not lam_free[i] and fixed_vals[i] != 0]
            star = _oriented(star, items, fixed_vals, markers)
            psi_fixed = idx["psi"][g][f, f] < 0
            if psi_fixed:
                psi = pt.value["psi"][g][f, f]
            elif markers and abs(star[markers[0]]) > 1e-3:
                psi = (star[markers[0]] / fixed_vals[items[markers[0]]]) ** 2
            else:
                psi = 1.0
            psi = psi if psi > 0 else 1.0
            if not psi_fixed:
                x[idx["psi"][g][f, f]] = psi
            for k, i in enumerate(items):
                if lam_free[i]:
                    x[idx["lambda"][g][i, f]] = star[k] / np.sqrt(psi)
    return x


def _oriented(star: np.ndarray, items: np.ndarray, fixed_vals: np.ndarray, markers: list[int]) -> np.ndarray:
    """The principal component ``star`` with the sign lavaan's solution has.

    The sign of an eigenvector is arbitrary. With a marker (a loading fixed to a non-zero
    value) the start loadings must agree in sign with it, or the optimiser starts in the
    mirror image of the solution, where the fixed loading has the wrong sign (a reverse-keyed
    first item then never converges). Without a marker (``std_lv``) lavaan's start values
    make the first indicator's loading positive (``lav_start``: marker-based FABIN, then
    rescaled), so we do the same; a first loading near 0 falls back to a positive sum.
    """
    if markers:
        k = markers[0]
        sign = np.sign(star[k] * fixed_vals[items[k]])
    else:
        sign = np.sign(star[0]) if abs(star[0]) > 1e-3 * np.abs(star).max() else np.sign(star.sum())
    return -star if sign < 0 else star


@dataclass(frozen=True)
class MlFit:
    """Minimiser output: estimates ``x``, discrepancy ``f`` (model) and ``f_h1`` (saturated)."""

    x: np.ndarray
    f: float
    f_h1: float
    converged: bool
    message: str
    iterations: int


def objective(pt: ParTable, groups: list[GroupData], x: np.ndarray):
    """(F, dF/dx) summed over groups with weights n_g / N; (inf, 0) outside the admissible region."""
    n_total = sum(d.n for d in groups)
    f = 0.0
    grad = np.zeros(pt.npar)
    for g, data in enumerate(groups):
        sigma, mu = pt.implied(x, g)
        fg, d_sigma, d_mu = ml_discrepancy(sigma, mu, data, pt.meanstructure)
        if not np.isfinite(fg):
            return np.inf, np.zeros(pt.npar)
        w = data.n / n_total
        f += w * fg
        grad += w * pt.gradient(x, g, d_sigma, d_mu)
    return f, grad


def fit_ml(pt: ParTable, groups: list[GroupData], x0: np.ndarray | None = None) -> MlFit:
    """Minimise the ML (or FIML) discrepancy of ``pt`` for ``groups``."""
    n_total = sum(d.n for d in groups)
    f_h1 = sum(d.n / n_total * fiml_h1_discrepancy(d) for d in groups)
    x = start_values(pt, groups) if x0 is None else x0
    x, f, converged, message, iterations = minimise(lambda v: objective(pt, groups, v), x)
    return MlFit(x, f, f_h1, converged, message, iterations)


def minimise(fun, x: np.ndarray, gtol: float = 1e-9, polish_above: float = 1e-6):
    """Minimise ``fun`` (returning value and gradient) from ``x``: (x, f, converged, message, iterations).

    L-BFGS-B first (a point outside the admissible region gets a large finite value, which
    L-BFGS-B handles where it does not handle inf); when its largest gradient element is
    above ``polish_above``, trust-region Newton steps on a finite-difference Hessian of the
    analytic gradient follow, down to ``gtol``.
    """

    def penalised(v):
        f, g = fun(v)
        return (f, g) if np.isfinite(f) else (1e10, np.zeros_like(v))

    with np.errstate(all="ignore"):
        res = optimize.minimize(
            penalised, x, jac=True, method="L-BFGS-B", options={"maxiter": 5000, "ftol": 1e-15, "gtol": 1e-10}
        )
        x, iterations = res.x, int(res.nit)
        f, grad = fun(x)
        if x.size and np.isfinite(f) and np.max(np.abs(grad)) > polish_above:
            polish = optimize.minimize(
                fun, x, jac=True, hess=lambda v: _fd_hessian(fun, v), method="trust-exact",
                options={"gtol": gtol, "maxiter": 200},
            )
            if np.isfinite(polish.fun) and polish.fun <= f:
                x = polish.x
            iterations += int(polish.nit)
    f, grad = fun(x)
    converged = bool(np.isfinite(f) and np.max(np.abs(grad), initial=0.0) < 1e-6)
    message = "converged" if converged else f"the optimiser did not converge (largest gradient {np.max(np.abs(grad), initial=0.0):.2g})"
    return x, f, converged, message, iterations


def _fd_hessian(fun, x, h: float = 1e-6):
    n = x.size
    hess = np.empty((n, n))
    for k in range(n):
        e = np.zeros(n)
        e[k] = h
        hess[:, k] = (fun(x + e)[1] - fun(x - e)[1]) / (2 * h)
    return (hess + hess.T) / 2


def expected_information(pt: ParTable, groups: list[GroupData], x: np.ndarray) -> np.ndarray:
    """Expected (Fisher) information per observation of the normal likelihood, lavaan's default
    for complete data: sum_g (n_g / N) [1/2 dvec(Sigma)' (Sigma^-1 (x) Sigma^-1) dvec(Sigma)
    + dmu' Sigma^-1 dmu], derivatives with respect to ``x``."""
    n_total = sum(d.n for d in groups)
    p = pt.p
    full = (np.repeat(np.arange(p), p), np.tile(np.arange(p), p))
    info = np.zeros((pt.npar, pt.npar))
    per_group = pt.p + p * p if pt.meanstructure else p * p
    jac = pt.jacobian(x, full)
    for g, data in enumerate(groups):
        block = jac[g * per_group : (g + 1) * per_group]
        d_mu, d_sigma = (block[:p], block[p:]) if pt.meanstructure else (None, block)
        inv = np.linalg.inv(pt.implied(x, g)[0])
        part = 0.5 * d_sigma.T @ np.kron(inv, inv) @ d_sigma
        if d_mu is not None:
            part += d_mu.T @ inv @ d_mu
        info += data.n / n_total * part
    return info


def observed_information(pt: ParTable, groups: list[GroupData], x: np.ndarray) -> np.ndarray:
    """Observed information per observation: half the Hessian of F = -2 log L / N + const
    (lavaan's default for FIML), by finite differences of the analytic gradient."""
    return 0.5 * _fd_hessian(lambda v: objective(pt, groups, v), x)


def standard_errors(information: np.ndarray, n: int) -> np.ndarray:
    """sqrt(diag(I^-1 / N)); NaN when the information matrix is singular."""
    try:
        acov = np.linalg.inv(information) / n
    except np.linalg.LinAlgError:
        return np.full(information.shape[0], np.nan)
    with np.errstate(invalid="ignore"):
        return np.sqrt(np.diag(acov))
