"""Forside / Home: the organisation's units, the bundled instruments, login, and scale means
per unit for the latest round (for a logged-in person, within their scope)."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.auth import current_principal, login_form
from dashboard.describe import NO_VALUE, for_page
from dashboard.i18n import t
from scoring.formats.tables import csv_bytes

lang = st.session_state.get("lang", "nb")
principal = current_principal()

st.title(t("app_title", lang))
st.caption(t("tagline", lang))

left, right = st.columns([3, 2])
with left:
    st.subheader(t("organisation", lang))
    shown = data.units().fillna("").rename(
        columns={"unit": t("unit", lang), "name": t("name", lang), "parent": t("parent", lang), "unit_type": t("unit_type", lang)}
    )
    st.dataframe(shown, hide_index=True, width="stretch", height=280)
with right:
    st.subheader(t("instruments", lang))
    inst = data.instruments()
    inst = inst.assign(title=inst[f"title_{lang}"], status=inst["status"].map(lambda s: t(f"status_{s}", lang)))
    st.dataframe(
        for_page(inst[["id", "title", "version", "status", "items", "scales"]].rename(
            columns={"id": t("instrument_id", lang), "title": t("instrument", lang), "version": t("version", lang),
                     "status": t("status", lang), "items": t("items", lang), "scales": t("scales", lang)}
        ), lang),
        hide_index=True,
        width="stretch",
        placeholder=NO_VALUE,
    )

rounds = data.round_names()
if principal is None:
    st.info(t("login_to_see_means", lang))
    login_form(lang)
elif principal.may_open("compare") and rounds:
    latest = data.latest_result_round(principal) or rounds[-1]  # a round just opened has nothing to show
    st.subheader(t("latest_round", lang, round=latest))
    table = data.unit_means_table(principal, latest, lang)
    st.caption(t("suppression_note", lang, min_n=data.round_min_n(latest)))
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(t("download_csv", lang), csv_bytes(table), file_name=f"samklima-{latest}.csv", mime="text/csv")
