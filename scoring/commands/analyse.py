"""``samklima analyse``: reliability and agreement of every scale of a round's instruments at once."""

from __future__ import annotations

from pathlib import Path

import typer

from scoring.errors import UserError
from scoring.privacy.thresholds import DEFAULT_MIN_N


def analyse(
    data: Path = typer.Argument(..., help="Responses: .csv, .xlsx or .sav, one row per respondent."),
    unit: str = typer.Option(..., "--unit", "-u", help="The column naming each respondent's unit."),
    instrument: list[str] | None = typer.Option(None, "--instrument", "-i",
                                                help="Bundled instrument id or YAML path; repeat for several (default: every bundled "
                                                     "instrument whose items are all columns of DATA)."),
    bootstrap: int = typer.Option(1000, "--bootstrap", help="Bootstrap resamples for alpha's percentile CI (0: Feldt's CI instead)."),
    seed: int | None = typer.Option(None, "--seed", help="Random seed of the bootstrap."),
    round_name: str | None = typer.Option(None, "--round", help="The round to analyse, when DATA has a 'round' column with several."),
    min_n: int = typer.Option(DEFAULT_MIN_N, "--min-n", help="Hide units with fewer answers than this (at least 3)."),
    id_column: str | None = typer.Option(None, "--id", help="The response id column."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (the table and every scale's full results)."),
) -> None:
    """Reliability and agreement of every scale in one run: alpha with a bootstrap CI, standardized alpha, G6, omega, ICC(1), ICC(2), the median rwg(j) and the units shown.

    The respondents are resampled once for the scales of all the instruments; units below --min-n answers, and units that would give them away, are hidden (`reliability` and `aggregate` give each part in full).
    """
    from scoring.commands._progress import progress
    from scoring.formats.tables import json_text
    from scoring.instrument.catalog import bundled_all, resolve
    from scoring.privacy import check_min_n
    from scoring.reporting.round_analysis import analyse_round
    from scoring.responses.reading import code_responses, read_table

    if bootstrap < 0:
        raise UserError.single("--bootstrap must be 0 or more", path="--bootstrap")
    min_n = check_min_n(min_n)
    table = _one_round(read_table(data), round_name, str(data))
    if unit not in table.columns:
        raise UserError.single(f"no unit column '{unit}' in the table", file=str(data), path=unit)
    if instrument:
        chosen = [resolve(name) for name in dict.fromkeys(instrument)]
    else:
        present = set(table.columns)
        chosen = [inst for inst in bundled_all() if inst.item_ids and set(inst.item_ids) <= present]
        if not chosen:
            raise UserError.single("no bundled instrument has all its items as columns of the table; name one with --instrument",
                                   file=str(data))
    seen: dict[str, str] = {}
    for inst in chosen:
        for scale in inst.scales:
            if scale.id in seen:
                raise UserError.single(f"scale '{scale.id}' is in both '{seen[scale.id]}' and '{inst.id}'; analyse them one at a time",
                                       path="--instrument")
            seen[scale.id] = inst.id
    if not seen:
        raise UserError.single("the instrument(s) define no scales", path="--instrument")
    coded = [(inst, code_responses(table, inst, id_column=id_column, file=str(data))) for inst in chosen]
    units = table[unit].where(table[unit].astype("string").str.strip() != "")
    with progress("analyse", total=2 * len(seen) + (1 if bootstrap > 0 else 0), unit="part") as step:
        result = analyse_round(coded, units, n_boot=bootstrap, seed=seed, min_n=min_n, progress=step)
    typer.echo(json_text(result.to_dict()) if as_json else result.summary())


def _one_round(table, round_name: str | None, file: str):
    """The rows of ``round_name``; the whole table when it has no 'round' column or one round only."""
    if "round" not in table.columns:
        if round_name is not None:
            raise UserError.single("--round needs a 'round' column in the table", file=file, path="--round")
        return table
    rounds = sorted(table["round"].dropna().astype(str).unique())
    if round_name is None:
        if len(rounds) > 1:
            raise UserError.single(f"the table holds {len(rounds)} rounds ({', '.join(rounds)}); choose one with --round",
                                   file=file, path="--round")
        return table
    if round_name not in rounds:
        raise UserError.single(f"no round '{round_name}' in the table (rounds: {', '.join(rounds)})", file=file, path="--round")
    return table[table["round"].astype(str) == round_name].reset_index(drop=True)


def register(app: typer.Typer) -> None:
    from scoring.commands._options import list_options

    app.command("analyse", cls=list_options("--instrument", "-i"))(analyse)
