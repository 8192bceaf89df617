"""``samklima import`` and ``import-feedback``: answers collected elsewhere."""

from __future__ import annotations

from pathlib import Path

import typer

from scoring.errors import UserError, check_choice


def import_cmd(
    file: Path = typer.Argument(..., help="Responses (.csv, .xlsx or .sav) with item ids as column names, or the CSV export of a Samklima XLSForm."),
    round_name: str = typer.Option(..., "--round", help="The round the answers belong to."),
    good_rows_only: bool = typer.Option(False, "--good-rows-only", help="Store the good rows even if some are bad; the bad ones go to --rejected."),
    rejected: Path | None = typer.Option(
        None, "--rejected", help="Write every bad row, with its row number and problems, here (.csv, .xlsx or .sav). "
        "Default with --good-rows-only: FILE-rejected.csv beside FILE.",
    ),  # fmt: skip
    id_column: str | None = typer.Option(None, "--id", help="The response id column (default: response, response_id or id; for an XLSForm export meta/instanceID, KEY or _uuid)."),
    layout: str = typer.Option("auto", "--layout", help="table (columns named by item id), xlsform (ODK/KoBoToolbox CSV export) or auto."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Validate every answer against the round's instruments and store the responses in one
    transaction. All or nothing: if any row is bad, every bad row is reported and nothing is
    stored, unless --good-rows-only is given (the bad rows then come back in --rejected).
    Responses already imported (same round and response id) are skipped, so a fixed file can be
    imported again."""
    import pandas as pd

    from scoring.formats.tables import json_text, write_table
    from scoring.store.bulk import LAYOUTS, ImportRefused, import_responses
    from scoring.store.db import ready_engine

    check_choice(layout, LAYOUTS, "--layout")
    if good_rows_only and rejected is None:
        rejected = file.with_name(f"{file.stem}-rejected.csv")
    if rejected is not None and rejected.resolve() == file.resolve():
        raise UserError.single("--rejected must not be the file being imported", path="--rejected")
    from scoring.commands._progress import progress

    try:
        with progress(f"import {file.name}", total=4) as step:
            result = import_responses(
                ready_engine(), round_name, file, keep_good=good_rows_only, id_column=id_column, layout=layout, progress=step
            )
    except ImportRefused as err:
        if rejected is not None:
            write_table(err.bad, rejected)
            err.summary += f" Every bad row, with its problems, is in {rejected}."
        raise
    bad = result.bad
    if rejected is not None:  # written even when empty, so the file always belongs to this run
        write_table(bad if bad is not None else pd.DataFrame(columns=["row", "problem"]), rejected)
    if as_json:
        typer.echo(json_text(result.to_dict() | {"rejected_file": str(rejected) if rejected else None}))
        return
    typer.echo(f"{file}: " + result.summary())
    if bad is not None and len(bad):
        typer.echo(f"the bad rows, with their problems, are in {rejected}")


def import_feedback_cmd(file: Path = typer.Argument(..., help="Contacts: client,unit,clinician,contact,date and fu_/fs_ items.")) -> None:
    """Import client-feedback contacts; all or nothing. Client ids that look like a national
    identity number are refused."""
    from scoring.store.db import ready_engine
    from scoring.store.feedback import import_feedback

    result = import_feedback(ready_engine(), file)
    typer.echo(f"{file}: {result['stored']} contact(s) stored, {result['skipped']} already stored")


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)
    app.command("import-responses", hidden=True)(import_cmd)
    app.command("import-feedback")(import_feedback_cmd)
