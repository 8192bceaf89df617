"""The unit report for the team meeting: what a unit's manager may see of a round, on paper.

Built from one viewer's publication (:mod:`scoring.privacy.publication`) — the unit's
manager's, or any user's with ``--as`` — through :func:`scoring.reporting.landing.unit_landing`,
so the report shows exactly the cells the dashboard shows to that viewer and hides what it hides
(with the reason). Its parts: who answered; each scale with its interval, the organisation and
the unit type, and the change since the previous round; what stands out; what the numbers can
and cannot say (and which cells are hidden, and why); the answers to each item (the publication's
category cells); partner ratings (the unit's own ratings of the partner services it named, and
other units' ratings of this unit); the unit's actions with the change in their scale; and
discussion questions per scale (``discussion`` in the instrument YAML, else generic ones).

:mod:`scoring.formats.unit_report_pdf` draws it (A4 PDF); nothing here counts answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.frame_memo import memo
from scoring.privacy.cell_rows import CellRows
from scoring.privacy.publication import TYPE_PREFIX, Publication
from scoring.reporting.landing import UnitLanding, scale_table, unit_landing
from scoring.reporting.report_texts import LANGUAGES, localised, text

# The cells a report of a unit reads (every `select` below and in :mod:`scoring.reporting.landing`):
# Compare and Overview whole (the unit, the organisation, its type, the rounds with results),
# Items only at the unit, Partners where the unit rates or is rated; these two only in the
# report's round (`_items`, `_partners`), and Partners only where shown (`_partners` drops the
# hidden ratings: a unit's hidden ratings of its 270 partners are most of a national cut's cells).
REPORT_PAGES = {"compare": (), "overview": (), "items": ("unit",), "partners": ("unit", "partner")}
ITEM_COLUMNS = ["scale", "item", "text", "n", "hidden", "why", "counts"]
PARTNER_COLUMNS = ["direction", "scale", "rater", "rated", "n", "mean", "hidden", "why"]


@dataclass(frozen=True)
class UnitReport:
    """Everything one unit report prints (module docstring); numbers are the publication's."""

    landing: UnitLanding
    lang: str
    made: dt.date
    scale_names: dict[str, str]
    category_labels: dict[str, dict[float, str]] = field(repr=False)
    items: pd.DataFrame = field(repr=False)
    partners: pd.DataFrame = field(repr=False)
    discussion: dict[str, list[str]] = field(repr=False)
    unit_names: dict[str, str] = field(repr=False)

    @property
    def unit(self) -> str:
        return self.landing.unit

    @property
    def round(self) -> str:
        return self.landing.round


def report_rows(units, round_name: str | None = None) -> CellRows:
    """The cells that reports of ``units`` for ``round_name`` read (:data:`REPORT_PAGES`; without
    a round, Items and Partners of every round): a publication of only these gives every one of
    those reports exactly as the whole publication would."""
    if round_name is None:
        return CellRows(REPORT_PAGES, frozenset(units))
    return CellRows(REPORT_PAGES, frozenset(units),
                    {"items": {"round": (round_name,)}, "partners": {"round": (round_name,), "hidden": (False,)}})


def _scale_info(instruments, lang: str):
    names, labels, questions, items = {}, {}, {}, {}
    for inst in instruments:
        for scale in inst.scales:
            names[scale.id] = localised(scale.name, lang)
            own = getattr(scale, "discussion", None) or []
            questions[scale.id] = [localised(q, lang) for q in own] or text("discussion_generic", lang).split("|")
            first = inst.response_scale_of(scale.items[0])
            labels[scale.id] = {float(c): localised(v, lang) for c, v in {**first.labels, **first.missing}.items()}
            for item_id in scale.items:
                items[item_id] = localised(inst.item(item_id).text, lang)
    return names, labels, questions, items


