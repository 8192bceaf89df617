"""``samklima round create|close|prepare|list|status``: survey rounds."""

from __future__ import annotations

import typer

from scoring.commands._options import iso_date

round_app = typer.Typer(help="Survey rounds: create, close, prepare the results, list, follow response rates.", no_args_is_help=True, rich_markup_mode=None)


@round_app.command("create")
def create(
    name: str = typer.Option(..., "--name", help="Name of the round, e.g. 2026-1."),
    instrument: list[str] = typer.Option(..., "--instrument", help="Bundled instrument id or YAML path; repeat for several."),
    units: str = typer.Option("all", "--units", help="'all' (every surveyed team) or unit ids separated by commas."),
    opens: str | None = typer.Option(None, "--opens", help="First day (YYYY-MM-DD); required."),
    closes: str | None = typer.Option(None, "--closes", help="Last day (YYYY-MM-DD); required."),
    mode: str = typer.Option("anonymous", "--mode", help="anonymous (unit links) or codes (one-time codes)."),
    min_n: int = typer.Option(5, "--min-n", help="Fewest answers a unit needs before its results are shown (never below 3)."),
    language: list[str] = typer.Option([], "--language", help="Languages offered (default: all the instruments share)."),
    as_json: bool = typer.Option(False, "--json", help="Print the round as JSON."),
) -> None:
    """Create an open round; the instruments' definitions are stored with it."""
    from scoring.formats.tables import json_text
    from scoring.store.db import ready_engine
    from scoring.store.round_dates import check_dates
    from scoring.store.rounds import create_round

    first, last = iso_date(opens, "--opens"), iso_date(closes, "--closes")
    check_dates(first, last)  # posters, slips and paper forms print the closing date
    info = create_round(
        ready_engine(), name, instrument, units, opens=first, closes=last,
        mode=mode, min_n=min_n, languages=language or None,
    )
    typer.echo(json_text(info.to_dict()) if as_json else f"created: {info.summary()}")


@round_app.command("dates")
def dates(
    name: str = typer.Argument(..., help="The round."),
    opens: str = typer.Option(..., "--opens", help="First day (YYYY-MM-DD)."),
    closes: str = typer.Option(..., "--closes", help="Last day (YYYY-MM-DD)."),
) -> None:
    """Set a round's first and last day (needed before links, posters, code slips and paper forms)."""
    from scoring.store.db import ready_engine
    from scoring.store.round_dates import set_dates

    typer.echo(f"dates set: {set_dates(ready_engine(), name, iso_date(opens, '--opens'), iso_date(closes, '--closes')).summary()}")


@round_app.command("close")
def close(name: str = typer.Argument(..., help="The round to close.")) -> None:
    """Close a round: its links and codes stop working."""
    from scoring.store.db import ready_engine
    from scoring.store.rounds import close_round

    typer.echo(f"closed: {close_round(ready_engine(), name).summary()}")
    typer.echo(f"next: samklima round prepare {name}  (every manager's results and every unit report made ready)")


@round_app.command("prepare")
def prepare(
    name: str = typer.Argument(..., help="The round (usually just closed)."),
    workers: int = typer.Option(0, "--workers", min=0, help="Processes that cut scopes (0: one per core, at most 4)."),
) -> None:
    """Make the round's results ready: decide it for the whole organisation and store every
    manager's and every unit report's view of it, so that the dashboard and `samklima report
    --all-units` only read. Run after closing a round; again, it makes only what is missing."""
    from scoring.commands._progress import progress
    from scoring.store.db import ready_engine
    from scoring.store.prepare import Preparation

    job = Preparation(ready_engine(), name)
    with progress("views and verdicts", total=job.steps, unit="step") as step:
        done = job.run(workers or None, step)
    typer.echo(f"prepared: {done.summary()}")


@round_app.command("reopen")
def reopen(name: str = typer.Argument(..., help="The round to open again.")) -> None:
    """Open a closed round again."""
    from scoring.store.db import ready_engine
    from scoring.store.rounds import reopen_round

    typer.echo(f"open: {reopen_round(ready_engine(), name).summary()}")


@round_app.command("refresh")
def refresh(name: str = typer.Argument(..., help="A round without answers.")) -> None:
    """Store the instruments' current YAML definitions in a round that has no answers yet."""
    from scoring.store.db import ready_engine
    from scoring.store.rounds import refresh_instruments

    typer.echo(f"refreshed: {refresh_instruments(ready_engine(), name).summary()}")


@round_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print a JSON list.")) -> None:
    """Rounds with instruments, state and counts (units, responses, invited, response rate)."""
    from scoring.formats.tables import json_text
    from scoring.store.db import ready_engine
    from scoring.store.rounds import list_rounds

    rounds = list_rounds(ready_engine())
    if as_json:
        typer.echo(json_text([r.to_dict() for r in rounds]))
    elif not rounds:
        typer.echo("no rounds yet (samklima round create)")
    else:
        for info in rounds:
            typer.echo(info.summary())


@round_app.command("status")
def status(
    name: str = typer.Argument(..., help="The round."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list."),
) -> None:
    """Responses, invited staff and response rate per unit."""
    from scoring.formats.tables import frame_records, json_text
    from scoring.store.db import ready_engine
    from scoring.store.rounds import round_status

    frame = round_status(ready_engine(), name)
    if as_json:
        typer.echo(json_text(frame_records(frame)))
    else:
        typer.echo(frame.to_string(index=False))


def register(app: typer.Typer) -> None:
    app.add_typer(round_app, name="round")
