"""``samklima schema``: print the JSON Schema of the instrument format."""

from __future__ import annotations

import json

import typer

from scoring.instrument import instrument_json_schema


def schema() -> None:
    """Print the JSON Schema of instrument files (committed as instruments/schema.json)."""
    typer.echo(json.dumps(instrument_json_schema(), ensure_ascii=False, indent=2))


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
