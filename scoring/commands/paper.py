"""``samklima paper``: a printable questionnaire for a unit."""

from __future__ import annotations

from pathlib import Path

import typer

from scoring.errors import UserError


def paper(
    round_name: str = typer.Option(..., "--round", help="The round."),
    unit: str = typer.Option(..., "--unit", help="The unit printed on the form."),
    pdf: Path = typer.Option(..., "--pdf", help="The PDF to write."),
    language: str = typer.Option("nb", "--language", help="nb, nn or en."),
) -> None:
    """The background questions and every item of the round's instruments, with boxes for the
    codes and for "vet ikke"."""
    from scoring.formats.pdf import paper_form_pdf
    from scoring.store.addresses import unit_link_for_paper
    from scoring.store.db import ready_engine
    from scoring.store.organisation import read_units
    from scoring.store.round_dates import require_dates
    from scoring.store.rounds import round_row
    from scoring.store.submit import load_form

    engine = ready_engine()
    require_dates(engine, round_name, "paper forms")
    names = read_units(engine).set_index("unit")["name"]
    if unit not in names.index:
        raise UserError.single(f"unknown unit '{unit}'", path="--unit")
    with engine.connect() as conn:
        rnd = round_row(conn, round_name)
        form = load_form(conn, rnd.id, rnd.form_hash)
    online = unit_link_for_paper(engine, round_name, unit)
    paper_form_pdf(
        pdf, round_name=round_name, unit=unit, unit_name=str(names[unit]), instruments=form.instruments, language=language, online_url=online,
    )
    typer.echo(f"{pdf}: paper form for {unit} in round {round_name} ({len(form.items)} items)", err=True)


def register(app: typer.Typer) -> None:
    app.command("paper")(paper)
