"""``samklima actions add|list|set-status``: action plans after a round (docs/action-plans.md)."""

from __future__ import annotations

import typer

from scoring.commands._options import iso_date
from scoring.errors import UserError

actions_app = typer.Typer(help="Action plans: what units agreed to work on after a round, and how it went.",
                          no_args_is_help=True, rich_markup_mode=None)


def _principal(engine, as_user: str | None):
    if as_user is None:
        return None
    from scoring.store.access import principal_for

    principal = principal_for(engine, as_user)
    if principal is None:
        raise UserError.single(f"no active user '{as_user}'", path="--as")
    return principal


@actions_app.command("add")
def add(
    round_name: str = typer.Option(..., "--round", help="The round whose results led to the action."),
    unit: str = typer.Option(..., "--unit", help="The unit id."),
    scale: str = typer.Option(..., "--scale", help="The scale the action aims at (e.g. sk_info)."),
    what: str = typer.Option(..., "--what", help="What the unit will do."),
    owner: str = typer.Option(..., "--owner", help="Who is responsible: a role (e.g. enhetsleder), not a name."),
    due: str | None = typer.Option(None, "--due", help="By when (YYYY-MM-DD)."),
    item: str | None = typer.Option(None, "--item", help="One item of the scale, if the action aims at it."),
    as_user: str | None = typer.Option(None, "--as", help="Record as this user (a manager may only record for own units)."),
    as_json: bool = typer.Option(False, "--json", help="Print the stored action as JSON."),
) -> None:
    """Record an action for a unit and round (status: planned)."""
    from scoring.formats.tables import json_text
    from scoring.store.db import ready_engine
    from scoring.store.plans import add_action

    due_date = iso_date(due, "--due")
    engine = ready_engine()
    action = add_action(engine, round_name=round_name, unit=unit, scale=scale, what=what, owner=owner, due=due_date,
                        item=item, principal=_principal(engine, as_user))
    typer.echo(json_text(action.to_dict()) if as_json else f"added action {action.id}: {action.unit}, {action.scale}: {action.what}")


@actions_app.command("list")
def list_(
    round_name: str | None = typer.Option(None, "--round", help="Only actions after this round."),
    unit: str | None = typer.Option(None, "--unit", help="Only this unit's actions."),
    as_user: str | None = typer.Option(None, "--as", help="Show what this user may see."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list."),
) -> None:
    """List actions (oldest round first)."""
    from scoring.formats.tables import frame_records, json_text
    from scoring.store.db import ready_engine
    from scoring.store.plans import list_actions

    engine = ready_engine()
    frame = list_actions(engine, round_name=round_name, unit=unit, principal=_principal(engine, as_user))
    if as_json:
        typer.echo(json_text(frame_records(frame)))
    elif frame.empty:
        typer.echo("no actions yet (samklima actions add)")
    else:
        for row in frame.itertuples(index=False):
            typer.echo(f"{row.id:>4}  {row.round}  {row.unit}  {row.scale}  {row.status:<8} {row.what}")


@actions_app.command("set-status")
def set_status_(
    action_id: int = typer.Argument(..., metavar="ID", help="The action's id (from actions list)."),
    status: str = typer.Argument(..., metavar="STATUS", help="planned, started, done or dropped."),
    note: str | None = typer.Option(None, "--note", help="A short follow-up note."),
    as_user: str | None = typer.Option(None, "--as", help="Change as this user (a manager may only change own units' actions)."),
) -> None:
    """Change an action's status (and follow-up note)."""
    from scoring.store.db import ready_engine
    from scoring.store.plans import set_status

    engine = ready_engine()
    action = set_status(engine, action_id, status, note=note, principal=_principal(engine, as_user))
    typer.echo(f"action {action.id}: {action.status}")


def register(app: typer.Typer) -> None:
    app.add_typer(actions_app, name="actions")
