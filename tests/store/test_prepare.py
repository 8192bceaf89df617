"""``samklima round prepare`` (:mod:`scoring.store.prepare`): after it, every unit report's and
every manager's view of the round (and of the earlier rounds a report shows) is stored, equal to
cutting the decision, and a report batch or a manager's page only reads; run again it cuts
nothing; bad input exits 2."""

from __future__ import annotations

import shutil
from unittest import mock

import pandas as pd
import pytest
from sqlalchemy import func, select

from scoring.formats.unit_report_pdf import unit_report_pdf
from scoring.privacy.publication import Viewer, cut
from scoring.store import cuts, decisions
from scoring.store.access import principal_for
from scoring.store.models import StoredCut, User
from scoring.store.prepare import Preparation, scopes
from scoring.store.unit_reports import ReportMaker, write_reports
from tests.cli_database import cli_engine, demo_database, run

ROUND = "2026-1"


class Cut(Exception):
    """Raised where a test expects nothing to be cut or decided."""


def refuse(*_args, **_kwargs):
    raise Cut


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo database (three rounds of the sample organisation), made once; each test copies it."""
    return demo_database(tmp_path_factory.mktemp("prepare") / "demo.db")


@pytest.fixture
def engine(demo, tmp_path, monkeypatch):
    shutil.copy(demo, tmp_path / "samklima.db")
    yield from cli_engine(tmp_path / "samklima.db", monkeypatch)


def stored(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(StoredCut)).scalar()


def managers(engine) -> list[Viewer]:
    with engine.connect() as conn:
        names = conn.execute(select(User.username).where(User.role == "manager", User.active.is_(True))).scalars().all()
    return [Viewer.of(principal_for(engine, name)) for name in names]


def test_after_prepare_every_report_and_every_manager_only_reads_and_reads_the_cut_of_the_decision(engine, capsys, tmp_path):
    maker = ReportMaker(engine, ROUND)
    wanted = {maker.viewer(u).units for u in maker.units()} | {v.units for v in managers(engine)}
    assert len(wanted) > 5 and None not in wanted, "several scopes, none the whole organisation"
    assert stored(engine) == 0

    code, out, err = run(capsys, "round", "prepare", ROUND, "--workers", "2")
    assert code == 0, err
    rounds = maker.rounds
    assert rounds[-1] == ROUND and len(rounds) == 3
    assert f"{len(wanted)} scopes over 3 round(s)" in out and f"{3 * len(wanted)} cuts made, 0 already stored" in out
    assert stored(engine) == 3 * len(wanted)

    # Every scope of every round reads back without cutting or deciding, equal to the decision's cut.
    decided = {name: decisions.decision(engine, name) for name in rounds}
    with mock.patch.object(cuts, "restrict", refuse), mock.patch.object(decisions, "decide_round", refuse):
        for viewer in managers(engine) + [maker.viewer(u) for u in maker.units()[::3]]:
            read = cuts.publication(engine, rounds, viewer)
            pd.testing.assert_frame_equal(read.cells, cut([decided[r] for r in rounds], viewer).cells, check_exact=True)
        # and a report for every unit draws from the stored cuts alone
        (tmp_path / "pdf").mkdir()
        later = ReportMaker(engine, ROUND)
        paths = write_reports(later, later.units(), tmp_path / "pdf", unit_report_pdf, workers=2)
        assert len(paths) == len(later.units()) and all(p.stat().st_size > 0 for p in paths)
        assert later._decisions is None, "no round was decided for the batch"

        # run again: nothing is missing, nothing is cut
        code, out, err = run(capsys, "round", "prepare", ROUND)
        assert code == 0, err
        assert f"0 cuts made, {3 * len(wanted)} already stored" in out


def test_a_changed_setting_makes_only_that_round_missing_again(engine):
    maker = ReportMaker(engine, ROUND)
    job = Preparation(engine, ROUND)
    n = len(job.todo)
    assert n == len(scopes(engine, maker)) and all(rounds == maker.rounds for _, rounds in job.todo)
    done = job.run(workers=1)
    assert (done.cut, done.stored, job.todo) == (3 * n, 0, [])
    with engine.begin() as conn:  # a later minimum group size for the latest round: a new decision
        conn.exec_driver_sql("UPDATE rounds SET min_n = min_n + 1 WHERE name = ?", (ROUND,))
    again = Preparation(engine, ROUND)
    assert len(again.todo) == n and all(rounds == [ROUND] for _, rounds in again.todo)
    assert again.run(workers=1).cut == n


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["round", "prepare", "no-such-round"], "no round named 'no-such-round'"),
        (["round", "prepare", ROUND, "--workers", "-1"], "--workers"),
    ],
)
def test_bad_input_exits_2_with_one_message_and_stores_nothing(engine, capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert stored(engine) == 0
