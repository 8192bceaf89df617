"""``samklima publication``: exactly what a user sees, as JSON, for auditors."""

from __future__ import annotations

import typer

from scoring.errors import UserError


def publication(
    rounds: list[str] = typer.Option(..., "--round", help="A round; repeat for several."),
    as_user: str | None = typer.Option(None, "--as", help="Show what this user sees (default: the organisation-wide view)."),
    as_json: bool = typer.Option(False, "--json", help="Print the publication as JSON (the contract in docs/privacy.md)."),
) -> None:
    """Every number any page, report or download can show for the rounds, decided jointly
    (docs/privacy.md): response counts, unit, organisation and unit-type means of every scale,
    item answer counts and partner ratings, with the hidden cells and why they are hidden."""
    from scoring.privacy.publication import Viewer
    from scoring.store.access import principal_for
    from scoring.store.db import ready_engine
    from scoring.store.publication import publication as make

    engine = ready_engine()
    viewer = Viewer()
    if as_user is not None:
        principal = principal_for(engine, as_user)
        if principal is None:
            raise UserError.single(f"no active user '{as_user}'", path="--as")
        viewer = Viewer.of(principal)
    result = make(engine, rounds, viewer)
    typer.echo(result.to_json() if as_json else result.summary())


def register(app: typer.Typer) -> None:
    app.command("publication")(publication)
