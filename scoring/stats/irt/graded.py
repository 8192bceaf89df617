"""Samejima's graded response model (2PL when an item has two categories): the item functions.

Slope-intercept form, as mirt's ``itemtype = "graded"`` (and ``"2PL"``) writes it: for item j
with categories 0..K-1, slope a and intercepts d_1 > d_2 > ... > d_{K-1},

    P(X >= k | theta) = P*_k = 1 / (1 + exp(-(a theta + d_k))),  P*_0 = 1, P*_K = 0,
    P(X = k | theta)  = P*_k - P*_{k+1}.

IRT (difficulty) form: b_k = -d_k / a, so P*_k = logistic(a (theta - b_k)) (mirt
``coef(mod, IRTpars = TRUE)``). Item information (Samejima 1969):

    I_j(theta) = sum_k (dP_k/dtheta)^2 / P_k,  dP_k/dtheta = a (W_k - W_{k+1}),  W_k = P*_k (1 - P*_k),

the test information is sum_j I_j(theta) (without the prior, as mirt's ``testinfo``), and the
expected item score is sum_k k P_k(theta) (mirt ``expected.item``, categories from 0).

Reference: Samejima, F. (1969). Estimation of latent ability using a response pattern of graded
scores. Psychometrika Monograph Supplement 17.
"""

from __future__ import annotations

import numpy as np
from scipy import special


def _log_sigmoid(z: np.ndarray) -> np.ndarray:
    return -np.logaddexp(0.0, -z)


def log_probabilities(a: float, d: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """log P(X = k | theta), shape (K, len(theta)), computed without cancellation.

    P*_k - P*_{k+1} = sigma(z_k) sigma(-z_{k+1}) (1 - exp(z_{k+1} - z_k)) for z_k > z_{k+1}.
    """
    z = a * theta[None, :] + np.asarray(d, dtype=float)[:, None]  # (K-1, Q)
    K = z.shape[0] + 1
    out = np.empty((K, len(theta)))
    out[0] = _log_sigmoid(-z[0])
    out[K - 1] = _log_sigmoid(z[K - 2])
    if K > 2:
        upper, lower = z[:-1], z[1:]
        out[1:-1] = _log_sigmoid(upper) + _log_sigmoid(-lower) + np.log(-np.expm1(lower - upper))
    return out


def probabilities(a: float, d: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """P(X = k | theta), shape (K, len(theta))."""
    return np.exp(log_probabilities(a, d, theta))


def boundary_slopes(a: float, d: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """W_k = P*_k (1 - P*_k) for k = 1..K-1, shape (K-1, Q): dP*_k/dz_k."""
    p = special.expit(a * theta[None, :] + np.asarray(d, dtype=float)[:, None])
    return p * (1.0 - p)


def information(a: float, d: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Item information I_j(theta) (Samejima 1969), one value per theta."""
    p = probabilities(a, d, theta)
    w = boundary_slopes(a, d, theta)
    padded = np.vstack([np.zeros((1, len(theta))), w, np.zeros((1, len(theta)))])
    dp = a * (padded[:-1] - padded[1:])
    return np.sum(dp * dp / np.maximum(p, 1e-300), axis=0)


def expected_score(a: float, d: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """E(X | theta) with categories scored 0..K-1."""
    p = probabilities(a, d, theta)
    return np.arange(p.shape[0]) @ p


def score_variance(a: float, d: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Var(X | theta) with categories scored 0..K-1."""
    p = probabilities(a, d, theta)
    k = np.arange(p.shape[0])
    mean = k @ p
    return (k * k) @ p - mean * mean
