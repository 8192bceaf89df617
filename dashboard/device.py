"""Whether the browser may be a phone, read from the headers it sent when it connected.

Streamlit runs the page on the server and cannot read the browser's width, so the Compare page
sends a phone's list of scales beside the wide heatmap table and CSS on the width shows one of
them (:data:`dashboard.scale_list.SWITCH_CSS`). On a national round the list is as large as the
table (about 120 KB for 41 units), and a desktop browser built and sanitised it for nothing after
every unit change. A browser that says it is not a phone gets the table alone; when it does not
say (no User-Agent, as in a test run) both are sent, as before.

A desktop window made narrower than a phone then shows the wide table in its own sideways
scrolling box (it stays readable, only less convenient); a phone, whose User-Agent says
"Mobi" (the marker Mozilla's and Chromium's mobile browsers use), "Android", "iPhone" or "iPod",
or whose Chromium sends ``Sec-CH-UA-Mobile: ?1``, gets both and sees the list.
"""

from __future__ import annotations

import streamlit as st

PHONE_MARKS = ("Mobi", "Android", "iPhone", "iPod")


def says_phone(headers) -> bool | None:
    """True when ``headers`` say a phone, False when they name a browser that is not one, None
    when there is no User-Agent to tell."""
    if headers.get("Sec-CH-UA-Mobile") == "?1":
        return True
    agent = headers.get("User-Agent") or ""
    if not agent:
        return None
    return any(mark in agent for mark in PHONE_MARKS)


def may_be_phone() -> bool:
    """Whether this session's browser may be a phone: not when its headers name another device."""
    return says_phone(st.context.headers) is not False  # empty outside a browser's session: may be
