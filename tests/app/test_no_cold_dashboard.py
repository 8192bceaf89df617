"""No cold dashboard: after a restart (empty process caches) the data behind Compare, Trends and
the landing page come from the decision, the manager's cut and the invariance verdicts stored in
the database, not from the round's raw answers; so does the Kvalitet page's report.

Fails when the dashboard path reads a round's raw answers (:func:`scoring.store.publication.answers_of`,
or any unit's through the aggregates' refresh), decides a round again, cuts a manager's
publication again, fits the invariance models again or computes the quality report again
although nothing changed. tests/postgres/test_no_cold_dashboard_pg.py runs it on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import ExitStack, contextmanager
from unittest import mock

import pandas as pd
import pytest
import streamlit as st

from scoring.instrument.catalog import bundled
from scoring.store import aggregates, api, decisions
from scoring.store.access import principal_for
from scoring.store.accounts import create_account
from tests.conftest import REPO

UNITS = ["k1.ho.bof1.t1", "k1.ho.bof1.t3", "k1.ho.hj1.t3"]  # three teams of one tjenesteområde
MANAGER_UNIT = "k1.ho"


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path}/samklima.db"


@contextmanager
def dashboard_on(url: str):
    """The dashboard's data layer pointed at ``url``, with empty process caches before and after."""
    old = {k: os.environ.get(k) for k in ("SAMKLIMA_DATABASE_URL", "SAMKLIMA_DEMO")}
    os.environ["SAMKLIMA_DATABASE_URL"] = url
    os.environ["SAMKLIMA_DEMO"] = "0"
    restart()
    engine = api.get_engine()
    api.migrate(engine)
    try:
        yield engine
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        restart()


def restart() -> None:
    """What a restarted (or new) app server starts with: no cached data in the process."""
    st.cache_resource.clear()
    st.cache_data.clear()


def two_rounds(engine) -> None:
    """Sample answers of three teams in two rounds of medbestemmelse, the first one closed."""
    api.import_units(engine, REPO / "sample_data" / "units.csv")
    table = pd.read_csv(REPO / "sample_data" / "responses.csv")
    for name, day in (("2025-1", dt.date(2025, 3, 10)), ("2026-1", dt.date(2026, 3, 10))):
        api.create_round(engine, name, ["medbestemmelse"], "all", opens=day.replace(day=1), closes=day.replace(day=28))
        rows = table[(table["round"] == name) & table["unit"].isin(UNITS)]
        rows = rows[["response", "unit", "language", "role", "tenure", "position", *[c for c in rows if c.startswith("mb_")]]]
        api.import_responses(engine, name, rows, id_column="response", today=day)
    api.close_round(engine, "2025-1")
    create_account(engine, "leder2", "demo", "manager", units=[MANAGER_UNIT])


def pages(principal) -> dict:
    """What Compare, Trends and the landing page show (their dashboard.data functions)."""
    from dashboard import data, data_compare, data_invariance, data_landing, data_quality

    latest = data.latest_result_round(principal)
    scale = data_landing.scales(principal, latest)[0]
    instrument = data.instrument_of_scale(scale).id
    return {
        "professions": data_invariance.profession_invariance(instrument, scale, latest).to_dict(),
        "between rounds": {k: v.to_dict() for k, v in data_invariance.trend_invariance(scale, data.result_round_names(principal)).items()},
        "rounds": data.result_round_names(principal),
        "compare": data.comparison(principal, scale, latest).units,
        "matrix": data_compare.scale_matrix(principal, latest),
        "home": data.unit_means_table(principal, latest, "nb"),
        "trends": data.trends(principal, scale),
        "landing": [(land.unit, land.round) for land in data_landing.landings(principal, latest)],
        "quality": data_quality.quality(instrument, latest).to_dict(),  # the Kvalitet page's report
    }


def distribution(principal, unit, publication=None):
    """The Spørsmål page's item distribution of ``unit`` (None: the organisation) for the first
    scale in the latest round; with ``publication``, read from that publication instead."""
    from dashboard import data, data_items, data_landing
    from scoring.reporting.items import item_distribution

    latest = data.latest_result_round(principal)
    scale = data_landing.scales(principal, latest)[0]
    if publication is None:
        return data_items.item_distribution(principal, scale, latest, unit)
    return item_distribution(publication, data.instrument_of_scale(scale), scale, latest, unit, item_level=data_items.item_level())


