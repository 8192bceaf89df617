"""Refused input as a page shows it: each problem in the page's language, after the row (of an
uploaded table) and the label of the field it concerns (:func:`scoring.messages.problem_text`).
Every page that catches a :class:`~scoring.errors.UserError` shows it here, never ``str(err)``.

A problem without a code (one only the command line should be able to cause) is still shown
inside a sentence in the page's language, its English details marked as such; the summary of
a refused table is shown from its code, or left out (the lead already says nothing was stored).
``tests/app/test_page_messages.py`` walks the refusals a page can meet and checks their codes."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t, table
from dashboard.plain import plain
from scoring.errors import Problem, UserError, library_reason
from scoring.messages import MESSAGES, coded_text, problem_text, technical_details


def field_label(path: str | None, lang: str) -> str | None:
    """The page's name for the field at ``path`` (``client``, ``--closes``), if it has one."""
    for key in (f"field_{path}", f"admin_field_{path}"):
        if path and key in table():
            return t(key, lang)
    return None


STANDS_ALONE = {"no_access_unit", "no_access_client", "no_clinician_id", "no_clients_role"}
"""Codes whose message needs no field in front (a refused access, not a refused input)."""


def problem_line(problem: Problem, lang: str) -> str:
    """``Row 3, Field: message`` in ``lang`` (plain text: the message may quote what was typed)."""
    if problem.code is None:
        return str(problem) if lang == "en" else t("problem_in_english", lang, message=str(problem))
    text = problem_text(problem, lang)
    label = None if problem.code in STANDS_ALONE else field_label(problem.path, lang)
    if label is None and problem.row is not None and problem.path:
        label = t("problem_column", lang, column=problem.path)  # a column of an uploaded table
    if problem.row is not None:
        label = t("problem_row", lang, row=problem.row) + (f", {label}" if label else "")
    return f"{label}: {text}" if label else text


def reason_text(reason: str, lang: str) -> str:
    """Why a statistic is missing, or a note on a result, in ``lang``: a
    :class:`scoring.errors.Coded` reason from its code; a library's own words (a plain string, as
    an old stored result or an unexpected exception gives) as the generic ``library_note``
    sentence in ``lang``, the words themselves left to :func:`show_technical_details`."""
    return coded_text(library_reason(reason), lang) or coded_text(library_reason(str(reason)), lang)


def show_technical_details(reasons, lang: str, *, inside_expander: bool = False) -> None:
    """The library's own words inside ``reasons`` (:func:`scoring.messages.technical_details`),
    marked as a technical detail: an expander, or a caption when already inside one (Streamlit
    does not nest expanders). Nothing when every reason is said fully by its code."""
    details = list(dict.fromkeys(d for r in reasons if r for d in technical_details(r)))
    if not details:
        return
    body = "\n".join(f"- {plain(d)}" for d in details)
    if inside_expander:
        st.caption(f"{t('technical_detail', lang)}:\n{body}")
    else:
        with st.expander(t("technical_detail", lang)):
            st.markdown(body)


def summary_line(err: UserError, lang: str) -> str | None:
    """The summary of ``err`` in ``lang`` (from its code), the English one on an English page."""
    if err.summary_code in MESSAGES:
        entry = MESSAGES[err.summary_code]
        return (entry.get(lang) or entry["nb"]).format(**err.summary_params)
    return err.summary if lang == "en" else None


def problems_markdown(err: UserError, lang: str) -> str:
    """Every problem of ``err`` as a Markdown list, escaped; a single problem as one line."""
    summary = summary_line(err, lang)
    lines = [plain(problem_line(p, lang)) for p in err.problems] + ([plain(summary)] if summary else [])
    return lines[0] if len(lines) == 1 else "\n".join(f"- {line}" for line in lines)


def show_refusal(err: UserError, lang: str, lead: str | None = None) -> None:
    """``st.error`` with ``lead`` (a translated sentence such as "nothing was stored") and the
    problems below it."""
    body = problems_markdown(err, lang)
    st.error(f"{lead}\n\n{body}" if lead else body)