def _items(publication: Publication, unit: str, round_name: str, item_texts: dict) -> pd.DataFrame:
    columns = ["scale", "item", "category", "n", "hidden", "why"]
    cells = publication.cells[columns].iloc[publication.rows("items", round_name, unit=unit)]
    if cells.empty:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    is_total = cells["category"].isna().to_numpy()
    columns = {c: cells[c].tolist() for c in columns}
    answers: dict[str, dict[float, int]] = {}  # item -> {category: n}, one pass over the unit's cells
    for item, category, n, total in zip(columns["item"], columns["category"], columns["n"], is_total):
        if not total:
            answers.setdefault(item, {})[float(category)] = n
    rows = []
    for i in np.flatnonzero(is_total):  # one row per item (a few dozen), not respondents
        item, hidden = columns["item"][i], bool(columns["hidden"][i])
        counts = {} if hidden else {c: int(n) for c, n in answers.get(item, {}).items()}
        rows.append({"scale": columns["scale"][i], "item": item, "text": item_texts.get(item, item),
                     "n": columns["n"][i], "hidden": hidden, "why": columns["why"][i], "counts": counts})
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def _partners(publication: Publication, unit: str, round_name: str) -> pd.DataFrame:
    """The unit's shown ratings of the partners it named (``given``) and the shown ratings of
    the unit by other units (``received``; not by unit types), taken from the cells at once."""
    given, received = publication.rows("partners", round_name, unit=unit), publication.rows("partners", round_name, partner=unit)
    columns = ["unit", "partner", "scale", "n", "mean", "hidden", "why"]
    cells = publication.cells[columns].iloc[np.concatenate([given, received])].reset_index(drop=True)
    raters = cells["unit"].to_numpy(dtype=object)
    is_given = np.arange(len(cells)) < len(given)
    keep = ~cells["hidden"].to_numpy(dtype=bool) & (is_given | ~np.array([str(r).startswith(TYPE_PREFIX) for r in raters], dtype=bool))
    # rater and rated as objects whether or not there are any (pandas makes a non-empty array of
    # strings its string dtype, an empty one object)
    frame = cells.assign(direction=np.where(is_given, "given", "received"),
                         rater=pd.Series(np.where(is_given, unit, raters), dtype=object),
                         rated=pd.Series(np.where(is_given, cells["partner"].to_numpy(dtype=object), unit), dtype=object))
    return frame[keep].reindex(columns=PARTNER_COLUMNS).reset_index(drop=True)


def unit_report(publication: Publication, tree: pd.DataFrame, unit: str, round_name: str, status: pd.DataFrame,
                actions: pd.DataFrame, instruments, lang: str = "nb", made: dt.date | None = None,
                table: pd.DataFrame | None = None, rates: pd.DataFrame | None = None) -> UnitReport:
    """One unit's report for ``round_name`` as the publication's viewer sees it.

    ``instruments``: the round's instruments (names, item wording, answer labels, discussion
    questions); ``status``/``actions`` as for :func:`~scoring.reporting.landing.unit_landing`;
    ``table``: :func:`~scoring.reporting.landing.scale_table` and ``rates``: the round's
    response rates by unit, when made once for many units. Partner services' names come from ``tree``.
    """
    if lang not in LANGUAGES:
        from scoring.errors import UserError

        raise UserError.single(f"unknown language '{lang}' (choose one of {', '.join(LANGUAGES)})", path="--language")
    names, labels, questions, item_texts = _scale_info(instruments, lang)
    published = set(publication.arrays("compare", round_name)["scale"])
    scales = [s for s in names if s in published]
    table = scale_table(publication, tree, round_name, scales) if table is None else table
    landing = unit_landing(publication, tree, unit, round_name, status, actions, scales, table, rates)
    rounds = list(publication.rounds)
    upto = set(rounds[: rounds.index(round_name) + 1]) if round_name in rounds else {round_name}
    own_actions = landing.actions[landing.actions["round"].isin(upto)] if len(landing.actions) else landing.actions
    landing = UnitLanding(**{**landing.__dict__, "actions": own_actions.reset_index(drop=True)})
    return UnitReport(landing, lang, made or dt.date.today(), {s: names[s] for s in scales}, labels,
                      _items(publication, unit, round_name, item_texts), _partners(publication, unit, round_name),
                      {s: questions[s] for s in scales}, memo(tree, "names", lambda: dict(zip(tree["unit"], tree["name"]))))
