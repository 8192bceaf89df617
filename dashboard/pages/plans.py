"""Tiltak / Actions: record what a unit agreed to work on after a round, and follow it up.

A manager records and updates actions for their own units (an admin for all); the store checks
the scope and refuses bad input with one message (:mod:`scoring.store.plans`). The table shows
each action with its scale's published value then and in the next round
(:func:`scoring.reporting.landing.follow_up`, via :mod:`dashboard.data_landing`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, data_landing, view_state
from dashboard import data_store as plans
from dashboard.auth import current_principal
from dashboard.describe import NO_VALUE, change_from_previous, for_page, hidden_label
from dashboard.i18n import t
from dashboard.problems import show_refusal
from dashboard.unit_filter import requested_unit
from scoring.errors import UserError
from scoring.reporting.landing import follow_up
from scoring.reporting.numbers import number

lang = st.session_state.get("lang", "nb")
principal = current_principal()
if principal is None or not principal.may_open("plans"):
    st.error(t("no_access", lang))
    st.stop()
requested = requested_unit(principal, lang)  # before any data is read

st.title(t("page_plans", lang))
st.caption(t("plans_intro", lang))
tree = data.units()
units = [u for u in principal.scope(tree.loc[tree["unit_type"] != "partner", "unit"])]
labels = dict(zip(tree["unit"], tree["name"]))
rounds = data.round_names()
names = data_landing.scale_names(lang)
if not units or not rounds:
    st.info(t("no_data", lang))
    st.stop()

with st.form("plans_add_form", clear_on_submit=True):
    st.subheader(t("plans_add", lang))
    left, right = st.columns(2)
    # The unit and round chosen on the other pages start the form (a form's choices are its own).
    unit = left.selectbox(t("plans_unit", lang), units, format_func=labels.get, key="plans_unit",
                          index=units.index(view_state.pick(requested, view_state.remembered("unit"), units, units[0])))
    start = view_state.pick(view_state.asked("round"), view_state.remembered("round"), rounds, view_state.round_default(principal, rounds))
    round_name = right.selectbox(t("plans_round", lang), rounds, index=rounds.index(start), key="plans_round")
    scale = left.selectbox(t("plans_scale", lang), list(names), format_func=names.get, key="plans_scale")
    owner = right.text_input(t("plans_owner", lang), key="plans_owner", max_chars=100)
    what = st.text_area(t("plans_what", lang), key="plans_what", max_chars=500)
    due = left.date_input(t("plans_due", lang), value=None, format="DD.MM.YYYY", key="plans_due")  # as the other pages write dates
    if st.form_submit_button(t("plans_save", lang)):
        try:
            plans.add_action(data.engine(), round_name=round_name, unit=unit, scale=scale, what=what, owner=owner,
                             due=due, principal=principal)
            st.success(t("plans_saved", lang))
        except UserError as err:
            show_refusal(err, lang)

actions = data_landing.actions(principal)
if requested is not None:
    actions = actions[actions["unit"] == requested]
if actions.empty:
    st.info(t("landing_no_actions", lang))
    st.stop()

shown = follow_up(data.summary(principal), tree, actions)
st.dataframe(for_page(pd.DataFrame({
    t("plans_col_id", lang): shown["id"],
    t("plans_unit", lang): shown["unit"].map(labels),
    t("plans_round", lang): shown["round"],
    t("plans_scale", lang): shown["scale"].map(lambda s: names.get(s, s)),
    t("plans_action", lang): shown["what"],
    t("plans_owner", lang): shown["owner"],
    t("plans_due", lang): shown["due"],
    t("plans_status", lang): shown["status"].map(lambda s: t(f"action_status_{s}", lang)),
    t("plans_note", lang): shown["note"],
    t("plans_then", lang): shown["then_mean"].map(lambda m: number(m, lang)),
    t("plans_next", lang): [number(a.next_mean, lang) if pd.notna(a.next_mean) else
                            (hidden_label(a.next_why, lang) if a.next_round is not None else "–") for a in shown.itertuples()],
    t("plans_change", lang): [change_from_previous(a.change_reading, a.change, a.change_low, a.change_high, lang)
                              for a in shown.itertuples()],
}), lang), hide_index=True, width="stretch", placeholder=NO_VALUE)

with st.form("plans_status_form"):
    st.subheader(t("plans_update", lang))
    left, right = st.columns(2)
    ids = shown["id"].tolist()
    whats = dict(zip(shown["id"], shown["what"]))
    chosen = left.selectbox(t("plans_action", lang), ids, format_func=lambda i: f"{i}: {whats[i]}", key="plans_status_id")
    status = right.selectbox(t("plans_status", lang), list(plans.ACTION_STATUSES), format_func=lambda s: t(f"action_status_{s}", lang),
                             key="plans_status_value")
    note = st.text_input(t("plans_note", lang), key="plans_status_note", max_chars=1000)
    if st.form_submit_button(t("plans_update", lang)):
        try:
            plans.set_status(data.engine(), int(chosen), status, note=note or None, principal=principal)
            st.success(t("plans_updated", lang))
            st.rerun()
        except UserError as err:
            show_refusal(err, lang)
