"""Importing answers collected elsewhere (Nettskjema, LimeSurvey, paper punching, ODK).

The table has one row per response: a response id column (``response``, ``response_id`` or
``id``), ``unit``, optionally ``round``, ``language`` and ``date``, the fields (role, tenure,
position, sk_partner...) and item columns named by item id. Other columns are ignored and
listed, so a time stamp or an e-mail column from a web-survey export is never stored.

The CSV export of an XLSForm (ODK Central, ODK Briefcase, KoBoToolbox: group-prefixed question
columns such as ``sk_info/sk_info1`` and metadata columns) is recognised and renamed first by
:func:`scoring.responses.odk_export.from_xlsform_export` (``layout="auto"``, or ask for it with
``layout="xlsform"``); from there it takes the same path as any other table.

Every cell is checked with the rules of :func:`scoring.responses.reading.code_responses`, which then codes
the rows that are stored. All or nothing: if any row is bad nothing is stored and
:class:`ImportRefused` carries every bad row (with its row number and problems), unless
``keep_good`` is set, in which case the good rows are stored and the bad ones are returned in
:attr:`ImportResult.bad` for the user to fix and import again. Re-importing a file skips the
responses already imported (the key is round + response id), so an import can be repeated.

The file's response id is not stored: each response gets a random id
(:func:`scoring.store.tokens.new_response_ids`) and the key is kept as its SHA-256, and the rows
are written in the order of their random ids. Ids numbered in the order another tool received
the answers, and the file's row order, are not kept.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, bindparam, select, type_coerce

from scoring.errors import Problem, UserError, check_choice
from scoring.responses.national_id import national_id_mask, national_id_message
from scoring.responses.odk_export import from_xlsform_export, looks_like_xlsform_export
from scoring.responses.reading import ID_COLUMNS, code_responses, find_id_column, numeric_cells, read_table, text_message
from scoring.store.db import write_transaction
from scoring.store.form import MAX_FIELD_LENGTH, RoundForm
from scoring.store.models import EncodedJSON, Response, RoundUnit, Unit
from scoring.store.rounds import round_row
from scoring.store.submit import load_form
from scoring.store.tokens import key_hash, new_response_ids

MAX_LISTED = 20
RESERVED = ("unit", "round", "language", "date")
LAYOUTS = ("auto", "table", "xlsform")


class ImportRefused(UserError):
    """Bad rows, so nothing was stored. ``bad`` holds every bad row of the file as read, with
    ``row`` (numbered from 1 after the header) and ``problem`` columns in front."""

    def __init__(self, problems: list[Problem], summary: str, bad: pd.DataFrame):
        super().__init__(problems, summary)
        self.bad = bad


@dataclass
class ImportResult:
    """What an import did: rows stored, rows already stored (skipped), bad rows kept back."""

    round: str
    stored: int
    skipped: int
    instruments: list[str]
    ignored_columns: list[str]
    bad: pd.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    layout: str = "table"

    def to_dict(self) -> dict:
        return {
            "round": self.round,
            "layout": self.layout,
            "stored": self.stored,
            "skipped": self.skipped,
            "bad": 0 if self.bad is None else len(self.bad),
            "instruments": self.instruments,
            "ignored_columns": self.ignored_columns,
        }

    def summary(self) -> str:
        lines = [f"round {self.round}: {self.stored} response(s) stored, {self.skipped} already stored and skipped"]
        if self.layout == "xlsform":
            lines.insert(0, "read as an ODK/KoBoToolbox (XLSForm) export: group prefixes removed, instance id as response id")
        if self.bad is not None and len(self.bad):
            lines.append(f"{len(self.bad)} bad row(s) not stored")
        if self.ignored_columns:
            lines.append("ignored columns (not stored): " + ", ".join(self.ignored_columns))
        return "\n".join(lines)


def import_responses(
    engine: Engine,
    round_name: str,
    source: str | Path | pd.DataFrame,
    *,
    file: str | None = None,
    keep_good: bool = False,
    id_column: str | None = None,
    layout: str = "auto",
    origin: str = "import",
    dates: pd.Series | None = None,
    today: dt.date | None = None,
    progress=None,
) -> ImportResult:
    """Validate and store a table of responses in round ``round_name`` in one transaction.

    ``layout``: ``table`` (columns named by item id), ``xlsform`` (an ODK/KoBoToolbox CSV
    export of the form from :mod:`scoring.formats.xlsform`) or ``auto`` (recognise the export by
    its instance-id or group-prefixed columns). ``origin`` is stored as the response source
    (``import`` or ``demo``). Rows without a date get ``dates`` (same index) if given, else
    ``today``. A date with a time of day keeps the date. Raises :class:`ImportRefused` when a
    row is bad and ``keep_good`` is not set. ``progress(name)``, if given, is called after each
    of four stages (read, checked, encoded, stored): a progress bar.
    """
    step = progress or (lambda _name: None)
    check_choice(layout, LAYOUTS, "--layout")
    if isinstance(source, pd.DataFrame):
        table = source.reset_index(drop=True)
    else:
        file = file or str(source)
        table = read_table(source)
    table.columns = [str(c) for c in table.columns]
    today = today or dt.date.today()
    with engine.connect() as conn:
        rnd = round_row(conn, round_name)
        form = load_form(conn, rnd.id, rnd.form_hash)
        round_units = set(conn.execute(select(RoundUnit.unit_id).where(RoundUnit.round_id == rnd.id)).scalars())
        all_units = set(conn.execute(select(Unit.id)).scalars())

    as_read = table
    table, id_column, layout = _in_table_layout(table, [*form.items, *form.field_ids], id_column, layout, file)
    if "unit" not in table.columns:
        raise UserError.single("column 'unit' is missing (the unit id of each response)", file=file)
    present = [inst for inst in form.instruments if any(i in table.columns for i in inst.item_ids)]
    if not present:
        raise UserError.single(
            f"no item column of round '{rnd.name}' (expected e.g. {', '.join(form.items[:3])})", file=file
        )
    for inst in present:  # column problems (missing or unknown item columns) stop the import
        code_responses(table.iloc[:0], inst, id_column=id_column, file=file)
    item_columns = [i for inst in present for i in inst.item_ids]
    field_columns = [c for c in form.field_ids if c in table.columns]
    used = {id_column, *RESERVED, *item_columns, *field_columns}
    ignored = [c for c in table.columns if c not in used]

    step(f"{len(table)} rows read")
    cells = _row_problems(table, form, id_column, item_columns, field_columns, rnd, round_units, all_units)
    submitted = _dates(table, dates, today, cells)
    bad_rows = sorted({row for row, _, _ in cells})
    problems = [Problem(msg, file=file, row=row + 1, path=col) for row, col, msg in sorted(cells, key=lambda c: c[0])]
    bad = _bad_rows(as_read, cells, bad_rows) if bad_rows else None
    if bad_rows and not keep_good:
        shown = problems[:MAX_LISTED]
        more = f"; the first {len(shown)} problems are listed" if len(problems) > len(shown) else ""
        raise ImportRefused(
            shown,
            f"{len(bad_rows)} bad row(s) of {len(table)}{more} (rows are numbered from 1 after the header line). "
            "Nothing was stored; fix the rows, or store only the good ones with --good-rows-only.",
            bad,
        )
    good = table.drop(index=bad_rows)
    step("every answer checked")

    matrix = _answer_matrix(good, form, present, id_column, file)
    result = ImportResult(rnd.name, 0, 0, [i.id for i in present], ignored, bad, problems if bad_rows else [], layout)
    keys = pd.Series([key_hash(f"{origin}:{rnd.id}:{v}") for v in _id_text(good[id_column])], index=good.index)
    with engine.connect() as conn:
        stored_before = _stored_keys(conn, rnd.id, origin)
    new = ~keys.isin(stored_before)
    result.skipped = int((~new).sum())
    good, matrix, keys = good[new], matrix[new], keys[new]
    if good.empty:
        return result
    versions = ", ".join(f"{inst.id} {inst.version}" for inst in present)
    answers = encode_arrays(matrix)
    fields = _fields_json(good, field_columns)
    partners = _partner_values(good, form.partner_fields)
    languages = good["language"].astype("string").str.strip().fillna("") if "language" in good.columns else pd.Series("", index=good.index)
    languages = languages.where(languages != "", rnd.languages[0])
    rows = [
        dict(
            id=response_id,
            round_id=rnd.id,
            unit_id=unit,
            submitted_on=submitted[idx],
            language=str(lang),
            instrument_versions=versions,
            partner=partner,
            fields_json=field_text,
            answers_json=answer_text,
            idempotency_key=key,
            source=origin,
        )
        for response_id, idx, unit, lang, partner, field_text, answer_text, key in zip(
            new_response_ids(len(good)), good.index, _id_text(good["unit"]), languages, partners, fields, answers, keys
        )
    ]
    rows.sort(key=lambda r: r["id"])
    step(f"{len(rows)} responses encoded")
    with write_transaction(engine) as conn:
        # Checked again under the write lock: another import of the same file may have won.
        stored_now = _stored_keys(conn, rnd.id, origin) - stored_before if stored_before is not None else set()
        if stored_now:
            rows = [r for r in rows if r["idempotency_key"] not in stored_now]
        if rows:
            conn.execute(_insert_statement(), rows)
    result.skipped += len(good) - len(rows)
    result.stored = len(rows)
    step(f"{result.stored} stored")
    return result


def _in_table_layout(table: pd.DataFrame, known: list[str], id_column: str | None, layout: str, file: str | None):
    """``(table, id column, layout)``: an ODK/KoBoToolbox export renamed to the plain layout
    (asked for, or recognised by its instance-id or group-prefixed columns), else as it is."""
    plain_ids = id_column is not None or any(c in table.columns for c in ID_COLUMNS)
    if layout == "xlsform" or (layout == "auto" and not plain_ids and looks_like_xlsform_export(table.columns, known)):
        table = from_xlsform_export(table, known, file=file, id_source=id_column).table
        return table, find_id_column(table, "response", file), "xlsform"
    return table, find_id_column(table, id_column, file), "table"


def _bad_rows(as_read: pd.DataFrame, cells: list[tuple[int, str, str]], bad_rows: list[int]) -> pd.DataFrame:
    """The bad rows as read, with their row number and every problem (for ``--rejected``)."""
    reasons: dict[int, list[str]] = {}
    for row, col, msg in cells:
        reasons.setdefault(row, []).append(f"{col}: {msg}")
    bad = as_read.iloc[bad_rows].copy()
    bad.insert(0, "problem", ["; ".join(reasons[r]) for r in bad_rows])
    bad.insert(0, "row", [r + 1 for r in bad_rows])
    return bad


def _answer_matrix(good: pd.DataFrame, form: RoundForm, present, id_column: str, file: str | None) -> pd.DataFrame:
    """Rows x the round's items: coded answers, with "don't know" kept as its own code."""
    matrix = pd.DataFrame(np.nan, index=good.index, columns=list(form.items))
    for inst in present:
        coded = code_responses(good[[id_column, *inst.item_ids]], inst, id_column=id_column, file=file)
        raw = coded.items.copy()
        for item in inst.item_ids:
            mask = coded.user_missing[item].to_numpy()
            if mask.any():
                raw.loc[mask, item] = pd.to_numeric(good.loc[mask, item], errors="coerce").to_numpy()
        matrix[inst.item_ids] = raw
    return matrix


