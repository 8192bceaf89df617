"""``samklima efa``: exploratory factor analysis with KMO, Bartlett's test and parallel analysis.

JSON (``--json``) keys: ``loadings`` ({item: {factor: loading}}, pattern matrix, psych's factor
names and order), ``communalities`` ({item: h2}), ``phi`` ({factor: {factor: r}}, null for
orthogonal solutions), ``fit`` ({chisq, df, p, tli, rmsea, rmsea_ci: [lower, upper], bic, ...}),
``kmo`` ({overall, items: {item: msa}}), ``bartlett`` ({chisq, df, p}), ``parallel``
({suggested_factors, observed, simulated, simulated_quantile, ...} or null without
``--parallel``), plus ``items``, ``n_obs``, ``missing``, ``correlation`` ("pearson" or "polychoric", ``--cor``), ``method``, ``rotation``, ``factors``,
``uniquenesses``, ``variance``, ``warnings`` and ``reason``. NaN is written as null.

The item-loading helper :func:`load_items` is shared with ``samklima omega``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from scoring.commands._options import list_options, split_names
from scoring.errors import Problem, UserError, check_choice

if TYPE_CHECKING:
    import pandas as pd


def load_items(
    data: Path, items: list[str] | None, instrument: str | None, scale: str | None, id_column: str | None
) -> pd.DataFrame:
    """The item answers to analyse (rows = responses, NaN = missing).

    With ``instrument``: coded with :func:`scoring.responses.reading.code_responses` and reverse-keyed
    with :func:`scoring.responses.scores.keyed_items`; the items of ``scale`` (or all items, or those named
    by ``items``). Without: the ``items`` columns of the raw table, which must be numeric (empty,
    ``NA``, ``NaN`` or ``.`` = missing).
    """
    from scoring.responses.reading import numeric_items, read_table

    table = read_table(data)
    names = split_names(items)
    if instrument is None:
        if scale is not None:
            raise UserError.single("--scale needs --instrument")
        if not names:
            raise UserError.single("name the items to analyse with --items (or give --instrument)")
        absent = [c for c in names if c not in table.columns]
        if absent:
            raise UserError([Problem("no such column in the table", file=str(data), path=c) for c in absent])
        return numeric_items(table, names, str(data))

    from scoring.instrument.catalog import resolve
    from scoring.responses.reading import code_responses
    from scoring.responses.scores import keyed_items

    inst = resolve(instrument)
    if scale is not None:
        try:
            chosen = list(inst.scale(scale).items)
        except KeyError:
            known = ", ".join(s.id for s in inst.scales) or "none"
            raise UserError.single(f"no scale '{scale}' in instrument '{inst.id}' (scales: {known})") from None
    else:
        chosen = list(inst.item_ids)
    if names:
        unknown = [c for c in names if c not in chosen]
        if unknown:
            where = f"scale '{scale}'" if scale else f"instrument '{inst.id}'"
            raise UserError([Problem(f"not an item of {where}", path=c) for c in unknown])
        chosen = names
    coded = code_responses(table, inst, id_column=id_column, file=str(data))
    keyed = keyed_items(coded.items, inst)
    return keyed[chosen]


def _dump(payload: dict) -> str:
    from scoring.formats.tables import json_text

    return json_text(payload)


def efa_command(
    data: Path = typer.Argument(..., help="Responses: .csv, .xlsx or .sav, one row per response."),
    items: list[str] | None = typer.Option(None, "--items", help="Item columns: --items a1 a2 a3 (or a1,a2,a3, or repeated)."),
    factors: int = typer.Option(1, "--factors", "-k", help="Number of factors."),
    method: str = typer.Option("minres", "--method", help="minres (psych default) or ml."),
    rotation: str = typer.Option("oblimin", "--rotation", help="oblimin, varimax, promax or none."),
    missing: str = typer.Option("pairwise", "--missing", help="pairwise (psych default) or listwise."),
    cor: str = typer.Option("pearson", "--cor", help="pearson (psych default) or poly: polychoric correlations of ordinal items (psych cor = 'poly')."),
    parallel: bool = typer.Option(False, "--parallel", help="Add a parallel analysis (psych fa.parallel)."),
    n_iter: int = typer.Option(20, "--n-iter", help="Simulated data sets for --parallel."),
    seed: int = typer.Option(0, "--seed", help="Random seed for --parallel."),
    instrument: str | None = typer.Option(None, "--instrument", help="Bundled instrument id or YAML path: code and reverse-key items."),
    scale: str | None = typer.Option(None, "--scale", help="With --instrument: analyse the items of this scale."),
    id_column: str | None = typer.Option(None, "--id", help="With --instrument: the response id column."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Exploratory factor analysis of the items in DATA, as R's psych::fa.

    Pearson correlations (pairwise by default) or polychoric ones (--cor poly), minres or ML
    extraction, psych's rotations, fit statistics (chi-square, TLI, RMSEA with 90% CI, BIC), KMO
    and Bartlett's test (of the same matrix), and parallel analysis.
    """
    from scoring.stats.efa.factors import CORRELATIONS, METHODS, MISSING_RULES, ROTATIONS

    for value, allowed, option in ((method, METHODS, "--method"), (rotation, ROTATIONS, "--rotation"), (missing, MISSING_RULES, "--missing"),
                                   (cor, CORRELATIONS, "--cor")):
        check_choice(value, allowed, option)
    if factors < 1:
        raise UserError.single("--factors must be at least 1")
    frame = load_items(data, items, instrument, scale, id_column)
    try:
        result, k, b, pa = _analyses(frame, factors, method, rotation, missing, cor, (n_iter, seed) if parallel else None)
    except ValueError as err:  # --cor poly on codes that are not ordinal categories
        raise UserError.single(f"--cor poly: {err}", file=str(data)) from None
    if as_json:
        payload = result.to_dict()
        kd, bd = k.to_dict(), b.to_dict()
        payload["kmo"] = {"overall": kd["overall"], "items": kd["items"], "reason": kd["reason"]}
        payload["bartlett"] = {"chisq": bd["chisq"], "df": bd["df"], "p": bd["p"], "n_obs": bd["n_obs"], "reason": bd["reason"]}
        payload["parallel"] = pa.to_dict() if pa is not None else None
        typer.echo(_dump(payload))
        return
    parts = [result.summary(), "", k.summary(), b.summary()]
    if pa is not None:
        parts += ["", pa.summary()]
    typer.echo("\n".join(parts))


def _analyses(frame: pd.DataFrame, factors: int, method: str, rotation: str, missing: str, cor: str, parallel: tuple[int, int] | None):
    """(EFA, KMO, Bartlett, parallel analysis or None), all of one correlation matrix (Pearson or
    polychoric, estimated once)."""
    import pandas as pd

    from scoring.stats.efa.factors import bartlett, correlation_input, efa_of, kmo, parallel_of

    inp = correlation_input(frame, missing=missing, cor=cor)
    pa = parallel_of(inp, n_iter=parallel[0], seed=parallel[1]) if parallel else None
    if cor == "pearson":  # psych's KMO and Bartlett of the data, with their missing-data rule
        return efa_of(inp, factors, method=method, rotation=rotation), kmo(frame, missing=missing), bartlett(frame, missing=missing), pa
    matrix = pd.DataFrame(inp.corr, index=inp.used, columns=inp.used)
    return efa_of(inp, factors, method=method, rotation=rotation), kmo(corr=matrix), bartlett(corr=matrix, n_obs=inp.n_obs), pa


def register(app: typer.Typer) -> None:
    app.command("efa", cls=list_options())(efa_command)
