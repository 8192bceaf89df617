"""Polychoric correlations: two-step maximum likelihood, as psych::polychoric computes them.

The latent-variable model: each ordinal item x_j with categories 1..C is a cut version of a
standard normal y_j, x_j = c  <=>  tau_{j,c-1} <= y_j < tau_{j,c}, and each pair (y_i, y_j) is
bivariate normal with correlation rho_ij. Estimation is in two steps (Olsson 1979):

1. Thresholds from the marginals: tau_{j,c} = Phi^-1(share of answers <= c) over all answers to
   item j (psych's default ``global = TRUE``).
2. For each pair, rho maximises the multinomial log-likelihood of the pair's contingency table
   (respondents who answered both items) with the thresholds held fixed:
   log L(rho) = sum_{a,b} n_ab log P_ab(rho), where P_ab is the bivariate normal probability of
   the rectangle [tau_{i,a-1}, tau_{i,a}) x [tau_{j,b-1}, tau_{j,b}).

Rectangle probabilities come from a vectorised bivariate normal CDF (Genz 2004, Gauss-Legendre
quadrature; absolute error below 1e-15). All pair tables come from one matrix product of the
one-hot coded answers. When the matrix is not positive definite it is smoothed as psych's
``cor.smooth`` does.

Differences from psych, all deliberate: rho is the exact maximiser (psych's ``optimize`` stops
at a tolerance of about 1e-4, and its ``sadmvn`` rectangle probabilities carry errors of about
1e-6), so the two agree to about 1e-4.

References
----------
Olsson, U. (1979). Maximum likelihood estimation of the polychoric correlation coefficient.
Psychometrika, 44, 443-460.
Genz, A. (2004). Numerical computation of rectangular bivariate and trivariate normal and t
probabilities. Statistics and Computing, 14, 251-260.
Revelle, W. psych: polychoric, cor.smooth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar
from scipy.special import ndtr, ndtri

from scoring.errors import Coded
from scoring.result import Result

MAX_CATEGORIES = 8  # psych's max.cat: more categories than this are not treated as ordinal
_FAR = 10.0  # finite thresholds are clipped here (Phi(-10) = 7.6e-24)

# Gauss-Legendre nodes and weights on [-1, 0) (Genz's 6-, 12- and 20-point rules, half each).
_GL = {
    6: (
        np.array([-0.9324695142031522, -0.6612093864662647, -0.2386191860831970]),
        np.array([0.1713244923791705, 0.3607615730481384, 0.4679139345726904]),
    ),
    12: (
        np.array([-0.9815606342467191, -0.9041172563704750, -0.7699026741943050,
                  -0.5873179542866171, -0.3678314989981802, -0.1252334085114692]),
        np.array([0.04717533638651177, 0.1069393259953183, 0.1600783285433464,
                  0.2031674267230659, 0.2334925365383547, 0.2491470458134029]),
    ),
    20: (
        np.array([-0.9931285991850949, -0.9639719272779138, -0.9122344282513259,
                  -0.8391169718222188, -0.7463319064601508, -0.6360536807265150,
                  -0.5108670019508271, -0.3737060887154196, -0.2277858511416451,
                  -0.07652652113349733]),
        np.array([0.01761400713915212, 0.04060142980038694, 0.06267204833410906,
                  0.08327674157670475, 0.1019301198172404, 0.1181945319615184,
                  0.1316886384491766, 0.1420961093183821, 0.1491729864726037,
                  0.1527533871307259]),
    ),
}


def bivariate_normal_cdf(h: np.ndarray, k: np.ndarray, r: float) -> np.ndarray:
    """P(Y1 < h, Y2 < k) for a standard bivariate normal with correlation ``r``.

    Vectorised over ``h`` and ``k`` (broadcast); ``r`` is a scalar. Genz (2004) algorithm
    (the BVND/BVU routine of mvtnorm and TVPACK): Drezner-Wesolowsky integration over the
    correlation for |r| < 0.925, otherwise a series around the degenerate case. Infinite limits
    are allowed.
    """
    h = np.asarray(h, dtype=float)
    k = np.asarray(k, dtype=float)
    h, k = np.broadcast_arrays(h, k)
    r = float(r)
    if r >= 1.0:
        return ndtr(np.minimum(h, k))
    if r <= -1.0:
        return np.maximum(ndtr(h) - ndtr(-k), 0.0)
    # The routine integrates the upper tail: P(Y1 > -h, Y2 > -k) = P(Y1 < h, Y2 < k).
    dh = np.clip(-h, -40.0, 40.0)
    dk = np.clip(-k, -40.0, 40.0)
    ar = abs(r)
    x, w = _GL[6 if ar < 0.3 else 12 if ar < 0.75 else 20]
    hk = dh * dk
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        if ar < 0.925:
            hs = (dh * dh + dk * dk) / 2.0
            asr = math.asin(r)
            sn = np.sin(asr * np.concatenate([x + 1.0, 1.0 - x]) / 2.0)
            ww = np.concatenate([w, w])
            terms = np.exp((sn * hk[..., None] - hs[..., None]) / (1.0 - sn * sn))
            bvn = (terms @ ww) * asr / (4.0 * math.pi) + ndtr(-dh) * ndtr(-dk)
        else:
            if r < 0:
                dk = -dk
                hk = -hk
            a2 = (1.0 - r) * (1.0 + r)
            a = math.sqrt(a2)
            bs = (dh - dk) ** 2
            c = (4.0 - hk) / 8.0
            d = (12.0 - hk) / 16.0
            bvn = a * np.exp(-(bs / a2 + hk) / 2.0) * (1.0 - c * (bs - a2) * (1.0 - d * bs / 5.0) / 3.0 + c * d * a2 * a2 / 5.0)
            b = np.sqrt(bs)
            tail = np.exp(-hk / 2.0) * math.sqrt(2.0 * math.pi) * ndtr(-b / a) * b * (1.0 - c * bs * (1.0 - d * bs / 5.0) / 3.0)
            bvn = bvn - np.where(hk > -160.0, tail, 0.0)
            half = a / 2.0
            xs = (half * (x + 1.0)) ** 2
            rs = np.sqrt(1.0 - xs)
            bs_, hk_, c_, d_ = bs[..., None], hk[..., None], c[..., None], d[..., None]
            t1 = np.exp(-bs_ / (2.0 * xs) - hk_ / (1.0 + rs)) / rs - np.exp(-(bs_ / xs + hk_) / 2.0) * (1.0 + c_ * xs * (1.0 + d_ * xs))
            xs2 = a2 * (1.0 - x) ** 2 / 4.0
            rs2 = np.sqrt(1.0 - xs2)
            t2 = np.exp(-(bs_ / xs2 + hk_) / 2.0) * (np.exp(-hk_ * (1.0 - rs2) / (2.0 * (1.0 + rs2))) / rs2 - (1.0 + c_ * xs2 * (1.0 + d_ * xs2)))
            bvn = bvn + half * (np.nan_to_num(t1) @ w + np.nan_to_num(t2) @ w)
            bvn = -bvn / (2.0 * math.pi)
            if r > 0:
                bvn = bvn + ndtr(-np.maximum(dh, dk))
            else:
                bvn = -bvn + np.where(dk > dh, np.where(dh < 0, ndtr(dk) - ndtr(dh), ndtr(-dh) - ndtr(-dk)), 0.0)
    return np.clip(bvn, 0.0, 1.0)


def rectangle_probabilities(tau_x: np.ndarray, tau_y: np.ndarray, r: float) -> np.ndarray:
    """Cell probabilities of the (len(tau_x)+1) x (len(tau_y)+1) table cut at the thresholds.

    P_ab = F(tx_a, ty_b) - F(tx_{a-1}, ty_b) - F(tx_a, ty_{b-1}) + F(tx_{a-1}, ty_{b-1}) with F
    the bivariate normal CDF and tx_0 = ty_0 = -inf, tx_C = ty_C = +inf.
    """
    tx = np.asarray(tau_x, dtype=float)
    ty = np.asarray(tau_y, dtype=float)
    grid = np.zeros((len(tx) + 2, len(ty) + 2))
    inner = bivariate_normal_cdf(np.clip(tx, -_FAR, _FAR)[:, None], np.clip(ty, -_FAR, _FAR)[None, :], r)
    # Thresholds of unused end categories are infinite: exact margins there.
    inner = np.where(tx[:, None] == np.inf, ndtr(ty)[None, :], inner)
    inner = np.where(ty[None, :] == np.inf, ndtr(tx)[:, None], inner)
    inner = np.where((tx[:, None] == -np.inf) | (ty[None, :] == -np.inf), 0.0, inner)
    grid[1:-1, 1:-1] = inner
    grid[-1, 1:-1] = ndtr(ty)
    grid[1:-1, -1] = ndtr(tx)
    grid[-1, -1] = 1.0
    return np.diff(np.diff(grid, axis=0), axis=1)


def _negative_loglik(r: float, tau_x: np.ndarray, tau_y: np.ndarray, table: np.ndarray) -> float:
    # Cells of zero probability (tied thresholds of an unused category) are left out, as psych does.
    p = rectangle_probabilities(tau_x, tau_y, r)
    ok = p > 0
    return -float(np.sum(table[ok] * np.log(p[ok])))


def polychoric_pair(table: np.ndarray, tau_x: np.ndarray, tau_y: np.ndarray) -> float:
    """Two-step ML polychoric correlation of one contingency table with fixed thresholds.

    Maximises sum n_ab log P_ab(rho) over rho in (-1, 1) (bounded Brent search, tolerance
    1e-9). NaN when the table is empty.
    """
    table = np.asarray(table, dtype=float)
    total = table.sum()
    if total <= 0:
        return float("nan")
    fit = minimize_scalar(
        _negative_loglik, bounds=(-1.0, 1.0), method="bounded",
        args=(tau_x, tau_y, table / total), options={"xatol": 1e-9},
    )
    return float(fit.x)


def _local_pair(table: np.ndarray, correct: float) -> tuple[float, bool]:
    """psych's ``global = FALSE`` branch: thresholds from this pair's own table.

    Empty rows and columns are dropped; empty cells get ``correct`` / n (continuity correction).
    Returns (rho, whether cells were corrected).
    """
    total = table.sum()
    if total <= 0:
        return float("nan"), False
    tab = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0] / total
    fixed = False
    if correct > 0 and np.any(tab == 0):
        tab = np.where(tab == 0, correct / total, tab)
        fixed = True
    if min(tab.shape) < 2:
        return float("nan"), fixed
    rc = ndtri(np.cumsum(tab.sum(axis=1))[:-1])
    cc = ndtri(np.cumsum(tab.sum(axis=0))[:-1])
    fit = minimize_scalar(_negative_loglik, bounds=(-1.0, 1.0), method="bounded", args=(rc, cc, tab), options={"xatol": 1e-9})
    return float(fit.x), fixed


def smooth_correlation(r: np.ndarray, eig_tol: float = 1e-12) -> tuple[np.ndarray, bool]:
    """Make a correlation matrix positive definite as psych::cor.smooth does.

    When the smallest eigenvalue is below machine epsilon: eigenvalues below ``eig_tol`` are set
    to 100 * eig_tol, rescaled to sum to k, the matrix is rebuilt and rescaled to unit diagonal.
    Returns (matrix, whether it was smoothed).
    """
    values, vectors = np.linalg.eigh(r)
    if values.min() >= np.finfo(float).eps:
        return r, False
    values = np.where(values < eig_tol, 100 * eig_tol, values)
    values = values * len(values) / values.sum()
    rebuilt = (vectors * values) @ vectors.T
    d = np.sqrt(np.diag(rebuilt))
    return rebuilt / np.outer(d, d), True


@dataclass(frozen=True, repr=False)
class PolychoricResult(Result):
    """Polychoric correlations with their thresholds.

    ``rho``: items x items; ``tau``: items x thresholds (column c is the threshold between
    category c and c+1 of the common code range, -inf/+inf for unused end categories);
    ``n_pairs``: respondents per pair; ``dropped``: items left out (no variance or no answers);
    ``smoothed``: the matrix was not positive definite and was smoothed; ``global_thresholds``:
    thresholds from each item's marginal (False when items use different numbers of categories,
    as psych falls back to per-pair thresholds then).
    """

    rho: pd.DataFrame
    tau: pd.DataFrame
    n: int
    n_pairs: pd.DataFrame
    dropped: list[str] = field(default_factory=list)
    smoothed: bool = False
    global_thresholds: bool = True
    corrected_cells: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"Polychoric correlations (two-step ML), n = {self.n}"]
        lines.append(self.rho.round(2).to_string())
        lines.append("\nThresholds")
        lines.append(self.tau.round(2).to_string())
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """Tidy pairs: item_1, item_2, rho, n (lower triangle)."""
        items = list(self.rho.index)
        i, j = np.tril_indices(len(items), -1)
        return pd.DataFrame({
            "item_1": [items[a] for a in j], "item_2": [items[b] for b in i],
            "rho": self.rho.to_numpy()[i, j], "n": self.n_pairs.to_numpy()[i, j],
        })

    def to_dict(self) -> dict:
        def clean(a):
            return [[None if not np.isfinite(v) else float(v) for v in row] for row in np.asarray(a, dtype=float)]

        return {
            "items": list(self.rho.index), "n": self.n, "rho": clean(self.rho),
            "tau": clean(self.tau), "dropped": self.dropped, "smoothed": self.smoothed,
            "global_thresholds": self.global_thresholds, "warnings": list(self.warnings),
        }


def polychoric(items, *, correct: float = 0.5, smooth: bool = True, max_categories: int = MAX_CATEGORIES) -> PolychoricResult:
    """Polychoric correlation matrix of ordinal items (NaN = missing), as psych::polychoric.

    Parameters
    ----------
    items : DataFrame or 2-D array, one column per item with whole-number codes.
    correct : continuity correction for empty cells, used only in the per-pair fallback
        (psych applies it only when ``global`` is off).
    smooth : smooth a non-positive-definite result (psych::cor.smooth).
    max_categories : more distinct codes than this (range max - min + 1) raises ValueError.

    Returns
    -------
    PolychoricResult

    Notes
    -----
    Codes are shifted so that the lowest code of any item is category 1; every item is
    tabulated over the same range 1..C. Thresholds tau_jc = Phi^-1(F_j(c)) use every answer to
    item j; each rho uses the respondents who answered both items. Items without variance are
    dropped (with a warning), as in psych. If the items' highest observed categories differ,
    psych switches to per-pair thresholds with a 0.5 continuity correction; so do we.
    """
    frame = items if isinstance(items, pd.DataFrame) else pd.DataFrame(np.asarray(items, dtype=float))
    warnings: list[str] = []
    x, names, dropped = _items_with_variance(frame.to_numpy(dtype=float), [str(c) for c in frame.columns], warnings)
    k = len(names)
    n = x.shape[0]
    if k == 0:
        empty = pd.DataFrame(np.zeros((0, 0)))
        return PolychoricResult(empty, empty, n, empty, dropped, warnings=warnings)
    low = np.nanmin(x)
    codes = np.where(np.isnan(x), -1, np.round(x - low)).astype(np.int64)  # 0-based categories
    n_cat = int(codes.max()) + 1
    if n_cat > max_categories:
        raise ValueError(f"{n_cat} categories; polychoric correlations are for at most {max_categories} (as psych)")
    tables, tau, n_pairs = _tables(codes, n_cat)

    top = (codes.max(axis=0))
    global_thresholds = bool(top.min() == top.max())
    if not global_thresholds:
        warnings.append(Coded("the items do not use the same number of response categories; thresholds were estimated per pair "
                              "(psych: global set to FALSE)", "polychoric_per_pair"))
    rho, corrected = _pair_correlations(tables, tau, global_thresholds, correct)
    if corrected and correct > 0:
        warnings.append(Coded(f"{corrected} table(s) had empty cells adjusted by the continuity correction ({correct})", "polychoric_corrected",
                              tables=corrected, correct=f"{correct:g}"))
    boundary = [f"{names[j]} and {names[i]}" for i, j in zip(*np.tril_indices(k, -1)) if abs(rho[i, j]) > 1 - 1e-6]
    if boundary:
        warnings.append(Coded("polychoric correlation of +-1 (items answered identically, or too few respondents): " + "; ".join(boundary),
                              "polychoric_pm1", pairs="; ".join(boundary)))
    rho, smoothed = _smooth_if_asked(rho, names, smooth, warnings)
    return PolychoricResult(
        rho=pd.DataFrame(rho, index=names, columns=names),
        tau=pd.DataFrame(tau, index=names, columns=[str(c + 1) for c in range(n_cat - 1)]),
        n=n,
        n_pairs=pd.DataFrame(n_pairs.astype(int), index=names, columns=names),
        dropped=dropped,
        smoothed=smoothed,
        global_thresholds=global_thresholds,
        corrected_cells=corrected,
        warnings=warnings,
    )


def _items_with_variance(x: np.ndarray, names: list[str], warnings: list[str]) -> tuple[np.ndarray, list[str], list[str]]:
    """The columns of ``x`` with variance, their names, and the names dropped (with a warning
    each); ValueError unless every answer is a whole number."""
    observed = ~np.isnan(x)
    if np.any(observed & (np.abs(x - np.round(x)) > 1e-9)):
        raise ValueError("polychoric correlations need whole-number category codes")
    answered = observed.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):  # items with fewer than 2 answers: sd NaN
        centred = np.where(observed, x - np.where(observed, x, 0.0).sum(axis=0) / answered, 0.0)
        sd = np.sqrt((centred**2).sum(axis=0) / (answered - 1))
    bad = ~(sd > 0)
    dropped = [names[j] for j in np.flatnonzero(bad)]
    for name in dropped:
        warnings.append(Coded(f"item {name} has no variance (or no answers) and was left out of the polychoric matrix", "polychoric_item_dropped",
                              item=name))
    keep = np.flatnonzero(~bad)
    return x[:, keep], [names[j] for j in keep], dropped


def _tables(codes: np.ndarray, n_cat: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairwise contingency tables (k, n_cat, k, n_cat) from one product of the one-hot
    coded answers (``codes`` 0-based, -1 missing), each item's thresholds from its own answers
    (k, n_cat - 1), and the pairwise counts (k, k)."""
    n, k = codes.shape
    one_hot = np.zeros((n, k * n_cat), dtype=np.float32 if n < 2**24 else np.float64)
    rows, cols = np.nonzero(codes >= 0)
    one_hot[rows, cols * n_cat + codes[rows, cols]] = 1.0
    tables = (one_hot.T @ one_hot).astype(np.float64).reshape(k, n_cat, k, n_cat)
    marginal = np.stack([tables[j, :, j, :].diagonal() for j in range(k)])  # k x n_cat
    n_item = marginal.sum(axis=1)
    with np.errstate(divide="ignore"):
        tau = ndtri(np.cumsum(marginal, axis=1)[:, :-1] / n_item[:, None])
    return tables, tau, tables.sum(axis=(1, 3))


