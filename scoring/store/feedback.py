"""Client feedback contacts (ORS/SRS-like): stored per pseudonymous client, never anonymous.

The client id is chosen by the service. A national identity number must never be used: the
client id, the clinician and the unit of every contact are refused if they hold a
fødselsnummer, D-number or H-number, however written (:func:`scoring.responses.national_id.find_national_id`:
separators, invisible characters, full-width digits, inside longer text, and a number that lost
its leading zero in a spreadsheet, ``5056500504`` = ``05056500504``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Text, cast, select
from sqlalchemy.exc import IntegrityError

from scoring.errors import Problem, UserError
from scoring.instrument.catalog import bundled_all
from scoring.responses.national_id import find_national_id, national_id_message, national_id_problems, refuse_national_id
from scoring.responses.reading import code_responses
from scoring.store.db import write_transaction
from scoring.store.files import raise_problems
from scoring.store.form import RoundForm, encode_value
from scoring.store.limits import INT_MAX, int_problem, text_cells, text_limit_problem, text_problem
from scoring.store.models import FeedbackContact, Unit

FEEDBACK_INSTRUMENTS = ("feedback-utfall", "feedback-samtale")
CONTACT_COLUMNS = ("client", "unit", "clinician", "contact", "date")
CLIENT_LENGTH = FeedbackContact.__table__.c.client.type.length


def check_client_id(client: Any) -> str:
    """The client id, stripped; raises :class:`UserError` if blank, too long or a national id."""
    text = "" if client is None else str(client).strip()
    if not text:
        raise UserError.single("the client id is blank", path="client", code="client_id_blank")
    problem = _client_problem(text)
    if problem:
        code, params = ("text_nul", {}) if "\x00" in text else ("text_too_long", {"max": CLIENT_LENGTH})
        raise UserError.single(problem, path="client", code=code, params=params)
    refuse_national_id(client, "the client id", path="client")
    refuse_national_id(text, "the client id", path="client")
    return text


def _client_problem(text: str) -> str | None:
    if "\x00" in text:
        return "the client id contains a NUL character (byte 0)"
    if len(text) > CLIENT_LENGTH:
        return f"the client id is longer than {CLIENT_LENGTH} characters"
    return None


def feedback_form() -> RoundForm:
    """The bundled client-feedback instruments (outcome and session scales)."""
    found = {inst.id: inst for inst in bundled_all()}
    return RoundForm(tuple(found[i] for i in FEEDBACK_INSTRUMENTS if i in found))


def add_feedback_contact(
    engine: Engine,
    *,
    client: str,
    clinician: str,
    unit: str,
    contact: int,
    date: dt.date,
    answers: Mapping[str, Any],
) -> int:
    """Store one contact's answers; returns its id. A contact number is stored once per client and unit."""
    client = check_client_id(client)
    form = feedback_form()
    clean, problems = clean_answers(answers)
    if not isinstance(contact, int) or isinstance(contact, bool) or not 1 <= contact <= INT_MAX:
        problems.append(Problem(f"the contact number must be a whole number from 1 to {INT_MAX}", path="contact", code="contact_number",
                                params={"max": INT_MAX}))
    clinician = str(clinician or "").strip()
    if not clinician:
        problems.append(Problem("the clinician is blank", path="clinician", code="clinician_blank"))
    elif (found := find_national_id(clinician)) is not None:
        problems.append(Problem(national_id_message("the clinician", found), path="clinician", code="national_id"))
    elif text_problem(clinician, FeedbackContact.__table__.c.clinician):
        problems.append(text_limit_problem(clinician, FeedbackContact.__table__.c.clinician, path="clinician"))
    if problems:
        raise UserError(problems)
    versions = _versions(form, clean)
    try:
        with write_transaction(engine) as conn:
            if conn.execute(select(Unit.id).where(Unit.id == unit)).first() is None:
                raise UserError.single(f"unknown unit '{unit}'", path="unit", code="unknown_unit", params={"unit": unit})
            return conn.execute(
                FeedbackContact.__table__.insert()
                .values(unit_id=unit, client=client, clinician=clinician, contact=contact, contact_on=date, instrument_versions=versions, answers=clean)
                .returning(FeedbackContact.id)
            ).scalar_one()
    except IntegrityError:
        raise UserError.single(f"contact {contact} of client '{client}' in unit '{unit}' is stored already", path="contact",
                               code="contact_stored", params={"contact": contact}) from None


