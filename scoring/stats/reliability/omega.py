"""McDonald's omega from a Schmid-Leiman transformation, as ``psych::omega`` computes it.

Reference: Revelle, W. psych 2.2.9, ``omega`` / ``omegah`` / ``schmid``; Schmid, J. & Leiman,
J. M. (1957). The development of hierarchical factor solutions. Psychometrika 22, 53-61;
Zinbarg, R. E., Revelle, W., Yovel, I. & Li, W. (2005). Cronbach's alpha, Revelle's beta and
McDonald's omega_h. Psychometrika 70, 123-133. Checked against R in
``tests/reference/fixtures/omega_*.json`` and ``ordinal_*.json``.

Steps (psych ``schmid``), on the correlation matrix R of p items (Pearson, pairwise by default;
or polychoric with ``ordinal=True``; or any matrix via ``corr``):

1. k-factor minres (or ML) EFA with varimax, then oblimin (GPArotation, from the varimax
   solution): pattern F (p x k) and factor correlations Phi.
2. Second order: with k >= 3, g = the one-factor loadings of Phi (``fa(Phi, fm)``); with k = 2,
   g = (sqrt|phi12|, sign(phi12) sqrt|phi12|) (psych's ``option = "equal"``; a warning says the
   general factor is not identified); with k = 1, g = 1.
3. Schmid-Leiman loadings: general g_i = sum_j F_ij g_j; group j: sign(F_ij) F_ij sqrt(1 - g_j^2)
   (clipped at 0); h2_i = communality of the varimax solution; u2_i = 1 - h2_i;
   p2 = g_i^2 / h2_i.
4. Items whose general loading is negative are reversed (psych ``flip = TRUE``: R is pre- and
   post-multiplied by the sign key, reported as ``key``). With Vt = sum of all elements of R:
   - omega_h = (sum_i g_i)^2 / Vt;
   - omega_total = (Vt - sum_i u2_i) / Vt;
   - omega_limit (psych ``omega.lim``) = (sum g)^2 / (Vt - sum u2);
   - ECV = sum g^2 / (sum g^2 + sum of squared group loadings);
   - alpha = (Vt - tr R)/Vt * p/(p - 1) — standardized alpha of R (psych's omega reports this one);
   - G6 = (Vt + sum SMC - tr R) / Vt.

Degenerate input gives NaN with a ``reason`` (fewer than 3 rows, fewer than 2 usable items,
k >= number of usable items); items without variance or answers are left out with a warning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.errors import Coded, check_choice
from scoring.result import Result
from scoring.stats.efa.factors import (
    CorrelationInput,
    FactorFit,
    _clean,
    _fmt,
    correlation_input,
    fa_matrix,
    factor_stats,
    smc,
)
from scoring.stats.efa.rotation import oblimin, promax
from scoring.stats.pairwise import PairwiseMoments

ROTATIONS = ("oblimin", "promax")


@dataclass(frozen=True, repr=False)
class OmegaResult(Result):
    """Omega reliability coefficients with the Schmid-Leiman solution behind them.

    ``loadings``: items x [g, F1*, ..., Fk*, h2, u2, p2] (psych ``schmid$sl``; items left out
    are NaN rows); ``oblique``: the oblimin pattern; ``phi``: its factor correlations;
    ``g_loadings``: loadings of the first-order factors on g; ``omega_group``: per factor
    (g first) the total, general and group omega of the items assigned to it (psych
    ``omega.group``); ``key``: +1/-1, items reversed because their g loading was negative;
    ``fit``: the k-factor model; ``general_fit``: the model with g alone (psych ``gstats``);
    ``correlation``: "pearson", "polychoric" or "matrix"; ``missing``: the rule for Pearson.
    """

    omega_h: float
    omega_total: float
    omega_limit: float
    ecv: float
    alpha: float
    g6: float
    n_factors: int
    items: list[str]
    used: list[str]
    loadings: pd.DataFrame
    oblique: pd.DataFrame | None
    phi: pd.DataFrame | None
    g_loadings: pd.Series | None
    omega_group: pd.DataFrame | None
    key: pd.Series
    fit: FactorFit
    general_fit: FactorFit
    n_obs: float
    correlation: str
    missing: str
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None

    def to_frame(self) -> pd.DataFrame:
        """The Schmid-Leiman table, one row per item."""
        frame = self.loadings.copy()
        frame.index.name = "item"
        return frame

    def to_dict(self) -> dict:
        def table(df):
            if df is None:
                return None
            return {str(r): {str(c): _clean(df.loc[r, c]) for c in df.columns} for r in df.index}

        return {
            "omega_h": _clean(self.omega_h),
            "omega_total": _clean(self.omega_total),
            "omega_limit": _clean(self.omega_limit),
            "ecv": _clean(self.ecv),
            "alpha": _clean(self.alpha),
            "g6": _clean(self.g6),
            "n_factors": self.n_factors,
            "n_obs": _clean(self.n_obs),
            "correlation": self.correlation,
            "missing": self.missing,
            "items": list(self.items),
            "loadings": table(self.loadings),
            "phi": table(self.phi),
            "g_loadings": {k: _clean(v) for k, v in self.g_loadings.items()} if self.g_loadings is not None else None,
            "omega_group": table(self.omega_group),
            "key": {k: _clean(v) for k, v in self.key.items()},
            "fit": self.fit.to_dict(),
            "general_fit": self.general_fit.to_dict(),
            "warnings": list(self.warnings),
            "reason": self.reason,
        }

    def summary(self, digits: int = 2) -> str:
        """A report like psych's ``print.omega``."""
        lines = [
            f"Omega ({self.n_factors} group factor(s), {self.correlation} correlations"
            + (f", missing = {self.missing}" if self.correlation == "pearson" else "")
            + f", n = {_fmt(self.n_obs, 0)}, {len(self.used)} of {len(self.items)} items)"
        ]
        if self.reason:
            lines.append(f"Not computed: {self.reason}")
        else:
            lines += [
                f"Alpha:                 {_fmt(self.alpha, digits)}",
                f"G.6:                   {_fmt(self.g6, digits)}",
                f"Omega Hierarchical:    {_fmt(self.omega_h, digits)}",
                f"Omega H asymptotic:    {_fmt(self.omega_limit, digits)}",
                f"Omega Total            {_fmt(self.omega_total, digits)}",
                f"Explained common variance of g (ECV): {_fmt(self.ecv, digits)}",
                "",
                "Schmid-Leiman factor loadings",
                self.to_frame().round(digits).to_string(na_rep="NA"),
            ]
            if self.omega_group is not None:
                lines += ["", "Omega for the general and group factors", self.omega_group.round(digits).to_string()]
            f, g = self.fit, self.general_fit
            lines += [
                "",
                f"{self.n_factors}-factor model: chi-square = {_fmt(f.chisq)}, df = {_fmt(f.df, 0)}, "
                f"RMSEA = {_fmt(f.rmsea, 3)}, BIC = {_fmt(f.bic)}",
                f"General factor only: chi-square = {_fmt(g.chisq)}, df = {_fmt(g.df, 0)}, "
                f"RMSEA = {_fmt(g.rmsea, 3)}, BIC = {_fmt(g.bic)}",
            ]
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)


