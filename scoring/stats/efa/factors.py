"""Exploratory factor analysis as R's ``psych::fa`` computes it, with KMO, Bartlett's test and
parallel analysis.

Reference: Revelle, W. psych: Procedures for Psychological, Psychometric, and Personality
Research (version 2.2.9): ``fa``/``fac``, ``factor.stats``, ``smc``, ``cor.smooth``, ``KMO``,
``cortest.bartlett``, ``fa.parallel``. Every number is checked against R's output in
``tests/reference/fixtures/{efa,kmo,parallel}_*.json``.

Pipeline (``psych::fa`` defaults):

1. Correlations: Pearson, pairwise complete (``missing="pairwise"``, psych's ``use =
   "pairwise"``) or on complete rows (``missing="listwise"``). n = number of rows (psych's
   ``n.obs``); ``np_obs`` = the pairwise counts.
2. Extraction from R with squared multiple correlations SMC = 1 - 1/diag(R^-1) as start:
   - ``minres`` (psych default; Harman's minimum residual = unweighted least squares): the
     uniquenesses psi minimise the sum of squared off-diagonal residuals (psych
     ``fit.residuals``), with psych's gradient ``FAgr.minres`` = diag(LL' + diag(psi) - R);
     loadings are the first k eigenvectors of R - diag(psi) times the square roots of their
     eigenvalues.
   - ``ml``: maximum likelihood as psych's ``FAfn``/``FAgr`` (Joreskog 1967; ``factanal``):
     F(psi) = -sum_{j>k}(log e_j - e_j) - k + p with e the eigenvalues of
     psi^-1/2 R psi^-1/2.
   Both by L-BFGS-B with psych's bounds 0.005 <= psi <= max(1, SMC) and R ``optim``'s settings
   (parscale 0.01, factr 1e7, 5 corrections, at most 100 iterations). SciPy's L-BFGS-B then
   takes the same steps as R's: the solutions agree with psych to about 1e-12, including
   Heywood cases, where a tighter optimiser may reach a different local optimum than psych.
3. Columns are sign-flipped so that each sums positive, then rotated (``rotation.py``), flipped
   again, named by their position after rotation (``MR1``..., ``ML1``...) and ordered by
   the variance they account for, diag(Phi L'L) — so ``MR3`` may come first, as in psych.
4. Fit (``factor.stats``, alpha = 0.1 so the RMSEA interval is 90%), with p items, k factors
   and n rows:
   - dof = p(p-1)/2 - pk + k(k-1)/2;
   - objective F = tr(M^-1 R) - log det(M^-1 R) - p, M = L Phi L' with unit diagonal
     (both matrices smoothed by ``cor.smooth`` when not positive definite);
   - chi-square = F (n - 1 - (2p + 5)/6 - 2k/3) (Bartlett's correction), floored at 0;
   - TLI = (M0 - Mm)/(M0 - 1/nm) with M0 = F0 / (p(p-1)/2), F0 = -log det R,
     Mm = F/dof, nm = n - 1 - (2p + 5)/6 - 2k/3;
   - RMSEA = sqrt(max(chisq/(dof n) - 1/(n - 1), 0)); 90% CI from the noncentral chi-square
     (noncentrality lambda where P(chi2_dof(lambda) <= chisq) = .95 / .05, bound
     sqrt(lambda/((n - 1) dof)));
   - BIC = chisq - dof log n;
   - the "empirical" chi-square sum(residual^2 * n_ij) over off-diagonal cells (psych ``chi``).

Communalities are h2 = diag(L Phi L') (psych's ``communality``), which for oblique rotations
is *not* the row sum of squared pattern loadings that factor_analyzer reports.

Parallel analysis (``fa.parallel(x, fa = "fa")``): observed eigenvalues of R with the one-factor
minres communalities on the diagonal (psych's default ``SMC = FALSE``), against the same for
n x p standard normal data; the suggested number of factors counts the leading observed
eigenvalues above the simulated 95th percentile, as psych's ``nfact`` does.

Degenerate input never raises: items without variance or without answers, and items whose
correlations cannot be computed, are left out with a warning (their rows are NaN); with fewer
than 3 rows, fewer than 2 usable items or at least as many factors as items the result is NaN
with ``reason`` saying why. Deliberate differences from psych:

- psych stops on NaN correlations; we drop the item with the most undefined correlations,
  repeatedly, and say so;
- when R cannot be inverted (or is not positive definite) KMO is NaN with a reason (psych
  silently uses R in place of its inverse); ML on a matrix that is not positive definite is NaN
  with a reason (psych's optimiser fails);
- parallel analysis uses NumPy's seeded generator (R's random numbers cannot be reproduced) and
  skips psych's resampling branch, which does not enter ``nfact``;
- ``missing="listwise"`` is offered besides psych's pairwise default.

Polychoric correlations (``cor="poly"``, psych's ``fa(x, cor = "poly")`` and
``fa.parallel(x, cor = "poly")``): step 1 uses :func:`scoring.stats.polychoric.polychoric`
(two-step ML, global thresholds, each pair from the respondents who answered both) in place of
Pearson's r; n and the pairwise counts are as for Pearson. psych's polychoric agrees to ~1e-4
(its optimiser's tolerance), so EFA on it agrees to ~1e-3. Parallel analysis compares the
observed polychoric eigenvalues with Pearson eigenvalues of normal data, as psych's ``fa.sim``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

from scoring.errors import Coded, Problem, UserError, check_choice, library_reason
from scoring.result import Result
from scoring.stats.efa.rotation import rotate as _rotate
from scoring.stats.pairwise import PairwiseMoments, correlations_from_sums

METHODS = ("minres", "ml")
ROTATIONS = ("oblimin", "varimax", "promax", "none")
MISSING_RULES = ("pairwise", "listwise")
CORRELATIONS = ("pearson", "poly")
_PREFIX = {"minres": "MR", "ml": "ML"}
_EPS = np.finfo(float).eps
# R's optim(method = "L-BFGS-B") as psych calls it: parscale 0.01, factr 1e7, pgtol 0, lmm 5,
# maxit 100. Using the same settings reproduces psych's solution, including where it stops and,
# for Heywood cases with several local optima, which optimum it reaches.
_PARSCALE = 0.01


# --------------------------------------------------------------------------------------------
# Input: correlation matrix, counts, exclusions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorrelationInput:
    """The correlation matrix analysed and where it came from.

    ``items``: all items asked for; ``used``: those analysed (in order); ``corr``: their
    correlations; ``n_obs``: n for chi-square tests (rows; NaN when unknown); ``np_obs``: pairwise
    counts (None when a matrix was given); ``reason``: why nothing can be computed, else None;
    ``correlation``: "pearson", "polychoric" or "matrix".
    """

    items: list[str]
    used: list[str]
    corr: np.ndarray
    n_obs: float
    np_obs: np.ndarray | None
    missing: str
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None
    correlation: str = "pearson"


def _numeric_items(items) -> pd.DataFrame:
    frame = items if isinstance(items, pd.DataFrame) else pd.DataFrame(np.asarray(items))
    frame = frame.copy()
    frame.columns = [str(c) for c in frame.columns]
    bad = []
    for col in frame.columns:
        if not (pd.api.types.is_numeric_dtype(frame[col]) or pd.api.types.is_bool_dtype(frame[col])):
            converted = pd.to_numeric(frame[col], errors="coerce")
            text = frame[col].notna() & converted.isna()
            if text.any():
                first = int(np.flatnonzero(text.to_numpy())[0])
                bad.append(Problem(f"not a number: {frame[col].iloc[first]!r}", path=col, row=first + 1))
                continue
            frame[col] = converted
    if bad:
        raise UserError(bad, summary="factor analysis needs numeric item answers")
    return frame.astype(float)


def _drop_undefined(corr: np.ndarray, names: list[str], warnings: list[str]) -> list[int]:
    """Indices kept after repeatedly dropping the item with the most NaN correlations."""
    keep = list(range(len(names)))
    while keep:
        sub = corr[np.ix_(keep, keep)]
        nan_count = np.isnan(sub).sum(axis=0)
        if nan_count.max() == 0:
            break
        worst = keep[int(np.argmax(nan_count))]
        warnings.append(Coded(f"{names[worst]}: left out, its correlations with other items cannot be computed (too few joint answers)",
                              "item_no_joint_answers", item=names[worst]))
        keep.remove(worst)
    return keep


def correlation_input(
    items=None, *, missing: str = "pairwise", corr=None, n_obs: float | None = None, cor: str = "pearson",
    moments: PairwiseMoments | None = None,
) -> CorrelationInput:
    """Pearson (``cor="pearson"``) or polychoric (``cor="poly"``) correlations of ``items`` (rows =
    responses), or a given matrix ``corr``.

    Items without answers or without variance are left out with a warning, as are items whose
    pairwise correlations are undefined. ``n_obs`` overrides the number of rows (psych ``n.obs``).
    Polychoric correlations need whole-number codes with at most 8 categories (ValueError).
    ``moments``: the pairwise moments of these item columns (or more), already read for several
    scales (:mod:`scoring.stats.pairwise`); used for Pearson correlations with pairwise deletion.
    """
    check_choice(missing, MISSING_RULES, "missing", error=ValueError)
    check_choice(cor, CORRELATIONS, "cor", error=ValueError)
    warnings: list[str] = []
    if corr is not None:
        frame = corr if isinstance(corr, pd.DataFrame) else pd.DataFrame(np.asarray(corr, dtype=float))
        m = frame.to_numpy(dtype=float)
        names = [str(c) for c in frame.columns]
        if m.ndim != 2 or m.shape[0] != m.shape[1]:
            raise ValueError("corr must be a square matrix")
        if not np.allclose(m, m.T, equal_nan=True):
            raise ValueError("corr must be symmetric")
        d = np.sqrt(np.diag(m))
        with np.errstate(invalid="ignore", divide="ignore"):
            m = m / np.outer(d, d)
        keep = _drop_undefined(m, names, warnings)
        n = float(n_obs) if n_obs is not None else math.nan
        used = [names[i] for i in keep]
        m = m[np.ix_(keep, keep)]
        reason = _size_reason(len(used), n)
        warnings += [] if reason else _matrix_warnings(m)
        return CorrelationInput(names, used, m, n, None, "matrix", warnings, reason)
    if moments is not None and missing == "pairwise" and cor == "pearson" and isinstance(items, pd.DataFrame):
        return _from_moments(items, moments, n_obs)
    frame = _numeric_items(items)
    names = list(frame.columns)
    if missing == "listwise":
        before = len(frame)
        frame = frame.dropna()
        if len(frame) < before:
            warnings.append(Coded(f"listwise deletion: {before - len(frame)} of {before} rows with missing answers left out", "listwise_left_out",
                                  left=before - len(frame), rows=before))
    values = frame.to_numpy(dtype=float)
    answered = ~np.isnan(values)
    count = answered.sum(axis=0)
    with np.errstate(invalid="ignore"):
        spread = np.nanmax(np.where(answered, values, -np.inf), axis=0, initial=-np.inf) - np.nanmin(
            np.where(answered, values, np.inf), axis=0, initial=np.inf)
    usable = _usable_items(names, count, spread, warnings)
    m = pairwise_correlation(values[:, usable]) if usable else np.empty((0, 0))
    if cor == "poly" and usable:
        m = _polychoric_matrix(values[:, usable], [names[j] for j in usable], warnings)
    counts = answered[:, usable].astype(float)
    n = float(n_obs) if n_obs is not None else float(len(frame))
    return _assembled(names, usable, m, counts.T @ counts, n, missing, warnings, "polychoric" if cor == "poly" else "pearson")


def _usable_items(names: list[str], count: np.ndarray, spread: np.ndarray, warnings: list[str]) -> list[int]:
    """The items with answers and variance (a warning for each one left out)."""
    usable = []
    for j, name in enumerate(names):  # over items
        if count[j] == 0:
            warnings.append(Coded(f"{name}: left out, no answers", "item_left_out_no_answers", item=name))
        elif not spread[j] > 0:
            warnings.append(Coded(f"{name}: left out, constant (no variance)", "item_left_out_constant", item=name))
        else:
            usable.append(j)
    return usable


def _assembled(names: list[str], usable: list[int], m: np.ndarray, np_obs: np.ndarray, n: float, missing: str,
               warnings: list[str], kind: str) -> CorrelationInput:
    """The input of the ``usable`` items with correlations ``m`` and pairwise counts ``np_obs``,
    after leaving out the items whose correlations are undefined."""
    sub_names = [names[j] for j in usable]
    keep = _drop_undefined(m, sub_names, warnings)
    used = [sub_names[i] for i in keep]
    m = m[np.ix_(keep, keep)]
    reason = _size_reason(len(used), n)
    warnings += [] if reason else _matrix_warnings(m)
    return CorrelationInput(names, used, m, n, np_obs[np.ix_(keep, keep)], missing, warnings, reason, kind)


def _from_moments(items: pd.DataFrame, moments: PairwiseMoments, n_obs: float | None) -> CorrelationInput:
    """:func:`correlation_input` of ``items`` (numbers, pairwise deletion, Pearson) from moments
    already summed: the same items left out, the same matrix, without reading the answers again."""
    names = [str(c) for c in items.columns]
    taken = moments.take(names)
    warnings: list[str] = []
    usable = _usable_items(names, taken.count, taken.high - taken.low, warnings)
    block = np.ix_(usable, usable)
    n = float(n_obs) if n_obs is not None else float(len(items))
    return _assembled(names, usable, taken.cor[block], taken.n_pair[block].astype(float), n, "pairwise", warnings, "pearson")


def _polychoric_matrix(values: np.ndarray, names: list[str], warnings: list[str]) -> np.ndarray:
    """psych::polychoric(x)$rho of the usable columns (constant items are already left out)."""
    from scoring.stats.polychoric import polychoric

    poly = polychoric(pd.DataFrame(values, columns=names))
    warnings += [Coded(f"polychoric: {w}", "polychoric_note", reason=library_reason(w)) for w in poly.warnings]
    return poly.rho.to_numpy()


def pairwise_correlation(x: np.ndarray) -> np.ndarray:
    """Pearson correlations from the pairwise-complete rows, as R's ``cor(x, use = "pairwise")``.

    For each pair the means and standard deviations are those of the rows answering both items
    (so this is not cov2cor of the pairwise covariance matrix). With x centred by the item means
    and m the answered mask: n_jl = m_j'm_l, s_j|l = x_j'm_l, q_j|l = (x_j^2)'m_l and

        r_jl = (x_j'x_l - s_j|l s_l|j / n_jl) / sqrt((q_j|l - s_j|l^2 / n_jl)(q_l|j - s_l|j^2 / n_jl)),

    four matrix products in all. NaN where fewer than 2 rows answer both items or one of them
    has no variance on those rows.
    """
    x = np.asarray(x, dtype=float)
    answered = ~np.isnan(x)
    if answered.all():
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.atleast_2d(np.corrcoef(x, rowvar=False))
    count = answered.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.where(answered, x, 0.0).sum(axis=0) / count
    x0 = np.where(answered, x - np.nan_to_num(centre), 0.0)
    m = answered.astype(float)
    n = m.T @ m
    s = x0.T @ m
    q = (x0 * x0).T @ m
    return correlations_from_sums(n, s, q, x0.T @ x0)


def _matrix_warnings(corr: np.ndarray) -> list[str]:
    """Say when R is not positive definite or (nearly) singular; the analyses go on as psych's
    do (smoothing where psych smooths)."""
    if corr.shape[0] < 2 or not np.all(np.isfinite(corr)):
        return []
    low = float(np.linalg.eigvalsh(corr)[0])
    if low < -1e-10:
        return [f"the correlation matrix is not positive definite (smallest eigenvalue {low:.3g}); with pairwise "
                "deletion this happens when items are answered by different respondents"]
    if low < 1e-10:
        return ["the correlation matrix is singular: some items are linear combinations of others (collinear)"]
    return []


def _size_reason(n_items: int, n_obs: float) -> str | None:
    if not math.isnan(n_obs) and n_obs < 3:
        return Coded(f"too few responses (n = {int(n_obs)}; at least 3 are needed)", "too_few_complete_rows", rows=int(n_obs), min=3)
    if n_items < 2:
        return Coded(f"too few usable items ({n_items}; at least 2 are needed)", "too_few_items", items=n_items, min=2)
    return None


# --------------------------------------------------------------------------------------------
# Matrix helpers (psych's smc, cor.smooth)
# --------------------------------------------------------------------------------------------


def smc(corr: np.ndarray) -> np.ndarray:
    """Squared multiple correlations, psych ``smc``: 1 - 1/diag(R^+) with the Moore-Penrose
    inverse (tolerance sqrt(eps), psych ``Pinv``), clipped to [0, 1]."""
    inv = np.linalg.pinv(corr, rcond=math.sqrt(_EPS))
    with np.errstate(divide="ignore"):
        out = 1.0 - 1.0 / np.diag(inv)
    if np.all(np.isnan(out)):
        return np.ones_like(out)
    return np.clip(out, 0.0, 1.0)


def cor_smooth(corr: np.ndarray, eig_tol: float = 1e-12) -> tuple[np.ndarray, bool]:
    """psych ``cor.smooth``: if an eigenvalue is below machine epsilon, set eigenvalues below
    ``eig_tol`` to 100 * eig_tol, rescale them to sum to p, rebuild and rescale to unit
    diagonal. Returns (matrix, smoothed?)."""
    w, v = np.linalg.eigh(corr)
    if w.min() >= _EPS:
        return corr, False
    w = np.where(w < eig_tol, 100 * eig_tol, w)
    w = w * corr.shape[0] / w.sum()
    m = (v * w) @ v.T
    d = np.sqrt(np.diag(m))
    return m / np.outer(d, d), True


def _eigh_desc(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w, v = np.linalg.eigh(m)
    return w[::-1], v[:, ::-1]


def _logdet(m: np.ndarray) -> float:
    sign, logdet = np.linalg.slogdet(m)
    return float(logdet) if sign > 0 else -math.inf


# --------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------


def _minres_objective(psi: np.ndarray, corr: np.ndarray, k: int) -> tuple[float, np.ndarray]:
    """psych's ``fit.residuals`` (fm = "minres") with its gradient ``FAgr.minres``.

    f = sum of squared off-diagonal residuals (lower triangle) of R with 1 - psi on the
    diagonal, loadings from its first k eigenpairs (eigenvalues below eps set to 100 eps).
    The gradient psych supplies, diag(LL' + diag(psi) - R), is that of half the full residual
    sum of squares, which has the same minimiser; we keep the pair as psych has it so that the
    optimiser takes the same path and stops where psych's stops.
    """
    s = corr.copy()
    np.fill_diagonal(s, 1.0 - psi)
    w, v = _eigh_desc(s)
    w = np.where(w < _EPS, 100 * _EPS, w)
    load = v[:, :k] * np.sqrt(w[:k])
    residual = np.tril(s - load @ load.T, -1)
    f = float(np.sum(residual**2))
    w2, v2 = _eigh_desc(corr - np.diag(psi))
    load2 = v2[:, :k] * np.sqrt(np.maximum(w2[:k], 0.0))
    return f, np.sum(load2**2, axis=1) + psi - np.diag(corr)


def _ml_objective(psi: np.ndarray, corr: np.ndarray, k: int) -> tuple[float, np.ndarray]:
    sc = 1.0 / np.sqrt(psi)
    w, v = _eigh_desc(corr * np.outer(sc, sc))
    e = w[k:]
    if np.any(e <= 0):
        return math.inf, np.zeros_like(psi)
    f = -(float(np.sum(np.log(e) - e)) - k + corr.shape[0])
    load = v[:, :k] * np.sqrt(np.maximum(w[:k] - 1.0, 0.0))
    load = np.sqrt(psi)[:, None] * load
    g = np.sum(load**2, axis=1) + psi - np.diag(corr)
    return f, g / psi**2


def _unrotated(corr: np.ndarray, psi: np.ndarray, k: int, method: str) -> np.ndarray:
    if method == "minres":
        w, v = _eigh_desc(corr - np.diag(psi))
        return v[:, :k] * np.sqrt(np.maximum(w[:k], 0.0))
    sc = 1.0 / np.sqrt(psi)
    w, v = _eigh_desc(corr * np.outer(sc, sc))
    return np.sqrt(psi)[:, None] * (v[:, :k] * np.sqrt(np.maximum(w[:k] - 1.0, 0.0)))


def extract(corr: np.ndarray, n_factors: int, method: str = "minres") -> tuple[np.ndarray, np.ndarray, bool]:
    """Unrotated loadings (p x k), uniquenesses psi and convergence, as psych ``fac``'s ``fit``
    (before its sign flips). See the module docstring for the criteria."""
    check_choice(method, METHODS, "method", error=ValueError)
    s = smc(corr)
    start = np.diag(corr) - s
    upper = max(float(s.max()), 1.0)
    fun = _minres_objective if method == "minres" else _ml_objective

    def scaled(z):
        value, grad = fun(z * _PARSCALE, corr, n_factors)
        return value, grad * _PARSCALE

    res = optimize.minimize(
        scaled,
        np.clip(start, 0.005, upper) / _PARSCALE,
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.005 / _PARSCALE, upper / _PARSCALE)] * corr.shape[0],
        options={"ftol": 1e7 * _EPS, "gtol": 0.0, "maxiter": 100, "maxcor": 5},
    )
    psi = res.x * _PARSCALE
    return _unrotated(corr, psi, n_factors, method), psi, bool(res.success) or res.status == 2


# --------------------------------------------------------------------------------------------
# Fit statistics (psych factor.stats)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactorFit:
    """Fit of a factor model, as psych's ``factor.stats`` reports it.

    ``chisq`` (psych ``STATISTIC``), ``df`` (``dof``), ``p``, ``tli``, ``rmsea`` with
    ``rmsea_ci`` (90%), ``bic``, ``sabic``, ``objective``; ``null_chisq``/``null_df`` of the
    independence model; ``chisq_empirical`` (psych ``chi``, residuals weighted by pairwise n)
    with ``p_empirical``; ``rms``/``crms`` root mean square off-diagonal residual; ``fit``,
    ``fit_off`` (share of squared correlations reproduced); ``n_obs``.
    """

    chisq: float
    df: float
    p: float
    tli: float
    rmsea: float
    rmsea_ci: tuple[float, float]
    bic: float
    sabic: float
    objective: float
    null_chisq: float
    null_df: float
    chisq_empirical: float
    p_empirical: float
    ebic: float
    rms: float
    crms: float
    fit: float
    fit_off: float
    n_obs: float

    def to_dict(self) -> dict:
        out = {k: _clean(v) for k, v in self.__dict__.items() if k != "rmsea_ci"}
        out["rmsea_ci"] = [_clean(self.rmsea_ci[0]), _clean(self.rmsea_ci[1])]
        return out

    @classmethod
    def undefined(cls, n_obs: float = math.nan) -> FactorFit:
        nan = math.nan
        return cls(nan, nan, nan, nan, nan, (nan, nan), nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, n_obs)


def _rmsea_bound(stat: float, df: float, target: float, upper: float, n_obs: float) -> float:
    def gap(ncp):
        cdf = stats.chi2.cdf(stat, df) if ncp <= 0 else stats.ncx2.cdf(stat, df, ncp)
        return cdf - target

    lo, hi = gap(0.0), gap(upper)
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo * hi > 0:
        return math.nan
    root = optimize.brentq(gap, 0.0, upper, xtol=1e-12, rtol=1e-14, maxiter=500)
    return math.sqrt(root / (n_obs - 1) / df)


def factor_stats(
    corr: np.ndarray,
    loadings: np.ndarray,
    phi: np.ndarray | None,
    n_obs: float,
    np_obs: np.ndarray | None = None,
    alpha: float | None = 0.1,
) -> tuple[FactorFit, list[str]]:
    """psych ``factor.stats`` (with ``smooth = TRUE``); returns the fit and any warnings.

    Formulas in the module docstring. ``np_obs`` (pairwise counts) weights the empirical
    chi-square and the rms as in psych; the likelihood-ratio chi-square uses ``n_obs``.
    ``alpha``: the RMSEA interval's level is 1 - alpha; None leaves the interval out (NaN), for
    callers that do not show it (its root finding on the noncentral chi-square is the slowest part).
    """
    warnings: list[str] = []
    p, k = loadings.shape
    model = loadings @ (phi if phi is not None else np.eye(k)) @ loadings.T
    residual = corr - model
    r2 = float(np.sum(corr * corr))
    rstar2 = float(np.sum(residual * residual))
    dof = p * (p - 1) / 2 - p * k + k * (k - 1) / 2
    empirical = _empirical_fit(corr, residual, r2, dof, n_obs, np_obs)
    objective, corr_s = _objective(corr, model, rstar2, warnings)
    f0 = float(np.trace(corr_s)) - _logdet(corr_s) - p
    if math.isinf(f0):
        f0 = r2
    likelihood = _likelihood_fit(objective, f0, p, k, dof, n_obs, alpha)
    if dof == 0:
        warnings.append(Coded(f"the model has 0 degrees of freedom ({k} factor(s), {p} items): its fit cannot be tested", "efa_zero_df",
                              factors=k, items=p))
    elif dof < 0:
        warnings.append(Coded(f"the model has {dof:g} degrees of freedom: more factors than {p} items can identify; the fit cannot be tested",
                              "efa_negative_df", df=f"{dof:g}", items=p))
    return (
        FactorFit(
            df=dof, objective=objective, null_df=p * (p - 1) / 2, fit=1 - rstar2 / r2, n_obs=n_obs,
            **likelihood, **empirical,
        ),
        warnings,
    )


def _empirical_fit(corr: np.ndarray, residual: np.ndarray, r2: float, dof: float, n_obs: float, np_obs: np.ndarray | None) -> dict:
    """psych's residual-based statistics: empirical chi-square with its p and eBIC, rms, crms
    and fit.off; off-diagonal squared residuals weighted by the pairwise counts ``np_obs``
    (harmonic mean n) when given, else by ``n_obs``."""
    nan = math.nan
    p = corr.shape[0]
    off = residual.copy()
    np.fill_diagonal(off, 0.0)
    if np_obs is None:
        rstar_off = float(np.sum(off**2))
        r2_off = r2 - float(np.trace(corr))
        chi_emp = rstar_off * n_obs
        nh = n_obs
        rms = math.sqrt(rstar_off / (p * (p - 1)))
        crms = math.sqrt(rstar_off / (2 * dof)) if dof > 0 else nan
    else:
        rstar_off = float(np.sum(off**2 * np_obs))
        w = corr * corr * np_obs
        r2_off = float(np.sum(w) - np.trace(w))
        chi_emp = rstar_off
        nh = float(1.0 / np.mean(1.0 / np_obs))
        rms = math.sqrt(rstar_off / (nh * p * (p - 1)))
        crms = math.sqrt(rstar_off / (2 * nh * dof)) if dof > 0 else nan
    if dof > 0:
        p_emp = float(stats.chi2.sf(chi_emp, dof))
        ebic = chi_emp - dof * math.log(nh) if nh > 0 else nan
    else:
        p_emp = ebic = nan
    fit_off = 1 - rstar_off / r2_off if r2_off > 0 else nan
    return {"chisq_empirical": chi_emp, "p_empirical": p_emp, "ebic": ebic, "rms": rms, "crms": crms, "fit_off": fit_off}


def _objective(corr: np.ndarray, model: np.ndarray, rstar2: float, warnings: list[str]) -> tuple[float, np.ndarray]:
    """The ML objective tr(M^-1 R) - log det(M^-1 R) - p of the smoothed correlations R and
    model M (unit diagonal, smoothed), and the smoothed R; the sum of squared residuals
    ``rstar2`` when the determinant is 0, as psych."""
    p = corr.shape[0]
    model_full = model.copy()
    np.fill_diagonal(model_full, np.diag(corr))
    model_full, _ = cor_smooth(model_full)
    corr_s, smoothed = cor_smooth(corr)
    if smoothed:
        warnings.append(Coded("the fit statistics use the smoothed correlation matrix (psych cor.smooth)", "efa_fit_smoothed"))
    try:
        m_inv_r = np.linalg.solve(model_full, corr_s)
    except np.linalg.LinAlgError:
        warnings.append(Coded("the model matrix is singular; fit statistics are not meaningful", "efa_model_singular"))
        m_inv_r = np.eye(p)
    objective = float(np.trace(m_inv_r)) - _logdet(m_inv_r) - p
    if math.isinf(objective):
        objective = rstar2
        warnings.append(Coded("the smoothed correlation matrix has determinant 0; chi-square is based on the residuals", "efa_determinant_zero"))
    return objective, corr_s


def _likelihood_fit(objective: float, f0: float, p: int, k: int, dof: float, n_obs: float, alpha: float | None) -> dict:
    """Likelihood-ratio chi-square (Bartlett-corrected) with p, TLI, RMSEA with its (1 - alpha)
    interval, BIC, SABIC and the null model's chi-square; all NaN without ``n_obs``."""
    nan = math.nan
    out = {"chisq": nan, "p": nan, "tli": nan, "rmsea": nan, "rmsea_ci": (nan, nan), "bic": nan, "sabic": nan, "null_chisq": nan}
    if math.isnan(n_obs):
        return out
    chisq = objective * ((n_obs - 1) - (2 * p + 5) / 6 - (2 * k) / 3)
    stat = max(chisq, 0.0) if not math.isnan(chisq) else chisq
    out["chisq"] = stat
    out["p"] = float(stats.chi2.sf(stat, dof)) if dof > 0 else nan
    mm = objective / dof if dof != 0 else nan
    m0 = f0 * 2 / (p * (p - 1))
    nm = (n_obs - 1) - (2 * p + 5) / 6 - (2 * k) / 3
    out["null_chisq"] = f0 * ((n_obs - 1) - (2 * p + 5) / 6)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["tli"] = float((m0 - mm) / (m0 - 1 / nm)) if nm != 0 else nan
    if dof > 0 and not math.isnan(objective):
        rmsea = math.sqrt(max(chisq / (dof * n_obs) - 1 / (n_obs - 1), 0.0))
        out["rmsea"] = rmsea
        if alpha is not None:
            out["rmsea_ci"] = _rmsea_ci(stat, chisq, dof, n_obs, rmsea, alpha)
        out["bic"] = chisq - dof * math.log(n_obs)
        out["sabic"] = chisq - dof * math.log((n_obs + 2) / 24)
    return out


def _rmsea_ci(stat: float, chisq: float, dof: float, n_obs: float, rmsea: float, alpha: float) -> tuple[float, float]:
    """psych's (1 - alpha) RMSEA interval from the noncentral chi-square; a bound on the wrong
    side of the estimate is NaN."""
    nan = math.nan
    tail = alpha / 2
    top = max(n_obs, chisq) + 2 * n_obs
    upper_b = 0.0
    if stats.chi2.cdf(stat, dof) > tail:
        upper_b = _rmsea_bound(stat, dof, tail, top, n_obs)
        if math.isnan(upper_b) and rmsea <= 0:
            upper_b = 0.0
    lower_b = 0.0
    if stats.chi2.cdf(stat, dof) > 1 - tail:
        lower_b = _rmsea_bound(stat, dof, 1 - tail, top, n_obs)
    if not math.isnan(upper_b) and upper_b < rmsea:
        upper_b = nan
    if not math.isnan(lower_b) and lower_b > rmsea:
        lower_b = nan
    return (lower_b, upper_b)


# --------------------------------------------------------------------------------------------
# psych::fa on a matrix
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Solution:
    loadings: np.ndarray  # pattern, psych's column order and signs
    factors: list[str]
    phi: np.ndarray | None
    communality: np.ndarray  # diag(L Phi L')
    psi: np.ndarray  # uniquenesses from the optimiser (1 - psych's `communalities`)
    values: np.ndarray  # eigenvalues of R with the communalities on the diagonal
    rotmat: np.ndarray | None
    converged: bool
    warnings: list[str]


def _flip(loadings: np.ndarray) -> np.ndarray:
    signs = np.sign(loadings.sum(axis=0))
    signs[signs == 0] = 1.0
    return signs


def fa_matrix(corr: np.ndarray, n_factors: int, method: str = "minres", rotation: str = "oblimin") -> _Solution:
    """psych ``fac`` on a correlation matrix: extraction, sign flips, rotation, naming, order."""
    check_choice(rotation, ROTATIONS, "rotation", error=ValueError)
    warnings: list[str] = []
    unrot, psi, converged = extract(corr, n_factors, method)
    if not converged:
        warnings.append(Coded(f"{method} extraction did not converge", "extraction_no_convergence", method=method))
    if n_factors > 1:
        unrot = unrot * _flip(unrot)
    elif unrot.sum() < 0:
        unrot = -unrot
    unrot = np.where(unrot == 0, 1e-15, unrot)
    model = unrot @ unrot.T
    s = corr.copy()
    np.fill_diagonal(s, np.diag(model))
    values = np.linalg.eigvalsh(s)[::-1]
    loadings, phi, rotmat = unrot, None, None
    if rotation != "none" and n_factors > 1:
        rotated = _rotate(unrot, rotation)
        if not rotated.converged:
            warnings.append(Coded(f"{rotation} rotation did not converge", "rotation_no_convergence", rotation=rotation))
        loadings, phi, rotmat = rotated.loadings, rotated.phi, rotated.rotmat
    signs = _flip(loadings)
    loadings = loadings * signs
    if phi is not None:
        phi = phi * np.outer(signs, signs)
    names = [f"{_PREFIX[method]}{j + 1}" for j in range(n_factors)]
    if n_factors > 1:
        ev = np.diag(phi @ loadings.T @ loadings) if phi is not None else np.sum(loadings**2, axis=0)
        order = np.argsort(-ev, kind="stable")
        loadings = loadings[:, order]
        names = [names[j] for j in order]
        if phi is not None:
            phi = phi[np.ix_(order, order)]
    if np.any(np.diag(model) > 1):
        warnings.append(Coded("an ultra-Heywood case was detected (a communality above 1); examine the results carefully", "ultra_heywood"))
    return _Solution(loadings, names, phi, np.diag(model), psi, values, rotmat, converged, warnings)


# --------------------------------------------------------------------------------------------
# Public API: efa
# --------------------------------------------------------------------------------------------


def _clean(v):
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    return f if math.isfinite(f) else None


def _fmt(v: float, digits: int = 2) -> str:
    return "NA" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{digits}f}"


@dataclass(frozen=True, repr=False)
class EFAResult(Result):
    """An exploratory factor analysis (psych ``fa``).

    ``loadings``: pattern loadings (items x factors, psych's factor names and order; items left
    out are NaN rows); ``phi``: factor correlations (None for orthogonal solutions and one
    factor); ``structure``: L Phi; ``communalities``: h2 = diag(L Phi L'); ``uniquenesses``:
    u2 = 1 - h2; ``complexity``: Hofmann's (sum l^2)^2 / sum l^4; ``eigenvalues``: of R with
    the communalities on the diagonal (psych ``values``); ``e_values``: of R;
    ``variance``: SS loadings, proportion and cumulative variance per factor; ``fit``:
    :class:`FactorFit`; ``n_obs`` (rows), ``missing`` (the rule), ``corr`` (the matrix
    analysed); ``warnings``; ``reason``: why nothing was computed (else None); ``psi``: the
    uniquenesses where the optimiser stopped (1 - psych's ``communalities``).
    """

    items: list[str]
    used: list[str]
    n_factors: int
    method: str
    rotation: str
    factors: list[str]
    loadings: pd.DataFrame
    phi: pd.DataFrame | None
    structure: pd.DataFrame
    communalities: pd.Series
    uniquenesses: pd.Series
    complexity: pd.Series
    eigenvalues: np.ndarray
    e_values: np.ndarray
    variance: pd.DataFrame
    fit: FactorFit
    n_obs: float
    missing: str
    corr: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None
    psi: pd.Series | None = None
    correlation: str = "pearson"

    def to_frame(self) -> pd.DataFrame:
        """One row per item: the loadings, h2, u2 and complexity (psych's printed table)."""
        frame = self.loadings.copy()
        frame["h2"] = self.communalities
        frame["u2"] = self.uniquenesses
        frame["com"] = self.complexity
        frame.index.name = "item"
        return frame

    def to_dict(self) -> dict:
        """JSON-ready: loadings as {item: {factor: value}}, NaN as None."""
        def table(df):
            return {str(r): {str(c): _clean(df.loc[r, c]) for c in df.columns} for r in df.index}

        return {
            "method": self.method,
            "rotation": self.rotation,
            "n_factors": self.n_factors,
            "factors": list(self.factors),
            "n_obs": _clean(self.n_obs),
            "missing": self.missing,
            "correlation": self.correlation,
            "items": list(self.items),
            "loadings": table(self.loadings),
            "communalities": {k: _clean(v) for k, v in self.communalities.items()},
            "uniquenesses": {k: _clean(v) for k, v in self.uniquenesses.items()},
            "complexity": {k: _clean(v) for k, v in self.complexity.items()},
            "phi": table(self.phi) if self.phi is not None else None,
            "variance": table(self.variance),
            "eigenvalues": [_clean(v) for v in self.eigenvalues],
            "fit": self.fit.to_dict(),
            "warnings": list(self.warnings),
            "reason": self.reason,
        }

    def summary(self, digits: int = 2) -> str:
        """A readable report like psych's ``print.fa``."""
        title = f"Factor analysis: {self.method}, {self.n_factors} factor(s), rotation {self.rotation}"
        lines = [title, f"n = {_fmt(self.n_obs, 0)} rows, missing = {self.missing}, {self.correlation} correlations, "
                        f"{len(self.used)} of {len(self.items)} items"]
        if self.reason:
            lines.append(f"Not computed: {self.reason}")
        else:
            lines.append("")
            lines.append("Standardized loadings (pattern matrix)")
            lines.append(self.to_frame().round(digits).to_string(na_rep="NA"))
            lines.append("")
            lines.append(self.variance.round(digits).to_string())
            if self.phi is not None:
                lines.append("")
                lines.append("Factor correlations (Phi)")
                lines.append(self.phi.round(digits).to_string())
            f = self.fit
            lines.append("")
            lines.append(
                f"Chi-square = {_fmt(f.chisq)}, df = {_fmt(f.df, 0)}, p = {_fmt(f.p, 4)}; "
                f"empirical chi-square = {_fmt(f.chisq_empirical)}, p = {_fmt(f.p_empirical, 4)}"
            )
            lines.append(
                f"TLI = {_fmt(f.tli, 3)}, RMSEA = {_fmt(f.rmsea, 3)} (90% CI {_fmt(f.rmsea_ci[0], 3)} - "
                f"{_fmt(f.rmsea_ci[1], 3)}), BIC = {_fmt(f.bic)}, RMSR = {_fmt(f.rms)}"
            )
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)


