"""Stored viewer cuts (:mod:`scoring.store.cuts`): a manager's part of a round is cut once from
the stored decision, stored per scope, read back exactly by every later reader, and cut again
when what the decision was decided on changes.

tests/postgres/test_cuts_pg.py runs every test here again on PostgreSQL.
"""

from __future__ import annotations

from unittest import mock

import pandas as pd
import pytest
from sqlalchemy import func, select, update

from scoring.privacy import scope
from scoring.privacy.cell_rows import CellRows
from scoring.privacy.publication import Viewer, cut
from scoring.store import api, cuts, decisions
from scoring.store.models import Round, StoredCut
from tests.store.test_aggregates import ROUND, A, B, C, Decided, answer, load, raise_, survey  # noqa: F401
from tests.store.test_store import engine  # noqa: F401 - the store's fixtures

MANAGER = Viewer("leder", "manager", frozenset({A}))
SAME_UNITS = Viewer("someone else", "manager", frozenset({A}))
OTHER = Viewer("leder2", "manager", frozenset({B, C}))


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path}/samklima.db"


def stored(engine) -> int:  # noqa: F811
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(StoredCut)).scalar()


def test_a_manager_s_cut_is_stored_once_and_read_back_equal_to_cutting_the_decision(engine, survey):  # noqa: F811
    load(engine, [A, B, C])
    want = cut([decisions.decision(engine, ROUND)], MANAGER)
    first = cuts.publication(engine, [ROUND], MANAGER)
    pd.testing.assert_frame_equal(first.cells, want.cells, check_exact=True)
    assert first.rounds == want.rounds and stored(engine) == 1
    assert first.cells["hidden"].any() and (~first.cells["hidden"]).any(), "a cut with shown and hidden cells"
    # read back by the next reader (a restarted server): no cutting, no deciding, equal cells
    with mock.patch.object(cuts, "restrict", raise_(Decided())), mock.patch.object(decisions, "decide_round", raise_(Decided())):
        again = cuts.publication(engine, [ROUND], MANAGER)
        same_scope = cuts.publication(engine, [ROUND], SAME_UNITS)  # scope is units, not the person
    pd.testing.assert_frame_equal(again.cells, want.cells, check_exact=True)
    pd.testing.assert_frame_equal(same_scope.cells, want.cells, check_exact=True)
    assert stored(engine) == 1
    other = cuts.publication(engine, [ROUND], OTHER)
    pd.testing.assert_frame_equal(other.cells, cut([decisions.decision(engine, ROUND)], OTHER).cells, check_exact=True)
    assert stored(engine) == 2
    whole = cuts.publication(engine, [ROUND])
    assert stored(engine) == 2, "the organisation-wide view is the decision itself, not stored"
    assert set(whole.cells["unit"]) > set(first.cells["unit"])


def test_a_new_answer_or_setting_makes_the_stored_cut_stale_and_it_is_cut_again(engine, survey):  # noqa: F811
    load(engine, [A, B, C])
    before = cuts.publication(engine, [ROUND], MANAGER).cells
    answer(engine, survey[A], "a-1")  # in the manager's unit
    with mock.patch.object(cuts, "restrict", raise_(Decided())), pytest.raises(Decided):
        cuts.publication(engine, [ROUND], MANAGER)
    after = cuts.publication(engine, [ROUND], MANAGER).cells
    pd.testing.assert_frame_equal(after, cut([decisions.decision(engine, ROUND)], MANAGER).cells, check_exact=True)
    own = lambda cells: int(cells.set_index(["page", "unit"]).loc[("overview", A), "n"])  # noqa: E731
    assert own(after) == own(before) + 1
    assert stored(engine) == 1, "the old decision's cut is gone with it"
    with engine.begin() as conn:
        conn.execute(update(Round).where(Round.name == ROUND).values(min_n=7))
    with mock.patch.object(cuts, "restrict", raise_(Decided())), pytest.raises(Decided):
        cuts.publication(engine, [ROUND], MANAGER)


SUMMARY = CellRows({"compare": (), "overview": ()}, frozenset())


