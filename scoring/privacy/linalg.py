"""Exact linear algebra over the integers modulo a prime, for the privacy attacks.

"Which numbers follow from the published ones by adding and subtracting?" is row-space
membership: a group's count follows exactly when its 0/1 vector over the respondents (or over
groups of respondents that every published number treats alike) is a linear combination of the
published numbers' vectors. Published vectors are 0/1, so elimination modulo a large prime p
decides membership as elimination over the rationals does, unless p divides one of the
rational solution's denominators (minors of a 0/1 matrix). :class:`RowSpace` runs the test
modulo two 31-bit primes and reports membership only when both agree: a rational dependency
is missed only if both primes divide such a minor, and a false alarm (a dependency modulo p
that is not rational) errs on the safe side, hiding more.

NumPy int64 holds the products of two residues below 2**31, so the elimination is vectorised.
"""

from __future__ import annotations

import numpy as np

PRIMES = (2_147_483_647, 2_147_483_629)


class _Echelon:
    """Reduced row-echelon basis of a row space modulo one prime."""

    def __init__(self, rows: np.ndarray, p: int):
        self.p = p
        a = np.asarray(rows, dtype=np.int64) % p
        pivots: list[int] = []
        r = 0
        n_rows, n_cols = a.shape
        for c in range(n_cols):
            if r == n_rows:
                break
            nonzero = np.flatnonzero(a[r:, c])
            if nonzero.size == 0:
                continue
            k = r + int(nonzero[0])
            if k != r:
                a[[r, k]] = a[[k, r]]
            inv = pow(int(a[r, c]), p - 2, p)
            a[r] = (a[r] * inv) % p
            col = a[:, c].copy()
            col[r] = 0
            hit = np.flatnonzero(col)
            if hit.size:
                a[hit] = (a[hit] - np.outer(col[hit], a[r]) % p) % p
            pivots.append(c)
            r += 1
        self.rows = a[:r]
        self.pivots = pivots

    def residue(self, vectors: np.ndarray) -> np.ndarray:
        x = np.asarray(vectors, dtype=np.int64) % self.p
        for row, c in zip(self.rows, self.pivots):
            coef = x[:, c].copy()
            hit = np.flatnonzero(coef)
            if hit.size:
                x[hit] = (x[hit] - np.outer(coef[hit], row) % self.p) % self.p
        return x


class RowSpace:
    """The row space of an integer matrix (rows = published vectors), for membership tests."""

    def __init__(self, rows: np.ndarray, width: int | None = None):
        rows = np.asarray(rows, dtype=np.int64)
        if rows.ndim == 1:
            rows = rows.reshape(0, width or 0) if rows.size == 0 else rows[None, :]
        if rows.shape[0] == 0:
            rows = np.zeros((0, width if width is not None else rows.shape[1]), dtype=np.int64)
        self.width = rows.shape[1]
        self._echelons = [_Echelon(rows, p) for p in PRIMES]

    @property
    def rank(self) -> int:
        return len(self._echelons[0].pivots)

    def contains(self, vectors: np.ndarray) -> np.ndarray:
        """For each row of ``vectors``: does it lie in the row space (modulo both primes)?"""
        vectors = np.asarray(vectors, dtype=np.int64)
        single = vectors.ndim == 1
        if single:
            vectors = vectors[None, :]
        if vectors.shape[0] == 0:
            return np.zeros(0, dtype=bool)
        inside = np.ones(vectors.shape[0], dtype=bool)
        for echelon in self._echelons:
            inside &= ~echelon.residue(vectors).any(axis=1)
        return inside[0] if single else inside

    def null_basis(self) -> np.ndarray:
        """Columns spanning {x : r . x = 0 for every row r} modulo the first prime, as a
        (width x d) matrix: a vector lies in the row space iff it is orthogonal to all of them."""
        ech = self._echelons[0]
        p = ech.p
        free = [c for c in range(self.width) if c not in set(ech.pivots)]
        basis = np.zeros((self.width, len(free)), dtype=np.int64)
        for j, f in enumerate(free):
            basis[f, j] = 1
            for row, c in zip(ech.rows, ech.pivots):
                basis[c, j] = (-row[f]) % p
        return basis
