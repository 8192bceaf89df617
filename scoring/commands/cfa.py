"""``samklima cfa``: confirmatory factor analysis as R's lavaan::cfa.

JSON (``--json``): ``fit`` {``chisq``, ``df``, ``pvalue``, ``cfi``, ``tli``, ``rmsea``,
``rmsea_ci`` [lower, upper], ``srmr``, ...}, ``loadings`` [{``factor``, ``item``, ``est``,
``std``} (+ ``group``)], ``omega``, ``n``, ``reason``, ``warnings``, ``parameters``. With
``--invariance``: ``invariance`` [{``model``: configural|metric|scalar (|strict with
``--strict``; with ``--ordinal`` configural|thresholds_loadings|scalar|strict), ``chisq``, ``df``, ``cfi``, ``rmsea``, ``delta_chisq``, ``delta_df``, ``p``,
``delta_cfi``}] (deltas null for the configural model), ``models`` {name: the single-model JSON} and, at the top, the configural
model's ``fit``, ``loadings``, ``n``, ``groups``, ``reason`` and ``warnings``. NaN is written as null.
"""

from __future__ import annotations

from pathlib import Path

import typer

from scoring.commands._options import list_options, split_names
from scoring.errors import UserError, check_choice


def cfa_command(
    data: Path = typer.Argument(..., help="Responses: .csv, .xlsx or .sav, one row per response."),
    model: str | None = typer.Option(None, "--model", "-m", help="lavaan syntax, e.g. 'f1 =~ a + b + c; f2 =~ d + e + f'."),
    instrument: str | None = typer.Option(None, "--instrument", "-i", help="Bundled instrument id or YAML path: one factor per scale."),
    scales: list[str] | None = typer.Option(None, "--scale", help="With --instrument: only these scales (--scale a b, or a,b, or repeated)."),
    id_column: str | None = typer.Option(None, "--id", help="With --instrument: the response id column."),
    ordinal: bool = typer.Option(False, "--ordinal", help="Treat items as ordered categories (WLSMV, as lavaan)."),
    estimator: str | None = typer.Option(
        None, "--estimator", help="ml (default), mlr (robust ML: sandwich SEs, Yuan-Bentler scaled test) or wlsmv (= --ordinal)."
    ),
    group: str | None = typer.Option(None, "--group", help="Column defining groups (multi-group model)."),
    invariance: bool = typer.Option(
        False, "--invariance", help="With --group: configural, metric and scalar models (ordered items: configural, thresholds+loadings)."
    ),
    strict: bool = typer.Option(False, "--strict", help="With --invariance: also the strict model (equal residual variances)."),
    group_equal: list[str] | None = typer.Option(
        None,
        "--group-equal",
        help="With --group: loadings, intercepts, residuals equal across groups; ordered items: thresholds,loadings (repeat or comma-separate).",
    ),
    group_partial: list[str] | None = typer.Option(
        None, "--group-partial", help="Parameters exempt from the equality constraints, e.g. 'x3~1' (repeat or comma-separate)."
    ),
    missing: str = typer.Option("listwise", "--missing", help="listwise (lavaan default) or ml (full-information ML)."),
    std_lv: bool = typer.Option(False, "--std-lv", help="Identify factors by unit variance instead of the first loading."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Fit a CFA model (lavaan syntax or an instrument's scales): chi-square, CFI, TLI, RMSEA, SRMR, loadings, omega."""
    from scoring.formats.tables import json_text
    from scoring.stats.cfa.estimate import MISSING, cfa, measurement_invariance

    if (model is None) == (instrument is None):
        raise UserError.single("give exactly one of --model and --instrument")
    check_choice(missing, MISSING, "--missing")
    if estimator is not None:
        check_choice(estimator.lower(), ("ml", "mlr", "wlsmv"), "--estimator")
        if ordinal and estimator.lower() != "wlsmv":
            raise UserError.single("--ordinal fits by WLSMV: drop --estimator or use --estimator wlsmv")
        ordinal = estimator.lower() == "wlsmv"
    if invariance and group is None:
        raise UserError.single("--invariance needs --group")
    equal, partial = _split(group_equal), _split(group_partial)
    if strict and not invariance:
        raise UserError.single("--strict needs --invariance")
    if equal and (group is None or invariance):
        raise UserError.single("--group-equal needs --group and is set by --invariance itself" if invariance else "--group-equal needs --group")
    if partial and not (equal or invariance):
        raise UserError.single("--group-partial needs --group-equal or --invariance")
    if scales and instrument is None:
        raise UserError.single("--scale needs --instrument")
    frame, model_text = _load(data, model, instrument, scales, id_column, group)
    if invariance:
        from scoring.commands._progress import progress

        with progress("invariance", total=4 if strict else 3, unit="model") as step:
            result = measurement_invariance(
                frame, model_text, group, missing=missing, std_lv=std_lv, strict=strict, group_partial=partial,
                estimator=estimator, ordinal=ordinal, progress=step,
            )
    else:
        result = cfa(
            frame, model_text, ordinal=ordinal, group=group, group_equal=equal, group_partial=partial,
            missing=missing, std_lv=std_lv, estimator=None if ordinal else estimator,
        )
    typer.echo(json_text(result.to_dict()) if as_json else result.summary())


def _split(values: list[str] | None) -> tuple[str, ...]:
    """Repeated and comma-separated option values as one tuple."""
    return tuple(v.strip() for entry in values or () for v in entry.split(",") if v.strip())


def _load(data: Path, model: str | None, instrument: str | None, scales, id_column, group):
    """(data frame, model syntax). With an instrument: coded, reverse-keyed items (+ the group column)."""
    from scoring.instrument.catalog import resolve
    from scoring.instrument.measurement import model_from_instrument
    from scoring.responses.reading import code_responses, read_table
    from scoring.responses.scores import keyed_items

    table = read_table(data)
    if instrument is None:
        return _numbers_where_numeric(table, group), model
    inst = resolve(instrument)
    chosen = split_names(scales) or None
    model_text = model_from_instrument(inst, chosen)
    coded = code_responses(table, inst, id_column=id_column, file=str(data))
    frame = keyed_items(coded.items, inst)
    if group is not None:
        if group not in coded.other.columns:
            raise UserError.single(f"the group column '{group}' is not in the data", file=str(data), path=group)
        frame[group] = coded.other[group]
    return frame, model_text


def _numbers_where_numeric(table, group: str | None):
    """Columns whose cells are all numbers or missing (empty, NA, NaN, .) as floats, so an R
    ``write.csv`` file fits as lavaan reads it; other columns (and ``group``) stay as read, and
    text in a model variable is reported by the fit."""
    import pandas as pd

    from scoring.responses.reading import numeric_cells

    out = table.copy()
    for column in out.columns:
        if column == group or pd.api.types.is_numeric_dtype(out[column]):
            continue
        values, text = numeric_cells(out[column])
        if not text.any():
            out[column] = values
    return out


def register(app: typer.Typer) -> None:
    app.command("cfa", cls=list_options("--scale"))(cfa_command)
