"""The dashboard's data layer: every page reads through these cached functions.

Data comes from the configured database (``SAMKLIMA_DATABASE_URL``, or the SQLite file in
``SAMKLIMA_DATA_DIR``/``./data``). On the first start of the default SQLite database the demo
organisation is loaded, so ``make run`` needs no server and no setup.

Every number a page shows comes from one publication per viewer
(:func:`scoring.privacy.publication.publish`, via :func:`publication`): decided for the whole
organisation once per round and cut to the viewer's scope, then turned into page tables by
:mod:`scoring.reporting`. Pages never see raw responses, and compute no count or mean of their
own. The round's decision is kept in the database (:mod:`scoring.store.decisions`) with its
answer-set version, threshold, state and unit tree, so a restarted or new app server reads it;
when answers changed it is decided again from the stored per-group aggregates
(:mod:`scoring.store.aggregates`), never from the round's raw answers. In the process it is
cached by the same key.
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from scoring.instrument.background import default_staff_instruments
from scoring.instrument.catalog import bundled, bundled_all
from scoring.privacy import DEFAULT_MIN_N
from scoring.privacy.cell_rows import CellRows
from scoring.privacy.publication import ORGANISATION, Publication, RoundDecision, Viewer
from scoring.reporting.comparison import UnitComparison
from scoring.reporting.comparison import comparison as _comparison
from scoring.reporting.comparison import trends as _trends
from scoring.reporting.landing import result_rounds
from scoring.reporting.unit_report import report_rows
from scoring.samples.demo import load_demo
from scoring.store import api
from scoring.store.access import Principal
from scoring.store.aggregates import answer_versions as _answer_versions
from scoring.store.cuts import publication as stored_publication
from scoring.store.db import migrate_if_behind
from scoring.store.decisions import decision as _stored_decision
from scoring.store.decisions import tree_hash

STAFF_INSTRUMENTS = default_staff_instruments()  # instruments/background/staff.yaml, in form order


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The database engine, migrated; the demo is loaded into an empty default database.

    Empty means no units and no accounts: once ``samklima users add`` has made the first
    administrator (or units are imported), the database is a real one and gets no demo.
    """
    eng = api.get_engine()
    migrate_if_behind(eng)
    wants_demo = os.environ.get("SAMKLIMA_DEMO", "auto")
    is_default = not os.environ.get("SAMKLIMA_DATABASE_URL")
    if wants_demo == "1" or (wants_demo == "auto" and is_default):
        if api.read_units(eng).empty and not api.list_accounts(eng):
            load_demo(eng)
    return eng


@st.cache_data(show_spinner=False, ttl=300)
def units() -> pd.DataFrame:
    """The organisation's unit tree: unit, name, parent, unit_type."""
    return api.read_units(engine())


@st.cache_data(show_spinner=False)
def instruments() -> pd.DataFrame:
    """One row per bundled instrument."""
    rows = [
        {"id": i.id, "version": i.version, "status": i.status, "title_nb": i.title["nb"],
         "title_nn": i.title.get("nn") or i.title["nb"], "title_en": i.title["en"],
         "items": len(i.items), "scales": len(i.scales)}
        for i in bundled_all()
    ]
    return pd.DataFrame(rows)


@st.cache_data(show_spinner=False, ttl=60)
def rounds() -> pd.DataFrame:
    """Every round, oldest first: name, state, opens, closes, min_n, responses, invited, rate,
    and ``answers_version``, the answer-set version that grows with every answer written,
    changed or deleted (:func:`scoring.store.aggregates.answer_versions`): read with the list,
    so one cache (and one ``rounds.clear()``) holds a round's state."""
    frame = pd.DataFrame([r.to_dict() for r in api.list_rounds(engine())])
    if not frame.empty:
        versions = _answer_versions(engine())
        frame["answers_version"] = frame["name"].map(lambda name: versions.get(name, 0))
    return frame


def round_names() -> list[str]:
    frame = rounds()
    return [] if frame.empty else list(frame["name"])


