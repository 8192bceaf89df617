"""Item distributions of a unit: how many gave each answer to each item of a scale.

Rendered from the publication's item cells (:mod:`scoring.privacy.publication`): an item's
answers are counted among the respondents behind its scale's published figure (for items of a
total scale, their own subscale's), shown only where that figure is shown and at least
``min_n`` gave a valid answer to the item, and protected within each item like any unit figure.
"No answer" is the item's scale cell n minus the valid answers and the "vet ikke" answers, all
published numbers. ``item_level=False`` (the organisation's choice "scale level only",
docs/privacy.md) withholds every distribution.

Answers are counted as given (raw codes, before reverse keying), so a bar reads like the
statement the respondent saw.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.instrument.model import Instrument
from scoring.privacy.publication import ORGANISATION, Publication
from scoring.result import Result

DONT_KNOW = "dont_know"  # a user-missing code ("vet ikke / ikke relevant")
NO_ANSWER = "no_answer"  # left blank

SUPPRESSED = "too_few"  # the unit's scale figure is hidden
SCALE_ONLY = "scale_only"  # item-level results switched off


@dataclass(frozen=True, repr=False)
class ItemDistribution(Result):
    """Counts per item and answer for one unit (``unit`` None: the whole organisation).

    ``counts``: one row per shown item (index = item id), one column per valid answer code (in
    scale order), then :data:`DONT_KNOW`, :data:`NO_ANSWER`, ``answered`` (valid answers) and
    ``base`` (the respondents the item was counted among); each row's answers add up to
    ``base``. ``hidden_items`` maps an item withheld inside a shown scale to its reason. When
    ``suppressed``, ``n`` is None, ``counts`` is empty and ``reason`` is the scale figure's
    reason (``below_min_n``/``protects_other``) or :data:`SCALE_ONLY`.
    """

    scale: str
    round: str
    unit: str | None
    min_n: int
    n: int | None
    suppressed: bool
    reason: str | None
    codes: list[float]
    counts: pd.DataFrame = field(repr=False)
    hidden_items: dict = field(default_factory=dict)

    def shares(self) -> pd.DataFrame:
        """Answer codes as shares of the valid answers; ``dont_know``/``no_answer`` of the base."""
        if self.suppressed:
            return self.counts.copy()
        valid = self.counts[self.codes]
        answered = self.counts["answered"]
        out = valid.div(answered.where(answered > 0), axis=0)
        out[DONT_KNOW] = self.counts[DONT_KNOW] / self.counts["base"]
        out[NO_ANSWER] = self.counts[NO_ANSWER] / self.counts["base"]
        out["answered"] = answered.astype(int)
        return out

    def to_frame(self) -> pd.DataFrame:
        """Long format: item, answer, count (empty when suppressed)."""
        if self.suppressed:
            return pd.DataFrame(columns=["item", "answer", "count"])
        wide = self.counts[[*self.codes, DONT_KNOW, NO_ANSWER]]
        return wide.rename_axis("item").reset_index().melt(id_vars="item", var_name="answer", value_name="count")

    def to_dict(self) -> dict:
        return {
            "scale": self.scale, "round": self.round, "unit": self.unit, "min_n": self.min_n, "n": self.n,
            "suppressed": self.suppressed, "reason": self.reason, "hidden_items": self.hidden_items,
            "counts": {item: {str(k): int(v) for k, v in row.items()} for item, row in self.counts.iterrows()},
        }

    def summary(self) -> str:
        who = self.unit or "the organisation"
        if self.suppressed:
            return f"{self.scale}, {self.round}, {who}: not shown ({self.reason})"
        return f"{self.scale}, {self.round}, {who}: n = {self.n}\n" + self.counts.to_string()


def item_distribution(
    publication: Publication,
    instrument: Instrument,
    scale: str,
    round_name: str,
    unit: str | None = None,
    *,
    item_level: bool = True,
) -> ItemDistribution:
    """The answers to each item of ``scale`` in ``unit`` (None = the whole organisation).

    A unit outside the viewer's scope has no cells in the publication: it reads as hidden.
    """
    key = ORGANISATION if unit is None else unit
    min_n = publication.rounds.get(round_name, 0)
    items = list(instrument.scale(scale).items)
    rs = instrument.response_scale_of(items[0])
    codes = [float(c) for c in rs.valid_codes]
    dont_know = [float(c) for c in rs.missing]
    figure = publication.select("compare", round_name, scale=scale, unit=key)

    def withheld(reason: str) -> ItemDistribution:
        return ItemDistribution(scale, round_name, unit, min_n, None, True, reason, codes, pd.DataFrame(index=items))

    if not item_level:
        return withheld(SCALE_ONLY)
    if figure.empty or bool(figure["hidden"].iloc[0]):
        return withheld(figure["why"].iloc[0] if len(figure) else SUPPRESSED)
    cells = publication.select("items", round_name, unit=key)
    cells = cells[cells["item"].isin(items)]
    heads = cells[cells["category"].isna()].set_index("item")
    bases = publication.select("compare", round_name, unit=key).set_index("scale")["n"]
    rows, hidden_items = [], {}
    for item in items:
        if item not in heads.index or bool(heads.loc[item, "hidden"]):
            hidden_items[item] = heads.loc[item, "why"] if item in heads.index else SUPPRESSED
            continue
        per = cells[(cells["item"] == item) & cells["category"].notna()].set_index("category")["n"]
        base = int(bases[heads.loc[item, "scale"]])
        row = {c: int(per.get(c, 0)) for c in codes}
        row[DONT_KNOW] = int(sum(per.get(c, 0) for c in dont_know))
        row["answered"] = int(heads.loc[item, "n"])
        row["base"] = base
        row[NO_ANSWER] = base - row["answered"] - row[DONT_KNOW]
        rows.append(pd.Series(row, name=item))
    if not rows:
        return ItemDistribution(scale, round_name, unit, min_n, int(figure["n"].iloc[0]), True,
                                next(iter(hidden_items.values()), SUPPRESSED), codes, pd.DataFrame(index=items), hidden_items)
    counts = pd.DataFrame(rows)[[*codes, DONT_KNOW, NO_ANSWER, "answered", "base"]].astype(np.int64)
    return ItemDistribution(scale, round_name, unit, min_n, int(figure["n"].iloc[0]), False, None, codes, counts, hidden_items)
