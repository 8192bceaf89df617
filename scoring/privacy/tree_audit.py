"""The suppression engine's exact tree audit, kept in each unit's own classes.

Step (c) of :mod:`scoring.privacy.suppression`: which hidden cells, and which groups of 1 to
``min_n - 1`` respondents, do the published cells determine? Message passing on the unit tree,
exact over Q (Hundepool et al., *Statistical Disclosure Control*, 2012, 4.3; the algebra of
linked tables): with x_i the vector of unit i's counts per stratum class,

* U_i = the linear forms of x_i determined inside i's subtree: U_i = pub_i + the intersection
  over i's children c of U_c (a form of x_i = sum_c x_c is known from below when it is known of
  every child);
* D_i = those determined from outside it: D_c = (D_i + pub_i) & the intersection of U_s over
  c's siblings s;
* a protected form f of unit i is determined iff f lies in T_i = U_i + D_i.

Own classes
-----------
A national round has about 1,300 stratum classes, but the respondents below one unit fall in a
few dozen of them. Let A_i be the classes with respondents below i and E_i the span of the unit
vectors e_j for j outside A_i. Those counts are 0, and publicly so (empty leaves are public
knowledge: a leaf's pub_i holds e_j for its empty classes, and an inner unit's U_i holds every
e_j that all its children hold), so E_i lies in U_i, and for T containing E_i

    f in T  <=>  pi_i(f) in pi_i(T)          (pi_i: keep the coordinates in A_i).

So every space of unit i is kept in Q^|A_i| (``pi_i`` of the space in Q^k):

* U_i = pi_i(pub_i) + the intersection of lift_c(U_c), where lift_c places Q^|A_c| in Q^|A_i|
  and adds e_j for j in A_i but not A_c. The intersection is taken through complements:
  lift_c(U_c)'s complement is U_c's complement in Q^|A_c|, padded with zeros, so the
  intersection is (sum_c pad_c(U_c^perp))^perp.
* D_c = pi_c((D_i + pub_i) & the intersection of lift_s(U_s) over c's siblings). Keeping
  D_i + E_i instead of D_i changes nothing that is projected: E_i lies in every lift_s(U_s)
  and in E_c, so by the modular law ((D_i + E_i + pub_i) & W) + E_c = ((D_i + pub_i) & W) + E_c.

The results are the same forms as the audit in Q^k (tested against it on random trees,
``tests/privacy/test_tree_audit.py``); the spaces of a leaf are a dozen columns wide instead
of 1,261, which is what let the national round's audit run at all (in Q^k it ran out of memory).
"""

from __future__ import annotations

import itertools

import numpy as np

from scoring.privacy import subspace
from scoring.privacy.subspace import Space


def audit(pb, hidden: np.ndarray) -> list[tuple[int, tuple]]:
    """Hidden cells and small groups that the published cells determine: [(unit, form)], units
    in index order, forms (in all k classes) in sorted order."""
    if pb.k == 1:
        return _audit_one_class(pb, hidden)
    own = [np.flatnonzero(pb.Y[i] > 0) for i in range(len(pb.units))]
    try:
        pub = [_published(pb, hidden, i, own[i]) for i in range(len(pb.units))]
        up = _inside(pb, pub, own)
        down = _outside(pb, pub, up, own)
        subsets = class_subsets(pb)
        small = _small_groups(pb, subsets)
        catalogue = _Catalogue(pb, subsets)
        found = []
        for i in range(len(pb.units)):
            forms = catalogue.protected(pb, hidden, i, small[i])
            if not len(forms):
                continue
            known = up[i] + down[i]
            if known.dim == 0:
                continue
            hits = known.contains_all(forms[:, own[i]])
            found += [(i, tuple(int(x) for x in form)) for form in forms[hits]]
        return found
    finally:
        subspace.clear_caches()  # the next audit meets other spaces; do not hold these