def _stored_keys(conn, round_id: int, origin: str) -> set[str]:
    return set(conn.execute(select(Response.idempotency_key).where(Response.round_id == round_id, Response.source == origin)).scalars())


def _insert_statement():
    table = Response.__table__
    return table.insert().values(
        fields=type_coerce(bindparam("fields_json"), EncodedJSON), answers=type_coerce(bindparam("answers_json"), EncodedJSON)
    )


def encode_arrays(matrix: pd.DataFrame) -> list[str]:
    """Each row as a compact JSON array of numbers with ``null`` for NaN.

    Whole codes (the usual case) go through pandas' CSV writer for nullable integers, about
    ten times faster than formatting floats; other values through :func:`json.dumps` per row.
    """
    if matrix.shape[1] == 0:
        return ["[]"] * len(matrix)
    values = matrix.to_numpy(dtype=float)
    answered = ~np.isnan(values)
    if np.all(values[answered] == np.round(values[answered])):
        text = matrix.astype("Int64").to_csv(header=False, index=False, na_rep="null", lineterminator="\n")
        return ["[" + line + "]" for line in text.split("\n")[: len(matrix)]]
    cells = values.astype(object)
    cells[answered] = [round(v, 10) if v != int(v) else int(v) for v in values[answered]]
    cells[~answered] = None
    return [json.dumps(row, separators=(",", ":")) for row in cells.tolist()]


