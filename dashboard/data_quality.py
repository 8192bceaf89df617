"""Cached data for the quality (Kvalitet) page: organisation-wide psychometrics.

Everything is computed by :mod:`scoring.reporting.quality` and cached per (instrument, round) — the
reliability, aggregation and CFA of every scale of an instrument in a round take a few seconds
on the demo data — and per (instrument, scale) for invariance across rounds. These figures
pool every respondent; the per-unit agreement listing inside them follows the organisation's
publication (a unit is listed only where its scale figure is shown, with that figure's n), and
the page cuts it to the principal's scope.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.data_items import item_level, round_responses
from dashboard.progress_bar import bar_or_nothing
from scoring.instrument.catalog import bundled
from scoring.reporting.item_quality import ScaleItemQuality, pooled_item_quality, with_published_shares
from scoring.reporting.quality import RoundQuality, invariance_across_rounds, round_quality
from scoring.stats.cfa.estimate import InvarianceResult
from scoring.stats.item_quality import ItemQualityResult
from scoring.store import verdicts
from scoring.store.access import Principal


@st.cache_data(show_spinner=False, ttl=3600, max_entries=32)
def quality(instrument_id: str, round_name: str, _bar: str | None = None) -> RoundQuality:
    """Reliability, ICC/rwg and CFA fit of every scale of the instrument in one round
    (``_bar``: the text of a progress bar, :func:`dashboard.progress_bar.bar_or_nothing`; not part of the cache key)."""
    inst = bundled(instrument_id)
    with bar_or_nothing(_bar, len(inst.scales)) as step:
        return round_quality(round_responses(round_name), data.units(), inst, round_name, min_n=data.round_min_n(round_name),
                             publication=data.publication(None), progress=step)


@st.cache_data(show_spinner=False, ttl=3600, max_entries=64)
def invariance(instrument_id: str, scale_id: str, _bar: str | None = None) -> InvarianceResult:
    """Configural, metric and scalar models of the scale across every round (``_bar`` as above)."""
    inst = bundled(instrument_id)
    table = pd.concat([round_responses(r) for r in data.round_names()], ignore_index=True)
    with bar_or_nothing(_bar, 3) as step:
        return invariance_across_rounds(table, inst, scale_id, progress=step)


@st.cache_data(show_spinner=False, ttl=3600, max_entries=64)
def _pooled_items(instrument_id: str, round_name: str, scale_id: str) -> ItemQualityResult:
    return pooled_item_quality(round_responses(round_name), bundled(instrument_id), scale_id, round_name)


def item_quality(principal: Principal, instrument_id: str, round_name: str, scale_id: str) -> ScaleItemQuality:
    """Per item of the scale: answer shares as the principal's publication shows them for the
    organisation, and item-rest r, alpha if dropped, loading and information pooled over the round."""
    return with_published_shares(_pooled_items(instrument_id, round_name, scale_id), data.publication(principal),
                                 bundled(instrument_id), round_name, item_level=item_level())


is_heavy = verdicts.is_heavy  # a total scale: fitted only on request
