"""``samklima headcount import``: invited staff per unit and round, for response rates."""

from __future__ import annotations

from pathlib import Path

import typer

headcount_app = typer.Typer(help="Invited staff per unit and round.", no_args_is_help=True, rich_markup_mode=None)


@headcount_app.command("import")
def import_(file: Path = typer.Argument(..., help="A table unit,round,invited (.csv or .xlsx).")) -> None:
    """Set the number of invited staff per unit and round (a person in two units counts in both)."""
    from scoring.store.db import ready_engine
    from scoring.store.rounds import import_headcount

    result = import_headcount(ready_engine(), file)
    typer.echo(f"{file}: {result['rows']} headcount(s) stored for round(s) {', '.join(result['rounds'])}")


def register(app: typer.Typer) -> None:
    app.add_typer(headcount_app, name="headcount")
