"""Unit reports from the database: whose publication a report shows, and many reports at once.

A report shows what the unit's manager may see: the publication (:mod:`scoring.privacy.publication`)
of the manager assigned to the unit or, failing that, to the nearest unit above it; where no
manager is assigned, the view of a manager of the unit alone (its subtree), which never shows
more. With ``--as`` it is that user's publication. Rounds are decided for the whole organisation
once (the decision stored in the database, :func:`scoring.store.decisions.decision`) and cut per viewer, so reports for every
unit of a large organisation share the expensive part.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from scoring.errors import Problem, UserError
from scoring.frame_memo import memo
from scoring.privacy.publication import OrgTree, Viewer
from scoring.reporting.landing import round_rates, scale_table
from scoring.reporting.unit_report import UnitReport, report_rows, unit_report
from scoring.store.access import Principal, principal_for
from scoring.store.cuts import all_stored
from scoring.store.cuts import publication as stored_publication
from scoring.store.decisions import decision
from scoring.store.forked import forked_map, worker_count, worth_forking
from scoring.store.models import User, UserUnit
from scoring.store.organisation import read_units
from scoring.store.plans import list_actions
from scoring.store.rounds import list_rounds, round_row, round_status
from scoring.store.submit import load_form


def unit_viewer(engine: Engine, tree: pd.DataFrame, unit: str) -> Viewer:
    """The viewer whose publication a report of ``unit`` shows (module docstring)."""
    return _Viewers(engine, tree)(unit)


class _Viewers:
    """:func:`unit_viewer` for many units: the managers' assignments read once, each manager's
    principal once."""

    def __init__(self, engine: Engine, tree: pd.DataFrame):
        with engine.connect() as conn:
            assigned = conn.execute(select(UserUnit.unit_id, User.username).join(User, User.id == UserUnit.user_id)
                                    .where(User.role == "manager", User.active.is_(True)).order_by(User.username)).all()
        self.by_unit: dict[str, str] = {}
        for unit_id, username in assigned:
            self.by_unit.setdefault(unit_id, username)
        self.engine, self.org = engine, OrgTree.of(tree)
        self.of_user: dict[str, Viewer] = {}

    def __call__(self, unit: str) -> Viewer:
        for up in self.org.ancestors(unit):
            if up in self.by_unit:
                name = self.by_unit[up]
                if name not in self.of_user:
                    self.of_user[name] = Viewer.of(principal_for(self.engine, name))
                return self.of_user[name]
        return Viewer(f"manager of {unit}", "manager", frozenset(self.org.subtree(unit)))


class ReportMaker:
    """Reports of one round for many units: rounds decided once, one cut per viewer."""

    def __init__(self, engine: Engine, round_name: str, lang: str = "nb", as_user: str | None = None,
                 made: dt.date | None = None):
        self.engine, self.round, self.lang, self.made = engine, round_name, lang, made or dt.date.today()
        with engine.connect() as conn:
            rnd = round_row(conn, round_name)
            self.instruments = list(load_form(conn, rnd.id, rnd.form_hash).instruments)
        self.tree = read_units(engine)
        self.principal: Principal | None = None
        if as_user is not None:
            self.principal = principal_for(engine, as_user)
            if self.principal is None:
                raise UserError.single(f"no active user '{as_user}'", path="--as")
        names = [r.name for r in list_rounds(engine) if r.responses > 0]
        if round_name not in names:
            raise UserError([Problem(f"round '{round_name}' has no answers yet", path="--round", code="round_without_answers",
                                     params={"round": round_name})])
        self.rounds = names[: names.index(round_name) + 1]
        self._decisions: list | None = None
        self._one: dict = {}
        self.status = round_status(engine, round_name)[["unit", "invited"]]
        self.actions = list_actions(engine)
        self._cuts: dict[frozenset | None, tuple] = {}  # scope -> (rows, publication, scale table, rates)
        self._planned: dict[frozenset | None, set[str]] = {}  # scope -> the units whose reports are to come
        self._viewers: _Viewers | None = None
        self.keys: dict = {}  # round -> (id, min_n, current decision key), read once (cuts.round_cut)
        self._viewer_of: dict[str, Viewer] = {}

    @property
    def decisions(self) -> list:
        """The rounds up to the report's, decided for the whole organisation (once, when first needed)."""
        if self._decisions is None:
            self._decisions = [decision(self.engine, name, self.tree) for name in self.rounds]
        return self._decisions

    def decided(self, name: str):
        """One round's decision, read once (only needed where a viewer's cut is not stored yet)."""
        if self._decisions is not None:
            return self._decisions[self.rounds.index(name)]
        if name not in self._one:
            self._one[name] = decision(self.engine, name, self.tree)
        return self._one[name]

    def units(self) -> list[str]:
        """The round's units and every unit above them that a report can be made for."""
        org = OrgTree.of(self.tree)
        wanted = {up for unit in self.status["unit"] for up in org.ancestors(unit) if up != "*"}
        return [u for u in org.order if u in wanted]

    def viewer(self, unit: str) -> Viewer:
        if self.principal is not None:
            return Viewer.of(self.principal)
        if unit not in self._viewer_of:
            if self._viewers is None:
                self._viewers = _Viewers(self.engine, self.tree)
            self._viewer_of[unit] = self._viewers(unit)
        return self._viewer_of[unit]

    def plan(self, units: list[str]) -> None:
        """Say which units' reports are to come, so that each scope's cut is read once with the
        cells all of its reports need (:func:`~scoring.reporting.unit_report.report_rows`)."""
        for unit in units:
            viewer = self.viewer(unit)
            if viewer.sees(unit):
                self._planned.setdefault(viewer.units, set()).add(unit)

    def report(self, unit: str) -> UnitReport:
        """One unit's report; a unit outside ``--as``'s scope is refused, nothing is drawn."""
        if unit not in memo(self.tree, "unit_set", lambda: set(self.tree["unit"])):
            raise UserError.single(f"no unit '{unit}'", path="--unit")
        viewer = self.viewer(unit)
        if not viewer.sees(unit):
            raise UserError.single("Du har ikke tilgang til denne enheten. / You do not have access to this unit.", path="--unit")
        publication, table, rates = self._cut(viewer, unit)
        return unit_report(publication, self.tree, unit, self.round, self.status, self.actions, self.instruments,
                           self.lang, self.made, table, rates)

    def _cut(self, viewer: Viewer, unit: str) -> tuple:
        """The viewer's publication, scale table and response rates for a report of ``unit``,
        made once per scope: a cut depends only on the units a viewer sees
        (:func:`scoring.privacy.scope.restrict`), so managers of the same units share it (and
        the table and rates made from it). Only the cells that the scope's planned reports read
        are taken (:func:`~scoring.reporting.unit_report.report_rows`: a national team
        manager's cut is 270,000 cells, a report reads a few thousand of them)."""
        held = self._cuts.get(viewer.units)
        if held is None or not held[0].covers([unit]):
            planned = self._planned.setdefault(viewer.units, set())
            planned.add(unit)
            rows = report_rows(planned, self.round)
            publication = stored_publication(self.engine, self.rounds, viewer, tree=self.tree, decide=self.decided, rows=rows,
                                             keys=self.keys)
            names = set(publication.arrays("compare", self.round)["scale"])
            scales = [s.id for inst in self.instruments for s in inst.scales if s.id in names]
            self._cuts[viewer.units] = (rows, publication, scale_table(publication, self.tree, self.round, scales),
                                        round_rates(publication, self.tree, self.round, self.status))
        _, publication, table, rates = self._cuts[viewer.units]
        if publication.viewer != viewer:  # the same cells, named for this viewer; the row index kept
            shared, publication = publication, replace(publication, viewer=viewer)
            object.__setattr__(publication, "_rows", shared._index())
            object.__setattr__(publication, "_columns", shared.__dict__.setdefault("_columns", {}))
        return publication, table, rates

    def forget_cuts(self) -> None:
        """Drop the cuts held for the scopes drawn so far (a worker of a national batch would
        otherwise hold a few hundred scopes' cells, gigabytes, and slow down as it grows)."""
        self._cuts.clear()

    def scopes(self) -> int:
        """How many distinct scopes have been cut (bench/bench_unit_reports.py)."""
        return len(self._cuts)

    def reports(self, units: list[str]) -> Iterator[UnitReport]:
        for unit in units:
            yield self.report(unit)


