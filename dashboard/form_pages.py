"""The respondent form split into pages: one page per subscale, in the instruments' item order.

Pure Python (no Streamlit), so the paging rules are tested on their own. A page lists the items
of one scale of one instrument; items that belong to no scale get a page of their own at the end
of their instrument; an item in two scales is asked once, on the page of the first scale. The
first page of an instrument carries its instructions and its fields (such as the partner service
the answers are about), so the fields stand "at the top of the form" as the instructions say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import pandas as pd

from scoring.instrument.background import background_choices
from scoring.instrument.model import Instrument, ResponseField, ResponseScale
from scoring.store.organisation import descendants

BACKGROUND_CHOICES: dict[str, tuple[str, ...]] = background_choices()
"""Optional background questions and their stored codes (``instruments/background/staff.yaml``)."""

PARTNER_EXCLUDED_TYPES = ("team",)
"""Unit types not offered as a partner service: a team is rated as part of its enhet."""


@dataclass(frozen=True)
class FormPage:
    """One page of the form: the items of one scale of one instrument (in item order)."""

    instrument: Instrument = field(repr=False)
    scale_id: str | None
    items: tuple[str, ...]
    first_of_instrument: bool

    @property
    def key(self) -> str:
        return f"{self.instrument.id}:{self.scale_id or '-'}"

    def title(self, lang: str) -> str | None:
        """The scale's name, or ``None`` for the items outside every scale."""
        if self.scale_id is None:
            return None
        name = self.instrument.scale(self.scale_id).name
        return name.get(lang) or name.get("nb") or self.scale_id

    @property
    def fields(self) -> tuple[ResponseField, ...]:
        return tuple(self.instrument.fields) if self.first_of_instrument else ()


def form_pages(instruments: Sequence[Instrument]) -> list[FormPage]:
    """The pages of a form made of ``instruments`` (in the round's order)."""
    pages: list[FormPage] = []
    for inst in instruments:
        position = {item_id: n for n, item_id in enumerate(inst.item_ids)}
        asked: set[str] = set()
        groups: list[tuple[str | None, tuple[str, ...]]] = []
        for scale in inst.scales:
            items = tuple(sorted((i for i in scale.items if i in position and i not in asked), key=position.get))
            if items:
                groups.append((scale.id, items))
                asked.update(items)
        rest = tuple(i for i in inst.item_ids if i not in asked)
        if rest:
            groups.append((None, rest))
        groups.sort(key=lambda group: position[group[1][0]])
        pages += [FormPage(inst, scale_id, items, n == 0) for n, (scale_id, items) in enumerate(groups)]
    return pages


def answer_options(rs: ResponseScale, lang: str) -> list[tuple[int | float, str]]:
    """The choices of an ordinal or nominal item: each valid code with its label, then the
    user-missing codes ("vet ikke"). A code without a label in ``lang`` shows its bokmål label,
    or the number."""

    def label(code: float, labels: dict) -> str:
        text = labels.get(int(code)) if code == int(code) else None
        return (text or {}).get(lang) or (text or {}).get("nb") or f"{code:g}"

    codes = [(int(c) if c == int(c) else c, label(c, rs.labels)) for c in rs.valid_codes]
    return codes + [(int(c), label(c, rs.missing)) for c in sorted(rs.missing)]


def slider_ends(rs: ResponseScale, lang: str) -> tuple[str, str]:
    """The labels at the two ends of a continuous (visual-analogue) item."""
    ends = []
    for code in (rs.min, rs.max):
        text = rs.labels.get(int(code), {}) if code is not None else {}
        ends.append(text.get(lang) or text.get("nb") or (f"{code:g}" if code is not None else ""))
    return ends[0], ends[1]


def partner_options(units: pd.DataFrame, own_unit: str) -> list[str]:
    """Units a respondent may name as the partner service their answers are about.

    Every unit except teams and the respondent's own line (its ancestors and everything below
    it); partner services (``unit_type == "partner"``) first, the rest in the tree's order.
    """
    parent = dict(zip(units["unit"], units["parent"].fillna("")))
    own_line = {own_unit}
    node = parent.get(own_unit, "")
    while node and node not in own_line:
        own_line.add(node)
        node = parent.get(node, "")
    below = set(descendants(units, [own_unit]))
    eligible = units[~units["unit"].isin(own_line | below) & ~units["unit_type"].isin(PARTNER_EXCLUDED_TYPES)]
    partners = eligible[eligible["unit_type"] == "partner"]
    others = eligible[eligible["unit_type"] != "partner"]
    return [*partners["unit"], *others["unit"]]