def item_table(principal, publication=None):
    """The Kvalitet page's item table for the principal's first scale; with ``publication``, its
    answer shares taken from that publication instead of the page's (the organisation's own cells)."""
    from dashboard import data, data_landing, data_quality

    latest = data.latest_result_round(principal)
    scale = data_landing.scales(principal, latest)[0]
    instrument = data.instrument_of_scale(scale).id
    if publication is None:
        return data_quality.item_quality(principal, instrument, latest, scale).table
    from scoring.reporting.item_quality import with_published_shares

    version, = [v for v in data.versions() if v[0] == latest]
    return with_published_shares(data_quality._pooled_items(instrument, scale, version), publication, bundled(instrument), latest,
                                 item_level=data_quality.item_level()).table


class Recomputed(AssertionError):
    pass


def refuse(what: str):
    def call(*args, **kwargs):
        raise Recomputed(f"the dashboard {what} after a restart although no answer changed")
    return call


@contextmanager
def nothing_recomputed():
    """Every way the dashboard could recompute a round refuses: reading its raw answers,
    deciding it, cutting a manager's publication, fitting invariance models."""
    from dashboard import data

    with ExitStack() as guard:
        guard.enter_context(mock.patch("scoring.store.publication.answers_of", refuse("read a round's raw answers")))
        guard.enter_context(mock.patch.object(aggregates, "read_responses", refuse("read raw answers")))
        guard.enter_context(mock.patch("scoring.store.api.read_responses", refuse("read a round's raw answers")))
        guard.enter_context(mock.patch.object(decisions, "decide_round", refuse("decided a round again")))
        guard.enter_context(mock.patch("scoring.privacy.publication.decide_round", refuse("decided a round again")))
        guard.enter_context(mock.patch("scoring.store.cuts.restrict", refuse("cut a manager's publication again")))
        guard.enter_context(mock.patch("scoring.store.verdicts.invariance_between", refuse("fitted invariance models again")))
        guard.enter_context(mock.patch("scoring.store.verdicts.invariance_across_professions",
                                       refuse("fitted invariance models again")))
        guard.enter_context(mock.patch("scoring.store.quality.round_quality", refuse("computed the quality report again")))
        guard.enter_context(mock.patch("scoring.store.quality.pooled_item_quality", refuse("computed the item statistics again")))
        for name in ("answers_of", "decide_round", "publish"):  # the names the data layer once called directly
            if hasattr(data, name):
                guard.enter_context(mock.patch.object(data, name, refuse(f"called {name}")))
        yield


def test_after_a_restart_compare_trends_and_the_landing_page_read_the_stored_decision(database_url):
    with dashboard_on(database_url) as engine:
        two_rounds(engine)
        principal = principal_for(engine, "leder2")
        before = pages(principal)  # the first server: sums the aggregates, decides, stores
        items = item_table(principal)
        assert before["rounds"] == ["2025-1", "2026-1"] and len(before["landing"]) == 1
        assert before["compare"]["mean"].notna().any() and before["trends"]["mean"].notna().any()

        restart()
        with nothing_recomputed():
            after = pages(principal_for(engine, "leder2"))
            pd.testing.assert_frame_equal(item_table(principal_for(engine, "leder2")), items)
        assert after["rounds"] == before["rounds"] and after["landing"] == before["landing"]
        assert after["professions"] == before["professions"] and after["between rounds"] == before["between rounds"]
        assert after["quality"] == before["quality"] and before["quality"]["scales"][0]["alpha"] > 0
        assert len(before["between rounds"]) == 1 and before["professions"]["scale"] == before["between rounds"][("2025-1", "2026-1")]["scale"]
        for key in ("compare", "matrix", "home", "trends"):
            pd.testing.assert_frame_equal(after[key], before[key])

        # a new answer in one team: decided again from the aggregates, reading that team alone
        token = next(link.token for link in api.make_links(engine, "2026-1") if link.unit == UNITS[0])
        api.submit_response(engine, token=token, answers={f"mb_egen{i}": 5 for i in range(1, 5)}, language="nb",
                            idempotency_key="one-more", today=dt.date(2026, 3, 11))
        restart()
        read = []
        real = aggregates.read_responses

        def spy(engine, name, *, units):
            read.append((name, sorted(units)))
            return real(engine, name, units=units)

        with mock.patch("scoring.store.publication.answers_of", refuse("read a round's raw answers")), \
                mock.patch.object(aggregates, "read_responses", spy):
            fresh = pages(principal_for(engine, "leder2"))
        assert read == [("2026-1", [UNITS[0]])]
        n = fresh["compare"].set_index("unit")["n"]
        assert n.sum() >= before["compare"].set_index("unit")["n"].sum()


