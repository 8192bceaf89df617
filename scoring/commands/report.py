"""``samklima report``: the unit report for the team meeting (A4 PDF), one unit or all of them."""

from __future__ import annotations

from pathlib import Path

import typer

from scoring.errors import UserError


def report(
    round_name: str = typer.Option(..., "--round", help="The round to report."),
    unit: str | None = typer.Option(None, "--unit", help="The unit id."),
    all_units: bool = typer.Option(False, "--all-units", help="One report per unit of the round (--out is a folder)."),
    language: str = typer.Option("nb", "--language", help="nb, nn or en."),
    as_user: str | None = typer.Option(None, "--as", help="Show what this user may see (default: the unit's manager)."),
    out: Path = typer.Option(..., "--out", help="The PDF file (or, with --all-units, the folder)."),
) -> None:
    """A unit's results as its manager may see them (the same cells as the dashboard), with the
    change since the last rounds, the answers to each item, partner ratings, the unit's actions
    and questions for the discussion (docs/action-plans.md)."""
    from scoring.formats.unit_report_pdf import unit_report_pdf
    from scoring.reporting.report_texts import LANGUAGES
    from scoring.store.db import ready_engine
    from scoring.store.unit_reports import ReportMaker, write_reports

    if language not in LANGUAGES:
        raise UserError.single(f"unknown language '{language}' (choose one of {', '.join(LANGUAGES)})", path="--language")
    if all_units == (unit is not None):
        raise UserError.single("give either --unit UNIT or --all-units", path="--unit")
    if all_units and not out.is_dir():
        raise UserError.single("with --all-units, --out must be an existing folder", path="--out")
    maker = ReportMaker(ready_engine(), round_name, language, as_user)
    if unit is not None:
        written = unit_report_pdf(out, maker.report(unit))
        typer.echo(f"wrote {written}")
        return
    units = maker.units()
    if maker.principal is not None and maker.principal.units is not None:
        units = [u for u in units if u in maker.principal.units]
    from scoring.commands._progress import progress

    with progress("reports", total=len(units), unit="report") as step:
        write_reports(maker, units, out, unit_report_pdf, step)
    typer.echo(f"wrote {len(units)} reports to {out}")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