def _empty_efa(inp: CorrelationInput, n_factors, method, rotation, reason, warnings) -> EFAResult:
    names = [f"{_PREFIX[method]}{j + 1}" for j in range(max(n_factors, 0))]
    nan_tab = pd.DataFrame(np.nan, index=inp.items, columns=names)
    nan_items = pd.Series(np.nan, index=inp.items)
    corr = pd.DataFrame(inp.corr, index=inp.used, columns=inp.used)
    return EFAResult(
        inp.items, inp.used, n_factors, method, rotation, names, nan_tab, None, nan_tab.copy(), nan_items,
        nan_items.copy(), nan_items.copy(), np.full(len(inp.used), np.nan), np.full(len(inp.used), np.nan),
        pd.DataFrame(np.nan, index=["SS loadings", "Proportion Var", "Cumulative Var"], columns=names),
        FactorFit.undefined(inp.n_obs), inp.n_obs, inp.missing, corr, warnings, reason, correlation=inp.correlation,
    )


def efa(
    items=None,
    n_factors: int = 1,
    *,
    method: str = "minres",
    rotation: str = "oblimin",
    missing: str = "pairwise",
    corr=None,
    n_obs: float | None = None,
    cor: str = "pearson",
) -> EFAResult:
    """Exploratory factor analysis as ``psych::fa(x, nfactors, fm = method, rotate = rotation)``.

    ``items``: responses (rows) x items (columns), NaN = missing; or give ``corr`` (a
    correlation matrix, with ``n_obs`` for the tests); ``cor="poly"`` analyses polychoric
    correlations (psych ``cor = "poly"``). See the module docstring for the method.

    >>> from scoring.stats.efa.factors import efa
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(300, 1))
    >>> x = pd.DataFrame(f @ np.full((1, 4), 0.7) + rng.normal(scale=0.7, size=(300, 4)), columns=list("abcd"))
    >>> round(float(efa(x, 1).loadings.loc["a", "MR1"]), 2)  # psych::fa on the same data: 0.7417
    0.74
    """
    return efa_of(correlation_input(items, missing=missing, corr=corr, n_obs=n_obs, cor=cor), n_factors, method=method, rotation=rotation)


