"""``samklima responses``: a round's responses, one row per response."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from scoring.errors import check_choice


def responses(
    round_name: str = typer.Option(..., "--round", help="The round."),
    fmt: str = typer.Option("csv", "--format", help="csv or json."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write here (.csv, .xlsx, .sav) instead of stdout."),
) -> None:
    """Columns: response, unit, round, language, instrument_version, date, the fields, then the
    items as raw codes (9 = vet ikke; empty = not answered)."""
    import pandas as pd

    from scoring.formats.tables import frame_records, json_text, write_csv, write_table
    from scoring.store.db import ready_engine
    from scoring.store.read import read_responses

    check_choice(fmt, ("csv", "json"), "--format")
    frame = read_responses(ready_engine(), round_name)
    frame["date"] = frame["date"].map(lambda d: d.strftime("%Y-%m-%d") if not pd.isna(d) else None)
    if out is not None:
        write_table(frame, out)
        typer.echo(f"{out}: {len(frame)} response(s)", err=True)
    elif fmt == "json":
        typer.echo(json_text(frame_records(frame)))
    else:
        write_csv(frame, sys.stdout.buffer)


def register(app: typer.Typer) -> None:
    app.command("responses")(responses)