def _fields_json(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    if not columns:
        return ["{}"] * len(frame)
    text = frame[columns].astype("string").apply(lambda c: c.str.strip()).fillna("")
    codes, combos = pd.MultiIndex.from_frame(text).factorize()
    encoded = [
        json.dumps({k: v for k, v in zip(columns, combo) if v}, ensure_ascii=False, separators=(",", ":")) for combo in combos
    ]
    return [encoded[c] for c in codes]


def _partner_values(frame: pd.DataFrame, partner_fields: tuple[str, ...]) -> list[str | None]:
    for field_id in partner_fields:
        if field_id in frame.columns:
            values = frame[field_id].astype("string").str.strip()
            return [v if isinstance(v, str) and v else None for v in values]
    return [None] * len(frame)


def _id_text(values: pd.Series) -> list[str]:
    if pd.api.types.is_float_dtype(values) and (values.dropna() == values.dropna().round()).all():
        return [str(int(v)) for v in values]
    return [str(v).strip() for v in values]


def _item_value_problems(raw: pd.Series, rs) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """For one item column: cells holding text, cells off the response scale (neither a valid
    code nor a missing code), the values as numbers, and the scale written out for a message."""
    values, text = numeric_cells(raw)  # empty, NA, NaN and . are missing answers, as in code_responses
    missing = np.isin(values, np.array(sorted(rs.missing), dtype=float)) if rs.missing else np.zeros(len(values), bool)
    answered = ~np.isnan(values) & ~missing
    if rs.has_limits:
        with np.errstate(invalid="ignore"):
            steps = (values - rs.min) / rs.step
            valid = (values >= rs.min - 1e-9) & (values <= rs.max + 1e-9) & (np.abs(steps - np.round(steps)) < 1e-6)
    else:
        valid = np.isin(values, np.array(sorted(rs.labels), dtype=float))
    limits = f"{rs.min:g}..{rs.max:g}" if rs.has_limits else ", ".join(str(c) for c in sorted(rs.labels))
    codes = "".join(f", missing code {c}" for c in sorted(rs.missing))
    return text, answered & ~valid, values, limits + codes


def _field_problems(table, form: RoundForm, field_columns, all_units, add) -> None:
    """Fields too long, with NUL, naming an unknown partner service, or required and blank."""
    for column in field_columns:
        text = table[column].astype("string").str.strip().fillna("")
        add(text.str.len() > MAX_FIELD_LENGTH, column, f"longer than {MAX_FIELD_LENGTH} characters")
        add(text.str.contains("\x00", regex=False), column, "contains a NUL character (byte 0); remove it")
        if column in form.partner_fields:
            add((text != "") & ~text.isin(all_units), column, lambda r, text=text: f"unknown partner service '{text.iloc[r]}'")
        if column in form.required_fields:
            add(text == "", column, "this field is required")
    for column in form.required_fields:
        if column not in table.columns:
            add(np.ones(len(table), bool), column, "this field is required")


def _row_problems(table, form: RoundForm, id_column, item_columns, field_columns, rnd, round_units, all_units) -> list[tuple[int, str, str]]:
    """Every bad cell as (0-based row, column, message), checked column by column.

    Every column that is stored (id, unit, round, language, items, fields) is searched for
    national identity numbers first (the date too); such a cell gets that message only, so that no other
    message repeats the number.
    """
    cells: list[tuple[int, str, str]] = []
    identity: dict[str, np.ndarray] = {}

    def add(mask, column, message):
        mask = np.asarray(mask, dtype=bool)
        if column in identity:
            mask = mask & ~identity[column]
        for row in np.flatnonzero(mask):
            cells.append((int(row), column, message(row) if callable(message) else message))

    stored = dict.fromkeys([id_column, *RESERVED, *item_columns, *field_columns])
    for column in (c for c in stored if c in table.columns):
        found = national_id_mask(table[column])
        add(found, column, national_id_message(f"the value in column '{column}'"))
        identity[column] = found

    ids = table[id_column].astype("string").str.strip()
    blank = ids.isna() | (ids == "")
    add(blank, id_column, "the response id is missing")
    add(ids.duplicated(keep="first") & ~blank, id_column, lambda r: f"duplicate response id '{ids.iloc[r]}'")

    units = pd.Series(_id_text(table["unit"].fillna("")), index=table.index)
    add(units == "", "unit", "the unit is missing")
    add((units != "") & ~units.isin(round_units), "unit", lambda r: f"unit '{units.iloc[r]}' is not part of round '{rnd.name}'")
    if "round" in table.columns:
        rounds = pd.Series(_id_text(table["round"].fillna("")), index=table.index)
        add((rounds != "") & (rounds != rnd.name), "round", lambda r: f"round '{rounds.iloc[r]}' is not '{rnd.name}'")
    if "language" in table.columns:
        langs = table["language"].astype("string").str.strip().fillna("")
        add((langs != "") & ~langs.isin(list(rnd.languages)), "language", lambda r: f"language '{langs.iloc[r]}' is not offered (use {', '.join(rnd.languages)})")

    for item in item_columns:
        text, off_scale, values, scale_text = _item_value_problems(table[item], form.scales[item])
        add(text, item, lambda r, raw=table[item]: text_message(raw.iloc[r]))
        add(off_scale, item, lambda r, values=values, scale_text=scale_text: f"value {values[r]:g} is not on the response scale ({scale_text})")

    _field_problems(table, form, field_columns, all_units, add)
    return cells


def _dates(table: pd.DataFrame, dates: pd.Series | None, today: dt.date, cells: list) -> list[dt.date]:
    default = [today] * len(table) if dates is None else list(pd.to_datetime(dates).dt.date)
    if "date" not in table.columns:
        return default
    raw = table["date"].astype("string").str.strip()
    parsed = pd.to_datetime(raw, errors="coerce", format="ISO8601")
    retry = parsed.isna() & raw.notna() & (raw != "")
    if retry.any():
        parsed[retry] = pd.to_datetime(raw[retry], errors="coerce", dayfirst=True, format="mixed")
    bad = parsed.isna() & raw.notna() & (raw != "")
    for row in np.flatnonzero(bad.to_numpy()):
        cells.append((int(row), "date", f"not a date: {raw.iloc[row]!r} (use YYYY-MM-DD)"))
    return [p.date() if not pd.isna(p) else d for p, d in zip(parsed, default)]
