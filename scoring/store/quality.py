"""The quality report of a round kept in the database, for every app server and after restarts.

The quality page's report (:func:`scoring.reporting.quality.round_quality`) fits a factor model
per scale by full-information ML over every respondent, and computes reliability and agreement
for every unit: on a national round (150,000 respondents) about 20 seconds, which a process
cache forgets at every restart. :func:`round_quality_of` keeps it as JSON
(:func:`scoring.store.results.remembered`) under everything it was computed from: the method's
version, the instrument and its scales' items, the round's answer-set version and ``min_n``, and
the unit tree (the per-unit agreement listing follows the organisation-wide publication, which
the tree changes). A new answer, setting or tree makes a new key, so a stored report is never
stale. The item statistics of each scale, pooled over the round (:func:`item_quality_of`), are
kept the same way. ``samklima round prepare`` computes both up front (:func:`prepare_quality`).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from sqlalchemy import Engine

from scoring.instrument.catalog import bundled
from scoring.privacy.publication import Publication
from scoring.reporting.item_quality import pooled_item_quality
from scoring.reporting.quality import RoundQuality, round_quality
from scoring.stats.item_quality import ItemQualityResult
from scoring.store.aggregates import answer_versions
from scoring.store.decisions import tree_hash
from scoring.store.results import remembered
from scoring.store.rounds import list_rounds

QUALITY_METHOD = 1  # raise when the report's figures change: stored reports are then computed again
QUALITY, ITEMS = "round_quality", "item_quality"


def key_parts(instrument_id: str, round_name: str, version: int, min_n: int, tree_key: str) -> dict:
    """What a round's quality report was computed from (module docstring)."""
    return {"method": QUALITY_METHOD, "instrument": instrument_id,
            "scales": {s.id: list(s.items) for s in bundled(instrument_id).scales},
            "round": [round_name, int(version), int(min_n)], "tree": tree_key}


def round_quality_of(engine: Engine, instrument_id: str, round_name: str, version: int, min_n: int, tree: pd.DataFrame,
                     tree_key: str, responses: Callable[[], pd.DataFrame], publication: Callable[[], Publication],
                     progress=None) -> RoundQuality:
    """The stored report of ``instrument_id`` in ``round_name``, else computed from
    ``responses()`` (the round's raw answers) and ``publication()`` (the organisation-wide view)
    and stored; ``progress(done, total)`` after each scale while computing."""
    def compute() -> RoundQuality:
        if progress is not None:
            progress(0, len(bundled(instrument_id).scales))  # computing, not reading: a bar may show
        return round_quality(responses(), tree, bundled(instrument_id), round_name, min_n=min_n, publication=publication(),
                             progress=progress)

    parts = key_parts(instrument_id, round_name, version, min_n, tree_key)
    return remembered(engine, QUALITY, parts, compute, RoundQuality.to_dict, RoundQuality.from_dict)


def item_quality_of(engine: Engine, instrument_id: str, scale_id: str, round_name: str, version: int,
                    responses: Callable[[], pd.DataFrame]) -> ItemQualityResult:
    """The stored item statistics of ``scale_id`` pooled over ``round_name``
    (:func:`scoring.reporting.item_quality.pooled_item_quality`: they pool every respondent and
    show no unit, so only the answers key them), else computed from ``responses()`` and stored."""
    parts = {"method": QUALITY_METHOD, "instrument": instrument_id, "scale": scale_id,
             "items": list(bundled(instrument_id).scale(scale_id).items), "round": [round_name, int(version)]}
    return remembered(engine, ITEMS, parts, lambda: pooled_item_quality(responses(), bundled(instrument_id), scale_id, round_name),
                      ItemQualityResult.to_payload, ItemQualityResult.from_payload)


def quality_to_prepare(engine: Engine, name: str) -> list[tuple[str, int, int]]:
    """(instrument, answer-set version, min_n) of each report the quality page will ask for
    about round ``name``: one per instrument of the round, none before it has answers."""
    info = {r.name: r for r in list_rounds(engine)}.get(name)
    if info is None or info.responses == 0:
        return []
    version = answer_versions(engine).get(name, 0)
    return [(inst["id"], int(version), int(info.min_n)) for inst in info.instruments]


def prepare_quality(engine: Engine, name: str, todo: list[tuple[str, int, int]], tree: pd.DataFrame,
                    responses: Callable[[], pd.DataFrame], publication: Callable[[], Publication], step=None) -> None:
    """Compute and store each report of :func:`quality_to_prepare` and its scales' item
    statistics (:func:`item_quality_of`; a stored one is read); ``step()`` after each instrument."""
    tree_key = tree_hash(tree)
    for instrument_id, version, min_n in todo:
        round_quality_of(engine, instrument_id, name, version, min_n, tree, tree_key, responses, publication)
        for scale in bundled(instrument_id).scales:  # the Items table of every scale: a second each
            item_quality_of(engine, instrument_id, scale.id, name, version, responses)
        if step:
            step()
