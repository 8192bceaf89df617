"""The database the command line uses in a test: a SQLite file named by SAMKLIMA_DATABASE_URL
(the process-wide engine forgotten before and after), and one way to run ``samklima``."""

from __future__ import annotations

from collections.abc import Iterator

from scoring.cli import main
from scoring.store.db import get_engine, make_engine


def cli_engine(path, monkeypatch) -> Iterator:
    """Yield an engine on the SQLite file ``path``, which ``samklima`` then uses too."""
    url = f"sqlite:///{path}"
    monkeypatch.setenv("SAMKLIMA_DATABASE_URL", url)
    get_engine.cache_clear()
    engine = make_engine(url)
    yield engine
    engine.dispose()
    get_engine.cache_clear()


def run(capsys, *args) -> tuple[int, str, str]:
    """(exit code, standard output, standard error) of ``samklima ARGS``."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def demo_database(path):
    """Write the demo database (three rounds of the sample organisation) to ``path``; returns it."""
    from scoring.samples.demo import load_demo
    from scoring.store.db import migrate

    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    load_demo(engine)
    engine.dispose()
    return path
