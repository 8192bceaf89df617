"""Action plans: what a unit agreed to work on after a round, and how it went.

After a round a manager sits down with the team and agrees on two or three things to work on
(the follow-up routine of KS 10-FAKTOR; "action planning" in staff-survey tools). Each action is
stored for a unit, the round whose results led to it and the scale (optionally one item of it)
it aims at, with who is responsible (a role, not a name), a due date, a status (planned,
started, done, dropped) and a short follow-up note. :mod:`scoring.reporting.landing` shows it
beside the next round's published value of that scale.

Scope is checked here, before anything is read or written: a manager sees and edits the actions
of their own units (and the units below them), an admin (the survey coordinator) all of them;
a researcher may read them (for the export: did the units that acted improve?), a clinician
nothing. Free text goes through the same fødselsnummer refusal as every free-text field, and
every value is checked against its column, so bad input stores nothing and says what was wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import pandas as pd
from sqlalchemy import Engine, select, update

from scoring.errors import Problem, UserError
from scoring.responses.national_id import find_national_id, national_id_message
from scoring.store.db import write_transaction
from scoring.store.limits import text_problem
from scoring.store.models import ACTION_STATUSES, ActionPlan, Round, Unit
from scoring.store.rounds import round_row
from scoring.store.submit import load_form

COLUMNS = ["id", "round", "unit", "scale", "item", "what", "owner", "due", "status", "note", "updated_on"]
EDITORS = ("admin", "manager")
READERS = ("admin", "manager", "researcher")


@dataclass(frozen=True)
class Action:
    """One stored action (the row of :data:`COLUMNS`)."""

    id: int
    round: str
    unit: str
    scale: str
    item: str | None
    what: str
    owner: str
    due: dt.date | None
    status: str
    note: str | None
    updated_on: dt.date

    def to_dict(self) -> dict:
        out = asdict(self)
        for key in ("due", "updated_on"):
            out[key] = None if out[key] is None else out[key].isoformat()
        return out


def _text(problems: list[Problem], value: str | None, column, path: str, what: str, *, required: bool) -> str | None:
    value = None if value is None else str(value).strip()
    if not value:
        if required:
            problems.append(Problem(f"{what} is empty", path=path, code="field_empty"))
        return None
    if (why := text_problem(value, column)) is not None:
        problems.append(Problem(why, path=path, code="text_too_long", params={"max": column.type.length}))
    elif (found := find_national_id(value)) is not None:
        problems.append(Problem(national_id_message(what, found), path=path, code="national_id"))
    return value


def _check_editor(principal, unit: str | None = None) -> None:
    if principal is None:
        return
    if principal.role not in EDITORS:
        raise UserError.single(f"the role '{principal.role}' may not record or change actions", path="--as", code="role_no_actions")
    if unit is not None and principal.units is not None and unit not in principal.units:
        raise UserError.single("Du har ikke tilgang til denne enheten. / You do not have access to this unit.", path="--unit",
                               code="no_access_unit")


def _scales_of(conn, rnd) -> dict[str, tuple[str, ...]]:
    form = load_form(conn, rnd.id, rnd.form_hash)
    return {scale.id: tuple(scale.items) for inst in form.instruments for scale in inst.scales}


def add_action(engine: Engine, *, round_name: str, unit: str, scale: str, what: str, owner: str,
               due: dt.date | None = None, item: str | None = None, note: str | None = None,
               principal=None, today: dt.date | None = None) -> Action:
    """Store a new action (status ``planned``); every problem is reported at once, nothing stored."""
    today = today or dt.date.today()
    _check_editor(principal, unit)
    table = ActionPlan.__table__
    problems: list[Problem] = []
    what = _text(problems, what, table.c.what, "--what", "the action", required=True)
    owner = _text(problems, owner, table.c.owner, "--owner", "the responsible role", required=True)
    note = _text(problems, note, table.c.note, "--note", "the note", required=False)
    with write_transaction(engine) as conn:
        rnd = round_row(conn, round_name)
        kind = conn.execute(select(Unit.unit_type).where(Unit.id == unit)).scalar_one_or_none()
        if kind is None:
            problems.append(Problem(f"no unit '{unit}'", path="--unit", code="unknown_unit", params={"unit": unit}))
        elif kind == "partner":
            problems.append(Problem(f"'{unit}' is a partner service, not a surveyed unit", path="--unit", code="partner_not_unit", params={"unit": unit}))
        scales = _scales_of(conn, rnd)
        if scale not in scales:
            problems.append(Problem(f"no scale '{scale}' in round '{round_name}' (scales: {', '.join(scales)})", path="--scale", code="no_scale",
                                    params={"scale": scale, "round": round_name}))
        elif item is not None and item not in scales[scale]:
            problems.append(Problem(f"item '{item}' is not part of scale '{scale}' ({', '.join(scales[scale])})", path="--item", code="item_not_in_scale",
                                    params={"item": item, "scale": scale}))
        if problems:
            raise UserError(problems)
        new_id = conn.execute(table.insert().values(
            unit_id=unit, round_id=rnd.id, scale=scale, item=item, what=what, owner=owner, due=due,
            status="planned", note=note, updated_on=today).returning(table.c.id)).scalar_one()
    return get_action(engine, new_id)


def set_status(engine: Engine, action_id: int, status: str, *, note: str | None = None, principal=None,
               today: dt.date | None = None) -> Action:
    """Change an action's status (and note); a manager only for their own units."""
    today = today or dt.date.today()
    problems: list[Problem] = []
    if status not in ACTION_STATUSES:
        problems.append(Problem(f"unknown status '{status}' (choose one of {', '.join(ACTION_STATUSES)})", path="STATUS", code="unknown_status",
                                params={"status": status}))
    note = _text(problems, note, ActionPlan.__table__.c.note, "--note", "the note", required=False)
    current = get_action(engine, action_id, principal=principal)
    _check_editor(principal, current.unit)
    if problems:
        raise UserError(problems)
    values = {"status": status, "updated_on": today}
    if note is not None:
        values["note"] = note
    with write_transaction(engine) as conn:
        conn.execute(update(ActionPlan).where(ActionPlan.id == action_id).values(**values))
    return get_action(engine, action_id)


