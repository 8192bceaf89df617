"""Refused input as a page shows it: each problem in the page's language, after the label of
the field it concerns (:func:`scoring.messages.problem_text`; a problem without a code keeps its
English message). Every page that catches a :class:`~scoring.errors.UserError` shows it here."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t, table
from dashboard.plain import plain
from scoring.errors import Problem, UserError
from scoring.messages import problem_text


def field_label(path: str | None, lang: str) -> str | None:
    """The page's name for the field at ``path`` (``client``, ``--closes``), if it has one."""
    for key in (f"field_{path}", f"admin_field_{path}"):
        if path and key in table():
            return t(key, lang)
    return None


STANDS_ALONE = {"no_access_unit", "no_access_client", "no_clinician_id", "no_clients_role"}
"""Codes whose message needs no field in front (a refused access, not a refused input)."""


def problem_line(problem: Problem, lang: str) -> str:
    """``Field: message`` in ``lang`` (plain text: the message may quote what was typed)."""
    text = problem_text(problem, lang)
    label = None if problem.code in STANDS_ALONE else field_label(problem.path, lang)
    if label:
        return f"{label}: {text}"
    return text if problem.code else str(problem)


def problems_markdown(err: UserError, lang: str) -> str:
    """Every problem of ``err`` as a Markdown list, escaped; a single problem as one line."""
    lines = [plain(problem_line(p, lang)) for p in err.problems] + ([plain(err.summary)] if err.summary else [])
    return lines[0] if len(lines) == 1 else "\n".join(f"- {line}" for line in lines)


def show_refusal(err: UserError, lang: str, lead: str | None = None) -> None:
    """``st.error`` with ``lead`` (a translated sentence such as "nothing was stored") and the
    problems below it."""
    body = problems_markdown(err, lang)
    st.error(f"{lead}\n\n{body}" if lead else body)
