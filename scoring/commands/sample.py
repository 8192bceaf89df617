"""``samklima sample``: write a synthetic organisation, staff answers and client feedback."""

from __future__ import annotations

from pathlib import Path

import typer

from scoring.samples.defaults import DEFAULT_RESPONDENTS, DEFAULT_ROUNDS, DEFAULT_SEED, DEFAULT_UNITS


def sample(
    out: Path = typer.Option(
        ..., "--out", help="Directory to write units.csv, responses.csv, feedback.csv and headcount.csv to."
    ),
    respondents: int = typer.Option(DEFAULT_RESPONDENTS, "--respondents", help="Staff responses over all rounds."),
    units: int = typer.Option(DEFAULT_UNITS, "--units", help="Leaf units that receive answers."),
    rounds: int = typer.Option(DEFAULT_ROUNDS, "--rounds", help="Survey rounds (2024-1, 2025-1, ...)."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Random seed; the same seed gives identical files."),
) -> None:
    """Generate synthetic sample data with known structure (bifactor items, unit effects, trend).

    The defaults reproduce the demo set in sample_data/.
    """
    from scoring.samples.generator import generate_sample

    data = generate_sample(respondents=respondents, units=units, rounds=rounds, seed=seed)
    data.write(out)
    typer.echo(
        f"wrote {len(data.responses)} responses from {units} units in {rounds} rounds, "
        f"{len(data.feedback)} feedback contacts from {data.feedback['client'].nunique()} clients "
        f"and {len(data.units)} units to {out} (seed {seed})",
        err=True,
    )


def register(app: typer.Typer) -> None:
    app.command("sample")(sample)
