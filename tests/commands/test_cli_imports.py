"""The command line answers at once: ``samklima --help`` (and every command's ``--help``) and
``samklima validate`` load none of the heavy libraries; each command imports them when it runs
(issue 15). Checked in a fresh interpreter, since this test process has loaded them all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# What a command may only load when it runs; rich (with markdown-it) is Typer's optional help
# formatter, which takes longer to import than every command together.
HEAVY = (
    "pandas", "numpy", "scipy", "sqlalchemy", "alembic", "reportlab", "pyreadstat", "statsmodels",
    "pyarrow", "openpyxl", "segno", "argon2", "psycopg", "rich",
)  # fmt: skip

CHILD = """
import json, sys
import typer
from scoring.cli import app, main

heavy, calls = json.loads(sys.argv[1]), json.loads(sys.argv[2])
loaded = {}
for args in calls:
    if args == ["*"]:  # every command's and group's --help
        group = typer.main.get_command(app)  # built once: what app() builds on every call
        names = sorted(group.commands)
        for name in names:
            group.main(args=[name, "--help"], prog_name="samklima", standalone_mode=False)
        args = names
    else:
        assert main(args) == 0, args
    loaded[" ".join(args)] = sorted(m for m in heavy if m in sys.modules)
print(json.dumps(loaded))
"""


def heavy_after(*calls: list[str]) -> dict[str, list[str]]:
    """The heavy modules loaded after each call, run one after the other in a new interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(HEAVY), json.dumps(list(calls))],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_help_and_every_commands_help_load_no_heavy_library():
    loaded = heavy_after(["--help"], ["*"])
    assert list(loaded.values()) == [[], []], loaded
    assert "validate" in list(loaded)[1] and "round" in list(loaded)[1]  # the commands were all there


def test_validate_loads_no_heavy_library(mini_path: Path):
    (loaded,) = heavy_after(["validate", str(mini_path)]).values()
    assert loaded == []
