"""Cached data for the overview, compare and trends pages, built on :mod:`dashboard.data`.

Like ``dashboard.data``, every function takes the :class:`~scoring.access.Principal` and returns
only that principal's units, after :mod:`scoring` has decided suppression on the whole
organisation. Caching is keyed by principal and round, so a rerun (a widget change, the unit
filter) recomputes nothing: :func:`scale_matrix` also fills the cache of
:func:`dashboard.data.comparison` for every scale of the round, so switching scale is a lookup.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from scoring.access import Principal
from scoring.catalog import bundled
from scoring.participation import ResponseRates, response_rates as _response_rates
from scoring.store import api

MATRIX_COLUMNS = ["unit", "scale", "n", "mean", "ci_low", "ci_high", "suppressed", "diff_organisation",
                  "vs_organisation", "org_mean", "org_n"]


def staff_scales() -> list[tuple[str, dict[str, str]]]:
    """(scale id, name by language) of every staff-survey scale, in instrument order."""
    return [(s.id, s.name) for instrument_id in data.STAFF_INSTRUMENTS for s in bundled(instrument_id).scales]


@st.cache_data(show_spinner=False, ttl=300, max_entries=64)
def scale_matrix(principal: Principal, round_name: str) -> pd.DataFrame:
    """Units x staff scales of one round, one row per (unit, scale), suppressed cells NaN.

    Columns: unit, scale, n, mean, ci_low, ci_high, suppressed, diff_organisation,
    vs_organisation, org_mean, org_n (the organisation's mean and n for that scale).
    """
    frames = []
    for scale_id, _ in staff_scales():
        comp = data.comparison(principal, scale_id, round_name)
        frame = comp.units.assign(scale=scale_id, org_mean=comp.organisation["mean"], org_n=comp.organisation["n"])
        frames.append(frame[MATRIX_COLUMNS])
    if not frames:
        return pd.DataFrame(columns=MATRIX_COLUMNS)
    return pd.concat(frames, ignore_index=True)


@st.cache_data(show_spinner=False, ttl=60, max_entries=64)
def response_rates(principal: Principal, round_name: str) -> ResponseRates:
    """Responses, headcount and rate per unit of a round (:func:`scoring.participation.response_rates`)."""
    status = api.round_status(data.engine(), round_name)
    return _response_rates(status, data.units(), round_name, principal=principal, min_n=data.round_min_n(round_name))
