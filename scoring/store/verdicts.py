"""Invariance verdicts kept in the database under what they were computed from.

A verdict (:mod:`scoring.reporting.invariance`: three multi-group CFAs) takes seconds on a
national round, so the Trends and quality pages show a stored one (:func:`scoring.store.results.remembered`)
keyed by :func:`key_parts`: the method's version, the instrument, the scale and its items, and
for each round its answer-set version and ``min_n`` (a new answer or setting makes a new key).
Across professions it is per round; between rounds per pair of consecutive rounds. The
dashboard asks when a page needs one; :func:`prepare_verdicts` (``samklima round prepare``)
computes a closed round's up front, so that its first viewer does not wait.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
from sqlalchemy import Engine

from scoring.instrument.catalog import bundled
from scoring.reporting.invariance import InvarianceVerdict, invariance_across_professions, invariance_between
from scoring.reporting.quality import subscales_of
from scoring.store.aggregates import answer_versions
from scoring.store.results import remembered
from scoring.store.rounds import list_rounds

INVARIANCE_METHOD = 1  # raise when the models or the criteria change: stored verdicts are then fitted again
PROFESSIONS, ROUNDS = "invariance_professions", "invariance_rounds"


def key_parts(instrument_id: str, scale_id: str, rounds: Iterable[tuple[str, int, int]]) -> dict:
    """What a verdict was computed from; ``rounds`` as (name, answer-set version, min_n)."""
    return {"method": INVARIANCE_METHOD, "instrument": instrument_id, "scale": scale_id,
            "items": list(bundled(instrument_id).scale(scale_id).items),
            "rounds": [[name, int(version), int(min_n)] for name, version, min_n in rounds]}


def across_professions(engine: Engine, instrument_id: str, scale_id: str, round_name: str, version: int, min_n: int,
                       responses: Callable[[str], pd.DataFrame], progress=None) -> InvarianceVerdict:
    """The stored verdict across the round's professions, else fitted on ``responses(round)`` and
    stored; ``progress(0, 1)`` as fitting starts, then ``progress(model)`` after each model."""
    def compute() -> InvarianceVerdict:
        _starting(progress)
        return invariance_across_professions(responses(round_name), bundled(instrument_id), scale_id, min_n=min_n,
                                             progress=progress)

    parts = key_parts(instrument_id, scale_id, [(round_name, version, min_n)])
    return remembered(engine, PROFESSIONS, parts, compute, InvarianceVerdict.to_dict, InvarianceVerdict.from_dict)


def between_rounds(engine: Engine, instrument_id: str, scale_id: str, rounds: list[tuple[str, int, int]],
                   responses: Callable[[str], pd.DataFrame], progress=None) -> InvarianceVerdict:
    """The stored verdict between ``rounds`` (name, version, min_n), else fitted and stored."""
    names = [name for name, _, _ in rounds]

    def compute() -> InvarianceVerdict:
        _starting(progress)
        table = pd.concat([responses(name) for name in names], ignore_index=True)
        return invariance_between(table, bundled(instrument_id), scale_id, "round", names, progress=progress)

    parts = key_parts(instrument_id, scale_id, rounds)
    return remembered(engine, ROUNDS, parts, compute, InvarianceVerdict.to_dict, InvarianceVerdict.from_dict)


def _starting(progress) -> None:
    """Tell ``progress`` that fitting starts (0 done): a page shows its bar from here, and not
    at all when the verdict is read from the store."""
    if progress is not None:
        progress(0, 1)


def is_heavy(instrument_id: str, scale_id: str) -> bool:
    """Invariance of a total scale fits the multi-factor model three times (about a minute)."""
    inst = bundled(instrument_id)
    return bool(subscales_of(inst, inst.scale(scale_id)))


def verdicts_to_prepare(engine: Engine, name: str) -> list[tuple]:
    """The verdicts the pages will ask for about round ``name``: for each scale of its
    instruments that is not heavy (:func:`is_heavy`: a total scale, fitted only on request), across the
    round's professions, and between the round and the previous round with answers that carries
    the instrument. Each as (kind, instrument, scale, [(round, version, min_n)])."""
    versions = answer_versions(engine)
    rounds = [r for r in list_rounds(engine) if r.responses > 0]
    names = [r.name for r in rounds]
    if name not in names:
        return []
    this = rounds[names.index(name)]
    out: list[tuple] = []
    for inst in this.instruments:
        instrument_id = inst["id"]
        earlier = [r for r in rounds[: names.index(name)] if any(i["id"] == instrument_id for i in r.instruments)]
        pair = [(r.name, versions.get(r.name, 0), r.min_n) for r in earlier[-1:] + [this]]
        for scale in bundled(instrument_id).scales:
            if is_heavy(instrument_id, scale.id):
                continue
            out.append((PROFESSIONS, instrument_id, scale.id, pair[-1:]))
            if len(pair) == 2:
                out.append((ROUNDS, instrument_id, scale.id, pair))
    return out


def prepare_verdicts(engine: Engine, todo: list[tuple], responses: Callable[[str], pd.DataFrame], step=None) -> None:
    """Compute and store each verdict of :func:`verdicts_to_prepare` (a stored one is read)."""
    for kind, instrument_id, scale_id, rounds in todo:
        if kind == PROFESSIONS:
            (round_name, version, min_n), = rounds
            across_professions(engine, instrument_id, scale_id, round_name, version, min_n, responses)
        else:
            between_rounds(engine, instrument_id, scale_id, rounds, responses)
        if step:
            step()
