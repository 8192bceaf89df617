"""``samklima xlsform``: an instrument (or a round's questionnaire) as an XLSForm for ODK/KoBoToolbox."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from scoring.errors import UserError


def xlsform(
    out: Path = typer.Option(..., "--out", help="The XLSForm workbook to write (.xlsx)."),
    instrument: list[str] = typer.Option([], "--instrument", "-i", help="Instrument id or YAML path (repeat for several)."),
    round_name: str | None = typer.Option(
        None, "--round", help="Use this round's frozen instruments (unless --instrument is given) and offer its units and "
        "the partner services as choices.",
    ),  # fmt: skip
    background: bool = typer.Option(True, "--background/--no-background", help="Ask role, tenure and position size."),
    as_json: bool = typer.Option(False, "--json", help="Print form_id, version and counts as JSON."),
) -> None:
    """Write an XLSForm for offline tablets: one group per scale, select_one lists with the
    "vet ikke" code, labels in every language, and a settings sheet (form_id, version). Upload
    it to ODK Central or KoBoToolbox; import the CSV export with `samklima import FILE --round NAME`."""
    from scoring.formats.tables import json_text
    from scoring.formats.xlsform import build_xlsform
    from scoring.instrument.catalog import resolve

    units = partners = None
    form_id = version = None
    instruments = [resolve(i) for i in instrument]
    if round_name is not None:
        from sqlalchemy import select

        from scoring.store.db import ready_engine
        from scoring.store.models import RoundUnit
        from scoring.store.organisation import read_units
        from scoring.store.rounds import round_row
        from scoring.store.submit import load_form

        engine = ready_engine()
        with engine.connect() as conn:
            rnd = round_row(conn, round_name)
            form = load_form(conn, rnd.id, rnd.form_hash)
            in_round = set(conn.execute(select(RoundUnit.unit_id).where(RoundUnit.round_id == rnd.id)).scalars())
        table = read_units(engine)
        units = [(u, n) for u, n in zip(table["unit"], table["name"]) if u in in_round]
        eligible = table[table["unit_type"] != "team"]
        ordered = [*eligible[eligible["unit_type"] == "partner"].itertuples(), *eligible[eligible["unit_type"] != "partner"].itertuples()]
        partners = [(r.unit, r.name) for r in ordered]
        if not instruments:
            instruments = list(form.instruments)
            version = f"{'_'.join(i.version for i in instruments)}_{rnd.form_hash[:8]}"
        form_id = "samklima_" + re.sub(r"[^A-Za-z0-9_]", "_", rnd.name)
    if not instruments:
        raise UserError.single("name an instrument (--instrument) or a round (--round)", path="--instrument")
    sheet = build_xlsform(instruments, units=units, partners=partners, background=background, form_id=form_id, version=version)
    sheet.write(out)
    if as_json:
        typer.echo(json_text(sheet.to_dict() | {"file": str(out)}))
    else:
        info = sheet.to_dict()
        typer.echo(f"{out}: XLSForm {info['form_id']} version {info['version']}, {info['questions']} questions in {info['groups']} groups")


def register(app: typer.Typer) -> None:
    app.command("xlsform")(xlsform)
