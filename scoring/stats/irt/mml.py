"""Marginal maximum likelihood for graded items, over response patterns and groups.

The marginal log-likelihood of P distinct response patterns x_p with counts n_p, each in group
g(p) with latent density N(mu_g, sigma_g^2) (group 0: N(0, 1), which fixes the scale):

    l = sum_p n_p log sum_q w_{g(p) q} prod_j P_j(x_pj | theta_q)

over the fixed quadrature of :mod:`.quadrature` (61 nodes on [-6, 6], as mirt). A missing
answer contributes the factor 1. The gradient is Fisher's identity (the expected complete-data
score; the E-step of Bock & Aitkin's EM): with posterior weights pi_pq and expected counts
r_jkq = sum_p n_p pi_pq [x_pj = k],

    dl/dz_jkq = W_jkq (r_jkq / P_jkq - r_j,k-1,q / P_j,k-1,q),  z_jkq = a_j theta_q + d_jk,

summed over q for d_jk and weighted by theta_q for a_j. Both are two matrix products of the
(patterns x categories) indicator matrix with (categories x nodes) tables, so one evaluation
costs O(P x sum_j K_j x Q) in BLAS, whatever the number of respondents.

Estimation is direct quasi-Newton (BFGS) on l, with intercepts kept ordered by optimising
d_1 and log(d_k - d_{k+1}) and group standard deviations on the log scale, then Newton steps
with the observed information (central differences of the analytic gradient, as mirt's
``SE.type = "Richardson"`` or ``"forward"`` differentiate the observed log-likelihood). The
standard errors are sqrt(diag(-H^-1)) of that Hessian. mirt instead runs EM to a 1e-4 change
in parameters; both reach the same maximum, ours more tightly.

Reference: Bock, R. D. & Aitkin, M. (1981). Marginal maximum likelihood estimation of item
parameters: application of an EM algorithm. Psychometrika 46, 443-459.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from scoring.stats.irt import graded, quadrature
from scoring.stats.irt.responses import Patterns

_LOG_FLOOR = -700.0  # exp(700) is finite: keeps r / P finite where P underflows


@dataclass(frozen=True)
class Estimates:
    """Natural parameters: per item slope ``a`` and intercepts ``d``; per group mean and sd."""

    a: np.ndarray
    d: list[np.ndarray]
    means: np.ndarray
    sds: np.ndarray


@dataclass(frozen=True)
class MMLFit:
    """A converged (or not) fit: estimates, covariance of the free natural parameters."""

    estimates: Estimates
    loglik: float
    n_params: int
    cov: np.ndarray | None
    converged: bool
    iterations: int
    message: str
    evaluations: int = 0  # likelihood-and-gradient passes, the Hessian's included


class MarginalModel:
    """The marginal likelihood of graded items over grouped response patterns.

    ``free_groups``: groups (other than 0) whose mean and sd are estimated; the others stay
    N(0, 1). The natural parameter vector is, per item, (a, d_1, ..., d_{K-1}), then per free
    group (mean, sd).
    """

    def __init__(self, patterns: Patterns, n_categories, n_groups: int = 1, free_groups=(), theta=None):
        self.theta = quadrature.nodes() if theta is None else np.asarray(theta, dtype=float)
        self.K = np.asarray(n_categories, dtype=int)
        self.offsets = np.concatenate([[0], np.cumsum(self.K)])
        self.n_groups = n_groups
        self.free_groups = tuple(free_groups)
        self.counts = patterns.counts
        self.group = patterns.group
        self.n = float(self.counts.sum())
        codes = patterns.codes
        onehot = np.zeros((len(codes), self.offsets[-1]))
        for j in range(codes.shape[1]):
            answered = codes[:, j] >= 0
            onehot[np.flatnonzero(answered), self.offsets[j] + codes[answered, j]] = 1.0
        self.onehot = onehot
        self.group_onehot = np.zeros((len(codes), n_groups))
        self.group_onehot[np.arange(len(codes)), self.group] = 1.0
        self.group_n = self.counts @ self.group_onehot
        self.n_item_params = int(self.K.sum())
        self.n_params = self.n_item_params + 2 * len(self.free_groups)
        self.evaluations = 0

    # ------------------------------------------------------------------ parameter vectors

    def unpack(self, x: np.ndarray) -> Estimates:
        a, d = np.empty(len(self.K)), []
        pos = 0
        for j, k in enumerate(self.K):
            a[j] = x[pos]
            d.append(np.array(x[pos + 1 : pos + k]))
            pos += k
        means, sds = np.zeros(self.n_groups), np.ones(self.n_groups)
        for g in self.free_groups:
            means[g], sds[g] = x[pos], x[pos + 1]
            pos += 2
        return Estimates(a, d, means, sds)

    def pack(self, est: Estimates) -> np.ndarray:
        parts = [np.concatenate([[est.a[j]], est.d[j]]) for j in range(len(self.K))]
        means = np.resize(np.concatenate([est.means, np.zeros(self.n_groups)]), self.n_groups)
        sds = np.resize(np.concatenate([est.sds, np.ones(self.n_groups)]), self.n_groups)
        parts += [np.array([means[g], sds[g]]) for g in self.free_groups]
        return np.concatenate(parts)

    def _to_free(self, x: np.ndarray) -> np.ndarray:
        """Natural -> unconstrained: d_1, log(d_k - d_{k+1}); log sd."""
        u = x.copy()
        pos = 0
        for k in self.K:
            d = x[pos + 1 : pos + k]
            u[pos + 2 : pos + k] = np.log(d[:-1] - d[1:])
            pos += k
        for _ in self.free_groups:
            u[pos + 1] = np.log(x[pos + 1])
            pos += 2
        return u

    def _from_free(self, u: np.ndarray) -> np.ndarray:
        x = u.copy()
        pos = 0
        for k in self.K:
            if k > 2:
                x[pos + 2 : pos + k] = u[pos + 1] - np.cumsum(np.exp(u[pos + 2 : pos + k]))
            pos += k
        for _ in self.free_groups:
            x[pos + 1] = np.exp(u[pos + 1])
            pos += 2
        return x

    def _grad_to_free(self, u: np.ndarray, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        gu = g.copy()
        pos = 0
        for k in self.K:
            if k > 2:
                gd = g[pos + 1 : pos + k]
                tail = np.cumsum(gd[::-1])[::-1]  # sum_{m >= k} dl/dd_m
                gu[pos + 1] = tail[0]
                gu[pos + 2 : pos + k] = -np.exp(u[pos + 2 : pos + k]) * tail[1:]
            pos += k
        for _ in self.free_groups:
            gu[pos + 1] = g[pos + 1] * x[pos + 1]
            pos += 2
        return gu

    # ------------------------------------------------------------------ likelihood

    def log_weights(self, est: Estimates) -> np.ndarray:
        return np.vstack([quadrature.log_weights(self.theta, est.means[g], est.sds[g]) for g in range(self.n_groups)])

    def log_prob_table(self, est: Estimates) -> np.ndarray:
        table = np.empty((self.offsets[-1], len(self.theta)))
        for j in range(len(self.K)):
            table[self.offsets[j] : self.offsets[j + 1]] = graded.log_probabilities(est.a[j], est.d[j], self.theta)
        return table

    def _joint(self, log_p: np.ndarray, log_w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Posterior weights pi_pq (P x Q, computed in place) and log marginal likelihoods."""
        joint = self.onehot @ log_p
        if self.n_groups == 1:
            joint += log_w[0]
        else:
            joint += log_w[self.group]
        peak = joint.max(axis=1)
        joint -= peak[:, None]
        # exp of anything below -700 is a denormal: numerically zero but ~100x slower downstream
        np.maximum(joint, _LOG_FLOOR, out=joint)
        np.exp(joint, out=joint)
        total = joint.sum(axis=1)
        joint /= total[:, None]
        return joint, peak + np.log(total)

    def posterior(self, est: Estimates) -> tuple[np.ndarray, np.ndarray]:
        """Posterior weights pi_pq (P x Q) and the log marginal likelihood of each pattern."""
        return self._joint(self.log_prob_table(est), self.log_weights(est))

    def loglik(self, x: np.ndarray) -> float:
        _, log_marginal = self.posterior(self.unpack(x))
        return float(self.counts @ log_marginal)

    def loglik_grad(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        """l and dl/dx (natural parameters) by Fisher's identity."""
        self.evaluations += 1
        est = self.unpack(x)
        log_p = self.log_prob_table(est)
        log_w = self.log_weights(est)
        weighted, log_marginal = self._joint(log_p, log_w)
        weighted *= self.counts[:, None]
        r = self.onehot.T @ weighted  # expected counts per category and node
        s = r * np.exp(-np.maximum(log_p, _LOG_FLOOR))
        grad = np.empty(self.n_params)
        pos = 0
        for j, k in enumerate(self.K):
            sj = s[self.offsets[j] : self.offsets[j + 1]]
            gz = graded.boundary_slopes(est.a[j], est.d[j], self.theta) * (sj[1:] - sj[:-1])
            grad[pos] = gz.sum(axis=0) @ self.theta
            grad[pos + 1 : pos + k] = gz.sum(axis=1)
            pos += k
        if self.free_groups:
            node_counts = self.group_onehot.T @ weighted  # (G, Q)
            for g in self.free_groups:
                z = (self.theta - est.means[g]) / est.sds[g]
                w = np.exp(log_w[g])
                grad[pos] = (node_counts[g] @ z - self.group_n[g] * (w @ z)) / est.sds[g]
                grad[pos + 1] = (node_counts[g] @ (z * z) - self.group_n[g] * (w @ (z * z))) / est.sds[g]
                pos += 2
        return float(self.counts @ log_marginal), grad

    def pattern_scores(self, x: np.ndarray) -> np.ndarray:
        """d log L_p / dx for each pattern (P x n_params): the posterior mean of the complete-data
        score. Their cross-product sum_p n_p s_p s_p' is the empirical (XPD) information."""
        est = self.unpack(x)
        post, _ = self.posterior(est)
        scores = np.zeros((len(self.counts), self.n_params))
        pos = 0
        for j, k in enumerate(self.K):
            p = graded.probabilities(est.a[j], est.d[j], self.theta)
            w = graded.boundary_slopes(est.a[j], est.d[j], self.theta)  # (K-1, Q)
            plus = w / np.maximum(p[1:], 1e-300)  # boundary k, answer k
            minus = w / np.maximum(p[:-1], 1e-300)  # boundary k, answer k-1
            x_j = self.onehot[:, self.offsets[j] : self.offsets[j + 1]]
            is_k, is_k_minus = x_j[:, 1:], x_j[:, :-1]
            gd = is_k * (post @ plus.T) - is_k_minus * (post @ minus.T)
            ga = is_k * (post @ (plus * self.theta).T) - is_k_minus * (post @ (minus * self.theta).T)
            scores[:, pos] = ga.sum(axis=1)
            scores[:, pos + 1 : pos + k] = gd
            pos += k
        for g in self.free_groups:
            z = (self.theta - est.means[g]) / est.sds[g]
            w = np.exp(quadrature.log_weights(self.theta, est.means[g], est.sds[g]))
            in_g = (self.group == g).astype(float)
            scores[:, pos] = in_g * (post @ z - w @ z) / est.sds[g]
            scores[:, pos + 1] = in_g * (post @ (z * z) - w @ (z * z)) / est.sds[g]
            pos += 2
        return scores

    def _jacobian(self, u: np.ndarray) -> np.ndarray:
        """dx/du of :meth:`_from_free`."""
        jac = np.eye(len(u))
        pos = 0
        for k in self.K:
            for m in range(2, k):
                jac[pos + m : pos + k, pos + m] = -np.exp(u[pos + m])
            pos += k
        for _ in self.free_groups:
            jac[pos + 1, pos + 1] = np.exp(u[pos + 1])
            pos += 2
        return jac

    # ------------------------------------------------------------------ estimation

    def hessian(self, x: np.ndarray, step: float = 1e-4) -> np.ndarray:
        """Observed-information Hessian of l: central differences of the analytic gradient."""
        n = len(x)
        h = np.empty((n, n))
        for i in range(n):
            e = np.zeros(n)
            e[i] = step * max(1.0, abs(x[i]))
            h[i] = (self.loglik_grad(x + e)[1] - self.loglik_grad(x - e)[1]) / (2 * e[i])
        return 0.5 * (h + h.T)

    def fit(self, start: np.ndarray, *, se: bool = True, gtol: float = 1e-7, max_iter: int = 2000) -> MMLFit:
        """Maximise l from ``start`` (natural parameters); with ``se``, the observed information."""
        u0 = self._to_free(start)
        self.evaluations = 0

        def objective(u):
            x = self._from_free(u)
            ll, g = self.loglik_grad(x)
            if not np.isfinite(ll):
                return np.inf, np.zeros_like(u)
            return -ll / self.n, -self._grad_to_free(u, x, g) / self.n

        # BFGS starts from the inverse empirical information instead of the identity: far fewer
        # iterations, and the same optimum
        options = {"gtol": gtol, "maxiter": max_iter}
        scores = self.pattern_scores(start) @ self._jacobian(u0)
        xpd = scores.T @ (scores * self.counts[:, None]) / self.n
        try:
            hess_inv0 = np.linalg.inv(xpd + 1e-8 * np.eye(len(u0)))
            if np.all(np.isfinite(hess_inv0)) and np.all(np.linalg.eigvalsh(0.5 * (hess_inv0 + hess_inv0.T)) > 0):
                options["hess_inv0"] = 0.5 * (hess_inv0 + hess_inv0.T)
        except np.linalg.LinAlgError:
            pass
        res = optimize.minimize(objective, u0, jac=True, method="BFGS", options=options)
        x = self._from_free(res.x)
        ll = self.loglik(x)
        converged = bool(res.success) or bool(np.max(np.abs(res.jac)) < 1e-5)
        cov = None
        if se:
            x, ll, hess = self._polish(x, ll)
            try:
                cov = np.linalg.inv(-hess)
            except np.linalg.LinAlgError:
                cov = np.full_like(hess, np.nan)
            if not np.all(np.isfinite(cov)) or np.any(np.diag(cov) <= 0):
                converged = False
        return MMLFit(self.unpack(x), ll, self.n_params, cov, converged, int(res.nit), str(res.message), self.evaluations)

    def _polish(self, x: np.ndarray, ll: float, steps: int = 2) -> tuple[np.ndarray, float, np.ndarray]:
        """Newton steps with the numerical Hessian at the BFGS optimum (it barely moves, so the
        Hessian is computed once); returns that Hessian for the standard errors."""
        hess = self.hessian(x)
        for _ in range(steps):
            _, g = self.loglik_grad(x)
            if np.max(np.abs(g)) < 1e-9 * self.n:
                break
            try:
                step = np.linalg.solve(hess, -g)
            except np.linalg.LinAlgError:
                break
            candidate = x + step
            new = self.loglik(candidate) if self._ordered(candidate) else -np.inf
            if not new >= ll:
                break
            x, ll = candidate, new
        return x, ll, hess

    def _ordered(self, x: np.ndarray) -> bool:
        est = self.unpack(x)
        return all(np.all(np.diff(d) < 0) for d in est.d) and all(est.sds[g] > 0 for g in self.free_groups)


def start_values(codes: np.ndarray, n_categories) -> Estimates:
    """a = 1 and d_k from the cumulative proportions: logit P(X >= k) * sqrt(1 + 0.34 a^2)."""
    a, d = [], []
    for j, k in enumerate(n_categories):
        answered = codes[:, j] >= 0
        counts = np.bincount(codes[answered, j], minlength=k).astype(float) + 0.5
        at_least = np.cumsum(counts[::-1])[::-1][1:] / counts.sum()
        a.append(1.0)
        d.append(np.log(at_least / (1 - at_least)) * np.sqrt(1 + 0.34))
    return Estimates(np.array(a), d, np.zeros(1), np.ones(1))
