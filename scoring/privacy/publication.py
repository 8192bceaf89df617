"""The publication: every number a viewer can see, decided jointly so that none can be worked out.

Samklima promises that nobody can learn what a person, or a group smaller than ``min_n``, said.
Deciding suppression table by table does not keep that promise: a reader who sees several pages,
rounds or scales subtracts one from another. So :func:`publish` computes, for one viewer and a
set of rounds, *every* number any page, report or download shows — response counts (Overview),
unit, organisation and unit-type means of every scale (Compare, Trends, Home, the landing page,
unit reports), item answer counts (Items), partner ratings (Partners), agreement within units
(Quality), client-feedback unit figures (Klienter) — and decides what is hidden once, for all
of them together. Pages render from the publication and compute no count or mean of their own.

Cells
-----
A cell is one published group of respondents: ``page``, ``round``, ``unit`` (a unit id, ``"*"``
for the organisation, ``"type:X"`` for all units of type X with everything below them),
``scale``, ``item``, ``category`` (the response code; 9 = "vet ikke"), ``partner`` (the partner
service named in the answers), ``n`` and ``mean``. A unit's cell counts the respondents of that
unit and every unit below it; a scale cell counts those with a score on the scale; an item cell
counts the valid answers to the item among the respondents of its scale cell (its home scale:
the subscale that holds it), a category cell how many gave that answer. A hidden cell has no
n and no mean and says why: ``below_min_n`` when it has fewer than ``min_n`` respondents, else
``protects_other`` (hidden so that a smaller group cannot be worked out).

The rule, and how it is kept
----------------------------
No sum or difference of published numbers gives the count or the mean of a group of 1 to
``min_n - 1`` respondents, or any hidden cell — across pages, scales, partners, unit types and
the organisation total. Rounds are decided one by one, each with its own ``min_n``: answers in
different rounds are different people's (anonymous answers cannot be linked), no cell pools
rounds, so no combination of rounds can isolate anyone, and a round's publication does not
change when later rounds are added.

Within a round, the respondents of every leaf unit fall into *classes* by the partner service
they named and the set of scales they have a score on ("vet ikke" on every item of a scale, or
too few answers, drops a person out of that scale). Response counts, every scale and every
(scale, partner) pair are *views*: sets of classes. One call of the suppression engine
(:func:`scoring.privacy.suppression.suppress`) decides all views on the unit tree under a
virtual organisation root at once, so that "responses minus the scale's n" (the drop-outs) or
"the scale minus the partner cells" is protected like a hidden unit. Unit-type benchmarks are
published only where they are sums of shown cells (every unit of the type shown), so they add
nothing. Item cells are shown only inside shown scale cells, with at least ``min_n`` valid
answers, and are protected within each item by the same engine. A manager's publication is the
organisation's, cut to their units, with the organisation and type cells withheld wherever
they, with the manager's own units, would isolate a unit outside the manager's scope
(:mod:`scoring.privacy.scope`).

Client feedback
---------------
The unit figures of client feedback (Klienter) are cells of the same publication, on page
``"clients"``, decided by the same engine with the same rule: a block of
:class:`~scoring.privacy.answers.RoundAnswers` with ``population = "clients"``
(:func:`scoring.feedback.units.client_answers`), one row per client (the person is the unit of
anonymity, not the contact), whose "scales" are the unit figures, each with NaN for the clients
outside its denominator (intake mean over clients with an intake, mean change and the shares
of reliable change over the assessed clients, ...). So the client-count cell (``scale`` null,
``n`` = clients) is the response count, each figure cell (``scale`` = the figure, ``n`` = the
clients in its denominator, ``mean`` = the figure) is a scale cell, and "clients minus
assessed" is protected like a "vet ikke" drop-out. Its ``round`` is ``"clients:DATE"``: every
client with a contact up to the reference date DATE, each counted once with their course from
intake to their last contact (feedback is continuous; there are no survey rounds). Clients and
staff are different people, so no sum of staff and client cells isolates anyone that the client
cells alone do not: deciding the block on its own is deciding it jointly.

The tests play the attacker: :mod:`scoring.privacy.audit` writes every published number as a
linear equation in the respondents and checks, by exact elimination, that no protected group
follows (``tests/privacy``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.privacy.answers import CLIENTS, RoundAnswers
from scoring.privacy.groups import RoundGroups, group_answers
from scoring.privacy.suppression import suppress
from scoring.result import Result

ORGANISATION = "*"
TYPE_PREFIX = "type:"
PARTNER_TYPE = "partner"  # partner services are rated, never surveyed: no cells of their own
RESPONSES = "responses"  # the view of every respondent (response counts)
BELOW_MIN_N, PROTECTS_OTHER = "below_min_n", "protects_other"
CLIENTS_PAGE = "clients"  # client-feedback unit figures (Klienter)
PAGES = ("overview", "compare", "items", "partners", "quality", CLIENTS_PAGE)

CELL_COLUMNS = ["page", "round", "unit", "scale", "item", "category", "partner", "n", "mean", "sd", "hidden", "why"]
CONTRACT_COLUMNS = ["page", "round", "unit", "scale", "item", "category", "partner", "n", "mean", "sd", "hidden", "why"]


@dataclass(frozen=True)
class Viewer:
    """Who a publication is for: ``units`` is the scope (None: the whole organisation)."""

    user: str | None = None
    role: str = "admin"
    units: frozenset | None = None

    @classmethod
    def of(cls, principal) -> Viewer:
        """The viewer of a :class:`scoring.store.access.Principal` (None: the organisation-wide view)."""
        if principal is None:
            return cls()
        units = None if principal.units is None else frozenset(principal.units)
        return cls(principal.username, principal.role, units)

    @property
    def whole_organisation(self) -> bool:
        return self.units is None

    def sees(self, unit: str) -> bool:
        if self.units is None or unit == ORGANISATION or unit.startswith(TYPE_PREFIX):
            return True
        return unit in self.units


@dataclass(frozen=True, repr=False)
class Publication(Result):
    """Every cell a viewer may see for a set of rounds (module docstring).

    ``cells`` has :data:`CELL_COLUMNS` (``n`` and ``mean`` NA where ``hidden``); ``rounds``
    maps round name to its ``min_n``; ``headcount`` (optional) the invited staff per unit and
    round, public numbers that turn response counts into rates. ``pages``, when given, are the
    only pages whose cells were read (a dashboard page that shows unit means reads no item or
    partner cells): selecting another page is an error, not an empty table.
    """

    viewer: Viewer
    rounds: dict[str, int]
    cells: pd.DataFrame = field(repr=False)
    pages: frozenset[str] | None = None

    def __repr__(self) -> str:
        shown = int((~self.cells["hidden"]).sum())
        return f"Publication(viewer={self.viewer.user or 'organisation'}, rounds={list(self.rounds)}, cells={len(self.cells)}, shown={shown})"

    def select(self, page: str, round_name: str | None = None, **where) -> pd.DataFrame:
        """The cells of one page (and round, and any column = value), in publication order.

        Rows are found through an index of (page, round, unit) built on the first call (reports
        for many units select from one publication thousands of times); the other conditions
        are applied to those rows only."""
        return self.cells.iloc[self.rows(page, round_name, **where)].reset_index(drop=True)

    def rows(self, page: str, round_name: str | None = None, **where) -> np.ndarray:
        """Row positions (ascending) of :meth:`select`'s cells."""
        unit = where.pop("unit", None) if isinstance(where.get("unit"), str) else None
        rows = self.positions(page, round_name, unit)
        for column, value in where.items():  # on the rows' values, before taking any row of the frame
            values = self._column(column)[rows]
            rows = rows[pd.isna(values) if value is None else values == value]
        return rows

    def positions(self, page: str, round_name: str | None = None, unit: str | None = None) -> np.ndarray:
        """Row positions (ascending) of the cells of one page, round (None: every round) and unit
        (None: every unit), through the (page, round, unit) index."""
        if self.pages is not None and page in PAGES and page not in self.pages:  # a page with no cells anywhere has none here either
            raise ValueError(f"page {page!r} was not read into this publication (it holds {', '.join(sorted(self.pages))})")
        index = self._index()
        parts = [by_unit.get(unit, ()) if unit is not None else np.concatenate(list(by_unit.values()))
                 for (p, r), by_unit in index.items() if p == page and (round_name is None or r == round_name)]
        parts = [np.asarray(x, dtype=int) for x in parts if len(x)]
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=int)

    def _column(self, column: str) -> np.ndarray:
        """A column of the cells as a NumPy object array, made once: a condition is tested on the
        selected rows' values, and only the rows that meet it are taken from the frame (taking
        Arrow string columns is most of a unit report's selecting)."""
        cached = self.__dict__.setdefault("_columns", {})
        if column not in cached:
            cached[column] = self.cells[column].to_numpy(dtype=object, na_value=None)
        return cached[column]

    def arrays(self, page: str, round_name: str) -> dict[str, np.ndarray]:
        """The cells of one page and round as NumPy arrays, in publication order, made once:
        ``unit``, ``scale``, ``why`` as the frame gives them (object), ``n``, ``mean``, ``sd``
        as floats (NaN where missing), ``hidden`` as booleans. For readers that look cells up
        by code instead of by frame (a report batch does so for every scope)."""
        cached = self.__dict__.setdefault("_columns", {})
        key = ("arrays", page, round_name)
        if key not in cached:
            rows = self.positions(page, round_name)
            if len(self.cells) <= SMALL_PUBLICATION:  # a report's cells: each column converted once, then taken
                whole = cached.get("whole arrays")
                if whole is None:
                    whole = cached["whole arrays"] = _array_columns(self.cells)
                cached[key] = {c: values[rows] for c, values in whole.items()}
            else:  # only the page's rows converted (a national publication has millions of cells)
                wanted = [c for c in ("unit", "scale", "why", "n", "mean", "sd", "hidden") if c in self.cells]
                cached[key] = _array_columns(self.cells[wanted].iloc[rows])
        return cached[key]

    def _index(self) -> dict:
        """(page, round) -> unit -> row positions, built once (the cells of a publication are fixed)."""
        cached = self.__dict__.get("_rows")
        if cached is None:
            cached = {}
            if len(self.cells):
                groups = self.cells.groupby(["page", "round", "unit"], sort=False, dropna=False).indices
                for (page, rnd, unit), rows in groups.items():
                    cached.setdefault((page, rnd), {})[unit] = rows
            object.__setattr__(self, "_rows", cached)
        return cached

    def to_frame(self) -> pd.DataFrame:
        return self.cells.copy()

    def to_dict(self) -> dict:
        """The JSON contract of ``samklima publication``: viewer, rounds and cells."""
        cells = self.cells[CONTRACT_COLUMNS]
        records = []
        for row in cells.itertuples(index=False):
            records.append({c: _plain(v) for c, v in zip(CONTRACT_COLUMNS, row)})
        units = None if self.viewer.units is None else sorted(self.viewer.units)
        return {
            "viewer": {"user": self.viewer.user, "role": self.viewer.role, "units": units},
            "rounds": [{"name": name, "min_n": min_n} for name, min_n in self.rounds.items()],
            "cells": records,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, allow_nan=False)

    def summary(self) -> str:
        who = self.viewer.user or "the organisation"
        lines = [f"Publication for {who} ({self.viewer.role}): rounds " + ", ".join(f"{r} (min_n {m})" for r, m in self.rounds.items())]
        by = self.cells.groupby(["page", "hidden"]).size().unstack(fill_value=0)
        for page in [p for p in PAGES if p in by.index]:
            row = by.loc[page]
            lines.append(f"  {page:<10} {int(row.get(False, 0)):>7} shown {int(row.get(True, 0)):>7} hidden")
        return "\n".join(lines)


