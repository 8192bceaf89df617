"""``samklima db init``: create or upgrade the database schema."""

from __future__ import annotations

import typer

db_app = typer.Typer(help="The database (SQLite file by default; SAMKLIMA_DATABASE_URL for PostgreSQL).", no_args_is_help=True, rich_markup_mode=None)


@db_app.command("init")
def init(as_json: bool = typer.Option(False, "--json", help="Print {url, revision} as JSON.")) -> None:
    """Create the database and its tables, or upgrade them to this version's schema."""
    from scoring.formats.tables import json_text
    from scoring.store.db import current_revision, describe, get_engine, head_revision, migrate

    engine = get_engine()
    before = current_revision(engine)
    revision = migrate(engine)
    if as_json:
        typer.echo(json_text({"url": describe(engine), "revision": revision, "previous": before}))
        return
    what = "created" if before is None else ("upgraded" if before != revision else "up to date")
    typer.echo(f"database {what}: {describe(engine)} (schema {revision}, newest {head_revision()})")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
