"""Unit reports from the database: whose publication a report shows, and many reports at once.

A report shows what the unit's manager may see: the publication (:mod:`scoring.privacy.publication`)
of the manager assigned to the unit or, failing that, to the nearest unit above it; where no
manager is assigned, the view of a manager of the unit alone (its subtree), which never shows
more. With ``--as`` it is that user's publication. Rounds are decided for the whole organisation
once (:func:`~scoring.privacy.publication.decide_round`) and cut per viewer, so reports for every
unit of a large organisation share the expensive part.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
from sqlalchemy import Engine, select

from scoring.errors import UserError
from scoring.privacy.publication import OrgTree, Viewer, cut, decide_round
from scoring.reporting.landing import scale_table
from scoring.reporting.unit_report import UnitReport, unit_report
from scoring.store.access import Principal, principal_for
from scoring.store.models import User, UserUnit
from scoring.store.organisation import read_units
from scoring.store.plans import list_actions
from scoring.store.publication import answers_of
from scoring.store.rounds import list_rounds, round_row, round_status
from scoring.store.submit import load_form


def unit_viewer(engine: Engine, tree: pd.DataFrame, unit: str) -> Viewer:
    """The viewer whose publication a report of ``unit`` shows (module docstring)."""
    with engine.connect() as conn:
        assigned = conn.execute(select(UserUnit.unit_id, User.username).join(User, User.id == UserUnit.user_id)
                                .where(User.role == "manager", User.active.is_(True)).order_by(User.username)).all()
    by_unit: dict[str, str] = {}
    for unit_id, username in assigned:
        by_unit.setdefault(unit_id, username)
    org = OrgTree.of(tree)
    for up in org.ancestors(unit):
        if up in by_unit:
            return Viewer.of(principal_for(engine, by_unit[up]))
    return Viewer(f"manager of {unit}", "manager", frozenset(org.subtree(unit)))


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
            raise UserError.single(f"round '{round_name}' has no answers yet", path="--round")
        self.rounds = names[: names.index(round_name) + 1]
        self._decisions: list | None = None
        self.status = round_status(engine, round_name)[["unit", "invited"]]
        self.actions = list_actions(engine)
        self._cuts: dict[Viewer, tuple] = {}

    @property
    def decisions(self) -> list:
        """The rounds up to the report's, decided for the whole organisation (once, when first needed)."""
        if self._decisions is None:
            org = OrgTree.of(self.tree)
            self._decisions = [decide_round(org, answers_of(self.engine, name)) for name in self.rounds]
        return self._decisions

    def units(self) -> list[str]:
        """The round's units and every unit above them that a report can be made for."""
        org = OrgTree.of(self.tree)
        wanted = {up for unit in self.status["unit"] for up in org.ancestors(unit) if up != "*"}
        return [u for u in org.order if u in wanted]

    def viewer(self, unit: str) -> Viewer:
        if self.principal is not None:
            return Viewer.of(self.principal)
        return unit_viewer(self.engine, self.tree, unit)

    def report(self, unit: str) -> UnitReport:
        """One unit's report; a unit outside ``--as``'s scope is refused, nothing is drawn."""
        if unit not in set(self.tree["unit"]):
            raise UserError.single(f"no unit '{unit}'", path="--unit")
        viewer = self.viewer(unit)
        if not viewer.sees(unit):
            raise UserError.single("Du har ikke tilgang til denne enheten. / You do not have access to this unit.", path="--unit")
        if viewer not in self._cuts:
            publication = cut(self.decisions, viewer)
            self._cuts[viewer] = (publication, None)
        publication, table = self._cuts[viewer]
        if table is None:
            names = set(publication.select("compare", self.round)["scale"])
            scales = [s.id for inst in self.instruments for s in inst.scales if s.id in names]
            table = scale_table(publication, self.tree, self.round, scales)
            self._cuts[viewer] = (publication, table)
        return unit_report(publication, self.tree, unit, self.round, self.status, self.actions, self.instruments,
                           self.lang, self.made, table)

    def reports(self, units: list[str]) -> Iterator[UnitReport]:
        for unit in units:
            yield self.report(unit)
