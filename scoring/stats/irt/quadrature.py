"""The fixed quadrature every IRT fit here integrates over.

mirt's default for one factor (``quadpts = 61``, ``theta_lim = c(-6, 6)``): 61 equally spaced
nodes theta_q on [-6, 6] with weights w_q = phi((theta_q - mu) / sigma) / sum_q' phi(...), the
normal density renormalised on the grid (a rectangular rule, not Gauss-Hermite). Using the same
nodes and weights as mirt is what makes the marginal log-likelihood agree with ``logLik()`` to
1e-3 rather than to the quadrature error.
"""

from __future__ import annotations

import numpy as np

N_NODES = 61
THETA_LIMIT = 6.0


def nodes(n: int = N_NODES, limit: float = THETA_LIMIT) -> np.ndarray:
    """Equally spaced nodes on [-limit, limit]."""
    return np.linspace(-limit, limit, n)


def log_weights(theta: np.ndarray, mean: float = 0.0, sd: float = 1.0) -> np.ndarray:
    """log w_q of N(mean, sd^2) renormalised on the grid ``theta`` (sum_q w_q = 1)."""
    z = (theta - mean) / sd
    log_density = -0.5 * z * z
    return log_density - np.logaddexp.reduce(log_density)