def efa_of(inp: CorrelationInput, n_factors: int = 1, *, method: str = "minres", rotation: str = "oblimin") -> EFAResult:
    """:func:`efa` of correlations already prepared by :func:`correlation_input` (so that one
    polychoric matrix serves the EFA, KMO, Bartlett and parallel analysis)."""
    check_choice(method, METHODS, "method", error=ValueError)
    check_choice(rotation, ROTATIONS, "rotation", error=ValueError)
    warnings = list(inp.warnings)
    if inp.reason:
        return _empty_efa(inp, n_factors, method, rotation, inp.reason, warnings)
    p = len(inp.used)
    if n_factors < 1:
        return _empty_efa(inp, n_factors, method, rotation, "the number of factors must be at least 1", warnings)
    if n_factors >= p:
        return _empty_efa(
            inp, n_factors, method, rotation,
            f"{n_factors} factor(s) cannot be extracted from {p} usable item(s); use fewer factors", warnings,
        )
    if method == "ml" and np.linalg.eigvalsh(inp.corr).min() < 1e-10:  # singular as _matrix_warnings says
        return _empty_efa(
            inp, n_factors, method, rotation,
            "maximum likelihood needs a positive definite correlation matrix (collinear items or pairwise "
            "deletion); use minres", warnings,
        )
    sol = fa_matrix(inp.corr, n_factors, method, rotation)
    warnings.extend(sol.warnings)
    fit, fit_warnings = factor_stats(inp.corr, sol.loadings, sol.phi, inp.n_obs, inp.np_obs)
    warnings.extend(fit_warnings)
    return _assemble(inp, sol, fit, n_factors, method, rotation, warnings)


