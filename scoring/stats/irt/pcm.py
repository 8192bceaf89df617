"""Masters' partial credit model by conditional maximum likelihood, as R's ``eRm::PCM``.

For item i with categories h = 0..m_i and person parameter theta,

    P(X_i = h | theta) = exp(h theta + beta_ih) / sum_l exp(l theta + beta_il),  beta_i0 = 0,

with beta_ih the category "easiness" parameters of eRm (``betapar``). Conditioning on the raw
score r = sum_i x_i removes theta (Andersen 1973); the conditional log-likelihood is

    l_c = sum_p sum_i beta_{i, x_pi} - sum_p log gamma_{r_p}(beta),

where gamma_r is the elementary symmetric function of order r of the item polynomials
sum_h exp(beta_ih) z^h (the coefficient of z^r in their product). Respondents with missing
answers are grouped by the set of items they answered, each group with its own gamma (as eRm
does); raw scores 0 and the maximum carry no information and contribute nothing. The scale is
fixed as in eRm's default (``sum0 = TRUE``): the betas sum to zero, beta_11 = -sum of the rest.

Reported, as eRm: ``beta`` (``betapar``) with standard errors from the observed conditional
information (``se.beta``); thresholds tau_ih = beta_i,h-1 - beta_ih and the item location (their
mean), with SEs by the delta method (``thresholds()``); the conditional log-likelihood
(``loglik``). Person parameters are maximum-likelihood theta given the betas (solving
sum_i E(X_i | theta) = r), with SE = 1 / sqrt(sum_i Var(X_i | theta)) (``person.parameter``).

Deliberate differences from eRm: categories are the observed codes renumbered 0..m_i (eRm
takes the codes themselves as scores and needs them to start at 0); persons with an extreme
raw score get no theta (NaN) here, where eRm extrapolates one by a spline. Agreement with eRm
1.0-2 on ``tests/reference/irt`` fixtures: betas, SEs and thresholds to 1e-4, log-likelihood to
1e-6, person parameters to 1e-4.

References: Masters, G. N. (1982). A Rasch model for partial credit scoring. Psychometrika 47,
149-174. Andersen, E. B. (1973). Conditional inference and models for measuring. Mair, P. &
Hatzinger, R. (2007). Extended Rasch modeling: the eRm package. Journal of Statistical
Software 20(9).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize

from scoring.errors import Coded
from scoring.result import Result
from scoring.stats.irt._json import category_codes, clean, fmt, values
from scoring.stats.irt.information import INFO_GRID
from scoring.stats.irt.responses import MIN_RESPONDENTS, code_items


@dataclass(frozen=True, repr=False)
class PCMFit(Result):
    """A partial credit model fitted by CML.

    ``parameters``: one row per item category (``item``, ``category`` 1..m) with ``beta``,
    ``se_beta``, ``threshold``, ``se_threshold``; ``locations``: item location and SE;
    ``persons``: ML theta and SE per respondent (NaN for extreme raw scores);
    ``information``: Var(X_i | theta) per item and the test total.
    """

    items: list[str]
    categories: dict[str, list[float]]
    parameters: pd.DataFrame
    locations: pd.DataFrame
    loglik: float
    n_params: int
    n_obs: int
    n_extreme: int
    converged: bool
    iterations: int
    persons: pd.DataFrame
    information: pd.DataFrame
    dropped: int = 0
    warnings: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """The category parameter table (one row per item category)."""
        return self.parameters.copy()

    def to_dict(self) -> dict:
        params = {}
        for item in self.items:
            rows = self.parameters[self.parameters["item"] == item]
            params[item] = {
                "categories": category_codes(self.categories[item]),
                "beta": values(rows["beta"]),
                "se_beta": values(rows["se_beta"]),
                "thresholds": values(rows["threshold"]),
                "se_thresholds": values(rows["se_threshold"]),
                "location": clean(self.locations.loc[item, "location"]),
                "se_location": clean(self.locations.loc[item, "se_location"]),
            }
        return {
            "model": "pcm",
            "estimation": "conditional maximum likelihood (eRm::PCM, sum0 = TRUE)",
            "items": list(self.items),
            "n_obs": self.n_obs,
            "n_extreme": self.n_extreme,
            "dropped": self.dropped,
            "conditional_loglik": clean(self.loglik),
            "n_params": self.n_params,
            "converged": self.converged,
            "iterations": self.iterations,
            "parameters": params,
            "information": {
                "theta": values(self.information.index),
                "test": values(self.information["test"]),
                "items": {item: values(self.information[item]) for item in self.items},
            },
            "persons": {
                "method": "ML",
                "n": int(self.persons["theta"].notna().sum()),
                "mean": clean(self.persons["theta"].mean()),
                "sd": clean(self.persons["theta"].std()),
            },
            "warnings": list(self.warnings),
        }

    def summary(self, digits: int = 3) -> str:
        """eRm-like print: conditional log-likelihood, betas, thresholds."""
        table = self.parameters.set_index(["item", "category"])
        lines = [
            f"Partial credit model (eRm::PCM), conditional ML: {len(self.items)} items, n = {self.n_obs}"
            f" ({self.n_extreme} with an extreme raw score)",
            f"Conditional log-likelihood = {fmt(self.loglik)}, parameters = {self.n_params}"
            + ("" if self.converged else " (NOT converged)"),
            "",
            "Category easiness (beta) and thresholds, with SEs:",
            table.round(digits).to_string(na_rep="NA"),
            "",
            "Item locations (mean threshold):",
            self.locations.round(digits).to_string(na_rep="NA"),
        ]
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"PCMFit(items={len(self.items)}, n_obs={self.n_obs}, loglik={self.loglik:.3f})"


class _Conditional:
    """The conditional log-likelihood and its gradient over answered-item groups."""

    def __init__(self, codes: np.ndarray, n_categories: np.ndarray):
        self.K = n_categories
        self.offsets = np.concatenate([[0], np.cumsum(self.K - 1)])  # beta_ih at offsets[i] + h - 1
        self.n_beta = int(self.offsets[-1])
        self.category_counts = np.zeros(self.n_beta)
        for i, k in enumerate(self.K):
            counts = np.bincount(codes[codes[:, i] >= 0, i], minlength=k)
            self.category_counts[self.offsets[i] : self.offsets[i + 1]] = counts[1:]
        masks, inverse = np.unique(codes >= 0, axis=0, return_inverse=True)
        raw = np.where(codes >= 0, codes, 0).sum(axis=1)
        self.groups = []
        for s, mask in enumerate(masks):
            in_group = inverse.reshape(-1) == s
            max_score = int((self.K[mask] - 1).sum())
            self.groups.append((np.flatnonzero(mask), np.bincount(raw[in_group], minlength=max_score + 1).astype(float)))

    def polynomials(self, beta: np.ndarray) -> list[np.ndarray]:
        return [np.concatenate([[1.0], np.exp(beta[self.offsets[i] : self.offsets[i + 1]])]) for i in range(len(self.K))]

    def loglik_grad(self, beta: np.ndarray) -> tuple[float, np.ndarray]:
        polys = self.polynomials(beta)
        ll = float(self.category_counts @ beta)
        grad = self.category_counts.copy()
        for answered, n_r in self.groups:
            gamma = _product([polys[i] for i in answered])
            used = n_r > 0
            ll -= float(n_r[used] @ np.log(gamma[used]))
            ratio = np.where(used, n_r / np.where(gamma > 0, gamma, 1.0), 0.0)
            for i in answered:
                rest = _product([polys[j] for j in answered if j != i])
                for h in range(1, self.K[i]):
                    # d log gamma_r / d beta_ih = exp(beta_ih) gamma^(-i)_{r-h} / gamma_r
                    grad[self.offsets[i] + h - 1] -= polys[i][h] * (ratio[h : h + len(rest)] @ rest)
        return ll, grad


def _product(polys: list[np.ndarray]) -> np.ndarray:
    out = np.ones(1)
    for p in polys:
        out = np.convolve(out, p)
    return out


def _category_moments(beta_items: list[np.ndarray], theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum over items of E(X_i | theta) and Var(X_i | theta)."""
    mean = np.zeros_like(theta)
    var = np.zeros_like(theta)
    for b in beta_items:
        h = np.arange(len(b) + 1)
        logits = h[:, None] * theta[None, :] + np.concatenate([[0.0], b])[:, None]
        p = np.exp(logits - logits.max(axis=0))
        p /= p.sum(axis=0)
        m = h @ p
        mean += m
        var += (h * h) @ p - m * m
    return mean, var


