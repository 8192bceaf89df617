"""The dashboard's data layer: every page reads through these cached functions.

Data comes from the configured database (``SAMKLIMA_DATABASE_URL``, or the SQLite file in
``SAMKLIMA_DATA_DIR``/``./data``). On the first start of the default SQLite database the demo
organisation is loaded, so ``make run`` needs no server and no setup.

Scope: the functions that return unit-level figures take the :class:`~scoring.access.Principal`
and return only that principal's units, after suppression has been decided on the whole
organisation (:mod:`scoring.compare`, :mod:`scoring.privacy`). Pages never see raw responses.
Caching is keyed by round, scale and principal, so a rerun with unchanged inputs recomputes
nothing, and nothing is cached across processes (several app servers can share one database).
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from scoring.access import Principal
from scoring.catalog import bundled, bundled_all
from scoring.compare import UnitComparison, compare_units, unit_trends
from scoring.privacy import DEFAULT_MIN_N
from scoring.responses import code_responses
from scoring.scores import score_scales
from scoring.store import api

STAFF_INSTRUMENTS = ("samhandlingsklima", "medbestemmelse")


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The database engine, migrated; the demo is loaded into an empty default database."""
    eng = api.get_engine()
    api.migrate(eng)
    wants_demo = os.environ.get("SAMKLIMA_DEMO", "auto")
    is_default = not os.environ.get("SAMKLIMA_DATABASE_URL")
    if wants_demo == "1" or (wants_demo == "auto" and is_default):
        if api.read_units(eng).empty:
            api.load_demo(eng)
    return eng


@st.cache_data(show_spinner=False, ttl=300)
def units() -> pd.DataFrame:
    """The organisation's unit tree: unit, name, parent, unit_type."""
    return api.read_units(engine())


@st.cache_data(show_spinner=False)
def instruments() -> pd.DataFrame:
    """One row per bundled instrument."""
    rows = [
        {"id": i.id, "version": i.version, "status": i.status, "title_nb": i.title["nb"], "title_en": i.title["en"],
         "items": len(i.items), "scales": len(i.scales)}
        for i in bundled_all()
    ]
    return pd.DataFrame(rows)


@st.cache_data(show_spinner=False, ttl=60)
def rounds() -> pd.DataFrame:
    """Every round, oldest first: name, state, opens, closes, min_n, responses, invited, rate."""
    return pd.DataFrame([r.to_dict() for r in api.list_rounds(engine())])


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


@st.cache_data(show_spinner=False, ttl=300, max_entries=64)
def _scores(round_names: tuple[str, ...], instrument_id: str) -> pd.DataFrame:
    """Scale scores of the whole organisation (never returned to a page)."""
    inst = bundled(instrument_id)
    table = api.read_responses(engine(), list(round_names))
    if table.empty:
        return pd.DataFrame(columns=["response", "unit", "round", *[s.id for s in inst.scales]])
    present = [c for c in inst.item_ids if c in table.columns]
    if not present:
        return pd.DataFrame(columns=["response", "unit", "round", *[s.id for s in inst.scales]])
    coded = code_responses(table, inst)
    return pd.concat([table[["response", "unit", "round"]], score_scales(coded.items, inst)], axis=1)


def instrument_of_scale(scale_id: str):
    for inst in bundled_all():
        if any(s.id == scale_id for s in inst.scales):
            return inst
    raise KeyError(scale_id)


@st.cache_data(show_spinner=False, ttl=300, max_entries=256)
def comparison(principal: Principal, scale_id: str, round_name: str) -> UnitComparison:
    """Units of the principal's scope for one scale and round, suppressed on the whole tree."""
    inst = instrument_of_scale(scale_id)
    scores = _scores(tuple(round_names()), inst.id)
    return compare_units(scores, units(), scale_id, round_name, principal=principal, min_n=round_min_n(round_name))


@st.cache_data(show_spinner=False, ttl=300, max_entries=256)
def trends(principal: Principal, scale_id: str) -> pd.DataFrame:
    """The principal's units across rounds for one scale, change flagged beyond uncertainty."""
    inst = instrument_of_scale(scale_id)
    scores = _scores(tuple(round_names()), inst.id)
    min_n = max([round_min_n(r) for r in round_names()] or [DEFAULT_MIN_N])
    return unit_trends(scores, units(), scale_id, principal=principal, min_n=min_n).units


@st.cache_data(show_spinner=False, ttl=300, max_entries=64)
def unit_means_table(principal: Principal, round_name: str, lang: str) -> pd.DataFrame:
    """Units x scales of the staff instruments for one round, suppressed cells marked."""
    from dashboard.describe import count, number
    from dashboard.i18n import t

    names = units().set_index("unit")["name"]
    columns: dict[str, pd.Series] = {}
    counts = None
    for instrument_id in STAFF_INSTRUMENTS:
        for scale in bundled(instrument_id).scales:
            frame = comparison(principal, scale.id, round_name).units.set_index("unit")
            columns[scale.name[lang]] = frame["mean"].map(lambda m: number(m, lang)).where(~frame["suppressed"], t("too_few", lang))
            if counts is None:
                counts = frame["n"].map(lambda n: count(n, lang)).where(~frame["suppressed"], t("too_few", lang))
    out = pd.DataFrame({t("n", lang): counts, **columns})
    out.insert(0, t("unit", lang), names.reindex(out.index).to_numpy())
    return out.reset_index(drop=True)
