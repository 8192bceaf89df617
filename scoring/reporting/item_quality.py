"""Item quality of one scale in one round, organisation-wide, for the quality page.

Two sources, kept apart on purpose:

* how people answered each item — the share of each answer, of "vet ikke", of blanks, and the
  floor and ceiling shares — is read from the publication's organisation-wide item cells
  (:func:`scoring.reporting.items.item_distribution`), the same numbers the items page shows,
  decided with every other figure of the round; an item the publication withholds (or item
  level switched off) has NaN there;
* whether each item helps the scale — item-rest r, alpha if dropped, the one-factor loading and
  the graded model's information (:func:`scoring.stats.item_quality.item_quality`) — pools
  every respondent of the round like alpha and the CFA on the same page, and isolates no unit.

The warnings (:func:`scoring.stats.item_quality.item_flags`) are judged on these combined
numbers. Answer shares are of the codes as given (before reverse keying), so "floor" is the
lowest answer a respondent could tick; correlations use the keyed items.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from scoring.errors import Coded
from scoring.instrument.model import Instrument
from scoring.privacy.publication import Publication
from scoring.reporting.items import DONT_KNOW, NO_ANSWER, item_distribution
from scoring.reporting.quality import subscales_of
from scoring.responses.reading import code_responses
from scoring.responses.scores import keyed_items
from scoring.result import Result
from scoring.stats.item_quality import FLAGS, ItemQualityResult, item_flags, item_messages, item_quality

ANSWER_COLUMNS = ["dont_know", "missing", "floor", "ceiling"]


@dataclass(frozen=True, repr=False)
class ScaleItemQuality(Result):
    """One row per item of ``scale``: the published answer shares (``codes`` columns, then
    ``dont_know``, ``missing``, ``floor``, ``ceiling``; NaN where the publication withholds them,
    with the reason in ``hidden``), then ``item_rest_r``, ``alpha_if_dropped``, ``loading``,
    ``information``, ``information_share``; ``flags`` per rule and ``messages`` in English."""

    scale: str
    round: str
    n: int
    alpha: float
    codes: list[str]
    table: pd.DataFrame
    flags: pd.DataFrame
    messages: dict[str, list[str]]
    hidden: dict[str, str]
    information_reason: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        return self.table.join(self.flags)

    def to_dict(self) -> dict:
        frame = self.table.astype(object).where(self.table.notna(), None)
        return {"scale": self.scale, "round": self.round, "n": self.n, "alpha": None if np.isnan(self.alpha) else float(self.alpha),
                "codes": list(self.codes), "items": frame.to_dict(orient="index"), "hidden": dict(self.hidden),
                "flags": {i: [f for f in FLAGS if bool(self.flags.loc[i, f])] for i in self.flags.index},
                "messages": dict(self.messages), "information_reason": self.information_reason, "warnings": list(self.warnings)}

    def summary(self) -> str:
        head = f"Item quality of {self.scale}, round {self.round} (n = {self.n}, alpha = {self.alpha:.3f})"
        return head + "\n" + self.table.round(3).to_string(na_rep="NA")


def _published_shares(publication: Publication, instrument: Instrument, scale_id: str, round_name: str,
                      item_level: bool) -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """Items x (answer codes, dont_know, missing, floor, ceiling) from the organisation's item cells."""
    dist = item_distribution(publication, instrument, scale_id, round_name, None, item_level=item_level)
    items = list(instrument.scale(scale_id).items)
    codes = [f"{c:g}" for c in dist.codes]
    out = pd.DataFrame(np.nan, index=pd.Index(items, name="item"), columns=codes + ANSWER_COLUMNS)
    hidden = {item: dist.reason for item in items} if dist.suppressed else dict(dist.hidden_items)
    if not dist.suppressed and len(dist.counts):
        shares = dist.shares()
        shown = list(shares.index)
        out.loc[shown, codes] = shares[dist.codes].to_numpy()
        out.loc[shown, "dont_know"] = shares[DONT_KNOW].to_numpy()
        out.loc[shown, "missing"] = shares[NO_ANSWER].to_numpy()
        out.loc[shown, "floor"] = shares[dist.codes[0]].to_numpy()
        out.loc[shown, "ceiling"] = shares[dist.codes[-1]].to_numpy()
    return out, codes, hidden


def pooled_item_quality(responses: pd.DataFrame, instrument: Instrument, scale_id: str, round_name: str) -> ItemQualityResult:
    """The item statistics of ``scale_id`` from every answer of ``round_name`` (keyed items,
    "vet ikke" as missing): the expensive, viewer-independent half of :func:`scale_item_quality`.
    The graded model's information is left out for a total scale (one with subscales)."""
    this = responses[responses["round"] == round_name].reset_index(drop=True)
    scale = instrument.scale(scale_id)
    columns = ["response", "unit", "round", *[c for c in instrument.item_ids if c in this.columns]]
    keyed = keyed_items(code_responses(this[columns], instrument).items, instrument)
    rs = instrument.response_scale_of(scale.items[0])
    subscales = subscales_of(instrument, scale)
    stats = item_quality(keyed[list(scale.items)], low=rs.min, high=rs.max, scale=scale_id, information=not subscales)
    if subscales:  # a one-dimensional model of a multi-factor total says little, and costs most
        why = Coded(f"a total scale of {len(subscales)} subscales is not one-dimensional; see the information of each subscale",
                    "total_not_one_dimensional", subscales=len(subscales))
        stats = replace(stats, information_reason=why)
    return stats


def with_published_shares(stats: ItemQualityResult, publication: Publication, instrument: Instrument, round_name: str,
                          *, item_level: bool = True) -> ScaleItemQuality:
    """``stats`` (:func:`pooled_item_quality`) with the answer shares the viewer's publication shows."""
    shares, codes, hidden = _published_shares(publication, instrument, stats.scale, round_name, item_level)
    table = shares.join(stats.table.drop(columns=stats.codes + ANSWER_COLUMNS))
    flags = item_flags(table, stats.alpha)
    return ScaleItemQuality(stats.scale, round_name, stats.n_rows, stats.alpha, codes, table, flags,
                            item_messages(table, flags, stats.alpha), hidden, stats.information_reason, stats.warnings)


def scale_item_quality(
    responses: pd.DataFrame,
    publication: Publication,
    instrument: Instrument,
    scale_id: str,
    round_name: str,
    *,
    item_level: bool = True,
) -> ScaleItemQuality:
    """Item quality of ``scale_id`` in ``round_name`` (see the module docstring).

    ``responses``: the wide response table (raw codes; other rounds are ignored);
    ``publication``: the viewer's publication; ``item_level=False`` withholds answer shares.
    """
    stats = pooled_item_quality(responses, instrument, scale_id, round_name)
    return with_published_shares(stats, publication, instrument, round_name, item_level=item_level)
