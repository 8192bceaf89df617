"""An exact attack on a publication, written independently of the engine that made it.

The attacker knows every published number of a publication (:mod:`scoring.privacy.publication`)
and, as a database-free outsider with a pencil, adds and subtracts them. Each published count is
a 0/1 vector over the round's respondents (who is in the cell); the attacker can work out the
count of any group whose vector is a linear combination of them (and, because each mean comes
with the count of the same people, that group's means too). This module builds those vectors
from the raw answers, independently of the suppression engine, and reports:

* ``wrong number``: a shown cell whose n or mean is not the true count or mean of its group;
* ``shown below min_n``: a shown cell (other than an answer category) with 1 to min_n - 1
  respondents;
* ``hidden cell``: a hidden cell with respondents whose count follows from the shown ones;
* ``small group``: a group of 1 to min_n - 1 respondents, defined by who they are (unit, named
  partner) and which scales they have a score on ("vet ikke" drop-outs), whose count follows;
* ``outside scope``: for a viewer with a scope, a unit outside it whose figures follow.

Client feedback (page ``clients``) is attacked the same way: a block of clients
(``population = "clients"``) is a round whose respondents are clients, the client-count cell
counts a unit's clients, a figure cell those in the figure's denominator (the "scale"), so a
client count or figure of a hidden unit, and any group of 1 to ``min_n - 1`` clients (a unit's
clients without an intake, say), must not follow.

Groups defined by a single answer (the "1"s on an item) are what an item distribution
publishes and are not protected; groups defined by membership and drop-out are. Membership
tests use :class:`scoring.privacy.linalg.RowSpace` (exact modulo two large primes). Small
groups are searched exhaustively over unions of up to ``min_n - 1`` respondent classes, with the
classes' residues in the null space of the published vectors.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.privacy.answers import RoundAnswers
from scoring.privacy.linalg import RowSpace

ORGANISATION = "*"
TYPE_PREFIX = "type:"


@dataclass(frozen=True)
class Finding:
    kind: str
    round: str
    unit: str
    detail: str
    n: int


def attack(publication, tree: pd.DataFrame, rounds: list[RoundAnswers], *, max_group_atoms: int = 120) -> list[Finding]:
    """Everything the publication gives away (module docstring); [] when it is safe."""
    findings: list[Finding] = []
    scope = publication.viewer.units
    for answers in rounds:
        cells = publication.cells[publication.cells["round"] == answers.name]
        findings += _attack_round(cells, tree, answers, scope, max_group_atoms)
    return findings


class _Members:
    """Who is in a cell: respondents of a unit's subtree, a unit type, the organisation."""

    def __init__(self, tree: pd.DataFrame, answers: RoundAnswers):
        surveyed = tree[tree["unit_type"] != "partner"]
        parent = {u: (p if isinstance(p, str) and p else None) for u, p in zip(surveyed["unit"], surveyed["parent"])}
        self.kind = dict(zip(surveyed["unit"], surveyed["unit_type"]))
        self.parent = parent
        lineage = {}
        for unit in parent:
            chain, node = [], unit
            while node is not None:
                chain.append(node)
                node = parent.get(node)
            lineage[unit] = chain
        self.lineage = lineage
        self.unit = answers.unit
        self._below: dict[str, np.ndarray] = {}  # every cell of a unit asks again

    def below(self, unit: str) -> np.ndarray:
        if unit not in self._below:
            self._below[unit] = self._members(unit)
            self._below[unit].flags.writeable = False
        return self._below[unit]

    def _members(self, unit: str) -> np.ndarray:
        if unit == ORGANISATION:
            return np.ones(len(self.unit), dtype=bool)
        if unit.startswith(TYPE_PREFIX):
            kind = unit[len(TYPE_PREFIX):]
            return np.array([any(self.kind.get(a) == kind for a in self.lineage[u]) for u in self.unit], dtype=bool)
        return np.array([unit in self.lineage[u] for u in self.unit], dtype=bool)


def _cell_members(row, members: _Members, answers: RoundAnswers) -> np.ndarray:
    """The respondents counted by one cell, from its description alone."""
    who = members.below(row.unit)
    if row.page == "overview" or (row.page == "clients" and pd.isna(row.scale)):
        return who  # respondents, or clients with a contact
    scale = row.scale
    j = answers.scale_index(scale)
    who = who & ~np.isnan(answers.scores[:, j])
    if row.page == "partners":
        return who & (answers.partner == row.partner)
    if row.page == "items":
        k = next(i for i, it in enumerate(answers.items) if it.id == row.item)
        code = answers.answers[:, k]
        if row.category is None or (isinstance(row.category, float) and np.isnan(row.category)):
            return who & np.isin(code, answers.items[k].codes)
        return who & (code == float(row.category))
    return who


