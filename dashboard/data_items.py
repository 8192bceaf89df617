"""Cached data for the items (Spørsmål) and partners (Samarbeidspartnere) pages.

The raw answers of a round are read once per process and never returned to a page; the pages
get :class:`scoring.distributions.ItemDistribution` and :class:`scoring.partners.PartnerMatrix`
objects, decided on the whole organisation and cut to the principal's scope by :mod:`scoring`.

``SAMKLIMA_ITEM_LEVEL=0`` switches item distributions off (the organisation's choice to report
at scale level only, privacy.md). ``SAMKLIMA_PARTNERS_BY_ROUND=1`` shows partner ratings per
round instead of pooled over all rounds (never both; see :mod:`scoring.partners`).
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from dashboard import data
from scoring.access import Principal
from scoring.catalog import bundled
from scoring.distributions import ItemDistribution, item_distribution as _item_distribution
from scoring.partners import PARTNER_FIELD, PartnerMatrix, partner_ratings
from scoring.privacy import DEFAULT_MIN_N
from scoring.responses import code_responses
from scoring.scores import score_scales
from scoring.store import api

PARTNER_INSTRUMENT = "samhandlingsklima"


def item_level() -> bool:
    return os.environ.get("SAMKLIMA_ITEM_LEVEL", "1") != "0"


def partners_by_round() -> bool:
    return os.environ.get("SAMKLIMA_PARTNERS_BY_ROUND", "0") == "1"


@st.cache_data(show_spinner=False, ttl=300, max_entries=16)
def round_responses(round_name: str) -> pd.DataFrame:
    """The whole organisation's raw answers in one round (for scoring/, never for a page)."""
    return api.read_responses(data.engine(), round_name)


def item_distribution(principal: Principal, scale_id: str, round_name: str, unit: str | None) -> ItemDistribution:
    """Answers per item of a scale for one unit (None: the organisation), suppressed like the
    unit's scale figure; a unit outside the scope raises AccessDenied before reading."""
    if unit is not None:
        principal.require_units([unit])
    return _item_distribution_cached(principal, scale_id, round_name, unit, item_level())


@st.cache_data(show_spinner=False, ttl=300, max_entries=512)
def _item_distribution_cached(principal: Principal, scale_id: str, round_name: str, unit: str | None, level: bool) -> ItemDistribution:
    inst = data.instrument_of_scale(scale_id)
    return _item_distribution(
        round_responses(round_name), data.units(), inst, scale_id, round_name, unit,
        principal=principal, min_n=data.round_min_n(round_name), item_level=level,
    )


@st.cache_data(show_spinner=False, ttl=300, max_entries=8)
def _partner_scores(round_names: tuple[str, ...]) -> pd.DataFrame:
    """response, unit, round, the named partner and the collaboration-climate scale scores."""
    inst = bundled(PARTNER_INSTRUMENT)
    frames = []
    for name in round_names:
        table = round_responses(name)
        if table.empty or not any(c in table.columns for c in inst.item_ids):
            continue
        present = ["response", "unit", "round", *[c for c in inst.item_ids if c in table.columns]]
        coded = code_responses(table[present], inst)
        partner = table[PARTNER_FIELD] if PARTNER_FIELD in table.columns else pd.Series("", index=table.index)
        frames.append(pd.concat([table[["response", "unit", "round"]], partner.rename(PARTNER_FIELD), score_scales(coded.items, inst)], axis=1))
    if not frames:
        return pd.DataFrame(columns=["response", "unit", "round", PARTNER_FIELD, *[s.id for s in inst.scales]])
    return pd.concat(frames, ignore_index=True)


def partner_min_n() -> int:
    """The strictest min_n of the rounds, since cells pool rounds."""
    return max([data.round_min_n(r) for r in data.round_names()] or [DEFAULT_MIN_N])


def partner_matrix(principal: Principal, scale_id: str) -> PartnerMatrix:
    """Who rates whom on one scale (all rounds pooled, or per round), in the principal's scope."""
    return _partner_matrix(principal, scale_id, partners_by_round())


@st.cache_data(show_spinner=False, ttl=300, max_entries=64)
def _partner_matrix(principal: Principal, scale_id: str, by_round: bool) -> PartnerMatrix:
    scores = _partner_scores(tuple(data.round_names()))
    return partner_ratings(scores, data.units(), scale_id, principal=principal, min_n=partner_min_n(), by_round=by_round)


def partner_scales() -> list[tuple[str, dict[str, str]]]:
    """(scale id, name by language) of the collaboration-climate scales, the total first."""
    scales = bundled(PARTNER_INSTRUMENT).scales
    totals = [s for s in scales if len(s.items) == max(len(x.items) for x in scales)]
    return [(s.id, s.name) for s in totals + [s for s in scales if s not in totals]]
