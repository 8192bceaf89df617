"""``samklima publication``: exactly what a user sees, as JSON, for auditors."""

from __future__ import annotations

import typer

from scoring.errors import UserError

UNIT_FIGURE_ROLES = ("admin", "manager")  # who sees client-feedback unit figures (scoring.feedback.caseload.unit_view)


def publication(
    rounds: list[str] = typer.Option([], "--round", help="A round; repeat for several (none: only the client-feedback figures)."),
    as_user: str | None = typer.Option(None, "--as", help="Show what this user sees (default: the organisation-wide view)."),
    as_json: bool = typer.Option(False, "--json", help="Print the publication as JSON (the contract in docs/privacy.md)."),
) -> None:
    """Every number any page, report or download can show for the rounds, decided jointly
    (docs/privacy.md): response counts, unit, organisation and unit-type means of every scale,
    item answer counts and partner ratings, with the hidden cells and why they are hidden; for
    administrators and managers also the client-feedback unit figures (round ``clients:DATE``)."""
    from scoring.feedback.caseload import feedback_decision_of
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
    clients = feedback_decision_of(engine) if viewer.role in UNIT_FIGURE_ROLES else None
    result = make(engine, rounds, viewer, more=[] if clients is None else [clients])
    typer.echo(result.to_json() if as_json else result.summary())


def register(app: typer.Typer) -> None:
    app.command("publication")(publication)
