"""Anonymity rules: primary and complementary suppression, breakdowns.

The property test attacks every suppression pattern the way a reader with a pencil (and
linear algebra) would: it writes down what is published as linear equations in the unknown
counts of every (leaf unit, stratum) and checks, by exact integer elimination, that no hidden
figure follows from them.
"""

from __future__ import annotations

import itertools
from math import gcd

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.errors import UserError
from scoring.privacy import breakdown_allowed, check_min_n, suppress


def shown(result, view=None):
    return sorted(result.shown_units(view), key=str)


def status(result, unit, view="all"):
    cells = result.cells
    return cells[(cells["unit"] == unit) & (cells["view"] == view)]["status"].iloc[0]


# ----------------------------------------------------------------------------- hand-made trees


def test_a_small_unit_is_hidden_and_the_smallest_other_sibling_with_it():
    tree = {"org": None, "a": "org", "b": "org", "c": "org", "d": "org"}
    counts = pd.DataFrame({"unit": ["a", "b", "c", "d"], "n": [12, 3, 7, 30]})
    result = suppress(tree, counts)
    # org - a - d would give b; hiding c (the smallest shown sibling) leaves b + c = 10 derivable
    assert shown(result) == ["a", "d", "org"]
    assert status(result, "b") == "primary" and status(result, "c") == "secondary"


def test_two_small_siblings_pooled_below_min_n_pull_in_a_third():
    tree = {"org": None, "a": "org", "b": "org", "c": "org", "d": "org"}
    counts = pd.DataFrame({"unit": ["a", "b", "c", "d"], "n": [20, 1, 2, 30]})
    result = suppress(tree, counts)
    # b + c = 3 people could be pooled from org - a - d: hide a as well
    assert shown(result) == ["d", "org"]
    assert status(result, "a") == "secondary"


def test_nothing_extra_is_hidden_when_the_hidden_siblings_protect_each_other():
    tree = {"org": None, "a": "org", "b": "org", "c": "org"}
    counts = pd.DataFrame({"unit": ["a", "b", "c"], "n": [40, 3, 4]})
    result = suppress(tree, counts)
    assert shown(result) == ["a", "org"]
    assert set(result.cells["status"]) == {"shown", "primary"}


def test_an_only_child_is_shown_with_its_parent():
    tree = {"org": None, "a": "org"}
    result = suppress(tree, pd.DataFrame({"unit": ["a"], "n": [9]}))
    assert shown(result) == ["a", "org"]


def test_suppression_reaches_down_a_level():
    # a1 is too small; under a (shown) its sibling a2 must go too. b and its teams are untouched.
    tree = {"org": None, "a": "org", "b": "org", "a1": "a", "a2": "a", "b1": "b", "b2": "b"}
    counts = pd.DataFrame({"unit": ["a1", "a2", "b1", "b2"], "n": [3, 8, 10, 9]})
    result = suppress(tree, counts)
    assert shown(result) == ["a", "b", "b1", "b2", "org"]


def test_a_hidden_parent_is_not_left_as_the_sum_of_shown_children():
    # a (4) is too small, so org - b would give it: b is hidden; then b = b1 + b2 would give
    # b back, so b's smaller team goes too.
    tree = {"org": None, "a": "org", "b": "org", "a1": "a", "a2": "a", "b1": "b", "b2": "b"}
    counts = pd.DataFrame({"unit": ["a1", "a2", "b1", "b2"], "n": [2, 2, 10, 9]})
    result = suppress(tree, counts)
    assert shown(result) == ["b1", "org"]
    assert status(result, "b") == "secondary" and status(result, "b2") == "secondary"


def test_respondents_on_an_inner_unit_are_protected_like_a_hidden_leaf():
    tree = {"org": None, "a": "org", "b": "org"}
    counts = pd.DataFrame({"unit": ["org", "a", "b"], "n": [2, 10, 11]})
    result = suppress(tree, counts)
    # org - a - b would give the 2 registered on org itself: hide a (the smaller unit)
    assert shown(result) == ["b", "org"]
    assert result.cells.set_index("unit").loc["org", "n"] == 23
    assert ("org", "direct") not in set(result.cells["unit"])


