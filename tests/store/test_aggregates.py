"""Stored aggregates and decisions (:mod:`scoring.store.aggregates`, :mod:`scoring.store.decisions`):
counters kept by the database for every write to ``responses``, only the changed units summed
again, and a round decided from the aggregates once and then read.

tests/postgres/test_aggregates_pg.py runs every test here again on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select, text, update

from scoring.privacy.groups import RoundGroups, group_answers
from scoring.privacy.publication import decide_round
from scoring.store import aggregates, api, decisions
from scoring.store.access import principal_for
from scoring.store.accounts import create_account
from scoring.store.caseload import record_contact, register_client
from scoring.store.contact_corrections import delete_contact
from scoring.store.models import AnswerVersion, Round, Unit
from scoring.store.publication import answers_of
from tests.store.test_store import SAMPLE, engine  # noqa: F401 - the store's fixtures

ROUND = "2026-1"
A, B, C = "k1.ho.bof1.t1", "k1.phr.ph1.t1", "k1.ho.hj1.t3"  # leaf units with sample answers
TODAY = dt.date(2026, 3, 10)
FEEDBACK = {"fu_velvaere": 4.0, "fu_relasjoner": 4.5, "fu_hverdag": 3.5, "fu_samlet": 4.0,
            "fs_hort": 9.0, "fs_viktig": 9.5, "fs_maate": 9.0, "fs_samlet": 9.5}  # fmt: skip


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path}/samklima.db"


@pytest.fixture
def survey(engine):  # noqa: F811 - the store's engine fixture
    """The sample unit tree and an open round of medbestemmelse (20 items, 5 scales: small,
    so deciding it is quick), with its unit links."""
    api.import_units(engine, SAMPLE / "units.csv")
    api.create_round(engine, ROUND, ["medbestemmelse"], "all", opens=dt.date(2026, 3, 1), closes=dt.date(2026, 3, 28))
    return {link.unit: link.token for link in api.make_links(engine, ROUND)}


def sample(units, limit: int | None = None) -> pd.DataFrame:
    """Sample answers of ``units`` in round 2026-1, medbestemmelse only (``limit`` per unit)."""
    table = pd.read_csv(SAMPLE / "responses.csv")
    table = table[(table["round"] == ROUND) & table["unit"].isin(units)]
    if limit is not None:
        table = table.groupby("unit", sort=False).head(limit)
    return table[["response", "unit", "language", "role", "tenure", "position", *[c for c in table if c.startswith("mb_")]]]


def load(engine, units, limit=None):  # noqa: F811
    api.import_responses(engine, ROUND, sample(units, limit), id_column="response", today=TODAY)


def counters(engine) -> dict:  # noqa: F811
    with engine.connect() as conn:
        rows = conn.execute(select(AnswerVersion.unit_id, AnswerVersion.version, AnswerVersion.aggregated)).all()
    return {unit: (version, aggregated) for unit, version, aggregated in rows}


def answer(engine, token: str, key: str, value: int = 4):  # noqa: F811
    items = {f"mb_egen{i}": value for i in range(1, 5)} | {f"mb_styring{i}": 9 for i in range(1, 5)}
    return api.submit_response(engine, token=token, answers=items, language="nb", idempotency_key=key, today=TODAY)


def sorted_groups(groups: RoundGroups) -> pd.DataFrame:
    columns = {"unit": groups.unit, "partner": groups.partner,
               "scales": ["".join("1" if v else "0" for v in row) for row in groups.valid], "n": groups.n}
    for j in range(len(groups.scales)):
        columns[f"sum{j}"], columns[f"sq{j}"] = groups.sums[:, j], groups.squares[:, j]
    for j, counts in enumerate(groups.counts):
        columns.update({f"c{j}_{k}": counts[:, k] for k in range(counts.shape[1])})
    return pd.DataFrame(columns).sort_values(["unit", "partner", "scales"]).reset_index(drop=True)


class RawRead(AssertionError):
    pass


class Decided(AssertionError):
    pass


def raise_(error):
    def refuse(*args, **kwargs):
        raise error
    return refuse


def no_raw_reads():
    """Reading raw answers, for a round or for a unit, fails."""
    return [mock.patch.object(aggregates, "read_responses", raise_(RawRead())),
            mock.patch("scoring.store.publication.answers_of", raise_(RawRead()))]


# --- the counters --------------------------------------------------------------------------------


def test_every_write_to_responses_counts_on_its_round_and_unit_and_nothing_else_does(engine, survey):  # noqa: F811
    load(engine, [A, B], limit=4)
    assert counters(engine) == {A: (4, None), B: (4, None)}, "an import counts once per row on each unit it wrote"
    answer(engine, survey[C], "c-1")
    answer(engine, survey[C], "c-2")  # the second one through the one-statement way
    answer(engine, survey[C], "c-2")  # the same form again: nothing stored, nothing counted
    assert counters(engine)[C] == (2, None)
    with engine.begin() as conn:
        one = conn.execute(text("SELECT id FROM responses WHERE unit_id = :u ORDER BY id"), {"u": A}).scalars().first()
        conn.execute(text("UPDATE responses SET language = 'en' WHERE id = :id"), {"id": one})
        conn.execute(text("DELETE FROM responses WHERE unit_id = :u"), {"u": B})
    assert counters(engine) == {A: (6, None), B: (8, None), C: (2, None)}, "a change counts its old and new row, a deletion its row"

    # client feedback, its corrections and round settings are not survey answers
    create_account(engine, "kliniker", "demo", "clinician", units=[A], clinician="kl01")
    kliniker = principal_for(engine, "kliniker")
    register_client(engine, kliniker, client="c-001", unit=A, today=TODAY)
    record_contact(engine, kliniker, unit=A, client="c-001", answers=FEEDBACK, date=TODAY)
    delete_contact(engine, kliniker, unit=A, client="c-001", contact=1, reason="feil klient", today=TODAY)
    api.close_round(engine, ROUND)
    assert counters(engine) == {A: (6, None), B: (8, None), C: (2, None)}
    assert aggregates.answer_versions(engine) == {ROUND: 16}


# --- the aggregates ------------------------------------------------------------------------------


def test_the_stored_groups_are_the_round_summed_and_only_units_whose_answers_changed_are_read_again(engine, survey):  # noqa: F811
    load(engine, [A, B, C])
    read = []
    real = aggregates.read_responses

    def spy(engine, name, *, units):
        read.append(sorted(units))
        return real(engine, name, units=units)

    with mock.patch.object(aggregates, "read_responses", spy):
        first = aggregates.round_groups(engine, ROUND)
        assert read == [sorted([A, B, C])], "the first reader sums every unit once"
        pd.testing.assert_frame_equal(sorted_groups(first), sorted_groups(group_answers(answers_of(engine, ROUND))), check_exact=True)
        assert all(aggregated == version for version, aggregated in counters(engine).values())

        read.clear()
        aggregates.round_groups(engine, ROUND)
        assert read == [], "nothing changed: nothing is read"

        answer(engine, survey[A], "a-1", value=5)
        with engine.begin() as conn:
            gone = conn.execute(text("SELECT id FROM responses WHERE unit_id = :u ORDER BY id"), {"u": C}).scalars().first()
            conn.execute(text("DELETE FROM responses WHERE id = :id"), {"id": gone})
        after = aggregates.round_groups(engine, ROUND)
        assert read == [sorted([A, C])], "the units whose answers changed, and only those"
    pd.testing.assert_frame_equal(sorted_groups(after), sorted_groups(group_answers(answers_of(engine, ROUND))), check_exact=True)
    unchanged = sorted_groups(first)
    assert sorted_groups(after).query("unit == @B").reset_index(drop=True).equals(unchanged.query("unit == @B").reset_index(drop=True))
    assert after.respondents == first.respondents  # one answer more in A, one fewer in C


def test_a_refresh_never_overwrites_newer_groups_written_by_another_reader(engine, survey):  # noqa: F811
    load(engine, [A], limit=6)
    stale = aggregates.stale_units(engine, ROUND)  # another app server read the counter ...
    answer(engine, survey[A], "a-late")  # ... an answer arrived ...
    aggregates.round_groups(engine, ROUND)  # ... and this reader summed the unit with it
    assert aggregates.refresh(engine, ROUND, stale) == 0, "the older sum is not written over the newer one"
    assert aggregates.round_groups(engine, ROUND).respondents == 7


# --- the stored decision --------------------------------------------------------------------------


def test_a_round_is_decided_once_from_the_aggregates_and_read_again_until_its_answers_or_settings_change(engine, survey):  # noqa: F811
    load(engine, [A, B, C])
    tree = api.read_units(engine)
    with mock.patch("scoring.store.publication.answers_of", raise_(RawRead())):
        stored = decisions.decision(engine, ROUND)
    raw = decide_round(tree, answers_of(engine, ROUND))
    pd.testing.assert_frame_equal(stored.cells, raw.cells, check_exact=True)

    def unchanged():
        with no_raw_reads()[0], no_raw_reads()[1], mock.patch.object(decisions, "decide_round", raise_(Decided())):
            again = decisions.decision(engine, ROUND)
        pd.testing.assert_frame_equal(again.cells, raw.cells, check_exact=True)
        assert list(again.group_unit) == list(raw.group_unit) and np.array_equal(again.below, raw.below)
        assert all(np.array_equal(again.class_mask[v], raw.class_mask[v]) for v in raw.class_mask)
        np.testing.assert_array_equal(again.group_n, raw.group_n)

    def decided_again_from_aggregates():
        with no_raw_reads()[0], no_raw_reads()[1], mock.patch.object(decisions, "decide_round", raise_(Decided())):
            with pytest.raises(Decided):
                decisions.decision(engine, ROUND)

    unchanged()
    create_account(engine, "kliniker", "demo", "clinician", units=[A], clinician="kl01")
    kliniker = principal_for(engine, "kliniker")
    register_client(engine, kliniker, client="c-001", unit=A, today=TODAY)
    record_contact(engine, kliniker, unit=A, client="c-001", answers=FEEDBACK, date=TODAY)
    delete_contact(engine, kliniker, unit=A, client="c-001", contact=1, reason="feil klient", today=TODAY)
    unchanged()  # a contact correction is no survey answer

    api.close_round(engine, ROUND)
    decided_again_from_aggregates()
    api.reopen_round(engine, ROUND)
    unchanged()  # the state it was decided in
    with engine.begin() as conn:
        conn.execute(update(Round).where(Round.name == ROUND).values(min_n=6))
    decided_again_from_aggregates()
    with engine.begin() as conn:
        conn.execute(update(Round).where(Round.name == ROUND).values(min_n=5))
        conn.execute(update(Unit).where(Unit.id == C).values(parent_id="k1.ho.bof1"))  # the unit tree changed
    decided_again_from_aggregates()
    with engine.begin() as conn:
        conn.execute(update(Unit).where(Unit.id == C).values(parent_id="k1.ho.hj1"))
    unchanged()

    # a new answer: the round is decided again, from the aggregates, reading that unit alone
    answer(engine, survey[B], "b-1")
    read = []
    real = aggregates.read_responses

    def spy(engine, name, *, units):
        read.append(sorted(units))
        return real(engine, name, units=units)

    with mock.patch.object(aggregates, "read_responses", spy), mock.patch("scoring.store.publication.answers_of", raise_(RawRead())):
        fresh = decisions.decision(engine, ROUND)
    assert read == [[B]]
    pd.testing.assert_frame_equal(fresh.cells, decide_round(tree, answers_of(engine, ROUND)).cells, check_exact=True)
    overview = fresh.cells.set_index(["page", "unit"]).loc[("overview", "*"), "_n"]
    assert overview == len(sample([A, B, C])) + 1


def test_a_stored_decision_round_trips_exactly(engine, survey):  # noqa: F811
    load(engine, [A, B], limit=8)
    decided = decisions.decision(engine, ROUND)
    cells, model = decisions.dump(decided)
    back = decisions.load(cells, model, decided.org, ROUND, decided.min_n)
    pd.testing.assert_frame_equal(back.cells, decided.cells, check_exact=True)
    assert back.cells["scale"].map(type).isin([str, type(None)]).all(), "missing text is None, as the engine leaves it"
    assert back.units == decided.units and list(back.group_unit) == list(decided.group_unit)
    with pytest.raises(ValueError, match="another unit tree"):
        other = api.read_units(engine).iloc[::-1].reset_index(drop=True)
        from scoring.privacy.publication import OrgTree

        decisions.load(cells, model, OrgTree.of(other.assign(parent=None)), ROUND, decided.min_n)