def _value(row, who: np.ndarray, answers: RoundAnswers) -> float | None:
    """The true mean behind a cell (None for counts)."""
    if row.page in ("compare", "partners") or (row.page == "clients" and not pd.isna(row.scale)):
        return float(np.nanmean(answers.scores[who, answers.scale_index(row.scale)])) if who.any() else None
    if row.page == "items" and (row.category is None or np.isnan(row.category)):
        k = next(i for i, it in enumerate(answers.items) if it.id == row.item)
        return float(answers.answers[who, k].mean()) if who.any() else None
    return None


def _classes(answers: RoundAnswers, members: _Members) -> tuple[np.ndarray, list[tuple]]:
    """Respondent -> class: (registered unit, named partner, scales with a score)."""
    valid = ~np.isnan(answers.scores)
    partner_on = any(s.partner for s in answers.scales)
    keys = [(u, p if partner_on else "", v.tobytes()) for u, p, v in zip(answers.unit, answers.partner, valid)]
    labels, index = {}, np.empty(len(keys), dtype=int)
    for r, key in enumerate(keys):
        index[r] = labels.setdefault(key, len(labels))
    return index, list(labels)


def _attack_round(cells: pd.DataFrame, tree: pd.DataFrame, answers: RoundAnswers, scope, max_group_atoms: int) -> list[Finding]:
    name, min_n = answers.name, answers.min_n
    members = _Members(tree, answers)
    klass, labels = _classes(answers, members)
    k = len(labels)
    findings, membership_shown, membership_hidden, item_rows = _read_cells(cells, members, answers, klass, k)
    if answers.n == 0:
        return findings
    space = RowSpace(np.array(membership_shown, dtype=np.int64).reshape(-1, k), width=k)
    if membership_hidden:
        inside = space.contains(np.array([a for _, a, _ in membership_hidden], dtype=np.int64))
        for (row, _, n), hit in zip(membership_hidden, inside):
            if hit:
                findings.append(Finding("hidden cell", name, row.unit, f"{row.page} {row.scale} {row.partner}", n))
    size = np.bincount(klass, minlength=k)
    findings += _small_groups(space, size, labels, name, min_n, max_group_atoms)
    if scope is not None:
        findings += _outside_scope(space, answers, members, scope, klass, k)
    for item, rows in item_rows.items():
        findings += _item_block(item, rows, membership_shown, answers, members, klass, k)
    return findings


def _read_cells(cells: pd.DataFrame, members: _Members, answers: RoundAnswers, klass: np.ndarray, k: int):
    """One pass over the published cells: the findings of the shown cells' numbers, the class
    vectors of the shown membership cells, (row, class vector, n) of the hidden non-empty ones,
    and the item cells with their respondents, by item."""
    findings: list[Finding] = []
    membership_shown, membership_hidden = [], []
    item_rows: dict[str, list] = {}
    for row in cells.itertuples(index=False):
        who = _cell_members(row, members, answers)
        if not row.hidden:
            findings += _check_numbers(row, who, answers, answers.min_n)
        if row.page == "items":
            item_rows.setdefault(row.item, []).append((row, who))
            continue
        atoms = _atoms_of(who, klass, k)
        if row.hidden:
            if who.any():
                membership_hidden.append((row, atoms, int(who.sum())))
        elif who.any():
            membership_shown.append(atoms)
    return findings, membership_shown, membership_hidden, item_rows


def _atoms_of(who: np.ndarray, klass: np.ndarray, k: int) -> np.ndarray:
    """A cell's vector over respondent classes; every class is wholly in or out of a
    membership cell (a class is one unit, one partner and one set of scales)."""
    inside = np.bincount(klass[who], minlength=k)
    total = np.bincount(klass, minlength=k)
    if np.any((inside > 0) & (inside < total)):
        raise AssertionError("a cell splits a respondent class")
    return (inside > 0).astype(np.int64)


def _check_numbers(row, who: np.ndarray, answers: RoundAnswers, min_n: int) -> list[Finding]:
    """A shown cell's n and mean against the raw answers, and min_n."""
    found = []
    name, n = answers.name, int(who.sum())
    if row.n is None or pd.isna(row.n) or int(row.n) != n:
        found.append(Finding("wrong number", name, row.unit, f"{row.page} {row.scale} {row.item} {row.category}: n {row.n} != {n}", n))
    truth = _value(row, who, answers)
    if truth is not None and (pd.isna(row.mean) or abs(float(row.mean) - truth) > 1e-9):
        found.append(Finding("wrong number", name, row.unit, f"{row.page} {row.scale} {row.item}: mean {row.mean} != {truth}", n))
    category = row.category is not None and not pd.isna(row.category)
    if not category and 0 < n < min_n:
        found.append(Finding("shown below min_n", name, row.unit, f"{row.page} {row.scale} {row.item} {row.partner}", n))
    return found