def _audit_one_class(pb, hidden: np.ndarray) -> list[tuple[int, tuple]]:
    """:func:`audit` for a round of one stratum class (a unit table without breakdowns: the
    national analysis' 14 scale tables), where every space is {0} or Q and the message passing
    is on booleans:

    * a unit without respondents is known (its count is 0, publicly);
    * up_i = a shown cell at i, or i has children and every child is known from below;
    * down_c = (down_i or a shown cell at i) and every sibling of c is known from below;
    * a unit's protected form (1,) is found when up_i or down_i.

    The same findings as the spaces' audit (tested on random one-class trees); the general
    audit spent ~0.7 s of linear algebra on 1-wide spaces of a 1,500-unit table."""
    with_people = pb.Y[:, 0] > 0
    shown = with_people & (~hidden & (pb.M[0] > 0)[None, :]).any(axis=1)
    up = np.zeros(len(pb.units), dtype=bool)
    for i in reversed(pb.order):  # children before parents
        kids = pb.children[i]
        up[i] = shown[i] or (bool(kids) and all(up[c] or not with_people[c] for c in kids))
    known_below = up | ~with_people
    down = np.zeros(len(pb.units), dtype=bool)
    for i in pb.order:  # parents before children
        kids = pb.children[i]
        if not kids:
            continue
        given = down[i] or shown[i]
        missing = [c for c in kids if not known_below[c]]
        for c in kids:
            # every sibling known: none missing, or c the only one missing
            down[c] = given and (not missing or (len(missing) == 1 and missing[0] == c))
    small = with_people & (pb.Y[:, 0] < pb.min_n)
    hidden_cell = pb.publishable & (hidden & (pb.n > 0)).any(axis=1)
    hits = (small | hidden_cell) & (up | down)
    return [(int(i), (1,)) for i in np.flatnonzero(hits)]


def _small_groups(pb, subsets: np.ndarray) -> np.ndarray:
    """units x groups: does the group of classes have 1 to min_n - 1 respondents at the unit?"""
    sizes = pb.Y @ subsets.T
    return (sizes > 0) & (sizes < pb.min_n)


def _published(pb, hidden: np.ndarray, i: int, own: np.ndarray) -> Space:
    """pi_i of the span of the class-count forms unit i's shown cells publish (a leaf's empty
    classes, also public, are outside A_i and projected away)."""
    rows = pb.M[:, ~hidden[i]].T[:, own].astype(np.int64)
    rows = rows[rows.any(axis=1)]
    if len(rows):
        rows = np.unique(rows, axis=0)
    return Space(len(own), rows)


def _pad(space: Space, cols: np.ndarray, k: int) -> np.ndarray:
    """The basis of ``space`` (in the columns ``cols`` of Q^k) as rows of Q^k."""
    rows = np.zeros((space.dim, k), dtype=space.basis.dtype)
    rows[:, cols] = space.basis
    return rows


def _positions(own: list[np.ndarray], parent: int, child: int) -> np.ndarray:
    """Where the child's own classes sit among the parent's (A_c is a subset of A_p)."""
    return np.searchsorted(own[parent], own[child])


def _annihilator(up: list[Space], own: list[np.ndarray], i: int, kids: list[int]) -> list[np.ndarray]:
    """Per child c of i: the rows of pad_c(U_c^perp) in Q^|A_i|."""
    k = len(own[i])
    return [_pad(up[c].perp(), _positions(own, i, c), k) for c in kids]


def _span(k: int, parts: list[np.ndarray]) -> Space:
    parts = [p for p in parts if len(p)]
    if not parts:
        return Space(k)
    dtype = object if any(p.dtype == object for p in parts) else np.int64
    return Space(k, np.concatenate([p.astype(dtype) for p in parts]))


