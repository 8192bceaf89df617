"""Running one dashboard page on its own, as a typed URL would: with or without a principal,
with query parameters, in either language. The menu is not involved, so each page's own
role check is what is being tested."""

from __future__ import annotations

import json
import re

import pandas as pd
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from dashboard.trusted_html import COMPONENT as TRUSTED_HTML
from scoring.store import api
from scoring.store.access import principal_for
from tests.conftest import REPO


def open_page(page: str, user: str | None, lang: str = "nb", **query: str) -> AppTest:
    """Run ``dashboard/pages/<page>.py`` logged in as ``user`` (a demo account) or nobody."""
    at = AppTest.from_file(str(REPO / "dashboard" / "pages" / f"{page}.py"), default_timeout=180)
    at.session_state["lang"] = lang
    if user is not None:
        at.session_state["principal"] = principal_for(api.get_engine(), user)
    at.query_params.update(query)
    at.run()
    assert_nothing_raw(at, lang)
    return at


def html_bodies(at: AppTest) -> list[str]:
    """Every HTML fragment on the page: ``st.html`` bodies and those put there by
    :func:`dashboard.trusted_html.trusted_html` (read the same way whichever of the two did)."""
    out = [node.proto.body for node in at.get("html")]
    out += [json.loads(node.proto.json) for node in at.get("bidi_component")
            if node.proto.component_name == TRUSTED_HTML]
    return out


def texts(at: AppTest) -> str:
    """Everything a person can read on the page (titles, text, messages, tables), as one string."""
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "error", "warning", "info") for e in getattr(at, kind)]
    parts += [shown(frame).to_string() for frame in at.dataframe]
    parts += [table.value.to_string() for table in at.table]
    return "\n".join(str(p) for p in parts)


def shown(frame) -> pd.DataFrame:
    """An ``st.dataframe`` as read on the page: the written numbers of a Styler's display values
    (``dashboard.describe.for_page`` keeps number columns numeric so they sort as numbers), else
    the table itself."""
    styler = frame.proto.arrow_data.styler
    if styler.display_values:
        return dataframe_util.convert_arrow_bytes_to_pandas_df(styler.display_values)
    return frame.value


RAW = re.compile(r"\b(None|nan|NaN|NaT|inf)\b|<NA>")
FIELD_NAME = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")


def assert_nothing_raw(at: AppTest, lang: str) -> None:
    """No ``None``, ``nan``, ``NaT`` or ``<NA>`` anywhere a person reads, and on an nb or nn page
    no table headed by a program's field name (``item_rest_r``, ``omega_total``)."""
    said = texts(at)
    found = RAW.search(said)
    assert found is None, f"raw {found.group(0)!r} on the page: ...{said[max(found.start() - 80, 0):found.end() + 80]}..."
    if lang in ("nb", "nn"):
        for frame in at.dataframe:
            named = [str(c) for c in shown(frame).columns if FIELD_NAME.match(str(c))]
            assert not named, f"field names as headers: {named}"
