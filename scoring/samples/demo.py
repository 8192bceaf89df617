"""Filling a database with the sample organisation (``samklima demo``, ``make run`` on first start).

By default the committed ``sample_data/`` set is loaded, so the demo database holds exactly the
sample files: its units, one round per distinct ``round`` value (instruments samhandlingsklima
and medbestemmelse; every round closed except the latest), every answer, the headcounts, the
client-feedback contacts, and five demo accounts with the password ``demo``: ``admin``,
``koordinator`` (coordinator), ``leder`` (manager of one tjenesteområde), ``forsker`` (researcher) and ``kliniker``
(clinician, with the first clinician id of the feedback data).

The database is marked as the demo (:func:`scoring.store.settings.mark_demo`): only there do
demo accounts exist, does the login page say "demo", and may respondent addresses point at
``localhost``. Outside the demo no account is ever made for you: the first administrator is
made with ``samklima users add``; and a database that has accounts but is not the demo is
refused, so the demo accounts never land in a real organisation's database.

Loading is idempotent: units and headcounts are updated in place, existing rounds, responses
(keyed by round and response id), contacts and accounts are left alone, so running it twice
stores everything once.

The sample has no answer dates; each response gets a date inside its round's fieldwork window,
derived from its id (deterministic). A round label ``YYYY-N`` opens on the 1st of March (N = 1)
or September (N = 2) of year YYYY and closes four weeks later; the latest round stays open and
closes no earlier than four weeks from today.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from scoring.errors import UserError
from scoring.samples.generator import STAFF_INSTRUMENTS
from scoring.store.accounts import create_account
from scoring.store.bulk import import_responses
from scoring.store.db import migrate
from scoring.store.feedback import import_feedback
from scoring.store.models import Round, User
from scoring.store.organisation import import_units, leaf_units
from scoring.store.rounds import close_round, create_round, import_headcount
from scoring.store.settings import is_demo, mark_demo

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
DEMO_PASSWORD = "demo"
FIELDWORK_DAYS = 28


@dataclass
class DemoTables:
    units: pd.DataFrame
    responses: pd.DataFrame
    feedback: pd.DataFrame
    headcount: pd.DataFrame


def sample_tables(respondents: int | None = None, units: int | None = None, seed: int | None = None) -> DemoTables:
    """The committed sample set, or a generated one when any option is given (or no files)."""
    files = {name: SAMPLE_DIR / f"{name}.csv" for name in ("units", "responses", "feedback", "headcount")}
    if respondents is None and units is None and seed is None and all(p.exists() for p in files.values()):
        text = dict(dtype=str, keep_default_na=False)
        return DemoTables(
            units=pd.read_csv(files["units"], **text),
            responses=pd.read_csv(files["responses"], keep_default_na=False, na_values=[""], dtype={"response": str, "unit": str, "round": str, "sk_partner": str, "tenure": str, "position": str}),
            feedback=pd.read_csv(files["feedback"], keep_default_na=False, na_values=[""], dtype={"client": str, "unit": str, "clinician": str}),
            headcount=pd.read_csv(files["headcount"], **text),
        )
    from scoring.samples.generator import generate_sample

    options = {k: v for k, v in dict(respondents=respondents, units=units, seed=seed).items() if v is not None}
    data = generate_sample(**options)
    return DemoTables(data.units, data.responses, data.feedback, data.headcount)


def round_window(label: str) -> tuple[dt.date | None, dt.date | None]:
    """Fieldwork dates for a round label ``YYYY-N`` (None, None if it has another form)."""
    match = re.fullmatch(r"(\d{4})-(\d+)", label)
    if not match:
        return None, None
    year, term = int(match.group(1)), int(match.group(2))
    opens = dt.date(year, min(12, 3 + 6 * (term - 1)), 1)
    return opens, opens + dt.timedelta(days=FIELDWORK_DAYS - 1)


def load_demo(engine: Engine, tables: DemoTables | None = None, *, today: dt.date | None = None) -> dict:
    """Migrate ``engine``'s database and load the demo organisation; returns what was stored."""
    today = today or dt.date.today()
    tables = tables or sample_tables()
    migrate(engine)
    if not is_demo(engine):
        with engine.connect() as conn:
            if conn.execute(select(User.id)).first() is not None:
                raise UserError.single(
                    "this database has accounts and is not the demo: the demo (its accounts with the password 'demo', "
                    "its answers) is never loaded into a real organisation's database; use an empty database",
                    path="SAMKLIMA_DATABASE_URL",
                )
    mark_demo(engine)
    summary: dict = {"units": import_units(engine, tables.units, file="units.csv")}
    labels = sorted(tables.responses["round"].astype(str).unique())
    with engine.connect() as conn:
        existing = set(conn.execute(select(Round.name)).scalars())
    surveyed = leaf_units(tables.units.fillna(""))
    created = []
    for label in labels:
        if label in existing:
            continue
        opens, closes = round_window(label)
        latest = label == labels[-1]
        if latest:
            closes = max(closes or today, today + dt.timedelta(days=FIELDWORK_DAYS))
        in_round = tables.responses.loc[tables.responses["round"].astype(str) == label, "unit"].astype(str)
        counted = tables.headcount.loc[tables.headcount["round"].astype(str) == label, "unit"].astype(str)
        round_units = list(dict.fromkeys([*surveyed, *in_round, *counted]))
        create_round(engine, label, list(STAFF_INSTRUMENTS), round_units, opens=opens, closes=closes, today=opens or today)
        created.append(label)
    summary["rounds_created"] = created
    summary["headcount"] = import_headcount(engine, tables.headcount, file="headcount.csv")
    stored = skipped = 0
    for label in labels:
        rows = tables.responses[tables.responses["round"].astype(str) == label].reset_index(drop=True)
        result = import_responses(engine, label, rows, file="responses.csv", origin="demo", dates=_dates(rows, label, today))
        stored += result.stored
        skipped += result.skipped
    summary["responses"] = {"stored": stored, "skipped": skipped}
    summary["feedback"] = import_feedback(engine, tables.feedback, file="feedback.csv")
    for label in labels[:-1]:
        with engine.connect() as conn:
            state = conn.execute(select(Round.state).where(Round.name == label)).scalar_one()
        if label in created and state == "open":
            close_round(engine, label)
    summary["accounts"] = _accounts(engine, tables)
    return summary


