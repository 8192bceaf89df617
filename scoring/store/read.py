"""Reading a round's responses as one wide DataFrame (one row per response).

Why answers are a JSON array per response, aligned with the round's frozen item order
(``rounds.items``), rather than a JSON object per response or a long table
``(response, item, value)``:

- whole or nothing: one row is one response, so no reader can ever see half a response, and no
  transaction has to insert 50 rows per answer;
- small: 150,000 responses of 52 items take about 19 MB as arrays against about 100 MB as
  objects keyed by item id (and more as a long table with its indexes);
- fast to read: the arrays hold only numbers and ``null``, so the whole round is decoded by
  pandas' C CSV parser in one call (about 0.3 s for 150,000 x 52 on a laptop, against 3.5 s for
  ``json.loads`` of objects into a DataFrame). The item order is stored with the round, frozen
  with its instrument definitions, so an array is never read with the wrong layout.

Items come back as raw codes (9 = "vet ikke" kept as 9; NaN = not answered), the layout of
``sample_data/responses.csv``, so :func:`scoring.responses.reading.code_responses` applies unchanged.

Rows come sorted by unit (in the order of the unit table) and then by the random response id,
never in the order answers arrived: every table and export made from them keeps no trace of it.
"""

from __future__ import annotations

import io
import json
from typing import Iterable

import pandas as pd
from sqlalchemy import Engine, Text, cast, select

from scoring.store.models import Response, Round, Unit
from scoring.store.rounds import round_row
from scoring.store.submit import load_form

META_COLUMNS = ("response", "unit", "round", "language", "instrument_version", "date")


def read_responses(
    engine: Engine, rounds: str | Iterable[str] | None = None, *, units: Iterable[str] | None = None
) -> pd.DataFrame:
    """Responses as a wide DataFrame: ``response, unit, round, language, instrument_version,
    date``, the fields (role, tenure, position, sk_partner, ...), then one column per item;
    sorted by unit and random id (per round, rounds in the order given).

    ``rounds``: a round name, several, or None for all (columns are the union, in round order).
    ``units``: only these units (the caller expands a manager's scope to its descendants).
    """
    with engine.connect() as conn:
        if rounds is None:
            names = conn.execute(select(Round.name).order_by(Round.created_on, Round.id)).scalars().all()
        else:
            names = [rounds] if isinstance(rounds, str) else list(rounds)
        frames = []
        for name in names:
            rnd = round_row(conn, name)
            form = load_form(conn, rnd.id, rnd.form_hash)
            frames.append(_read_round(conn, rnd, form, units))
    if not frames:
        return pd.DataFrame(columns=list(META_COLUMNS))
    if len(frames) == 1:
        return frames[0][0]
    fields = list(dict.fromkeys(c for _, f, _ in frames for c in f))
    items = list(dict.fromkeys(c for _, _, i in frames for c in i))
    return pd.concat([frame for frame, _, _ in frames], ignore_index=True)[list(META_COLUMNS) + fields + items]


def _read_round(conn, rnd, form, units) -> tuple[pd.DataFrame, list[str], list[str]]:
    query = (
        select(
            Response.id,
            Response.unit_id,
            Response.language,
            Response.instrument_versions,
            cast(Response.submitted_on, Text),
            cast(Response.fields, Text),
            cast(Response.answers, Text),
        )
        .join(Unit, Unit.id == Response.unit_id)
        .where(Response.round_id == rnd.id)
        .order_by(Unit.position, Response.unit_id, Response.id)
    )
    if units is not None:
        query = query.where(Response.unit_id.in_(list(units)))
    rows = conn.execute(query).all()
    items = list(rnd.items)
    if not rows:
        empty = pd.DataFrame({c: pd.Series(dtype="object") for c in META_COLUMNS})
        return pd.concat([empty, pd.DataFrame(columns=items, dtype=float)], axis=1), [], items
    ids, unit_ids, languages, versions, dates, fields, answers = zip(*rows)
    meta = pd.DataFrame(
        {
            "response": pd.array(ids, dtype="string"),
            "unit": unit_ids,
            "round": rnd.name,
            "language": languages,
            "instrument_version": versions,
            "date": pd.to_datetime(pd.Series(dates).str.slice(0, 10), format="%Y-%m-%d"),
        }
    )
    field_frame = pd.DataFrame.from_records(json.loads("[" + ",".join(fields) + "]"), index=meta.index)
    known = [c for c in form.field_ids if c in field_frame.columns]
    field_frame = field_frame[known + sorted(c for c in field_frame.columns if c not in known)]
    fields_order = list(field_frame.columns)
    return pd.concat([meta, field_frame, decode_answers(answers, items)], axis=1), fields_order, items


def decode_answers(answers: Iterable[str], items: list[str]) -> pd.DataFrame:
    """JSON arrays of numbers and nulls -> a float DataFrame with one column per item."""
    text = "\n".join(a.strip()[1:-1] for a in answers).replace("null", "")
    frame = pd.read_csv(io.StringIO(text), header=None, names=items, dtype=float, skip_blank_lines=False)
    return frame
