"""``samklima users``: accounts, roles and units (the first administrator is made here).

A password is asked for twice without echo (:func:`getpass.getpass`), or read from the first
line of standard input with ``--password-stdin`` (for scripts; never on the command line, where
it would stay in the shell history and the process list). Everything else is checked before the
password is asked for; an error stores nothing and exits with code 2.
"""

from __future__ import annotations

import getpass
import sys

import typer

from scoring.errors import UserError

users_app = typer.Typer(help="Accounts: who may log in, with which role and units.", no_args_is_help=True, rich_markup_mode=None)

ROLE_HELP = "admin, coordinator, manager, clinician or researcher."
STDIN_HELP = "Read the password from the first line of standard input instead of asking."


def read_password(username: str, from_stdin: bool) -> str:
    """The new password: one line of stdin, or typed twice (the two must agree)."""
    from scoring.store import accounts

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"New password for {username}: ")
    if problems := accounts.password_problems(first, username):
        raise UserError(problems)
    if getpass.getpass("The same password again: ") != first:
        raise UserError.single("the two passwords differ", path="password")
    return first


@users_app.command("add")
def add(
    username: str = typer.Argument(..., help="The login name (an e-mail address works well with single sign-on)."),
    role: str = typer.Option(..., "--role", help=ROLE_HELP),
    unit: list[str] = typer.Option([], "--unit", help="A unit the person works with (repeat for more); a manager needs one."),
    name: str | None = typer.Option(None, "--name", help="The person's name as shown in the app."),
    clinician: str | None = typer.Option(None, "--clinician", help="A clinician's id in the feedback data (default: the username)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help=STDIN_HELP),
) -> None:
    """Add an account (the first one of a new installation should be an admin)."""
    from scoring.store import accounts
    from scoring.store.db import ready_engine

    engine = ready_engine()
    accounts.check_new_account(engine, username, role, units=unit, name=name)
    password = read_password(username.strip(), password_stdin)
    made = accounts.add_user(engine, username, password, role, units=unit, name=name, clinician=clinician)
    typer.echo(f"account {made.username} added ({made.role}{': ' + ', '.join(made.units) if made.units else ''})", err=True)


@users_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print [{username, name, role, units, active}] as JSON.")) -> None:
    """Every account, deactivated ones included."""
    from scoring.formats.tables import json_text
    from scoring.store import accounts
    from scoring.store.db import ready_engine

    found = accounts.list_accounts(ready_engine())
    if as_json:
        typer.echo(json_text([a.to_dict() for a in found]))
        return
    for a in found:
        typer.echo("\t".join([a.username, a.name or "", a.role, ",".join(a.units), "active" if a.active else "deactivated"]))


@users_app.command("set-role")
def set_role(username: str = typer.Argument(...), role: str = typer.Argument(..., help=ROLE_HELP)) -> None:
    """Give an account another role (its units are kept)."""
    from scoring.store import accounts
    from scoring.store.db import ready_engine

    made = accounts.set_role(ready_engine(), username, role)
    typer.echo(f"account {made.username} is now {made.role}", err=True)


@users_app.command("set-units")
def set_units(username: str = typer.Argument(...), units: list[str] = typer.Argument(None, help="Unit ids; none clears them.")) -> None:
    """Replace the units assigned to an account."""
    from scoring.store import accounts
    from scoring.store.db import ready_engine

    made = accounts.set_units(ready_engine(), username, units or [])
    typer.echo(f"account {made.username}: units {', '.join(made.units) or '(none)'}", err=True)


@users_app.command("deactivate")
def deactivate(username: str = typer.Argument(...)) -> None:
    """Stop an account from logging in (its sessions end; the account and its history stay)."""
    from scoring.store import accounts
    from scoring.store.db import ready_engine

    accounts.deactivate(ready_engine(), username)
    typer.echo(f"account {username} deactivated", err=True)


@users_app.command("reset-password")
def reset_password(
    username: str = typer.Argument(...),
    password_stdin: bool = typer.Option(False, "--password-stdin", help=STDIN_HELP),
) -> None:
    """Set a new password; every session of the account ends."""
    from scoring.store import accounts
    from scoring.store.db import ready_engine

    engine = ready_engine()
    accounts.check_user_exists(engine, username)
    accounts.reset_password(engine, username, read_password(username, password_stdin))
    typer.echo(f"password of {username} changed", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
