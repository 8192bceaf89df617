"""Cached data for the overview and compare pages, built on :mod:`dashboard.data`.

Like ``dashboard.data``, every function takes the :class:`~scoring.store.access.Principal` and returns
only what that principal's publication holds (:func:`dashboard.data.publication`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from scoring.instrument.catalog import bundled
from scoring.reporting.comparison import scale_matrix as _scale_matrix
from scoring.reporting.participation import ResponseRates
from scoring.reporting.participation import response_rates as _response_rates
from scoring.store import api
from scoring.store.access import Principal


def staff_scales() -> list[tuple[str, dict[str, str]]]:
    """(scale id, name by language) of every staff-survey scale, in instrument order."""
    return [(s.id, s.name) for instrument_id in data.STAFF_INSTRUMENTS for s in bundled(instrument_id).scales]


def scale_matrix(principal: Principal, round_name: str) -> pd.DataFrame:
    """Units x staff scales of one round, one row per (unit, scale), hidden cells NaN.

    Columns: unit, scale, n, mean, ci_low, ci_high, suppressed, why, diff_organisation,
    vs_organisation, org_mean, org_n (the organisation's mean and n for that scale).
    """
    scales = [s for s, _ in staff_scales()]
    present = set(data.summary(principal).select("compare", round_name)["scale"])
    return _scale_matrix(data.summary(principal), data.units(), round_name, [s for s in scales if s in present])


@st.cache_data(show_spinner=False, ttl=60, max_entries=64)
def headcount(round_name: str) -> pd.DataFrame:
    """The round's units with their invited headcount (public staff numbers, not answers)."""
    return api.round_status(data.engine(), round_name)[["unit", "invited"]]


def response_rates(principal: Principal, round_name: str, status: pd.DataFrame | None = None) -> ResponseRates:
    """Responses, headcount and rate per unit of a round (:func:`scoring.reporting.participation.response_rates`).

    ``status`` (``unit``, ``invited``) is the headcount read just now, for a page that follows a
    running round; by default the cached headcount (a minute old at most)."""
    heads = headcount(round_name) if status is None else status[["unit", "invited"]]
    return _response_rates(data.summary(principal), data.units(), round_name, heads)
