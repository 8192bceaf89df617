"""A round's answers in the shape the publication needs: who (unit, named partner), which scale
scores they have, and what they answered to each item.

The publication (:mod:`scoring.privacy.publication`) never sees names of people or free text:
one row per response with the leaf unit, the partner service the answer is about (the
collaboration-climate field ``sk_partner``; empty when none is named), every scale score of the
round's instruments (NaN where the scale's minimum share of answered items is not met: the
respondent "drops out" of that scale) and every item's raw code (the valid codes, the "vet ikke"
code, NaN when left blank). Codes are raw (before reverse keying), so an item's distribution
reads like the statement the respondent saw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.instrument.model import Instrument
from scoring.responses.reading import code_responses
from scoring.responses.scores import score_scales

PARTNER_FIELD = "sk_partner"  # the collaboration-climate field naming the partner service
STAFF, CLIENTS = "staff", "clients"  # who the rows are: anonymous staff answers, or clients


@dataclass(frozen=True)
class ScaleSpec:
    """One scale of a round: its id, instrument, items and names (nb/nn/en)."""

    id: str
    instrument: str
    items: tuple[str, ...]
    name: dict
    partner: bool  # answers to this scale may name a partner service


@dataclass(frozen=True)
class ItemSpec:
    """One item: its home scale (the smallest scale holding it), valid and "vet ikke" codes."""

    id: str
    scale: str
    codes: tuple[float, ...]
    dont_know: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class RoundAnswers:
    """The answers of one round.

    ``unit``, ``partner``: one entry per response; ``scores``: responses x :attr:`scales` (NaN
    where the respondent has no score); ``answers``: responses x :attr:`items`, raw codes with
    NaN for no answer. ``min_n`` is the round's threshold; ``closed`` whether it has ended.
    ``population``: :data:`STAFF` (a survey round) or :data:`CLIENTS` (client feedback: one row
    per client, each "scale" one unit figure with NaN where the client is not in its
    denominator; :func:`scoring.feedback.units.client_answers`), published on its own page.
    """

    name: str
    min_n: int
    unit: np.ndarray
    partner: np.ndarray
    scores: np.ndarray
    answers: np.ndarray
    scales: tuple[ScaleSpec, ...]
    items: tuple[ItemSpec, ...]
    closed: bool = True
    population: str = STAFF

    @property
    def n(self) -> int:
        return len(self.unit)

    def scale_index(self, scale_id: str) -> int:
        return next(j for j, s in enumerate(self.scales) if s.id == scale_id)


def home_scales(instrument: Instrument) -> dict[str, str]:
    """item -> the smallest scale that holds it (a subscale rather than the total)."""
    home: dict[str, str] = {}
    for scale in sorted(instrument.scales, key=lambda s: len(s.items)):
        for item in scale.items:
            home.setdefault(item, scale.id)
    return home


def instrument_specs(instrument: Instrument, partner_field: str = PARTNER_FIELD) -> tuple[list[ScaleSpec], list[ItemSpec]]:
    """The scales and items of one instrument as a round's answers carry them."""
    has_partner = any(f.kind == "partner" and f.id == partner_field for f in instrument.fields)
    scales = [ScaleSpec(scale.id, instrument.id, tuple(scale.items), dict(scale.name), has_partner) for scale in instrument.scales]
    home = home_scales(instrument)
    items = []
    for item_id in instrument.item_ids:
        rs = instrument.response_scale_of(item_id)
        items.append(ItemSpec(item_id, home[item_id], tuple(float(c) for c in rs.valid_codes),
                              tuple(float(c) for c in (rs.missing or ()))))
    return scales, items


def round_answers(
    table: pd.DataFrame,
    instruments: list[Instrument] | tuple[Instrument, ...],
    name: str,
    min_n: int,
    *,
    closed: bool = True,
    partner_field: str = PARTNER_FIELD,
) -> RoundAnswers:
    """Build :class:`RoundAnswers` from a wide response table (one row per response; ``unit``
    and the instruments' item columns, raw codes as stored), e.g. from
    :func:`scoring.store.read.read_responses` for one round."""
    scales: list[ScaleSpec] = []
    items: list[ItemSpec] = []
    scores, answers = [], []
    partner = _partner(table, partner_field)
    for inst in instruments:
        present = [c for c in inst.item_ids if c in table.columns]
        if not present:
            continue
        frame = table[present].assign(_row=np.arange(len(table)))
        coded = code_responses(frame, inst, id_column="_row")
        full = coded.items.reindex(columns=inst.item_ids)
        scored = score_scales(full, inst)
        inst_scales, inst_items = instrument_specs(inst, partner_field)
        scales += inst_scales
        items += inst_items
        scores.append(scored.to_numpy(dtype=float))
        dont_know = coded.user_missing.reindex(columns=inst.item_ids, fill_value=False)
        raw = table.reindex(columns=inst.item_ids).apply(pd.to_numeric, errors="coerce")
        kept = full.notna() | dont_know
        answers.append(raw.where(kept).to_numpy(dtype=float))
    n = len(table)
    return RoundAnswers(
        name=name,
        min_n=int(min_n),
        unit=table["unit"].astype(str).to_numpy(dtype=object),
        partner=partner,
        scores=np.hstack(scores) if scores else np.empty((n, 0)),
        answers=np.hstack(answers) if answers else np.empty((n, 0)),
        scales=tuple(scales),
        items=tuple(items),
        closed=closed,
    )


def _partner(table: pd.DataFrame, field: str) -> np.ndarray:
    if field not in table.columns:
        return np.full(len(table), "", dtype=object)
    values = table[field].astype("string").fillna("").str.strip()
    return values.to_numpy(dtype=object)