def clean_answers(answers: Mapping[str, Any]) -> tuple[dict[str, float | int], list[Problem]]:
    """A contact's answers as stored, and the problems found. An unanswered item (``None``,
    blank or NaN) is left out, i.e. stored as missing, never as a mid-point."""
    form = feedback_form()
    clean: dict[str, float | int] = {}
    problems = []
    for item, value in answers.items():
        if item not in form.scales:
            problems.append(Problem("not an item of the feedback scales", path=item, code="not_an_item"))
            continue
        encoded, problem = encode_value(value, form.scales[item])
        if problem:
            problems.append(Problem(problem, path=item, code="answer_off_scale"))
        elif encoded is not None:
            clean[item] = encoded
    return clean, problems


def answer_versions(clean: Mapping[str, Any]) -> str:
    """The instrument versions a contact's stored answers belong to."""
    return _versions(feedback_form(), clean)


def _versions(form: RoundForm, answered: Iterable[str]) -> str:
    answered = set(answered)
    return ", ".join(f"{i.id} {i.version}" for i in form.instruments if answered & set(i.item_ids)) or ", ".join(
        f"{i.id} {i.version}" for i in form.instruments
    )


def import_feedback(engine: Engine, source: str | Path | pd.DataFrame, *, file: str | None = None) -> dict:
    """Import contacts from a table ``client,unit,clinician,contact,date,fu_*,fs_*``; all or nothing.

    Contacts already stored (same unit, client and contact number) are skipped. Returns
    ``{"stored": n, "skipped": n}``.
    """
    from scoring.responses.reading import read_table

    if isinstance(source, pd.DataFrame):
        table = source.reset_index(drop=True).copy()
    else:
        file = file or str(source)
        table = read_table(source, text_columns=("client",))
    missing = [c for c in CONTACT_COLUMNS if c not in table.columns]
    if missing:
        raise UserError([Problem(f"column '{c}' is missing (expected {', '.join(CONTACT_COLUMNS)} and item columns)", file=file) for c in missing])
    form = feedback_form()
    present = [inst for inst in form.instruments if any(i in table.columns for i in inst.item_ids)]
    clients = _id_text(table["client"])
    problems = _client_problems(clients, file)
    identities = national_id_problems(table, {"client": "the client id", "clinician": "the clinician", "unit": "the unit"}, file=file)
    problems += identities
    contacts, contact_problems = _contact_numbers(table["contact"], file)
    problems += contact_problems
    dates = pd.to_datetime(table["date"].astype("string"), errors="coerce", format="ISO8601")
    for row in np.flatnonzero(dates.isna().to_numpy()):
        problems.append(Problem(f"not a date: {table['date'].iloc[row]!r} (use YYYY-MM-DD)", file=file, row=row + 1, path="date"))
    units = table["unit"].astype("string").str.strip().fillna("")
    problems += _unit_problems(engine, units, {p.row for p in identities if p.path == "unit"}, file)
    problems += text_cells(table["clinician"].astype("string").str.strip(), FeedbackContact.__table__.c.clinician, file=file, path="clinician")
    repeated = pd.DataFrame({"unit": units, "client": clients, "contact": contacts}).duplicated(keep="first") & contacts.notna()
    for row in np.flatnonzero(repeated.to_numpy()):
        problems.append(Problem(f"contact {int(contacts.iloc[row])} of client '{clients.iloc[row]}' in unit '{units.iloc[row]}' is in the file twice", file=file, row=row + 1, path="contact"))
    coded_items, item_problems = _coded_items(table, present, file)
    problems += item_problems
    raise_problems(problems, file or "the feedback table")

    clinicians = table["clinician"].astype("string").str.strip().fillna("")
    item_frame = pd.DataFrame(coded_items)
    records = []
    for idx in range(len(table)):
        answers = {k: (int(v) if v == int(v) else round(float(v), 10)) for k, v in item_frame.iloc[idx].items() if not np.isnan(v)}
        records.append(
            dict(
                unit_id=units.iloc[idx], client=clients.iloc[idx], clinician=clinicians.iloc[idx], contact=int(contacts.iloc[idx]),
                contact_on=dates.iloc[idx].date(), instrument_versions=_versions(form, answers), answers=answers,
            )
        )
    with write_transaction(engine) as conn:
        stored = {
            (r.unit_id, r.client, r.contact)
            for r in conn.execute(select(FeedbackContact.unit_id, FeedbackContact.client, FeedbackContact.contact))
        }
        new = [r for r in records if (r["unit_id"], r["client"], r["contact"]) not in stored]
        if new:
            conn.execute(FeedbackContact.__table__.insert(), new)
    return {"stored": len(new), "skipped": len(records) - len(new)}


def _client_problems(clients: pd.Series, file: str | None) -> list[Problem]:
    problems = []
    for row, client in enumerate(clients, start=1):
        if not client:
            problems.append(Problem("the client id is blank", file=file, row=row, path="client"))
        elif _client_problem(client):
            problems.append(Problem(_client_problem(client), file=file, row=row, path="client"))
    return problems


