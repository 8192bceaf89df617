"""``samklima validation-report``: the psychometric section of a paper for one instrument in
one round (HTML and/or PDF), and the step from ``unvalidated`` to ``validated`` with evidence.

JSON (``--json``): ``id``, ``made``, ``instrument``, ``version``, ``round``, ``min_n``, ``n``,
``units``, ``units_shown``, ``background``, ``reliability``, ``efa``, ``cfa``, ``invariance``,
``irt``, ``aggregation``, ``norms`` (:meth:`scoring.reporting.validation.ValidationReport.numbers`),
``files`` (written) and ``recorded`` (the instrument file, or null). NaN is written as null.
"""

from __future__ import annotations

from pathlib import Path

import typer

from scoring.errors import Problem, UserError

SUFFIXES = (".html", ".pdf")


def validation_report_command(
    round_name: str = typer.Option(..., "--round", help="The round whose answers are analysed."),
    instrument: str = typer.Option(..., "--instrument", "-i", help="Instrument id (one of the round's) or its YAML file."),
    out: list[Path] = typer.Option(..., "--out", "-o", help="report.html and/or report.pdf (repeat for both)."),
    language: str = typer.Option("nb", "--language", "--lang", help="nb, nn or en."),
    group: str = typer.Option("role", "--group", help="Background column whose groups the invariance section compares."),
    record: Path | None = typer.Option(None, "--record", help="Write the report's id and date into this instrument YAML file (validation:)."),
    db: str | None = typer.Option(None, "--db", help="Database URL (default: SAMKLIMA_DATABASE_URL or the SQLite file in the data dir)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report's numbers as JSON."),
) -> None:
    """Validation report: sample, item distributions, reliability with CIs (alpha, omega, ordinal alpha), EFA with parallel analysis, CFA with fit and modification indices, invariance across professions, the graded model's information, ICC/rwg(j) and norms (SD, reliable change), each with the R code that reproduces it.

    Every number is the one the matching command prints (reliability, item-quality, efa, cfa,
    irt, aggregate, score); docs/validation-report.md. With --record the instrument file gets a
    validation: block with the report's id, date, round and n (then set status: validated).
    """
    from scoring.commands._progress import progress
    from scoring.formats.tables import json_text
    from scoring.instrument.catalog import resolve
    from scoring.reporting.validation import STEPS, validation_report
    from scoring.reporting.validation_texts import LANGUAGES
    from scoring.store.db import database_url, ready_engine
    from scoring.store.read import read_responses
    from scoring.store.rounds import round_info

    _check_outputs(out, language, LANGUAGES)
    inst = resolve(instrument)
    if record is not None:
        from scoring.instrument.record import check_record_target

        check_record_target(record, inst.id)
    engine = ready_engine(db or database_url())
    info = round_info(engine, round_name)
    ids = [entry["id"] for entry in info.instruments]
    if inst.id not in ids:
        raise UserError.single(f"round '{round_name}' did not ask '{inst.id}' (its instruments: {', '.join(ids)})", path="--instrument")
    with progress("validation report", total=len(STEPS) + 2, unit="step") as step:
        responses = read_responses(engine, round_name)
        step("answers read")
        report = validation_report(responses, inst, round_name, min_n=info.min_n, group_column=group, progress=step)
        files = _write(report, out, language)
        step("written")
    recorded = _record(record, report) if record is not None else None
    if as_json:
        typer.echo(json_text({**report.to_dict(), "files": [str(p) for p in files], "recorded": recorded}))
        return
    typer.echo(f"validation report {report.report_id}: {report.n} answers, round {round_name}")
    for path in files:
        typer.echo(f"wrote {path}")
    if recorded:
        typer.echo(f"recorded in {recorded} (validation: report {report.report_id}); set status: validated when the evidence supports it")


def _check_outputs(out: list[Path], language: str, languages: tuple[str, ...]) -> None:
    problems = []
    if language not in languages:
        problems.append(Problem(f"unknown language '{language}' (choose one of {', '.join(languages)})", path="--language"))
    suffixes = [p.suffix.lower() for p in out]
    for path, suffix in zip(out, suffixes):
        if suffix not in SUFFIXES:
            problems.append(Problem("the report file must end in .html or .pdf", file=str(path), path="--out"))
        elif not path.parent.exists():
            problems.append(Problem("the folder does not exist", file=str(path.parent), path="--out"))
    if len(set(suffixes)) != len(suffixes):
        problems.append(Problem("give at most one .html and one .pdf file", path="--out"))
    if problems:
        raise UserError(problems)


def _write(report, out: list[Path], language: str) -> list[Path]:
    from scoring.formats.validation_html import write_html
    from scoring.formats.validation_pdf import write_pdf
    from scoring.reporting.validation_document import document

    doc = document(report, language)
    return [write_html(doc, p) if p.suffix.lower() == ".html" else write_pdf(doc, p) for p in out]


def _record(path: Path, report) -> str:
    from scoring.instrument.model import Validation
    from scoring.instrument.record import record_validation

    validation = Validation(report=report.report_id, date=report.made, round=report.round, n=report.n, version=report.instrument.version)
    record_validation(path, validation)
    return str(path)


def register(app: typer.Typer) -> None:
    app.command("validation-report")(validation_report_command)
