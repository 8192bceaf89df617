"""``samklima import-sav``: read an SPSS file back, check it against the instruments, store it."""

from __future__ import annotations

from pathlib import Path

import typer

from scoring.errors import UserError


def import_sav(
    file: Path = typer.Argument(..., help="An SPSS .sav file: one row per response, items named by item id."),
    instrument: list[str] = typer.Option(..., "--instrument", "-i", help="Instrument id or YAML path (repeat for several)."),
    round_name: str | None = typer.Option(None, "--round", help="Store the responses in this round; without it, only check and report."),
    id_column: str | None = typer.Option(None, "--id", help="The response id column (default: response, response_id or id)."),
    db: str | None = typer.Option(None, "--db", help="Database URL (default: SAMKLIMA_DATABASE_URL or the SQLite file in the data dir)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Read FILE (user-missing codes such as 9 = "vet ikke" kept as missing), turn unit, language
    and other coded variables back into their text from the value labels, drop the scale scores
    and reversed items (they are computed, not stored), and check every answer against the
    instruments. With --round the responses are stored in one transaction (all or nothing);
    responses already imported are skipped.
    """
    import numpy as np

    from scoring.formats.spss import read_sav_export
    from scoring.formats.tables import json_text
    from scoring.instrument.catalog import resolve
    from scoring.responses.reading import code_responses

    instruments = [resolve(i) for i in instrument]
    sav = read_sav_export(file, instruments)
    if round_name is not None and round_name in sav.source_rounds:
        raise UserError.single(
            f"this file is a Samklima export of round '{round_name}': its responses are stored there already "
            "(importing them again would count every response twice)",
            file=str(file), path="--round",
        )  # fmt: skip
    table = sav.table
    report = {
        "file": str(file),
        "responses": len(table),
        "instruments": [],
        "dropped_columns": sav.dropped,
        "warnings": sav.warnings,
        "round": round_name,
        "stored": None,
        "skipped": None,
    }
    for inst in instruments:
        coded = code_responses(table, inst, id_column=id_column, file=str(file))
        answered = int(np.count_nonzero(coded.items.notna().to_numpy()))
        user_missing = int(np.count_nonzero(coded.user_missing.to_numpy()))
        report["instruments"].append(
            {
                "id": inst.id,
                "version": inst.version,
                "items": len(inst.item_ids),
                "answers": answered,
                "user_missing": user_missing,
                "blank": int(coded.items.size) - answered - user_missing,
            }
        )
    if round_name is not None:
        from scoring.store.bulk import import_responses
        from scoring.store.db import database_url, ready_engine

        result = import_responses(ready_engine(db or database_url()), round_name, table, file=str(file), id_column=id_column)
        report.update(round=result.round, stored=result.stored, skipped=result.skipped, ignored_columns=result.ignored_columns)
    if as_json:
        typer.echo(json_text(report))
        return
    typer.echo(f"{file}: {report['responses']} responses, every answer valid")
    for entry in report["instruments"]:
        typer.echo(
            f"  {entry['id']} {entry['version']}: {entry['answers']} answers, {entry['user_missing']} user-missing, {entry['blank']} blank"
        )
    if sav.dropped:
        typer.echo("  not imported (computed from the items): " + ", ".join(sav.dropped))
    if round_name is None:
        typer.echo("  checked only; give --round NAME to store the responses")
    else:
        typer.echo(f"  round {report['round']}: {report['stored']} stored, {report['skipped']} already stored and skipped")
        if report.get("ignored_columns"):
            typer.echo("  ignored columns (not stored): " + ", ".join(report["ignored_columns"]))
    for warning in sav.warnings:
        typer.echo(f"warning: {warning}", err=True)


def register(app: typer.Typer) -> None:
    app.command("import-sav")(import_sav)
