"""Factor rotations, ported line by line from R so that results (including the column order and
the point where iteration stops) agree with ``psych::fa``.

- :func:`varimax`: ``stats::varimax`` (Kaiser normalisation on, ``eps = 1e-5``), which psych
  uses for ``rotate = "varimax"``.
- :func:`oblimin`: ``GPArotation::oblimin`` = ``GPFoblq`` with the oblimin criterion (Jennrich
  2002 gradient projection; ``gam = 0`` is quartimin), ``normalize = FALSE``, ``eps = 1e-5``,
  ``maxit = 1000``, started from the identity. psych calls it without normalisation.
- :func:`promax`: psych's ``kaiser(L, rotate = "Promax")``: rows scaled to unit length, psych's
  ``Promax`` (varimax, then target ``L * |L|^(m-1)`` with ``m = 4`` fitted by least squares and
  rescaled so that the factors have unit variance), rows scaled back (Hendrickson & White 1964).

Each function returns a :class:`Rotated` with pattern ``loadings``, factor correlations ``phi``
(``None`` for orthogonal rotations) and ``rotmat`` (psych's ``rot.mat``: unrotated loadings
times ``rotmat`` give the pattern; for GPA rotations ``rotmat = t(solve(Th))``).

References: Jennrich, R. I. (2002). A simple general method for oblique rotation.
Psychometrika 67, 7-19. Bernaards, C. A. & Jennrich, R. I. (2005). Gradient projection
algorithms and software for arbitrary rotation criteria. EPM 65, 676-696.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Rotated:
    loadings: np.ndarray
    phi: np.ndarray | None
    rotmat: np.ndarray
    converged: bool = True


def varimax(loadings: np.ndarray, *, normalize: bool = True, eps: float = 1e-5) -> Rotated:
    """Varimax as ``stats::varimax``: maximise sum over factors of the variance of squared
    (row-normalised) loadings via SVD updates; stop when the criterion grows by less than
    ``eps`` (relative) or after 1000 iterations."""
    x = np.asarray(loadings, dtype=float)
    nc = x.shape[1]
    if nc < 2:
        return Rotated(x.copy(), None, np.eye(nc))
    if normalize:
        sc = np.sqrt(np.sum(x**2, axis=1))
        x = x / sc[:, None]
    p = x.shape[0]
    rot = np.eye(nc)
    d = 0.0
    converged = False
    for _ in range(1000):
        z = x @ rot
        b = x.T @ (z**3 - z * (np.sum(z**2, axis=0) / p))
        u, s, vt = np.linalg.svd(b)
        rot = u @ vt
        d_past, d = d, float(np.sum(s))
        if d < d_past * (1 + eps):
            converged = True
            break
    z = x @ rot
    if normalize:
        z = z * sc[:, None]
    return Rotated(z, None, rot, converged)


def _oblimin_criterion(lam: np.ndarray, gamma: float) -> tuple[float, np.ndarray]:
    """``GPArotation:::vgQ.oblimin``: f = sum(L^2 * X) / 4 with X = L^2 (1 - I) (centred by
    ``gamma / p`` when gamma != 0); gradient L * X."""
    k = lam.shape[1]
    x = (lam**2) @ (1.0 - np.eye(k))
    if gamma != 0:
        p = lam.shape[0]
        x = (np.eye(p) - gamma / p) @ x
    return float(np.sum(lam**2 * x) / 4.0), lam * x


def oblimin(loadings: np.ndarray, *, gamma: float = 0.0, eps: float = 1e-5, maxit: int = 1000) -> Rotated:
    """Oblique oblimin rotation by gradient projection, as ``GPArotation::GPFoblq``.

    Minimises the oblimin criterion of L = A (T')^-1 over T with unit-length columns; the factor
    correlations are Phi = T'T. Stops when the projected gradient norm is below ``eps``.
    """
    a = np.asarray(loadings, dtype=float)
    if a.shape[1] < 2:
        return Rotated(a.copy(), np.eye(a.shape[1]), np.eye(a.shape[1]))
    t = np.eye(a.shape[1])
    alpha = 1.0
    lam = a @ np.linalg.inv(t).T
    f, gq = _oblimin_criterion(lam, gamma)
    g = -(lam.T @ gq @ np.linalg.inv(t)).T
    s = np.inf
    for _ in range(maxit + 1):
        gp = g - t * np.sum(t * g, axis=0)
        s = float(np.sqrt(np.sum(gp**2)))
        if s < eps:
            break
        alpha *= 2
        for _ in range(11):
            x = t - alpha * gp
            t_new = x / np.sqrt(np.sum(x**2, axis=0))
            lam = a @ np.linalg.inv(t_new).T
            f_new, gq_new = _oblimin_criterion(lam, gamma)
            if f - f_new > 0.5 * s**2 * alpha:
                break
            alpha /= 2
        t = t_new
        f = f_new
        g = -(lam.T @ gq_new @ np.linalg.inv(t_new)).T
    return Rotated(lam, t.T @ t, np.linalg.inv(t).T, bool(s < eps))


def _promax_unit_rows(x: np.ndarray, m: float) -> Rotated:
    """psych's ``Promax`` (not normalised)."""
    vm = varimax(x)
    x = vm.loadings
    target = x * np.abs(x) ** (m - 1)
    u = np.linalg.lstsq(x, target, rcond=None)[0]
    utu = u.T @ u
    try:
        d = np.diag(np.linalg.inv(utu))
    except np.linalg.LinAlgError:
        # psych: "Factors are exactly uncorrelated ... An approximation is used"
        w, v = np.linalg.eigh(utu)
        w = np.where(w < np.finfo(float).eps, 100 * np.finfo(float).eps, w)
        uu = (v * w) @ v.T
        np.fill_diagonal(uu, 1.0)
        d = np.diag(np.linalg.inv(uu))
    u = u * np.sqrt(d)
    z = x @ u
    u = vm.rotmat @ u
    ui = np.linalg.inv(u)
    return Rotated(z, ui @ ui.T, u, vm.converged)


def promax(loadings: np.ndarray, *, m: float = 4.0) -> Rotated:
    """Promax with Kaiser normalisation as psych's ``fa(rotate = "promax")``."""
    a = np.asarray(loadings, dtype=float)
    if a.shape[1] < 2:
        return Rotated(a.copy(), np.eye(a.shape[1]), np.eye(a.shape[1]))
    h = np.sqrt(np.sum(a**2, axis=1))
    rotated = _promax_unit_rows(a / h[:, None], m)
    return Rotated(rotated.loadings * h[:, None], rotated.phi, rotated.rotmat, rotated.converged)


def rotate(loadings: np.ndarray, method: str) -> Rotated:
    """Dispatch: ``oblimin``, ``varimax``, ``promax`` or ``none``."""
    if method == "oblimin":
        return oblimin(loadings)
    if method == "varimax":
        return varimax(loadings)
    if method == "promax":
        return promax(loadings)
    if method == "none":
        a = np.asarray(loadings, dtype=float)
        return Rotated(a.copy(), None, np.eye(a.shape[1]))
    raise ValueError(f"unknown rotation {method!r} (use oblimin, varimax, promax or none)")