def rounds_with(instrument_id: str) -> list[str]:
    """Rounds, oldest first, that carry ``instrument_id`` and have answers (a round may hold one
    instrument of several, and a round just opened has nothing to analyse yet)."""
    frame = rounds()
    if frame.empty:
        return []
    carries = frame["instruments"].map(lambda items: any(i.get("id") == instrument_id for i in items or []))
    return list(frame.loc[carries & (frame["responses"] > 0), "name"])


def round_min_n(round_name: str) -> int:
    frame = rounds()
    hit = frame[frame["name"] == round_name]
    return int(hit["min_n"].iloc[0]) if len(hit) else DEFAULT_MIN_N


@st.cache_data(show_spinner=False, ttl=300)
def _tree_key() -> str:
    return tree_hash(units())


def _versions() -> tuple:
    """(round, answer-set version, min_n, state, unit tree) of every round: a new answer, setting
    or unit tree makes new cells."""
    frame = rounds()
    if frame.empty:
        return ()
    tree = _tree_key()
    return tuple((name, int(version), int(min_n), state, tree)
                 for name, version, min_n, state in zip(frame["name"], frame["answers_version"], frame["min_n"], frame["state"]))


@st.cache_resource(show_spinner=False, max_entries=64)
def _decision(round_name: str, version: int, min_n: int, state: str, tree: str) -> RoundDecision:
    """One round decided for the whole organisation (the arguments after the name key the
    cache): the stored decision, or decided again from the stored aggregates and stored."""
    return _stored_decision(engine(), round_name, units())


SUMMARY_PAGES = ("compare", "overview")  # unit means and response counts: all Compare, Trends and the landing page show


@st.cache_resource(show_spinner=False, max_entries=256)
def _publication(principal: Principal | None, versions: tuple, pages: tuple[str, ...] | None = None) -> Publication:
    """The principal's cut of every round: stored beside the round's decision
    (:mod:`scoring.store.cuts`), so a restarted server reads it instead of cutting again. With
    ``pages``, only those pages' cells are read (the organisation-wide view reads them from the
    stored decision without decoding its millions of item and partner cells)."""
    rows = None if pages is None else CellRows({page: () for page in pages}, frozenset())
    return _stored(principal, versions, [v[0] for v in versions], rows)


def _stored(principal: Principal | None, versions: tuple, round_names: list[str], rows: CellRows | None) -> Publication:
    """The principal's stored cut of ``round_names`` (the ``rows`` of it, or all), each round
    decided from its stored decision when no cut is stored yet."""
    by_name = {v[0]: v for v in versions}
    return stored_publication(engine(), round_names, Viewer.of(principal), tree=units(),
                              decide=lambda name: _decision(*by_name[name]), rows=rows)


def versions() -> tuple:
    """What every round's stored decision is keyed on (round, answer-set version, min_n, state,
    unit tree): a cache key for anything built from a publication (:mod:`dashboard.compare_views`)."""
    return _versions()


def publication(principal: Principal | None) -> Publication:
    """Everything ``principal`` may see of every round (None: the organisation-wide view)."""
    return _publication(principal, _versions())


def unit_cells(principal: Principal | None, round_name: str, unit: str | None = None) -> Publication:
    """One unit's cells (None: the organisation's own, unit ``*``) of Compare and Items in one
    round of :func:`publication`, and no others: what an item distribution reads (the Spørsmål
    page, the quality page's item table). An administrator's whole publication is millions of
    cells, 4.5 s to load and search on a national round; these are a few hundred."""
    return _unit_cells(principal, _versions(), round_name, ORGANISATION if unit is None else unit)


@st.cache_resource(show_spinner=False, max_entries=256)
def _unit_cells(principal: Principal | None, versions: tuple, round_name: str, unit: str) -> Publication:
    only = {"unit": (unit,), "round": (round_name,)}
    rows = CellRows({"compare": (), "items": ()}, frozenset(), where={"compare": only, "items": only})
    return _stored(principal, versions, [round_name], rows)


