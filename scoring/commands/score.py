"""``samklima score``: scale scores for every response in a table."""

from __future__ import annotations

import sys
from pathlib import Path

import typer


def score(
    data: Path = typer.Argument(..., help="Responses: .csv, .xlsx or .sav, one row per response."),
    instrument: str = typer.Option(..., "--instrument", "-i", help="Bundled instrument id or path to a YAML file."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write here (.csv, .xlsx or .sav); default: CSV on stdout."),
    id_column: str | None = typer.Option(None, "--id", help="The response id column (default: response, response_id or id)."),
) -> None:
    """Score every scale of INSTRUMENT for each response in DATA.

    Reverse keys, missing codes, the minimum-answered rule and the scoring rule come from the
    instrument. Columns that are not items are passed through.
    """
    import pandas as pd

    from scoring.formats.tables import write_csv, write_table
    from scoring.instrument.catalog import resolve
    from scoring.responses.reading import code_responses, read_table
    from scoring.responses.scores import score_scales

    inst = resolve(instrument)
    table = read_table(data)
    coded = code_responses(table, inst, id_column=id_column, file=str(data))
    scores = score_scales(coded.items, inst)
    result = pd.concat([coded.other, scores], axis=1)
    if out is None:
        write_csv(result, sys.stdout.buffer)
    else:
        write_table(result, out)
        typer.echo(f"{out}: {len(result)} responses, {len(scores.columns)} scales", err=True)


def register(app: typer.Typer) -> None:
    app.command("score")(score)