def _assemble(inp, sol: _Solution, fit: FactorFit, n_factors, method, rotation, warnings) -> EFAResult:
    used = inp.used
    load = pd.DataFrame(sol.loadings, index=used, columns=sol.factors).reindex(inp.items)
    phi = pd.DataFrame(sol.phi, index=sol.factors, columns=sol.factors) if sol.phi is not None else None
    structure = load @ phi if phi is not None else load.copy()
    h2 = pd.Series(sol.communality, index=used).reindex(inp.items)
    l2 = sol.loadings**2
    complexity = pd.Series(l2.sum(axis=1) ** 2 / (l2**2).sum(axis=1), index=used).reindex(inp.items)
    ss = np.diag(sol.phi @ sol.loadings.T @ sol.loadings) if sol.phi is not None else l2.sum(axis=0)
    total = float(np.sum(np.diag(inp.corr)))
    variance = pd.DataFrame(
        [ss, ss / total, np.cumsum(ss / total)], index=["SS loadings", "Proportion Var", "Cumulative Var"], columns=sol.factors
    )
    return EFAResult(
        items=list(inp.items), used=list(used), n_factors=n_factors, method=method, rotation=rotation,
        factors=list(sol.factors), loadings=load, phi=phi, structure=structure, communalities=h2,
        uniquenesses=1 - h2, complexity=complexity, eigenvalues=sol.values,
        e_values=np.linalg.eigvalsh(inp.corr)[::-1], variance=variance, fit=fit, n_obs=inp.n_obs,
        missing=inp.missing, corr=pd.DataFrame(inp.corr, index=used, columns=used), warnings=warnings,
        psi=pd.Series(sol.psi, index=used).reindex(inp.items), correlation=inp.correlation,
    )