def _inside(pb, pub: list[Space], own: list[np.ndarray]) -> list[Space]:
    """U_i = pi_i(pub_i) + (sum over children of pad_c(U_c^perp))^perp, leaves up."""
    up: list[Space | None] = [None] * len(pb.units)
    for i in reversed(pb.order):
        kids = pb.children[i]
        if not kids:
            up[i] = pub[i]
            continue
        k = len(own[i])
        inner = _span(k, _annihilator(up, own, i, kids)).perp()
        up[i] = pub[i] + inner
    return up


def _outside(pb, pub: list[Space], up: list[Space], own: list[np.ndarray]) -> list[Space]:
    """D_c = pi_c(((D_i + pi_i pub_i)^perp + sum over siblings of pad_s(U_s^perp))^perp), roots
    down; prefix and suffix sums over the children keep it linear in their number."""
    down: list[Space | None] = [None] * len(pb.units)
    for i in pb.order:
        k = len(own[i])
        if pb.parent[i] < 0:
            down[i] = Space(k)
        kids = pb.children[i]
        if not kids:
            continue
        outside = (down[i] + pub[i]).perp()
        pads = _annihilator(up, own, i, kids)
        prefix = [Space(k)]
        for rows in pads[:-1]:
            prefix.append(_span(k, [prefix[-1].basis, rows]))
        suffix = Space(k)
        for pos in range(len(kids) - 1, -1, -1):
            c = kids[pos]
            known = _span(k, [outside.basis, prefix[pos].basis, suffix.basis]).perp()
            down[c] = Space(len(own[c]), known.basis[:, _positions(own, i, c)])
            if pos:
                suffix = _span(k, [suffix.basis, pads[pos]])
    return down


class _Catalogue:
    """Every form the audit may protect, each once and in sorted order: the groups of classes
    (:func:`class_subsets`) and the views' cells. A unit's protected forms are a selection of
    these, so they are picked by index (sorting a few thousand rows of 1,261 classes per unit
    was what the national audit spent its time on)."""

    def __init__(self, pb, subsets: np.ndarray):
        if pb.k == 0:  # no class with respondents: nothing to protect
            self.forms = np.zeros((1, 0), dtype=np.int64)
            self.group_ids = np.zeros(len(subsets), dtype=np.int64)
            self.cell_ids = np.zeros(pb.M.shape[1], dtype=np.int64)
            return
        rows = np.concatenate([subsets.reshape(-1, pb.k), pb.M.T.astype(np.int64).reshape(-1, pb.k)])
        self.forms, inverse = np.unique(rows, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        self.group_ids, self.cell_ids = inverse[:len(subsets)], inverse[len(subsets):]

    def protected(self, pb, hidden: np.ndarray, i: int, small: np.ndarray) -> np.ndarray:
        """What must stay unknown at unit i, as distinct sorted rows: its hidden non-empty cells
        (if publishable) and every group of classes with 1 to min_n - 1 respondents there
        (``small``: per group)."""
        ids = [self.group_ids[small]]
        if pb.publishable[i]:
            ids.append(self.cell_ids[hidden[i] & (pb.n[i] > 0)])
        return self.forms[np.unique(np.concatenate(ids))]


def class_subsets(pb) -> np.ndarray:
    """Groups of strata classes to protect (rows of 0/1 or 0/+-1 forms): all of them for up to 6
    classes, else the classes, the views and the differences of nested views."""
    k = pb.k
    if k == 0:
        return np.zeros((0, 0), dtype=np.int64)
    if k <= 6:
        return np.array([[int(j in combo) for j in range(k)] for r in range(1, k + 1)
                         for combo in itertools.combinations(range(k), r)], dtype=np.int64).reshape(-1, k)
    cols = np.unique(pb.M.T.astype(np.int64), axis=0)  # the views' forms, each once
    inter = cols @ cols.T
    size = cols.sum(axis=1)
    nested = (inter == size[None, :]) & (size[:, None] > size[None, :])  # nested[x, y]: y inside x
    x, y = np.nonzero(nested)
    forms = np.concatenate([np.eye(k, dtype=np.int64), cols, cols[x] - cols[y]])
    return np.unique(forms, axis=0)
