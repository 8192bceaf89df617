"""The engine's fast exact arithmetic against slow references.

* :mod:`scoring.privacy.intspace` (integer subspaces of Q^k) against the former
  :class:`fractions.Fraction` implementation (``tests/privacy/fraction_space.py``): same
  canonical bases (up to the row scaling), same sums, intersections, complements, memberships,
  on random small systems, including numbers that overflow int64.
* :class:`scoring.privacy.linalg.RowSpace` (modulo a certified prime) against exact Fraction
  elimination: it never misses a rational membership, also where a prime loses rank.
* The elimination modulo a prime (unit rows first, then column by column) against a plain
  Gauss-Jordan elimination in Python integers: the same reduced row-echelon form.
* The hashed meet-in-the-middle search for small groups against brute force, and the
  vectorised block alignment against the one-view-at-a-time version.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.privacy import intspace
from scoring.privacy.exact import small_groups
from scoring.privacy.linalg import PRIMES, RowSpace, _Echelon, certified
from scoring.privacy.suppression import _aligned_views, _Space
from tests.privacy.fraction_space import FractionSpace

SETTINGS = settings(max_examples=150, deadline=None)


@st.composite
def systems(draw, max_k: int = 6, max_rows: int = 6, values=(-2, -1, 0, 0, 0, 1, 1, 2)):
    k = draw(st.integers(1, max_k))
    m = draw(st.integers(0, max_rows))
    rows = [[draw(st.sampled_from(values)) for _ in range(k)] for _ in range(m)]
    return k, rows


def as_fraction_rows(space: _Space) -> list[list[Fraction]]:
    """The integer canonical basis scaled to pivot 1: the Fraction RREF."""
    out = []
    for row in space.rows:
        pivot = next(x for x in row if x)
        out.append([Fraction(x, pivot) for x in row])
    return out


def same(ours: _Space, theirs: FractionSpace) -> bool:
    return as_fraction_rows(ours) == [list(r) for r in theirs.rows]


@SETTINGS
@given(systems(), systems())
def test_integer_subspaces_agree_with_the_fraction_version(a, b):
    k = a[0]
    rows_b = [row[:k] + [0] * (k - len(row)) for row in b[1]]
    ours_a, ours_b = _Space(k, a[1]), _Space(k, rows_b)
    ref_a, ref_b = FractionSpace(k, a[1]), FractionSpace(k, rows_b)
    assert same(ours_a, ref_a) and same(ours_b, ref_b)
    assert same(ours_a + ours_b, ref_a + ref_b)
    assert same(ours_a & ours_b, ref_a & ref_b)
    assert same(ours_a.perp(), ref_a.perp())
    for vec in itertools.product((-1, 0, 1), repeat=min(k, 4)):
        vec = list(vec) + [1] * (k - len(vec))
        assert ours_a.contains(vec) == ref_a.contains(vec)
        assert bool(ours_a.contains_all(np.array([vec]))[0]) == ref_a.contains(vec)


@SETTINGS
@given(systems(max_k=4, max_rows=4, values=(0, 1, -1, 3_000_000_019, -(2**40) - 1, 2**61 + 5)))
def test_integer_subspaces_fall_back_to_python_integers_without_overflow(system):
    k, rows = system
    assert same(_Space(k, rows), FractionSpace(k, rows))
    a, b = _Space(k, rows), _Space(k, [[1] * k])
    assert same(a & b, FractionSpace(k, rows) & FractionSpace(k, [[1] * k]))


def test_the_canonical_basis_is_primitive_with_positive_pivots():
    basis = intspace.canonical(np.array([[2, 4, 6], [-3, 0, 3]]), 3)
    assert basis.tolist() == [[1, 0, -1], [0, 1, 2]]
    assert intspace.canonical(np.array([[0, -4, 6]]), 3).tolist() == [[0, 2, -3]]


def fraction_contains(rows: list[list[int]], vec: list[int], width: int) -> bool:
    return FractionSpace(width, rows).contains(vec)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 7), st.integers(0, 8), st.data())
def test_the_certified_prime_agrees_with_exact_rational_membership(width, m, data):
    rows = [[data.draw(st.integers(0, 1)) for _ in range(width)] for _ in range(m)]
    space = RowSpace(np.array(rows, dtype=np.int64).reshape(m, width), width=width)
    vectors = np.array(list(itertools.product((0, 1), repeat=width)), dtype=np.int64)
    got = space.contains(vectors)
    want = [fraction_contains(rows, list(v), width) for v in vectors]
    assert got.tolist() == want


def reference_rref(rows: list[list[int]], p: int) -> tuple[list[list[int]], list[int]]:
    """Gauss-Jordan elimination modulo p in Python integers, column by column."""
    a = [[x % p for x in row] for row in rows]
    pivots: list[int] = []
    r = 0
    for c in range(len(a[0]) if a else 0):
        k = next((i for i in range(r, len(a)) if a[i][c]), None)
        if k is None:
            continue
        a[r], a[k] = a[k], a[r]
        inv = pow(a[r][c], p - 2, p)
        a[r] = [x * inv % p for x in a[r]]
        for i in range(len(a)):
            if i != r and a[i][c]:
                f = a[i][c]
                a[i] = [(x - f * y) % p for x, y in zip(a[i], a[r])]
        pivots.append(c)
        r += 1
    return a[:r], pivots


@st.composite
def sparse_systems(draw):
    """Mostly single-entry rows (as published single atoms), some repeated, some rows with a
    few entries and a total; entries may be negative or a multiple of the prime."""
    width = draw(st.integers(1, 12))
    rows = []
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.sampled_from(["unit", "unit", "unit", "few", "total"]))
        row = [0] * width
        if kind == "total":
            row = [1] * width
        else:
            for c in draw(st.lists(st.integers(0, width - 1), min_size=1, max_size=1 if kind == "unit" else 3)):
                row[c] = draw(st.sampled_from([1, 1, 1, 2, -1, -3, PRIMES[0], PRIMES[1] + 1]))
        rows.append(row)
    return width, rows


@settings(max_examples=300, deadline=None)
@given(sparse_systems(), st.sampled_from(PRIMES))
def test_unit_rows_first_give_the_reduced_echelon_form_of_plain_elimination(system, p):
    """The reduced row-echelon form is unique: taking the single-entry rows first (and the rows
    left with one entry once their columns are cleared) must give plain elimination's rows and
    pivots exactly, for any system."""
    width, rows = system
    ours = _Echelon(np.array(rows, dtype=np.int64).reshape(len(rows), width), p)
    want, pivots = reference_rref(rows, p)
    assert ours.pivots == pivots
    assert ours.rows.tolist() == want


def test_membership_by_the_null_space_equals_membership_by_the_basis():
    """A national unit table's shape (single atoms and their total, rank far above the null
    space's dimension): contains() tests against the null space; the answers equal the residue
    against the reduced basis, for vectors inside and outside the space."""
    rng = np.random.default_rng(3)
    width = 300
    atoms = rng.choice(width, size=250, replace=False)
    rows = np.zeros((251, width), dtype=np.int64)
    rows[np.arange(250), atoms] = 1
    rows[250] = 1
    space = RowSpace(rows, width=width)
    assert space.null_basis().shape[1] < space.rank  # the null-space product is the one taken
    vectors = (rng.random((400, width)) < 0.02).astype(np.int64)
    vectors[:50] = rows[rng.choice(251, size=50)] + rows[rng.choice(251, size=50)]  # sums of rows: inside
    rest = np.setdiff1d(np.arange(width), atoms)
    vectors[50:60] = 0
    vectors[50:60, rest[0]] = 1  # one atom no row publishes alone: outside
    got = space.contains(vectors)
    assert got.tolist() == (~space._echelon.residue(vectors).any(axis=1)).tolist()
    assert got[:50].all() and not got[50:60].any()


def test_halves_in_the_null_space_are_lifted_and_the_prime_certified():
    # a+b+d, b+c and a+c: the null space is spanned by (-1/2, -1/2, 1/2, 1); 2a + d follows
    rows = np.array([[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 1, 0]], dtype=np.int64)
    space = RowSpace(rows, width=4)
    assert not space.exact
    assert space.contains(np.array([2, 0, 0, 1]))
    assert not space.contains(np.array([1, 0, 0, 0]))
    # modulo 2 the same rows would miss a = ((a+b) + (a+c) - (b+c)) / 2 in a+b, b+c, a+c
    assert RowSpace(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1]]), width=3).contains(np.array([1, 0, 0]))


def test_a_prime_that_loses_rank_is_not_trusted():
    p, q = PRIMES
    # modulo p the row is zero, so [1] would not follow modulo p; over Q it does
    space = RowSpace(np.array([[p]], dtype=np.int64), width=1)
    assert space.prime == q and space.contains(np.array([1]))
    assert not certified(np.array([[p]], dtype=np.int64), np.array([[1]], dtype=np.int64), p)
    # both primes lose rank: the space is kept in exact integers
    both = RowSpace(np.array([[p * q, 0], [0, 1]], dtype=np.int64), width=2)
    assert both.exact
    assert both.contains(np.array([[1, 0], [0, 1], [1, 1]])).all()
    null = both.null_basis()
    assert null.shape == (2, 0)


def brute_small_groups(rows: np.ndarray, size: np.ndarray, min_n: int) -> list[tuple[int, ...]]:
    width = rows.shape[1]
    small = [j for j in range(width) if 0 < size[j] < min_n]
    found = []
    for r in range(1, min(6, min_n - 1) + 1):
        for combo in itertools.combinations(small, r):
            if size[list(combo)].sum() >= min_n:
                continue
            vec = [int(j in combo) for j in range(width)]
            if fraction_contains(rows.tolist(), vec, width):
                found.append(tuple(combo))
    return sorted(found)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 9), st.integers(1, 10), st.integers(3, 7), st.data())
def test_the_hashed_search_for_small_groups_finds_what_brute_force_finds(width, m, min_n, data):
    rows = np.array([[data.draw(st.integers(0, 1)) for _ in range(width)] for _ in range(m)], dtype=np.int64)
    size = np.array([data.draw(st.integers(0, 4)) for _ in range(width)], dtype=float)
    space = RowSpace(rows, width=width)
    want = brute_small_groups(rows, size, min_n)
    if space.rank == width:  # everything follows: the search names each small atom alone
        want = [g for g in want if len(g) == 1]
    assert small_groups(space, size, min_n) == want


def aligned_one_view(in_b: np.ndarray, blk_w: np.ndarray, has: np.ndarray) -> bool:
    """The former per-view test: is region ``in_b`` a union of view w's blocks?"""
    inside = in_b & has
    if not inside.any():
        return False
    ids = blk_w[inside]
    if (ids < 0).any():
        return False
    return not np.isin(ids, blk_w[~in_b & has]).any()


