"""Fit the graded response model (2PL for two-category items) to one scale, as R's mirt.

``fit_graded(frame)`` agrees with ``mirt::mirt(data, 1, itemtype = "graded")`` (and ``"2PL"``
for 0/1 items): the same model, slope-intercept parameterisation, quadrature (61 nodes on
[-6, 6]) and N(0, 1) latent density, so parameters agree to 1e-2 and the log-likelihood to
1e-3 (tests/stats/irt/test_mirt_reference.py: LSAT7 and Science, mirt's own published
figures). What it returns:

- item parameters a, d_k (mirt ``coef``) and b_k = -d_k / a (``coef(mod, IRTpars = TRUE)``),
  with standard errors from the observed information (numerical Hessian of the marginal
  log-likelihood; delta method for b: var(b_k) = g' V g, g = (d_k / a^2, -1 / a));
- log-likelihood, AIC = -2l + 2k, BIC = -2l + k log N (mirt's ``anova``);
- EAP scores: posterior mean and SD of theta per respondent on the same quadrature
  (mirt ``fscores(method = "EAP")``);
- item and test information on theta = -4..4 and the marginal reliability (``marginal_rxx``);
- S-X2 item fit (``itemfit``), see :mod:`.itemfit`.

Deliberate differences from mirt: estimation is quasi-Newton on the marginal likelihood rather
than EM (same maximum, tighter convergence, so estimates can differ from mirt's printed
ones in the third decimal); SEs are the observed information by central differences (mirt's
default is no SEs; ``SE.type = "Richardson"`` is the same quantity).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.errors import Coded
from scoring.result import Result
from scoring.stats.irt import graded, quadrature
from scoring.stats.irt._json import category_codes, clean, fmt, records, values
from scoring.stats.irt.information import information_table, marginal_reliability
from scoring.stats.irt.itemfit import s_x2
from scoring.stats.irt.mml import Estimates, MarginalModel, start_values
from scoring.stats.irt.responses import MIN_RESPONDENTS, code_items, group_patterns

QUADRATURE = f"{quadrature.N_NODES} equally spaced nodes on [-{quadrature.THETA_LIMIT:g}, {quadrature.THETA_LIMIT:g}], N(0, 1) weights"


@dataclass(frozen=True, repr=False)
class GradedFit(Result):
    """A fitted graded response model for one scale.

    ``parameters``: one row per item with ``a``, ``d1..dm`` (slope-intercept), ``b1..bm`` (IRT),
    and their standard errors ``se_a``, ``se_d1``, ``se_b1``, ... (NaN columns where an item has
    fewer categories); ``categories``: the original codes of each item's categories;
    ``scores``: EAP theta and posterior SD per respondent (index = the input rows kept);
    ``information``: item and test information by theta; ``item_fit``: S-X2, df, RMSEA, p.
    """

    model: str
    items: list[str]
    categories: dict[str, list[float]]
    parameters: pd.DataFrame
    loglik: float
    n_params: int
    n_obs: int
    n_patterns: int
    converged: bool
    iterations: int
    marginal_reliability: float
    information: pd.DataFrame
    item_fit: pd.DataFrame | None
    scores: pd.DataFrame
    dropped: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def aic(self) -> float:
        return -2 * self.loglik + 2 * self.n_params

    @property
    def bic(self) -> float:
        return -2 * self.loglik + self.n_params * np.log(self.n_obs)

    def to_frame(self) -> pd.DataFrame:
        """The item parameter table (one row per item)."""
        return self.parameters.copy()

    def to_dict(self) -> dict:
        items = {}
        for item in self.items:
            row = self.parameters.loc[item]
            m = len(self.categories[item]) - 1
            items[item] = {
                "categories": category_codes(self.categories[item]),
                "a": clean(row["a"]),
                "se_a": clean(row["se_a"]),
                "d": [clean(row[f"d{k}"]) for k in range(1, m + 1)],
                "se_d": [clean(row[f"se_d{k}"]) for k in range(1, m + 1)],
                "b": [clean(row[f"b{k}"]) for k in range(1, m + 1)],
                "se_b": [clean(row[f"se_b{k}"]) for k in range(1, m + 1)],
            }
        return {
            "model": self.model,
            "estimation": "marginal maximum likelihood (quasi-Newton)",
            "quadrature": QUADRATURE,
            "items": list(self.items),
            "n_obs": self.n_obs,
            "n_patterns": self.n_patterns,
            "dropped": self.dropped,
            "loglik": clean(self.loglik),
            "n_params": self.n_params,
            "aic": clean(self.aic),
            "bic": clean(self.bic),
            "converged": self.converged,
            "iterations": self.iterations,
            "parameters": items,
            "marginal_reliability": clean(self.marginal_reliability),
            "item_fit": records(self.item_fit) if self.item_fit is not None else None,
            "information": {
                "theta": values(self.information.index),
                "test": values(self.information["test"]),
                "items": {item: values(self.information[item]) for item in self.items},
            },
            "scores": {
                "method": "EAP",
                "n": int(self.scores["theta"].notna().sum()),
                "mean": clean(self.scores["theta"].mean()),
                "sd": clean(self.scores["theta"].std()),
                "mean_se": clean(self.scores["se"].mean()),
            },
            "warnings": list(self.warnings),
        }

    def summary(self, digits: int = 3) -> str:
        """mirt-like print: the fit, ``coef`` in both parameterisations, S-X2."""
        m = max(len(c) for c in self.categories.values()) - 1
        title = "Two-parameter logistic model (mirt itemtype = '2PL')" if self.model == "2PL" else (
            "Graded response model (mirt itemtype = 'graded')")
        lines = [
            f"{title}: {len(self.items)} items, n = {self.n_obs} ({self.n_patterns} distinct patterns)",
            f"Marginal ML, {QUADRATURE}; " + (f"converged after {self.iterations} iterations" if self.converged else "NOT converged"),
            f"Log-likelihood = {fmt(self.loglik)}, parameters = {self.n_params}, AIC = {fmt(self.aic)}, BIC = {fmt(self.bic)}",
            f"Marginal reliability = {fmt(self.marginal_reliability)}",
            "",
            "Slope-intercept parameters (SE):",
            _paired(self.parameters, ["a"] + [f"d{k}" for k in range(1, m + 1)], digits),
            "",
            "IRT parameters (SE):",
            _paired(self.parameters, ["a"] + [f"b{k}" for k in range(1, m + 1)], digits),
        ]
        if self.item_fit is not None:
            lines += ["", "Item fit (S-X2):", self.item_fit.round(digits).to_string(na_rep="NA")]
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def score(self, frame: pd.DataFrame) -> pd.DataFrame:
        """EAP theta and posterior SD for new answers (original codes; NaN = missing) with these
        item parameters, as mirt's ``fscores(mod, response.pattern = ...)``."""
        frame = pd.DataFrame(frame)[self.items]
        codes = np.full(frame.shape, -1, dtype=np.int16)
        for j, item in enumerate(self.items):
            column = pd.to_numeric(frame[item], errors="coerce").to_numpy(dtype=float)
            answered = ~np.isnan(column)
            levels = np.asarray(self.categories[item])
            position = np.searchsorted(levels, column[answered])
            known = (position < len(levels)) & (levels[np.minimum(position, len(levels) - 1)] == column[answered])
            if not known.all():
                raise ValueError(f"item '{item}': code {column[answered][~known][0]:g} is not one of its categories")
            codes[answered, j] = position
        patterns = group_patterns(codes)
        model = MarginalModel(patterns, [len(self.categories[i]) for i in self.items])
        a = self.parameters["a"].to_numpy()
        d = [self.parameters.loc[i, [f"d{k}" for k in range(1, len(self.categories[i]))]].to_numpy(dtype=float) for i in self.items]
        return eap_scores(model, Estimates(a, d, np.zeros(1), np.ones(1)), patterns.inverse, frame.index)

    def __repr__(self) -> str:
        return f"GradedFit(model={self.model!r}, items={len(self.items)}, n_obs={self.n_obs}, loglik={self.loglik:.3f})"