# --------------------------------------------------------------------------------------------
# KMO and Bartlett
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class KMOResult(Result):
    """Kaiser-Meyer-Olkin measure of sampling adequacy (psych ``KMO``).

    With Q the anti-image correlations (R^-1 scaled to unit diagonal), off-diagonal sums:
    ``overall`` = sum r^2 / (sum r^2 + sum q^2); ``items`` (MSA_i) the same per column.
    Computed on the pairwise correlation matrix (as psych does with raw data).
    """

    overall: float
    items: pd.Series
    n_obs: float
    missing: str
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None

    def to_dict(self) -> dict:
        return {
            "overall": _clean(self.overall),
            "items": {k: _clean(v) for k, v in self.items.items()},
            "n_obs": _clean(self.n_obs),
            "missing": self.missing,
            "warnings": list(self.warnings),
            "reason": self.reason,
        }

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"item": self.items.index, "msa": self.items.to_numpy()})

    def summary(self) -> str:
        if self.reason:
            return f"KMO: not computed ({self.reason})"
        per_item = ", ".join(f"{k} {_fmt(v)}" for k, v in self.items.items())
        return f"Kaiser-Meyer-Olkin MSA = {_fmt(self.overall)} (items: {per_item})"


def _invertible(corr: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(corr))) and np.linalg.cond(corr) < 1 / _EPS


