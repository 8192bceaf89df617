"""Eksport / Export: one or more rounds as SPSS, Stata, CSV, Parquet or Excel, long or wide, with
syntax and codebook, and the actions table beside them.

Everything is made by :mod:`scoring.formats` (the same code as ``samklima export``): the page only
collects the choices, writes into a temporary folder and offers the files for download (one
file as it is, several zipped), with the changes the export made to names and labels. The wide
layout takes its numbers from the viewer's publication (:func:`dashboard.data.publication`), so
it holds exactly the cells the other pages show. The third choice of layout, client feedback per
client, is ``samklima export --layout wide --clients``: the same call of
:func:`scoring.formats.rounds.database_export` (pseudonymous client numbers made for the file,
small units merged or withheld there), offered to everyone the page is offered to (the roles
with ``export`` in :data:`scoring.store.access.PAGES_BY_ROLE`), as the staff files are.
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
from dashboard.problems import reason_text, show_refusal, show_technical_details
from dashboard.progress_bar import progress_bar
from scoring.errors import UserError
from scoring.formats.actions import database_actions
from scoring.formats.files import FORMATS, write_export
from scoring.formats.rounds import LAYOUTS, database_export
from scoring.formats.spss import LANGUAGES as FILE_LANGUAGES

# The page's layouts: the library's, and the client-feedback file (``--layout wide --clients``).
KINDS = (*LAYOUTS, "clients")

lang = st.session_state.get("lang", "nb")
principal = require_page("export")

st.title(t("page_export", lang))
st.caption(t("export_intro", lang))

rounds = data.round_names()
if not rounds:
    st.info(t("export_no_rounds", lang))
    st.stop()

# The round of the view (address or another page) if it has results, else the latest with results.
first = view_state.pick(view_state.asked("round"), view_state.remembered("round"), rounds, view_state.round_default(principal, rounds))
chosen = st.multiselect(
    t("export_rounds", lang), options=list(reversed(rounds)), default=[first], help=t("export_rounds_help", lang), key="export_rounds"
)
if len(chosen) == 1:
    view_state.keep("round", chosen[0])
layout = st.radio(
    t("export_layout", lang), options=list(KINDS), format_func=lambda v: t(f"export_layout_{v}", lang), help=t("export_layout_help", lang),
    key="export_layout", horizontal=True,
)  # fmt: skip
fmt = st.radio(t("export_format", lang), options=list(FORMATS), format_func=lambda f: t(f"export_format_{f}", lang), key="export_format", horizontal=True)
# Labels exist in bokmål and English (scoring.formats.spss.LANGUAGES); a nynorsk page starts at bokmål.
file_lang = st.radio(
    t("export_lang", lang), options=list(FILE_LANGUAGES), format_func=LANGUAGES.get,
    index=list(FILE_LANGUAGES).index(lang if lang in FILE_LANGUAGES else "nb"), key="export_lang", horizontal=True,
)  # fmt: skip
scores = st.checkbox(
    t("export_scores", lang), help=t("export_scores_help", lang) if layout == "long" else t("export_scores_long_only", lang),
    key="export_scores", disabled=layout != "long",
) and layout == "long"  # fmt: skip
with_actions = st.checkbox(t("export_actions", lang), help=t("export_actions_help", lang), key="export_actions")
made = st.button(t("export_make", lang), type="primary", key="export_make", disabled=not chosen)
if not chosen:
    st.caption(t("export_pick_round", lang))
ordered = tuple(r for r in rounds if r in set(chosen))  # oldest first, whatever order they were picked in


def _stem(ordered: tuple[str, ...], layout: str) -> str:
    names = ordered[0] if len(ordered) == 1 else f"{ordered[0]}_{ordered[-1]}"
    return f"samklima-{names}" + {"long": "", "wide": "-wide", "clients": "-clients"}[layout]


def make_export(ordered: tuple[str, ...], layout: str, fmt: str, file_lang: str, scores: bool, with_actions: bool, step=lambda: None) -> dict:
    """The files of one export as bytes, and what the page says about them; ``step()`` after
    reading, after writing and after the actions table (a progress bar)."""
    # the wide layout reads only unit means and counts (scoring.formats.rounds.wide_export): the
    # summary's cells, not an administrator's millions of item and partner cells
    cells = data.summary(principal).cells if layout == "wide" else None
    clients = layout == "clients"
    result = database_export(
        data.engine(), list(ordered), layout="wide" if clients else layout, lang=file_lang, scores=scores, cells=cells, clients=clients,
    )  # fmt: skip
    step()
    stem = _stem(ordered, layout)
    with tempfile.TemporaryDirectory() as folder:
        written = write_export(result, Path(folder) / f"{stem}.{fmt}", fmt)
        step()
        actions = None
        if with_actions:
            actions = database_actions(data.engine(), list(ordered), lang=file_lang, principal=principal)
            written |= {f"actions_{kind}": path for kind, path in write_export(actions, Path(folder) / f"{stem}.actions.{fmt}", fmt).items()}
            step()
        files = {kind: (path.name, path.read_bytes()) for kind, path in written.items()}
    return {
        "key": (ordered, layout, fmt, file_lang, scores, with_actions),
        "files": files,
        "stem": stem,
        "rows": len(result.frame),
        "variables": len(result.variables),
        "label": result.file_label,
        "warnings": list(result.warnings),
        "anonymity": list(result.anonymity),
        "min_n": result.min_n,
        "actions": None if actions is None else len(actions.frame),
    }


if made:
    try:
        with progress_bar(t("export_progress", lang), 3 if with_actions else 2) as step:
            st.session_state["export_result"] = make_export(ordered, layout, fmt, file_lang, scores, with_actions, step)
    except UserError as err:
        st.session_state.pop("export_result", None)
        show_refusal(err, lang, t("export_failed", lang))

result = st.session_state.get("export_result")
if result is not None and result["key"] == (ordered, layout, fmt, file_lang, scores, with_actions):
    where = ", ".join(ordered)
    if layout == "clients":
        st.success(t("export_made_clients", lang, clients=result["rows"], variables=result["variables"], round=where, label=result["label"]))
    elif layout == "wide":
        st.success(t("export_made_wide", lang, units=result["rows"], variables=result["variables"], round=where, label=result["label"]))
    else:
        st.success(t("export_made", lang, responses=result["rows"], variables=result["variables"], round=where, label=result["label"]))
    if result["actions"] is not None:
        st.caption(t("export_made_actions", lang, n=result["actions"]))
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
            t("export_download_zip", lang), buffer.getvalue(), file_name=f"{result['stem']}-{fmt}.zip",
            mime="application/zip", type="primary", key="export_download",
        )  # fmt: skip
    if result["warnings"]:
        st.warning(t("export_warnings", lang, n=len(result["warnings"])) + "\n\n" + "\n".join(f"- {reason_text(w, lang)}" for w in result["warnings"]))
        show_technical_details(result["warnings"], lang)
    else:
        st.caption(t("export_no_warnings", lang))
    with st.expander(t("export_anonymity", lang, min_n=result["min_n"])):
        st.markdown("\n".join(f"- {reason_text(line, lang)}" for line in result["anonymity"]))