@pytest.mark.parametrize("seed", range(40))
def test_block_alignment_of_all_views_at_once_equals_view_by_view(seed):
    rng = np.random.default_rng(seed)
    leaves, views, units = int(rng.integers(1, 9)), int(rng.integers(1, 6)), 9
    blk = rng.integers(-1, units, size=(leaves, views))
    has = rng.random((leaves, views)) < 0.7
    in_b = rng.random(leaves) < 0.5
    got = _aligned_views(in_b, blk, has, units)
    assert got.tolist() == [aligned_one_view(in_b, blk[:, w], has[:, w]) for w in range(views)]


@pytest.mark.parametrize("largest", [2, PRIMES[0]])
def test_the_modular_matrix_product_is_exact(largest):
    from scoring.privacy.linalg import matmul_mod

    p = PRIMES[0]
    rng = np.random.default_rng(7)
    a = rng.integers(0, largest, size=(6, 50), dtype=np.int64)
    b = rng.integers(0, p, size=(50, 8), dtype=np.int64)
    want = [[sum(int(x) * int(y) for x, y in zip(row, col)) % p for col in b.T] for row in a]
    assert matmul_mod(a, b, p).tolist() == want


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 9), st.integers(1, 10), st.integers(3, 7), st.data())
def test_a_kept_row_space_and_its_groups_answer_as_a_fresh_one(width, m, min_n, data):
    """:data:`scoring.privacy.exact.KEPT_SPACES` hands back the space and groups of exactly the
    same published rows and small atoms, and computes anew when a row, a size or min_n differs."""
    from unittest import mock

    from scoring.privacy import exact

    rows = np.array([[data.draw(st.integers(0, 1)) for _ in range(width)] for _ in range(m)], dtype=bool)
    size = np.array([data.draw(st.integers(0, 4)) for _ in range(width)], dtype=float)
    kept = exact._Kept()
    with mock.patch.object(exact, "RowSpace", wraps=RowSpace) as built:
        key, space = kept.space(rows, width)
        again_key, again = kept.space(rows.copy(), width)
        assert again is space and again_key == key and built.call_count == 1
        fresh = RowSpace(rows.astype(np.int64), width=width)
        probe = rows[:1].astype(np.int64) if m else np.zeros((0, width), dtype=np.int64)
        assert space.rank == fresh.rank and (space.contains(probe) == fresh.contains(probe)).all()
        other = rows.copy()
        other[0, 0] = not other[0, 0]
        other_key, other_space = kept.space(other, width)
        assert other_key != key and built.call_count == 2
    want = small_groups(fresh, size, min_n)
    with mock.patch.object(exact, "small_groups", wraps=small_groups) as searched:
        assert kept.groups(key, space, size, min_n) == want
        assert kept.groups(key, space, size.copy(), min_n) == want and searched.call_count == 1
        kept.groups(key, space, size, min_n + 1)
        changed = size.copy()
        changed[np.flatnonzero((size > 0) & (size < min_n))[:1]] += 0.5  # another size of a small atom
        kept.groups(key, space, changed, min_n)
        assert searched.call_count == 1 + 1 + (1 if ((size > 0) & (size < min_n)).any() else 0)


def test_the_kept_row_spaces_are_bounded():
    from scoring.privacy import exact

    kept = exact._Kept()
    keys = [kept.space(np.eye(4, dtype=bool)[:k + 1], 4)[0] for k in range(exact.KEPT + 2)]
    assert len(kept._spaces) == exact.KEPT and keys[0] not in kept._spaces and keys[-1] in kept._spaces
