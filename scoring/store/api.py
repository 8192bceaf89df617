"""The repository API: every function the CLI and the Streamlit pages call, in one place.

Each function takes a SQLAlchemy :class:`~sqlalchemy.Engine` (``get_engine()`` gives the
configured one) and runs its own transaction; a write is all or nothing. Errors a user can
cause raise :class:`scoring.errors.UserError`; a refused link or code raises
:class:`AccessRefused` with a ``reason`` a page can translate.

Respondent page::

    access = resolve_access(engine, token=t)            # or code=k; raises AccessRefused
    access.form.instruments, access.languages, access.unit_name
    submit_response(engine, token=t, answers={...}, fields={...}, language="nb",
                    idempotency_key=key_made_once_per_form)

Admin page: ``create_round``, ``close_round``, ``list_rounds``, ``round_status`` (counts and
rates per unit), ``make_links``, ``make_codes``, ``import_units``, ``import_headcount``,
``import_responses``; PDFs in :mod:`scoring.formats.pdf`.
Dashboard: ``read_responses``, ``read_feedback``, ``read_units``; accounts are checked by
:mod:`scoring.store.access`. Klienter page: ``register_client``, ``list_clients``, ``read_caseload``,
``record_contact``, ``registration_units`` (each scoped to the principal's caseload,
:mod:`scoring.store.caseload`).
"""

from scoring.responses.national_id import find_national_id, looks_like_national_id
from scoring.store.access_requests import Request, approve_request, pending_requests, reject_request, request_access
from scoring.store.accounts import (
    Account,
    add_user,
    create_account,
    deactivate,
    link_oidc,
    list_accounts,
    reset_password,
    set_active,
    set_role,
    set_units,
)
from scoring.store.addresses import PublicAddressRefused, answer_address, public_base
from scoring.store.bulk import ImportRefused, ImportResult, import_responses
from scoring.store.caseload import list_clients, read_caseload, record_contact, register_client, registration_units
from scoring.store.db import database_url, get_engine, make_engine, migrate
from scoring.store.feedback import (
    add_feedback_contact,
    check_client_id,
    import_feedback,
    read_feedback,
)
from scoring.store.logins import LoginRefused, log_in, oidc_principal
from scoring.store.organisation import descendants, import_units, leaf_units, read_units
from scoring.store.read import read_responses
from scoring.store.rounds import (
    Link,
    RoundInfo,
    close_round,
    code_counts,
    create_round,
    import_headcount,
    list_rounds,
    make_codes,
    make_links,
    refresh_instruments,
    reopen_round,
    revoke_codes,
    revoke_link,
    round_info,
    round_status,
)
from scoring.store.settings import is_demo
from scoring.store.submit import Access, AccessRefused, EmptyResponse, Submitted, resolve_access, submit_response

__all__ = [
    "PublicAddressRefused", "Request", "add_user", "answer_address", "approve_request", "deactivate", "is_demo", "pending_requests",
    "public_base", "reject_request", "request_access", "reset_password", "set_role", "set_units",
    "Access", "AccessRefused", "Account", "EmptyResponse", "ImportRefused", "ImportResult", "Link", "LoginRefused", "RoundInfo", "Submitted",
    "add_feedback_contact", "check_client_id", "close_round", "code_counts", "create_account",
    "create_round", "database_url", "descendants", "find_national_id", "get_engine", "import_feedback", "import_headcount",
    "import_responses", "import_units", "leaf_units", "link_oidc", "list_accounts", "list_clients", "list_rounds", "log_in",
    "looks_like_national_id", "make_codes", "make_engine", "make_links", "migrate", "oidc_principal", "read_caseload", "read_feedback",
    "read_responses", "read_units", "record_contact", "refresh_instruments", "register_client", "registration_units",
    "reopen_round", "resolve_access", "revoke_codes", "revoke_link", "round_info", "round_status", "set_active",
    "submit_response",
]
