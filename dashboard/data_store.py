"""The pages' one door to the database: every store call a page makes, by name.

Pages import this module (``from dashboard import data_store as api``), never ``scoring.store``
(import-linter checks it), so what a page may read or write is listed here and nowhere else.
The calls are the store's own (:mod:`scoring.store.api`, :mod:`scoring.store.plans`): they
check the principal's scope and the input themselves, so nothing here repeats a check.
"""

from __future__ import annotations

from scoring.store.access import AccessDenied
from scoring.store.accounts import has_local_password
from scoring.store.api import (
    Access,
    AccessRefused,
    RoundInfo,
    close_round,
    create_round,
    import_headcount,
    list_clients,
    list_rounds,
    make_links,
    pending_requests,
    public_base,
    record_contact,
    register_client,
    registration_units,
    reopen_round,
    resolve_access,
    round_info,
    round_status,
    submit_response,
)
from scoring.store.caseload import read_caseload
from scoring.store.code_attempts import CodeLocked, open_with_code
from scoring.store.contact_corrections import correct_contact, delete_contact, list_corrections
from scoring.store.form import encode_value
from scoring.store.models import ACTION_STATUSES, MODES
from scoring.store.plans import add_action, set_status
from scoring.store.prepare import Preparation
from scoring.store.submit import MAX_KEY_LENGTH
from scoring.store.tokens import code_hash

__all__ = [
    "ACTION_STATUSES", "MAX_KEY_LENGTH", "MODES", "CodeLocked", "code_hash", "encode_value", "open_with_code", "Access", "AccessDenied", "AccessRefused", "RoundInfo", "add_action", "close_round",
    "create_round", "import_headcount", "list_clients", "list_rounds", "make_links", "pending_requests", "public_base",
    "record_contact", "register_client", "registration_units", "reopen_round", "resolve_access", "round_info",
    "round_status", "set_status", "submit_response",
    "has_local_password", "read_caseload", "Preparation", "correct_contact", "delete_contact", "list_corrections",
]
