"""The engine's former exact subspaces of Q^k, in :class:`fractions.Fraction` (reference oracle).

Until December 2026 the suppression audit kept reduced row-echelon bases of Fractions (this
code, unchanged but for the names). The engine now uses exact integer arithmetic
(:mod:`scoring.privacy.intspace`); ``tests/privacy/test_exact_arithmetic.py`` checks that both
give the same subspaces, intersections, complements and memberships.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from functools import lru_cache


class FractionSpace:
    """A subspace of Q^k, kept as its reduced row-echelon basis of Fractions.

    Instances are immutable and canonical (equal subspaces have equal bases), so the
    operations are memoised: a tree of thousands of units meets only a handful of distinct
    subspaces.
    """

    __slots__ = ("k", "rows", "_hash")

    def __init__(self, k: int, rows: Iterable[Sequence] = ()):
        self.k = k
        self.rows = tuple(tuple(r) for r in _rref([list(map(Fraction, r)) for r in rows], k))
        self._hash = hash((k, self.rows))

    def __eq__(self, other) -> bool:
        return isinstance(other, FractionSpace) and self.k == other.k and self.rows == other.rows

    def __hash__(self) -> int:
        return self._hash

    @classmethod
    def full(cls, k: int) -> "FractionSpace":
        return _full(k)

    def __add__(self, other: "FractionSpace") -> "FractionSpace":
        return _plus(self, other)

    def __and__(self, other: "FractionSpace") -> "FractionSpace":
        return _meet(self, other)

    def perp(self) -> "FractionSpace":
        return _perp(self)

    def contains(self, vec: Sequence) -> bool:
        return _contains(self, tuple(vec))

    @property
    def dim(self) -> int:
        return len(self.rows)


@lru_cache(maxsize=None)
def _full(k: int) -> FractionSpace:
    return FractionSpace(k, [[int(i == j) for j in range(k)] for i in range(k)])


@lru_cache(maxsize=1 << 16)
def _plus(a: FractionSpace, b: FractionSpace) -> FractionSpace:
    if a.dim == 0 or a == b:
        return b
    if b.dim == 0:
        return a
    return FractionSpace(a.k, a.rows + b.rows)


@lru_cache(maxsize=1 << 16)
def _perp(a: FractionSpace) -> FractionSpace:
    """The orthogonal complement: the null space of the basis."""
    pivots = [next(j for j, v in enumerate(r) if v != 0) for r in a.rows]
    basis = []
    for f in (j for j in range(a.k) if j not in pivots):
        vec = [Fraction(0)] * a.k
        vec[f] = Fraction(1)
        for r, p in zip(a.rows, pivots):
            vec[p] = -r[f]
        basis.append(vec)
    return FractionSpace(a.k, basis)


@lru_cache(maxsize=1 << 16)
def _meet(a: FractionSpace, b: FractionSpace) -> FractionSpace:
    """Intersection: (a-perp + b-perp)-perp, valid over any field."""
    if a == b or b.dim == b.k:
        return a
    if a.dim == a.k:
        return b
    return _perp(_plus(_perp(a), _perp(b)))


@lru_cache(maxsize=1 << 16)
def _contains(a: FractionSpace, vec: tuple) -> bool:
    return len(_rref([list(r) for r in a.rows] + [list(map(Fraction, vec))], a.k)) == a.dim


@lru_cache(maxsize=1 << 12)
def _span(k: int, rows: frozenset) -> FractionSpace:
    return FractionSpace(k, sorted(rows))


def _rref(rows: list[list[Fraction]], k: int) -> list[list[Fraction]]:
    rows = [r[:] for r in rows]
    out: list[list[Fraction]] = []
    for col in range(k):
        pivot = next((r for r in rows if r[col] != 0), None)
        if pivot is None:
            continue
        rows.remove(pivot)
        inv = 1 / pivot[col]
        pivot = [v * inv for v in pivot]
        rows = [[a - r[col] * b for a, b in zip(r, pivot)] if r[col] != 0 else r for r in rows]
        out = [[a - r[col] * b for a, b in zip(r, pivot)] if r[col] != 0 else r for r in out]
        out.append(pivot)
    out.sort(key=lambda r: next(j for j, v in enumerate(r) if v != 0))
    return out