def page_cells(principal: Principal | None, page: str, round_name: str, scale: str) -> Publication:
    """The cells of one page, round and scale of :func:`publication`, and no others: what the
    Partners page draws (an administrator's partner cells on a national round are millions,
    most of the publication; one scale's are a ninth of them)."""
    return _page_cells(principal, _versions(), page, round_name, scale)


@st.cache_resource(show_spinner=False, max_entries=256)
def _page_cells(principal: Principal | None, versions: tuple, page: str, round_name: str, scale: str) -> Publication:
    rows = CellRows({page: ()}, frozenset(), where={page: {"round": (round_name,), "scale": (scale,)}})
    return _stored(principal, versions, [round_name], rows)


def report_cells(principal: Principal | None, unit: str, round_name: str) -> Publication:
    """The cells the unit report of ``unit`` in ``round_name`` reads (every round's Compare for
    the change, the round's Items and shown Partners; :func:`scoring.reporting.unit_report.report_rows`),
    and no others: the report is the one the whole publication gives, without loading an
    administrator's millions of cells."""
    return _report_cells(principal, _versions(), unit, round_name)


@st.cache_resource(show_spinner=False, max_entries=64)
def _report_cells(principal: Principal | None, versions: tuple, unit: str, round_name: str) -> Publication:
    return _stored(principal, versions, [v[0] for v in versions], report_rows({unit}, round_name))


def summary(principal: Principal | None) -> Publication:
    """The :data:`SUMMARY_PAGES` of :func:`publication` (the same cells of those pages, and no
    others): what the pages of unit means and response counts read."""
    return _publication(principal, _versions(), SUMMARY_PAGES)


def result_round_names(principal: Principal | None) -> list[str]:
    """Rounds, oldest first, with results (scale cells) in ``principal``'s publication."""
    return result_rounds(summary(principal))


def latest_result_round(principal: Principal | None) -> str | None:
    """The newest round with results (scale cells) in ``principal``'s publication: the default
    round of every page, so a round just opened, with no answers yet, is never the first view."""
    rounds = result_round_names(principal)
    return rounds[-1] if rounds else None


def instrument_of_scale(scale_id: str):
    for inst in bundled_all():
        if any(s.id == scale_id for s in inst.scales):
            return inst
    raise KeyError(scale_id)


def comparison(principal: Principal, scale_id: str, round_name: str) -> UnitComparison:
    """Units of the principal's scope for one scale and round, from their publication."""
    return _comparison(summary(principal), units(), scale_id, round_name)


def trends(principal: Principal, scale_id: str) -> pd.DataFrame:
    """The principal's units across rounds for one scale, change flagged beyond uncertainty."""
    return _trends(summary(principal), units(), scale_id).units


def unit_means_table(principal: Principal, round_name: str, lang: str) -> pd.DataFrame:
    """Units x scales of the staff instruments for one round, hidden cells marked."""
    from dashboard.describe import hidden_label
    from dashboard.i18n import t
    from scoring.reporting.numbers import count, number

    names = units().set_index("unit")["name"]
    columns: dict[str, pd.Series] = {}
    counts = None
    for instrument_id in STAFF_INSTRUMENTS:
        for scale in bundled(instrument_id).scales:
            frame = comparison(principal, scale.id, round_name).units.set_index("unit")
            if frame.empty:
                continue
            label = frame["why"].map(lambda w: hidden_label(w, lang))
            columns[scale.name[lang]] = frame["mean"].map(lambda m: number(m, lang)).where(~frame["suppressed"], label)
            if counts is None:
                counts = frame["n"].map(lambda n: count(n, lang)).where(~frame["suppressed"], label)
    if counts is None:
        return pd.DataFrame(columns=[t("unit", lang), t("n", lang)])
    out = pd.DataFrame({t("n", lang): counts, **columns})
    out.insert(0, t("unit", lang), names.reindex(out.index).to_numpy())
    return out.reset_index(drop=True)