def _contact_numbers(column: pd.Series, file: str | None) -> tuple[pd.Series, list[Problem]]:
    """The contact numbers (NaN where not a whole number from 1) and the problems with them."""
    problems = []
    # TRUE/FALSE (a CSV column of TRUE is read as booleans) is not a contact number, never 1 or 0.
    truth = column.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
    contacts = pd.to_numeric(column.where(~truth), errors="coerce")
    for row in np.flatnonzero(truth):
        problems.append(Problem("TRUE/FALSE is not a contact number (a whole number from 1)", file=file, row=row + 1, path="contact"))
    for row in np.flatnonzero((~truth & (contacts.isna() | (contacts < 1) | (contacts != contacts.round()))).to_numpy()):
        problems.append(Problem(f"contact must be a whole number from 1, not {column.iloc[row]!r}", file=file, row=row + 1, path="contact"))
    for row in np.flatnonzero((contacts > INT_MAX).to_numpy()):
        problems.append(Problem(int_problem(int(contacts.iloc[row])), file=file, row=row + 1, path="contact"))
    return contacts, problems


def _unit_problems(engine: Engine, units: pd.Series, flagged_rows: set, file: str | None) -> list[Problem]:
    """Units not stored; rows whose unit was refused as a national id are said already."""
    with engine.connect() as conn:
        known = set(conn.execute(select(Unit.id)).scalars())
    return [
        Problem(f"unknown unit '{units.iloc[row]}'", file=file, row=row + 1, path="unit")
        for row in np.flatnonzero((~units.isin(known)).to_numpy())
        if row + 1 not in flagged_rows
    ]


def _coded_items(table: pd.DataFrame, present, file: str | None) -> tuple[dict[str, pd.Series], list[Problem]]:
    """The items of each instrument in the file, coded against it, and the problems found."""
    coded_items: dict[str, pd.Series] = {}
    problems: list[Problem] = []
    with_ids = table.assign(__row=np.arange(1, len(table) + 1))
    for inst in present:
        try:
            coded = code_responses(with_ids[["__row", *[i for i in inst.item_ids if i in table.columns]]], inst, id_column="__row", file=file)
        except UserError as err:
            problems += err.problems
            continue
        for item in inst.item_ids:
            coded_items[item] = coded.items[item]
    return coded_items, problems


def _id_text(values: pd.Series) -> pd.Series:
    """Ids as text: whole numbers without ``.0`` (as Excel and SPSS store them), blanks as ``""``."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return pd.Series([str(int(v)) if pd.notna(v) and v == int(v) else ("" if pd.isna(v) else str(v)) for v in values], index=values.index)
    return values.astype("string").str.strip().fillna("")


def read_feedback(engine: Engine, *, units: Iterable[str] | None = None, clinician: str | None = None) -> pd.DataFrame:
    """Contacts in the layout of ``feedback.csv``: client, unit, clinician, contact, date, items."""
    conditions = []
    if units is not None:
        conditions.append(FeedbackContact.unit_id.in_(list(units)))
    if clinician is not None:
        conditions.append(FeedbackContact.clinician == clinician)
    return read_contacts(engine, *conditions)


def read_contacts(engine: Engine, *conditions) -> pd.DataFrame:
    """The contacts meeting every SQL condition on :class:`FeedbackContact`, in the layout of
    ``feedback.csv`` (:func:`read_feedback`; scoped reads in :mod:`scoring.store.caseload`)."""
    query = select(
        FeedbackContact.client,
        FeedbackContact.unit_id,
        FeedbackContact.clinician,
        FeedbackContact.contact,
        cast(FeedbackContact.contact_on, Text),
        cast(FeedbackContact.answers, Text),
    ).order_by(FeedbackContact.unit_id, FeedbackContact.client, FeedbackContact.contact)
    for condition in conditions:
        query = query.where(condition)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    items = list(feedback_form().items)
    if not rows:
        return pd.DataFrame(columns=[*CONTACT_COLUMNS, *items])
    clients, unit_ids, clinicians, contacts, dates, answers = zip(*rows)
    frame = pd.DataFrame(
        {
            "client": clients,
            "unit": unit_ids,
            "clinician": clinicians,
            "contact": np.asarray(contacts, dtype=np.int64),
            "date": pd.to_datetime(pd.Series(dates).str.slice(0, 10), format="%Y-%m-%d"),
        }
    )
    values = pd.DataFrame.from_records(json.loads("[" + ",".join(answers) + "]"), columns=items).astype(float)
    return pd.concat([frame, values], axis=1)
