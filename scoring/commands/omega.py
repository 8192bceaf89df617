"""``samklima omega``: omega hierarchical and total (psych::omega) for a set of items.

JSON (``--json``) keys: ``omega_h``, ``omega_total``, ``ecv``, ``alpha`` (standardized, as
psych's omega reports it), ``omega_limit``, ``g6``, ``loadings`` ({item: {g, F1*, ..., h2, u2,
p2}}), ``phi``, ``g_loadings``, ``omega_group``, ``key``, ``fit``, ``general_fit``, ``n_obs``,
``correlation``, ``missing``, ``warnings``, ``reason``. NaN is written as null.
"""

from __future__ import annotations

from pathlib import Path

import typer

from scoring.commands._options import list_options
from scoring.commands.efa import _dump, load_items
from scoring.errors import UserError, check_choice


def omega_command(
    data: Path = typer.Argument(..., help="Responses: .csv, .xlsx or .sav, one row per response."),
    items: list[str] | None = typer.Option(None, "--items", help="Item columns: --items a1 a2 a3 (or a1,a2,a3, or repeated)."),
    factors: int = typer.Option(3, "--factors", "-k", help="Number of group factors (psych default 3)."),
    method: str = typer.Option("minres", "--method", help="Extraction: minres (psych default) or ml."),
    rotation: str = typer.Option("oblimin", "--rotation", help="oblimin (psych default) or promax."),
    missing: str = typer.Option("pairwise", "--missing", help="pairwise (psych default) or listwise."),
    ordinal: bool = typer.Option(False, "--ordinal", help="Use polychoric correlations (ordinal omega)."),
    instrument: str | None = typer.Option(None, "--instrument", help="Bundled instrument id or YAML path: code and reverse-key items."),
    scale: str | None = typer.Option(None, "--scale", help="With --instrument: the items of this scale."),
    id_column: str | None = typer.Option(None, "--id", help="With --instrument: the response id column."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """McDonald's omega (hierarchical and total) via a Schmid-Leiman transformation, as R's psych::omega."""
    from scoring.stats.efa.factors import METHODS, MISSING_RULES
    from scoring.stats.reliability.omega import ROTATIONS, omega

    for value, allowed, option in ((method, METHODS, "--method"), (rotation, ROTATIONS, "--rotation"), (missing, MISSING_RULES, "--missing")):
        check_choice(value, allowed, option)
    if factors < 1:
        raise UserError.single("--factors must be at least 1")
    frame = load_items(data, items, instrument, scale, id_column)
    if ordinal:
        try:
            result = omega(frame, factors, method=method, rotation=rotation, ordinal=True)
        except ValueError as err:  # polychoric: codes that are not ordinal categories
            raise UserError.single(f"--ordinal: {err}") from None
    else:
        result = omega(frame, factors, method=method, rotation=rotation, missing=missing)
    typer.echo(_dump(result.to_dict()) if as_json else result.summary())


def register(app: typer.Typer) -> None:
    app.command("omega", cls=list_options())(omega_command)