def _plain(value):
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        return float(value)
    return value


# ----------------------------------------------------------------------------- the unit tree


@dataclass(frozen=True, eq=False)
class OrgTree:
    """The surveyed units under the virtual organisation root ``"*"``.

    ``parent`` maps every surveyed unit (and ``"*"``, to None); ``unit_type`` their types;
    ``maximal`` per unit type the units of that type not below another of the same type (so
    that a type's cell counts everybody once).
    """

    parent: dict
    unit_type: dict
    order: tuple
    maximal: dict

    @classmethod
    def of(cls, tree: pd.DataFrame) -> OrgTree:
        surveyed = tree[tree["unit_type"] != PARTNER_TYPE]
        units = list(surveyed["unit"])
        known = set(units)
        parent = {ORGANISATION: None}
        for unit, up in zip(surveyed["unit"], surveyed["parent"]):
            parent[unit] = up if isinstance(up, str) and up in known else ORGANISATION
        unit_type = dict(zip(surveyed["unit"], surveyed["unit_type"]))
        units = _preorder(parent, units)
        maximal: dict[str, list[str]] = {}
        for unit in units:
            kind = unit_type[unit]
            up, inside = parent[unit], False
            while up not in (None, ORGANISATION):
                if unit_type.get(up) == kind:
                    inside = True
                    break
                up = parent[up]
            if not inside:
                maximal.setdefault(kind, []).append(unit)
        return cls(parent, unit_type, tuple([ORGANISATION, *units]), {k: tuple(v) for k, v in maximal.items()})

    def subtree(self, unit: str) -> list[str]:
        """The unit and every unit below it."""
        if not hasattr(self, "_children"):
            kids: dict[str, list[str]] = {}
            for u, up in self.parent.items():
                if up is not None:
                    kids.setdefault(up, []).append(u)
            object.__setattr__(self, "_children", kids)
        out, stack = [], [unit]
        while stack:
            u = stack.pop()
            out.append(u)
            stack.extend(self._children.get(u, []))
        return out

    def ancestors(self, unit: str) -> list[str]:
        """The unit, the units above it and the organisation."""
        out, node, hops = [], unit, 0
        while node is not None and hops < 64:  # a few levels of the tree, not respondents
            out.append(node)
            node, hops = self.parent.get(node), hops + 1
        return out


