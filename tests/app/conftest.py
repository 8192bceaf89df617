"""AppTest fixtures: one demo database per test session, and a helper to log in."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO


@pytest.fixture(scope="session", autouse=True)
def demo_database(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("app-data")
    old = {k: os.environ.get(k) for k in ("SAMKLIMA_DATA_DIR", "SAMKLIMA_DATABASE_URL")}
    os.environ["SAMKLIMA_DATA_DIR"] = str(data_dir)
    os.environ.pop("SAMKLIMA_DATABASE_URL", None)
    from scoring.samples.demo import load_demo
    from scoring.store import api

    engine = api.get_engine()
    load_demo(engine)
    yield engine
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def open_app(lang: str = "nb", user: str | None = None, password: str = "demo") -> AppTest:
    """Run the app; with ``user``, log in through the login form as a person would."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    if user is not None:
        at.text_input(key="login_username").input(user)
        at.text_input(key="login_password").input(password)
        at.button[0].click()
        at.run()
    return at


def switch_to(page: str, user: str, lang: str = "nb") -> AppTest:
    """Log in as ``user`` and switch to ``page`` (a file under dashboard/pages/), as the menu does."""
    at = open_app(lang, user=user)
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    from tests.app.dashboard_pages import assert_nothing_raw  # after the demo database is set up

    assert_nothing_raw(at, lang)
    return at


def choose(at: AppTest, key: str, value) -> None:
    """Pick ``value`` in the select box ``key`` and rerun."""
    at.selectbox(key=key).select(value)
    at.run()
    assert not at.exception, at.exception


def press(at: AppTest, label: str) -> None:
    """Click the button labelled ``label`` and rerun."""
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception


@pytest.fixture
def renamed_demo(tmp_path, monkeypatch):
    """``renamed_demo({unit: name})``: a demo database of its own, with those units renamed (a
    national tree repeats names), for the test's pages; the caches are cleared before and after."""
    import streamlit as st

    from scoring.samples.demo import load_demo
    from scoring.store import api

    def rename(names: dict[str, str]) -> None:
        monkeypatch.setenv("SAMKLIMA_DATA_DIR", str(tmp_path))
        st.cache_data.clear()
        st.cache_resource.clear()
        engine = api.get_engine()
        load_demo(engine)
        units = api.read_units(engine)
        units["name"] = [names.get(u, name) for u, name in zip(units["unit"], units["name"])]
        api.import_units(engine, units.fillna(""))

    yield rename
    st.cache_data.clear()
    st.cache_resource.clear()