def person_parameters(codes: np.ndarray, n_categories: np.ndarray, beta_items: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """ML theta and SE for each row of ``codes`` (NaN for extreme raw scores), by Newton."""
    answered = codes >= 0
    raw = np.where(answered, codes, 0).sum(axis=1)
    keys = np.column_stack([answered, raw])
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    theta = np.full(len(unique), np.nan)
    se = np.full(len(unique), np.nan)
    for u, key in enumerate(unique):
        mask, r = key[:-1].astype(bool), key[-1]
        max_score = int((n_categories[mask] - 1).sum())
        if r <= 0 or r >= max_score:
            continue
        b = [beta_items[i] for i in np.flatnonzero(mask)]
        t = np.log(r / (max_score - r))
        for _ in range(100):
            m, v = _category_moments(b, np.array([t]))
            step = (r - m[0]) / v[0]
            t += float(np.clip(step, -2.0, 2.0))
            if abs(step) < 1e-12:
                break
        theta[u] = t
        se[u] = 1.0 / np.sqrt(_category_moments(b, np.array([t]))[1][0])
    inverse = inverse.reshape(-1)
    return theta[inverse], se[inverse]


def fit_pcm(frame: pd.DataFrame, *, min_respondents: int = MIN_RESPONDENTS) -> PCMFit:
    """Fit the partial credit model by CML to the item columns of ``frame`` (NaN = missing)."""
    frame = pd.DataFrame(frame)
    coded = code_items(frame, min_respondents=min_respondents)
    K = coded.n_categories
    model = _Conditional(coded.codes, K)
    n = model.n_beta

    def expand(v):
        return np.concatenate([[-v.sum()], v])

    def objective(v):
        ll, g = model.loglik_grad(expand(v))
        return -ll / len(coded.codes), -(g[1:] - g[0]) / len(coded.codes)

    def free_gradient(v):
        _, g = model.loglik_grad(expand(v))
        return g[1:] - g[0]

    res = optimize.minimize(objective, np.zeros(n - 1), jac=True, method="BFGS", options={"gtol": 1e-9, "maxiter": 1000})
    v = res.x
    hess = _hessian(free_gradient, v)
    for _ in range(3):  # Newton polish: the conditional likelihood is concave
        v = v - np.linalg.solve(hess, free_gradient(v))
        hess = _hessian(free_gradient, v)
    beta = expand(v)
    ll, grad = model.loglik_grad(beta)
    cov_v = np.linalg.inv(-hess)
    W = np.vstack([-np.ones(n - 1), np.eye(n - 1)])  # beta = W v
    cov_beta = W @ cov_v @ W.T
    rows, locations = [], []
    for i, item in enumerate(coded.items):
        idx = np.arange(model.offsets[i], model.offsets[i + 1])
        b = beta[idx]
        prev = np.concatenate([[0.0], b[:-1]])
        thresholds = prev - b
        T = np.zeros((len(idx), n))  # tau_h = beta_{h-1} - beta_h
        for h, col in enumerate(idx):
            T[h, col] = -1.0
            if h > 0:
                T[h, idx[h - 1]] = 1.0
        cov_t = T @ cov_beta @ T.T
        loc_vec = T.mean(axis=0)
        for h in range(len(idx)):
            rows.append([item, h + 1, b[h], np.sqrt(cov_beta[idx[h], idx[h]]), thresholds[h], np.sqrt(cov_t[h, h])])
        locations.append([item, thresholds.mean(), np.sqrt(loc_vec @ cov_beta @ loc_vec)])
    beta_items = [beta[model.offsets[i] : model.offsets[i + 1]] for i in range(len(K))]
    theta, se = person_parameters(coded.codes, K, beta_items)
    info = pd.DataFrame({item: _category_moments([beta_items[i]], INFO_GRID)[1] for i, item in enumerate(coded.items)}, index=INFO_GRID)
    info["test"] = info.sum(axis=1)
    info.index.name = "theta"
    converged = bool(np.max(np.abs(grad[1:] - grad[0])) < 1e-6 * len(coded.codes))
    warnings = list(coded.warnings)
    if not converged:
        warnings.append(Coded("the CML fit did not converge; estimates are unreliable", "pcm_no_convergence"))
    answered = coded.codes >= 0
    max_scores = (answered * (K - 1)).sum(axis=1)
    raw = np.where(answered, coded.codes, 0).sum(axis=1)
    return PCMFit(
        items=coded.items,
        categories={item: coded.levels[j].tolist() for j, item in enumerate(coded.items)},
        parameters=pd.DataFrame(rows, columns=["item", "category", "beta", "se_beta", "threshold", "se_threshold"]),
        locations=pd.DataFrame(locations, columns=["item", "location", "se_location"]).set_index("item"),
        loglik=ll,
        n_params=n - 1,
        n_obs=len(coded.codes),
        n_extreme=int(((raw == 0) | (raw == max_scores)).sum()),
        converged=converged,
        iterations=int(res.nit),
        persons=pd.DataFrame({"theta": theta, "se": se}, index=coded.rows),
        information=info,
        dropped=coded.dropped,
        warnings=warnings,
    )


def _hessian(grad, x: np.ndarray, step: float = 1e-5) -> np.ndarray:
    n = len(x)
    h = np.empty((n, n))
    for i in range(n):
        e = np.zeros(n)
        e[i] = step
        h[i] = (grad(x + e) - grad(x - e)) / (2 * step)
    return 0.5 * (h + h.T)