def _item_block(item: str, rows: list, membership_shown: list, answers: RoundAnswers, members: _Members, klass: np.ndarray, k: int) -> list[Finding]:
    """Hidden item and category cells of one item that follow from the shown ones.

    Unknowns: the class counts x_a and, per class, how many gave each answer to the item
    (the codes, "vet ikke" and no answer) with sum_c x_{a,c} = x_a. Published: the membership
    cells (in x_a) and this item's shown cells (sums of x_{a,c} over their classes).
    """
    j = next(i for i, it in enumerate(answers.items) if it.id == item)
    spec = answers.items[j]
    categories = [*spec.codes, *spec.dont_know, None]  # None: no answer, never published
    m = len(categories)
    width = k + k * m

    def block(classes: np.ndarray, cats: list) -> np.ndarray:
        vec = np.zeros(width, dtype=np.int64)
        for c in cats:
            vec[k + np.flatnonzero(classes) * m + categories.index(c)] = 1
        return vec

    published = [np.concatenate([a, np.zeros(k * m, dtype=np.int64)]) for a in membership_shown]
    for a in range(k):  # sum over the answers of class a = x_a
        row = np.zeros(width, dtype=np.int64)
        row[a] = -1
        row[k + a * m: k + (a + 1) * m] = 1
        published.append(row)
    targets = []
    for row, who in rows:
        scale_members = _scale_members(row, members, answers)
        classes = _atoms_of(scale_members, klass, k) if scale_members.any() else np.zeros(k, dtype=np.int64)
        category = None if row.category is None or pd.isna(row.category) else float(row.category)
        vec = block(classes, list(spec.codes) if category is None else [category])
        if row.hidden:
            if scale_members.any():
                targets.append((row, vec, int(who.sum())))
        else:
            published.append(vec)
    if not targets:
        return []
    space = RowSpace(np.array(published, dtype=np.int64), width=width)
    inside = space.contains(np.array([v for _, v, _ in targets], dtype=np.int64))
    return [Finding("hidden cell", answers.name, row.unit, f"items {row.item} {row.category}", n)
            for (row, _, n), hit in zip(targets, inside) if hit]


def _scale_members(row, members: _Members, answers: RoundAnswers) -> np.ndarray:
    """The respondents of the scale cell an item cell belongs to."""
    return members.below(row.unit) & ~np.isnan(answers.scores[:, answers.scale_index(row.scale)])


def _small_groups(space: RowSpace, size: np.ndarray, labels: list, round_name: str, min_n: int, limit: int) -> list[Finding]:
    """Unions of up to min_n - 1 respondent classes with 1 to min_n - 1 respondents in all
    whose count follows from the published vectors (exhaustive over the ``limit`` smallest
    classes), found through the classes' residues in the null space of the published vectors."""
    small = np.flatnonzero((size > 0) & (size < min_n))
    if len(small) > limit:
        small = small[np.argsort(size[small], kind="stable")[:limit]]
    null = space.null_basis()  # classes x d, modulo the first prime
    p = space.prime
    found: list[Finding] = []
    for r in range(1, min_n):
        if len(small) < r:
            break
        combos = np.array(list(itertools.combinations(small, r)), dtype=np.int64).reshape(-1, r)
        combos = combos[size[combos].sum(axis=1) < min_n]
        if null.shape[1] and len(combos):
            combos = combos[~(null[combos].sum(axis=1) % p).any(axis=1)]
        for combo in combos:
            vec = np.zeros(len(size), dtype=np.int64)
            vec[combo] = 1
            if space.contains(vec):
                unit = ",".join(sorted({str(labels[c][0]) for c in combo}))
                found.append(Finding("small group", round_name, unit, str([labels[c][:2] for c in combo]), int(size[combo].sum())))
    return found


def _outside_scope(space: RowSpace, answers: RoundAnswers, members: _Members, scope, klass: np.ndarray, k: int) -> list[Finding]:
    """Units outside the viewer's scope whose response count or scale figures, beyond what the
    viewer's own units hold, follow."""
    vectors, labels = [], []
    in_scope = np.isin(answers.unit, list(scope))
    for unit in members.parent:
        if unit in scope:
            continue
        base = members.below(unit) & ~in_scope  # what the unit holds beyond the viewer's own units
        if not base.any():
            continue
        vectors.append(_atoms_of(base, klass, k))
        labels.append((unit, "responses", int(base.sum())))
        for j, scale in enumerate(answers.scales):
            who = base & ~np.isnan(answers.scores[:, j])
            if who.any():
                vectors.append(_atoms_of(who, klass, k))
                labels.append((unit, scale.id, int(who.sum())))
    if not vectors:
        return []
    inside = space.contains(np.array(vectors, dtype=np.int64))
    return [Finding("outside scope", answers.name, unit, what, n) for (unit, what, n), hit in zip(labels, inside) if hit]
