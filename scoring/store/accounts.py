"""Creating local accounts: username, argon2id password hash, role and assigned units.

Roles (docs/privacy.md): ``admin`` sets up units and rounds; ``manager`` sees the dashboard for
the assigned units and everything below them; ``researcher`` sees quality pages and exports;
``clinician`` sees the feedback of their own clients (``clinician`` = their id in the feedback
data). Logging in and access checks are :mod:`scoring.store.access` (``authenticate``,
``principal_for``); this module only writes the ``users`` and ``user_units`` tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import Engine, select, update

from scoring.errors import Problem, UserError
from scoring.responses.national_id import find_national_id, national_id_message
from scoring.store.access import hash_password
from scoring.store.db import write_transaction
from scoring.store.models import ROLES, Unit, User, UserUnit


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    units: tuple[str, ...]
    clinician: str | None = None

    def to_dict(self) -> dict:
        return {"username": self.username, "role": self.role, "units": list(self.units), "clinician": self.clinician}


def create_account(
    engine: Engine,
    username: str,
    password: str,
    role: str,
    *,
    units: Iterable[str] = (),
    clinician: str | None = None,
    replace: bool = False,
) -> Account:
    """Create an account (or, with ``replace``, reset its password, role and units)."""
    username = (username or "").strip()
    units = list(dict.fromkeys(units))
    problems = []
    if not username or len(username) > 64:
        problems.append(Problem("the username must be 1..64 characters", path="username"))
    elif (found := find_national_id(username)) is not None:
        problems.append(Problem(national_id_message("the username", found), path="username"))
    if clinician is not None and (found := find_national_id(clinician)) is not None:
        problems.append(Problem(national_id_message("the clinician id", found), path="clinician"))
    if role not in ROLES:
        problems.append(Problem(f"unknown role '{role}' (use {', '.join(ROLES)})", path="role"))
    if not password:
        problems.append(Problem("the password is empty", path="password"))
    if role == "manager" and not units:
        problems.append(Problem("a manager needs at least one unit", path="units"))
    if problems:
        raise UserError(problems)
    password_hash = hash_password(password)
    with write_transaction(engine) as conn:
        known = set(conn.execute(select(Unit.id).where(Unit.id.in_(units))).scalars()) if units else set()
        unknown = [u for u in units if u not in known]
        if unknown:
            raise UserError.single("unknown unit(s): " + ", ".join(unknown), path="units")
        user_id = conn.execute(select(User.id).where(User.username == username)).scalar()
        if user_id is not None and not replace:
            raise UserError.single(f"an account named '{username}' exists already", path="username")
        values = dict(password_hash=password_hash, role=role, clinician=clinician, active=True)
        if user_id is None:
            user_id = conn.execute(User.__table__.insert().values(username=username, **values).returning(User.id)).scalar_one()
        else:
            conn.execute(User.__table__.update().where(User.id == user_id).values(**values))
            conn.execute(UserUnit.__table__.delete().where(UserUnit.user_id == user_id))
        if units:
            conn.execute(UserUnit.__table__.insert(), [dict(user_id=user_id, unit_id=u) for u in units])
    return Account(username, role, tuple(units), clinician)


def set_active(engine: Engine, username: str, active: bool) -> None:
    """Deactivate (or reactivate) an account; a deactivated account is logged out on the next
    page load of every session (:func:`dashboard.auth.current_principal` checks each time)."""
    with write_transaction(engine) as conn:
        if not conn.execute(update(User).where(User.username == username).values(active=active)).rowcount:
            raise UserError.single(f"no account named '{username}'", path="username")


def link_oidc(engine: Engine, username: str, issuer: str | None, subject: str | None) -> None:
    """Tie an account to one OpenID Connect identity (the ``iss`` and ``sub`` claims), for
    providers that do not verify e-mail addresses; ``None`` for both unties it."""
    if (issuer is None) != (subject is None) or (issuer is not None and not (issuer.strip() and subject.strip())):
        raise UserError.single("give both the issuer and the subject, or neither", path="oidc")
    with write_transaction(engine) as conn:
        taken = conn.execute(
            select(User.username).where(User.oidc_issuer == issuer, User.oidc_subject == subject, User.username != username)
        ).scalar() if issuer is not None else None
        if taken is not None:
            raise UserError.single(f"this identity is tied to the account '{taken}' already", path="oidc")
        if not conn.execute(update(User).where(User.username == username).values(oidc_issuer=issuer, oidc_subject=subject)).rowcount:
            raise UserError.single(f"no account named '{username}'", path="username")


def list_accounts(engine: Engine) -> list[Account]:
    with engine.connect() as conn:
        assigned = conn.execute(select(UserUnit.user_id, UserUnit.unit_id).order_by(UserUnit.unit_id)).all()
        users = conn.execute(select(User.id, User.username, User.role, User.clinician).order_by(User.username)).all()
    units: dict[int, list[str]] = {}
    for user_id, unit_id in assigned:
        units.setdefault(user_id, []).append(unit_id)
    return [Account(u.username, u.role, tuple(units.get(u.id, ())), u.clinician) for u in users]