def _columns(n_factors: int) -> list[str]:
    return ["g"] + [f"F{j + 1}*" for j in range(n_factors)] + ["h2", "u2", "p2"]


def _empty(inp: CorrelationInput, n_factors: int, correlation: str, reason: str, warnings: list[str]) -> OmegaResult:
    nan = math.nan
    return OmegaResult(
        nan, nan, nan, nan, nan, nan, n_factors, list(inp.items), list(inp.used),
        pd.DataFrame(np.nan, index=inp.items, columns=_columns(max(n_factors, 0))), None, None, None, None,
        pd.Series(np.nan, index=inp.items), FactorFit.undefined(inp.n_obs), FactorFit.undefined(inp.n_obs),
        inp.n_obs, correlation, inp.missing, warnings, reason,
    )


def _second_order(phi: np.ndarray, fm: str, warnings: list[str]) -> np.ndarray:
    k = phi.shape[0]
    if k == 1:
        warnings.append(Coded("omega_h is not meaningful with one factor (g = the single factor)", "omega_h_one_factor"))
        return np.ones(1)
    if k == 2:
        warnings.append(Coded(
            "three factors are needed to identify the general factor; with two, g loadings are set equal "
            "(sqrt of the factor correlation, psych option = 'equal'): proceed with caution", "omega_two_factors"
        ))
        r = phi[0, 1]
        return np.array([math.sqrt(abs(r)), math.copysign(math.sqrt(abs(r)), r)])
    second = fa_matrix(phi, 1, fm, "none")
    warnings.extend(f"second-order factor: {w}" for w in second.warnings)
    return second.loadings[:, 0]


