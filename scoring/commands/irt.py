"""``samklima irt``: item response theory for one scale (graded response model or partial credit
model), with DIF between two groups.

``--model graded`` (default; 2PL for 0/1 items) fits by marginal ML as R's mirt;
``--model pcm`` fits the partial credit model by conditional ML as R's eRm. ``--group COLUMN``
(or ``--dif COLUMN``) adds likelihood-ratio DIF tests on the graded model between the column's two groups.
``--scores FILE`` writes each respondent's theta and its SE (EAP for graded, ML for pcm) as CSV.

JSON (``--json``) keys, graded: ``model`` ("graded" or "2PL"), ``estimation``, ``quadrature``,
``items``, ``n_obs``, ``n_patterns``, ``dropped``, ``loglik``, ``n_params``, ``aic``, ``bic``,
``converged``, ``iterations``, ``parameters`` ({item: {categories, a, se_a, d, se_d, b, se_b}}),
``marginal_reliability``, ``item_fit`` ({item: {S_X2, df, RMSEA, p}}), ``information``
({theta, test, items}), ``scores`` ({method, n, mean, sd, mean_se}), ``warnings``; with
``--group`` also ``dif`` ({reference, focal, n_reference, n_focal, focal_mean, focal_sd,
items: {item: {G2, df, p, p_adjusted, SIDS, UIDS, ESSD, a_reference, a_focal, flag}}, ...}).
pcm: ``model`` ("pcm"), ``conditional_loglik``, ``parameters`` ({item: {categories, beta,
se_beta, thresholds, se_thresholds, location, se_location}}), ``n_extreme``, ``information``,
``persons``, ``warnings``. NaN is written as null.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from scoring.commands._options import list_options, split_names
from scoring.errors import Problem, UserError, check_choice

if TYPE_CHECKING:
    import pandas as pd


def _item_names(items: list[str] | None) -> list[str]:
    """``--items`` values: space- or comma-separated, repeatable (:func:`split_names`)."""
    return split_names(items)


def _item_table(table: pd.DataFrame, names: list[str], file: str) -> pd.DataFrame:
    """The item columns as floats; empty, ``NA``, ``NaN`` or ``.`` is missing, other text is an error."""
    from scoring.responses.reading import numeric_items

    return numeric_items(table, names, file)


def irt_command(
    data: Path = typer.Argument(..., help="Responses: .csv, .xlsx or .sav, one row per respondent."),
    items: list[str] | None = typer.Option(None, "--items", help="Item columns of one scale (space- or comma-separated, or repeated)."),
    model: str = typer.Option("graded", "--model", help="graded (mirt, 2PL for 0/1 items) or pcm (eRm, conditional ML)."),
    group: str | None = typer.Option(None, "--group", "--dif", help="Column with two groups: likelihood-ratio DIF per item (graded model); --dif is the same."),
    reference: str | None = typer.Option(None, "--reference", help="With --group: the reference group (default: the first in sort order)."),
    scores: Path | None = typer.Option(None, "--scores", help="Write theta and its SE per respondent to this CSV file."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Item response theory for one scale: graded response model (R mirt) or partial credit model (R eRm)."""
    import pandas as pd

    from scoring.formats.tables import json_text
    from scoring.responses.reading import read_table
    from scoring.stats.irt import dif_graded, fit_graded, fit_pcm

    names = _checked_options(items, model, group, reference)
    table = read_table(data)
    _check_columns(table, names, group, str(data))
    frame = _item_table(table, names, str(data))
    try:
        fit = fit_graded(frame) if model == "graded" else fit_pcm(frame)
        dif = None
        if group is not None:
            labels = table[group].astype("string").str.strip().replace({"": pd.NA, "NA": pd.NA})
            dif = dif_graded(frame, labels, reference=reference)
    except ValueError as err:
        raise UserError.single(str(err), file=str(data)) from None
    if scores is not None:
        _write_scores(fit.scores if model == "graded" else fit.persons, scores)
    if as_json:
        payload = fit.to_dict()
        if dif is not None:
            payload["dif"] = dif.to_dict()
        typer.echo(json_text(payload))
        return
    typer.echo(fit.summary() + ("" if dif is None else "\n\n" + dif.summary()))


def _checked_options(items: list[str] | None, model: str, group: str | None, reference: str | None) -> list[str]:
    """The item names of --items; UserError for an unknown model, DIF options that do not go
    together, and no or repeated items."""
    from scoring.stats.irt import MODELS

    check_choice(model, MODELS, "--model")
    if group is not None and model != "graded":
        raise UserError.single("--group (DIF) is available for the graded model only")
    if reference is not None and group is None:
        raise UserError.single("--reference needs --group")
    names = _item_names(items)
    if not names:
        raise UserError.single("name the items of the scale with --items")
    if len(set(names)) != len(names):
        raise UserError.single("an item is named twice in --items")
    return names


def _check_columns(table: pd.DataFrame, names: list[str], group: str | None, file: str) -> None:
    """UserError unless the items and the group column are columns of the table, and distinct."""
    absent = [c for c in names + ([group] if group else []) if c not in table.columns]
    if absent:
        raise UserError([Problem("no such column in the table", file=file, path=c) for c in absent])
    if group in names:
        raise UserError.single(f"--group column '{group}' is also an item")


def _write_scores(people: pd.DataFrame, path: Path) -> None:
    """theta and its SE per respondent, with the row number (1-based) or the row label."""
    import pandas as pd

    from scoring.formats.tables import write_csv

    out = people.rename(columns={"se": "theta_se"})
    out.insert(0, "row", out.index.to_numpy() + 1 if pd.api.types.is_integer_dtype(out.index) else out.index)
    write_csv(out, path)


def register(app: typer.Typer) -> None:
    app.command("irt", cls=list_options())(irt_command)
