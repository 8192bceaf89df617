"""``samklima validate PATH...``: check instrument files."""

from __future__ import annotations

from pathlib import Path

import typer

from scoring.errors import UserError


def validate(paths: list[Path] = typer.Argument(..., help="Instrument YAML files to check.")) -> None:
    """Check instrument files; print one line per problem (file:line:column: field: what)."""
    from scoring.instrument.loading import check_instrument_file, check_unique_across

    problems = []
    valid = []
    for path in paths:
        instrument, found = check_instrument_file(path)
        problems += found
        if instrument is not None:
            valid.append((str(path), instrument))
    problems += check_unique_across(valid)
    if problems:
        raise UserError(problems, summary=f"{len(problems)} problem(s) in {len(paths)} file(s).")
    for path, inst in valid:
        typer.echo(f"{path}: ok ({inst.id} {inst.version}: {len(inst.items)} items, {len(inst.scales)} scales)")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
