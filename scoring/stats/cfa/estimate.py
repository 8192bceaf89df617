"""Confirmatory factor analysis that agrees with R's lavaan (0.6) and semTools (0.5).

>>> import pandas as pd
>>> from scoring.stats.cfa.estimate import cfa
>>> data = pd.read_csv("tests/reference/data/bifactor.csv")
>>> res = cfa(data, "g1 =~ i1 + i2 + i3 + i4; g2 =~ i5 + i6 + i7 + i8; g3 =~ i9 + i10 + i11 + i12")
>>> round(res.fit["chisq"], 3), res.fit["df"], round(res.fit["rmsea"], 4)
(69.448, 51, 0.0246)

What is estimated (all as ``lavaan::cfa`` with its defaults unless stated):

- **ML** (default): maximum likelihood on the divisor-N covariance matrix; chi-square = N F_ML.
  Identification by marker variable (first loading 1) or ``std_lv=True`` (factor variances 1).
  See :mod:`scoring.stats.cfa.ml`.
- **MLR** (``estimator="MLR"``): the ML estimates with Huber-White (sandwich) standard errors
  and the Yuan-Bentler (Mplus variant) scaled chi-square; scaled and robust CFI/TLI/RMSEA as
  lavaan's ``*.scaled`` and ``*.robust``. See :mod:`scoring.stats.cfa.robust`.
- **Missing data**: ``missing="listwise"`` (default, lavaan's default) drops incomplete rows;
  ``missing="ml"`` is full-information ML with a saturated (H1) model from the EM algorithm
  and a mean structure, as ``cfa(..., missing = "ml")``.
- **Ordered items** (``ordinal=True``): lavaan's WLSMV. Thresholds and polychoric correlations
  (two-step), DWLS with the diagonal of their asymptotic covariance matrix (Muthen 1984) as
  weights, and the mean- and variance-adjusted ("scaled.shifted") test. See
  :mod:`scoring.stats.cfa.ordinal`; with ``group=`` :mod:`scoring.stats.cfa.ordinal_groups`
  (configural, or ``group_equal=("thresholds", "loadings")`` as ``semTools::measEq.syntax``).
- **Multiple groups**: ``group=`` fits the groups jointly with a mean structure; ``group_equal``
  holds ``"loadings"``, ``"intercepts"``, ``"residuals"`` (lavaan's ``group.equal``) and
  ``group_partial`` the exceptions (``group.partial``); :func:`measurement_invariance` runs
  configural -> metric -> scalar (-> strict) with likelihood-ratio (chi-square difference)
  tests as ``lavTestLRT`` and delta CFI.
- **Fit**: chi-square, df, p, CFI, TLI, RMSEA with lavaan's N divisor and 90% CI, SRMR (Bentler);
  formulas in :mod:`scoring.stats.cfa.fit`.
- **Standardised loadings**: lavaan's ``std.all``, lambda sqrt(psi_ff) / sqrt(sigma_ii) with
  the model-implied item variance.
- **Standard errors** (lavaan's defaults): expected information for complete-data ML, observed
  information (Hessian) for FIML, the robust sandwich for WLSMV; 95% Wald CIs est -/+ 1.96 se.
  Standardised estimates have no standard errors here.
- **Composite reliability** (omega): ``semTools::compRelSEM`` with its defaults, see
  :func:`comp_rel_sem`.

Degenerate input (too few rows, constant or collinear items, an unidentified model, no
convergence) gives a result whose numbers are NaN and whose ``reason`` says why; it never raises.
Bad model syntax, unknown variables and bad options raise :class:`scoring.errors.UserError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from threadpoolctl import threadpool_limits

from scoring.errors import Coded, UserError, check_choice
from scoring.result import Result
from scoring.stats.cfa import fit as cfa_fit
from scoring.stats.cfa.fiml import available_case
from scoring.stats.cfa.ml import (
    GroupData,
    complete_moments,
    expected_information,
    fiml_h1_discrepancy,
    fiml_moments,
    fit_ml,
    ml_discrepancy,
    observed_information,
    standard_errors,
)
from scoring.stats.cfa.model import ParTable, build_partable, check_variables
from scoring.stats.cfa.ordinal import fit_dwls, ordinal_problems
from scoring.stats.cfa.ordinal_groups import fit_dwls_groups, satorra_2000_difference
from scoring.stats.cfa.ordinal_theta import fit_theta_groups, parameter_rows, partial_items
from scoring.stats.cfa.robust import mlr, reference_table, reference_values
from scoring.stats.cfa.syntax import ModelSpec, parse_model

MISSING = ("listwise", "ml")
ESTIMATORS = ("ML", "MLR", "WLSMV")
FIT_KEYS = ("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea_ci", "srmr")


@dataclass(frozen=True, repr=False)
class CfaResult(Result):
    """A fitted CFA model.

    ``fit``: fit measures (``chisq``, ``df``, ``pvalue``, ``cfi``, ``tli``, ``rmsea``,
    ``rmsea_ci`` (lower, upper), ``rmsea_pvalue``, ``srmr``, ``npar``, ``baseline_chisq``,
    ``baseline_df``; for ordered items and MLR also the ``*_scaled`` measures, for MLR also
    ``cfi_robust``, ``tli_robust``, ``rmsea_robust``, ``rmsea_ci_robust``).
    ``loadings``: one row per group, factor and item with ``est`` (unstandardised), its ``se``
    and 95% CI, and ``std`` (lavaan's ``std.all``). ``parameters``: every parameter (lavaan's
    ``lhs op rhs``, free or fixed) with ``est``, ``se``, ``z``, ``pvalue``, CI and ``std``. ``omega``: composite reliability per factor (per group).
    ``reason`` is None for a usable fit, else why the numbers are NaN.
    """

    model: str
    estimator: str
    missing: str
    n: int
    nobs: list[int]
    norig: int
    groups: list[str]
    converged: bool
    reason: str | None
    fit: dict
    loadings: pd.DataFrame
    parameters: pd.DataFrame
    omega: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    iterations: int = 0
    # multi-group WLSMV: the fit's statistics and Jacobians, for the difference test
    dwls_groups: object | None = field(default=None, compare=False)

    @property
    def n_groups(self) -> int:
        return len(self.nobs)

    def omega_of(self, factor: str, group: str | None = None) -> float:
        rows = self.omega[self.omega["factor"] == factor]
        if group is not None:
            rows = rows[rows["group"] == group]
        return float(rows["omega"].iloc[0]) if len(rows) else math.nan

    def summary(self) -> str:
        """A readable report in the spirit of lavaan's ``summary(fit, fit.measures = TRUE, standardized = TRUE)``."""
        f = self.fit
        lines = [
            f"Confirmatory factor analysis ({self.estimator}, lavaan defaults)",
            f"  N = {self.n}"
            + (f" ({', '.join(f'{g}: {n}' for g, n in zip(self.groups, self.nobs))})" if self.n_groups > 1 else "")
            + f"; missing data: {'full-information ML' if self.missing == 'ml' else 'listwise deletion'}"
            + (f" ({self.norig - self.n} of {self.norig} rows dropped)" if self.norig != self.n else ""),
        ]
        if self.reason:
            lines += [f"  Not estimated: {self.reason}"]
        else:
            lines += [f"  Converged after {self.iterations} iterations; {int(f['npar'])} free parameters"]
        lo, hi = f["rmsea_ci"]
        lines += ["", "Model fit"]
        rows = [
            (f"Chi-square (df = {_num(f['df'], 0)})", _num(f["chisq"], 3), f"p = {_num(f['pvalue'], 3)}"),
        ]
        if "chisq_scaled" in f:
            test = "MLR" if self.estimator == "MLR" else "WLSMV"  # MLR: Yuan-Bentler (Mplus)
            rows.append((f"Chi-square, scaled ({test})", _num(f["chisq_scaled"], 3), f"p = {_num(f['pvalue_scaled'], 3)}"))
        rows += [
            ("CFI", _num(f["cfi"], 3), ""),
            ("TLI", _num(f["tli"], 3), ""),
            ("RMSEA", _num(f["rmsea"], 3), f"90% CI [{_num(lo, 3)}, {_num(hi, 3)}]"),
            ("SRMR", _num(f["srmr"], 3), ""),
        ]
        if "cfi_scaled" in f:
            slo, shi = f["rmsea_ci_scaled"]
            rows += [
                ("CFI, scaled", _num(f["cfi_scaled"], 3), ""),
                ("TLI, scaled", _num(f["tli_scaled"], 3), ""),
                ("RMSEA, scaled", _num(f["rmsea_scaled"], 3), f"90% CI [{_num(slo, 3)}, {_num(shi, 3)}]"),
            ]
        if "cfi_robust" in f:
            rlo, rhi = f["rmsea_ci_robust"]
            rows += [
                ("CFI, robust", _num(f["cfi_robust"], 3), ""),
                ("TLI, robust", _num(f["tli_robust"], 3), ""),
                ("RMSEA, robust", _num(f["rmsea_robust"], 3), f"90% CI [{_num(rlo, 3)}, {_num(rhi, 3)}]"),
            ]
        lines += [f"  {label:<28}{value:>9}   {extra}".rstrip() for label, value, extra in rows]
        for g in self.groups or [None]:
            rows = self.loadings if g is None else self.loadings[self.loadings["group"] == g]
            lines += ["", "Loadings" + (f" (group {g})" if g is not None and self.n_groups > 1 else "")]
            lines.append(f"  {'':<28}{'est':>9}{'se':>9}{'std':>9}")
            for r in rows.itertuples():
                se = _num(r.se, 3) if np.isfinite(r.se) else ""
                lines.append(f"  {r.factor + ' =~ ' + r.item:<28}{_num(r.est, 3):>9}{se:>9}{_num(r.std, 3):>9}")
        if len(self.omega):
            lines += ["", "Composite reliability (omega, semTools::compRelSEM)"]
            for r in self.omega.itertuples():
                label = r.factor if self.n_groups == 1 else f"{r.factor} ({r.group})"
                lines.append(f"  {label:<28}{_num(r.omega, 3):>9}")
        for w in self.warnings:
            lines.append(f"Warning: {w}")
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """The parameter table (lavaan's ``parameterEstimates`` with ``std.all``) as a DataFrame."""
        return self.parameters.copy()

    def to_dict(self) -> dict:
        """JSON-ready result (NaN -> None)."""
        fit = {k: _clean(v) for k, v in self.fit.items()}
        single = self.n_groups == 1
        loadings = [
            {k: _clean(v) for k, v in row.items() if not (single and k == "group")}
            for row in self.loadings.to_dict(orient="records")
        ]
        omega = [
            {k: _clean(v) for k, v in row.items() if not (single and k == "group")}
            for row in self.omega.to_dict(orient="records")
        ]
        return {
            "model": self.model,
            "estimator": self.estimator,
            "missing": self.missing,
            "n": self.n,
            "nobs": list(self.nobs),
            "norig": self.norig,
            "groups": list(self.groups),
            "converged": self.converged,
            "reason": self.reason,
            "warnings": list(self.warnings),
            "fit": fit,
            "loadings": loadings,
            "omega": omega,
            "parameters": [{k: _clean(v) for k, v in r.items()} for r in self.parameters.to_dict(orient="records")],
        }


