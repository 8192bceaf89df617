"""The view chosen on the dashboard (round, unit, scale): kept from page to page and in the address.

A manager who picks a round, a unit and a scale on one page finds them picked on the next, and
the address carries them (``?runde=2025-1&enhet=k1.ho&skala=mb_tillit``), so a browser refresh
keeps the view and a copied link opens the same view for a colleague after login.

Each choice is settled by :func:`pick`, in this order: the address (a link, a refresh), then
the choice made on an earlier page in this browser session, then the page's default (for a
round: the newest round with results, :func:`dashboard.data.latest_result_round`). A value the
page does not offer is passed over: the options are the page's own lists, already cut to the
viewer's scope by :mod:`scoring`, so an address can never widen what a page shows. A unit named
in the address that is outside the viewer's scope (or does not exist) is dropped with a short
message (:func:`unit_from_address`); the two cases read the same, so a link reveals nothing.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import streamlit as st

from dashboard import data
from dashboard.i18n import t
from scoring.store.access import AccessDenied, Principal

QUERY = {"round": "runde", "unit": "enhet", "scale": "skala"}
REMEMBERED = "view_state"


def pick(asked: Any, remembered: Any, options: Sequence, default: Any) -> Any:
    """The first of ``asked``, ``remembered`` and ``default`` that is one of ``options``; the
    first option if none is (``None`` for no options)."""
    for candidate in (asked, remembered, default):
        if candidate is not None and candidate in options:
            return candidate
    return options[0] if len(options) else None


def asked(kind: str) -> str | None:
    """The value of ``kind`` ("round", "unit", "scale") in the address, if any."""
    return st.query_params.get(QUERY[kind]) or None


def remembered(kind: str) -> Any:
    """The value of ``kind`` chosen earlier in this browser session, if any."""
    return st.session_state.get(REMEMBERED, {}).get(kind)


def keep(kind: str, value: Any) -> None:
    """Remember ``value`` as the chosen ``kind`` and put it in the address (``None`` removes it)."""
    st.session_state.setdefault(REMEMBERED, {})[kind] = value
    name = QUERY[kind]
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != str(value):
        st.query_params[name] = str(value)


def select(
    kind: str,
    label: str,
    options: Sequence,
    *,
    key: str,
    default: Any = None,
    blank: Any = None,
    format_func: Callable[[Any], Any] = str,
    where: Any = None,
) -> Any:
    """A select box for ``kind`` whose value is settled by :func:`pick` and kept by :func:`keep`.

    ``blank`` is the option that means "no particular one" (all my units, the organisation):
    chosen, it removes ``kind`` from the address. ``where`` is the container (a column).
    """
    options = list(options)
    if not options:
        return None
    wanted = pick(asked(kind), remembered(kind), options, default)
    # The widget's state is set before the widget is drawn on every run: a choice made here
    # reaches the address and the memory in the callback first, so ``wanted`` already is it.
    st.session_state[key] = wanted
    chosen = (where or st).selectbox(
        label, options, key=key, format_func=format_func, on_change=_changed, args=(kind, key, blank),
    )
    keep(kind, None if chosen == blank else chosen)
    return chosen


def _changed(kind: str, key: str, blank: Any) -> None:
    value = st.session_state[key]
    keep(kind, None if value == blank else value)


def round_default(principal: Principal | None, rounds: Sequence[str]) -> str | None:
    """The newest round with results (published cells) for ``principal``, if it is among
    ``rounds``; else the newest of ``rounds``. A round just opened is never the default."""
    latest = data.latest_result_round(principal)
    if latest in rounds:
        return latest
    return rounds[-1] if rounds else None


def select_round(principal: Principal | None, label: str, rounds: Sequence[str], *, key: str, where: Any = None) -> str | None:
    """The round select box of a page (see :func:`select`), defaulting to :func:`round_default`."""
    return select("round", label, rounds, key=key, default=round_default(principal, rounds), where=where)


def unit_from_address(principal: Principal, lang: str) -> str | None:
    """The unit named in the address if ``principal`` may see it; otherwise the unit is dropped
    from the address and a short message says so (the page then shows the default view)."""
    unit = asked("unit")
    if unit is None:
        return None
    try:
        principal.require_units([unit])
        known = unit in set(data.units()["unit"])
    except AccessDenied:
        known = False
    if known:
        return unit
    del st.query_params[QUERY["unit"]]
    st.warning(t("view_unit_ignored", lang))
    return None