def kmo(items=None, *, missing: str = "pairwise", corr=None, cor: str = "pearson") -> KMOResult:
    """KMO/MSA as ``psych::KMO(cor(x, use = "pairwise"))`` (``cor="poly"``: of the polychoric
    matrix); NaN with a reason when R is singular."""
    inp = correlation_input(items, missing=missing, corr=corr, cor=cor)
    nan_items = pd.Series(np.nan, index=inp.items)
    if inp.reason:
        return KMOResult(math.nan, nan_items, inp.n_obs, inp.missing, list(inp.warnings), inp.reason)
    r = inp.corr
    if not _invertible(r):
        return KMOResult(
            math.nan, nan_items, inp.n_obs, inp.missing, list(inp.warnings),
            "the correlation matrix is singular (collinear items): no anti-image",
        )
    q = np.linalg.inv(r)
    if np.any(np.diag(q) <= 0):
        return KMOResult(
            math.nan, nan_items, inp.n_obs, inp.missing, list(inp.warnings),
            "the correlation matrix is not positive definite: no anti-image correlations",
        )
    d = np.sqrt(np.diag(q))
    q = q / np.outer(d, d)
    np.fill_diagonal(q, 0.0)
    r0 = r.copy()
    np.fill_diagonal(r0, 0.0)
    sr, sq = np.sum(r0**2, axis=0), np.sum(q**2, axis=0)
    msa = float(sr.sum() / (sr.sum() + sq.sum()))
    per = pd.Series(sr / (sr + sq), index=inp.used).reindex(inp.items)
    return KMOResult(msa, per, inp.n_obs, inp.missing, list(inp.warnings))