def omega(
    items=None,
    n_factors: int = 3,
    *,
    method: str = "minres",
    rotation: str = "oblimin",
    missing: str = "pairwise",
    corr=None,
    n_obs: float | None = None,
    ordinal: bool = False,
    moments: PairwiseMoments | None = None,
    fit_interval: bool = True,
) -> OmegaResult:
    """Omega hierarchical and total as ``psych::omega(x, nfactors = n_factors, fm = method, rotate = rotation)``.

    ``items``: responses x items (NaN = missing; Pearson correlations by ``missing``);
    ``ordinal=True``: on polychoric correlations (:func:`scoring.stats.polychoric.polychoric`), as
    ``psych::omega(x, poly = TRUE)``; ``corr``: a correlation matrix to use instead (e.g. a
    polychoric matrix), with ``n_obs`` for the fit statistics; ``moments``: the items' pairwise
    moments already summed for several scales (:mod:`scoring.stats.pairwise`), used for Pearson
    correlations with pairwise deletion instead of reading ``items`` again; ``fit_interval=False``
    leaves the fit statistics' RMSEA interval out (NaN) for callers that show only the omegas.

    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(7)
    >>> g, s = rng.normal(size=(500, 1)), rng.normal(size=(500, 3))
    >>> x = pd.DataFrame(0.6 * g + 0.5 * np.repeat(s, 3, axis=1) + 0.6 * rng.normal(size=(500, 9)))
    >>> round(omega(x, 3).omega_total, 2)  # psych::omega on the same data: 0.9122
    0.91
    """
    check_choice(rotation, ROTATIONS, "rotation", error=ValueError)
    warnings: list[str] = []
    correlation = "pearson"
    if ordinal and corr is None:
        from scoring.stats.polychoric import polychoric

        frame = items if isinstance(items, pd.DataFrame) else pd.DataFrame(np.asarray(items, dtype=float))
        poly = polychoric(frame)
        warnings.extend(poly.warnings)
        names = [str(c) for c in frame.columns]
        corr = poly.rho
        if n_obs is None:
            n_obs = poly.n
        correlation = "polychoric"
        inp = correlation_input(corr=corr, n_obs=n_obs)
        inp = CorrelationInput(names, inp.used, inp.corr, inp.n_obs, None, "pairwise", inp.warnings, inp.reason)
    else:
        if corr is not None:
            correlation = "matrix"
        inp = correlation_input(items, missing=missing, corr=corr, n_obs=n_obs, moments=moments)
    warnings.extend(inp.warnings)
    if inp.reason:
        return _empty(inp, n_factors, correlation, inp.reason, warnings)
    p = len(inp.used)
    if n_factors < 1 or n_factors >= p:
        reason = (
            "the number of factors must be at least 1" if n_factors < 1
            else Coded(f"{n_factors} group factor(s) cannot be extracted from {p} usable item(s); use fewer factors", "too_many_factors",
                       factors=n_factors, items=p)
        )
        return _empty(inp, n_factors, correlation, reason, warnings)
    m = inp.corr

    orth = fa_matrix(m, n_factors, method, "varimax")
    warnings.extend(orth.warnings)
    level = 0.1 if fit_interval else None  # psych's 90% RMSEA interval
    stats_k, fit_warnings = factor_stats(m, orth.loadings, None, inp.n_obs, alpha=level)
    warnings.extend(fit_warnings)
    orth_load = orth.loadings
    if n_factors == 1:
        fload, phi = orth_load, None
    else:
        rotated = oblimin(orth_load) if rotation == "oblimin" else promax(orth_load)
        if not rotated.converged:
            warnings.append(Coded(f"{rotation} rotation did not converge", "rotation_no_convergence", rotation=rotation))
        fload, phi = rotated.loadings, rotated.phi
    gload = _second_order(phi if phi is not None else np.ones((1, 1)), method, warnings)

    g = fload @ gload
    h2 = np.sum(orth_load**2, axis=1)
    diag = np.diag(m)
    u2 = diag - h2
    uniq2 = np.clip(fload**2 - (fload * gload) ** 2, 0.0, None)
    group = np.sign(fload) * np.sqrt(uniq2)
    sl = np.column_stack([g, group, h2, u2, g**2 / h2])

    key = np.sign(g)
    key[key == 0] = 1.0
    if np.any(key < 0):
        m = m * np.outer(key, key)
        sl[:, : n_factors + 1] *= key[:, None]
        flipped = [name for name, k in zip(inp.used, key) if k < 0]
        warnings.append(Coded("items reversed because their general-factor loading is negative: " + ", ".join(flipped), "items_reversed",
                              items=", ".join(flipped)))

    vt = float(m.sum())
    g = sl[:, 0]
    gsq = float(g.sum()) ** 2
    uniq = float(sl[:, n_factors + 2].sum())
    omega_total = (vt - uniq) / vt
    omega_limit = gsq / (vt - uniq)
    alpha = (vt - float(np.trace(m))) / vt * p / (p - 1)
    g6 = (vt + float(smc(m).sum()) - float(np.trace(m))) / vt
    ev = np.sum(sl[:, : n_factors + 1] ** 2, axis=0)
    ecv = float(ev[0] / ev.sum())
    general_fit, gen_warnings = factor_stats(m, sl[:, :1], None, inp.n_obs, alpha=level)
    warnings.extend(w for w in gen_warnings if w not in warnings and "degrees of freedom" not in w)
    omega_group = _omega_group(m, sl, n_factors, omega_total)

    cols = _columns(n_factors)
    factor_names = [f"F{j + 1}" for j in range(n_factors)]
    return OmegaResult(
        omega_h=gsq / vt, omega_total=omega_total, omega_limit=omega_limit, ecv=ecv, alpha=alpha, g6=g6,
        n_factors=n_factors, items=list(inp.items), used=list(inp.used),
        loadings=pd.DataFrame(sl, index=inp.used, columns=cols).reindex(inp.items),
        oblique=pd.DataFrame(fload, index=inp.used, columns=factor_names).reindex(inp.items),
        phi=pd.DataFrame(phi, index=factor_names, columns=factor_names) if phi is not None else None,
        g_loadings=pd.Series(gload, index=factor_names),
        omega_group=omega_group,
        key=pd.Series(key, index=inp.used).reindex(inp.items),
        fit=stats_k, general_fit=general_fit, n_obs=inp.n_obs, correlation=correlation,
        missing=inp.missing, warnings=warnings,
    )