# ----------------------------------------------------------------------------- many reports at once

def write_reports(maker: ReportMaker, units: list[str], folder: Path, draw, step=None, workers: int | None = None) -> list[Path]:
    """Draw one PDF per unit into ``folder`` (named ROUND-UNIT.pdf) with ``draw(path, report)``
    (:func:`scoring.formats.unit_report_pdf.unit_report_pdf`); ``step(unit)`` after each.

    The rounds are decided once, here, where a viewer's cut is not stored yet. The units are
    then handed out in chunks of whole scopes (the units whose reports show the same cut) to
    ``workers`` processes (default: one per core, at most 4), forked so that they inherit the
    decisions; each worker makes the cuts of its scopes (read from the store, or cut and stored)
    and draws the PDFs (reportlab, pure Python). The files do not depend on which worker drew
    them; ``step`` is called for the units of each chunk as it finishes (chunks in order)."""
    paths = [folder / f"{maker.round}-{unit}.pdf" for unit in units]
    maker.plan(units)  # each scope's cut read once, with the cells of all its reports
    workers = worker_count(workers)
    if not worth_forking(workers, len(units)):
        for unit, path in zip(units, paths):
            draw(path, maker.report(unit))
            if step:
                step(unit)
        return paths
    viewers = {unit: maker.viewer(unit) for unit in units}
    if not all_stored(maker.engine, maker.rounds, {v for u, v in viewers.items() if v.sees(u)}, maker.tree):
        maker.decisions  # noqa: B018 - decided in this process once, before the workers fork
    size = max(1, min(25, len(units) // (4 * workers)))
    chunks = _scope_chunks(units, paths, viewers, size)
    for done in forked_map(maker.engine, (maker, draw), _draw_chunk, chunks, workers):
        for unit in done:
            if step:
                step(unit)
    return paths


def _scope_chunks(units: list[str], paths: list[Path], viewers: dict[str, Viewer], size: int) -> list[list[tuple[str, Path]]]:
    """The (unit, path) pairs in chunks of about ``size``, the units of one scope together (in
    the order their scopes first appear), so that a scope is cut in one worker; a scope with
    more than ``size`` units is spread over several chunks."""
    groups: dict[frozenset | None, list[tuple[str, Path]]] = {}
    for unit, path in zip(units, paths):
        groups.setdefault(viewers[unit].units, []).append((unit, path))
    chunks: list[list[tuple[str, Path]]] = [[]]
    for group in groups.values():
        if chunks[-1] and len(chunks[-1]) + len(group) > size:
            chunks.append([])
        for pair in group:
            if len(chunks[-1]) >= size:
                chunks.append([])
            chunks[-1].append(pair)
    return [c for c in chunks if c]


def _draw_chunk(job: tuple, chunk: list[tuple[str, Path]]) -> list[str]:
    maker, draw = job
    for unit, path in chunk:
        draw(path, maker.report(unit))
    maker.forget_cuts()  # a chunk holds whole scopes: the next chunk needs other cuts
    return [unit for unit, _ in chunk]
