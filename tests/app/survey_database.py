"""A database of its own for the app tests that write (rounds, answers), so that the shared
demo database of ``tests/app/conftest.py`` keeps exactly the demo's rounds for the other pages.

The app reads its engine from cached functions (``dashboard.data``); pointing the environment at
another data directory takes effect once Streamlit's caches are cleared, and clearing them again
afterwards hands the shared database back.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from scoring.store import api
from tests.conftest import REPO

STAFF = ["samhandlingsklima", "medbestemmelse"]


@contextmanager
def own_database(data_dir: Path):
    """The app uses a fresh SQLite database in ``data_dir`` (migrated, sample units loaded)."""
    old = {k: os.environ.get(k) for k in ("SAMKLIMA_DATA_DIR", "SAMKLIMA_DATABASE_URL", "SAMKLIMA_DEMO")}
    os.environ["SAMKLIMA_DATA_DIR"] = str(data_dir)
    os.environ["SAMKLIMA_DEMO"] = "0"
    os.environ.pop("SAMKLIMA_DATABASE_URL", None)
    st.cache_resource.clear()
    st.cache_data.clear()
    engine = api.get_engine()
    api.migrate(engine)
    api.import_units(engine, REPO / "sample_data" / "units.csv")
    try:
        yield engine
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        st.cache_resource.clear()
        st.cache_data.clear()