def _preorder(parent: dict, units: list[str]) -> list[str]:
    """Units with every parent before its children, siblings in their given order."""
    children: dict = {}
    for unit in units:
        children.setdefault(parent[unit], []).append(unit)
    out, stack, seen = [], list(reversed(children.get(ORGANISATION, []))), set()
    while stack:
        unit = stack.pop()
        if unit in seen:
            continue
        seen.add(unit)
        out.append(unit)
        stack.extend(reversed(children.get(unit, [])))
    if len(out) != len(units):
        from scoring.errors import UserError

        raise UserError.single("the unit tree has a cycle through " + ", ".join(sorted(set(units) - seen)[:10]))
    return out


# ----------------------------------------------------------------------------- one round


@dataclass(frozen=True, eq=False)
class _Round:
    """One round's groups: every (leaf unit, class) with its respondents' sums, sorted by unit
    and class (:mod:`scoring.privacy.groups`; ``answers`` is the sorted :class:`RoundGroups`)."""

    answers: RoundGroups
    unit: np.ndarray  # per group: the unit its respondents are registered on
    klass: np.ndarray  # per group: class index
    classes: pd.DataFrame  # per class: partner, one boolean column per scale

    @property
    def n(self) -> np.ndarray:
        return self.answers.n

    def scale_totals(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Per group: the sum and the sum of squares of scale ``j``'s scores."""
        return self.answers.sums[:, j], self.answers.squares[:, j]

    def item_counts(self, j: int) -> np.ndarray:
        """Per group x category of item ``j`` (valid codes, then "vet ikke"): how many gave it."""
        return self.answers.counts[j]


def _groups(answers: RoundAnswers | RoundGroups) -> _Round:
    groups = answers if isinstance(answers, RoundGroups) else group_answers(answers)
    columns = {"partner": groups.partner}
    columns.update({s.id: groups.valid[:, j] for j, s in enumerate(groups.scales)})
    frame = pd.DataFrame(columns)
    scale_ids = [s.id for s in groups.scales]
    klass_of = frame.groupby(["partner", *scale_ids], sort=True, dropna=False).ngroup().to_numpy()
    classes = frame.assign(_k=klass_of).drop_duplicates("_k").sort_values("_k").drop(columns=["_k"]).reset_index(drop=True)
    order = pd.DataFrame({"unit": groups.unit, "klass": klass_of}).sort_values(["unit", "klass"], kind="stable").index.to_numpy()
    return _Round(groups.take(order), groups.unit[order], klass_of[order], classes)


def _views(rnd: _Round) -> dict[str, np.ndarray]:
    """view -> boolean mask over classes: responses, each scale, each (partner scale, partner)."""
    classes = rnd.classes
    k = len(classes)
    views = {RESPONSES: np.ones(k, dtype=bool)}
    for scale in rnd.answers.scales:
        views[_scale_view(scale.id)] = classes[scale.id].to_numpy(dtype=bool)
    partners = sorted(p for p in classes["partner"].unique() if p)
    for scale in rnd.answers.scales:
        if scale.partner:
            for p in partners:
                views[_partner_view(scale.id, p)] = classes[scale.id].to_numpy(dtype=bool) & (classes["partner"] == p).to_numpy()
    return views


def _scale_view(scale_id: str) -> str:
    return f"scale\x1f{scale_id}"


def _partner_view(scale_id: str, partner: str) -> str:
    return f"partner\x1f{scale_id}\x1f{partner}"


class _Pool:
    """Sums over the groups below each unit of the tree, for any per-group quantity."""

    def __init__(self, tree: OrgTree, group_units: np.ndarray):
        index = {u: i for i, u in enumerate(tree.order)}
        unit_rows, group_rows = [], []
        for g, unit in enumerate(group_units):
            for up in tree.ancestors(unit):
                unit_rows.append(index[up])
                group_rows.append(g)
        self.units = tree.order
        self.index = index
        self.unit_rows = np.array(unit_rows, dtype=int)
        self.group_rows = np.array(group_rows, dtype=int)

    def sum(self, per_group: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Per unit (in tree order): the sum of ``per_group`` over the groups below it."""
        weights = per_group if mask is None else np.where(mask, per_group, 0.0)
        return np.bincount(self.unit_rows, weights=weights[self.group_rows], minlength=len(self.units))


@dataclass(frozen=True, eq=False)
class RoundDecision:
    """One round decided for the whole organisation: its cells (:data:`CELL_COLUMNS` and the
    true ``_n``, never published) and the model a viewer's cut needs: each cell's respondents as
    a 0/1 vector over the round's (registered unit, class) groups."""

    name: str
    min_n: int
    cells: pd.DataFrame
    org: OrgTree
    units: tuple  # pool order
    below: np.ndarray  # units x groups: the group's unit is at or below the unit
    group_unit: np.ndarray  # per group: the registered unit
    group_n: np.ndarray
    class_mask: dict  # view -> boolean per group

    def vector(self, unit: str, view: str) -> np.ndarray:
        """The groups a cell counts: below the unit (or the type's units, or everyone)."""
        return self.vectors([(unit, view)])[0]

    def vectors(self, cells: list[tuple[str, str]]) -> np.ndarray:
        """:meth:`vector` of many (unit, view) cells at once, as a cells x groups 0/1 matrix:
        each distinct unit's row and view's mask made once (a viewer's cut asks for tens of
        thousands of cells of a national round)."""
        views: dict[str, int] = {}
        view_index = np.array([views.setdefault(v, len(views)) for _, v in cells], dtype=np.intp)
        masks = np.array([self.class_mask[v] for v in views], dtype=bool).reshape(len(views), -1) & (self.group_n > 0)
        units: dict[str, int] = {}
        unit_index = np.array([units.setdefault(u, len(units)) for u, _ in cells], dtype=np.intp)
        base = np.zeros((len(units), len(self.group_n)), dtype=bool)
        for unit, i in units.items():
            if unit.startswith(TYPE_PREFIX):
                members = self.org.maximal.get(unit[len(TYPE_PREFIX):], ())
                base[i] = self.below[[self.row(m) for m in members]].any(axis=0)
            else:
                base[i] = self.below[self.row(unit)]
        return (base[unit_index] & masks[view_index]).reshape(len(cells), -1)

    def row(self, unit: str) -> int:
        """The unit's row of ``below`` (a dict, built once: 1,933 units in a national round)."""
        rows = self.__dict__.get("_rows")
        if rows is None:
            rows = {u: i for i, u in enumerate(self.units)}
            object.__setattr__(self, "_rows", rows)
        return rows[unit]


def view_of(page: str, scale, partner) -> str:
    """The engine view a membership cell belongs to (items: their scale's view)."""
    if page == "overview" or (page == CLIENTS_PAGE and scale is None):
        return RESPONSES
    if page == "partners":
        return _partner_view(scale, partner)
    return _scale_view(scale)


def decide_round(tree: pd.DataFrame | OrgTree, answers: RoundAnswers | RoundGroups) -> RoundDecision:
    """Every cell of one round, decided for the whole organisation (the admin's view).

    See the module docstring for the rule. ``answers``: the round's answers, or the same summed
    per (unit, class) group (:mod:`scoring.privacy.groups`, as the store keeps them); both
    decide the same cells, bit for bit.
    """
    org = tree if isinstance(tree, OrgTree) else OrgTree.of(tree)
    _check_units(org, answers)
    rnd = _groups(answers)
    views = _views(rnd)
    min_n = answers.min_n
    pool = _Pool(org, rnd.unit)
    n_group = rnd.n
    class_mask = {v: mask[rnd.klass] for v, mask in views.items()}  # per group
    decision = _engine(org, rnd, views, n_group, min_n)
    type_shown = _decide_types(org, rnd, pool, views, class_mask, n_group, decision)

    frames = [
        _response_cells(org, answers, pool, n_group, decision),
        _scale_cells(org, rnd, pool, n_group, class_mask, decision, type_shown),
        _partner_cells(org, rnd, pool, n_group, class_mask, decision, views, type_shown),
        _item_cells(org, rnd, pool, class_mask, decision),
    ]
    cells = pd.concat([f for f in frames if len(f)], ignore_index=True)
    if answers.population == CLIENTS:
        cells["page"] = CLIENTS_PAGE  # the client count and the unit figures (module docstring)
    below = np.zeros((len(pool.units), len(rnd.unit)), dtype=bool)
    below[pool.unit_rows, pool.group_rows] = True
    return RoundDecision(answers.name, min_n, _finish(cells, answers.name, min_n), org, tuple(pool.units), below,
                         rnd.unit, n_group, class_mask)


def _check_units(org: OrgTree, answers: RoundAnswers) -> None:
    from scoring.errors import UserError

    unknown = sorted(set(answers.unit) - set(org.parent) - {ORGANISATION})
    if unknown:
        raise UserError.single("answers for units that are not surveyed units of the unit tree: " + ", ".join(unknown[:10]),
                               path=answers.name)


def _engine(org: OrgTree, rnd: _Round, views: dict[str, np.ndarray], n_group: np.ndarray, min_n: int) -> dict:
    """Run the suppression engine on all views at once; returns view -> {unit: shown}."""
    counts = pd.DataFrame({"unit": rnd.unit, "stratum": [f"c{k}" for k in rnd.klass], "n": n_group})
    strata = {v: [f"c{k}" for k in np.flatnonzero(mask)] for v, mask in views.items()}
    result = suppress(org.parent, counts, views=strata, min_n=min_n)
    shown = result.cells.pivot(index="unit", columns="view", values="shown")
    return {v: shown[v].to_dict() for v in views}


def _moments(n: np.ndarray, total: np.ndarray, squares: np.ndarray):
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        var = (squares - n * mean**2) / (n - 1)
    sd = np.sqrt(np.clip(var, 0, None))
    return mean, np.where(n > 1, sd, np.nan)


def _type_rows(org: OrgTree, values: dict[str, np.ndarray], shown: dict, pool: _Pool, decided: dict | None = None) -> list[dict]:
    """Unit-type cells: sums over the maximal units of each type, shown only where they follow
    from the shown unit cells (so they add nothing a reader could not already work out):
    ``decided`` gives that per type, else it is checked in this view alone."""
    block = _blocks(org, shown, values["n"], pool) if decided is None else None
    rows = []
    for kind, members in org.maximal.items():
        idx = [pool.index[u] for u in members]
        sums = {k: float(v[idx].sum()) for k, v in values.items()}
        follows = decided[kind] if decided is not None else _follows(_inside(org, pool, members), block)
        rows.append({"unit": TYPE_PREFIX + str(kind), "shown": sums["n"] > 0 and follows, **sums})
    return rows


def _inside(org: OrgTree, pool: _Pool, members) -> np.ndarray:
    inside = np.zeros(len(pool.units), dtype=bool)
    for member in members:
        inside[[pool.index[u] for u in org.subtree(member)]] = True
    return inside


def _decide_types(org, rnd, pool, views, class_mask, n_group, decision) -> dict:
    """view -> type -> does the type's cell follow from shown cells?

    Fast path: a type's cell in view v is the same figure as in any view w that counts the same
    classes of the type's respondents (classes without respondents are public); it follows if,
    in one such view, it is constant on every block of the shown cells' laminar family. Where
    that fails, and the round is not too large, the exact test: is its vector over the round's
    (unit, class) groups a combination of the shown cells' vectors?"""
    from scoring.privacy.exact import EXACT_LIMIT
    from scoring.privacy.linalg import RowSpace

    unit_of_group = np.array([pool.index[u] for u in rnd.unit], dtype=int)
    view_n = {v: pool.sum(n_group, class_mask[v]) for v in views}
    blocks = {v: _blocks(org, decision[v], view_n[v], pool) for v in views}
    below = np.zeros((len(pool.units), len(n_group)), dtype=bool)
    below[pool.unit_rows, pool.group_rows] = True
    has = n_group > 0
    space = None
    out: dict = {v: {} for v in views}
    for kind, members in org.maximal.items():
        inside = _inside(org, pool, members)
        in_type = inside[unit_of_group] & has
        follows = {w: _follows(inside, blocks[w]) for w in views}
        signature = {v: class_mask[v][in_type].tobytes() for v in views}
        for v in views:
            ok = any(follows[w] for w in views if signature[w] == signature[v])
            if not ok and (in_type & class_mask[v]).any() and has.sum() <= EXACT_LIMIT:
                if space is None:
                    rows = [below[pool.index[u]] & class_mask[w] & has for w in views for u in pool.units
                            if decision[w].get(u, False)]
                    rows = np.unique(np.array(rows, dtype=np.int64).reshape(-1, len(n_group)), axis=0)
                    space = RowSpace(rows, width=len(n_group))
                ok = bool(space.contains((in_type & class_mask[v]).astype(np.int64)))
            out[v][kind] = ok
    return out


def _blocks(org: OrgTree, shown: dict, n: np.ndarray, pool: _Pool) -> np.ndarray:
    """Per unit (tree order): the nearest shown unit at or above it whose figure counts the
    respondents registered on it (-1: none), or -2 where it has no respondents of its own.

    Shown cells form a laminar family; a 0/1 vector over registered units follows from them
    exactly when it is constant within each such block and 0 where no shown unit covers."""
    direct = n.copy()
    for unit, up in org.parent.items():
        if up is not None:
            direct[pool.index[up]] -= n[pool.index[unit]]
    block = np.full(len(pool.units), -1)
    for unit in pool.units:  # parents before children
        i = pool.index[unit]
        up = org.parent.get(unit)
        above = block[pool.index[up]] if up is not None else -1
        block[i] = i if shown.get(unit, False) else above
    return np.where(direct > 0.5, block, -2)


def _follows(inside: np.ndarray, block: np.ndarray) -> bool:
    with_people = block != -2
    if np.any(inside & (block == -1)):
        return False
    for b in np.unique(block[with_people & (block >= 0)]):
        members = inside[with_people & (block == b)]
        if members.any() and not members.all():
            return False
    return True


def _response_cells(org, answers, pool, n_group, decision) -> pd.DataFrame:
    n = pool.sum(n_group)
    shown = decision[RESPONSES]
    return pd.DataFrame({
        "page": "overview", "unit": list(pool.units), "n": n,
        "hidden": [not shown.get(u, False) for u in pool.units],
    })


def _scale_cells(org, rnd, pool, n_group, class_mask, decision, type_shown) -> pd.DataFrame:
    frames = []
    for j, scale in enumerate(rnd.answers.scales):
        view = _scale_view(scale.id)
        mask = class_mask[view]
        total, squares = rnd.scale_totals(j)
        values = {"n": pool.sum(n_group, mask), "sum": pool.sum(total, mask), "sumsq": pool.sum(squares, mask)}
        shown = decision[view]
        rows = pd.DataFrame({"unit": list(pool.units), **values, "shown": [shown.get(u, False) for u in pool.units]})
        types = pd.DataFrame(_type_rows(org, values, shown, pool, type_shown[view]))
        frame = pd.concat([rows, types], ignore_index=True)
        frame["mean"], frame["sd"] = _moments(frame["n"].to_numpy(), frame["sum"].to_numpy(), frame["sumsq"].to_numpy())
        frames.append(frame.assign(page="compare", scale=scale.id, hidden=~frame["shown"].astype(bool)))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _partner_cells(org, rnd, pool, n_group, class_mask, decision, views, type_shown) -> pd.DataFrame:
    frames = []
    for view in views:
        if not view.startswith("partner\x1f"):
            continue
        _, scale_id, partner = view.split("\x1f")
        j = rnd.answers.scale_index(scale_id)
        mask = class_mask[view]
        total, squares = rnd.scale_totals(j)
        values = {"n": pool.sum(n_group, mask), "sum": pool.sum(total, mask), "sumsq": pool.sum(squares, mask)}
        shown = decision[view]
        rows = pd.DataFrame({"unit": list(pool.units), **values, "shown": [shown.get(u, False) for u in pool.units]})
        types = pd.DataFrame(_type_rows(org, values, shown, pool, type_shown[view]))
        frame = pd.concat([rows, types], ignore_index=True)
        frame["mean"], frame["sd"] = _moments(frame["n"].to_numpy(), frame["sum"].to_numpy(), frame["sumsq"].to_numpy())
        frames.append(frame.assign(page="partners", scale=scale_id, partner=partner, hidden=~frame["shown"].astype(bool)))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _item_cells(org, rnd, pool, class_mask, decision) -> pd.DataFrame:
    """Item and category cells: inside shown scale cells, with at least min_n valid answers,
    and protected within each item by the engine.

    Who *could* have answered an item (the respondents of its scale cell) is what the reader
    knows, not who did: so the engine decides each item on the scale cell's respondents, with
    the scale's hidden cells and the items with too few valid answers hidden from the start,
    and a type's item cell follows the same blocks. How many answered, or gave a particular
    answer, is what an item distribution publishes (module docstring of the audit).
    """
    answers = rnd.answers
    min_n = answers.min_n
    frames = []
    n_group = rnd.n
    for scale_id in dict.fromkeys(item.scale for item in answers.items):
        view = _scale_view(scale_id)
        mask = class_mask[view]
        scale_n = pool.sum(n_group, mask)
        leaf_counts = pd.DataFrame({"unit": rnd.unit, "n": np.where(mask, n_group, 0.0)})
        leaf_counts = leaf_counts.groupby("unit", as_index=False, sort=False)["n"].sum()
        scale_shown = decision[view]
        decided: dict = {}  # the scale's items share their leaf counts: one decision per hidden set
        for j, item in enumerate(answers.items):
            if item.scale != scale_id:
                continue
            frames += _one_item(org, rnd, pool, mask, j, scale_n, leaf_counts, scale_shown, min_n, decided)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _one_item(org, rnd, pool, mask, j, scale_n, leaf_counts, scale_shown, min_n, decided: dict) -> list[pd.DataFrame]:
    item = rnd.answers.items[j]
    counts = rnd.item_counts(j)  # groups x categories: valid codes, then "vet ikke"
    categories = list(item.codes) + list(item.dont_know)
    valid = counts[:, :len(item.codes)]
    valid_n = pool.sum(valid.sum(axis=1), mask)
    valid_total = pool.sum(valid @ np.asarray(item.codes, dtype=float), mask)
    forced = {u for i, u in enumerate(pool.units) if not scale_shown.get(u, False) or valid_n[i] < min_n}
    while True:
        if len(forced) == len(pool.units):
            shown = {}
            break
        key = frozenset(forced)
        if key not in decided:  # the engine is deterministic: same counts, same hidden set, same answer
            result = suppress(org.parent, leaf_counts, min_n=min_n, hidden={"all": sorted(forced)})
            decided[key] = dict(zip(result.cells["unit"], result.cells["shown"]))
        shown = decided[key]
        more = _small_item_remainders(org, pool, shown, valid_n, scale_n, min_n)
        if not more:
            break
        forced |= more
    units = list(pool.units) + [TYPE_PREFIX + str(k) for k in org.maximal]
    members = [[pool.index[u] for u in org.maximal[k]] for k in org.maximal]
    type_ok = [r["shown"] for r in _type_rows(org, {"n": scale_n}, shown, pool)]

    def with_types(per_unit: np.ndarray) -> np.ndarray:
        return np.concatenate([per_unit, [per_unit[m].sum() for m in members]])

    n = with_types(valid_n)
    hidden = ~np.array([shown.get(u, False) for u in pool.units] + type_ok, dtype=bool) | (n < min_n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = with_types(valid_total) / n
    out = [pd.DataFrame({"page": "items", "scale": item.scale, "item": item.id, "unit": units, "n": n, "mean": mean, "hidden": hidden})]
    for k, c in enumerate(categories):
        count = with_types(pool.sum(counts[:, k], mask))
        out.append(pd.DataFrame({"page": "items", "scale": item.scale, "item": item.id, "unit": units, "hidden": hidden,
                                 "category": float(c), "n": count, "mean": np.nan}))
    return out


def _small_item_remainders(org, pool, shown: dict, valid_n: np.ndarray, scale_n: np.ndarray, min_n: int) -> set:
    """Units to hide so that no difference of an item's shown cells counts 1 to min_n - 1
    valid answers: what a shown unit holds beyond its shown descendants, and a unit type whose
    cell follows from shown cells, have at least min_n valid answers or none."""
    nearest = {}  # unit -> its nearest shown unit strictly above (None: none)
    for unit in pool.units:
        up = org.parent.get(unit)
        nearest[unit] = None if up is None else (up if shown.get(up, False) else nearest[up])
    covered = dict.fromkeys(pool.units, 0.0)
    frontier: dict = {}
    for unit in pool.units:
        head = nearest[unit]
        if shown.get(unit, False) and head is not None:
            covered[head] += valid_n[pool.index[unit]]
            frontier.setdefault(head, []).append(unit)
    out = set()
    for head, below in frontier.items():
        rest = valid_n[pool.index[head]] - covered[head]
        if 0 < rest < min_n:
            out.add(min(below, key=lambda u: (valid_n[pool.index[u]], u)))
    if out:
        return out
    block = _blocks(org, shown, scale_n, pool)
    for members in org.maximal.values():
        n = valid_n[[pool.index[u] for u in members]].sum()
        inside = _inside(org, pool, members)
        if 0 < n < min_n and _follows(inside, block):
            heads = {pool.units[b] for b in np.unique(block[inside & (block >= 0)])}
            out.add(min(heads, key=lambda u: (valid_n[pool.index[u]], u)))
            return out
    return out


def _finish(cells: pd.DataFrame, round_name: str, min_n: int) -> pd.DataFrame:
    cells = cells.reindex(columns=CELL_COLUMNS).copy()
    cells["round"] = round_name
    cells["hidden"] = cells["hidden"].astype(bool)
    n = cells["n"].astype(float)
    category = cells["category"].notna()
    # A category cell is hidden with its item; the reason is the item's (its own n is the answer).
    own_small = n < min_n
    why = np.where(cells["hidden"], np.where(own_small, BELOW_MIN_N, PROTECTS_OTHER), None)
    cells["why"] = why
    if category.any():
        item_key = ["page", "scale", "item", "unit"]
        items = cells[cells["page"].eq("items") & ~category].set_index(item_key)["why"]
        keys = pd.MultiIndex.from_frame(cells.loc[category, item_key])
        cells.loc[category, "why"] = items.reindex(keys).to_numpy()
    cells["_n"] = n  # the true n, for the viewer's cut (scope.restrict); never published
    cells.loc[cells["hidden"], ["n", "mean", "sd"]] = np.nan
    cells["n"] = cells["n"].round().astype("Int64")
    for column in ("scale", "item", "partner"):
        cells[column] = cells[column].astype(object).where(cells[column].notna(), None)
    cells["category"] = cells["category"].astype(float)
    return cells


# ----------------------------------------------------------------------------- entry point


def publish(tree: pd.DataFrame, rounds: Sequence[RoundAnswers], viewer: Viewer | None = None) -> Publication:
    """Everything ``viewer`` (default: the organisation-wide view) may see of ``rounds``
    (module docstring). ``tree``: unit, name, parent, unit_type of the whole organisation."""
    org = OrgTree.of(tree)
    return cut([decide_round(org, r) for r in rounds], viewer)


def cut(decisions: Iterable[RoundDecision], viewer: Viewer | None = None) -> Publication:
    """The viewer's publication from rounds already decided for the whole organisation
    (:func:`decide_round`, which callers may cache per round)."""
    from scoring.privacy.scope import restrict

    viewer = viewer or Viewer()
    decisions = list(decisions)
    frames = [restrict(decision, viewer) for decision in decisions]
    cells = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CELL_COLUMNS)
    return Publication(viewer, {d.name: d.min_n for d in decisions}, cells)


# Publications of at most this many cells (a unit report's, a few thousand) convert whole columns
# for :meth:`Publication.arrays` once; larger ones only the rows of the page asked for.
SMALL_PUBLICATION = 20_000


def _array_columns(cells: pd.DataFrame) -> dict[str, np.ndarray]:
    """:meth:`Publication.arrays`' columns of ``cells``: text as the frame gives it (object),
    counts and means as floats (NaN where missing), ``hidden`` as booleans."""
    arrays = {c: cells[c].to_numpy() if c in cells else np.full(len(cells), None) for c in ("unit", "scale", "why")}
    arrays.update({c: cells[c].to_numpy(dtype=float, na_value=np.nan) if c in cells else np.full(len(cells), np.nan)
                   for c in ("n", "mean", "sd")})
    arrays["hidden"] = cells["hidden"].to_numpy(dtype=bool)
    return arrays
