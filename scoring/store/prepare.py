"""Make a round's results ready for everyone who will look: decided and cut for every scope.

A manager's view of a round is a cut of the round's decision (:mod:`scoring.store.cuts`), a
search of its own that takes about a second per scope on a national round; made when a manager
first opens the dashboard, or for each report of ``samklima report --all-units``, 1,900 scopes
are about 45 minutes of two cores. :class:`Preparation` does that work once, when the coordinator
closes the round (``samklima round prepare NAME``): it decides the round and every earlier round
a report shows (each stored, :mod:`scoring.store.decisions`), and cuts and stores every scope
that will be asked for: the viewer of every unit's report (:func:`scoring.store.unit_reports.unit_viewer`)
and every active manager's own scope. Then it computes the invariance verdicts the Trends and
quality pages show about the round (:mod:`scoring.store.verdicts`: across its professions, and
against the previous round, for every scale that is not a total scale) and the quality page's
report of each of its instruments (:mod:`scoring.store.quality`). Afterwards the dashboard and a
report batch only read.

A cut already stored and current is not made again, so preparing twice costs one look-up per
scope, and an interrupted run goes on where it stopped. The cuts are made in ``workers`` forked
processes (they inherit the decisions), a chunk of scopes at a time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from scoring.privacy.publication import Viewer
from scoring.store.access import principal_for
from scoring.store.cuts import missing_cuts, round_cut
from scoring.store.cuts import publication as stored_publication
from scoring.store.forked import forked_map, worker_count, worth_forking
from scoring.store.models import User
from scoring.store.quality import prepare_quality, quality_to_prepare
from scoring.store.read import read_responses
from scoring.store.unit_reports import ReportMaker
from scoring.store.verdicts import prepare_verdicts, verdicts_to_prepare


@dataclass(frozen=True)
class Prepared:
    """What :meth:`Preparation.run` did: ``rounds`` decided, ``scopes`` distinct scopes, of which
    ``cut`` (scope, round) cuts were made now and ``stored`` were already current; ``verdicts``
    invariance verdicts and ``quality`` quality reports stored (or already there)."""

    round: str
    rounds: list[str]
    scopes: int
    cut: int
    stored: int
    verdicts: int
    quality: int = 0

    def summary(self) -> str:
        return (f"{self.round}: {self.scopes} scopes over {len(self.rounds)} round(s) "
                f"({', '.join(self.rounds)}); {self.cut} cuts made, {self.stored} already stored; "
                f"{self.verdicts} invariance verdicts and {self.quality} quality reports ready")


def scopes(engine, maker: ReportMaker) -> list[Viewer]:
    """One viewer per distinct scope that reports of the round's units and the active managers
    will ask for (the organisation-wide view needs no cut and is left out)."""
    viewers = [maker.viewer(unit) for unit in maker.units()]
    with engine.connect() as conn:
        managers = conn.execute(select(User.username).where(User.role == "manager", User.active.is_(True))
                                .order_by(User.username)).scalars().all()
    viewers += [Viewer.of(principal_for(engine, name)) for name in managers]
    by_scope: dict[frozenset, Viewer] = {}
    for viewer in viewers:
        if not viewer.whole_organisation:
            by_scope.setdefault(viewer.units, viewer)
    return list(by_scope.values())


class Preparation:
    """The work of preparing round ``name`` (module docstring): :attr:`todo` lists each scope
    still to cut with the rounds it needs; :meth:`run` makes and stores them."""

    def __init__(self, engine, name: str):
        self.engine, self.name = engine, name
        self.maker = ReportMaker(engine, name)
        self.viewers = scopes(engine, self.maker)
        missing = missing_cuts(engine, self.maker.rounds, self.viewers, self.maker.tree)
        self.todo = [(viewer, rounds) for viewer, rounds in missing if rounds]
        self.verdicts = verdicts_to_prepare(engine, name)
        self.quality = quality_to_prepare(engine, name)

    @property
    def steps(self) -> int:
        """Steps :meth:`run` reports: one per scope to cut, per verdict and per quality report."""
        return len(self.todo) + len(self.verdicts) + len(self.quality)

    def run(self, workers: int | None = None, step: Callable[..., None] | None = None) -> Prepared:
        """Cut every scope of :attr:`todo` in ``workers`` forked processes (default: one per core,
        at most 4), then compute the invariance verdicts the pages show (:mod:`scoring.store.verdicts`)
        and the round's quality reports (:mod:`scoring.store.quality`);
        ``step()`` once per scope and per verdict done (chunks of scopes report as they finish)."""
        maker, todo = self.maker, self.todo
        for round_name in dict.fromkeys(r for _, rounds in todo for r in rounds):
            maker.decided(round_name)  # in this process, before the workers fork
        workers = worker_count(workers)
        if not worth_forking(workers, len(todo)):
            for viewer, rounds in todo:
                _cut(maker, viewer, rounds)
                if step:
                    step()
        else:
            size = max(1, min(10, len(todo) // (4 * workers)))
            chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
            for done in forked_map(maker.engine, maker, _cut_chunk, chunks, workers):
                for _ in range(done if step else 0):
                    step()
        made = sum(len(rounds) for _, rounds in todo)
        self.todo = []
        read = functools.cache(lambda round_name: read_responses(self.engine, round_name))  # once per round
        prepare_verdicts(self.engine, self.verdicts, lambda round_name: read(round_name).copy(), step)
        prepare_quality(self.engine, self.name, self.quality, maker.tree, lambda: read(self.name).copy(),
                        lambda: stored_publication(self.engine, [self.name], tree=maker.tree, decide=maker.decided), step)
        return Prepared(self.name, list(maker.rounds), len(self.viewers), made, len(self.viewers) * len(maker.rounds) - made,
                        len(self.verdicts), len(self.quality))


def _cut(maker: ReportMaker, viewer: Viewer, rounds: list[str]) -> None:
    for round_name in rounds:
        round_cut(maker.engine, round_name, viewer, maker.tree, maker.decided, keys=maker.keys)


def _cut_chunk(maker: ReportMaker, chunk: list[tuple[Viewer, list[str]]]) -> int:
    for viewer, rounds in chunk:
        _cut(maker, viewer, rounds)
    return len(chunk)
