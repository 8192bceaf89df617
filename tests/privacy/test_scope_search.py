"""The manager's cut searches with an incremental modular space (scope._choose, linalg.GrowingSpace)
and confirms its answer with the certified test. These tests hold the fast search to the slow,
certified one it replaced: same space, same kept and withheld cells, and the certified test
has the last word when the fast answer is wrong."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.privacy import scope
from scoring.privacy.linalg import GrowingSpace, RowSpace
from tests.privacy.fraction_space import FractionSpace


def rows_of(data, m: int, width: int) -> np.ndarray:
    return np.array([[data.draw(st.integers(0, 1)) for _ in range(width)] for _ in range(m)], dtype=np.int64).reshape(m, width)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 6), st.integers(0, 7), st.data())
def test_a_growing_space_follows_exactly_the_targets_that_the_rational_space_holds(width, m, data):
    rows = rows_of(data, m, width)
    targets = np.array(list(itertools.product((0, 1), repeat=width)), dtype=np.int64)
    space = GrowingSpace(np.zeros((0, width), dtype=np.int64), targets, width)
    for i in range(m):
        expected_after = sum(FractionSpace(width, rows[: i + 1].tolist()).contains(list(t)) for t in targets)
        assert space.followed_with(rows[i]) == expected_after  # asked before adding ...
        space.add(rows[i])
        assert space.followed() == expected_after  # ... and the same once added
        still = ~space.residue.any(axis=1)
        assert still.tolist() == RowSpace(rows[: i + 1], width=width).contains(targets).tolist()


def drawn_problem(data, width: int, glob: list, n_targets: int):
    """(targets, none of them empty; a tier per global cell; the cells ranked by tier; their rows
    in that order), or None when every target drawn was empty."""
    targets = rows_of(data, n_targets, width)
    targets = targets[targets.any(axis=1)]
    if len(targets) == 0:
        return None
    tiers = {f"g{i:02d}": data.draw(st.integers(0, 2)) for i in range(len(glob))}
    ranked = sorted(tiers, key=lambda g: (tiers[g], g))
    return targets, tiers, ranked, [glob[int(g[1:])] for g in ranked]


def certified_choice(own, rows, targets, value, ranked):
    by = dict(zip(ranked, rows))

    def safe(keep):
        return scope._leaks(own, [by[k] for k in keep], targets) == 0

    return scope._choose_certified(ranked, safe, value)


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 7), st.integers(0, 4), st.integers(1, 7), st.integers(1, 4), st.data())
def test_the_incremental_search_keeps_and_withholds_what_the_certified_search_does(width, n_own, n_glob, n_targets, data):
    own = list(rows_of(data, n_own, width))
    glob = list(rows_of(data, n_glob, width))
    problem = drawn_problem(data, width, glob, n_targets)
    if problem is None:
        return
    targets, tiers, ranked, rows = problem

    def value(g):
        return tiers[g]

    fast = scope._choose(own, rows, targets, value, ranked)
    slow = certified_choice(own, rows, targets, value, ranked)
    assert fast == slow
    kept = dict(zip(ranked, rows))
    assert scope._leaks(own, [kept[g] for g in fast[0]], targets) == 0 or fast[0] == []


def test_the_certified_test_decides_when_the_fast_answer_leaks(monkeypatch):
    # Own cell a+b, global cells a and b; target: a alone (a unit outside the scope). Publishing
    # a leaks a; publishing b leaks a = (a+b) - b. A fast search that wrongly keeps both (as a
    # prime losing rank could) is overruled by the certified test.
    own = [np.array([1, 1])]
    glob = {("compare", "s", None, "*"): np.array([1, 0]), ("compare", "s", None, "type:x"): np.array([0, 1])}
    targets = np.array([[1, 0]])
    ranked = sorted(glob, key=str)
    rows = [glob[k] for k in ranked]
    monkeypatch.setattr(scope, "_choose", lambda own_, rows_, targets_, value, ranked_, ids=None: (list(ranked_), []))

    def safe(keep):
        return scope._leaks(own, [glob[k] for k in keep], targets) == 0

    kept, withheld = scope._decide(own, rows, targets, lambda g: 0, ranked, safe)
    assert kept == [] and withheld == ranked
    monkeypatch.undo()
    assert scope._decide(own, rows, targets, lambda g: 0, ranked, safe) == ([], ranked), "the fast search agrees"


@settings(max_examples=120, deadline=None)
@given(st.integers(2, 6), st.integers(0, 3), st.integers(1, 4), st.integers(2, 12), st.integers(1, 4), st.data())
def test_repeated_cells_are_tried_once_and_decided_as_the_certified_search_decides(width, n_own, n_pool, n_glob, n_targets, data):
    # A national manager's organisation and type cells repeat a few hundred distinct rows
    # thousands of times; the search numbers equal rows alike and skips a repeat of a row in the
    # space. Drawing the global cells from a small pool makes repeats the rule, not the exception.
    own = list(rows_of(data, n_own, width))
    pool = rows_of(data, n_pool, width)
    glob = [pool[data.draw(st.integers(0, n_pool - 1))] for _ in range(n_glob)]
    problem = drawn_problem(data, width, glob, n_targets)
    if problem is None:
        return
    targets, tiers, ranked, rows = problem
    fast = scope._choose(own, rows, targets, tiers.get, ranked)
    assert fast == certified_choice(own, rows, targets, tiers.get, ranked)
    ids = scope._row_classes(np.array(rows))[1].tolist()
    assert scope._choose(own, rows, targets, tiers.get, ranked, ids) == fast


def column_classes(rows: np.ndarray) -> list[list[int]]:
    """The atoms by definition: columns that are equal as tuples, grouped, in order of first column."""
    classes: dict[tuple, list[int]] = {}
    for c in range(rows.shape[1]):
        classes.setdefault(tuple(rows[:, c].tolist()), []).append(c)
    return sorted(classes.values())


def test_atoms_of_many_repeated_rows_are_the_atoms_by_definition_numbered_as_without_repeats():
    rng = np.random.default_rng(7)
    for _ in range(30):
        distinct = rng.integers(0, 2, size=(rng.integers(1, 12), rng.integers(1, 40))).astype(bool)
        rows = distinct[rng.integers(0, len(distinct), size=rng.integers(65, 300))]  # > 64 rows: deduplicated first
        atom, first = scope._atoms(rows)
        groups = [np.flatnonzero(atom == a).tolist() for a in range(len(first))]
        assert sorted(groups) == column_classes(rows)
        assert [g[0] for g in groups] == first.tolist()
        # numbered as the packed columns of all rows sort, repeats included (the order before)
        packed = np.packbits(rows, axis=0).T
        keys = [bytes(packed[c]) for c in first]
        assert keys == sorted(keys)


def test_row_classes_agree_for_0_1_rows_as_bits_and_other_rows_as_bytes():
    rng = np.random.default_rng(3)
    rows = rng.integers(0, 2, size=(200, 70))[rng.integers(0, 200, size=500)]
    first, which = scope._row_classes(rows)
    assert (rows[first][which] == rows).all() and len(first) == len({r.tobytes() for r in rows})
    wide = rows * 3  # not 0/1: compared as int64 bytes
    first3, which3 = scope._row_classes(wide)
    assert sorted(first3.tolist()) == sorted(first.tolist()) and (wide[first3][which3] == wide).all()
    assert scope._distinct(rows.astype(bool)).dtype == np.int64


def test_a_target_that_is_a_shown_row_plainly_leaks_and_the_certified_test_agrees():
    own = [np.array([1, 1, 0, 0])]
    glob = [np.array([0, 0, 1, 1]), np.array([1, 1, 1, 1])]
    targets = np.array([[0, 0, 1, 1], [1, 0, 0, 0]])
    assert scope._plainly_leaks(own + glob, targets)
    assert scope._leaks(own, glob, targets) >= 1
    assert not scope._plainly_leaks(own + glob[1:], targets)  # (0,0,1,1) = all - own: follows, but not plainly
    assert scope._leaks(own, glob[1:], targets) == 1


def test_a_row_that_is_a_target_is_refused_without_elimination_and_a_tier_holding_one_is_not_tried_whole():
    # Own a+b; global cells: the organisation a+b+c+d (tier 2), type cells c (tier 1, equal to
    # the target: a unit outside the scope) and c+d (tier 1). Target c. Nothing follows from
    # a+b, c+d and a+b+c+d (their span holds c+d, not c); c itself is refused.
    own = [np.array([1, 1, 0, 0])]
    glob = {("o",): np.array([1, 1, 1, 1]), ("c",): np.array([0, 0, 1, 0]), ("cd",): np.array([0, 0, 1, 1])}
    tiers = {("o",): 2, ("c",): 1, ("cd",): 1}
    targets = np.array([[0, 0, 1, 0]])
    ranked = sorted(glob, key=lambda g: (tiers[g], str(g)))
    rows = [glob[g] for g in ranked]
    ids = scope._row_classes(np.array(rows))[1].tolist()
    assert scope._target_rows(rows, ids, targets) == {ids[ranked.index(("c",))]}
    fast = scope._choose(own, rows, targets, tiers.get, ranked)
    assert fast == certified_choice(own, rows, targets, tiers.get, ranked)
    assert fast == ([("cd",), ("o",)], [("c",)])
