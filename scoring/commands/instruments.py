"""``samklima instruments``: list the bundled instruments."""

from __future__ import annotations

import typer


def instruments(as_json: bool = typer.Option(False, "--json", help="Print a JSON list.")) -> None:
    """List the bundled instruments (id, version, status, scales and items)."""
    from scoring.formats.tables import json_text
    from scoring.instrument.catalog import bundled_all

    found = bundled_all()
    if as_json:
        typer.echo(json_text([inst.summary() for inst in found]))
        return
    for inst in found:
        typer.echo(
            f"{inst.id:<20} v{inst.version:<8} {inst.status:<12} {len(inst.items):>3} items "
            f"{len(inst.scales):>3} scales  {inst.title.get('nb', '')} / {inst.title.get('en', '')}"
        )


def register(app: typer.Typer) -> None:
    app.command("instruments")(instruments)
