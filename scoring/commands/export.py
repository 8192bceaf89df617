"""``samklima export``: a round for researchers as SPSS, Stata, CSV, Parquet or Excel."""

from __future__ import annotations

from pathlib import Path

import typer

from scoring.errors import Problem, UserError, choice_problem


def export(
    round_name: str = typer.Option(..., "--round", help="The round to export."),
    fmt: str = typer.Option("sav", "--format", help="sav, zsav, dta, csv, parquet or xlsx."),
    out: Path = typer.Option(..., "--out", "-o", help="The data file to write; the syntax and codebook go beside it."),
    lang: str = typer.Option("nb", "--language", "--lang", help="Language of labels and notes: nb or en."),
    scores: bool = typer.Option(False, "--scores", help="Add the scale scores (named by scale id)."),
    min_n: int | None = typer.Option(None, "--min-n", help="Anonymity threshold for units (default and minimum: the round's min_n)."),
    db: str | None = typer.Option(None, "--db", help="Database URL (default: SAMKLIMA_DATABASE_URL or the SQLite file in the data dir)."),
    as_json: bool = typer.Option(False, "--json", help="Print what was written as JSON."),
) -> None:
    """Export one row per response: unit and background codes with value labels, items as
    answered with "vet ikke" declared user-missing, and optionally the scale scores.

    For sav/zsav a .sps syntax file (labels, missing values and the scale scores computed from
    the items) and a codebook (.codebook.html, .codebook.csv) are written beside the data; the
    other formats get the codebook too (Excel as a sheet). Units with fewer than min_n
    responses are merged into their parent unit, as the notes and the codebook say.
    """
    from scoring.formats.files import FORMATS, write_export
    from scoring.formats.spss import LANGUAGES, round_export
    from scoring.formats.tables import json_text
    from scoring.store.db import database_url, ready_engine

    problems = [p for p in (choice_problem(fmt, FORMATS, "--format"), choice_problem(lang, LANGUAGES, "--language")) if p]
    if fmt in FORMATS and out.suffix.lower() != f".{fmt}":
        problems.append(Problem(f"the file name should end in .{fmt} for --format {fmt}", file=str(out), path="--out"))
    if problems:
        raise UserError(problems)
    from scoring.commands._progress import progress

    with progress(f"export {round_name}", total=2) as step:
        export_data = round_export(ready_engine(db or database_url()), round_name, lang=lang, scores=scores, min_n=min_n)
        step(f"{len(export_data.frame)} responses read and checked")
        written = write_export(export_data, out, fmt)
        step(f"{out.name} written")
    if as_json:
        payload = {
            "round": export_data.round,
            "format": fmt,
            "responses": len(export_data.frame),
            "variables": len(export_data.variables),
            "min_n": export_data.min_n,
            "files": {kind: str(path) for kind, path in written.items()},
            "warnings": export_data.warnings,
        }
        typer.echo(json_text(payload))
        return
    typer.echo(f"{out}: {len(export_data.frame)} responses, {len(export_data.variables)} variables ({export_data.file_label})")
    for kind, path in written.items():
        if kind != "data":
            typer.echo(f"  {kind.replace('_', ' ')}: {path}")
    for warning in export_data.warnings:
        typer.echo(f"warning: {warning}", err=True)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
