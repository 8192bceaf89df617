"""Exact subspaces of Q^k with memoised sum, intersection and complement.

Used by the suppression engine's tree audit (:mod:`scoring.privacy.tree_audit`). The arithmetic
is :mod:`scoring.privacy.intspace` (canonical integer bases, exact). The memo caches are bounded
(:func:`clear_caches` empties them after each audit), so that a large round's spaces do not pile
up between audits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from scoring.privacy import intspace


class Space:
    """A subspace of Q^k, kept as its canonical integer basis (:mod:`scoring.privacy.intspace`:
    the reduced row-echelon basis scaled to primitive integer rows; exact, no rounding).

    Instances are immutable and canonical (equal subspaces have equal bases), so the
    operations are memoised: a tree of thousands of units meets only a handful of distinct
    subspaces.
    """

    __slots__ = ("k", "basis", "_key", "_hash")

    def __init__(self, k: int, rows: Iterable[Sequence] | np.ndarray = (), *, basis: np.ndarray | None = None):
        self.k = k
        if basis is None:
            rows = np.asarray(rows if isinstance(rows, np.ndarray) else list(rows))
            basis = intspace.canonical(rows.reshape(-1, k) if rows.size else np.zeros((0, k), dtype=np.int64), k)
        self.basis = basis
        self._key = (k, basis.shape[0], basis.tobytes() if basis.dtype != object else tuple(map(tuple, basis.tolist())))
        self._hash = hash(self._key)

    def __eq__(self, other) -> bool:
        return isinstance(other, Space) and self._key == other._key

    def __hash__(self) -> int:
        return self._hash

    @property
    def rows(self) -> tuple:
        return tuple(tuple(int(x) for x in row) for row in self.basis)

    @classmethod
    def full(cls, k: int) -> "Space":
        return _full(k)

    def __add__(self, other: "Space") -> "Space":
        return _plus(self, other)

    def __and__(self, other: "Space") -> "Space":
        return _meet(self, other)

    def perp(self) -> "Space":
        return _perp(self)

    def contains(self, vec: Sequence) -> bool:
        return bool(intspace.contains(self.basis, np.asarray(vec, dtype=np.int64)))

    def contains_all(self, vectors: np.ndarray) -> np.ndarray:
        """Membership of each row of ``vectors`` (one matrix product for all of them)."""
        return intspace.contains(self.basis, vectors)

    @property
    def dim(self) -> int:
        return self.basis.shape[0]


@lru_cache(maxsize=None)
def _full(k: int) -> Space:
    return Space(k, basis=np.eye(k, dtype=np.int64))


@lru_cache(maxsize=1 << 14)
def _plus(a: Space, b: Space) -> Space:
    if a.dim == 0 or a == b:
        return b
    if b.dim == 0:
        return a
    if a.dim == a.k:
        return a
    if b.dim == b.k:
        return b
    both = np.concatenate([a.basis.astype(object), b.basis.astype(object)]) if object in (a.basis.dtype, b.basis.dtype) \
        else np.concatenate([a.basis, b.basis])
    return Space(a.k, both)


@lru_cache(maxsize=1 << 14)
def _perp(a: Space) -> Space:
    """The orthogonal complement: the null space of the basis."""
    return Space(a.k, basis=intspace.complement(a.basis, a.k))


@lru_cache(maxsize=1 << 14)
def _meet(a: Space, b: Space) -> Space:
    """Intersection: (a-perp + b-perp)-perp, valid over any field."""
    if a == b or b.dim == b.k:
        return a
    if a.dim == a.k:
        return b
    if a.dim == 0 or b.dim == 0:
        return Space(a.k)
    return _perp(_plus(_perp(a), _perp(b)))


def clear_caches() -> None:
    """Forget the memoised operations (each holds its operands' and result's bases)."""
    for cached in (_full, _plus, _perp, _meet):
        cached.cache_clear()