def _pair_correlations(tables: np.ndarray, tau: np.ndarray, global_thresholds: bool, correct: float) -> tuple[np.ndarray, int]:
    """The correlation matrix, pair by pair (global thresholds, or per-pair ones with the
    continuity correction), and the number of tables the correction changed."""
    k = tables.shape[0]
    rho = np.eye(k)
    corrected = 0
    for i in range(1, k):
        for j in range(i):
            table = tables[i, :, j, :]
            if global_thresholds:
                rho[i, j] = polychoric_pair(table, tau[i], tau[j])
            else:
                rho[i, j], fixed = _local_pair(table, correct)
                corrected += fixed
            rho[j, i] = rho[i, j]
    return rho, corrected


def _smooth_if_asked(rho: np.ndarray, names: list[str], smooth: bool, warnings: list[str]) -> tuple[np.ndarray, bool]:
    """psych::cor.smooth of a non-positive-definite ``rho`` when ``smooth``; never with missing
    pairs (said in ``warnings``). Returns the matrix and whether it was smoothed."""
    if np.isnan(rho).any():
        pairs = [f"{names[j]}-{names[i]}" for i, j in zip(*np.nonzero(np.tril(np.isnan(rho))))]
        warnings.append(Coded("no correlation for pair(s) without common respondents: " + ", ".join(pairs) + "; smoothing turned off",
                              "polychoric_no_pair", pairs=", ".join(pairs)))
        return rho, False
    if not smooth:
        return rho, False
    rho, smoothed = smooth_correlation(rho)
    if smoothed:
        warnings.append(Coded("the polychoric matrix was not positive definite and was smoothed (psych::cor.smooth)", "polychoric_smoothed"))
    return rho, smoothed
