"""Shared fixtures. With CI=true, a skipped system test (browser, PostgreSQL, PSPP) is a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example time limit: the suite runs on two workers of a shared CI machine, where a
# 200 ms deadline fails tests for the machine's load, not for the code.
settings.register_profile("samklima", deadline=None)
settings.load_profile("samklima")

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def mini_path() -> Path:
    return FIXTURES / "mini.yaml"


@pytest.fixture(scope="session")
def mini(mini_path):
    from scoring.instrument.loading import load_instrument

    return load_instrument(mini_path)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    system_suite = any(part in ("browser", "postgres", "pspp") for part in Path(str(item.fspath)).parts)
    if os.environ.get("CI") == "true" and system_suite and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"CI=true: system suites must run, not skip ({report.longrepr})"


LONG_FIRST = ("tests/privacy/test_publication_property", "tests/postgres/test_store_pg.py::test_twenty_processes")


def pytest_collection_modifyitems(config, items):
    """The few tests that take minutes start first, so that on two workers (pytest-xdist,
    work stealing) the other worker takes the rest instead of waiting at the end for them."""
    items.sort(key=lambda item: not item.nodeid.startswith(LONG_FIRST))


@pytest.fixture(autouse=True)
def _keep_main_module():
    """Put ``sys.modules["__main__"]`` back after each test.

    Streamlit's ``AppTest`` runs a page as ``__main__`` and leaves it there; a later
    ``forkserver`` child (the store's kill tests) then re-runs that page script as its main
    module and dies before it starts (``AppTest.from_function``'s script: NameError on
    ``__args``), so the test waits for a child that never comes."""
    import sys

    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main
