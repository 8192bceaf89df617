"""``samklima units import``: the organisation chart (unit tree) from units.csv."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

units_app = typer.Typer(help="The unit tree of the organisation.", no_args_is_help=True, rich_markup_mode=None)


@units_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="units.csv (.xlsx also works): unit,name,parent,unit_type."),
    organisation: str | None = typer.Option(None, "--organisation", help="Name of the organisation (default: the top unit's name)."),
) -> None:
    """Add or update units; all or nothing (unknown parents, duplicate ids and cycles are refused)."""
    from scoring.store.db import ready_engine
    from scoring.store.organisation import import_units

    result = import_units(ready_engine(), file, organisation=organisation)
    typer.echo(f"{file}: {result['added']} unit(s) added, {result['updated']} updated, {result['unchanged']} unchanged")


@units_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print a JSON list.")) -> None:
    """The stored unit tree (unit, name, parent, unit_type)."""
    from scoring.formats.tables import frame_records, json_text, write_csv
    from scoring.store.db import ready_engine
    from scoring.store.organisation import read_units

    frame = read_units(ready_engine())
    if as_json:
        typer.echo(json_text(frame_records(frame)))
    else:
        write_csv(frame, sys.stdout.buffer)


def register(app: typer.Typer) -> None:
    app.add_typer(units_app, name="units")
