"""Exact subspaces of Q^k in integer arithmetic, vectorised with NumPy.

The suppression engine's audit (:mod:`scoring.privacy.suppression`) works with subspaces of
Q^k (k = number of stratum classes): sums, intersections, orthogonal complements and membership
tests. It used to keep reduced row-echelon bases of :class:`fractions.Fraction`; this module keeps
the same canonical basis in integers and does the elimination on whole rows at a time.

Canonical form
--------------
The reduced row-echelon form (RREF) of a rational row space is unique. Each RREF row, multiplied
by the least common multiple of its denominators, becomes a *primitive* integer row (entries
without a common divisor) with a positive pivot; that scaling is unique too. So the basis kept
here — primitive integer rows, positive pivots, zeros in every other row's pivot column, rows in
pivot order — is canonical: equal subspaces have equal bases (and equal hashes).

Elimination is fraction-free Gauss-Jordan (Bareiss-style cross-multiplication, then division by
each row's content): row_j <- (d / g) * row_j - (a_j / g) * pivot_row, with d the pivot entry,
a_j the entry of row j in the pivot column and g = gcd(d, a_j). Every step is an invertible
rational row operation, so the row space over Q never changes; nothing is rounded. NumPy int64
is used while every product provably stays below 2**62 (checked before each step); otherwise the
same code runs on Python integers (object arrays), which cannot overflow. So the results are the
exact rational ones, not results modulo a prime (see docs/privacy.md, "Exact arithmetic").

Membership: with pivots c_i and pivot entries d_i > 0 of the basis rows B_i and L = lcm(d_i),
x lies in the row space iff L * x == sum_i x[c_i] * (L / d_i) * B_i (the RREF expansion,
multiplied through by L), tested for many vectors with one matrix product.

Complement: the null space of the basis (x . B_i = 0 for all i) has, for each free column f, the
vector with L at f and -(L / d_i) * B_i[f] at c_i.

Reference: Bareiss, E. H. (1968), "Sylvester's identity and multistep integer-preserving
Gaussian elimination", Math. Comp. 22, 565-578; Cohen, H. (1993), *A Course in Computational
Algebraic Number Theory*, 2.3 (kernel and image over Z).
"""

from __future__ import annotations

import math

import numpy as np

_LIMIT = 1 << 62  # |products and sums| below this fit in int64


class _Overflow(Exception):
    pass


def _max_abs(a: np.ndarray) -> int:
    return int(np.abs(a).max()) if a.size else 0


def _content(rows: np.ndarray) -> np.ndarray:
    """Per row: the gcd of its entries (1 for a zero row)."""
    if rows.dtype == object:
        g = np.array([math.gcd(*map(int, r)) if len(r) else 0 for r in rows], dtype=object)
    else:
        g = np.gcd.reduce(rows, axis=1)
    g[g == 0] = 1
    return g


def _eliminate(a: np.ndarray) -> np.ndarray:
    """Canonical basis (module docstring) of the rows of ``a``; raises _Overflow in int64."""
    exact = a.dtype == object
    n_rows, k = a.shape
    r = 0
    for c in range(k):
        if r == n_rows:
            break
        nz = r + np.flatnonzero(a[r:, c])
        if nz.size == 0:
            continue
        j = int(nz[np.argmin(np.abs(a[nz, c]))])  # the smallest pivot keeps the numbers small
        if j != r:
            a[[r, j]] = a[[j, r]]
        pivot = a[r].copy()
        if pivot[c] < 0:
            pivot = -pivot
        pivot = pivot // _content(pivot[None, :])[0]
        a[r] = pivot
        col = a[:, c].copy()
        col[r] = 0
        hit = np.flatnonzero(col)
        if hit.size:
            d = pivot[c]
            g = np.gcd(col[hit], d) if not exact else np.array([math.gcd(int(x), int(d)) for x in col[hit]], dtype=object)
            left, right = d // g, col[hit] // g
            if not exact:
                bound = int(np.abs(left).max()) * _max_abs(a[hit]) + int(np.abs(right).max()) * _max_abs(pivot)
                if bound >= _LIMIT:
                    raise _Overflow
            rows = left[:, None] * a[hit] - right[:, None] * pivot[None, :]
            a[hit] = rows // _content(rows)[:, None]
        r += 1
    basis = a[:r]
    order = np.argsort([int(np.flatnonzero(row)[0]) for row in basis], kind="stable") if r else np.zeros(0, dtype=int)
    return basis[order]


def canonical(rows, k: int) -> np.ndarray:
    """The canonical integer basis of the row space of ``rows`` (integers, shape m x k)."""
    a = np.asarray(rows)
    if a.size == 0:
        return np.zeros((0, k), dtype=np.int64)
    a = a.reshape(-1, k)
    if a.dtype != object:
        try:
            return _eliminate(a.astype(np.int64, copy=True))
        except _Overflow:
            pass
    return _small(_eliminate(np.array([[int(x) for x in row] for row in a], dtype=object)))


def _small(basis: np.ndarray) -> np.ndarray:
    """Back to int64 where every entry fits (so that keys and products stay fast)."""
    if basis.dtype == object and (basis.size == 0 or _max_abs(basis) < _LIMIT):
        return basis.astype(np.int64)
    return basis


def pivots(basis: np.ndarray) -> np.ndarray:
    return np.array([int(np.flatnonzero(row)[0]) for row in basis], dtype=int)


def _scaled(basis: np.ndarray) -> tuple[int, np.ndarray]:
    """(L, W) with L = lcm of the pivot entries and W_i = (L / d_i) * B_i, in Python integers."""
    piv = pivots(basis)
    d = [int(basis[i, c]) for i, c in enumerate(piv)]
    lcm = math.lcm(*d) if d else 1
    factors = np.array([lcm // x for x in d], dtype=object)
    return lcm, factors[:, None] * basis.astype(object)


def contains(basis: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """For each row of ``vectors``: does it lie in the row space of the canonical ``basis``?"""
    x = np.asarray(vectors)
    single = x.ndim == 1
    x = x.reshape(-1, basis.shape[1])
    if basis.shape[0] == 0:
        out = ~x.astype(bool).any(axis=1)
        return out[0] if single else out
    lcm, w = _scaled(basis)
    piv = pivots(basis)
    bound = _max_abs(x) * (lcm + sum(_max_abs(row) for row in w)) if x.size else 0
    if bound < _LIMIT and x.dtype != object:
        xi = x.astype(np.int64)
        diff = lcm * xi - xi[:, piv] @ w.astype(np.int64)
    else:
        xo = x.astype(object)
        diff = lcm * xo - xo[:, piv].dot(w)
    out = ~diff.astype(bool).any(axis=1)
    return out[0] if single else out


def complement(basis: np.ndarray, k: int) -> np.ndarray:
    """The canonical basis of the orthogonal complement (the null space of ``basis``)."""
    piv = pivots(basis)
    free = np.setdiff1d(np.arange(k), piv)
    if free.size == 0:
        return np.zeros((0, k), dtype=np.int64)
    if basis.shape[0] == 0:
        return np.eye(k, dtype=np.int64)
    lcm, w = _scaled(basis)
    null = np.zeros((free.size, k), dtype=object)
    null[np.arange(free.size), free] = lcm
    null[:, piv] = -(w[:, free].T)
    if _max_abs(null) < _LIMIT:
        null = null.astype(np.int64)
    return canonical(null, k)
