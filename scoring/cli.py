"""The ``samklima`` command line.

Each sub-command lives in its own module under :mod:`scoring.commands` and registers itself on
the Typer app here. User errors (:class:`scoring.errors.UserError`) exit with code 2 and a
clear message; unexpected errors exit with code 1.
"""

from __future__ import annotations

import typer

from scoring.errors import UserError

app = typer.Typer(
    name="samklima",
    help="Survey instruments and psychometrics for Norwegian health and care services.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: Rich's formatter (rich, markdown-it) takes longer to import than every
    # command together, and `samklima --help` should answer at once (tests/commands/test_cli_imports.py).
    # Each sub-command group (scoring/commands/*.py) says the same.
    rich_markup_mode=None,
)


def _register_commands() -> None:
    # Imported here so that `import scoring.cli` stays cheap and each command module can
    # import its heavier dependencies (SciPy, semopy, SQLAlchemy) on its own.
    from scoring.commands import register_all

    if not app.registered_commands:  # once per process (the tests call main() many times)
        register_all(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code (0, 1 or 2)."""
    _register_commands()
    try:
        app(args=argv, standalone_mode=False)
    except UserError as err:
        typer.echo(str(err), err=True)
        return 2
    except typer.Exit as ex:
        return int(ex.exit_code or 0)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        return 1
    except Exception as err:  # noqa: BLE001 - the last line of defence: say it is our fault
        click_errors = _click_exceptions()
        if isinstance(err, click_errors.UsageError):
            err.show()
            return 2
        if isinstance(err, click_errors.ClickException):
            err.show()
            return err.exit_code
        import traceback

        traceback.print_exc()
        typer.echo(
            "samklima: internal error (this is a bug; please report it with the lines above).",
            err=True,
        )
        return 1
    return 0



def _click_exceptions():
    # Typer >= 0.20 vendors its own copy of click; option errors come from that copy.
    try:
        from typer._click import exceptions
    except ImportError:  # older Typer uses the click package
        from click import exceptions
    return exceptions


if __name__ == "__main__":
    raise SystemExit(main())
