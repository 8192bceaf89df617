"""Anonymity rules for reported figures: primary and complementary suppression, breakdowns.

A manager sees a unit's n and mean only where no answer can be singled out. The rules live here,
in the library, so that the dashboard, the CLI and exports cannot show more than they allow
(docs/privacy.md).

Model
-----
* **Units** form a tree (``unit -> parent``; several roots are allowed). Respondents belong to
  *leaf* units; an inner unit's figures are the sums over the leaves below it. Respondents
  registered directly on an inner unit are treated as an extra, never-published leaf under it
  (its "direct" part), so that they are protected like any other small group.
* **Strata** split the respondents of a leaf further: a round, a background group, or any
  combination. A **view** is a set of strata shown together: "round 2025", "all rounds",
  "nurses in 2025". A **cell** is (unit, view); its n and sum (for the mean) are the sums over
  the leaves below the unit and the strata in the view. Views that share strata are linked:
  "all rounds" minus "2025" is "2024".
* A published cell shows its n and its mean, hence its sum. An attacker knows every published
  cell, every linear combination of them, and which units had no respondents at all.

Guarantees of :func:`suppress` (checked by ``tests/test_privacy.py``)
---------------------------------------------------------------------
1. A cell with fewer than ``min_n`` respondents is not shown (primary suppression).
2. No hidden cell with respondents can be worked out: its n (and its sum, hence its mean) is not
   a linear combination of the published figures and the empty leaves. The same holds for the
   respondents of any unit in any combination of strata when there are fewer than ``min_n`` of
   them ("nurses = all - others", "2024 = all rounds - 2025").
3. Within each view, what a published unit's figures reveal beyond its published sub-units — the
   pooled remainder of its hidden sub-units — covers either nobody or at least ``min_n``
   respondents in at least two hidden sub-units, so neither the pool nor one of its members
   can be singled out.

Algorithm
---------
Following the heuristic approach to secondary suppression in hierarchical and linked tables
(Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, ch. 4.3-4.4):

a. Primary suppression: hide every cell with n < ``min_n`` (n = 0 included: nothing to show).
b. Local rules, repeated until nothing changes:
   - *down*: a hidden unit with respondents whose children with respondents are all shown
     could be computed as their sum; hide its smallest child with respondents.
   - *up*: for a shown inner unit, the remainder r = n - (n of its highest shown descendants)
     is derivable. If 0 < r < ``min_n``, or r comes from fewer than two hidden children, hide
     its smallest shown child with respondents (else its smallest shown descendant; with none
     left, hide the unit itself, i.e. merge it into its parent).
   - *views*: where a unit shows a view and a sub-view (a view whose strata are a proper
     subset), their difference is derivable; if it has 1 to ``min_n - 1`` respondents, hide
     the sub-view.
c. Exact audit: compute, for every unit, the space of linear forms of its per-stratum counts
   that the published cells determine, by one pass up and one pass down the tree (the
   system is tree-structured, so this is exact; subspaces of Q^k in exact rational
   arithmetic, k = number of stratum classes). Every hidden cell with respondents, and every
   group of 1 to ``min_n - 1`` respondents of a unit in a set of strata, must be undetermined.
   For each one that is determined, hide the smallest shown cell sharing an equation with it
   (same unit, siblings, parent, children) and go back to (b).

Every step only hides cells, so the loop ends (at worst with everything hidden). The result is
safe but not minimal: finding the fewest suppressions is NP-hard (Hundepool et al. 2012,
4.4.3); hiding the smallest shown cell first keeps the loss of information low in practice.

Interval knowledge (a hidden cell is known to hold < ``min_n`` or >= 0 respondents) is not
modelled beyond empty units; rule 3 keeps each derivable pool at ``min_n`` or more.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.errors import UserError
from scoring.privacy import exact, tree_audit
from scoring.privacy.subspace import Space as _Space  # noqa: F401 - the tests build spaces from here
from scoring.privacy.thresholds import DEFAULT_MIN_N, SMALLEST_MIN_N
from scoring.result import Result

ALL = "all"

SHOWN, PRIMARY, SECONDARY, UNPUBLISHED = "shown", "primary", "secondary", "unpublished"


def check_min_n(min_n) -> int:
    """Refuse a threshold below 3 (docs/privacy.md: set per round, never below 3)."""
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < SMALLEST_MIN_N:
        raise UserError.single(
            f"min_n must be a whole number of at least {SMALLEST_MIN_N} (got {min_n!r}): "
            "smaller groups would let a reader identify answers",
            path="min_n",
        )
    return int(min_n)


# ----------------------------------------------------------------------------- result


@dataclass(frozen=True, repr=False)
class Suppression(Result):
    """Which (unit, view) cells may be shown.

    ``cells`` (internal, for audits and tests): one row per unit and view with ``n``, ``sum``
    (NaN without sums), ``shown`` and ``status`` — ``shown``, ``primary`` (n < min_n) or
    ``secondary`` (hidden to protect another cell). What a reader may see is
    :meth:`published`: hidden cells carry neither n nor sum, and primary and secondary
    suppressions are not told apart (that would say a hidden cell has at least min_n).
    """

    min_n: int
    views: dict[str, list]
    cells: pd.DataFrame = field(repr=False)

    def shown(self, unit, view: str | None = None) -> bool:
        view = self._view(view)
        hit = self.cells[(self.cells["unit"] == unit) & (self.cells["view"] == view)]
        if hit.empty:
            raise KeyError(f"no cell ({unit!r}, {view!r})")
        return bool(hit["shown"].iloc[0])

    def shown_units(self, view: str | None = None) -> set:
        view = self._view(view)
        sel = self.cells[(self.cells["view"] == view) & self.cells["shown"]]
        return set(sel["unit"].tolist())  # tolist: a str column's elements one by one are slow

    def _view(self, view: str | None) -> str:
        if view is None:
            if len(self.views) != 1:
                raise ValueError("name the view: " + ", ".join(map(str, self.views)))
            return next(iter(self.views))
        return view

    def published(self) -> pd.DataFrame:
        """unit, view, n, mean, suppressed — n and mean missing wherever suppressed."""
        out = self.cells[["unit", "view"]].copy()
        out["n"] = self.cells["n"].where(self.cells["shown"]).astype("Int64")
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = self.cells["sum"] / self.cells["n"]
        out["mean"] = mean.where(self.cells["shown"])
        out["suppressed"] = ~self.cells["shown"]
        return out

    def to_frame(self, audit: bool = False) -> pd.DataFrame:
        """:meth:`published`, or with ``audit=True`` every cell with its n, sum and status."""
        return self.cells.copy() if audit else self.published()

    def to_dict(self) -> dict:
        rows = []
        for r in self.published().itertuples(index=False):
            rows.append(
                {
                    "unit": r.unit,
                    "view": r.view,
                    "n": None if pd.isna(r.n) else int(r.n),
                    "mean": None if pd.isna(r.mean) else float(r.mean),
                    "suppressed": bool(r.suppressed),
                }
            )
        return {"min_n": self.min_n, "views": {str(k): list(v) for k, v in self.views.items()}, "cells": rows}

    def summary(self) -> str:
        counts = self.cells.groupby("status").size()
        parts = [f"{counts.get(s, 0)} {s}" for s in (SHOWN, PRIMARY, SECONDARY)]
        return (
            f"Suppression with min_n = {self.min_n}: {len(self.cells)} cells "
            f"({len(self.views)} view(s)); " + ", ".join(parts)
        )


# ----------------------------------------------------------------------------- the problem


class _Problem:
    """Tree, stratum classes, counts and the hidden/shown state of every cell."""

    def __init__(self, tree, counts: pd.DataFrame, views, min_n: int):
        self.min_n = min_n
        self._build_tree(tree, counts)
        self._build_classes(counts, views)
        self._build_counts(counts)

    # -- structure

    def _build_tree(self, tree, counts: pd.DataFrame) -> None:
        if isinstance(tree, pd.DataFrame):
            tree = dict(zip(tree["unit"], tree["parent"]))
        parent_of = {u: (None if p is None or (isinstance(p, float) and np.isnan(p)) else p) for u, p in tree.items()}
        for p in list(parent_of.values()):
            if p is not None and p not in parent_of:
                parent_of[p] = None
        missing = sorted(set(counts["unit"].tolist()) - set(parent_of), key=str)
        if missing:
            raise UserError.single("counts for units that are not in the unit tree: " + ", ".join(map(str, missing[:10])))
        units = list(parent_of)
        index = {u: i for i, u in enumerate(units)}
        parent = [index[parent_of[u]] if parent_of[u] is not None else -1 for u in units]
        children: list[list[int]] = [[] for _ in units]
        for i, p in enumerate(parent):
            if p >= 0:
                children[p].append(i)
        # Respondents on an inner unit: an extra leaf under it that is never published.
        inner_with_answers = [u for u in dict.fromkeys(counts["unit"].tolist()) if children[index[u]]]
        self.direct: dict = {}
        for u in inner_with_answers:
            i = len(units)
            units.append((u, "direct"))
            parent.append(index[u])
            children.append([])
            children[index[u]].append(i)
            self.direct[u] = i
        order, depth = [], [0] * len(units)
        stack = [i for i, p in enumerate(parent) if p < 0]
        seen = set()
        while stack:
            i = stack.pop()
            seen.add(i)
            order.append(i)
            for c in children[i]:
                depth[c] = depth[i] + 1
                stack.append(c)
        if len(seen) != len(units):
            cyclic = [units[i] for i in range(len(units)) if i not in seen]
            raise UserError.single("the unit tree has a cycle through " + ", ".join(map(str, cyclic[:10])))
        self.units, self.parent, self.children, self.order = units, parent, children, order
        self.publishable = np.array([not (isinstance(u, tuple) and i in self.direct.values()) for i, u in enumerate(units)])
        self.is_leaf = np.array([not c for c in children])

    def _build_classes(self, counts: pd.DataFrame, views) -> None:
        strata = list(dict.fromkeys(counts["stratum"].tolist()))
        if views is None:
            # No answers at all (a round just opened) is one empty view, every cell hidden.
            views = {s: [s] for s in strata} or {ALL: [ALL]}
        views = {v: list(s) for v, s in views.items()}
        if not views:
            raise UserError.single("no view to suppress")
        view_names = list(views)
        all_strata = list(dict.fromkeys(strata + [s for ss in views.values() for s in ss]))
        signature = {s: tuple(s in views[v] for v in view_names) for s in all_strata}
        classes = sorted({sig for sig in signature.values() if any(sig)})
        self.class_of = {s: classes.index(sig) for s, sig in signature.items() if any(sig)}
        self.view_names = view_names
        self.views = views
        k = len(classes)
        self.k = k
        self.M = np.array([[int(sig[v]) for v in range(len(view_names))] for sig in classes], dtype=int).reshape(k, len(view_names))

    def _build_counts(self, counts: pd.DataFrame) -> None:
        n_units = len(self.units)
        Y = np.zeros((n_units, self.k))
        S = np.zeros((n_units, self.k))
        sub = counts.loc[counts["stratum"].isin(list(self.class_of))]
        rows = np.array([self.direct.get(u, self._index(u)) for u in sub["unit"].tolist()], dtype=int)
        cols = np.array([self.class_of[s] for s in sub["stratum"].tolist()], dtype=int)
        np.add.at(Y, (rows, cols), sub["n"].to_numpy(dtype=float))
        np.add.at(S, (rows, cols), sub["sum"].to_numpy(dtype=float))
        for i in reversed(self.order):  # children before parents
            p = self.parent[i]
            if p >= 0:
                Y[p] += Y[i]
                S[p] += S[i]
        self.Y, self.S = Y, S
        self.n = Y @ self.M  # units x views
        self.sum = S @ self.M

    def _index(self, unit) -> int:
        if not hasattr(self, "_idx"):
            self._idx = {u: i for i, u in enumerate(self.units)}
        return self._idx[unit]


# ----------------------------------------------------------------------------- local rules


def _hide(state: np.ndarray, status: np.ndarray, i: int, v: int) -> None:
    state[i, v] = True
    if status[i, v] == SHOWN:
        status[i, v] = SECONDARY


def _tree_rules(pb: _Problem, hidden: np.ndarray, status: np.ndarray) -> bool:
    """One pass of the *down* and *up* rules in every view; True if a cell was hidden.

    The rules look at a view's cells one unit at a time, hiding as they go; a view in which
    no unit breaks a rule in the state before the pass is left as it is, so the views that
    could change are found first for all views at once (:func:`_tree_candidates`) and only
    those are walked unit by unit."""
    changed = False
    for v in _tree_candidates(pb, hidden):
        changed |= _tree_rules_view(pb, hidden, status, int(v))
    return changed


def _tree_candidates(pb: _Problem, hidden: np.ndarray) -> np.ndarray:
    """The views in which some unit breaks the down or up rule in the current state (the
    conditions of :func:`_tree_rules_view`, evaluated for every unit and view at once)."""
    lv = _local(pb)
    n = pb.n
    vis = ~hidden
    covered = np.zeros(n.shape)
    kids = np.zeros(n.shape)  # children with respondents
    kids_shown = np.zeros(n.shape)
    branches = np.zeros(n.shape)  # hidden children with respondents and an uncovered rest
    levels = list(zip(lv.levels[1:], lv.to_parent))
    for level, add in reversed(levels):  # children before parents
        covered += add @ np.where(vis[level], n[level], covered[level])
    uncovered = n - covered
    for level, add in levels:
        with_people = n[level] > 0
        kids += add @ with_people.astype(float)
        kids_shown += add @ (with_people & vis[level]).astype(float)
        branches += add @ (with_people & hidden[level] & (uncovered[level] > 0)).astype(float)
    active = (n > 0) & (kids > 0)
    down = hidden & (kids_shown == kids)
    r = uncovered
    upward = vis & (r > 0) & ((r < pb.min_n) | (branches < 2))
    return np.flatnonzero((active & (down | upward)).any(axis=0))


def _tree_rules_view(pb: _Problem, hidden: np.ndarray, status: np.ndarray, v: int) -> bool:
    """The down and up rules in view v, unit by unit (parents first)."""
    changed = False
    n = pb.n[:, v]
    vis = ~hidden[:, v]
    covered = np.zeros(len(pb.units))
    for i in reversed(pb.order):
        p = pb.parent[i]
        if p >= 0:
            covered[p] += n[i] if vis[i] else covered[i]
    uncovered = n - covered
    for i in pb.order:
        kids = [c for c in pb.children[i] if n[c] > 0]
        if not kids or n[i] <= 0:
            continue
        if hidden[i, v]:
            if all(vis[c] for c in kids):  # down: the unit would be the sum of its children
                _hide(hidden, status, min(kids, key=lambda c: (n[c], c)), v)
                changed = True
            continue
        r = uncovered[i]
        branches = sum(1 for c in kids if hidden[c, v] and uncovered[c] > 0)
        if r > 0 and (r < pb.min_n or branches < 2):  # up: the remainder is exposed
            target = _smallest_shown_below(pb, i, v, n, vis)
            if target is None:
                _hide(hidden, status, i, v)
            else:
                _hide(hidden, status, target, v)
            changed = True
            vis = ~hidden[:, v]
    return changed


def _smallest_shown_below(pb: _Problem, i: int, v: int, n: np.ndarray, vis: np.ndarray) -> int | None:
    """The smallest shown child with respondents, else the smallest highest shown descendant."""
    kids = [c for c in pb.children[i] if n[c] > 0 and vis[c] and pb.publishable[c]]
    if kids:
        return min(kids, key=lambda c: (n[c], c))
    frontier, found = list(pb.children[i]), []
    while frontier:
        c = frontier.pop()
        if n[c] <= 0:
            continue
        if vis[c] and pb.publishable[c]:
            found.append(c)
        else:
            frontier.extend(pb.children[c])
    return min(found, key=lambda c: (n[c], c)) if found else None


def _cell_atoms(pb: _Problem, i: int) -> np.ndarray:
    """Which classes with respondents each view of unit i counts: a (k x views) boolean array.

    Classes empty at a unit are public knowledge (module docstring), so two views are the same
    figure at a unit when they count the same non-empty classes, and a view is *locally* a
    sub-view of another when its non-empty classes are a subset of the other's.
    """
    return (pb.Y[i] > 0)[:, None] & (pb.M > 0)


def _local(pb: _Problem) -> "_LocalViews":
    """The per-unit structure of the local rules, built once per problem (fixed by the counts)."""
    cache = pb.__dict__.get("_local_views")
    if cache is None:
        cache = _LocalViews(pb)
        pb._local_views = cache
    return cache


class _LocalViews:
    """What the local rules need of each unit's cells, kept sparse.

    At a unit only the views with respondents there matter (a shown cell has at least min_n
    respondents, and an empty view is hidden from the start), and only the classes with
    respondents there tell views apart. A national round has thousands of views and classes
    but a unit has a few dozen non-empty views over a dozen classes, so the rules work on these
    per-unit pieces instead of units x classes x views arrays:

    * ``equal_unit, equal_view, equal_group``: the non-empty cells of publishable units that
      count the same classes as another view at the same unit (the same figure), grouped;
    * ``pair_unit, pair_a, pair_b``: (unit, view a, view b) where b counts a proper subset of
      a's non-empty classes at the unit (b is locally nested in a), for publishable units;
    * ``small_pair``: those pairs whose difference has 1 to min_n - 1 respondents.
    """

    def __init__(self, pb: _Problem):
        from scipy.sparse import csr_matrix

        self._regions = None
        eu, ev, eg, pu, pa, pbb = [], [], [], [], [], []
        groups = 0
        M = pb.M > 0
        # A unit's pieces depend only on which classes have respondents there: units with the
        # same non-empty classes (every unit of a one-stratum table, most leaves of a round)
        # share them, so each pattern is worked out once (the loop body cost ~1 ms a unit), and
        # a run of consecutive units with one pattern gets its pieces in one step (the units'
        # groups numbered on, unit after unit, as one unit at a time would number them).
        pattern_pieces: dict[bytes, tuple] = {}
        nonempty = pb.Y > 0
        patterns = np.packbits(nonempty, axis=1)
        units = np.flatnonzero(pb.publishable)
        keys = [patterns[i].tobytes() for i in units]
        start = 0
        while start < len(units):  # over runs of units with one pattern
            key = keys[start]
            stop = start + 1
            while stop < len(units) and keys[stop] == key:
                stop += 1
            if key not in pattern_pieces:
                pattern_pieces[key] = _unit_pieces(M, nonempty[units[start]])
            pieces = pattern_pieces[key]
            run, start = units[start:stop], stop
            if pieces is None:
                continue
            equal_views, equal_groups, n_groups, pair_a, pair_b = pieces
            r = len(run)
            eu.append(np.repeat(run, len(equal_views)))
            ev.append(np.tile(equal_views, r))
            eg.append(np.tile(equal_groups, r) + groups + np.repeat(np.arange(r) * n_groups, len(equal_views)))
            groups += r * n_groups
            pu.append(np.repeat(run, len(pair_a)))
            pa.append(np.tile(pair_a, r))
            pbb.append(np.tile(pair_b, r))
        cat = lambda parts: np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)  # noqa: E731
        self.equal_unit, self.equal_view, self.equal_group = cat(eu), cat(ev), cat(eg)
        self.groups = groups
        order = np.lexsort((cat(pa), cat(pu), cat(pbb)))  # by view b, then unit, then a
        self.pair_unit, self.pair_a, self.pair_b = cat(pu)[order], cat(pa)[order], cat(pbb)[order]
        diff = pb.n[self.pair_unit, self.pair_a] - pb.n[self.pair_unit, self.pair_b]
        self.small_pair = (diff > 0) & (diff < pb.min_n)
        starts = np.searchsorted(self.pair_b, np.arange(len(pb.view_names) + 1))
        self.pairs_of_b = starts  # pairs of view b: pair_*[starts[b]:starts[b + 1]]
        # the tree by depth, for block ids without a Python loop over units
        depth = np.zeros(len(pb.units), dtype=int)
        for i in pb.order:
            if pb.parent[i] >= 0:
                depth[i] = depth[pb.parent[i]] + 1
        self.levels = [np.flatnonzero(depth == d) for d in range(int(depth.max()) + 1)] if len(depth) else []
        self.parent = np.asarray(pb.parent, dtype=int)
        # per level below the roots: the sparse (units x level) matrix that adds a level's rows into
        # their parents' (np.add.at on 2-D arrays is unbuffered and slow)
        self.to_parent = [csr_matrix((np.ones(len(level)), (self.parent[level], np.arange(len(level)))),
                                     shape=(len(pb.units), len(level))) for level in self.levels[1:]]

    def regions(self, pb: _Problem) -> "_Regions":
        if self._regions is None:
            self._regions = _Regions(pb, self)
        return self._regions


def _unit_pieces(M: np.ndarray, nonempty: np.ndarray):
    """The local pieces of a unit whose classes with respondents are ``nonempty`` (None if there
    are none): (views that equal another view there, their group, the number of groups, and the
    pairs (a, b) of views where b counts a proper subset of a's non-empty classes)."""
    from scipy.sparse import csc_matrix

    rows = np.flatnonzero(nonempty)
    if not rows.size:
        return None
    atoms = M[rows]  # non-empty classes x views
    views = np.flatnonzero(atoms.any(axis=0))
    atoms = atoms[:, views]
    keys = np.packbits(atoms, axis=0).T
    _, group = np.unique(keys, axis=0, return_inverse=True)
    group = group.ravel()
    size_of = np.bincount(group)
    shared = size_of[group] > 1
    a = csc_matrix(atoms.astype(np.int32))
    inter = (a.T @ a).tocoo()
    size = np.asarray(atoms.sum(axis=0)).ravel()
    keep = (inter.data == size[inter.col]) & (size[inter.row] > size[inter.col])
    return views[shared], group[shared], len(size_of), views[inter.row[keep]], views[inter.col[keep]]


def _equal_cells(pb: _Problem, hidden: np.ndarray, status: np.ndarray) -> bool:
    """Views that are the same figure at a unit share its fate: if one is hidden, all are
    (otherwise the hidden one is simply read off the shown one)."""
    if len(pb.view_names) == 1:
        return False
    lv = _local(pb)
    if not lv.equal_unit.size:
        return False
    h = hidden[lv.equal_unit, lv.equal_view]
    total = np.bincount(lv.equal_group, minlength=lv.groups)
    some = np.bincount(lv.equal_group, weights=h, minlength=lv.groups)
    mixed = (some > 0) & (some < total)
    if not mixed.any():
        return False
    hit = mixed[lv.equal_group]
    for i, v in zip(lv.equal_unit[hit], lv.equal_view[hit]):
        _hide(hidden, status, int(i), int(v))
    return True


def _local_nesting(atoms: np.ndarray) -> np.ndarray:
    """nested[a, b]: view b counts a proper subset of the classes view a counts (here)."""
    a = atoms.astype(np.int32)
    inter = a.T @ a
    size = np.diag(inter)
    return (inter == size[None, :]) & (size[:, None] > size[None, :])


def _view_rules(pb: _Problem, hidden: np.ndarray, status: np.ndarray) -> bool:
    """Hide a sub-view where its difference to a shown view has 1 to min_n - 1 respondents
    (the "vet ikke" drop-outs of a scale, the respondents who named no partner, ...)."""
    if len(pb.view_names) == 1:  # no sub-views
        return False
    lv = _local(pb)
    u, a, b = lv.pair_unit[lv.small_pair], lv.pair_a[lv.small_pair], lv.pair_b[lv.small_pair]
    bad = ~hidden[u, a] & ~hidden[u, b]
    if not bad.any():
        return False
    for i, w in zip(u[bad], b[bad]):
        _hide(hidden, status, int(i), int(w))
    return True


def _heads(lv: _LocalViews, shown: np.ndarray) -> np.ndarray:
    """Per unit: the nearest unit strictly above it that is shown (``shown``: per unit), -1: none."""
    blk = np.full(shown.shape[0], -1)
    head = np.full(shown.shape[0], -1)
    for level in lv.levels:  # parents before children
        up = lv.parent[level]
        above = np.where(up >= 0, blk[np.maximum(up, 0)], -1)
        head[level] = above
        blk[level] = np.where(shown[level], level, above)
    return head


def _remainder_rules(pb: _Problem, hidden: np.ndarray, status: np.ndarray) -> bool:
    """The view rule for what a shown unit holds beyond its shown descendants.

    For a unit shown in a view a and a sub-view b, with F the highest shown descendants in b:
    when every unit of F is shown in a as well, (n_a - n_b) of the unit minus that of F is the
    difference of a and b among the respondents below the unit but outside F, a derivable
    group. If it has 1 to min_n - 1 respondents, the smallest unit of F is hidden in b (as the
    up rule does), or the unit itself when F is empty.

    Only the (unit, a) where b is locally nested in a are looked at (:class:`_LocalViews`):
    F's sums are gathered for those views alone.
    """
    from scipy.sparse import csr_matrix

    lv = _local(pb)
    V = len(pb.view_names)
    for b in range(V):
        lo, hi = lv.pairs_of_b[b], lv.pairs_of_b[b + 1]
        if lo == hi:
            continue
        vis_b = ~hidden[:, b] & pb.publishable
        pu, pa = lv.pair_unit[lo:hi], lv.pair_a[lo:hi]
        live = vis_b[pu] & ~hidden[pu, pa]
        if not live.any():
            continue
        pu, pa = pu[live], pa[live]
        head = _heads(lv, vis_b)
        f = np.flatnonzero(vis_b & (head >= 0))  # F of each shown unit: the f with head(f) = unit
        hf = head[f]
        cover_b = np.bincount(hf, weights=pb.n[f, b], minlength=len(pb.units))
        cols = np.unique(pa)
        pos = np.searchsorted(cols, pa)
        into_head = csr_matrix((np.ones(f.size), (hf, np.arange(f.size))), shape=(len(pb.units), f.size))
        cover = into_head @ pb.n[f][:, cols]
        missing = into_head @ hidden[f][:, cols].astype(float)
        rest = (pb.n[pu, pa] - cover[pu, pos]) - (pb.n[pu, b] - cover_b[pu])
        bad = (missing[pu, pos] == 0) & (rest > 0) & (rest < pb.min_n)
        if bad.any():
            i = int(pu[bad].min())
            members = f[hf == i]
            if members.size:
                target = min(zip(pb.n[members, b], members))[1]
            else:
                target = i
            _hide(hidden, status, int(target), b)
            return True
    return False


def _block_ids(pb: _Problem, hidden: np.ndarray) -> np.ndarray:
    """Per unit and view: the nearest publishable unit at or above it that is shown (-1: none).

    A view's shown cells form a laminar family; its *blocks* are what each shown unit holds
    beyond its shown descendants, and a region is known in a view when it is a union of blocks.
    """
    shown = ~hidden & pb.publishable[:, None]
    blk = np.full(hidden.shape, -1)
    for i in pb.order:  # parents first
        p = pb.parent[i]
        above = blk[p] if p >= 0 else np.full(hidden.shape[1], -1)
        blk[i] = np.where(shown[i], i, above)
    return blk


def _region_rules(pb: _Problem, hidden: np.ndarray, status: np.ndarray) -> bool:
    """Groups that several views determine together in one region.

    For every block B of every view, collect the views in which B is known (a union of their
    blocks, counting only units with respondents in that view). Their counts over B, class by
    class, give B's count in any combination of those views: a view minus a sub-view (the
    drop-outs of a scale in B) or minus disjoint sub-views (the respondents of B who named no
    partner, or another one, given the partner cells). Where such a group has 1 to min_n - 1
    respondents, the most specific cell it rests on is hidden.

    Sparse: a region's aligned views are found from the (leaf, view) pairs with respondents of
    its own leaves (:func:`_aligned_sparse`), and its class counts from its head unit minus
    the shown units that bound it, never from leaves x views x classes arrays.

    With fewer than two classes no view counts a proper subset of another's classes, so there
    is no combination to find (a unit table without breakdowns: 1,276 regions of one view each
    cost 0.3 s of a national scale's table for nothing).
    """
    leaves = np.flatnonzero(pb.is_leaf)
    if leaves.size == 0 or pb.k < 2:
        return False
    lv = _local(pb)
    reg = lv.regions(pb)
    blk = reg.blocks(pb, hidden)  # leaves x views
    nv = reg.nv
    V = len(pb.view_names)
    U = len(pb.units)
    tot = reg.totals(blk, U)
    changed = False
    # The same region turns up as a block of many views (a unit shown in every scale): its
    # aligned views are looked up once until a cell is hidden, and the small-combination search,
    # a function of the region's class counts and aligned views alone, once per problem.
    aligned_of: dict[bytes, list[int]] = {}
    combinations = pb.__dict__.setdefault("_small_combinations", {})
    for v in range(V):
        column = blk[:, v]
        head = None
        for b in np.unique(column[column >= 0]):
            in_b = blk[:, v] == b
            if not (nv[in_b, v] > 0).any():
                continue
            rows = np.flatnonzero(in_b)
            key = rows.tobytes()
            aligned = aligned_of.get(key)
            if aligned is None:
                aligned = aligned_of[key] = reg.aligned(rows, blk, tot, U)
            if head is None:  # per unit: its nearest shown unit strictly above, in view v
                shown_v = ~hidden[:, v] & pb.publishable
                head = np.where(shown_v, _heads(lv, shown_v), -1)
            ysum = pb.Y[b] - pb.Y[np.flatnonzero(head == b)].sum(axis=0)  # b's leaves minus those of the shown units below
            nz = np.flatnonzero(ysum > 0)
            key = (nz.tobytes(), ysum[nz].tobytes(), tuple(aligned))
            if key not in combinations:
                combinations[key] = _small_combination(pb, ysum, aligned)
            bad = combinations[key]
            if bad is not None:
                target = _region_target(pb, hidden, blk, nv, in_b, bad, leaves)
                if target is not None:
                    _hide(hidden, status, *target)
                    changed = True
                    aligned_of.clear()
                    w = target[1]
                    blk[:, w] = reg.block_column(pb, hidden, w)
                    tot[w] = reg.total_of(blk, w, U)
                    if w == v:
                        head = None
    return changed


class _Regions:
    """The leaves' side of the region rules: per leaf the views with respondents (sparse) and
    the leaves x views counts, fixed by the counts."""

    def __init__(self, pb: _Problem, lv: "_LocalViews"):
        from scipy.sparse import csr_matrix

        self.leaves = np.flatnonzero(pb.is_leaf)
        self.nv = pb.Y[self.leaves] @ pb.M  # leaves x views: respondents per leaf and view
        self.has = self.nv > 0
        self.sparse = csr_matrix(self.has)
        self.lv = lv
        self.leaf_row = np.full(len(pb.units), -1)
        self.leaf_row[self.leaves] = np.arange(self.leaves.size)

    def block_column(self, pb: _Problem, hidden: np.ndarray, w: int) -> np.ndarray:
        """:func:`_block_ids` of one view, at the leaves."""
        shown = ~hidden[:, w] & pb.publishable
        blk = np.full(len(pb.units), -1)
        for level in self.lv.levels:
            up = self.lv.parent[level]
            above = np.where(up >= 0, blk[np.maximum(up, 0)], -1)
            blk[level] = np.where(shown[level], level, above)
        return blk[self.leaves]

    def blocks(self, pb: _Problem, hidden: np.ndarray) -> np.ndarray:
        shown = ~hidden & pb.publishable[:, None]
        blk = np.full(hidden.shape, -1)
        for level in self.lv.levels:
            up = self.lv.parent[level]
            above = np.where((up >= 0)[:, None], blk[np.maximum(up, 0)], -1)
            blk[level] = np.where(shown[level], level[:, None], above)
        return blk[self.leaves]

    def totals(self, blk: np.ndarray, n_units: int) -> np.ndarray:
        """views x units: leaves with respondents in the view in each of its blocks."""
        r, c = np.nonzero(self.has)
        ids = blk[r, c]
        ok = ids >= 0
        return np.bincount(c[ok] * n_units + ids[ok], minlength=blk.shape[1] * n_units).reshape(blk.shape[1], n_units)

    def total_of(self, blk: np.ndarray, w: int, n_units: int) -> np.ndarray:
        ids = blk[self.has[:, w], w]
        return np.bincount(ids[ids >= 0], minlength=n_units)

    def aligned(self, rows: np.ndarray, blk: np.ndarray, tot: np.ndarray, n_units: int) -> list[int]:
        """:func:`_aligned_views` of the region made of these leaf rows, from their own
        (leaf, view) pairs: a view is aligned when the region's leaves with respondents in it
        all lie in its blocks and fill each of those blocks."""
        sub = self.sparse[rows]
        r = np.repeat(rows, np.diff(sub.indptr))
        w = sub.indices.astype(np.int64)
        ids = blk[r, w]
        views = np.unique(w)
        bad = np.zeros(blk.shape[1], dtype=bool)
        bad[w[ids < 0]] = True
        ok = ids >= 0
        keys, inside = np.unique(w[ok] * n_units + ids[ok], return_counts=True)
        short = inside < tot.reshape(-1)[keys]
        bad[keys[short] // n_units] = True
        return [int(x) for x in views if not bad[x]]


def _aligned_views(in_b: np.ndarray, blk: np.ndarray, has: np.ndarray, n_units: int) -> np.ndarray:
    """:func:`_aligned` for every view at once (leaves x views ``blk`` and ``has``): a boolean
    per view."""
    inside = in_b[:, None] & has
    outside = ~in_b[:, None] & has & (blk >= 0)
    occupied = np.zeros((blk.shape[1], n_units), dtype=bool)  # view -> block ids used outside
    r, c = np.nonzero(outside)
    occupied[c, blk[r, c]] = True
    r, c = np.nonzero(inside)
    ids = blk[r, c]
    bad = np.zeros(blk.shape[1], dtype=bool)
    bad[c[ids < 0]] = True
    ok = ids >= 0
    bad[c[ok][occupied[c[ok], ids[ok]]]] = True
    return inside.any(axis=0) & ~bad


def _small_combination(pb: _Problem, ysum: np.ndarray, views: list[int]):
    """A view minus locally nested, pairwise disjoint views (one, all, or all but one of them)
    whose count in the region is 1 to min_n - 1: returns (view, subtracted views) or None.

    Every subtracted view counts a subset of the view's classes and they do not overlap, so
    such a group's count is the view's count in the region minus theirs."""
    nz = np.flatnonzero(ysum > 0)  # classes empty in the region tell no views apart: left out
    if not len(views):
        return None
    local = pb.M[nz][:, views] > 0
    a32 = local.astype(np.float64)
    inter = a32.T @ a32  # classes two views share here (exact: small whole numbers)
    size = np.diag(inter)
    nested = (inter == size[None, :]) & (size[:, None] > size[None, :]) & (size > 0)[None, :]
    weight = ysum[nz] @ local  # each view's count in the region
    min_n = pb.min_n
    for ia, a in enumerate(views):
        subs = np.flatnonzero(nested[ia])
        if not subs.size:
            continue
        single = weight[ia] - weight[subs]
        hit = np.flatnonzero((single > 0) & (single < min_n))
        if hit.size:
            return a, [views[subs[hit[0]]]]
        disjoint: list[int] = []
        overlaps = np.zeros(len(views), dtype=bool)  # shares a class with a view already taken
        for j in sorted(subs.tolist(), key=lambda j: -weight[j]):
            if not overlaps[j]:
                disjoint.append(j)
                overlaps |= inter[j] > 0
        if len(disjoint) > 1:
            total = weight[ia] - weight[disjoint].sum()
            if 0 < total < min_n:
                return a, [views[d] for d in disjoint]
            for x in disjoint:
                count = weight[ia] - weight[[d for d in disjoint if d != x]].sum()
                if 0 < count < min_n:
                    return a, [views[d] for d in disjoint if d != x]
    return None


def _region_target(pb, hidden, blk, nv, in_b, bad, leaves):
    """The shown cell to hide for a small combination: the smallest head of a block of the
    region in one of the views involved, preferring the subtracted (more specific) views."""
    a, minus = bad
    for group in (minus, [a]):
        candidates = []
        for w in group:
            heads = np.unique(blk[in_b & (nv[:, w] > 0), w])
            candidates += [(pb.n[h, w], int(h), w) for h in heads if h >= 0 and not hidden[h, w]]
        if candidates:
            _, h, w = min(candidates)
            return h, w
    return None


def _join_rules(pb: _Problem, hidden: np.ndarray, status: np.ndarray) -> bool:
    """The region rule for regions made of blocks of several views.

    A view a and some of its sub-views S that do not overlap (a scale and the partners named,
    the responses and a scale): a region that is a union of blocks in a and in every view of S
    is known in all of them, and so is its count of respondents counted by a but by no view of
    S (the drop-outs of a scale; those who named none of the partners in S). The finest such
    regions are the connected components of leaves linked through shared blocks. Where one
    holds 1 to min_n - 1 such respondents, a cell it rests on is hidden.

    The first such cell in (a, S, component) order is hidden and the rules start again. What an
    option (a, S) finds depends only on the block columns of its views, so an option that found
    nothing is not looked at again until one of those columns changes (:class:`_JoinMemo`; a
    national round has 2,418 views and 31,914 options, and a pass hides one cell).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    leaves = np.flatnonzero(pb.is_leaf)
    if leaves.size == 0:
        return False
    L = leaves.size
    reg = _local(pb).regions(pb)
    nv = reg.nv
    memo = _join_memo(pb)
    blk = reg.blocks(pb, hidden)  # nothing is hidden in this call before it returns
    memo.see(blk)
    for a, minus in memo.options:
        views = [a, *minus]
        if memo.quiet(a, minus, views):
            continue
        rows, cols = [], []
        unknown = np.zeros(L, dtype=bool)
        for j, w in enumerate(views):
            has = nv[:, w] > 0
            unknown |= has & (blk[:, w] < 0)
            ok = np.flatnonzero(has & (blk[:, w] >= 0))
            rows.append(ok)
            cols.append(L + j * len(pb.units) + blk[ok, w])
        r = np.concatenate(rows)
        c = np.concatenate(cols)
        size = L + len(views) * len(pb.units)
        graph = coo_matrix((np.ones(r.size), (r, c)), shape=(size, size))
        _, label = connected_components(graph, directed=False)
        label = label[:L]
        # respondents counted by a and by no view of S: the views of S are disjoint subsets of a
        weights = nv[:, a] - nv[:, list(minus)].sum(axis=1)
        count = np.bincount(label, weights=weights, minlength=size)
        spoiled = np.bincount(label, weights=unknown.astype(float), minlength=size) > 0
        bad = np.flatnonzero((count > 0) & (count < pb.min_n) & ~spoiled)
        for comp in bad:
            target = _region_target(pb, hidden, blk, nv, label == comp, (a, list(minus)), leaves)
            if target is not None:
                _hide(hidden, status, *target)
                return True
        memo.found_nothing(a, minus, views)
    return False


class _JoinMemo:
    """The join rule's options (fixed by the counts) and which of them found nothing, with the
    versions of their views' block columns at the time."""

    def __init__(self, pb: _Problem, nv: np.ndarray):
        M = pb.M > 0
        m = M.astype(np.int32)
        inter = m.T @ m  # classes two views share
        size = np.diag(inter)
        self.options: list[tuple[int, tuple]] = []
        for a in range(M.shape[1]):
            # proper sub-views of a with respondents somewhere, in view order
            subs = np.flatnonzero((size > 0) & (inter[a] == size) & (size[a] > size)).tolist()
            if not subs:
                continue
            disjoint: list[int] = []
            for b in sorted(subs, key=lambda b: -nv[:, b].sum()):
                if all(inter[b, d] == 0 for d in disjoint):
                    disjoint.append(b)
            options = [(b,) for b in subs]
            if 1 < len(disjoint) <= 8:
                options += [c for r in range(2, len(disjoint) + 1) for c in itertools.combinations(disjoint, r)]
            self.options += [(a, minus) for minus in options]
        self.version = np.zeros(M.shape[1], dtype=np.int64)
        self.previous: np.ndarray | None = None
        self.nothing: dict[tuple, tuple] = {}

    def see(self, blk: np.ndarray) -> None:
        if self.previous is not None:
            self.version[(blk != self.previous).any(axis=0)] += 1
        self.previous = blk.copy()

    def quiet(self, a: int, minus: tuple, views: list[int]) -> bool:
        return self.nothing.get((a, minus)) == tuple(self.version[views])

    def found_nothing(self, a: int, minus: tuple, views: list[int]) -> None:
        self.nothing[(a, minus)] = tuple(self.version[views])


def _join_memo(pb: _Problem) -> _JoinMemo:
    memo = pb.__dict__.get("_join_memo")
    if memo is None:
        memo = _JoinMemo(pb, _local(pb).regions(pb).nv)
        pb._join_memo = memo
    return memo


# ----------------------------------------------------------------------------- exact audit


def _fix(pb: _Problem, hidden: np.ndarray, status: np.ndarray, i: int, form: tuple) -> bool:
    """Hide a shown cell that the derivation of the group (i, form) rests on.

    First at unit i itself: among its shown views that count some of the group's classes, the
    most specific one (fewest classes with respondents, then smallest n) — the drop-out scale
    rather than the response count, the partner cell rather than the scale. Else the smallest
    shown cell sharing an equation with the group: its siblings, parent and children; then its
    ancestors, nearest first; then anything below it. False if none is left.
    """
    support = np.array(form) != 0
    overlapping = [v for v in range(len(pb.view_names)) if np.any(pb.M[support, v])]
    if pb.publishable[i]:
        atoms = _cell_atoms(pb, i)
        own = [(int(atoms[:, v].sum()), pb.n[i, v], v) for v in overlapping
               if not hidden[i, v] and pb.n[i, v] > 0 and (atoms[:, v] & support).any()]
        if own:
            _, _, v = min(own)
            _hide(hidden, status, i, v)
            return True

    def shown_cells(units):
        return [(pb.n[j, v], j, v) for j in units for v in overlapping if not hidden[j, v] and pb.n[j, v] > 0 and pb.publishable[j]]

    p = pb.parent[i]
    near = ([s for s in pb.children[p] if s != i] + [p] if p >= 0 else []) + pb.children[i]
    candidates = shown_cells(near)
    a = p
    while not candidates and a >= 0:
        candidates = shown_cells([a])
        a = pb.parent[a]
    if not candidates:
        below, stack = [], list(pb.children[i])
        while stack:
            j = stack.pop()
            below.append(j)
            stack.extend(pb.children[j])
        candidates = shown_cells(below)
    if not candidates:
        return False
    _, j, v = min(candidates)
    _hide(hidden, status, j, v)
    return True


# ----------------------------------------------------------------------------- entry point


def suppress(
    tree: Mapping | pd.DataFrame,
    counts: pd.DataFrame,
    *,
    views: Mapping[str, Sequence] | None = None,
    min_n: int = DEFAULT_MIN_N,
    hidden: Mapping[str, Iterable] | None = None,
) -> Suppression:
    """Decide which (unit, view) cells may be shown; see the module docstring for the rules.

    Parameters
    ----------
    tree : mapping ``unit -> parent`` (None for a root), or a DataFrame with columns ``unit``
        and ``parent``. Units named only as a parent become roots.
    counts : DataFrame with ``unit`` and ``n`` (respondents), optional ``sum`` (sum of the
        scores, for means) and optional ``stratum`` (round, background group, ...; default one
        stratum ``"all"``). One row per unit and stratum; leaves normally, an inner unit's rows
        are its directly registered respondents.
    views : mapping ``view -> strata`` shown together; default one view per stratum.
    min_n : smallest n shown (>= 3).
    hidden : mapping ``view -> units`` hidden from the start, e.g. because a linked table hides
        them (an item's cells where its scale's cell is hidden); the rules then protect them
        like any other hidden cell.

    Returns
    -------
    Suppression
        with :meth:`Suppression.published` (what may be shown) and ``cells`` (the audit table).

    Examples
    --------
    >>> tree = {"org": None, "a": "org", "b": "org", "c": "org"}
    >>> counts = pd.DataFrame({"unit": ["a", "b", "c"], "n": [12, 3, 7]})
    >>> sorted(suppress(tree, counts).shown_units())
    ['a', 'org']

    ``b`` has too few answers; ``c`` is hidden as well, or ``org - a`` would give ``b``.
    """
    min_n = check_min_n(min_n)
    has_sum = "sum" in counts
    pb = _Problem(tree, _checked_counts(counts), views, min_n)
    cells_hidden, status = _primary_suppression(pb, forced=hidden)
    _hide_until_safe(pb, cells_hidden, status)
    return Suppression(min_n, pb.views, _cell_table(pb, cells_hidden, status, has_sum))


def _checked_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``counts`` with the default stratum and sum; UserError without unit and n or
    with a negative n."""
    counts = counts.copy()
    if "unit" not in counts or "n" not in counts:
        raise UserError.single("counts need the columns 'unit' and 'n'")
    if (counts["n"] < 0).any():
        raise UserError.single("counts must not be negative", path="n")
    if "stratum" not in counts:
        counts["stratum"] = ALL
    if "sum" not in counts:
        counts["sum"] = 0.0
    return counts


def _primary_suppression(pb: _Problem, *, forced: Mapping[str, Iterable] | None) -> tuple[np.ndarray, np.ndarray]:
    """(hidden, status) before the rules: cells below min_n and of unpublished units hidden,
    and the ``forced`` (view -> units) cells."""
    hidden = (pb.n < pb.min_n) | ~pb.publishable[:, None]
    status = np.full(hidden.shape, SHOWN, dtype=object)
    status[pb.n < pb.min_n] = PRIMARY
    status[~pb.publishable] = UNPUBLISHED
    for view, units in (forced or {}).items():
        v = pb.view_names.index(view)
        for unit in units:
            _hide(hidden, status, pb._index(unit), v)
    return hidden, status


def _hide_until_safe(pb: _Problem, hidden: np.ndarray, status: np.ndarray) -> None:
    """Apply the rules until none hides more, then the tree audit and (small enough rounds) the
    whole-round exact check; each finding hides one more cell and the rules run again."""
    atoms = None
    while True:
        while (_equal_cells(pb, hidden, status) | _view_rules(pb, hidden, status)
               | _remainder_rules(pb, hidden, status) | _tree_rules(pb, hidden, status)
               or _region_rules(pb, hidden, status) or _join_rules(pb, hidden, status)):
            pass
        determined = tree_audit.audit(pb, hidden)
        if determined:
            fixed = [_fix(pb, hidden, status, i, form) for i, form in determined]
            if not any(fixed):  # pragma: no cover - a determined group always touches a shown cell
                raise RuntimeError("suppression made no progress on " + ", ".join(str(pb.units[i]) for i, _ in determined))
            continue
        if atoms is None:
            atoms = exact.Atoms(pb)
        if len(atoms) > exact.EXACT_LIMIT:
            break
        found = exact.findings(pb, hidden, atoms)
        if not found:
            break
        if not any([exact.fix(pb, hidden, status, atoms, f, _hide) for f in found]):  # pragma: no cover
            raise RuntimeError("suppression made no progress on the whole-round check")


def _cell_table(pb: _Problem, hidden: np.ndarray, status: np.ndarray, has_sum: bool) -> pd.DataFrame:
    """The audit table: one row per publishable unit and view."""
    keep = np.flatnonzero(pb.publishable)
    rows = []
    for v, name in enumerate(pb.view_names):
        rows.append(
            pd.DataFrame(
                {
                    "unit": [pb.units[i] for i in keep],
                    "view": name,
                    "n": pb.n[keep, v].astype(int),
                    "sum": pb.sum[keep, v] if has_sum else np.nan,
                    "shown": ~hidden[keep, v],
                    "status": status[keep, v],
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


# ----------------------------------------------------------------------------- breakdowns


@dataclass(frozen=True)
class Breakdown:
    """Whether a background breakdown (role, tenure, ...) may be shown, and why not.

    ``reason``: ``ok``, ``not_organisation`` (breakdowns below the organisation are off),
    ``cell_below_min_n`` (a group has 1 to min_n - 1 respondents) or ``remainder_below_min_n``
    (the respondents without a group, total minus the groups, are 1 to min_n - 1).
    """

    allowed: bool
    reason: str


def breakdown_allowed(
    group_counts: Mapping[str, int] | pd.Series,
    *,
    min_n: int = DEFAULT_MIN_N,
    total: int | None = None,
    organisation: bool = True,
    allow_units: bool = False,
) -> Breakdown:
    """May results be broken down by a background variable for one unit?

    Allowed only when every group with respondents has at least ``min_n`` of them (empty groups
    carry no answers and are left out), and — given the unit's ``total`` — the remainder
    without a group (not answered) is 0 or at least ``min_n``, since it is total minus the
    groups. By default breakdowns are allowed only for the whole organisation
    (``organisation=True``); for a sub-unit they need ``allow_units=True`` as well, because a
    breakdown of the organisation minus one of a sub-unit would expose the rest.
    """
    min_n = check_min_n(min_n)
    if not organisation and not allow_units:
        return Breakdown(False, "not_organisation")
    values = np.array(list(group_counts.values()) if isinstance(group_counts, Mapping) else list(group_counts), dtype=float)
    if np.any((values > 0) & (values < min_n)):
        return Breakdown(False, "cell_below_min_n")
    if total is not None:
        rest = total - values.sum()
        if 0 < rest < min_n:
            return Breakdown(False, "remainder_below_min_n")
    return Breakdown(True, "ok")
