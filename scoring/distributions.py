"""Item distributions of a unit: how many gave each answer to each item of a scale.

Anonymity (privacy.md: "item-level distributions for a unit need the same threshold"): a unit's
distribution is counted over exactly the respondents behind its published scale figure — those
in its subtree with a score on the scale in that round — and is shown only where
:func:`scoring.compare.compare_units` shows that figure, i.e. after primary *and* complementary
suppression on the whole organisation's tree. Every item's counts (answer codes, "vet ikke" and
no answer) therefore add up to the published n, and the difference of a shown parent and its
shown children is the pooled remainder that the scale-level rules already keep at ``min_n``
respondents or more from at least two hidden units. ``item_level=False`` (the organisation's
choice "scale level only") withholds every distribution.

Answers are counted as given (raw codes, before reverse keying), so a bar reads like the
statement the respondent saw.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from scoring.access import Principal
from scoring.compare import compare_units
from scoring.instrument import Instrument
from scoring.privacy import DEFAULT_MIN_N, check_min_n
from scoring.responses import code_responses
from scoring.scores import score_scales

DONT_KNOW = "dont_know"  # a user-missing code ("vet ikke / ikke relevant")
NO_ANSWER = "no_answer"  # left blank

SUPPRESSED = "too_few"  # below min_n, or hidden so that another unit cannot be worked out
SCALE_ONLY = "scale_only"  # item-level results switched off


@dataclass
class ItemDistribution:
    """Counts per item and answer for one unit (``unit`` None: the whole organisation).

    ``counts``: one row per item of the scale (index = item id), one column per valid answer
    code (floats, in scale order), then :data:`DONT_KNOW` and :data:`NO_ANSWER`; each row adds
    up to ``n``. When ``suppressed``, ``n`` is None, ``counts`` is empty and ``reason`` is
    :data:`SUPPRESSED` or :data:`SCALE_ONLY`.
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

    def shares(self) -> pd.DataFrame:
        """Answer codes as shares of the valid answers; ``dont_know``/``no_answer`` of n."""
        if self.suppressed:
            return self.counts.copy()
        valid = self.counts[self.codes]
        answered = valid.sum(axis=1)
        out = valid.div(answered.where(answered > 0), axis=0)
        out[DONT_KNOW] = self.counts[DONT_KNOW] / self.n
        out[NO_ANSWER] = self.counts[NO_ANSWER] / self.n
        out["answered"] = answered.astype(int)
        return out

    def to_frame(self) -> pd.DataFrame:
        """Long format: item, answer, count (empty when suppressed)."""
        if self.suppressed:
            return pd.DataFrame(columns=["item", "answer", "count"])
        long = self.counts.rename_axis("item").reset_index().melt(id_vars="item", var_name="answer", value_name="count")
        return long

    def to_dict(self) -> dict:
        return {
            "scale": self.scale, "round": self.round, "unit": self.unit, "min_n": self.min_n, "n": self.n,
            "suppressed": self.suppressed, "reason": self.reason,
            "counts": {item: {str(k): int(v) for k, v in row.items()} for item, row in self.counts.iterrows()},
        }

    def summary(self) -> str:
        who = self.unit or "the organisation"
        if self.suppressed:
            return f"{self.scale}, {self.round}, {who}: not shown ({self.reason})"
        return f"{self.scale}, {self.round}, {who}: n = {self.n}\n" + self.counts.to_string()


def item_distribution(
    responses: pd.DataFrame,
    tree: pd.DataFrame,
    instrument: Instrument,
    scale: str,
    round_name: str,
    unit: str | None = None,
    *,
    principal: Principal | None = None,
    min_n: int = DEFAULT_MIN_N,
    item_level: bool = True,
) -> ItemDistribution:
    """The answers to each item of ``scale`` in ``unit`` (None = the whole organisation).

    Parameters
    ----------
    responses : the wide response table of the whole organisation (raw codes, as
        :func:`scoring.store.read.read_responses` gives it): ``response``, ``unit``, ``round``
        and the instrument's item columns.
    tree : unit, name, parent, unit_type.
    principal : a unit outside the principal's scope raises
        :class:`scoring.access.AccessDenied` before anything is counted.
    min_n, item_level : see the module docstring.
    """
    min_n = check_min_n(min_n)
    if principal is not None and unit is not None:
        principal.require_units([unit])
    rs = instrument.response_scale_of(instrument.scale(scale).items[0])
    codes = [float(c) for c in rs.valid_codes]
    items = list(instrument.scale(scale).items)

    def withheld(reason: str) -> ItemDistribution:
        return ItemDistribution(scale, round_name, unit, min_n, None, True, reason, codes, pd.DataFrame(index=items))

    if not item_level:
        return withheld(SCALE_ONLY)
    this = responses[responses["round"] == round_name]
    columns = ["response", "unit", "round", *[c for c in instrument.item_ids if c in this.columns]]
    coded = code_responses(this[columns], instrument)
    score = score_scales(coded.items, instrument)[scale]
    scores = pd.DataFrame({"unit": this["unit"].to_numpy(), "round": round_name, scale: score.to_numpy()}, index=this.index)
    comparison = compare_units(scores, tree, scale, round_name, min_n=min_n)
    if unit is None:
        hidden = comparison.organisation["suppressed"]
        members = this.index[score.notna()]
    else:
        row = comparison.units[comparison.units["unit"] == unit]
        hidden = row.empty or bool(row["suppressed"].iloc[0])
        below = _subtree(tree, unit)
        members = this.index[score.notna() & this["unit"].isin(below)]
    if hidden:
        return withheld(SUPPRESSED)

    answers = coded.items.loc[members, items]
    dont_know = coded.user_missing.loc[members, items]
    counts = pd.DataFrame({c: (answers == c).sum() for c in codes})
    counts[DONT_KNOW] = dont_know.sum()
    counts[NO_ANSWER] = (answers.isna() & ~dont_know).sum()
    counts = counts.astype(int)
    return ItemDistribution(scale, round_name, unit, min_n, int(len(members)), False, None, codes, counts)


def _subtree(tree: pd.DataFrame, unit: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for u, p in zip(tree["unit"], tree["parent"]):
        if isinstance(p, str) and p:
            children.setdefault(p, []).append(u)
    found, stack = set(), [unit]
    while stack:  # walks the tree, not respondents
        u = stack.pop()
        if u not in found:
            found.add(u)
            stack.extend(children.get(u, []))
    return found

