"""Answers from ODK Collect / KoBoToolbox: reading the CSV export of a Samklima XLSForm.

The form comes from :func:`scoring.formats.xlsform.build_xlsform`. :func:`from_xlsform_export`
reads the CSV that ODK Central, ODK Briefcase or KoBoToolbox export
("XML values and headers"): columns are named by the question's path (``sk_info/sk_info1``,
``sk_info-sk_info1`` in ODK Central, ``bakgrunn/role``) and metadata columns are added (``KEY``,
``meta/instanceID``, ``_uuid``, ``_submission_time``, ``SubmitterName``...). It renames the
question columns to their plain names, takes the instance id as the response id and the date
from ``today`` (else the date part of the submission time), and leaves every other column
alone, so :func:`scoring.store.bulk.import_responses` lists it as ignored and never stores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from scoring.errors import UserError

ID_SOURCES = ("instanceID", "KEY", "_uuid")
"""Response id of an exported submission, first found wins (``meta/instanceID`` is ``instanceID``)."""
DATE_SOURCES = ("today", "end", "SubmissionDate", "_submission_time", "start")
"""The response date: the ``today`` question, else the date part of a time stamp."""
GROUP_SEPARATORS = ("/", "-", ".")


@dataclass
class XLSFormExport:
    """An ODK/KoBoToolbox export renamed to the import layout, and what was done to it."""

    table: pd.DataFrame
    renamed: dict[str, str]
    id_column: str
    date_column: str | None


def looks_like_xlsform_export(columns: Sequence[str], known: Sequence[str]) -> bool:
    """True when the columns have an ODK/KoBoToolbox instance id or group-prefixed question names."""
    names = set(known)
    return any(_plain(c) in ID_SOURCES for c in columns) or any(
        _plain(c) in names and _plain(c) != c for c in columns
    )


def from_xlsform_export(
    table: pd.DataFrame, known: Sequence[str], *, file: str | None = None, id_source: str | None = None
) -> XLSFormExport:
    """Rename group-prefixed question columns in ``known`` (items, fields, ``unit``) to their
    plain names, add ``response`` (the instance id, or the column ``id_source``) and ``date``
    (``today`` or the date part of the submission time); other columns are kept as they are."""
    names = set(known) | {"unit", "today"}
    renamed: dict[str, str] = {}
    taken = set(table.columns)
    for col in table.columns:
        plain = _plain(str(col))
        if plain != col and plain in names and plain not in taken:
            renamed[col] = plain
            taken.add(plain)
    out = table.rename(columns=renamed)
    by_plain = {_plain(str(c)): c for c in out.columns}
    if id_source is not None and id_source not in out.columns:
        raise UserError.single(f"the id column '{id_source}' is not in the table", file=file, path=id_source)
    id_source = id_source or next((by_plain[s] for s in ID_SOURCES if s in by_plain), None)
    if id_source is None:
        raise UserError.single(
            "no submission id column (looked for meta/instanceID, KEY and _uuid in the ODK/KoBoToolbox export)", file=file
        )
    for reserved in ("response", "date"):
        if reserved in out.columns:
            raise UserError.single(f"the export already has a column '{reserved}'", file=file, path=reserved)
    out.insert(0, "response", out[id_source].astype("string").str.strip())
    date_source = next((by_plain[s] for s in DATE_SOURCES if s in by_plain), None)
    if date_source is not None:
        out["date"] = out[date_source].astype("string").str.strip().str.slice(0, 10)
    return XLSFormExport(out, renamed, id_source, date_source)


def _plain(column: str) -> str:
    """``sk_info/sk_info1`` -> ``sk_info1``; ``meta-instanceID`` -> ``instanceID``."""
    for separator in GROUP_SEPARATORS:
        if separator in column:
            return column.rsplit(separator, 1)[1]
    return column