def get_action(engine: Engine, action_id: int, *, principal=None) -> Action:
    """One action; an id outside the principal's scope is reported as not found."""
    found = list_actions(engine, action_id=action_id, principal=principal)
    if found.empty:
        raise UserError.single(f"no action with id {action_id}", path="ID", code="no_action", params={"id": action_id})
    row = found.iloc[0].to_dict()
    row = {k: (None if (v is None or (not isinstance(v, str) and pd.isna(v))) else v) for k, v in row.items()}
    return Action(**{**row, "id": int(row["id"])})


def list_actions(engine: Engine, *, round_name: str | None = None, unit: str | None = None, principal=None,
                 action_id: int | None = None) -> pd.DataFrame:
    """Actions (:data:`COLUMNS`) in the principal's scope, oldest round first; ``unit`` means
    that unit only (not the units below it)."""
    if principal is not None and principal.role not in READERS:
        raise UserError.single(f"the role '{principal.role}' may not read action plans", path="--as", code="role_no_plans")
    query = (select(ActionPlan.id, Round.name.label("round"), ActionPlan.unit_id.label("unit"), ActionPlan.scale,
                    ActionPlan.item, ActionPlan.what, ActionPlan.owner, ActionPlan.due, ActionPlan.status,
                    ActionPlan.note, ActionPlan.updated_on)
             .join(Round, Round.id == ActionPlan.round_id).order_by(Round.id, ActionPlan.unit_id, ActionPlan.id))
    if round_name is not None:
        with engine.connect() as conn:
            round_row(conn, round_name)
        query = query.where(Round.name == round_name)
    if unit is not None:
        query = query.where(ActionPlan.unit_id == unit)
    if action_id is not None:
        query = query.where(ActionPlan.id == action_id)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if principal is not None and principal.units is not None:
        frame = frame[frame["unit"].isin(principal.units)].reset_index(drop=True)
    return frame
