"""Which units a page shows: a unit with the levels below it, and a unit named in the URL.

The choices only narrow a table that :mod:`scoring` has already suppressed and cut to the
principal's scope. A unit named in the URL (``?enhet=<unit id>``) is checked against the scope
*before* the page reads any data: outside it, it is dropped with a short message and the page
shows the principal's own units (:func:`dashboard.view_state.unit_from_address`). The chosen
unit is kept across pages and in the address (:mod:`dashboard.view_state`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import view_state
from dashboard.i18n import t
from scoring.store.access import Principal

ALL = "__all__"
MAX_ROWS = 60  # default levels: as many as fit in a readable chart


INDENT = "\u00a0\u00a0\u00a0"  # a tree level in the labels of the chosen units (no-break: kept as typed)


def requested_unit(principal: Principal, lang: str) -> str | None:
    """The unit asked for in the URL, if the principal may see it (else a message, and None)."""
    return view_state.unit_from_address(principal, lang)


def choose_units(frame: pd.DataFrame, lang: str, key: str, requested: str | None = None) -> tuple[list[str], dict[str, str]]:
    """Widgets for a unit, the levels below it and the order; returns the units to show and
    their labels (indented by level in tree order, plain names in name order).

    ``frame``: the principal's units in tree order with ``unit``, ``name`` and ``parent``.
    "All my units" starts from the top units of the scope. The default number of levels is the
    largest that keeps the list at ``MAX_ROWS`` units or fewer.
    """
    units = frame["unit"].tolist()  # tolist, not iteration: a str column's elements one by one cost 14 ms for 1,931 units
    if not units:
        return [], {}
    names = dict(zip(units, frame["name"].tolist()))
    parent = dict(zip(units, frame["parent"].tolist()))
    inside = set(units)
    children: dict[str, list[str]] = {}
    for unit in units:
        if parent[unit] in inside:
            children.setdefault(parent[unit], []).append(unit)
    tops = [u for u in units if parent[u] not in inside]
    depth = _levels(tops, children)

    options = [ALL, *units]
    labels = {ALL: t("unit_filter_all", lang), **{u: "\u00a0\u00a0" * depth[u] + names[u] for u in units}}
    left, middle, right = st.columns([3, 2, 2])
    chosen = view_state.select("unit", t("unit_filter_unit", lang), options, key=f"{key}_unit", default=requested,
                               blank=ALL, format_func=labels.get, where=left)
    roots = tops if chosen == ALL else [chosen]
    below = _levels(roots, children)
    deepest = max(below.values())
    levels = 0
    if deepest > 0:
        per_level = pd.Series(list(below.values())).value_counts().sort_index().cumsum()
        fitting = [lvl for lvl, count in per_level.items() if count <= MAX_ROWS]
        default = max(fitting) if fitting else 0
        # One slider whatever the unit (a key per unit mounted a new slider in the browser on
        # every unit change); a newly chosen unit starts from its own default, set before the
        # slider is made (so it takes no value= that would clash with the session's).
        slider, owner = f"{key}_levels", f"{key}_levels_unit"
        if st.session_state.get(owner) != chosen or st.session_state.get(slider) not in range(deepest + 1):
            st.session_state[slider] = default
            st.session_state[owner] = chosen
        levels = middle.select_slider(
            t("unit_filter_levels", lang), options=list(range(deepest + 1)),
            format_func=lambda n: t("unit_filter_level_0", lang) if n == 0 else
            (t("unit_filter_level_all", lang, n=n) if n == deepest else str(n)),
            key=slider,
        )
    order = right.radio(
        t("unit_filter_sort", lang), ["tree", "name"], format_func=lambda o: t(f"unit_filter_sort_{o}", lang),
        horizontal=True, key=f"{key}_sort",
    )
    shown = [u for u in units if u in below and below[u] <= levels]
    if order == "name":
        return sorted(shown, key=lambda u: names[u].casefold()), {u: names[u] for u in shown}
    return shown, {u: INDENT * below[u] + names[u] for u in shown}


def label_parts(label: str) -> tuple[str, int]:
    """(the unit's name, its level below the chosen unit) of a label :func:`choose_units` made in
    tree order (:data:`INDENT` per level; a label sorted by name has none)."""
    name = label.lstrip("\u00a0")
    return name, (len(label) - len(name)) // len(INDENT)


def _levels(roots: list[str], children: dict[str, list[str]]) -> dict[str, int]:
    """Each unit at or below ``roots`` and how many levels below its root it is."""
    found = {r: 0 for r in roots}
    stack = list(roots)
    while stack:
        unit = stack.pop()
        for child in children.get(unit, []):
            if child not in found:
                found[child] = found[unit] + 1
                stack.append(child)
    return found