def _omega_group(m: np.ndarray, sl: np.ndarray, k: int, omega_total: float) -> pd.DataFrame:
    """psych's ``omega.group``: each item is assigned to its largest group loading; for the items
    of group j with correlation sum V_j: total = ((sum group)^2 + (sum g)^2)/V_j, general =
    (sum g)^2/V_j, group = (sum group)^2/V_j; the g row covers all items."""
    sub = np.argmax(np.abs(sl[:, 1 : k + 1]), axis=1)
    total = np.full(k + 1, np.nan)
    general = np.full(k + 1, np.nan)
    grp = np.full(k + 1, np.nan)
    grs = 0.0
    for j in range(k):
        idx = np.flatnonzero(sub == j)
        if idx.size:
            v = float(m[np.ix_(idx, idx)].sum())
            gr = float(sl[idx, j + 1].sum())
            gg = float(sl[idx, 0].sum())
            grs += gr**2
            grp[j + 1] = gr**2 / v
            general[j + 1] = gg**2 / v
            total[j + 1] = (gr**2 + gg**2) / v
    vt = float(m.sum())
    general[0] = float(sl[:, 0].sum()) ** 2 / vt
    grp[0] = grs / vt
    total[0] = omega_total
    return pd.DataFrame({"total": total, "general": general, "group": grp}, index=["g"] + [f"F{j + 1}*" for j in range(k)])
