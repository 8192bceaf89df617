"""``samklima item-quality``: per item of one scale, how people answer it and whether it helps the scale.

Per item: the share of each answer code, of "don't know" (``--dont-know CODE``) and of blanks,
floor and ceiling shares, item-rest r and alpha if dropped (psych ``alpha``), the loading in a
one-factor model (psych ``fa``), the graded model's information averaged over N(0, 1), and
warnings for items that hurt the scale (:mod:`scoring.stats.item_quality`).

JSON (``--json``, NaN as null): ``scale``, ``n_rows``, ``alpha``, ``codes``, ``limits``,
``information_method``, ``information_reason``, ``items`` ({item: {distribution: {code:
share}, dont_know, missing, floor, ceiling, item_rest_r, alpha_if_dropped, loading,
information, information_share, flags, warnings}}), ``warnings``.
"""

from __future__ import annotations

from pathlib import Path

import typer

from scoring.commands.irt import _check_columns, _item_names, _item_table
from scoring.commands.reliability import _ListOptionsCommand
from scoring.errors import UserError


def item_quality_command(
    data: Path = typer.Argument(..., help="Responses: .csv, .xlsx or .sav, one row per respondent."),
    items: list[str] | None = typer.Option(None, "--items", help="Item columns of one scale (space- or comma-separated, or repeated)."),
    reverse: list[str] | None = typer.Option(None, "--reverse", help="Items to reverse-key: x' = low + high - x (needs --low and --high)."),
    low: float | None = typer.Option(None, "--low", help="Lowest valid answer code (default: the lowest observed)."),
    high: float | None = typer.Option(None, "--high", help="Highest valid answer code (default: the highest observed)."),
    dont_know: list[float] | None = typer.Option(None, "--dont-know", help="A code that means \"don't know\" (e.g. 9); repeatable."),
    information: bool = typer.Option(True, "--information/--no-information", help="Fit the graded model for item information."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Item-level quality of one scale: answer shares, item-rest r, alpha if dropped, loading, information, warnings."""
    from scoring.formats.tables import json_text
    from scoring.responses.reading import read_table
    from scoring.stats.item_quality import item_quality

    names = _item_names(items)
    reversed_items = _item_names(reverse)
    _check_options(names, reversed_items, low, high)
    table = read_table(data)
    _check_columns(table, names, None, str(data))
    frame = _item_table(table, names, str(data))
    codes = list(dont_know or [])
    for name in reversed_items:  # "don't know" codes stay as they are
        frame[name] = frame[name].where(frame[name].isin(codes), low + high - frame[name])
    try:
        result = item_quality(frame, low=low, high=high, dont_know=codes, information=information)
    except ValueError as err:
        raise UserError.single(str(err), file=str(data)) from None
    typer.echo(json_text(result.to_dict()) if as_json else result.summary())


def _check_options(names: list[str], reverse: list[str], low: float | None, high: float | None) -> None:
    if len(names) < 2:
        raise UserError.single("name at least two items of the scale with --items")
    if len(set(names)) != len(names):
        raise UserError.single("an item is named twice in --items")
    if (low is None) != (high is None) or (low is not None and low >= high):
        raise UserError.single("give both --low and --high, with --low below --high")
    stray = [r for r in reverse if r not in names]
    if stray:
        raise UserError.single(f"--reverse {stray[0]}: not one of the --items")
    if reverse and low is None:
        raise UserError.single("--reverse needs --low and --high (the response scale's limits)")


def register(app: typer.Typer) -> None:
    app.command("item-quality", cls=_ListOptionsCommand)(item_quality_command)
