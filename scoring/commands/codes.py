"""``samklima codes``: one-time codes for a unit, as slips to cut out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from scoring.store.db import ready_engine
from scoring.store.organisation import read_units
from scoring.store.rounds import make_codes, round_info
from scoring.store.tokens import ANSWER_PATH, code_url, public_url


def codes(
    round_name: str = typer.Option(..., "--round", help="The round."),
    unit: str = typer.Option(..., "--unit", help="The unit the codes are for."),
    count: int = typer.Option(..., "--count", help="How many codes."),
    pdf: Path | None = typer.Option(None, "--pdf", help="Write code slips (QR code + code) to this PDF; without it the codes are printed."),
) -> None:
    """Make one-time codes. Only their hashes are stored: this is the one chance to print them."""
    engine = ready_engine()
    made = make_codes(engine, round_name, unit, count)
    if pdf is None:
        typer.echo("\n".join(made))
        return
    from scoring.export.pdf import code_slips_pdf

    info = round_info(engine, round_name)
    names = read_units(engine).set_index("unit")["name"]
    code_slips_pdf(
        pdf, round_name=round_name, unit_name=str(names.get(unit, unit)), codes=made, urls=[code_url(c) for c in made],
        answer_url=public_url() + ANSWER_PATH, closes=dt.date.fromisoformat(info.closes) if info.closes else None,
    )
    typer.echo(f"{pdf}: {len(made)} code slip(s) for {unit} in round {round_name}", err=True)


def register(app: typer.Typer) -> None:
    app.command("codes")(codes)
