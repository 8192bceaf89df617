"""The view kept across pages and in the address (dashboard/view_state.py): which value wins,
and what a select box does with the address and the memory of the session."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.view_state import pick

ROUNDS = ["2024-1", "2025-1", "2026-1"]


@pytest.mark.parametrize(
    ("asked", "remembered", "default", "expected"),
    [
        ("2024-1", "2025-1", "2026-1", "2024-1"),  # the address (a link, a refresh) first
        (None, "2025-1", "2026-1", "2025-1"),  # then the choice on an earlier page
        ("2099-9", "2025-1", "2026-1", "2025-1"),  # a round the page does not offer is passed over
        ("2099-9", None, "2026-1", "2026-1"),  # then the page's default
        (None, "k9.other", None, "2024-1"),  # nothing fits and no default: the first option
    ],
)
def test_pick_takes_the_address_then_the_session_then_the_default(asked, remembered, default, expected):
    assert pick(asked, remembered, ROUNDS, default) == expected


def test_pick_of_no_options_is_none():
    assert pick("2024-1", None, [], None) is None


def two_pages() -> None:
    """Two pages' round boxes under their own keys; ``page`` in session state says which runs."""
    import streamlit as st

    from dashboard import view_state

    key = st.session_state.get("page", "compare") + "_round"
    chosen = view_state.select("round", "Runde", ["2024-1", "2025-1", "2026-1"], key=key, default="2026-1")
    st.write(chosen)


def test_a_choice_goes_into_the_address_and_is_kept_on_the_next_page_and_an_address_wins():
    at = AppTest.from_function(two_pages).run()
    assert at.selectbox(key="compare_round").value == "2026-1" and at.query_params["runde"] == "2026-1"
    at.selectbox(key="compare_round").set_value("2024-1").run()
    assert at.query_params["runde"] == "2024-1"
    at.session_state["page"] = "trends"  # the next page: a different box, the same round
    at.run()
    assert at.selectbox(key="trends_round").value == "2024-1"
    at.query_params["runde"] = "2025-1"  # a link with a round in it
    at.run()
    assert at.selectbox(key="trends_round").value == "2025-1"
    fresh = AppTest.from_function(two_pages)  # a refresh or a copied link: a new session, the same address
    fresh.query_params["runde"] = "2024-1"
    fresh.run()
    assert fresh.selectbox(key="compare_round").value == "2024-1"
