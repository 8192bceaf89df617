"""``samklima aggregate``: ICC, within-unit agreement and the suppressed unit table per scale."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from scoring.commands._options import list_options, split_names
from scoring.errors import Problem, UserError
from scoring.privacy.thresholds import DEFAULT_MIN_N

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def aggregate(
    data: Path = typer.Argument(..., help="Responses: .csv, .xlsx or .sav, one row per respondent."),
    unit: str = typer.Option(..., "--unit", "-u", help="The column naming each respondent's unit."),
    instrument: str | None = typer.Option(None, "--instrument", "-i", help="Bundled instrument id or YAML path: one entry per scale."),
    items: list[str] | None = typer.Option(None, "--items", help="Item columns (--items a1 a2 a3, or a1,a2,a3, or repeated): one entry for their mean."),
    score: str | None = typer.Option(None, "--score", help="A score column: one entry for it (rwg on the score)."),
    options: int | None = typer.Option(None, "--options", "-A", help="Response options A (default: the instrument's valid codes; 5 otherwise)."),
    low: float = typer.Option(1.0, "--low", help="Lowest answer with --items/--score (the options are low, low+step, .., A of them)."),
    step: float = typer.Option(1.0, "--step", help="Distance between neighbouring answers with --items/--score (e.g. 2 for 2, 4, 6, 8, 10)."),
    ranvar: float | None = typer.Option(None, "--ranvar", help="Null variance for rwg(j) and Lindell's r*wg(j), given directly (multilevel's ranvar; default: uniform, step^2 (A^2-1)/12)."),
    null_probs: str | None = typer.Option(None, "--null-probs", help="Null distribution over the A options, e.g. .05,.15,.20,.35,.25 (slight skew): its variance is the null variance."),
    min_n: int = typer.Option(DEFAULT_MIN_N, "--min-n", help="Hide units with fewer answers than this (at least 3)."),
    id_column: str | None = typer.Option(None, "--id", help="With --instrument: the response id column."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """ICC(1), ICC(2), rwg(j), Lindell's r*wg(j), awg and AD per unit, with units below --min-n suppressed.

    rwg(j) and r*wg(j) compare each unit's variance with a null variance: uniform over the A
    options by default, or --ranvar given directly, or the variance of --null-probs.

    Hidden units show no figures at all, and further units are hidden where a hidden one could
    be worked out from the total and the others (complementary suppression).
    """
    import numpy as np

    from scoring.formats.tables import json_text
    from scoring.reporting.aggregation import Aggregation, aggregate_instrument, aggregate_scale
    from scoring.responses.reading import read_table

    chosen = [name for name, value in (("--instrument", instrument), ("--items", items), ("--score", score)) if value]
    if len(chosen) != 1:
        raise UserError.single("give exactly one of --instrument, --items or --score" + (f" (got {', '.join(chosen)})" if chosen else ""))
    ranvar = _null_variance(ranvar, null_probs, options, low, step)
    if null_probs and options is None:
        options = len(split_names([null_probs]))
    table = read_table(data)
    if unit not in table.columns:
        raise UserError.single(f"no unit column '{unit}' in the table", file=str(data), path=unit)
    units = table[unit].where(table[unit].astype("string").str.strip() != "")

    if instrument:
        from scoring.commands._progress import progress
        from scoring.instrument.catalog import resolve
        from scoring.responses.reading import code_responses

        inst = resolve(instrument)
        coded = code_responses(table, inst, id_column=id_column, file=str(data))
        with progress("aggregate", total=len(inst.scales), unit="scale") as step:
            result = aggregate_instrument(coded.items, units, inst, min_n=min_n, options=options, ranvar=ranvar, progress=step)
    else:
        count = options if options is not None else 5
        columns = split_names(items) if items else [score]
        values = _numeric_columns(table, columns, low, low + step * (count - 1), str(data))
        scale_args = dict(options=count, step=step, low=low, ranvar=ranvar, min_n=min_n)
        if score:
            result = Aggregation([aggregate_scale(values[:, 0], units, scale=score, **scale_args)])
        else:
            with np.errstate(invalid="ignore"):
                answered = (~np.isnan(values)).sum(axis=1)
                mean = np.where(answered > 0, np.nansum(values, axis=1) / np.maximum(answered, 1), np.nan)
            result = Aggregation([aggregate_scale(mean, units, items=values, scale="mean(" + ", ".join(columns) + ")", **scale_args)])

    if as_json:
        typer.echo(json_text({"min_n": min_n, **result.to_dict()}))
    else:
        typer.echo(result.summary())


def _null_variance(ranvar: float | None, null_probs: str | None, options: int | None, low: float, step: float) -> float | None:
    """σ²E from --ranvar or --null-probs (not both; None = uniform over the options)."""
    from scoring.stats.multilevel import null_variance

    if step <= 0:
        raise UserError.single(f"--step must be positive (got {step:g})")
    if ranvar is not None and null_probs:
        raise UserError.single("give --ranvar or --null-probs, not both")
    if ranvar is not None and not ranvar > 0:
        raise UserError.single(f"--ranvar must be a positive number (got {ranvar:g})")
    if not null_probs:
        return ranvar
    try:
        shares = [float(v) for v in split_names([null_probs])]
    except ValueError:
        raise UserError.single(f"--null-probs: not a list of numbers: {null_probs!r}") from None
    if options is not None and len(shares) != options:
        raise UserError.single(f"--null-probs has {len(shares)} shares but --options is {options}")
    return null_variance(shares, low, step)


def _numeric_columns(table: pd.DataFrame, columns: list[str], low: float, high: float, file: str) -> np.ndarray:
    """The columns as floats (empty, NA, NaN or . = missing, as every command reads items); text
    or values outside [low, high] are errors."""
    import numpy as np

    from scoring.responses.reading import numeric_cells, text_message

    absent = [c for c in columns if c not in table.columns]
    if absent:
        raise UserError.single("column(s) not in the table: " + ", ".join(absent), file=file)
    problems = []
    out = np.empty((len(table), len(columns)))
    for j, col in enumerate(columns):
        raw = table[col]
        values, text = numeric_cells(raw)
        with np.errstate(invalid="ignore"):
            outside = (values < low - 1e-9) | (values > high + 1e-9)
        for r in np.flatnonzero(text)[:5]:
            problems.append(Problem(text_message(raw.iloc[r]), file=file, row=int(r) + 1, path=col))
        for r in np.flatnonzero(outside)[:5]:
            problems.append(
                Problem(f"value {values[r]:g} is outside {low:g}..{high:g} (set --options, --low and --step to the response scale)", file=file, row=int(r) + 1, path=col)
            )
        out[:, j] = values
    if problems:
        raise UserError(problems)
    return out


def register(app: typer.Typer) -> None:
    app.command("aggregate", cls=list_options())(aggregate)
