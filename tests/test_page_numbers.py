"""Number columns of a page's table stay numbers (so a click on the header sorts 0,9 after 0,85
and 1 234,5 last), written the page's way: decimal comma and spaced thousands in nb and nn."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.dashboard_pages import shown


def table_page():
    import pandas as pd
    import streamlit as st

    from dashboard.describe import for_page

    frame = pd.DataFrame({"alpha": [0.9, 0.85, float("nan"), 1234.5], "n": [12, 2000, 3, 40], "unit": ["A", None, "C", "D"]})
    st.dataframe(for_page(frame, st.session_state["lang"], {"alpha": 2}), hide_index=True)


def run(lang: str) -> AppTest:
    at = AppTest.from_function(table_page)
    at.session_state["lang"] = lang
    return at.run()


def test_numbers_stay_numeric_for_sorting_and_are_written_the_norwegian_way():
    for lang in ("nb", "nn"):
        table = run(lang).dataframe[0]
        assert table.value["alpha"].dtype == "float64" and table.value["n"].dtype == "int64", "sorted as numbers"
        written = shown(table)
        assert written["alpha"].tolist() == ["0,90", "0,85", "–", "1\u00a0234,50"]
        assert written["n"].tolist() == ["12", "2\u00a0000", "3", "40"]
        assert written["unit"].tolist() == ["A", "–", "C", "D"], "no raw None"


def test_english_keeps_the_decimal_point():
    written = shown(run("en").dataframe[0])
    assert written["alpha"].tolist() == ["0.90", "0.85", "–", "1,234.50"] and written["n"].tolist()[1] == "2,000"


def hidden_page():
    import pandas as pd
    import streamlit as st

    from dashboard.describe import for_page

    frame = pd.DataFrame({"unit": ["A", "B", "C"], "n": [12, 3, 40], "rwg": [0.81, 0.5, 0.9]})
    st.dataframe(for_page(frame, "nn", {"rwg": 2}, hidden=pd.Series([False, True, False]), hidden_text="for få svar"), hide_index=True)


def test_a_withheld_rows_numbers_never_reach_the_browser_and_read_too_few():
    table = AppTest.from_function(hidden_page).run().dataframe[0]
    assert table.value["n"].isna().tolist() == [False, True, False] and table.value["rwg"].isna().tolist() == [False, True, False]
    written = shown(table)
    assert written["n"].tolist() == ["12", "for få svar", "40"] and written["rwg"].tolist() == ["0,81", "for få svar", "0,90"]
