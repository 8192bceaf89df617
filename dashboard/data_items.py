"""Cached data for the items (Spørsmål) and partners (Samarbeidspartnere) pages.

Both render the principal's publication (:func:`dashboard.data.publication`): item answer
counts and partner ratings are decided there with every other figure of the round.

``SAMKLIMA_ITEM_LEVEL=0`` switches item distributions off (the organisation's choice to report
at scale level only, docs/privacy.md).
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from dashboard import data
from scoring.instrument.catalog import bundled
from scoring.reporting.items import ItemDistribution
from scoring.reporting.items import item_distribution as _item_distribution
from scoring.reporting.partners import PartnerMatrix
from scoring.reporting.partners import partner_matrix as _partner_matrix
from scoring.store import api
from scoring.store.access import Principal

PARTNER_INSTRUMENT = "samhandlingsklima"


def item_level() -> bool:
    return os.environ.get("SAMKLIMA_ITEM_LEVEL", "1") != "0"


@st.cache_data(show_spinner=False, ttl=300, max_entries=16)
def round_responses(round_name: str) -> pd.DataFrame:
    """The whole organisation's raw answers in one round (for organisation-wide psychometrics
    on the quality page, never for a page table)."""
    return api.read_responses(data.engine(), round_name)


def item_distribution(principal: Principal, scale_id: str, round_name: str, unit: str | None) -> ItemDistribution:
    """Answers per item of a scale for one unit (None: the organisation); a unit outside the
    scope raises AccessDenied before anything is read."""
    if unit is not None:
        principal.require_units([unit])
    inst = data.instrument_of_scale(scale_id)
    return _item_distribution(data.unit_cells(principal, round_name, unit), inst, scale_id, round_name, unit, item_level=item_level())


MAX_PARTNERS = 20  # partner columns that fit a chart; above it the page leaves out those with nothing to show


def partner_matrix(principal: Principal, scale_id: str, round_name: str) -> PartnerMatrix:
    """Who rates whom on one scale in one round, in the principal's scope."""
    return _partner_matrix(data.page_cells(principal, "partners", round_name, scale_id), data.units(), scale_id, round_name)


def partner_scales() -> list[tuple[str, dict[str, str]]]:
    """(scale id, name by language) of the collaboration-climate scales, the total first."""
    scales = bundled(PARTNER_INSTRUMENT).scales
    totals = [s for s in scales if len(s.items) == max(len(x.items) for x in scales)]
    return [(s.id, s.name) for s in totals + [s for s in scales if s not in totals]]
