"""Modification indices of a single-group CFA fitted by ML (R ``lavaan::modindices``).

A modification index is the score (Lagrange multiplier) test of freeing one parameter that the
model fixes at zero: the expected drop of the model chi-square if that parameter alone were
freed (Sörbom 1989). For the model Sigma = Lambda Phi Lambda' + Theta with per-observation
log-likelihood gradient g and expected information I (both over the free parameters f and the
candidate c),

    g_k    = 1/2 tr(W (S - Sigma) W dSigma/dk),        W = Sigma^-1, S = sample covariance (divisor N)
    I_kl   = 1/2 tr(W dSigma/dk W dSigma/dl)
    V_c    = I_cc - I_cf I_ff^-1 I_fc
    MI_c   = N g_c^2 / V_c,         EPC_c = g_c / V_c

which is lavaan's ``modindices(fit)`` for ``estimator = "ML"`` with complete data (its default
expected information and ``likelihood = "normal"``). Candidates: every cross-loading
(``factor =~ item`` not in the model) and every residual covariance between two items
(``item ~~ item``) not in the model. ``sepc_all`` is lavaan's ``sepc.all``: for a loading the
EPC with standardized items and factors, for a residual covariance the EPC as a residual
correlation (divided by the two residual SDs).

Reference: Sörbom, D. (1989). Model modification. Psychometrika 54, 371-384.
Checked against lavaan in ``tests/reference/validation`` (``modindices.R``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _model_matrices(parameters: pd.DataFrame, items: list[str]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """(factors, Lambda, Phi, Theta) from a lavaan-style parameter table (lhs, op, rhs, est)."""
    load = parameters[parameters["op"] == "=~"]
    factors = list(dict.fromkeys(load["lhs"]))
    fi, ii = {f: k for k, f in enumerate(factors)}, {v: k for k, v in enumerate(items)}
    lam = np.zeros((len(items), len(factors)))
    lam[load["rhs"].map(ii).to_numpy(), load["lhs"].map(fi).to_numpy()] = load["est"].to_numpy(dtype=float)
    phi, theta = np.zeros((len(factors),) * 2), np.zeros((len(items),) * 2)
    for lhs, rhs, est in parameters.loc[parameters["op"] == "~~", ["lhs", "rhs", "est"]].itertuples(index=False):  # a few dozen rows
        if lhs in fi:
            phi[fi[lhs], fi[rhs]] = phi[fi[rhs], fi[lhs]] = est
        else:
            theta[ii[lhs], ii[rhs]] = theta[ii[rhs], ii[lhs]] = est
    return factors, lam, phi, theta


def _derivatives(kinds: list[tuple[str, int, int]], lam: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """dSigma/dk for each parameter k = (kind, a, b): loading (item a, factor b), factor
    covariance (a, b) or residual covariance (a, b); shape (q, p, p)."""
    p = lam.shape[0]
    out = np.zeros((len(kinds), p, p))
    lam_phi = lam @ phi
    for k, (kind, a, b) in enumerate(kinds):  # one small matrix per parameter
        if kind == "load":
            out[k, a, :] += lam_phi[:, b]
            out[k, :, a] += lam_phi[:, b]
        elif kind == "phi":
            block = np.outer(lam[:, a], lam[:, b])
            out[k] = block + block.T if a != b else block
        else:
            out[k, a, b] = out[k, b, a] = 1.0
    return out


def modification_indices(parameters: pd.DataFrame, sample_cov: np.ndarray, n: int, items: list[str]) -> pd.DataFrame:
    """Modification indices of the fixed-at-zero loadings and residual covariances (module docstring).

    ``parameters``: the single-group ML fit's table (:attr:`scoring.stats.cfa.estimate.CfaResult.parameters`:
    ``lhs``, ``op``, ``rhs``, ``free``, ``est``); ``sample_cov``: the items' covariance matrix with
    divisor N, in the order of ``items``; ``n``: the number of observations.
    Returns ``lhs, op, rhs, mi, epc, sepc_all`` sorted by ``mi``, largest first.
    """
    factors, lam, phi, theta = _model_matrices(parameters, items)
    fi, ii = {f: k for k, f in enumerate(factors)}, {v: k for k, v in enumerate(items)}
    free = parameters[parameters["free"].astype(bool)]
    kinds: list[tuple[str, int, int]] = []
    for lhs, op, rhs in free[["lhs", "op", "rhs"]].itertuples(index=False):
        if op == "=~":
            kinds.append(("load", ii[rhs], fi[lhs]))
        elif lhs in fi:
            kinds.append(("phi", fi[lhs], fi[rhs]))
        else:
            kinds.append(("theta", ii[lhs], ii[rhs]))
    n_free = len(kinds)
    labels = []
    for f, b in fi.items():
        for v, a in ii.items():
            if lam[a, b] == 0 and not ((parameters["op"] == "=~") & (parameters["lhs"] == f) & (parameters["rhs"] == v)).any():
                kinds.append(("load", a, b))
                labels.append((f, "=~", v))
    for a in range(len(items)):
        for b in range(a + 1, len(items)):
            if theta[a, b] == 0:
                kinds.append(("theta", a, b))
                labels.append((items[a], "~~", items[b]))
    sigma = lam @ phi @ lam.T + theta
    w = np.linalg.inv(sigma)
    d = _derivatives(kinds, lam, phi)
    wdw = np.einsum("ij,kjl,lm->kim", w, d, w)
    info = 0.5 * np.einsum("kij,lji->kl", wdw, d)
    grad = 0.5 * np.einsum("kij,ji->k", wdw, np.asarray(sample_cov) - sigma)
    i_ff, i_cf = info[:n_free, :n_free], info[n_free:, :n_free]
    v = np.diag(info[n_free:, n_free:]) - np.einsum("ij,ij->i", i_cf @ np.linalg.pinv(i_ff), i_cf)
    g = grad[n_free:]
    with np.errstate(divide="ignore", invalid="ignore"):
        mi = n * g**2 / v
        epc = g / v
    sd_items = np.sqrt(np.diag(sigma))
    sd_factors = np.sqrt(np.diag(phi))
    resid = np.sqrt(np.diag(theta))
    scale = np.array([sd_factors[b] / sd_items[a] if kind == "load" else 1 / (resid[a] * resid[b]) for kind, a, b in kinds[n_free:]])
    out = pd.DataFrame(labels, columns=["lhs", "op", "rhs"])
    out["mi"], out["epc"], out["sepc_all"] = mi, epc, epc * scale
    return out.sort_values("mi", ascending=False, kind="stable").reset_index(drop=True)
