"""``samklima demo``: fill the configured database with the sample organisation."""

from __future__ import annotations

import typer


def demo(
    respondents: int | None = typer.Option(None, "--respondents", help="Generate this many staff responses instead of loading sample_data/."),
    units: int | None = typer.Option(None, "--units", help="Generate this many answering units."),
    seed: int | None = typer.Option(None, "--seed", help="Seed of the generated organisation."),
    as_json: bool = typer.Option(False, "--json", help="Print what was stored as JSON."),
) -> None:
    """Load the sample organisation: units, rounds, answers, headcounts, client feedback and the
    demo accounts admin, leder, forsker and kliniker (password: demo).

    Without options the committed sample_data/ set is loaded; with any option a set is generated
    (scoring.samples.generator). Running it again stores nothing twice.
    """
    from scoring.formats.tables import json_text
    from scoring.samples.demo import DEMO_PASSWORD, load_demo, sample_tables
    from scoring.store.db import describe, get_engine

    engine = get_engine()
    summary = load_demo(engine, sample_tables(respondents, units, seed))
    if as_json:
        typer.echo(json_text(summary))
        return
    r = summary["responses"]
    typer.echo(
        f"{describe(engine)}: units {summary['units']['added']} added / {summary['units']['updated']} updated, "
        f"rounds created {', '.join(summary['rounds_created']) or 'none'}, "
        f"responses {r['stored']} stored / {r['skipped']} already there, "
        f"feedback contacts {summary['feedback']['stored']} stored / {summary['feedback']['skipped']} already there, "
        f"accounts created: {', '.join(summary['accounts']) or 'none'} (password '{DEMO_PASSWORD}')"
    )


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