def _paired(params: pd.DataFrame, columns: list[str], digits: int) -> str:
    table = pd.DataFrame(index=params.index)
    for c in columns:
        table[c] = [
            "" if not np.isfinite(v) else f"{v:.{digits}f} ({fmt(s, digits)})"
            for v, s in zip(params[c], params[f"se_{c}"])
        ]
    return table.to_string()


def parameter_table(items, a, d, cov=None) -> pd.DataFrame:
    """Items x (a, d1.., b1.., se_a, se_d1.., se_b1..) from estimates and their covariance."""
    m = max(len(dj) for dj in d)
    rows, pos = [], 0
    for j in range(len(items)):
        k = len(d[j])
        block = cov[pos : pos + k + 1, pos : pos + k + 1] if cov is not None else np.full((k + 1, k + 1), np.nan)
        se = np.sqrt(np.where(np.diag(block) > 0, np.diag(block), np.nan))
        b = -d[j] / a[j]
        se_b = []
        for i in range(k):
            g = np.zeros(k + 1)
            g[0], g[i + 1] = d[j][i] / a[j] ** 2, -1.0 / a[j]
            v = g @ block @ g
            se_b.append(np.sqrt(v) if v > 0 else np.nan)
        pad = [np.nan] * (m - k)
        rows.append([a[j], *d[j], *pad, *b, *pad, se[0], *se[1:], *pad, *se_b, *pad])
        pos += k + 1
    columns = (["a"] + [f"d{k}" for k in range(1, m + 1)] + [f"b{k}" for k in range(1, m + 1)]
               + ["se_a"] + [f"se_d{k}" for k in range(1, m + 1)] + [f"se_b{k}" for k in range(1, m + 1)])
    return pd.DataFrame(rows, index=pd.Index(list(items), name="item"), columns=columns)


