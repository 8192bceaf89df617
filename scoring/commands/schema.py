"""``samklima schema``: print the JSON Schema of the instrument format."""

from __future__ import annotations

import typer


def schema() -> None:
    """Print the JSON Schema of instrument files (committed as instruments/schema.json)."""
    from scoring.formats.tables import json_text
    from scoring.instrument.model import instrument_json_schema

    typer.echo(json_text(instrument_json_schema()))


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
