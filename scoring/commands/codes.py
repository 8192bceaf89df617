"""``samklima codes``: one-time codes for a unit, as slips to cut out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer


def codes(
    round_name: str = typer.Option(..., "--round", help="The round."),
    unit: str = typer.Option(..., "--unit", help="The unit the codes are for."),
    count: int = typer.Option(..., "--count", help="How many codes."),
    pdf: Path | None = typer.Option(None, "--pdf", help="Write code slips (QR code + code) to this PDF; without it the codes are printed."),
) -> None:
    """Make one-time codes. Only their hashes are stored: this is the one chance to print them.
    With --pdf the codes are stored only once their slips are written: a failure stores none."""
    from scoring.store.addresses import public_base
    from scoring.store.db import ready_engine
    from scoring.store.organisation import read_units
    from scoring.store.round_dates import require_dates
    from scoring.store.rounds import make_codes, round_info
    from scoring.store.tokens import ANSWER_PATH, code_url

    engine = ready_engine()
    require_dates(engine, round_name, "codes")
    if pdf is None:
        typer.echo("\n".join(make_codes(engine, round_name, unit, count)))
        return
    from scoring.formats.atomic import replacing
    from scoring.formats.pdf import code_slips_pdf, writable_pdf

    writable_pdf(pdf)
    base = public_base(engine)
    info = round_info(engine, round_name)
    names = read_units(engine).set_index("unit")["name"]
    with replacing(pdf) as temp:  # in place only when the codes are printed and stored
        made = make_codes(
            engine, round_name, unit, count,
            write=lambda new: code_slips_pdf(
                temp, round_name=round_name, unit_name=str(names.get(unit, unit)), codes=new, urls=[code_url(c, base) for c in new],
                answer_url=base + ANSWER_PATH, closes=dt.date.fromisoformat(info.closes) if info.closes else None,
            ),
        )  # fmt: skip
    typer.echo(f"{pdf}: {len(made)} code slip(s) for {unit} in round {round_name}", err=True)


def register(app: typer.Typer) -> None:
    app.command("codes")(codes)
