"""Cached invariance verdicts (:mod:`scoring.reporting.invariance`) for the trends and quality
pages, and DIF tests (:mod:`scoring.reporting.dif`) for the quality page.

Each verdict fits three multi-group CFAs on the organisation's answers, so it is cached per
round set and the rounds' answer counts (a new answer makes a new key): per pair of
consecutive rounds for Trends, per round for professions; and it is kept in the database
(:mod:`scoring.store.verdicts`), so that the first viewer after a restart reads it (and
``samklima round prepare`` stores a closed round's verdicts before anyone asks). A total scale's model has a factor
per subscale and takes about a minute: it is fitted only when a researcher or administrator
asks, and then shown to everyone (:func:`_asked` remembers which were asked for).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, data_quality
from dashboard.data_items import round_responses
from dashboard.progress_bar import bar_or_nothing
from scoring.instrument.catalog import bundled
from scoring.reporting.dif import groups_to_compare, scale_dif
from scoring.reporting.invariance import InvarianceVerdict
from scoring.stats.irt import DIFResult
from scoring.store import verdicts


def _answers(rounds: tuple[str, ...]) -> tuple:
    """(round, responses) of the rounds: the part of the cache key that changes with new answers."""
    frame = data.rounds()
    counts = dict(zip(frame["name"], frame["responses"].astype(int))) if not frame.empty else {}
    return tuple((r, counts.get(r, 0)) for r in rounds)


@st.cache_resource(show_spinner=False)
def _asked() -> set:
    """Keys of heavy verdicts someone asked for (so they are shown to later viewers too)."""
    return set()


def _versions(rounds: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """(round, answer-set version, min_n): what a stored verdict is kept under (:mod:`scoring.store.verdicts`)."""
    frame = data.rounds().set_index("name")
    return [(r, int(frame.at[r, "answers_version"]), int(frame.at[r, "min_n"])) for r in rounds]


@st.cache_data(show_spinner=False, ttl=24 * 3600, max_entries=256)
def _between_rounds(instrument_id: str, scale_id: str, rounds: tuple[str, ...], answers: tuple, _bar: str | None = None) -> InvarianceVerdict:
    # A bar made inside (see dashboard.progress_bar), when fitting starts: a stored verdict is read at once.
    with bar_or_nothing(_bar, 3, lazy=True) as step:
        return verdicts.between_rounds(data.engine(), instrument_id, scale_id, _versions(rounds), round_responses, step)


@st.cache_data(show_spinner=False, ttl=24 * 3600, max_entries=128)
def _professions(instrument_id: str, scale_id: str, round_name: str, answers: tuple, _bar: str | None = None) -> InvarianceVerdict:
    (_, version, min_n), = _versions((round_name,))
    with bar_or_nothing(_bar, 3, lazy=True) as step:
        return verdicts.across_professions(data.engine(), instrument_id, scale_id, round_name, version, min_n,
                                           round_responses, step)


def _ready(key: tuple, heavy: bool, run: bool) -> bool:
    if not heavy or key in _asked():
        return True
    if run:
        _asked().add(key)
    return run


def trend_invariance(scale_id: str, rounds: list[str], *, run: bool = False, bar: str | None = None) -> dict[tuple[str, str], InvarianceVerdict | None]:
    """{(earlier, later): verdict} for each pair of consecutive ``rounds`` (oldest first); None
    for a total scale nobody has asked to fit yet (``run=True`` asks). ``bar``: the text of a
    progress bar shown while a pair's models are fitted (:mod:`dashboard.progress_bar`)."""
    instrument_id = data.instrument_of_scale(scale_id).id
    heavy = data_quality.is_heavy(instrument_id, scale_id)
    out: dict[tuple[str, str], InvarianceVerdict | None] = {}
    for pair in zip(rounds[:-1], rounds[1:]):  # a few rounds
        key = (instrument_id, scale_id, pair, _answers(pair))
        out[pair] = _between_rounds(*key, _bar=bar) if _ready(key, heavy, run) else None
    return out


def profession_invariance(instrument_id: str, scale_id: str, round_name: str, *, run: bool = False,
                          bar: str | None = None) -> InvarianceVerdict | None:
    """The verdict across the round's professions with enough respondents; None for a total
    scale nobody has asked to fit yet (``run=True`` asks)."""
    key = (instrument_id, scale_id, round_name, _answers((round_name,)))
    if not _ready(("professions", *key), data_quality.is_heavy(instrument_id, scale_id), run):
        return None
    return _professions(*key, _bar=bar)


def _responses(rounds: tuple[str, ...]) -> pd.DataFrame:
    return pd.concat([round_responses(r) for r in rounds], ignore_index=True)


@st.cache_data(show_spinner=False, ttl=24 * 3600, max_entries=64)
def _dif_groups(column: str, rounds: tuple[str, ...], answers: tuple) -> list[str]:
    return groups_to_compare(_responses(rounds), column)


def dif_groups(column: str, rounds: tuple[str, ...]) -> list[str]:
    """Values of ``column`` with enough respondents in ``rounds`` for a DIF test, largest first."""
    return _dif_groups(column, rounds, _answers(rounds))


@st.cache_data(show_spinner=False, ttl=24 * 3600, max_entries=64)
def _dif(instrument_id: str, scale_id: str, column: str, pair: tuple[str, str], rounds: tuple[str, ...],
         answers: tuple) -> tuple[DIFResult | None, str | None]:
    try:
        return scale_dif(_responses(rounds), bundled(instrument_id), scale_id, column, *pair), None
    except ValueError as err:  # the message, with its code when it has one (scoring.errors.Coded)
        return None, err.args[0] if err.args and isinstance(err.args[0], str) else str(err)


def dif(instrument_id: str, scale_id: str, column: str, reference: str, focal: str,
        rounds: tuple[str, ...]) -> tuple[DIFResult | None, str | None]:
    """(DIF of the scale's items between ``reference`` and ``focal`` of ``column`` over the
    answers of ``rounds``, None) or (None, why it could not be tested)."""
    return _dif(instrument_id, scale_id, column, (reference, focal), rounds, _answers(rounds))
