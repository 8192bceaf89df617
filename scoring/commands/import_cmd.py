"""``samklima import-responses`` and ``import-feedback``: answers collected elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from scoring.store.bulk import import_responses
from scoring.store.db import ready_engine
from scoring.store.feedback import import_feedback
from scoring.tables import write_table


def import_responses_cmd(
    file: Path = typer.Argument(..., help="Responses (.csv, .xlsx or .sav) with item ids as column names."),
    round_name: str = typer.Option(..., "--round", help="The round the answers belong to."),
    keep_good: Path | None = typer.Option(None, "--keep-good", help="Store the good rows and write the bad ones here (.csv or .xlsx)."),
    id_column: str | None = typer.Option(None, "--id", help="The response id column (default: response, response_id or id)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Validate every answer against the round's instruments and store the responses in one
    transaction. Nothing is stored if any row is bad, unless --keep-good is given."""
    result = import_responses(ready_engine(), round_name, file, keep_good=keep_good is not None, id_column=id_column)
    if keep_good is not None and result.bad is not None and len(result.bad):
        write_table(result.bad, keep_good)
    if as_json:
        payload = result.to_dict() | {"bad_file": str(keep_good) if result.bad is not None and len(result.bad) else None}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        typer.echo(f"{file}: " + result.summary())
        if result.bad is not None and len(result.bad):
            typer.echo(f"the bad rows, with their problems, are in {keep_good}")


def import_feedback_cmd(file: Path = typer.Argument(..., help="Contacts: client,unit,clinician,contact,date and fu_/fs_ items.")) -> None:
    """Import client-feedback contacts; all or nothing. Client ids that look like a national
    identity number are refused."""
    result = import_feedback(ready_engine(), file)
    typer.echo(f"{file}: {result['stored']} contact(s) stored, {result['skipped']} already stored")


def register(app: typer.Typer) -> None:
    app.command("import-responses")(import_responses_cmd)
    app.command("import-feedback")(import_feedback_cmd)