def test_the_whole_organisation_s_pages_read_only_their_own_cells_after_a_restart(database_url):
    """An administrator sees the whole organisation, whose publication is the stored decision
    itself (a national round's 5 million cells, nearly all item and partner cells): after a
    restart, Compare, Trends and the landing page read its unit-mean and count cells only,
    without loading the decision, and show the same numbers."""
    from dashboard import data

    with dashboard_on(database_url) as engine:
        two_rounds(engine)
        create_account(engine, "admin2", "demo", "admin")
        before = pages(principal_for(engine, "admin2"))
        first_items = item_table(principal_for(engine, "admin2"))
        assert before["compare"]["mean"].notna().any()
        restart()
        with nothing_recomputed(), mock.patch.object(decisions, "load", refuse("loaded a whole decision")):
            after = pages(principal_for(engine, "admin2"))
            assert data.summary(principal_for(engine, "admin2")).pages == set(data.SUMMARY_PAGES)
            items = item_table(principal_for(engine, "admin2"))  # Kvalitet's: the organisation's own cells
            spread = {unit: distribution(principal_for(engine, "admin2"), unit) for unit in [None, *UNITS]}  # Spørsmål's: one unit's
        assert after["rounds"] == before["rounds"] == ["2025-1", "2026-1"]
        for key in ("compare", "matrix", "home", "trends"):
            pd.testing.assert_frame_equal(after[key], before[key])
        whole = data.publication(principal_for(engine, "admin2"))  # the Items page's: every cell
        pd.testing.assert_frame_equal(items, first_items)
        pd.testing.assert_frame_equal(items, item_table(principal_for(engine, "admin2"), whole))  # the same shares from all cells
        assert items["3"].notna().all()
        for unit, read in spread.items():  # the same answers per item as from all cells
            full = distribution(principal_for(engine, "admin2"), unit, whole)
            assert (read.suppressed, read.n, read.reason, read.hidden_items) == (full.suppressed, full.n, full.reason, full.hidden_items)
            pd.testing.assert_frame_equal(read.counts, full.counts)
        assert not spread[None].suppressed and spread[None].counts.to_numpy().sum() > 0
        compare = whole.cells[whole.cells["page"] == "compare"].reset_index(drop=True)
        summary = data.summary(principal_for(engine, "admin2")).cells
        pd.testing.assert_frame_equal(summary[summary["page"] == "compare"].reset_index(drop=True), compare)


def test_a_round_prepared_when_it_closes_is_never_cold_for_its_first_viewer(database_url):
    """``samklima round prepare`` (:mod:`scoring.store.prepare`) stores the decisions, every
    manager's cuts and the invariance verdicts: the first page after it computes nothing."""
    from scoring.store.prepare import Preparation

    with dashboard_on(database_url) as engine:
        two_rounds(engine)
        api.close_round(engine, "2026-1")
        job = Preparation(engine, "2026-1")
        assert job.todo and job.verdicts and [q[0] for q in job.quality] == ["medbestemmelse"], "cuts, verdicts and a report to make"
        done = job.run(workers=1)
        assert done.cut > 0 and done.verdicts == len(job.verdicts) and done.quality == 1
        restart()
        with nothing_recomputed():
            first = pages(principal_for(engine, "leder2"))
            assert item_table(principal_for(engine, "leder2"))["item_rest_r"].notna().all()
        assert first["rounds"] == ["2025-1", "2026-1"] and first["compare"]["mean"].notna().any()
        assert first["professions"]["scale"] == first["between rounds"][("2025-1", "2026-1")]["scale"]