@dataclass(frozen=True, repr=False)
class InvarianceResult(Result):
    """Configural, metric and scalar models and their comparison (lavaan ``lavTestLRT``)."""

    models: dict[str, CfaResult]
    table: pd.DataFrame

    def summary(self) -> str:
        estimator = next(iter(self.models.values())).estimator
        test = {"MLR": "scaled (Satorra-Bentler 2001) ", "DWLS": "scaled-shifted (Satorra 2000) "}.get(estimator, "")
        indices = f"; {self.table['indices'].iloc[0]} CFI and RMSEA" if estimator != "ML" else ""
        name = "WLSMV" if estimator == "DWLS" else estimator
        lines = [f"Measurement invariance ({name}; {test}chi-square difference tests as lavTestLRT{indices})", ""]
        lines.append(
            f"  {'model':<20}{'chisq':>9}{'df':>5}{'CFI':>8}{'RMSEA':>8}{'dchisq':>9}{'ddf':>5}{'p':>8}{'dCFI':>8}"
        )
        for r in self.table.itertuples():
            lines.append(
                f"  {r.model:<20}{_num(r.chisq, 3):>9}{_num(r.df, 0):>5}{_num(r.cfi, 3):>8}{_num(r.rmsea, 3):>8}"
                f"{_num(r.delta_chisq, 3):>9}{_num(r.delta_df, 0):>5}{_num(r.p, 3):>8}{_num(r.delta_cfi, 3):>8}"
            )
        reasons = [f"{k}: {m.reason}" for k, m in self.models.items() if m.reason]
        lines += [f"Not estimated: {r}" for r in reasons]
        lines += ["", "  Reading: a significant delta chi-square or delta CFI < -0.01 (Cheung & Rensvold 2002)", "  suggests that the added equality constraints do not hold."]
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict:
        """JSON-ready: ``invariance`` (the comparison table), ``models`` (each model's JSON) and,
        at the top as for a single model, the configural model's ``fit``, ``loadings``, ``n``,
        ``groups``, ``reason`` and ``warnings``, so that scripts reading ``fit`` work either way."""
        rows = []
        for r in self.table.to_dict(orient="records"):
            row = {k: _clean(v) for k, v in r.items()}
            for key in ("df", "delta_df"):  # counts: NaN made the column float
                if row[key] is not None:
                    row[key] = int(row[key])
            rows.append(row)
        configural = self.models["configural"].to_dict()
        top = {k: configural[k] for k in ("model", "estimator", "missing", "n", "nobs", "groups", "reason", "warnings", "fit", "loadings")}
        return {**top, "invariance": rows, "models": {k: m.to_dict() for k, m in self.models.items()}}