def test_the_organisation_s_pages_are_read_from_the_stored_decision_alone(engine, survey):  # noqa: F811
    """The organisation-wide view of some pages (the dashboard's Compare, Trends and landing
    page: unit means and counts) is read from the stored decision's cells without loading the
    decision (its item and partner cells are millions in a national round): the same cells as
    the whole publication's rows of those pages; other pages are refused, not empty; a stale
    decision is decided again first."""
    load(engine, [A, B, C])
    whole = cuts.publication(engine, [ROUND])
    with mock.patch.object(decisions, "load", raise_(Decided())), mock.patch.object(decisions, "decide_round", raise_(Decided())):
        pages = cuts.publication(engine, [ROUND], rows=SUMMARY)
    want = whole.cells[whole.cells["page"].isin(["compare", "overview"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(pages.cells, want, check_exact=True)
    assert len(want) and pages.rounds == whole.rounds and pages.pages == {"compare", "overview"}
    assert "_n" not in pages.cells, "no column the engine keeps for itself"
    pd.testing.assert_frame_equal(pages.select("compare", ROUND), whole.select("compare", ROUND), check_exact=True)
    with pytest.raises(ValueError, match="items"):
        pages.select("items", ROUND)
    answer(engine, survey[A], "a-1")
    with mock.patch.object(decisions, "decide_round", raise_(Decided())), pytest.raises(Decided):
        cuts.publication(engine, [ROUND], rows=SUMMARY)
    after = cuts.publication(engine, [ROUND], rows=SUMMARY)
    own = lambda cells: int(cells.set_index(["page", "unit"]).loc[("overview", A), "n"])  # noqa: E731
    assert own(after.cells) == own(pages.cells) + 1


def test_a_batch_reads_the_round_and_its_key_once_and_gets_the_same_cells(engine, survey):  # noqa: F811
    """``keys``: what a report batch keeps between scopes (the round's row and current decision
    key); the cells are those read without it, and a second scope reads no round again."""
    load(engine, [A, B, C])
    cuts.publication(engine, [ROUND], MANAGER), cuts.publication(engine, [ROUND], OTHER)  # stored
    keys: dict = {}
    first = cuts.publication(engine, [ROUND], MANAGER, keys=keys)
    pd.testing.assert_frame_equal(first.cells, cuts.publication(engine, [ROUND], MANAGER).cells, check_exact=True)
    with engine.connect() as conn:
        rnd = cuts.round_row(conn, ROUND)
        assert keys == {ROUND: (rnd.id, rnd.min_n, decisions.key_hash(decisions.current_key(conn, rnd, api.read_units(engine))))}
    with mock.patch.object(cuts, "round_row", raise_(Decided())), mock.patch.object(cuts, "restrict", raise_(Decided())):
        other = cuts.publication(engine, [ROUND], OTHER, keys=keys)
    pd.testing.assert_frame_equal(other.cells, cut([decisions.decision(engine, ROUND)], OTHER).cells, check_exact=True)


def test_a_cut_of_a_decision_replaced_meanwhile_is_not_stored(engine, survey):  # noqa: F811
    # Server 1 reads the decision key and cuts; server 2 decides the round again after a new
    # answer before server 1 stores: server 1's cut (of the old decision) must not be kept.
    load(engine, [A, B, C])
    decisions.decision(engine, ROUND)
    real = scope.restrict

    def slow_restrict(decided, viewer):
        out = real(decided, viewer)
        answer(engine, survey[B], "b-2")
        decisions.decision(engine, ROUND)  # the other server
        return out

    with mock.patch.object(cuts, "restrict", slow_restrict):
        cuts.publication(engine, [ROUND], MANAGER)
    assert stored(engine) == 0
    fresh = cuts.publication(engine, [ROUND], MANAGER)
    pd.testing.assert_frame_equal(fresh.cells, cut([decisions.decision(engine, ROUND)], MANAGER).cells, check_exact=True)
    assert stored(engine) == 1


def test_the_publication_command_reads_the_stored_cut(engine, survey):  # noqa: F811
    from scoring.store.publication import publication

    load(engine, [A, B, C])
    want = cuts.publication(engine, [ROUND], MANAGER).cells
    with mock.patch.object(cuts, "restrict", raise_(Decided())):
        got = publication(engine, [ROUND], MANAGER).cells
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert api.list_rounds(engine)[0].name == ROUND
