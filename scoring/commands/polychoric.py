"""``samklima polychoric``: the polychoric correlation matrix of ordinal items (psych::polychoric,
lavaan::lavCor with ordered items).

JSON (``--json``) keys: ``items`` (those in the matrix), ``n`` (rows), ``rho`` (rows of the
matrix, in ``items`` order), ``tau`` (rows of thresholds per item), ``n_pairs`` (respondents per
pair), ``dropped`` (items left out: no variance or no answers), ``smoothed`` (psych::cor.smooth
applied), ``global_thresholds``, ``warnings``. NaN is written as null.
"""

from __future__ import annotations

from pathlib import Path

import typer

from scoring.commands._options import list_options
from scoring.commands.efa import _dump, load_items
from scoring.errors import UserError


def polychoric_command(
    data: Path = typer.Argument(..., help="Responses: .csv, .xlsx or .sav, one row per response."),
    items: list[str] | None = typer.Option(None, "--items", help="Item columns: --items a1 a2 a3 (or a1,a2,a3, or repeated)."),
    instrument: str | None = typer.Option(None, "--instrument", help="Bundled instrument id or YAML path: code and reverse-key items."),
    scale: str | None = typer.Option(None, "--scale", help="With --instrument: the items of this scale."),
    id_column: str | None = typer.Option(None, "--id", help="With --instrument: the response id column."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Polychoric correlations and thresholds of ordinal items (two-step ML, as R's psych::polychoric and lavaan::lavCor).

    Each item is a cut standard normal; thresholds come from its answers, each correlation from
    the respondents who answered both items. Items need whole-number codes, at most 8 categories.
    """
    from scoring.stats.polychoric import polychoric

    frame = load_items(data, items, instrument, scale, id_column)
    try:
        result = polychoric(frame)
    except ValueError as err:  # codes that are not ordinal categories
        raise UserError.single(str(err), file=str(data)) from None
    if not as_json:
        typer.echo(result.summary())
        return
    payload = result.to_dict()
    payload["n_pairs"] = result.n_pairs.to_numpy().tolist()
    typer.echo(_dump(payload))


def register(app: typer.Typer) -> None:
    app.command("polychoric", cls=list_options())(polychoric_command)
