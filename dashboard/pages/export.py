"""Eksport / Export: a round as SPSS, Stata, CSV, Parquet or Excel, with syntax and codebook.

Everything is made by :mod:`scoring.formats` (the same code as ``samklima export``): the page only
collects the choices, writes into a temporary folder and offers the files for download (one
file as it is, several zipped), with the changes the export made to names and labels.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from dashboard import data, view_state
from dashboard.auth import require_page
from dashboard.i18n import LANGUAGES, t
from dashboard.problems import show_refusal
from scoring.errors import UserError
from scoring.formats.files import FORMATS, write_export
from scoring.formats.spss import round_export

lang = st.session_state.get("lang", "nb")
principal = require_page("export")

st.title(t("page_export", lang))
st.caption(t("export_intro", lang))

rounds = data.round_names()
if not rounds:
    st.info(t("export_no_rounds", lang))
    st.stop()

round_name = view_state.select_round(principal, t("export_round", lang), list(reversed(rounds)), key="export_round")
fmt = st.radio(t("export_format", lang), options=list(FORMATS), format_func=lambda f: t(f"export_format_{f}", lang), key="export_format", horizontal=True)
file_lang = st.radio(t("export_lang", lang), options=list(LANGUAGES), format_func=LANGUAGES.get, index=list(LANGUAGES).index(lang), key="export_lang", horizontal=True)
scores = st.checkbox(t("export_scores", lang), help=t("export_scores_help", lang), key="export_scores")
made = st.button(t("export_make", lang), type="primary", key="export_make")


def make_export(round_name: str, fmt: str, file_lang: str, scores: bool) -> dict:
    """The files of one export as bytes, and what the page says about them."""
    result = round_export(data.engine(), round_name, lang=file_lang, scores=scores)
    stem = f"samklima-{round_name}"
    with tempfile.TemporaryDirectory() as folder:
        written = write_export(result, Path(folder) / f"{stem}.{fmt}", fmt)
        files = {kind: (path.name, path.read_bytes()) for kind, path in written.items()}
    return {
        "key": (round_name, fmt, file_lang, scores),
        "files": files,
        "stem": stem,
        "responses": len(result.frame),
        "variables": len(result.variables),
        "label": result.file_label,
        "warnings": list(result.warnings),
        "anonymity": list(result.anonymity),
        "min_n": result.min_n,
    }


if made:
    try:
        st.session_state["export_result"] = make_export(round_name, fmt, file_lang, scores)
    except UserError as err:
        st.session_state.pop("export_result", None)
        show_refusal(err, lang, t("export_failed", lang))

result = st.session_state.get("export_result")
if result is not None and result["key"] == (round_name, fmt, file_lang, scores):
    st.success(t("export_made", lang, responses=result["responses"], variables=result["variables"], round=result["key"][0], label=result["label"]))
    files = result["files"]
    st.markdown(f"**{t('export_files', lang)}**")
    st.markdown("\n".join(f"- `{name}`: {t(f'export_file_{kind}', lang)}" for kind, (name, _) in files.items()))
    if len(files) == 1:
        (name, content), = files.values()
        st.download_button(t("export_download_one", lang, file=name), content, file_name=name, type="primary", key="export_download")
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, content in files.values():
                archive.writestr(name, content)
        st.download_button(
            t("export_download_zip", lang), buffer.getvalue(), file_name=f"{result['stem']}-{result['key'][1]}.zip",
            mime="application/zip", type="primary", key="export_download",
        )  # fmt: skip
    if result["warnings"]:
        st.warning(t("export_warnings", lang, n=len(result["warnings"])) + "\n\n" + "\n".join(f"- {w}" for w in result["warnings"]))
    else:
        st.caption(t("export_no_warnings", lang))
    with st.expander(t("export_anonymity", lang, min_n=result["min_n"])):
        st.markdown("\n".join(f"- {line}" for line in result["anonymity"]))