def _num(value, digits: int) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "NA"
    return f"{value:.{digits}f}"


def _clean(value):
    if isinstance(value, (tuple, list)):
        return [_clean(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


# ----------------------------------------------------------------------------- data preparation


def _numeric_block(data: pd.DataFrame, columns: list[str]) -> np.ndarray:
    bad = []
    out = {}
    for col in columns:
        values = pd.to_numeric(data[col], errors="coerce")
        if (values.isna() & data[col].notna()).any():
            bad.append(col)
        out[col] = values.to_numpy(dtype=float)
    if bad:
        raise UserError.single(f"non-numeric values in model variable(s) {', '.join(bad)}", path=bad[0])
    return np.column_stack([out[c] for c in columns]) if columns else np.zeros((len(data), 0))


def _split_groups(data: pd.DataFrame, group: str | None) -> tuple[list[str], list[pd.DataFrame]]:
    if group is None:
        return [], [data]
    if group not in data.columns:
        raise UserError.single(f"the group column '{group}' is not in the data", path=group)
    keep = data[group].notna() & (data[group].astype(str).str.strip() != "")
    labels = list(dict.fromkeys(data.loc[keep, group].astype(str)))
    if len(labels) < 2:
        raise UserError.single(f"the group column '{group}' has fewer than two groups", path=group)
    col = data[group].astype(str)
    return labels, [data[keep & (col == lab)] for lab in labels]


def _degenerate_moments(x: np.ndarray, names: list[str], label: str) -> str | None:
    """Why the sample moments of ``x`` cannot be analysed (None when they can)."""
    where = f" in group {label}" if label else ""
    n_obs = np.sum(~np.isnan(x), axis=0)
    if x.shape[0] < 2 or np.any(n_obs < 2):
        return in_group(f"too few rows{where} ({x.shape[0]})", label, Coded(f"too few rows ({x.shape[0]})", "too_few_rows", rows=x.shape[0]))
    with np.errstate(all="ignore"):
        sd = np.nanstd(x, axis=0)
    constant = [n for n, s in zip(names, sd) if not s > 0]
    if constant:
        items = ", ".join(constant)
        return in_group(f"constant item(s){where}: {items}", label, Coded(f"constant item(s): {items}", "constant_items", items=items))
    return None


def in_group(message: str, label: str, reason: Coded) -> Coded:
    """``reason`` (a :class:`Coded` without the group) as ``message``, said "in group ``label``"
    on a page when there are groups."""
    return Coded(message, "in_group", reason=reason, group=label) if label else reason


def _not_pd(cov: np.ndarray) -> bool:
    ev = np.linalg.eigvalsh(cov)
    return not ev[0] > 1e-10 * max(ev[-1], 1e-300)


# ----------------------------------------------------------------------------- public API


def cfa(
    data: pd.DataFrame,
    model: str | ModelSpec,
    *,
    ordinal: bool = False,
    group: str | None = None,
    group_equal: tuple[str, ...] | list[str] = (),
    group_partial: tuple[str, ...] | list[str] = (),
    missing: str = "listwise",
    std_lv: bool = False,
    estimator: str | None = None,
    se: bool = True,
) -> CfaResult:
    """Fit a confirmatory factor model to the columns of ``data`` named in ``model``.

    Parameters
    ----------
    data : DataFrame with one row per respondent (NaN = missing).
    model : lavaan syntax (``f =~ a + b + c``; ``f1 ~~ f2``), lines or ``;``-separated.
    ordinal : treat every item as ordered categorical and fit by WLSMV (DWLS).
    group : column whose values define groups for a multi-group model.
    group_equal : equality constraints across groups: ``"loadings"``, ``"intercepts"``,
        ``"residuals"`` (residual variances; lavaan's ``group.equal``).
    group_partial : parameters exempt from ``group_equal`` (lavaan's ``group.partial``), e.g.
        ``["x3~1"]`` (an intercept), ``["f1=~x2"]``, ``["x6~~x6"]``.
        For ordered items ``group_equal`` is empty (configural), thresholds and loadings, then
        with intercepts (scalar) and residuals (strict) as ``semTools::measEq.syntax`` writes
        them; the last two are fitted in the theta parameterisation
        (:mod:`scoring.stats.cfa.ordinal_theta`) and take ``group_partial`` ``x~1`` / ``x~~x``.
    missing : ``"listwise"`` (default) or ``"ml"`` (FIML; not with ``ordered``).
    std_lv : identify factors by unit variances instead of marker loadings.
    estimator : ``"ML"`` (default), ``"MLR"`` (ML estimates with robust standard errors and the
        Yuan-Bentler scaled test, :mod:`scoring.stats.cfa.robust`) or ``"WLSMV"`` (the same as
        ``ordinal=True``). Case does not matter.
    se : False leaves the standard errors (and z, p, CI) out, as lavaan's ``se = "none"``, for
        callers that read only the fit: under FIML the observed information is a
        finite-difference Hessian, 2 x npar gradient evaluations (three times the fit's own
        cost for a 32-item model). ML only; MLR and WLSMV need the information for their tests.

    References: Rosseel (2012) lavaan, J. Stat. Softw. 48(2); Muthen (1984) Psychometrika 49;
    Arbuckle (1996) in Marcoulides & Schumacker (eds.), Advanced SEM.
    """
    spec = model if isinstance(model, ModelSpec) else parse_model(model)
    check_choice(missing, MISSING, "missing")
    estimator = _estimator(estimator, ordinal)
    group_equal, group_partial = tuple(group_equal), tuple(group_partial)
    _check_options(spec, data, estimator, group, group_equal, group_partial, missing)
    # Every matrix here is small: multi-threaded BLAS only adds overhead (30-fold in L-BFGS-B,
    # far more on a busy machine).
    with threadpool_limits(limits=1):
        if estimator == "WLSMV" and group is not None and {"intercepts", "residuals"} & set(group_equal):
            return _cfa_ordinal_theta(data, spec, group=group, group_equal=group_equal, group_partial=group_partial)
        if estimator == "WLSMV" and group is not None:
            return _cfa_ordinal_groups(data, spec, group=group, equal=bool(group_equal), std_lv=std_lv)
        if estimator == "WLSMV":
            return _cfa_ordinal(data, spec, std_lv=std_lv)
        return _cfa_ml(
            data, spec, group=group, group_equal=group_equal, group_partial=group_partial, missing=missing, std_lv=std_lv,
            robust=estimator == "MLR", se=se,
        )


ORDINAL_EQUAL = ("thresholds", "loadings")


def _check_options(spec, data, estimator, group, group_equal, group_partial, missing) -> None:
    """Raise :class:`UserError` for options that do not go together (before any fitting)."""
    ordinal = estimator == "WLSMV"
    if ordinal and missing != "listwise":
        raise UserError.single("missing='ml' is not available for ordered items (use listwise)", path="missing")
    if group_equal and group is None:
        raise UserError.single("group_equal needs a group column", path="group_equal")
    if group_partial and not group_equal:
        raise UserError.single("group_partial needs group_equal", path="group_partial")
    check_variables(spec, data.columns)
    if ordinal:
        _check_ordinal_options(spec, group_equal, group_partial)
        return
    if "thresholds" in group_equal:
        raise UserError.single("group_equal thresholds is for ordered items (ordinal=True / WLSMV)", path="group_equal")
    build_partable(spec, 2, meanstructure=True, group_equal=group_equal, group_partial=group_partial)


ORDINAL_STEPS = ((), ORDINAL_EQUAL, (*ORDINAL_EQUAL, "intercepts"), (*ORDINAL_EQUAL, "intercepts", "residuals"))


def _check_ordinal_options(spec: ModelSpec, group_equal: tuple, group_partial: tuple) -> None:
    """Ordered items: group_equal is one of measEq.syntax's steps; group_partial names
    intercepts (``x~1``, with intercepts equal) or residual variances (``x~~x``, with residuals
    equal); the scalar and strict models take factors and free loadings only."""
    if set(group_equal) not in [set(step) for step in ORDINAL_STEPS]:
        raise UserError.single(
            "for ordered items group_equal is empty (configural), thresholds and loadings, then also intercepts, "
            "then also residuals",
            path="group_equal",
        )
    if group_partial and not {"intercepts", "residuals"} & set(group_equal):
        raise UserError.single("group_partial for ordered items frees intercepts (x~1) or residual variances (x~~x): "
                               "add intercepts to group_equal", path="group_partial")  # fmt: skip
    try:
        nu, theta = partial_items(group_partial, spec.observed)
    except ValueError as err:
        raise UserError.single(f"group_partial '{err}' is not available for ordered items (only x~1 and x~~x)", path="group_partial") from None
    if theta and "residuals" not in group_equal:
        raise UserError.single("group_partial x~~x needs residuals in group_equal", path="group_partial")
    if {"intercepts", "residuals"} & set(group_equal):
        plain = all(st.op == "=~" and all(t.fixed is None and not t.label for t in st.terms) for st in spec.statements)
        if not plain:
            raise UserError.single("the scalar and strict models for ordered items take factors with free loadings only "
                                   "(no fixed or labelled loadings, no ~~ statements)", path="model")  # fmt: skip


def _estimator(estimator: str | None, ordinal: bool) -> str:
    """The estimator asked for: ML by default, WLSMV with ``ordinal``; a clash is an error."""
    if estimator is None:
        return "WLSMV" if ordinal else "ML"
    value = str(estimator).upper()
    check_choice(value, ESTIMATORS, "estimator")
    if ordinal and value != "WLSMV":
        raise UserError.single(f"estimator {value} is for continuous items; ordered items use WLSMV", path="estimator")
    return value


def _cfa_ml(data, spec: ModelSpec, *, group, group_equal, group_partial, missing, std_lv, robust=False, se=True) -> CfaResult:
    obs = spec.observed
    labels, frames = _split_groups(data, group)
    fiml = missing == "ml"
    blocks = [_numeric_block(f, obs) for f in frames]
    norig = sum(b.shape[0] for b in blocks)
    if fiml:
        blocks = [b[~np.all(np.isnan(b), axis=1)] for b in blocks]
    else:
        blocks = [b[~np.any(np.isnan(b), axis=1)] for b in blocks]
    nobs = [b.shape[0] for b in blocks]
    meanstructure = fiml or len(blocks) > 1
    pt = build_partable(
        spec, len(blocks), meanstructure=meanstructure, std_lv=std_lv, group_equal=group_equal, group_partial=group_partial
    )
    base = dict(
        model=spec.text(), estimator="MLR" if robust else "ML", missing=missing, n=sum(nobs), nobs=nobs, norig=norig, groups=labels, pt=pt
    )
    for b, lab in zip(blocks, labels or [""]):
        reason = _degenerate_moments(b, obs, lab)
        if reason:
            return _failed(reason=reason, **base)
    groups = [fiml_moments(b) if fiml else complete_moments(b) for b in blocks]
    for gd, lab in zip(groups, labels or [""]):
        if _not_pd(gd.cov):
            where = f" in group {lab}" if lab else ""
            text = "the sample covariance matrix{} is not positive definite (collinear items or too few rows)"
            return _failed(reason=in_group(text.format(where), lab, Coded(text.format(""), "cov_not_pd")), **base)
    n_moments = len(groups) * (len(obs) * (len(obs) + 1) // 2 + (len(obs) if meanstructure else 0))
    df = n_moments - pt.npar
    if df < 0:
        return _failed(
            reason=Coded(f"the model is not identified: {pt.npar} free parameters but only {n_moments} sample moments",
                         "not_identified_count", npar=pt.npar, moments=n_moments),
            **base,
        )
    fit = fit_ml(pt, groups)
    if not fit.converged:
        return _failed(reason=Coded(fit.message, "no_convergence", detail=str(fit.message)), df=df, **base)
    jac = pt.jacobian(fit.x)
    if np.linalg.matrix_rank(jac, tol=1e-7 * max(np.abs(jac).max(), 1.0)) < pt.npar:
        return _failed(
            reason=Coded("the model is not identified (some parameters cannot be separated; fix a loading or a factor variance)", "not_identified"),
            df=df,
            **base,
        )
    n = sum(nobs)
    chisq = max(n * (fit.f - fit.f_h1), 0.0)
    chisq_b, df_b = _baseline_ml(groups, meanstructure)
    implied = [pt.implied(fit.x, g) for g in range(pt.n_groups)]
    srmr = sum(
        gd.n / n * cfa_fit.srmr_group(gd.cov, gd.mean if meanstructure else None, s, m if meanstructure else None)
        for gd, (s, m) in zip(groups, implied)
    )
    measures = _fit_measures(chisq, df, chisq_b, df_b, n, len(groups), srmr, pt.npar)
    errors = None
    if robust:
        measures, errors = mlr(pt, groups, fit.x, measures, _baseline_table(groups, meanstructure))
    elif se:
        # lavaan's defaults: expected information for complete data, observed for FIML
        info = observed_information(pt, groups, fit.x) if fiml else expected_information(pt, groups, fit.x)
        errors = standard_errors(info, n)
    params = _parameter_table(pt, fit.x, labels, se=errors if se else None)
    omega = comp_rel_sem(pt, fit.x, [gd.cov for gd in groups], labels)
    return CfaResult(
        converged=True,
        reason=None,
        fit=measures,
        loadings=_loadings(params),
        parameters=params,
        omega=omega,
        warnings=_heywood(params),
        iterations=fit.iterations,
        **{k: v for k, v in base.items() if k != "pt"},
    )


def _cfa_ordinal(data, spec: ModelSpec, *, std_lv: bool) -> CfaResult:
    obs = spec.observed
    x = _numeric_block(data, obs)
    norig = x.shape[0]
    x = x[~np.any(np.isnan(x), axis=1)]
    n = x.shape[0]
    pt = build_partable(spec, 1, std_lv=std_lv, residual_variances=False)
    base = dict(model=spec.text(), estimator="DWLS", missing="listwise", n=n, nobs=[n], norig=norig, groups=[], pt=pt)
    reason = ordinal_problems(spec, x, obs)
    if reason:
        return _failed(reason=reason, **base)
    fit = fit_dwls(pt, x)
    if fit.reason:
        return _failed(reason=fit.reason, df=fit.df, npar=fit.npar, **base)
    t_count = fit.stats.n_thresholds
    params = _parameter_table(pt, fit.x, [], sigmas=[fit.sigma], se=fit.se[t_count:])
    thresholds = pd.DataFrame(
        [
            _param_row("", obs[j], "|", f"t{c + 1}", True, float(t), fit.se[fit.stats.th_start[j] + c], float(t))
            for j in range(len(obs))
            for c, t in enumerate(fit.stats.tau[j])
        ],
        columns=PARAM_COLUMNS,
    )
    params = pd.concat([params, thresholds], ignore_index=True)
    return CfaResult(
        converged=True,
        reason=None,
        fit=fit.measures,
        loadings=_loadings(params),
        parameters=params,
        omega=fit.omega,
        warnings=_heywood(params),
        iterations=fit.iterations,
        **{k: v for k, v in base.items() if k != "pt"},
    )


def _cfa_ordinal_groups(data, spec: ModelSpec, *, group: str, equal: bool, std_lv: bool) -> CfaResult:
    """Multi-group WLSMV (configural, or thresholds and loadings equal as measEq.syntax's
    Wu-Estabrook model); see :mod:`scoring.stats.cfa.ordinal_groups`."""
    obs = spec.observed
    labels, frames = _split_groups(data, group)
    blocks = [_numeric_block(f, obs) for f in frames]
    norig = sum(b.shape[0] for b in blocks)
    blocks = [b[~np.any(np.isnan(b), axis=1)] for b in blocks]
    nobs = [b.shape[0] for b in blocks]
    pt = build_partable(spec, len(blocks), std_lv=std_lv, group_equal=("loadings",) if equal else (), residual_variances=False)
    base = dict(model=spec.text(), estimator="DWLS", missing="listwise", n=sum(nobs), nobs=nobs, norig=norig, groups=labels, pt=pt)
    for b, lab in zip(blocks, labels):
        reason = ordinal_problems(spec, b, obs)
        if reason:
            return _failed(reason=Coded(f"{reason} (group {lab})", "in_group", reason=reason, group=lab), **base)
    fit = fit_dwls_groups(pt, blocks, equal, labels)
    if fit.reason:
        return _failed(reason=fit.reason, df=fit.df, npar=fit.npar, **base)
    params = _parameter_table(pt, fit.x, labels, sigmas=fit.sigma, se=fit.se)
    params = pd.concat([params, _ordinal_group_rows(fit, obs, labels)], ignore_index=True)
    return CfaResult(
        converged=True,
        reason=None,
        fit=fit.measures,
        loadings=_loadings(params),
        parameters=params,
        omega=pd.DataFrame(columns=["group", "factor", "omega"]),
        warnings=_heywood(params),
        iterations=fit.iterations,
        dwls_groups=fit,
        **{k: v for k, v in base.items() if k != "pt"},
    )


def _cfa_ordinal_theta(data, spec: ModelSpec, *, group: str, group_equal: tuple, group_partial: tuple) -> CfaResult:
    """Scalar or strict multi-group WLSMV in the theta parameterisation, with group_partial
    (:mod:`scoring.stats.cfa.ordinal_theta`); factors identified by std.lv as measEq.syntax."""
    obs, factors = spec.observed, spec.factors
    labels, frames = _split_groups(data, group)
    blocks = [_numeric_block(f, obs) for f in frames]
    norig = sum(b.shape[0] for b in blocks)
    blocks = [b[~np.any(np.isnan(b), axis=1)] for b in blocks]
    nobs = [b.shape[0] for b in blocks]
    pattern = np.zeros((len(obs), len(factors)), dtype=bool)
    for a, f in enumerate(factors):
        for term in spec.indicators(f):
            pattern[obs.index(term.name), a] = True
    pt = build_partable(spec, len(blocks), std_lv=True, group_equal=("loadings",), residual_variances=False)
    base = dict(model=spec.text(), estimator="DWLS", missing="listwise", n=sum(nobs), nobs=nobs, norig=norig, groups=labels, pt=pt)
    for b, lab in zip(blocks, labels):
        reason = ordinal_problems(spec, b, obs)
        if reason:
            return _failed(reason=Coded(f"{reason} (group {lab})", "in_group", reason=reason, group=lab), **base)
    fit, layout = fit_theta_groups(pattern, obs, blocks, intercepts="intercepts" in group_equal, residuals="residuals" in group_equal,
                                   partial=group_partial, labels=labels)  # fmt: skip
    if fit.reason:
        return _failed(reason=fit.reason, df=fit.df, npar=fit.npar, **base)
    rows = [_param_row(*r, math.nan) for r in parameter_rows(layout, fit.x, fit.se, obs, factors, labels)]
    params = pd.DataFrame(rows, columns=PARAM_COLUMNS)
    return CfaResult(
        converged=True,
        reason=None,
        fit=fit.measures,
        loadings=_loadings(params),
        parameters=params,
        omega=pd.DataFrame(columns=["group", "factor", "omega"]),
        warnings=[],
        iterations=fit.iterations,
        dwls_groups=fit,
        **{k: v for k, v in base.items() if k != "pt"},
    )


def _ordinal_group_rows(fit, obs: list[str], labels: list[str]) -> pd.DataFrame:
    """Thresholds (std: times the scale factor), and in groups with free intercepts and
    scale factors their ``~1`` and ``~*~`` rows, as lavaan's parameterEstimates."""
    rows = []
    for g, lab in enumerate(labels):
        st = fit.stats[g]
        nu, nu_se = fit.nu[g]
        delta, delta_se = fit.delta[g]
        for j in range(len(obs)):
            for c in range(st.th_start[j + 1] - st.th_start[j]):
                k = st.th_start[j] + c
                tau = float(fit.tau[g][k])
                rows.append(_param_row(lab, obs[j], "|", f"t{c + 1}", True, tau, fit.tau_se[g][k], (tau - nu[j]) * delta[j]))
        if nu_se is not None:
            rows += [_param_row(lab, obs[j], "~1", "", True, float(nu[j]), nu_se[j], float(nu[j] * delta[j])) for j in range(len(obs))]
            rows += [_param_row(lab, obs[j], "~*~", obs[j], True, float(delta[j]), delta_se[j], 1.0) for j in range(len(obs))]
    return pd.DataFrame(rows, columns=PARAM_COLUMNS)


def _baseline_ml(groups: list[GroupData], meanstructure: bool) -> tuple[float, int]:
    """Independence model (diagonal Sigma, saturated means): chi-square and df.

    Its ML estimates are the (available-case, divisor-n) means and variances, also under FIML
    where the likelihood factorises over variables.
    """
    total = 0.0
    df = 0
    for gd in groups:
        p = gd.cov.shape[0]
        if gd.fiml:
            var, mean = available_case(gd.patterns, p)
            f0, _, _ = ml_discrepancy(np.diag(var), mean, gd, True)
            total += gd.n * (f0 - fiml_h1_discrepancy(gd))
        else:
            _, logdet = np.linalg.slogdet(gd.cov)
            total += gd.n * (np.sum(np.log(np.diag(gd.cov))) - logdet)
        df += p * (p - 1) // 2
    return total, df


def _baseline_table(groups: list[GroupData], meanstructure: bool) -> tuple[ParTable, np.ndarray]:
    """The independence model as a parameter table and its ML estimates (see :func:`_baseline_ml`)."""
    pt = reference_table(groups[0].cov.shape[0], len(groups), meanstructure, saturated=False)
    moments = [available_case(gd.patterns, gd.cov.shape[0]) if gd.fiml else (np.diag(gd.cov), gd.mean) for gd in groups]
    return pt, reference_values(pt, [np.diag(v) for v, _ in moments], [m for _, m in moments])


def _fit_measures(chisq, df, chisq_b, df_b, n_rmsea, n_groups, srmr, npar) -> dict:
    lo, hi = cfa_fit.rmsea_ci(chisq, df, n_rmsea, n_groups)
    return {
        "npar": npar,
        "chisq": float(chisq),
        "df": int(df),
        "pvalue": cfa_fit.chisq_pvalue(chisq, df),
        "cfi": cfa_fit.cfi(chisq, df, chisq_b, df_b),
        "tli": cfa_fit.tli(chisq, df, chisq_b, df_b),
        "rmsea": cfa_fit.rmsea(chisq, df, n_rmsea, n_groups),
        "rmsea_ci": (lo, hi),
        "rmsea_pvalue": cfa_fit.rmsea_pvalue(chisq, df, n_rmsea, n_groups),
        "srmr": float(srmr),
        "baseline_chisq": float(chisq_b),
        "baseline_df": int(df_b),
    }


def _nan_fit(npar: int = 0, df=math.nan) -> dict:
    out = {k: math.nan for k in FIT_KEYS}
    out.update(npar=npar, df=df, rmsea_ci=(math.nan, math.nan), rmsea_pvalue=math.nan)
    out.update(baseline_chisq=math.nan, baseline_df=math.nan)
    return out


def _failed(*, reason: str, pt: ParTable, df=math.nan, npar: int | None = None, **base) -> CfaResult:
    x = np.full(pt.npar, np.nan)
    params = _parameter_table(pt, x, base["groups"])
    omega = pd.DataFrame(columns=["group", "factor", "omega"])
    return CfaResult(
        converged=False,
        reason=reason,
        fit=_nan_fit(pt.npar if npar is None else npar, df),
        loadings=_loadings(params),
        parameters=params,
        omega=omega,
        **base,
    )


# ----------------------------------------------------------------------------- parameter tables


def standardized(pt: ParTable, x: np.ndarray, g: int, sigma: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """lavaan's ``std.all`` matrices of group ``g``: loadings lambda sqrt(psi_ff)/sd_i, factor
    correlations, residual (co)variances over sd_i sd_j, intercepts over sd_i, factor means
    over sqrt(psi_ff). ``sigma`` overrides the implied covariance (ordered items: unit diagonal)."""
    mat = pt.matrices(x, g)
    if sigma is None:
        sigma = pt.implied(x, g)[0]
    with np.errstate(all="ignore"):
        sd_obs = np.sqrt(np.diag(sigma))
        sd_lat = np.sqrt(np.diag(mat["psi"]))
        return {
            "lambda": mat["lambda"] * sd_lat[None, :] / sd_obs[:, None],
            "psi": mat["psi"] / np.outer(sd_lat, sd_lat),
            "theta": mat["theta"] / np.outer(sd_obs, sd_obs),
            "nu": mat["nu"] / sd_obs,
            "alpha": mat["alpha"] / sd_lat,
        }


PARAM_COLUMNS = ["group", "lhs", "op", "rhs", "free", "est", "se", "z", "pvalue", "ci_lower", "ci_upper", "std"]


def _parameter_table(pt: ParTable, x: np.ndarray, labels: list[str], sigmas=None, se=None) -> pd.DataFrame:
    """lavaan's ``parameterEstimates`` with ``std.all``: est, se, z = est / se, two-sided p,
    95% Wald CI est -/+ 1.96 se (fixed parameters: no se)."""
    rows = []
    se = np.full(pt.npar, np.nan) if se is None else se
    for g in range(pt.n_groups):
        label = labels[g] if labels else ""
        mat = pt.matrices(x, g)
        std = standardized(pt, x, g, None if sigmas is None else sigmas[g])
        for lhs, op, rhs, name, pos in _reported_parameters(pt, g):
            k = pt.index[name][g][pos]
            rows.append(_param_row(label, lhs, op, rhs, k >= 0, float(mat[name][pos]), se[k] if k >= 0 else np.nan, float(std[name][pos])))
    return pd.DataFrame(rows, columns=PARAM_COLUMNS)


def _reported_parameters(pt: ParTable, g: int):
    """(lhs, op, rhs, matrix, position) of the rows of group ``g``, in lavaan's order: loadings
    (free or non-zero), residual then factor (co)variances (free, non-zero or a variance), then
    intercepts and factor means when the model has a mean structure."""
    for f, fname in enumerate(pt.factors):
        for i, oname in enumerate(pt.observed):
            if pt.index["lambda"][g][i, f] >= 0 or pt.value["lambda"][g][i, f] != 0:
                yield fname, "=~", oname, "lambda", (i, f)
    yield from _reported_covariances(pt, g, "theta", pt.observed)
    yield from _reported_covariances(pt, g, "psi", pt.factors)
    if pt.meanstructure:
        for i, oname in enumerate(pt.observed):
            yield oname, "~1", "", "nu", (i,)
        for a, fname in enumerate(pt.factors):
            yield fname, "~1", "", "alpha", (a,)


def _reported_covariances(pt: ParTable, g: int, matrix: str, names: list[str]):
    """The lower triangle of ``matrix`` ("theta" or "psi") row by row: variances always,
    covariances when free or non-zero."""
    for i in range(len(names)):
        for j in range(i + 1):
            if pt.index[matrix][g][i, j] >= 0 or pt.value[matrix][g][i, j] != 0 or i == j:
                yield names[j], "~~", names[i], matrix, (i, j)


def _param_row(group, lhs, op, rhs, free, est, se, std) -> dict:
    with np.errstate(all="ignore"):
        z = est / se if free else np.nan
    return {
        "group": group,
        "lhs": lhs,
        "op": op,
        "rhs": rhs,
        "free": bool(free),
        "est": est,
        "se": float(se),
        "z": float(z),
        "pvalue": float(2 * stats.norm.sf(abs(z))) if np.isfinite(z) else math.nan,
        "ci_lower": est - 1.959963984540054 * se,
        "ci_upper": est + 1.959963984540054 * se,
        "std": std,
    }


def _loadings(params: pd.DataFrame) -> pd.DataFrame:
    rows = params[params["op"] == "=~"]
    return pd.DataFrame(
        {
            "group": rows["group"],
            "factor": rows["lhs"],
            "item": rows["rhs"],
            "est": rows["est"],
            "se": rows["se"],
            "ci_lower": rows["ci_lower"],
            "ci_upper": rows["ci_upper"],
            "std": rows["std"],
        }
    ).reset_index(drop=True)


def _heywood(params: pd.DataFrame) -> list[str]:
    out = []
    var = params[(params["op"] == "~~") & (params["lhs"] == params["rhs"])]
    for r in var.itertuples():
        if r.est < 0:
            where = f" in group {r.group}" if r.group else ""
            text = f"negative variance of {r.lhs}{where} ({r.est:.3f}): a Heywood case; interpret with care"
            heywood = Coded(text, "heywood", variable=r.lhs, estimate=f"{r.est:.3f}")
            out.append(Coded(text, "in_group", reason=heywood, group=r.group) if r.group else heywood)
    return out


# ----------------------------------------------------------------------------- reliability


def comp_rel_sem(pt: ParTable, x: np.ndarray, sample_covs: list[np.ndarray], labels: list[str]) -> pd.DataFrame:
    """Composite reliability per factor as ``semTools::compRelSEM`` with its defaults.

    omega_f = 1' (lambda_f psi_ff lambda_f') 1 / 1' S_f 1,

    lambda_f the loadings of factor f's indicators (items with a non-zero loading on f) and S_f
    their *observed* covariance matrix (``obs.var = TRUE``; divisor N; under FIML the EM
    estimate). With ``obs.var = FALSE`` the denominator would be the implied variance,
    (sum lambda)^2 psi + sum theta_ii + 2 sum theta_ij. Factors with a single indicator are
    skipped (``dropSingle = TRUE``). Reference: Bentler (2009) Psychometrika 74; semTools 0.5.
    """
    rows = []
    for g in range(pt.n_groups):
        mat = pt.matrices(x, g)
        for f, fname in enumerate(pt.factors):
            items = np.flatnonzero(mat["lambda"][:, f] != 0)
            if items.size < 2:
                continue
            lam = mat["lambda"][items, f]
            common = lam.sum() ** 2 * mat["psi"][f, f]
            total = sample_covs[g][np.ix_(items, items)].sum()
            rows.append({"group": labels[g] if labels else "", "factor": fname, "omega": float(common / total)})
    return pd.DataFrame(rows, columns=["group", "factor", "omega"])


# ----------------------------------------------------------------------------- invariance


INVARIANCE_STEPS = (
    ("configural", ()),
    ("metric", ("loadings",)),
    ("scalar", ("loadings", "intercepts")),
    ("strict", ("loadings", "intercepts", "residuals")),
)


def measurement_invariance(
    data: pd.DataFrame,
    model: str | ModelSpec,
    group: str,
    *,
    missing: str = "listwise",
    std_lv: bool = False,
    strict: bool = False,
    group_partial: tuple[str, ...] | list[str] = (),
    estimator: str | None = None,
    ordinal: bool = False,
    progress=None,
    se: bool = True,
) -> InvarianceResult:
    """Configural, metric (equal loadings), scalar (equal loadings and intercepts; factor
    means free in groups 2, 3, ...) and, with ``strict``, strict (also equal residual
    variances) models, compared in sequence. ``progress(name)``, if given, is called as each
    model is fitted (a progress bar); ``se=False``: the models without standard errors (as
    :func:`cfa`; the comparison needs only their fit).

    ``group_partial`` (lavaan's ``group.partial``, e.g. ``["x3~1"]``) exempts parameters from
    the equality constraints in every model where they would apply (partial invariance).

    delta chi-square = chisq(more restricted) - chisq(less restricted) with delta df and
    p = P(chi2_ddf > delta chi-square): lavaan's ``lavTestLRT`` for standard ML (a plain
    difference test). delta CFI = CFI(more restricted) - CFI(less restricted); Cheung &
    Rensvold (2002) read a drop below -.01 as non-invariance.

    With ``estimator="MLR"`` the difference test is Satorra & Bentler's (2001) scaled
    difference (lavaan's ``lavTestLRT`` default for MLR), the table adds ``chisq_scaled`` and
    its ``cfi``/``rmsea`` are lavaan's robust indices (``indices`` = "robust"; under FIML the
    FIML-corrected ones of :func:`scoring.stats.cfa.robust.fiml_corrected`; the scaled ones,
    "scaled", only where the robust ones cannot be computed).

    With ordered items (``ordinal=True`` or ``estimator="WLSMV"``) the models are configural,
    ``thresholds_loadings`` (thresholds and loadings equal, Wu & Estabrook 2016, as
    ``semTools::measEq.syntax``; :mod:`scoring.stats.cfa.ordinal_groups`), ``scalar`` (also
    intercepts) and with ``strict`` ``strict`` (also residual variances), the last two in the
    theta parameterisation (:mod:`scoring.stats.cfa.ordinal_theta`); ``group_partial`` frees
    intercepts (``x~1``) in scalar and strict and residual variances (``x~~x``) in strict. They
    are compared by lavaan's WLSMV difference test (Satorra 2000, scaled and shifted), with the
    scaled CFI and RMSEA (``indices`` = "scaled").
    """
    spec = model if isinstance(model, ModelSpec) else parse_model(model)
    est = _estimator(estimator, ordinal)
    partial = tuple(group_partial)
    if est == "WLSMV":
        _check_ordinal_options(spec, ORDINAL_STEPS[3], partial)
        steps = (("configural", ()), ("thresholds_loadings", ORDINAL_EQUAL), ("scalar", ORDINAL_STEPS[2]))
        steps += (("strict", ORDINAL_STEPS[3]),) if strict else ()
    else:
        steps = INVARIANCE_STEPS if strict else INVARIANCE_STEPS[:3]
    models = {}
    for name, eq in steps:
        models[name] = cfa(
            data, spec, group=group, group_equal=eq, group_partial=_partial_for(partial, eq, est), missing=missing,
            std_lv=std_lv, estimator=est, se=se,
        )
        if progress is not None:
            progress(name)
    rows = []
    prev = None
    for name, _ in steps:
        row = _invariance_row(name, models[name], prev, est)
        if rows:
            row.update(delta_cfi=row["cfi"] - rows[-1]["cfi"], delta_rmsea=row["rmsea"] - rows[-1]["rmsea"])
        rows.append(row)
        prev = models[name]
    return InvarianceResult(models, pd.DataFrame(rows))


def _partial_for(partial: tuple, equal: tuple, estimator: str) -> tuple:
    """The group_partial entries that apply to a step: all of them where something is equal;
    for ordered items only intercepts (x~1) from scalar on and residuals (x~~x) in strict."""
    if not equal:
        return ()
    if estimator != "WLSMV":
        return partial
    keep = [p for p in partial if str(p).replace(" ", "").endswith("~1") and "intercepts" in equal]
    keep += [p for p in partial if "~~" in str(p) and "residuals" in equal]
    return tuple(keep)


def _invariance_row(name: str, res: CfaResult, prev: CfaResult | None, estimator: str) -> dict:
    """One row of the invariance table: the model's fit and its test against ``prev``."""
    f = res.fit
    if estimator == "MLR":
        cfi_key, rmsea_key = _invariance_indices(f)
    elif estimator == "WLSMV":
        cfi_key, rmsea_key = "cfi_scaled", "rmsea_scaled"
    else:
        cfi_key, rmsea_key = "cfi", "rmsea"
    row = {
        "model": name,
        "chisq": f["chisq"],
        "df": f["df"],
        "cfi": f[cfi_key],
        "rmsea": f[rmsea_key],
        "indices": cfi_key.partition("_")[2] or "standard",
        "delta_chisq": math.nan,
        "delta_df": math.nan,
        "p": math.nan,
        "delta_cfi": math.nan,
        "delta_rmsea": math.nan,
    }
    if estimator != "ML":
        row["chisq_scaled"] = f["chisq_scaled"]
    if prev is None:
        return row
    d_df = int(f["df"] - prev.fit["df"]) if np.isfinite(f["df"] - prev.fit["df"]) else math.nan
    if estimator == "WLSMV":
        ok = res.dwls_groups is not None and prev.dwls_groups is not None
        d_chi = satorra_2000_difference(prev.dwls_groups, res.dwls_groups)["chisq"] if ok else math.nan
    elif estimator == "MLR":
        d_chi = _scaled_difference(f, prev.fit)
    else:
        d_chi = f["chisq"] - prev.fit["chisq"]
    p = float(stats.chi2.sf(d_chi, d_df)) if np.isfinite(d_chi) and d_df > 0 else math.nan
    row.update(delta_chisq=d_chi, delta_df=d_df, p=p)
    return row


def _invariance_indices(fit: dict) -> tuple[str, str]:
    """The CFI and RMSEA an MLR invariance table compares: lavaan's robust ones where they
    can be computed (complete data and FIML), else the scaled ones."""
    if np.isfinite(fit.get("cfi_robust", math.nan)) or not np.isfinite(fit.get("cfi_scaled", math.nan)):
        return "cfi_robust", "rmsea_robust"
    return "cfi_scaled", "rmsea_scaled"


def _scaled_difference(restricted: dict, free: dict) -> float:
    """Satorra & Bentler's (2001) scaled chi-square difference, lavaan's ``lavTestLRT`` default
    for MLR: (T0 - T1) / cd with cd = (df0 c0 - df1 c1) / (df0 - df1), T the unscaled
    statistics, c the scaling factors, 0 the more restricted model."""
    d_df = restricted["df"] - free["df"]
    cd = (restricted["df"] * restricted["chisq_scaling_factor"] - free["df"] * free["chisq_scaling_factor"]) / d_df
    return (restricted["chisq"] - free["chisq"]) / cd
