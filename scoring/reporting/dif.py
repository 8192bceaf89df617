"""Differential item functioning of one scale between two groups, organisation-wide, for the quality page.

:func:`scale_dif` runs :func:`scoring.stats.irt.dif_graded` (likelihood-ratio tests on the
graded model, anchor purified, Benjamini-Hochberg adjusted, Meade's effect sizes) on the keyed
answers of the scale's items ("vet ikke" as missing) of the respondents in the two groups: two
rounds, or two professions. Like alpha and the CFA on the same page it pools every respondent
of the groups and isolates no unit; only groups of at least
:data:`scoring.stats.irt.responses.MIN_RESPONDENTS` respondents are offered
(:func:`groups_to_compare`).
"""

from __future__ import annotations

import pandas as pd

from scoring.instrument.model import Instrument
from scoring.responses.reading import code_responses
from scoring.responses.scores import keyed_items
from scoring.stats.irt import DIFResult, dif_graded
from scoring.stats.irt.responses import MIN_RESPONDENTS


def groups_to_compare(responses: pd.DataFrame, column: str, *, min_group: int = MIN_RESPONDENTS) -> list[str]:
    """The values of ``column`` with at least ``min_group`` respondents, largest first."""
    counts = responses[column].dropna().astype(str).value_counts()
    counts = counts[(counts.index != "") & (counts >= min_group)]
    return sorted(counts.index, key=lambda g: (-counts[g], g))


def scale_dif(responses: pd.DataFrame, instrument: Instrument, scale_id: str, column: str, reference: str, focal: str) -> DIFResult:
    """DIF of each item of ``scale_id`` between ``reference`` and ``focal`` (values of ``column``).

    Raises ``ValueError`` with the reason when the groups cannot be compared (too few
    respondents, an item with one category)."""
    labels = responses[column].astype(str)
    rows = responses[labels.isin([str(reference), str(focal)])].reset_index(drop=True)
    columns = ["response", "unit", "round", *[c for c in instrument.item_ids if c in rows.columns]]
    keyed = keyed_items(code_responses(rows[columns], instrument).items, instrument)
    return dif_graded(keyed[list(instrument.scale(scale_id).items)], rows[column].astype(str), reference=str(reference))