@dataclass(frozen=True, repr=False)
class BartlettResult(Result):
    """Bartlett's test of sphericity (psych ``cortest.bartlett``):
    chisq = -log det(R) (n - 1 - (2p + 5)/6), df = p(p - 1)/2."""

    chisq: float
    df: float
    p: float
    n_obs: float
    missing: str
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None

    def to_dict(self) -> dict:
        return {
            "chisq": _clean(self.chisq), "df": _clean(self.df), "p": _clean(self.p), "n_obs": _clean(self.n_obs),
            "missing": self.missing, "warnings": list(self.warnings), "reason": self.reason,
        }

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"chisq": self.chisq, "df": self.df, "p": self.p, "n_obs": self.n_obs}])

    def summary(self) -> str:
        if self.reason:
            return f"Bartlett's test: not computed ({self.reason})"
        return f"Bartlett's test of sphericity: chi-square = {_fmt(self.chisq)}, df = {_fmt(self.df, 0)}, p = {self.p:.3g}"


def bartlett(items=None, *, missing: str = "pairwise", corr=None, n_obs: float | None = None, cor: str = "pearson") -> BartlettResult:
    """Bartlett's test as ``psych::cortest.bartlett(cor(x, use = "pairwise"), n = nrow(x))``
    (``cor="poly"``: of the polychoric matrix)."""
    inp = correlation_input(items, missing=missing, corr=corr, n_obs=n_obs, cor=cor)
    warnings = list(inp.warnings)
    if inp.reason or math.isnan(inp.n_obs):
        reason = inp.reason or "the number of observations is needed (n_obs)"
        return BartlettResult(math.nan, math.nan, math.nan, inp.n_obs, inp.missing, warnings, reason)
    p = len(inp.used)
    logdet = _logdet(inp.corr)
    df = p * (p - 1) / 2
    if math.isinf(logdet):
        return BartlettResult(math.nan, df, math.nan, inp.n_obs, inp.missing, warnings,
                              "the correlation matrix is singular or not positive definite (det <= 0)")
    chisq = -logdet * (inp.n_obs - 1 - (2 * p + 5) / 6)
    return BartlettResult(chisq, df, float(stats.chi2.sf(chisq, df)), inp.n_obs, inp.missing, warnings)


