"""The tree audit in each unit's own classes finds exactly what the audit in all k classes finds.

The reference is the former audit, word for word but for the spaces: every unit's spaces in
Q^k (k = all stratum classes of the round), in :class:`fractions.Fraction` arithmetic
(``fraction_space.py``), so neither the projection to a unit's own classes nor the integer
arithmetic is trusted. Random trees (1-3 levels, some inner units with direct respondents),
random views over up to 8 classes, many empty classes per unit, random hidden cells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.privacy import suppression, tree_audit
from scoring.privacy.suppression import _Problem
from tests.privacy.fraction_space import FractionSpace


def reference_audit(pb, hidden) -> list[tuple[int, tuple]]:
    up, down = reference_spaces(pb, hidden)
    subsets = tree_audit.class_subsets(pb)
    sizes = pb.Y @ subsets.T
    small = (sizes > 0) & (sizes < pb.min_n)
    found = []
    for i in range(len(pb.units)):
        known = up[i] + down[i]
        for form in protected_forms(pb, hidden, i, subsets, small[i]):
            if known.contains(tuple(int(x) for x in form)):
                found.append((i, tuple(int(x) for x in form)))
    return found


def reference_spaces(pb, hidden) -> tuple[list, list]:
    """U (determined inside each subtree) and D (from outside it), all in Q^k."""
    k = pb.k
    eye = np.eye(k, dtype=int)
    pub = []
    for i in range(len(pb.units)):
        rows = pb.M.T[~hidden[i]].tolist()
        if pb.is_leaf[i]:
            rows += eye[pb.Y[i] == 0].tolist()
        pub.append(FractionSpace(k, rows))
    up = [None] * len(pb.units)
    for i in reversed(pb.order):
        inner = FractionSpace(k) if not pb.children[i] else FractionSpace.full(k)
        for c in pb.children[i]:
            inner = inner & up[c]
        up[i] = pub[i] + inner
    down = [None] * len(pb.units)
    for i in pb.order:
        if pb.parent[i] < 0:
            down[i] = FractionSpace(k)
        for c in pb.children[i]:
            known = down[i] + pub[i]
            for s in pb.children[i]:
                known = known & up[s] if s != c else known
            down[c] = known
    return up, down


def protected_forms(pb, hidden, i, subsets, small) -> np.ndarray:
    """The former definition: hidden non-empty cells of a publishable unit and small groups,
    distinct rows in sorted order."""
    parts = [subsets[small]]
    if pb.publishable[i]:
        parts.append(pb.M[:, hidden[i] & (pb.n[i] > 0)].T)
    forms = np.concatenate(parts).astype(np.int64)
    return np.unique(forms, axis=0) if len(forms) else forms.reshape(0, pb.k)


def random_tree(rng: np.random.Generator, leaves_below: int, inner_below: int) -> tuple[dict, list[str], list[str]]:
    """(unit -> parent, inner units, leaves): 1 to ``inner_below - 1`` inner units under a root,
    2 to ``leaves_below - 1`` leaves, each under a random inner unit."""
    n_leaves = int(rng.integers(2, leaves_below))
    n_inner = int(rng.integers(1, inner_below))
    inner = [f"i{j}" for j in range(n_inner)]
    tree = {inner[0]: None}
    for j in range(1, n_inner):
        tree[inner[j]] = inner[int(rng.integers(0, j))]
    leaves = [f"u{j}" for j in range(n_leaves)]
    for leaf in leaves:
        tree[leaf] = inner[int(rng.integers(0, n_inner))]
    return tree, inner, leaves


def random_problem(rng: np.random.Generator) -> tuple[_Problem, np.ndarray]:
    tree, inner, leaves = random_tree(rng, 9, 4)
    n_strata = int(rng.integers(2, 9))
    strata = [f"s{j}" for j in range(n_strata)]
    rows = []
    for unit in leaves + ([inner[-1]] if rng.random() < 0.3 else []):
        for s in strata:
            if rng.random() < 0.45:  # many classes empty at a unit: the projection matters
                rows.append((unit, s, int(rng.integers(1, 9))))
    if not rows:
        rows.append((leaves[0], strata[0], 3))
    counts = pd.DataFrame(rows, columns=["unit", "stratum", "n"]).assign(sum=lambda d: d["n"] * 2.0)
    views = {"all": strata}
    for j in range(int(rng.integers(1, 5))):
        chosen = [s for s in strata if rng.random() < 0.5] or [strata[0]]
        views[f"v{j}"] = chosen
    pb = _Problem(tree, counts, views, min_n=int(rng.integers(3, 6)))
    hidden = (rng.random(pb.n.shape) < 0.4) | (pb.n < pb.min_n) | ~pb.publishable[:, None]
    return pb, hidden


@pytest.mark.parametrize("seed", range(40))
def test_own_classes_audit_equals_the_audit_in_all_classes(seed):
    pb, hidden = random_problem(np.random.default_rng(seed))
    assert tree_audit.audit(pb, hidden) == reference_audit(pb, hidden)


def test_the_cases_find_something():
    """The comparison is not vacuous: most random cases determine some hidden cell or group."""
    found = [len(reference_audit(*random_problem(np.random.default_rng(seed)))) for seed in range(40)]
    assert sum(f > 0 for f in found) >= 20
    assert sum(f == 0 for f in found) >= 1


def test_a_round_without_answers_has_nothing_to_audit():
    counts = pd.DataFrame({"unit": pd.Series([], dtype=object), "stratum": pd.Series([], dtype=object),
                           "n": pd.Series([], dtype=int), "sum": pd.Series([], dtype=float)})
    pb = _Problem({"org": None, "a": "org", "b": "org"}, counts, {"all": []}, min_n=3)  # a view without strata
    assert pb.k == 0
    assert tree_audit.audit(pb, np.ones(pb.n.shape, dtype=bool)) == []


def one_class_problem(rng: np.random.Generator) -> tuple[_Problem, np.ndarray]:
    """A unit table without breakdowns: one stratum, one to three views of it, some units
    without respondents, some inner units with direct respondents."""
    tree, inner, leaves = random_tree(rng, 12, 5)
    answering = [u for u in leaves if rng.random() < 0.8] + [u for u in inner if rng.random() < 0.2]
    counts = pd.DataFrame({"unit": answering or leaves[:1],
                           "n": rng.integers(1, 12, size=len(answering or leaves[:1]))}).assign(sum=lambda d: d["n"] * 2.0)
    views = {f"v{j}": ["all"] for j in range(int(rng.integers(1, 4)))}
    pb = _Problem(tree, counts.assign(stratum="all"), views, min_n=int(rng.integers(3, 6)))
    hidden = (rng.random(pb.n.shape) < 0.35) | (pb.n < pb.min_n) | ~pb.publishable[:, None]
    return pb, hidden


@pytest.mark.parametrize("seed", range(60))
def test_one_class_audit_equals_the_audit_in_spaces(seed):
    pb, hidden = one_class_problem(np.random.default_rng(seed))
    assert pb.k == 1
    assert tree_audit.audit(pb, hidden) == reference_audit(pb, hidden)


def test_the_one_class_cases_find_something():
    found = [len(reference_audit(*one_class_problem(np.random.default_rng(seed)))) for seed in range(60)]
    assert sum(f > 0 for f in found) >= 20
    assert sum(f == 0 for f in found) >= 5


def unit_at_a_time(pb: _Problem) -> dict[str, np.ndarray]:
    """The local rules' pieces built unit by unit, as ``_LocalViews`` did before it took runs of
    units with one pattern in one step."""
    from scoring.privacy.suppression import _unit_pieces

    eu, ev, eg, pu, pa, pbb, groups = [], [], [], [], [], [], 0
    for i in np.flatnonzero(pb.publishable):
        pieces = _unit_pieces(pb.M > 0, pb.Y[i] > 0)
        if pieces is None:
            continue
        views, group, n_groups, pair_a, pair_b = pieces
        eu += [i] * len(views)
        ev += list(views)
        eg += list(group + groups)
        groups += n_groups
        pu += [i] * len(pair_a)
        pa += list(pair_a)
        pbb += list(pair_b)
    order = np.lexsort((np.array(pa, dtype=int), np.array(pu, dtype=int), np.array(pbb, dtype=int)))
    return {"equal_unit": np.array(eu, dtype=int), "equal_view": np.array(ev, dtype=int), "equal_group": np.array(eg, dtype=int),
            "pair_unit": np.array(pu, dtype=int)[order], "pair_a": np.array(pa, dtype=int)[order], "pair_b": np.array(pbb, dtype=int)[order],
            "groups": groups}


@pytest.mark.parametrize("seed", range(30))
def test_local_pieces_by_runs_of_units_equal_those_built_unit_by_unit(seed):
    """Runs of units with the same non-empty classes (one-class tables: every unit) get their
    pieces in one step; the pieces and group numbers are those of one unit at a time."""
    rng = np.random.default_rng(seed)
    pb, _ = (random_problem if seed % 2 else one_class_problem)(rng)
    local = suppression._LocalViews(pb)
    for name, expected in unit_at_a_time(pb).items():
        np.testing.assert_array_equal(getattr(local, name), expected, err_msg=name)
