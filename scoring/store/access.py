"""Who may see what: accounts, roles and the unit scope of a manager.

Roles (docs/privacy.md and docs/accounts.md): ``admin`` (setup, everything, accounts included), ``coordinator``
(the landing page's running round, the Administrasjon page: rounds, links, codes, posters, paper forms and response rates, and
the Oversikt page of response rates; no account administration, no scores, no exports), ``manager`` (the assigned units and every unit
below them), ``researcher`` (quality pages and exports, whole organisation), ``clinician`` (own
clients' feedback). Every page asks :class:`Principal` for its scope *before*
reading data, so a manager who edits a URL or a widget to reach another unit gets nothing.

Passwords are stored as argon2id hashes (argon2-cffi, RFC 9106 defaults).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, select

from scoring.errors import UserError

ROLES = ("admin", "coordinator", "manager", "researcher", "clinician")

PAGES_BY_ROLE: dict[str, tuple[str, ...]] = {
    "admin": ("landing", "plans", "overview", "compare", "trends", "items", "partners", "quality", "export", "admin", "clients"),
    "coordinator": ("landing", "overview", "admin"),
    "manager": ("landing", "plans", "overview", "compare", "trends", "items", "partners", "quality"),
    "researcher": ("overview", "compare", "trends", "items", "partners", "quality", "export"),
    "clinician": ("clients",),
}

_HASHER = PasswordHasher()


class AccessDenied(UserError):
    """A request outside the principal's scope; the message names nothing outside it."""


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted; parameters stored in the hash)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Principal:
    """A logged-in person: role, and for a manager the units they may see (with descendants)."""

    username: str
    role: str
    units: frozenset[str] | None = None  # None = the whole organisation
    clinician: str | None = None
    assigned: tuple[str, ...] = field(default=())

    @property
    def whole_organisation(self) -> bool:
        return self.units is None

    def may_open(self, page: str) -> bool:
        return page in PAGES_BY_ROLE.get(self.role, ())

    @property
    def may_manage_accounts(self) -> bool:
        """Only an administrator adds, changes and deactivates accounts and approves requests."""
        return self.role == "admin"

    def scope(self, unit_ids) -> list[str]:
        """The subset of ``unit_ids`` this principal may see, in the given order."""
        if self.units is None:
            return list(unit_ids)
        return [u for u in unit_ids if u in self.units]

    def require_units(self, requested) -> list[str]:
        """``requested`` if all are in scope; otherwise :class:`AccessDenied` (nothing is read)."""
        requested = list(requested)
        outside = [u for u in requested if self.units is not None and u not in self.units]
        if outside:
            raise AccessDenied.single(
                "Du har ikke tilgang til denne enheten. / You do not have access to this unit.", path="unit", code="no_access_unit"
            )
        return requested


def principal_for(engine: Engine, username: str) -> Principal | None:
    """The principal of an active account, with a manager's scope expanded down the unit tree."""
    from scoring.store.models import Unit, User, UserUnit
    from scoring.store.organisation import below

    with engine.connect() as conn:
        user = conn.execute(select(User).where(User.username == username, User.active.is_(True))).first()
        if user is None:
            return None
        assigned = tuple(conn.execute(select(UserUnit.unit_id).where(UserUnit.user_id == user.id)).scalars())
        # Every page run checks the session against the database (a deactivated account is out at
        # once), so this is read per run: the tree's (unit, parent) pairs only, not the unit table
        # as a DataFrame (0.1 s of a widget change on a national tree, py-spy).
        edges = conn.execute(select(Unit.id, Unit.parent_id)).all() if user.role == "manager" else ()
    units = None
    if user.role == "manager":
        units = frozenset(below(edges, assigned)) | frozenset(assigned)
    return Principal(user.username, user.role, units, user.clinician, assigned)


def authenticate(engine: Engine, username: str, password: str) -> Principal | None:
    """The principal for a correct username and password, else ``None`` (same for both errors)."""
    from scoring.store.models import User

    with engine.connect() as conn:
        stored = conn.execute(
            select(User.password_hash).where(User.username == username, User.active.is_(True))
        ).scalar_one_or_none()
    if stored is None:
        spend_password_time(password)
        return None
    if not verify_password(stored, password):
        return None
    return principal_for(engine, username)


def spend_password_time(password: str) -> None:
    """Verify ``password`` against a dummy hash, so that a refusal for any other reason (an
    unknown name, a locked account) takes as long as a wrong password and tells nothing."""
    verify_password(_dummy_hash(), password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _HASHER.hash("not a password")


def scope_frame(principal: Principal, frame: pd.DataFrame, column: str = "unit") -> pd.DataFrame:
    """Rows of ``frame`` whose unit is in the principal's scope."""
    if principal.units is None:
        return frame
    return frame[frame[column].isin(principal.units)]