def eap_scores(model: MarginalModel, est, inverse: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """Posterior mean (EAP) and SD of theta for each respondent."""
    post, _ = model.posterior(est)
    mean = post @ model.theta
    sd = np.sqrt(np.maximum(post @ (model.theta**2) - mean**2, 0.0))
    return pd.DataFrame({"theta": mean[inverse], "se": sd[inverse]}, index=index)


def fit_graded(
    frame: pd.DataFrame, *, se: bool = True, item_fit: bool = True, min_respondents: int = MIN_RESPONDENTS
) -> GradedFit:
    """Fit Samejima's graded response model by marginal ML to the item columns of ``frame``.

    ``frame``: rows = respondents, columns = items, integer codes, NaN = missing. Raises
    ``ValueError`` for unusable input (see :func:`.responses.code_items`).
    """
    frame = pd.DataFrame(frame)
    coded = code_items(frame, min_respondents=min_respondents)
    patterns = group_patterns(coded.codes)
    K = coded.n_categories
    model = MarginalModel(patterns, K)
    result = model.fit(model.pack(start_values(coded.codes, K)), se=se)
    est = result.estimates
    warnings = list(coded.warnings)
    if not result.converged:
        warnings.append(Coded(f"the fit did not converge ({result.message}); estimates and SEs are unreliable", "irt_fit_no_convergence",
                              detail=str(result.message)))
    fit_table = None
    if item_fit:
        probs = [graded.probabilities(est.a[j], est.d[j], model.theta) for j in range(len(K))]
        weights = np.exp(model.log_weights(est)[0])
        fit_table = s_x2(coded.codes, probs, weights, [int(k) for k in K], coded.items)
    return GradedFit(
        model="2PL" if np.all(K == 2) else "graded",
        items=coded.items,
        categories={item: coded.levels[j].tolist() for j, item in enumerate(coded.items)},
        parameters=parameter_table(coded.items, est.a, est.d, result.cov),
        loglik=result.loglik,
        n_params=result.n_params,
        n_obs=len(coded.codes),
        n_patterns=len(patterns.counts),
        converged=result.converged,
        iterations=result.iterations,
        marginal_reliability=marginal_reliability(est.a, est.d),
        information=information_table(coded.items, est.a, est.d),
        item_fit=fit_table,
        scores=eap_scores(model, est, patterns.inverse, coded.rows),
        dropped=coded.dropped,
        warnings=warnings,
    )
