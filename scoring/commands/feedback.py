"""``samklima feedback report``: client trajectories, reliable change, alerts and unit figures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from scoring.errors import UserError, check_choice
from scoring.feedback.defaults import CRITERIA, DEFAULT_NO_CHANGE_AFTER, DEFAULT_VISIT_DROP, LANGUAGES, MIN_CLIENTS, MIN_CONTACTS
from scoring.privacy.thresholds import DEFAULT_MIN_N

if TYPE_CHECKING:
    import pandas as pd

feedback_app = typer.Typer(
    help="Client feedback (ORS/SRS-like): trajectories, reliable change, alerts and unit figures.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@feedback_app.command("report")
def report(
    data: Path | None = typer.Argument(
        None, help="Contacts in the feedback.csv layout (client, unit, clinician, contact, date, fu_*, fs_*); leave out to read the database."
    ),
    round_name: str | None = typer.Option(None, "--round", help="From the database: the report as it stood when this round closed."),
    db: str | None = typer.Option(None, "--db", help="Read the contacts from this database (default: SAMKLIMA_DATABASE_URL or the SQLite file in the data dir)."),
    client: str | None = typer.Option(None, "--client", help="Report on this client id."),
    unit: str | None = typer.Option(None, "--unit", help="Report on the clients of this unit (with --units: and the units below it)."),
    all_clients: bool = typer.Option(False, "--all", help="Report on every client."),
    rxx: float | None = typer.Option(None, "--rxx", help="Reliability for reliable change (instead of the instrument's or the intake data's)."),
    sd: float | None = typer.Option(None, "--sd", help="SD for reliable change (instead of the instrument's or the intake data's)."),
    reliability_from: str = typer.Option("auto", "--reliability-from", help="instrument, intake (alpha and SD at intake) or auto (instrument if stored)."),
    criterion: str = typer.Option("cutoff", "--criterion", help="Point for 'recovered': cutoff (stored), or Jacobson & Truax a, b or c."),
    min_n: int = typer.Option(DEFAULT_MIN_N, "--min-n", help="Hide units with fewer clients than this (at least 3)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Reference date for drop-out, YYYY-MM-DD (default: the last date in the data)."),
    dropout_weeks: float = typer.Option(6.0, "--dropout-weeks", help="Weeks without a contact, below the cut-off, that count as drop-out."),
    no_change_after: int = typer.Option(DEFAULT_NO_CHANGE_AFTER, "--no-change-after", help="Alert from this contact on while there is no reliable change."),
    visit_drop: float = typer.Option(DEFAULT_VISIT_DROP, "--visit-drop", help="Alert when the visit total drops this much from the previous visit."),
    min_clients: int = typer.Option(MIN_CLIENTS, "--min-clients", help="Clients needed for an expected trajectory."),
    min_contacts: int = typer.Option(MIN_CONTACTS, "--min-contacts", help="Outcome scores a client needs to count towards it."),
    units_file: Path | None = typer.Option(None, "--units", help="Unit tree (units.csv: unit, parent) for inner units and complementary suppression."),
    lang: str = typer.Option("nb", "--language", "--lang", help="Language of alerts and statements: nb, nn or en."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a readable report."),
) -> None:
    """Trajectories, reliable change from intake, alerts and unit figures for client feedback.

    The contacts come from DATA (a feedback.csv table) or, without it, from the database
    (--db, default the configured one), whose unit tree is then used as with --units. With
    --round NAME the report is the one of the day the round closed: contacts dated on or
    before its closing date, drop-out judged on that date (unless --as-of says otherwise).

    Reliable change uses the outcome scale's stored rxx and SD, or alpha and SD estimated from
    the service's intake data, or --rxx/--sd; the report says which. Units with fewer than
    --min-n clients show nothing but "suppressed".
    """
    from scoring.feedback.alerts import AlertRules
    from scoring.feedback.clients import feedback_settings, prepare_contacts
    from scoring.feedback.report import feedback_report
    from scoring.formats.tables import json_text
    from scoring.responses.reading import read_table

    chosen = [name for name, value in (("--client", client), ("--unit", unit), ("--all", all_clients)) if value]
    if len(chosen) != 1:
        raise UserError.single("give exactly one of --client, --unit or --all" + (f" (got {', '.join(chosen)})" if chosen else ""))
    check_choice(lang, LANGUAGES, "--language")
    check_choice(criterion, CRITERIA, "--criterion")
    reference = _date(as_of) if as_of else None
    tree = _tree(units_file) if units_file else None

    if data is not None:
        if db is not None or round_name is not None:
            raise UserError.single("give DATA or read the database with --db/--round, not both")
        contacts = prepare_contacts(read_table(data), file=str(data))
    else:
        table, db_tree, closes = _from_database(db, round_name)
        tree = db_tree if tree is None else tree
        reference = reference or closes
        contacts = prepare_contacts(table, file="the database")
        if contacts.empty:
            where = f" dated on or before {closes.date().isoformat()} (round '{round_name}' closes then)" if closes is not None else ""
            raise UserError.single(f"no client-feedback contacts in the database{where}")
    settings = feedback_settings(
        contacts,
        rxx=rxx,
        sd=sd,
        reliability_from=reliability_from,
        criterion=criterion,
        rules=AlertRules(no_change_after=no_change_after, visit_drop=visit_drop),
    )
    if not settings.reliability.usable:
        raise UserError.single(
            f"no usable reliability and SD for reliable change ({settings.reliability.reason}); give --rxx and --sd"
        )
    result = feedback_report(
        contacts,
        settings,
        client=client,
        unit=unit,
        tree=tree,
        min_n=min_n,
        as_of=reference,
        dropout_weeks=dropout_weeks,
        lang=lang,
        min_clients=min_clients,
        min_contacts=min_contacts,
    )
    if as_json:
        typer.echo(json_text(result.to_dict()))
    else:
        typer.echo(result.summary())


def _from_database(url: str | None, round_name: str | None):
    """Contacts and unit tree from the database; with a round, only contacts dated on or before
    its closing date (today while it has none), and that date."""
    import pandas as pd

    from scoring.store.db import database_url, ready_engine
    from scoring.store.feedback import read_feedback
    from scoring.store.organisation import read_units
    from scoring.store.rounds import round_row

    engine = ready_engine(url or database_url())
    closes = None
    if round_name is not None:
        with engine.connect() as conn:
            rnd = round_row(conn, round_name)
        closes = pd.Timestamp(rnd.closes or pd.Timestamp.today().date())
    table = read_feedback(engine)
    if closes is not None:
        table = table[table["date"] <= closes].reset_index(drop=True)
    units = read_units(engine)[["unit", "parent", "unit_type"]].astype(object)  # types: the publication's cells
    return table, units.where(units.notna(), None), closes


def _date(text: str) -> pd.Timestamp:
    import pandas as pd

    try:
        return pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d"))
    except (ValueError, TypeError):
        raise UserError.single(f"--as-of must be a date YYYY-MM-DD (got {text!r})") from None


def _tree(path: Path) -> pd.DataFrame:
    from scoring.responses.reading import read_table

    table = read_table(path)
    absent = [c for c in ("unit", "parent") if c not in table.columns]
    if absent:
        raise UserError.single("the unit tree needs the columns unit and parent (missing: " + ", ".join(absent) + ")", file=str(path))
    tree = table[[c for c in ("unit", "parent", "unit_type") if c in table.columns]].astype(object)
    return tree.where(tree.notna(), None)


def register(app: typer.Typer) -> None:
    app.add_typer(feedback_app, name="feedback")
