"""``samklima export``: rounds for researchers as SPSS, Stata, CSV, Parquet or Excel, long or wide, with the actions table."""

from __future__ import annotations

from pathlib import Path

import typer

from scoring.errors import Problem, UserError, choice_problem


def export(
    round_names: list[str] = typer.Option(None, "--round", help="A round to export; repeat for several rounds."),
    all_rounds: bool = typer.Option(False, "--all-rounds", help="Export every round with responses."),
    layout: str = typer.Option("long", "--layout", help="long: one row per response; wide: one row per unit, a column per round."),
    fmt: str = typer.Option("sav", "--format", help="sav, zsav, dta, csv, parquet or xlsx."),
    out: Path = typer.Option(..., "--out", "-o", help="The data file to write; the syntax and codebook go beside it."),
    lang: str = typer.Option("nb", "--language", "--lang", help="Language of labels and notes: nb or en."),
    scores: bool = typer.Option(False, "--scores", help="Add the scale scores (named by scale id; long layout)."),
    clients: bool = typer.Option(False, "--clients", help="With --layout wide: client feedback, one row per pseudonymous client (a period per round)."),
    actions: bool = typer.Option(False, "--actions", help="Write the rounds' action plans beside the data (<name>.actions.<format>)."),
    min_n: int | None = typer.Option(None, "--min-n", help="Anonymity threshold for units (default and minimum: the round's min_n; long layout)."),
    db: str | None = typer.Option(None, "--db", help="Database URL (default: SAMKLIMA_DATABASE_URL or the SQLite file in the data dir)."),
    as_json: bool = typer.Option(False, "--json", help="Print what was written as JSON."),
) -> None:
    """Export one or more rounds for researchers, with labels, missing codes, syntax and codebook.

    Long (default): one row per response: unit and background codes with value labels, items as
    answered with "vet ikke" declared user-missing, and optionally the scale scores; with several
    rounds a ``round`` variable (value labels: the round's name and dates) and small units merged
    round by round with each round's min_n. Wide: one row per unit, per round and scale the
    published n, mean and SD (suffix _r1, _r2, ... oldest first); cells the publication hides are
    system-missing. With --clients (wide): client feedback, one row per pseudonymous client (a
    number made for the file, never the service's client id), per round the contacts from its
    opening to the next round's and the first and last outcome and visit totals; units of fewer
    than min_n clients merged into their parent.

    For sav/zsav a .sps syntax file and a codebook (.codebook.html, .codebook.csv) are written
    beside the data; the other formats get the codebook too (Excel as a sheet). With --actions
    the action plans of the rounds go into <name>.actions.<format>, with the same unit codes.
    """
    from scoring.formats.actions import database_actions
    from scoring.formats.files import FORMATS, write_export
    from scoring.formats.rounds import LAYOUTS, database_export
    from scoring.formats.spss import LANGUAGES
    from scoring.formats.tables import json_text
    from scoring.store.db import database_url, ready_engine

    choices = ((fmt, FORMATS, "--format"), (lang, LANGUAGES, "--language"), (layout, LAYOUTS, "--layout"))
    problems = [p for p in (choice_problem(value, allowed, option) for value, allowed, option in choices) if p]
    if fmt in FORMATS and out.suffix.lower() != f".{fmt}":
        problems.append(Problem(f"the file name should end in .{fmt} for --format {fmt}", file=str(out), path="--out"))
    if problems:
        raise UserError(problems)
    from scoring.commands._progress import progress

    engine = ready_engine(db or database_url())
    with progress("export", total=2) as step:
        export_data = database_export(engine, list(round_names or []), all_rounds=all_rounds, layout=layout, lang=lang, scores=scores, min_n=min_n,
                                        clients=clients)
        action_data = database_actions(engine, list(export_data.min_n_by_round or [export_data.round]), lang=lang) if actions else None
        step(f"{len(export_data.frame)} rows read and checked")
        written = write_export(export_data, out, fmt)
        action_files = write_export(action_data, actions_path(out, fmt), fmt) if action_data is not None else {}
        step(f"{out.name} written")
    if as_json:
        payload = {
            "round": export_data.round,
            "rounds": list(export_data.min_n_by_round or [export_data.round]),
            "layout": layout,
            "format": fmt,
            "responses" if layout == "long" else ("clients" if clients else "units"): len(export_data.frame),
            "variables": len(export_data.variables),
            "min_n": export_data.min_n,
            "files": {kind: str(path) for kind, path in written.items()},
            "warnings": export_data.warnings,
        }
        if action_data is not None:
            payload["actions"] = {"rows": len(action_data.frame), "files": {kind: str(path) for kind, path in action_files.items()}}
        typer.echo(json_text(payload))
        return
    rows = "responses" if layout == "long" else ("clients" if clients else "units")
    typer.echo(f"{out}: {len(export_data.frame)} {rows}, {len(export_data.variables)} variables ({export_data.file_label})")
    for kind, path in written.items():
        if kind != "data":
            typer.echo(f"  {kind.replace('_', ' ')}: {path}")
    if action_data is not None:
        typer.echo(f"{action_files['data']}: {len(action_data.frame)} actions")
    for warning in export_data.warnings:
        typer.echo(f"warning: {warning}", err=True)


def actions_path(out: Path, fmt: str) -> Path:
    """``runde.sav`` -> ``runde.actions.sav``: the actions table beside the data."""
    return out.with_name(f"{out.with_suffix('').name}.actions.{fmt}")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
