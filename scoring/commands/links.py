"""``samklima links``: the public answer link of every unit in a round."""

from __future__ import annotations

import typer


def links(
    round_name: str = typer.Option(..., "--round", help="The round."),
    as_json: bool = typer.Option(False, "--json", help="Print [{unit, url, token}] as JSON."),
) -> None:
    """Print (creating if needed) each unit's link; the address comes from SAMKLIMA_PUBLIC_URL
    (refused outside the demo while it is unset or points at localhost)."""
    from scoring.formats.tables import json_text
    from scoring.store.addresses import public_base
    from scoring.store.db import ready_engine
    from scoring.store.round_dates import require_dates
    from scoring.store.rounds import make_links

    engine = ready_engine()
    require_dates(engine, round_name, "links")
    found = make_links(engine, round_name, base_url=public_base(engine))
    if as_json:
        typer.echo(json_text([link.to_dict() for link in found]))
    else:
        for link in found:
            typer.echo(f"{link.unit}\t{link.url}")


def register(app: typer.Typer) -> None:
    app.command("links")(links)