def _dates(rows: pd.DataFrame, label: str, today: dt.date) -> pd.Series:
    opens, closes = round_window(label)
    if opens is None:
        return pd.Series([today] * len(rows), index=rows.index)
    last = min(closes, today) if opens <= today else closes
    span = max(1, (last - opens).days + 1)
    offsets = [zlib.crc32(str(r).encode()) % span for r in rows["response"]]
    return pd.Series([opens + dt.timedelta(days=o) for o in offsets], index=rows.index)


def _accounts(engine: Engine, tables: DemoTables) -> list[str]:
    units = tables.units.fillna("")
    area = units[units["unit_type"].str.lower().isin(["tjenesteomrade", "tjenesteområde"])]
    if area.empty:
        roots = set(units.loc[units["parent"] == "", "unit"])
        area = units[units["parent"].isin(roots) & units["unit"].isin(set(units["parent"]))]
    manager_units = [area["unit"].iloc[0]] if len(area) else list(units["unit"].iloc[:1])
    clinicians = sorted(tables.feedback["clinician"].dropna().astype(str).unique())
    clinician = clinicians[0] if clinicians else None
    clinician_units = sorted(tables.feedback.loc[tables.feedback["clinician"] == clinician, "unit"].astype(str).unique()) if clinician else []
    wanted = [
        ("admin", "admin", [], None),
        ("koordinator", "coordinator", [], None),
        ("leder", "manager", manager_units, None),
        ("forsker", "researcher", [], None),
        ("kliniker", "clinician", clinician_units, clinician),
    ]
    with engine.connect() as conn:
        existing = set(conn.execute(select(User.username)).scalars())
    created = []
    for username, role, assigned, clinician_id in wanted:
        if username not in existing:
            create_account(engine, username, DEMO_PASSWORD, role, units=assigned, clinician=clinician_id)
            created.append(username)
    return created