def test_another_round_cannot_give_away_a_hidden_round():
    tree = {"org": None, "a": "org", "b": "org", "c": "org"}
    counts = pd.DataFrame(
        {
            "unit": ["a", "a", "b", "b", "c", "c"],
            "stratum": ["2024", "2025"] * 3,
            "n": [3, 10, 12, 12, 8, 9],
        }
    )
    views = {"2024": ["2024"], "2025": ["2025"], "all": ["2024", "2025"]}
    result = suppress(tree, counts, views=views)
    assert not result.shown("a", "2024")
    # a in all rounds minus a in 2025 would give a in 2024
    assert not (result.shown("a", "all") and result.shown("a", "2025"))


def test_a_filter_and_the_whole_unit_cannot_both_show_when_the_rest_is_small():
    tree = {"org": None, "a": "org", "b": "org"}
    counts = pd.DataFrame(
        {"unit": ["a", "a", "b", "b"], "stratum": ["nurse", "other", "nurse", "other"], "n": [6, 2, 20, 15]}
    )
    views = {"all": ["nurse", "other"], "nurses": ["nurse"]}
    result = suppress(tree, counts, views=views)
    assert result.shown("a", "all")
    assert not result.shown("a", "nurses")  # all - nurses = the 2 others in a
    # ... and then, among the nurses, org - b would give a: b's nurses are hidden as well
    assert result.shown("org", "nurses") and not result.shown("b", "nurses")


def test_published_cells_carry_nothing_for_hidden_units():
    tree = {"org": None, "a": "org", "b": "org", "c": "org"}
    counts = pd.DataFrame({"unit": ["a", "b", "c"], "n": [12, 3, 7], "sum": [40.0, 9.0, 20.0]})
    published = suppress(tree, counts).published().set_index("unit")
    assert published.loc["b"].isna()[["n", "mean"]].all() and published.loc["b", "suppressed"]
    assert published.loc["c"].isna()[["n", "mean"]].all()
    assert published.loc["a", "n"] == 12 and published.loc["a", "mean"] == pytest.approx(40 / 12)
    assert published.loc["org", "mean"] == pytest.approx(69 / 22)
    as_dict = suppress(tree, counts).to_dict()
    assert {"unit": "b", "view": "all", "n": None, "mean": None, "suppressed": True} in as_dict["cells"]
    assert "status" not in pd.DataFrame(as_dict["cells"])  # primary and secondary look alike


@pytest.mark.parametrize("bad", [2, 0, -1, 2.5, "5", True])
def test_min_n_below_three_or_not_a_whole_number_is_refused(bad):
    with pytest.raises(UserError, match="at least 3"):
        check_min_n(bad)
    with pytest.raises(UserError):
        suppress({"a": None}, pd.DataFrame({"unit": ["a"], "n": [10]}), min_n=bad)


def test_counts_for_unknown_units_and_cycles_are_user_errors():
    with pytest.raises(UserError, match="not in the unit tree"):
        suppress({"a": None}, pd.DataFrame({"unit": ["x"], "n": [10]}))
    with pytest.raises(UserError, match="cycle"):
        suppress({"a": "b", "b": "a", "r": None}, pd.DataFrame({"unit": ["r"], "n": [10]}))


def test_breakdowns_only_for_the_organisation_and_only_when_every_group_is_big_enough():
    assert breakdown_allowed({"nurse": 12, "doctor": 5, "other": 0}).allowed
    assert breakdown_allowed({"nurse": 12, "doctor": 4}).reason == "cell_below_min_n"
    assert breakdown_allowed({"nurse": 12, "doctor": 5}, total=19).reason == "remainder_below_min_n"
    assert breakdown_allowed({"nurse": 12, "doctor": 5}, total=22).allowed
    assert breakdown_allowed({"nurse": 12, "doctor": 8}, organisation=False).reason == "not_organisation"
    assert breakdown_allowed({"nurse": 12, "doctor": 8}, organisation=False, allow_units=True).allowed
    assert not breakdown_allowed({"nurse": 12, "doctor": 3}, min_n=4).allowed
    with pytest.raises(UserError):
        breakdown_allowed({"nurse": 12}, min_n=2)


