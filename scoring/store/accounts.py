"""Accounts: username, display name, argon2id password hash, role, assigned units, active.

Roles (docs/privacy.md and docs/accounts.md): ``admin`` sets up everything, accounts included;
``coordinator`` runs rounds, links, codes, posters and follows response rates, without account
administration; ``manager`` sees the dashboard for the assigned units and everything below
them; ``researcher`` sees quality pages and exports; ``clinician`` sees the feedback of their
own clients (``clinician`` = their id in the feedback data). Logging in and access checks are
:mod:`scoring.store.access` (``authenticate``, ``principal_for``); this module only writes the
``users`` and ``user_units`` tables.

The functions behind ``samklima users`` and the Admin page (:func:`add_user`, :func:`set_role`,
:func:`set_units`, :func:`deactivate`, :func:`reset_password`) check everything before writing
and write in one transaction: an unknown unit or user, a duplicate name, a weak password or a
national identity number in a name raise :class:`~scoring.errors.UserError` and store nothing.
An account is never deleted (its history stays); a deactivated one cannot log in, and at least
one active administrator always remains.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import Engine, func, select, update

from scoring.errors import Problem, UserError
from scoring.responses.national_id import find_national_id, national_id_message
from scoring.store.access import hash_password
from scoring.store.db import write_transaction
from scoring.store.models import ROLES, Unit, User, UserUnit

MIN_PASSWORD_LENGTH = 10
# Passwords seen first in every guessing list (NIST SP 800-63B 5.1.1.2 asks to refuse such).
COMMON_PASSWORDS = frozenset({
    "password", "passord", "passord123", "password123", "1234567890", "qwertyuiop", "sommer2026", "vinter2026",
    "velkommen1", "welcome123", "samklima", "samklima123", "demo", "admin12345", "administrator",
})


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    units: tuple[str, ...]
    clinician: str | None = None
    name: str | None = None
    active: bool = True

    def to_dict(self) -> dict:
        """``{username, name, role, units, active}`` (what ``samklima users list --json`` prints)."""
        return {"username": self.username, "name": self.name, "role": self.role, "units": list(self.units), "active": self.active}


def password_problems(password: str | None, username: str = "") -> list[Problem]:
    """Why ``password`` is too weak to store, if it is: empty, shorter than
    :data:`MIN_PASSWORD_LENGTH` characters, one character repeated, the username, or a very common
    password (NIST SP 800-63B 5.1.1.2: length and a blocklist, no composition rules)."""
    if not password:
        return [Problem("the password is empty", path="password", code="password_empty")]
    if len(password) < MIN_PASSWORD_LENGTH:
        return [Problem(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters", path="password", code="password_short",
                        params={"min": MIN_PASSWORD_LENGTH})]
    folded = password.casefold()
    if len(set(folded)) == 1 or folded == username.strip().casefold() or folded in COMMON_PASSWORDS:
        return [Problem("the password is too easy to guess (a common password, the username or one repeated character)", path="password", code="password_guessable")]
    return []


def create_account(
    engine: Engine,
    username: str,
    password: str,
    role: str,
    *,
    units: Iterable[str] = (),
    clinician: str | None = None,
    replace: bool = False,
    name: str | None = None,
    password_rules: bool = False,
    oidc: tuple[str, str] | None = None,
) -> Account:
    """Create an account (or, with ``replace``, reset its password, role and units).

    ``password_rules`` refuses a weak password (:func:`password_problems`; ``samklima users add``
    and the Admin page use it, the demo's ``demo`` password does not). ``oidc`` (issuer, subject)
    ties the account to an OpenID Connect identity; such an account may have no password.
    """
    username = (username or "").strip()
    name = (name or "").strip() or None
    units = list(dict.fromkeys(units))
    problems = account_problems(username, role, units, name=name, clinician=clinician)
    if password_rules:
        problems += password_problems(password, username)
    elif not password and oidc is None:
        problems.append(Problem("the password is empty", path="password", code="password_empty"))
    if problems:
        raise UserError(problems)
    password_hash = hash_password(password) if password else None
    with write_transaction(engine) as conn:
        check_units(conn, units)
        user_id = conn.execute(select(User.id).where(func.lower(User.username) == username.lower())).scalar()
        if user_id is not None and not replace:
            raise UserError.single(f"an account named '{username}' exists already", path="username", code="account_exists",
                                     params={"username": username})
        values = dict(password_hash=password_hash, role=role, clinician=clinician, active=True, name=name)
        if oidc is not None:
            values.update(oidc_issuer=oidc[0], oidc_subject=oidc[1])
        if user_id is None:
            user_id = conn.execute(User.__table__.insert().values(username=username, **values).returning(User.id)).scalar_one()
        else:
            conn.execute(User.__table__.update().where(User.id == user_id).values(**values))
            conn.execute(UserUnit.__table__.delete().where(UserUnit.user_id == user_id))
        if units:
            conn.execute(UserUnit.__table__.insert(), [dict(user_id=user_id, unit_id=u) for u in units])
    return Account(username, role, tuple(units), clinician, name)


def account_problems(username: str, role: str, units, *, name: str | None = None, clinician: str | None = None) -> list[Problem]:
    """What is wrong with a new account's name, display name, clinician id, role and units
    (everything that needs no database): lengths, a national identity number, the role."""
    problems = []
    if not username or len(username) > 64:
        problems.append(Problem("the username must be 1..64 characters", path="username", code="username_length"))
    elif (found := find_national_id(username)) is not None:
        problems.append(Problem(national_id_message("the username", found), path="username", code="national_id"))
    if clinician is not None and (found := find_national_id(clinician)) is not None:
        problems.append(Problem(national_id_message("the clinician id", found), path="clinician", code="national_id"))
    if name is not None and len(name) > 200:
        problems.append(Problem("the name must be at most 200 characters", path="name", code="name_too_long"))
    elif name is not None and (found := find_national_id(name)) is not None:
        problems.append(Problem(national_id_message("the name", found), path="name", code="national_id"))
    return problems + role_problems(role, units)


def role_problems(role: str, units) -> list[Problem]:
    """A role must be known, and a manager needs at least one unit."""
    if role not in ROLES:
        return [Problem(f"unknown role '{role}' (use {', '.join(ROLES)})", path="role", code="unknown_role",
                        params={"role": role, "roles": ", ".join(ROLES)})]
    if role == "manager" and not units:
        return [Problem("a manager needs at least one unit", path="units", code="manager_needs_unit")]
    return []


def check_units(conn, units) -> None:
    """Refuse unit ids that are not in the organisation (inside the caller's transaction)."""
    units = list(units)
    known = set(conn.execute(select(Unit.id).where(Unit.id.in_(units))).scalars()) if units else set()
    unknown = [u for u in units if u not in known]
    if unknown:
        raise UserError.single("unknown unit(s): " + ", ".join(unknown) + " (see samklima units list)", path="units",
                                     code="unknown_units", params={"units": ", ".join(unknown)})


def check_new_account(engine: Engine, username: str, role: str, *, units: Iterable[str] = (), name: str | None = None) -> None:
    """Everything :func:`add_user` checks except the password, without writing: lets the command
    line refuse a bad name, role or unit before it asks for a password."""
    username = (username or "").strip()
    units = list(dict.fromkeys(units))
    if problems := account_problems(username, role, units, name=(name or "").strip() or None):
        raise UserError(problems)
    with engine.connect() as conn:
        check_units(conn, units)
        if conn.execute(select(User.id).where(func.lower(User.username) == username.lower())).first() is not None:
            raise UserError.single(f"an account named '{username}' exists already", path="username", code="account_exists",
                                     params={"username": username})


def check_user_exists(engine: Engine, username: str) -> None:
    with engine.connect() as conn:
        _user_id(conn, username)


def add_user(
    engine: Engine,
    username: str,
    password: str | None,
    role: str,
    *,
    units: Iterable[str] = (),
    name: str | None = None,
    clinician: str | None = None,
) -> Account:
    """A new account with a password that passes :func:`password_problems` (``samklima users
    add``, the Admin page). A clinician's id in the feedback data defaults to the username."""
    if role == "clinician" and not clinician:
        clinician = (username or "").strip() or None
    return create_account(engine, username, password or "", role, units=units, name=name, clinician=clinician, password_rules=True)


def _user_id(conn, username: str) -> int:
    user_id = conn.execute(select(User.id).where(User.username == username)).scalar()
    if user_id is None:
        raise UserError.single(f"no account named '{username}' (see samklima users list)", path="username", code="no_account",
                               params={"username": username})
    return user_id


def _keeps_an_admin(conn, user_id: int) -> None:
    """Refuse a change that would leave no active administrator."""
    others = conn.execute(
        select(func.count()).select_from(User).where(User.role == "admin", User.active.is_(True), User.id != user_id)
    ).scalar_one()
    if not others:
        raise UserError.single("this is the last active administrator: make another administrator first", path="username", code="last_admin")


def set_role(engine: Engine, username: str, role: str) -> Account:
    """Give an account another role (its units are kept; a manager must have at least one)."""
    return change_account(engine, username, role=role)


def set_units(engine: Engine, username: str, units: Iterable[str]) -> Account:
    """Replace the units assigned to an account (all must exist; a manager keeps at least one)."""
    return change_account(engine, username, units=units)


def change_account(engine: Engine, username: str, *, role: str | None = None, units: Iterable[str] | None = None) -> Account:
    """Change the role, the units or both in one transaction, checked as a whole: unknown units,
    a manager without units and demoting the last active administrator are refused."""
    with write_transaction(engine) as conn:
        user_id = _user_id(conn, username)
        current = conn.execute(select(User.role, User.active).where(User.id == user_id)).one()
        if units is None:
            units = conn.execute(select(UserUnit.unit_id).where(UserUnit.user_id == user_id)).scalars().all()
            new_units = None
        else:
            units = new_units = list(dict.fromkeys(u.strip() for u in units if u and u.strip()))
            check_units(conn, units)
        role = role or current.role
        if problems := role_problems(role, units):
            raise UserError(problems)
        if current.role == "admin" and role != "admin" and current.active:
            _keeps_an_admin(conn, user_id)
        values = dict(role=role)
        if role == "clinician":
            values["clinician"] = conn.execute(select(func.coalesce(User.clinician, User.username)).where(User.id == user_id)).scalar_one()
        conn.execute(update(User).where(User.id == user_id).values(**values))
        if new_units is not None:
            conn.execute(UserUnit.__table__.delete().where(UserUnit.user_id == user_id))
            if new_units:
                conn.execute(UserUnit.__table__.insert(), [dict(user_id=user_id, unit_id=u) for u in new_units])
    return _account(engine, username)


def deactivate(engine: Engine, username: str) -> Account:
    """Deactivate an account: it cannot log in, its sessions end, its row and history stay."""
    with write_transaction(engine) as conn:
        user_id = _user_id(conn, username)
        if conn.execute(select(User.role).where(User.id == user_id, User.active.is_(True))).scalar() == "admin":
            _keeps_an_admin(conn, user_id)
        conn.execute(
            update(User).where(User.id == user_id).values(active=False, session_generation=User.session_generation + 1)
        )
    return _account(engine, username)


def has_local_password(engine: Engine, username: str) -> bool:
    """Whether the account can log in with a password here (a single sign-on account has none)."""
    with engine.connect() as conn:
        stored = conn.execute(select(User.password_hash).where(User.username == username)).scalar()
    return bool(stored)


def reset_password(engine: Engine, username: str, password: str) -> Account:
    """Set a new password (checked by :func:`password_problems`); every session of the account
    ends, so a stolen session cookie stops working too."""
    if problems := password_problems(password, username):
        raise UserError(problems)
    password_hash = hash_password(password)
    with write_transaction(engine) as conn:
        user_id = _user_id(conn, username)
        conn.execute(
            update(User).where(User.id == user_id).values(password_hash=password_hash, session_generation=User.session_generation + 1)
        )
    return _account(engine, username)


def _account(engine: Engine, username: str) -> Account:
    return next(a for a in list_accounts(engine) if a.username == username)


def set_active(engine: Engine, username: str, active: bool) -> None:
    """Deactivate (or reactivate) an account; a deactivated account is logged out on the next
    page load of every session (:func:`dashboard.auth.current_principal` checks each time)."""
    with write_transaction(engine) as conn:
        if not conn.execute(update(User).where(User.username == username).values(active=active)).rowcount:
            raise UserError.single(f"no account named '{username}'", path="username", code="no_account", params={"username": username})


def link_oidc(engine: Engine, username: str, issuer: str | None, subject: str | None) -> None:
    """Tie an account to one OpenID Connect identity (the ``iss`` and ``sub`` claims), for
    providers that do not verify e-mail addresses; ``None`` for both unties it."""
    if (issuer is None) != (subject is None) or (issuer is not None and not (issuer.strip() and subject.strip())):
        raise UserError.single("give both the issuer and the subject, or neither", path="oidc", code="oidc_half")
    with write_transaction(engine) as conn:
        taken = conn.execute(
            select(User.username).where(User.oidc_issuer == issuer, User.oidc_subject == subject, User.username != username)
        ).scalar() if issuer is not None else None
        if taken is not None:
            raise UserError.single(f"this identity is tied to the account '{taken}' already", path="oidc", code="identity_taken",
                                   params={"username": taken})
        if not conn.execute(update(User).where(User.username == username).values(oidc_issuer=issuer, oidc_subject=subject)).rowcount:
            raise UserError.single(f"no account named '{username}'", path="username", code="no_account", params={"username": username})


def list_accounts(engine: Engine) -> list[Account]:
    """Every account, deactivated ones included, by username."""
    with engine.connect() as conn:
        assigned = conn.execute(select(UserUnit.user_id, UserUnit.unit_id).order_by(UserUnit.unit_id)).all()
        users = conn.execute(
            select(User.id, User.username, User.role, User.clinician, User.name, User.active).order_by(User.username)
        ).all()
    units: dict[int, list[str]] = {}
    for user_id, unit_id in assigned:
        units.setdefault(user_id, []).append(unit_id)
    return [Account(u.username, u.role, tuple(units.get(u.id, ())), u.clinician, u.name, bool(u.active)) for u in users]
