"""``samklima posters``: one A4 QR poster per unit of a round."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from scoring.errors import UserError


def posters(
    round_name: str = typer.Option(..., "--round", help="The round."),
    pdf: Path = typer.Option(..., "--pdf", help="The PDF to write."),
    units: str | None = typer.Option(None, "--units", help="Only these unit ids (comma-separated)."),
) -> None:
    """A poster per unit with its QR code (the unit link), unit name, closing date and a short nb/en text."""
    from scoring.formats.pdf import Poster, posters_pdf, writable_pdf
    from scoring.store.addresses import public_base
    from scoring.store.db import ready_engine
    from scoring.store.organisation import read_units
    from scoring.store.round_dates import require_dates
    from scoring.store.rounds import make_links, round_info, round_row
    from scoring.store.submit import load_form

    writable_pdf(pdf)
    engine = ready_engine()
    require_dates(engine, round_name, "posters")
    found = make_links(engine, round_name, base_url=public_base(engine))
    if units:
        wanted = [u.strip() for u in units.split(",") if u.strip()]
        outside = [u for u in wanted if u not in {link.unit for link in found}]
        if outside or not wanted:
            raise UserError.single(f"not units of round '{round_name}': {', '.join(outside) or '(none named)'}", path="--units")
        found = [link for link in found if link.unit in set(wanted)]
    names = read_units(engine).set_index("unit")["name"]
    info = round_info(engine, round_name)
    with engine.connect() as conn:
        rnd = round_row(conn, round_name)
        form = load_form(conn, rnd.id, rnd.form_hash)
    posters_pdf(
        pdf, round_name=round_name, posters=[Poster(str(names.get(link.unit, link.unit)), link.url) for link in found],
        closes=dt.date.fromisoformat(info.closes) if info.closes else None,
        titles=[inst.title.get("nb", inst.id) for inst in form.instruments],
    )
    typer.echo(f"{pdf}: {len(found)} poster(s) for round {round_name}", err=True)


def register(app: typer.Typer) -> None:
    app.command("posters")(posters)
