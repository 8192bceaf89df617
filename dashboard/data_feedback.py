"""Client feedback for the Klienter page: the cached service basis, everything else scoped.

:func:`service_basis` (settings and expected trajectories from the whole service) is the slow
part, a mixed model; it holds no client and is refitted at most once an hour, or when the
alert rules change. Each clinician's clients are read fresh on every run through
:mod:`scoring.feedback.caseload` and :mod:`scoring.store.caseload`, whose SQL keeps to the
principal's caseload; a page never filters.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import data
from scoring.feedback.alerts import AlertRules
from scoring.feedback.caseload import ServiceBasis
from scoring.feedback.caseload import service_basis as _service_basis


@st.cache_resource(show_spinner=False, ttl=3600, max_entries=8)
def _basis(no_change_after: int, day: str) -> ServiceBasis:
    return _service_basis(data.engine(), rules=AlertRules(no_change_after=no_change_after))


def service_basis(no_change_after: int) -> ServiceBasis:
    """Settings and expected trajectories, cached per alert rule and day."""
    return _basis(int(no_change_after), dt.date.today().isoformat())