# ----------------------------------------------------------------------------- the attack


class Echelon:
    """Row space of integer vectors, by exact fraction-free elimination (no floats, no sympy)."""

    def __init__(self, width: int):
        self.width = width
        self.rows: dict[int, list[int]] = {}  # pivot column -> row with a non-zero there, zeros before

    def reduce(self, vec) -> list[int]:
        vec = list(vec)
        for col in sorted(self.rows):
            if vec[col]:
                row = self.rows[col]
                a, b = row[col], vec[col]
                vec = [a * x - b * y for x, y in zip(vec, row)]
                g = 0
                for x in vec:
                    g = gcd(g, x)
                if g > 1:
                    vec = [x // g for x in vec]
        return vec

    def add(self, vec) -> None:
        vec = self.reduce(vec)
        pivot = next((j for j, x in enumerate(vec) if x), None)
        if pivot is not None:
            self.rows[pivot] = vec

    def determines(self, vec) -> bool:
        return not any(self.reduce(vec))


def leaves_under(tree, unit):
    kids = [u for u, p in tree.items() if p == unit]
    if not kids:
        return [unit]
    return [leaf for k in kids for leaf in leaves_under(tree, k)]


def attack(tree, counts, views, result, min_n):
    """Everything a reader can solve from the published cells; returns the disclosures found.

    Unknowns: the count of every (leaf, stratum). Known: each shown cell (its n; its sum has the
    same coefficients, so what holds for n holds for the sum and hence the mean) and every empty
    (leaf, stratum). A disclosure is a hidden cell with respondents whose value is determined,
    or any group of 1 to min_n - 1 respondents (a unit in a set of strata) that is determined,
    or, within a view, a derivable remainder of 1 to min_n - 1 respondents.
    """
    unknowns = _Unknowns(tree, counts)
    cells = result.cells
    known = Echelon(len(unknowns.atoms))
    for r in cells[cells["shown"]].itertuples(index=False):
        known.add(unknowns.vector(r.unit, views[r.view]))
    for a in unknowns.atoms:
        if unknowns.n_atom[a] == 0:
            known.add(unknowns.unit_vector(a))

    found = []
    for r in cells[~cells["shown"]].itertuples(index=False):
        vec = unknowns.vector(r.unit, views[r.view])
        if unknowns.size(vec) > 0 and known.determines(vec):
            found.append(("hidden cell", r.unit, r.view, unknowns.size(vec)))
    found += _small_groups_solved(unknowns, known, min_n)
    found += _small_remainders(unknowns, cells, views, min_n)
    return found


class _Unknowns:
    """The attack's unknowns, the count of every (leaf, stratum) ("atom"), and their true values."""

    def __init__(self, tree, counts):
        self.tree = tree
        self.strata = sorted(set(counts["stratum"]))
        self.leaves = [u for u in tree if not any(p == u for p in tree.values())]
        self.atoms = [(leaf, s) for leaf in self.leaves for s in self.strata]
        self.col = {a: j for j, a in enumerate(self.atoms)}
        self.n_atom = dict.fromkeys(self.atoms, 0)
        for r in counts.itertuples(index=False):
            self.n_atom[(r.unit, r.stratum)] += int(r.n)

    def vector(self, unit, strata_set):
        """The 0/1 coefficients of a unit's count over ``strata_set``."""
        vec = [0] * len(self.atoms)
        for leaf in leaves_under(self.tree, unit):
            for s in strata_set:
                vec[self.col[(leaf, s)]] = 1
        return vec

    def unit_vector(self, atom):
        return [int(j == self.col[atom]) for j in range(len(self.atoms))]

    def size(self, vec):
        """The true count ``vec`` sums."""
        return sum(self.n_atom[a] for a in self.atoms if vec[self.col[a]])


def _small_groups_solved(unknowns, known, min_n):
    """Every unit in every set of strata with 1 to min_n - 1 respondents that ``known`` determines."""
    found = []
    for unit in unknowns.tree:
        for k in range(1, len(unknowns.strata) + 1):
            for group in itertools.combinations(unknowns.strata, k):
                vec = unknowns.vector(unit, group)
                if 0 < unknowns.size(vec) < min_n and known.determines(vec):
                    found.append(("small group", unit, group, unknowns.size(vec)))
    return found


def _small_remainders(unknowns, cells, views, min_n):
    """Within a view, a shown unit minus its nearest shown units below: 1 to min_n - 1 left."""
    tree = unknowns.tree
    found = []
    for view, members in views.items():
        vis = set(cells[(cells["view"] == view) & cells["shown"]]["unit"])
        for unit in vis:
            below, stack = [], [u for u, p in tree.items() if p == unit]
            while stack:
                u = stack.pop()
                if u in vis:
                    below.append(u)
                else:
                    stack.extend(v for v, p in tree.items() if p == u)
            parts = (np.array(unknowns.vector(u, members)) for u in below)
            rest = np.array(unknowns.vector(unit, members)) - sum(parts, np.zeros(len(unknowns.atoms), dtype=int))
            pooled = unknowns.size(rest.tolist())
            if 0 < pooled < min_n:
                found.append(("small remainder", unit, view, pooled))
    return found


@st.composite
def problems(draw):
    """A random unit tree (depth <= 4, 1-6 children, <= 30 units), strata, views and counts."""
    depth = draw(st.integers(1, 4))
    tree, frontier = {"u": None}, [("u", 0)]
    while frontier:
        unit, level = frontier.pop(0)
        if level == depth or (level > 0 and draw(st.booleans())):
            continue
        for j in range(draw(st.integers(1, 6))):
            if len(tree) >= 30:
                break
            child = f"{unit}{j}"
            tree[child] = unit
            frontier.append((child, level + 1))
    n_strata = draw(st.integers(1, 3))
    strata = [f"s{j}" for j in range(n_strata)]
    subsets = [list(c) for k in range(1, n_strata + 1) for c in itertools.combinations(strata, k)]
    chosen = draw(st.lists(st.sampled_from(subsets), min_size=1, max_size=3, unique_by=tuple))
    views = {"+".join(v): v for v in chosen}
    leaves = [u for u in tree if u not in set(tree.values())]
    small_or_any = st.one_of(st.integers(0, 6), st.integers(0, 40))
    rows = [(leaf, s, draw(small_or_any)) for leaf in leaves for s in strata]
    counts = pd.DataFrame(rows, columns=["unit", "stratum", "n"])
    counts["sum"] = counts["n"] * 3.0
    min_n = draw(st.integers(3, 6))
    return tree, counts, views, min_n


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_no_hidden_figure_can_be_solved_from_what_is_shown(problem):
    tree, counts, views, min_n = problem
    result = suppress(tree, counts, views=views, min_n=min_n)
    cells = result.cells
    assert not (cells["shown"] & (cells["n"] < min_n)).any(), "a cell below min_n is shown"
    assert (cells.loc[cells["n"] < min_n, "status"] == "primary").all()
    assert attack(tree, counts, views, result, min_n) == []


def test_the_attack_finds_what_naive_suppression_leaves_open():
    # The attack is not vacuous: with primary suppression only, org - a - d gives b.
    tree = {"org": None, "a": "org", "b": "org", "c": "org", "d": "org"}
    counts = pd.DataFrame({"unit": ["a", "b", "c", "d"], "stratum": "all", "n": [12, 3, 7, 30]})
    result = suppress(tree, counts)
    naive = result.cells.assign(shown=result.cells["n"] >= 5)
    leaks = attack(tree, counts, {"all": ["all"]}, type(result)(5, {"all": ["all"]}, naive), 5)
    assert ("hidden cell", "b", "all", 3) in leaks
    assert attack(tree, counts, {"all": ["all"]}, result, 5) == []


def test_no_answers_at_all_is_one_view_with_every_cell_hidden():
    decision = suppress({"org": None, "a": "org", "b": "org"}, pd.DataFrame({"unit": [], "n": [], "sum": []}))
    assert len(decision.shown_units()) == 0
