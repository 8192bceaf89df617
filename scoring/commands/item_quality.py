"""``samklima item-quality``: per item of one scale, how people answer it and whether it helps the scale.

``--items`` (with ``--reverse``, ``--low``/``--high``, ``--dont-know``) or ``--instrument ID
--scale S`` (all of these from the instrument).

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

from scoring.commands._options import list_options
from scoring.commands.irt import _check_columns, _item_names, _item_table
from scoring.errors import UserError


def item_quality_command(
    data: Path = typer.Argument(..., help="Responses: .csv, .xlsx or .sav, one row per respondent."),
    items: list[str] | None = typer.Option(None, "--items", help="Item columns of one scale (space- or comma-separated, or repeated)."),
    instrument: str | None = typer.Option(None, "--instrument", "-i", help="Bundled instrument id or YAML file: items, reverse keys, limits and \"don't know\" codes of --scale."),
    scale: str | None = typer.Option(None, "--scale", "-s", help="With --instrument: the scale's id."),
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

    if instrument is not None:
        if items or reverse or low is not None or high is not None or dont_know:
            raise UserError.single("--items, --reverse, --low, --high and --dont-know go without --instrument; with it they come from the instrument")
        items, reverse, low, high, dont_know = _from_instrument(instrument, scale)
    elif scale is not None:
        raise UserError.single("--scale needs --instrument")
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


def _from_instrument(instrument_id: str, scale_id: str | None) -> tuple[list[str], list[str], float, float, list[float]]:
    """(items, reverse-keyed items, low, high, "don't know" codes) of the instrument's scale."""
    from scoring.instrument.catalog import resolve

    inst = resolve(instrument_id)
    known = [s.id for s in inst.scales]
    if scale_id not in known:
        raise UserError.single(f"name one scale of '{inst.id}' with --scale (scales: {', '.join(known)})", path="--scale")
    scale = inst.scale(scale_id)
    rs = inst.response_scale_of(scale.items[0])
    reverse = [i for i in scale.items if inst.item(i).reverse]
    return list(scale.items), reverse, float(rs.min), float(rs.max), [float(c) for c in rs.missing]


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
    app.command("item-quality", cls=list_options("--items", "--reverse"))(item_quality_command)