# --------------------------------------------------------------------------------------------
# Parallel analysis
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class ParallelResult(Result):
    """Parallel analysis (Horn 1965) as ``psych::fa.parallel(x, fa = "fa")``.

    ``observed``: eigenvalues of R with the one-factor minres communalities on the diagonal
    (psych ``fa.values``; SMC = FALSE is psych's default); ``components``: eigenvalues of R;
    ``simulated``: their mean over ``n_iter`` data sets of n x p standard normal data
    (psych ``fa.sim``); ``simulated_quantile``: their ``quantile`` (95th percentile).
    ``suggested_factors``: the number of leading observed eigenvalues that exceed the
    simulated quantile — psych's ``nfact``, which compares with the 95th percentile
    (``quant = .95``), not the mean it plots.
    """

    observed: np.ndarray
    components: np.ndarray
    simulated: np.ndarray
    simulated_quantile: np.ndarray
    suggested_factors: int | None
    n_iter: int
    quantile: float
    seed: int | None
    n_obs: float
    missing: str
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None
    correlation: str = "pearson"

    def to_dict(self) -> dict:
        return {
            "suggested_factors": self.suggested_factors,
            "correlation": self.correlation,
            "observed": [_clean(v) for v in self.observed],
            "simulated": [_clean(v) for v in self.simulated],
            "simulated_quantile": [_clean(v) for v in self.simulated_quantile],
            "components": [_clean(v) for v in self.components],
            "criterion": f"observed > {self.quantile:g} quantile of simulated (psych fa.parallel)",
            "n_iter": self.n_iter,
            "seed": self.seed,
            "n_obs": _clean(self.n_obs),
            "missing": self.missing,
            "warnings": list(self.warnings),
            "reason": self.reason,
        }

    def to_frame(self) -> pd.DataFrame:
        k = len(self.observed)
        return pd.DataFrame(
            {"factor": np.arange(1, k + 1), "observed": self.observed, "simulated_mean": self.simulated,
             "simulated_quantile": self.simulated_quantile}
        )

    def summary(self) -> str:
        if self.reason:
            return f"Parallel analysis: not computed ({self.reason})"
        head = (
            f"Parallel analysis suggests {self.suggested_factors} factor(s) "
            f"(observed eigenvalues above the {self.quantile:.0%} quantile of {self.n_iter} simulated data sets, seed {self.seed})"
        )
        return head + "\n" + self.to_frame().round(3).to_string(index=False)


def _fa_values(corr: np.ndarray, method: str) -> np.ndarray:
    loadings, _, _ = extract(corr, 1, method)
    s = corr.copy()
    np.fill_diagonal(s, np.sum(loadings**2, axis=1))
    return np.linalg.eigvalsh(s)[::-1]


def parallel_analysis(
    items,
    *,
    n_iter: int = 20,
    quantile: float = 0.95,
    seed: int | None = 0,
    method: str = "minres",
    missing: str = "pairwise",
    cor: str = "pearson",
) -> ParallelResult:
    """Compare the observed factor eigenvalues with those of random normal data of the same
    size (n rows x p items, seeded NumPy generator; R's random numbers differ, so only the
    observed eigenvalues agree with R exactly). ``cor="poly"``: observed eigenvalues of the
    polychoric matrix, as ``fa.parallel(x, cor = "poly")``; the simulated ones stay Pearson
    eigenvalues of normal data, as psych's ``fa.sim`` (its resampled ``fa.simr`` is not made)."""
    return parallel_of(correlation_input(items, missing=missing, cor=cor), n_iter=n_iter, quantile=quantile, seed=seed, method=method)


def parallel_of(inp: CorrelationInput, *, n_iter: int = 20, quantile: float = 0.95, seed: int | None = 0, method: str = "minres") -> ParallelResult:
    """:func:`parallel_analysis` of correlations already prepared by :func:`correlation_input`."""
    warnings = list(inp.warnings)
    p = len(inp.used)
    empty = np.full(p, np.nan)
    if inp.reason or p < 3:
        reason = inp.reason or f"too few usable items ({p}; at least 3 are needed)"
        return ParallelResult(empty, empty, empty, empty, None, n_iter, quantile, seed, inp.n_obs, inp.missing, warnings, reason, inp.correlation)
    observed = _fa_values(inp.corr, method)
    components = np.linalg.eigvalsh(inp.corr)[::-1]
    rng = np.random.default_rng(seed)
    n = int(inp.n_obs)
    sims = np.empty((n_iter, p))
    for i in range(n_iter):
        sims[i] = _fa_values(np.corrcoef(rng.standard_normal((n, p)), rowvar=False), method)
    mean = sims.mean(axis=0)
    q = np.quantile(sims, quantile, axis=0)
    above = observed > q
    suggested = int(np.argmin(above)) if not above.all() else p
    return ParallelResult(observed, components, mean, q, suggested, n_iter, quantile, seed, inp.n_obs, inp.missing, warnings,
                          correlation=inp.correlation)
