"""The organisation's unit tree: import from ``units.csv`` and read it back.

``units.csv`` has the columns ``unit,name,parent,unit_type`` (the layout ``samklima sample``
writes). Units of type ``partner`` are partner services (DPS, fastleger, NAV...) that staff rate
but that are not surveyed themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pandas as pd
from sqlalchemy import Engine, select

from scoring.errors import Problem
from scoring.responses.national_id import refuse_national_id
from scoring.store.db import write_transaction
from scoring.store.files import raise_problems, read_text_table
from scoring.store.limits import check_text, text_cells
from scoring.store.models import Organisation, Unit

UNIT_COLUMNS = ("unit", "name", "parent", "unit_type")
UNIT_COLUMN_NAMES = {"unit": "the unit id", "name": "the unit name", "parent": "the parent unit", "unit_type": "the unit type"}


def import_units(
    engine: Engine, source: str | Path | pd.DataFrame, *, file: str | None = None, organisation: str | None = None
) -> dict:
    """Add or update units from a table; all or nothing.

    Checks (every problem reported with its row number, nothing stored if any): blank unit id,
    name or unit type, text longer than its column or with a NUL character, duplicate unit ids, a parent that is neither in the file nor already
    stored, and cycles in the resulting tree (a unit that is its own ancestor). Units already
    stored but not in the file are kept. A national identity number in any cell (or in
    ``organisation``) refuses the file before anything else is checked. ``organisation`` names
    the organisation (default: the name of the file's first top-level unit). Returns
    ``{"added": n, "updated": n, "unchanged": n}``.
    """
    if organisation is not None:
        check_text(organisation, Organisation.__table__.c.name, path="--organisation")
    table = read_text_table(source, UNIT_COLUMNS, file=file, names=UNIT_COLUMN_NAMES)
    file = file or (None if isinstance(source, pd.DataFrame) else str(source))
    if organisation is not None:
        refuse_national_id(organisation, "the organisation name", path="--organisation")
    problems, seen = _row_problems(table, file)
    with write_transaction(engine) as conn:
        rows = conn.execute(select(Unit.id, Unit.name, Unit.parent_id, Unit.unit_type, Unit.position)).all()
        stored = {r.id: r for r in rows}
        parents = {r.id: r.parent_id for r in rows}
        for rec in table.itertuples(index=False):
            if rec.unit and seen.get(rec.unit) is not None:
                parents[rec.unit] = rec.parent or None
        problems += _parent_problems(table, parents, file)
        problems += _cycle_problems(table, parents, seen, file)
        raise_problems(problems, file or "the units table")
        org_id = _organisation_id(conn, organisation, table)
        return _write_units(conn, table, seen, parents, stored, org_id)


def _row_problems(table: pd.DataFrame, file: str | None) -> tuple[list[Problem], dict[str, int]]:
    """Text too long or with NUL, blank ids, names or types, and duplicate ids; with the row of
    each unit id's first appearance."""
    problems: list[Problem] = []
    for name, column in zip(UNIT_COLUMNS, (Unit.__table__.c.id, Unit.__table__.c.name, Unit.__table__.c.parent_id, Unit.__table__.c.unit_type)):
        problems += text_cells(table[name], column, file=file, path=name)
    seen: dict[str, int] = {}
    for row, rec in enumerate(table[list(UNIT_COLUMNS)].itertuples(index=False), start=1):
        problems += [Problem(f"'{col}' is blank", file=file, row=row, path=col, code="cell_blank")
                     for col in ("unit", "name", "unit_type") if not getattr(rec, col)]
        if rec.unit and rec.unit in seen:
            problems.append(Problem(f"duplicate unit id '{rec.unit}' (first on row {seen[rec.unit]})", file=file, row=row, path="unit",
                                    code="unit_repeated", params={"unit": rec.unit, "first": seen[rec.unit]}))
        elif rec.unit:
            seen[rec.unit] = row
    return problems, seen


def _parent_problems(table: pd.DataFrame, parents: dict[str, str | None], file: str | None) -> list[Problem]:
    """Parents neither in the file nor stored, and units that are their own parent."""
    problems = []
    for row, rec in enumerate(table.itertuples(index=False), start=1):
        if rec.parent and rec.parent not in parents:
            problems.append(Problem(f"unknown parent '{rec.parent}' (not in this file and not stored)", file=file, row=row, path="parent",
                                    code="unknown_parent", params={"unit": rec.parent}))
        elif rec.parent and rec.parent == rec.unit:
            problems.append(Problem(f"unit '{rec.unit}' is its own parent", file=file, row=row, path="parent", code="own_parent",
                                    params={"unit": rec.unit}))
    return problems


def _write_units(conn, table: pd.DataFrame, seen: dict[str, int], parents: dict, stored: dict, org_id: int) -> dict:
    """Insert new units and update changed ones, parents first so that foreign keys hold."""
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for unit_id in _top_down(parents, list(seen)):
        rec = table.iloc[seen[unit_id] - 1]
        values = dict(name=rec["name"], parent_id=rec["parent"] or None, unit_type=rec["unit_type"], position=seen[unit_id])
        old = stored.get(unit_id)
        if old is None:
            conn.execute(Unit.__table__.insert().values(id=unit_id, organisation_id=org_id, **values))
            counts["added"] += 1
        elif (old.name, old.parent_id, old.unit_type, old.position) == tuple(values.values()):
            counts["unchanged"] += 1
        else:
            conn.execute(Unit.__table__.update().where(Unit.id == unit_id).values(**values))
            counts["updated"] += 1
    return counts


def _cycle_problems(table: pd.DataFrame, parents: dict[str, str | None], seen: dict[str, int], file: str | None) -> list[Problem]:
    problems = []
    reported: set[str] = set()
    for unit_id, row in seen.items():
        path = [unit_id]
        current = parents.get(unit_id)
        while current is not None and current not in path and current in parents:
            path.append(current)
            current = parents.get(current)
        if current is not None and current in path and current == unit_id and unit_id not in reported:
            cycle = path + [unit_id]
            reported.update(path)
            problems.append(
                Problem("cycle in the unit tree: " + " -> ".join(cycle), file=file, row=row, path="parent", code="unit_cycle",
                        params={"cycle": " → ".join(cycle)})
            )
    return problems


def _top_down(parents: dict[str, str | None], ids: list[str]) -> list[str]:
    def depth(unit_id: str) -> int:
        d = 0
        current = parents.get(unit_id)
        while current is not None:
            d += 1
            current = parents.get(current)
        return d

    order = {u: i for i, u in enumerate(ids)}
    return sorted(ids, key=lambda u: (depth(u), order[u]))


def _organisation_id(conn, name: str | None, table: pd.DataFrame) -> int:
    existing = conn.execute(select(Organisation.id, Organisation.name).order_by(Organisation.id)).all()
    if name is None:
        if existing:
            return existing[0].id
        roots = table[table["parent"] == ""]
        name = roots["name"].iloc[0] if len(roots) else "Organisasjon"
    for org in existing:
        if org.name == name:
            return org.id
    return conn.execute(Organisation.__table__.insert().values(name=name).returning(Organisation.id)).scalar_one()


def read_units(engine: Engine) -> pd.DataFrame:
    """The unit tree as a DataFrame with the columns of ``units.csv`` (in file order)."""
    with engine.connect() as conn:
        rows = conn.execute(select(Unit.id, Unit.name, Unit.parent_id, Unit.unit_type).order_by(Unit.position, Unit.id)).all()
    # as plain tuples: pandas probes a SQLAlchemy Row for mapping keys (a KeyError per row)
    return pd.DataFrame([tuple(row) for row in rows], columns=list(UNIT_COLUMNS))


def descendants(units: pd.DataFrame, unit_ids: Iterable[str]) -> list[str]:
    """``unit_ids`` and every unit below them in the tree, in the order of ``units``."""
    found = below(zip(units["unit"], units["parent"]), unit_ids)
    return [u for u in units["unit"] if u in found]


def below(edges: Iterable[tuple[str, str | None]], unit_ids: Iterable[str]) -> set[str]:
    """``unit_ids`` and every unit below them, from the tree's (unit, parent) pairs."""
    children: dict[str, list[str]] = {}
    for unit, parent in edges:
        if parent:
            children.setdefault(parent, []).append(unit)
    found: set[str] = set()
    stack = list(unit_ids)
    while stack:
        unit = stack.pop()
        if unit in found:
            continue
        found.add(unit)
        stack.extend(children.get(unit, []))
    return found


def leaf_units(units: pd.DataFrame) -> list[str]:
    """Units that are not partner services and have no child that is one: the surveyed teams."""
    surveyed = units[units["unit_type"] != "partner"]
    has_child = set(surveyed["parent"].dropna())
    return [u for u in surveyed["unit"] if u not in has_child]


def unknown_units(engine: Engine, unit_ids: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(unit_ids))
    with engine.connect() as conn:
        known = set(conn.execute(select(Unit.id).where(Unit.id.in_(wanted))).scalars())
    return [u for u in wanted if u not in known]
