"""Cached data for the quality (Kvalitet) page: organisation-wide psychometrics.

Everything is computed by :mod:`scoring.reporting.quality`: a round's report (the reliability,
aggregation and CFA of every scale of an instrument, 20 seconds on a national round) is kept in
the database (:mod:`scoring.store.quality`, made by ``samklima round prepare``) and cached per
(instrument, round versions); invariance across rounds per (instrument, scale). These figures
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
from scoring.reporting.item_quality import ScaleItemQuality, with_published_shares
from scoring.reporting.quality import RoundQuality, invariance_across_rounds
from scoring.stats.cfa.estimate import InvarianceResult
from scoring.stats.item_quality import ItemQualityResult
from scoring.store import verdicts
from scoring.store.access import Principal
from scoring.store.quality import item_quality_of as stored_items
from scoring.store.quality import round_quality_of as stored_quality


def quality(instrument_id: str, round_name: str, _bar: str | None = None) -> RoundQuality:
    """Reliability, ICC/rwg and CFA fit of every scale of the instrument in one round: the
    report stored in the database (:mod:`scoring.store.quality`), else computed and stored
    (``_bar``: the text of a progress bar shown while computing, :func:`dashboard.progress_bar.bar_or_nothing`)."""
    return _quality(instrument_id, _version(round_name), _bar)


def _version(round_name: str) -> tuple:
    """The round's entry in :func:`dashboard.data.versions`: what its stored results are keyed on."""
    (version,) = [v for v in data.versions() if v[0] == round_name]
    return version


@st.cache_data(show_spinner=False, ttl=3600, max_entries=32)
def _quality(instrument_id: str, version: tuple, _bar: str | None = None) -> RoundQuality:
    """:func:`quality` for ``version`` = (round, answer-set version, min_n, state, unit tree) of
    :func:`dashboard.data.versions` (a new answer or tree makes a new key)."""
    round_name, answers, min_n, _, tree_key = version
    with bar_or_nothing(_bar, len(bundled(instrument_id).scales), lazy=True) as step:
        return stored_quality(data.engine(), instrument_id, round_name, answers, min_n, data.units(), tree_key,
                              lambda: round_responses(round_name), lambda: data.publication(None), progress=step)


@st.cache_data(show_spinner=False, ttl=3600, max_entries=64)
def invariance(instrument_id: str, scale_id: str, _bar: str | None = None) -> InvarianceResult:
    """Configural, metric and scalar models of the scale across every round (``_bar`` as above)."""
    inst = bundled(instrument_id)
    table = pd.concat([round_responses(r) for r in data.round_names()], ignore_index=True)
    with bar_or_nothing(_bar, 3) as step:
        return invariance_across_rounds(table, inst, scale_id, progress=step)


@st.cache_data(show_spinner=False, ttl=3600, max_entries=64)
def _pooled_items(instrument_id: str, scale_id: str, version: tuple) -> ItemQualityResult:
    """The scale's item statistics pooled over the round of ``version`` (as :func:`_quality`),
    stored in the database (:func:`scoring.store.quality.item_quality_of`)."""
    round_name, answers = version[0], version[1]
    return stored_items(data.engine(), instrument_id, scale_id, round_name, answers, lambda: round_responses(round_name))


def item_quality(principal: Principal, instrument_id: str, round_name: str, scale_id: str) -> ScaleItemQuality:
    """Per item of the scale: answer shares as the principal's publication shows them for the
    organisation, and item-rest r, alpha if dropped, loading and information pooled over the round."""
    return with_published_shares(_pooled_items(instrument_id, scale_id, _version(round_name)), data.unit_cells(principal, round_name),
                                 bundled(instrument_id), round_name, item_level=item_level())


is_heavy = verdicts.is_heavy  # a total scale: fitted only on request
