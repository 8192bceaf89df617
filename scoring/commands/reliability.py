"""``samklima reliability``: alpha, G6, lambda-2, omega, CIs and item statistics per scale."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from scoring.commands._options import list_options, split_names
from scoring.errors import Problem, UserError

if TYPE_CHECKING:
    import pandas as pd

    from scoring.stats.reliability.alpha import ReliabilityResult


def _items_mode(table: pd.DataFrame, items: list[str], reverse: list[str], low: float | None, high: float | None,
                file: str) -> tuple[pd.DataFrame, float | None, float | None, list[str]]:
    """The listed columns as numbers, reverse-keyed; (frame, min, max, warnings)."""
    _check_item_columns(table, items, reverse, file)
    frame = _as_numbers(table[items].copy(), items, file)
    warnings = []
    if reverse:
        lo, hi = (low, high) if low is not None else _observed_limits(frame, file, warnings)
        for name in reverse:
            frame[name] = (lo + hi) - frame[name]
    return frame, low, high, warnings


def _check_item_columns(table: pd.DataFrame, items: list[str], reverse: list[str], file: str) -> None:
    """UserError for --items not in the table (with a hint when only the case differs), --reverse
    items not among --items, and an item listed twice."""
    problems = []
    columns = [str(c) for c in table.columns]
    by_lower = {c.lower(): c for c in columns}
    for name in dict.fromkeys(items):
        if name not in columns:
            hint = f"; did you mean '{by_lower[name.lower()]}'?" if name.lower() in by_lower else ""
            problems.append(Problem(f"no column '{name}' in the table{hint}", file=file, path=name))
    for name in reverse:
        if name not in items:
            problems.append(Problem(f"--reverse {name}: not one of the --items", path=name))
    if len(dict.fromkeys(items)) != len(items):
        problems.append(Problem("an item is listed twice in --items"))
    if problems:
        raise UserError(problems)


def _as_numbers(frame: pd.DataFrame, items: list[str], file: str) -> pd.DataFrame:
    """The item columns as floats (see :func:`scoring.responses.reading.numeric_items`)."""
    from scoring.responses.reading import numeric_items

    frame.columns = [str(c) for c in frame.columns]
    return numeric_items(frame, items, file)


def _observed_limits(frame: pd.DataFrame, file: str, warnings: list[str]) -> tuple[float, float]:
    """The lowest and highest answer, for reverse keying without --low/--high (said in ``warnings``)."""
    import numpy as np

    values = frame.to_numpy()
    finite = values[~np.isnan(values)]
    if finite.size == 0:
        raise UserError.single("the listed items have no answers", file=file)
    lo, hi = float(finite.min()), float(finite.max())
    warnings.append(f"reverse keying used the observed limits {lo:g}-{hi:g} (give --low and --high to fix them)")
    return lo, hi


def reliability(
    data: Path = typer.Argument(..., help="Responses: .csv, .xlsx or .sav, one row per response."),
    instrument: str | None = typer.Option(None, "--instrument", "-i", help="Bundled instrument id or path to a YAML file."),
    scale: list[str] | None = typer.Option(None, "--scale", "-s", help="Scale id(s) of the instrument (default: every scale)."),
    items: list[str] | None = typer.Option(None, "--items", help="Item columns of one ad hoc scale: --items a1 a2 a3 (or a1,a2,a3, or repeated)."),
    reverse: list[str] | None = typer.Option(None, "--reverse", help="Items (of --items) to reverse-key: x' = (min + max) - x."),
    low: float | None = typer.Option(None, "--low", "--min", help="Lowest answer of the response scale (with --items)."),
    high: float | None = typer.Option(None, "--high", "--max", help="Highest answer of the response scale (with --items)."),
    missing: str = typer.Option("pairwise", "--missing", help="pairwise (psych) or listwise (SPSS/PSPP)."),
    bootstrap: int = typer.Option(0, "--bootstrap", help="Bootstrap resamples for a percentile CI (e.g. 1000)."),
    seed: int | None = typer.Option(None, "--seed", help="Random seed of the bootstrap."),
    ci: str | None = typer.Option(None, "--ci", help="CI reported as alpha_ci: feldt, duhachek or bootstrap (default: bootstrap with --bootstrap, else feldt)."),
    level: float = typer.Option(0.95, "--level", help="Confidence level."),
    ordinal: bool = typer.Option(False, "--ordinal", help="Also ordinal alpha (on polychoric correlations)."),
    id_column: str | None = typer.Option(None, "--id", help="The response id column (with --instrument)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of the readable report."),
) -> None:
    """Reliability of each scale in DATA: alpha (raw and standardized) with a Feldt, Duhachek or bootstrap CI, G6, lambda-2, split-half, omega total and hierarchical, ordinal alpha, and item statistics (item-rest r, alpha if dropped, floor/ceiling, missing).

    With --instrument the items, reverse keys, missing codes and response limits come from the instrument, and --bootstrap resamples the respondents once for all its scales; with --items you name the columns (put DATA first: reliability DATA --items a b c).
    """
    from scoring.formats.tables import json_text
    from scoring.stats.reliability.alpha import alpha

    items, reverse, scale = split_names(items) or None, split_names(reverse), split_names(scale)
    problems = []
    if (instrument is None) == (not items):
        problems.append(Problem("give either --instrument (with optional --scale) or --items"))
    problems += _statistics_option_problems(missing, ci, bootstrap, level)
    problems += _item_option_problems(instrument, items, scale, reverse, low, high)
    if problems:
        raise UserError(problems)
    options = dict(missing=missing, ci=ci, level=level, n_boot=bootstrap, seed=seed, ordinal=ordinal, omega=True)
    table = _read(data)
    results: list[ReliabilityResult] = []
    if instrument is not None:
        results = _instrument_scales(table, instrument, scale or [], id_column, str(data), options)
    else:
        frame, lo, hi, warnings = _items_mode(table, list(items), list(reverse or []), low, high, str(data))
        result = alpha(frame, low=lo, high=hi, **options)
        result.warnings[:0] = warnings
        results.append(result)
    if as_json:
        typer.echo(json_text({"scales": [r.to_dict() for r in results]}))
    else:
        typer.echo("\n\n".join(r.summary() for r in results))


def _statistics_option_problems(missing: str, ci: str | None, bootstrap: int, level: float) -> list[Problem]:
    """--missing, --ci, --bootstrap and --level."""
    from scoring.stats.reliability.alpha import CI_METHODS, MISSING_RULES

    problems = []
    if missing not in MISSING_RULES:
        problems.append(Problem(f"--missing must be pairwise or listwise, not '{missing}'"))
    if ci is not None and ci not in CI_METHODS:
        problems.append(Problem(f"--ci must be one of {', '.join(CI_METHODS)}, not '{ci}'"))
    if ci == "bootstrap" and bootstrap < 1:
        problems.append(Problem("--ci bootstrap needs --bootstrap N (N >= 1)"))
    if bootstrap < 0:
        problems.append(Problem("--bootstrap must be 0 or more"))
    if not 0 < level < 1:
        problems.append(Problem(f"--level must be between 0 and 1, not {level}"))
    return problems


def _item_option_problems(instrument, items, scale, reverse, low, high) -> list[Problem]:
    """--low/--high, --reverse and --scale: given together, and with the mode they belong to."""
    problems = []
    if (low is None) != (high is None):
        problems.append(Problem("give both --low and --high"))
    elif low is not None and not low < high:
        problems.append(Problem(f"--low ({low:g}) must be below --high ({high:g})"))
    if instrument is not None and (reverse or low is not None):
        problems.append(Problem("--reverse, --low and --high go with --items; with --instrument they come from the instrument"))
    if items is None and reverse:
        problems.append(Problem("--reverse needs --items"))
    if scale and instrument is None:
        problems.append(Problem("--scale needs --instrument"))
    return problems


def _read(data: Path) -> pd.DataFrame:
    from scoring.responses.reading import read_table

    return read_table(data)


def _instrument_scales(table, instrument_id, scale_ids, id_column, file, options) -> list[ReliabilityResult]:
    from scoring.instrument.catalog import resolve
    from scoring.responses.reading import code_responses
    from scoring.responses.scores import keyed_items
    from scoring.stats.reliability.alpha import alpha_scales

    inst = resolve(instrument_id)
    known = [s.id for s in inst.scales]
    unknown = [s for s in scale_ids if s not in known]
    if unknown:
        raise UserError([Problem(f"instrument '{inst.id}' has no scale '{s}' (scales: {', '.join(known)})", path=s) for s in unknown])
    if not inst.scales:
        raise UserError.single(f"instrument '{inst.id}' defines no scales")
    coded = code_responses(table, inst, id_column=id_column, file=file)
    keyed = keyed_items(coded.items, inst)
    chosen = [s for s in inst.scales if not scale_ids or s.id in scale_ids]
    kinds = {s.id: inst.response_scale_of(s.items[0]) for s in chosen}
    limits = {name: (rs.min, rs.max) for name, rs in kinds.items() if rs.has_limits}
    opts = dict(options)
    opts["ordinal"] = [name for name, rs in kinds.items() if rs.kind == "ordinal"] if options["ordinal"] else False
    from scoring.commands._progress import progress

    with progress("reliability", total=len(chosen) + (1 if opts["n_boot"] > 0 else 0), unit="scale") as step:
        results = alpha_scales(keyed, {s.id: list(s.items) for s in chosen}, limits=limits, progress=step, **opts)
    if options["ordinal"]:
        for result in results:
            if kinds[result.scale].kind != "ordinal":
                result.warnings.append(f"ordinal alpha not computed: the response scale is {kinds[result.scale].kind}, not ordinal")
    return results


def register(app: typer.Typer) -> None:
    app.command("reliability", cls=list_options("--items", "--reverse", "--scale", "-s"))(reliability)
