"""Data for the landing page and the action-plan page, built on :mod:`dashboard.data`.

Every figure comes from the principal's publication (:func:`dashboard.data.publication`) through
:mod:`scoring.reporting.landing` and :mod:`scoring.reporting.unit_report`; actions come from
:mod:`scoring.store.plans`, which checks the principal's scope before it reads or writes.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import data, data_compare
from scoring.reporting.landing import CoordinatorView, UnitLanding, coordinator_view, scale_table, unit_landing
from scoring.store import plans
from scoring.store.access import Principal
from scoring.store.rounds import round_row
from scoring.store.submit import load_form


def latest_round(principal: Principal) -> str | None:
    """The newest round with results in the principal's publication."""
    return data.latest_result_round(principal)


def scales(principal: Principal, round_name: str) -> list[str]:
    present = set(data.summary(principal).select("compare", round_name)["scale"])
    return [s for s, _ in data_compare.staff_scales() if s in present]


def actions(principal: Principal) -> pd.DataFrame:
    """Every action the principal may see (not cached: a saved action shows at once)."""
    return plans.list_actions(data.engine(), principal=principal)


def landings(principal: Principal, round_name: str) -> list[UnitLanding]:
    """One landing per unit assigned to the principal (a manager's own units), in tree order."""
    publication = data.summary(principal)
    tree = data.units()
    chosen = [u for u in tree["unit"] if u in set(principal.assigned)]
    if not chosen:
        return []
    wanted = scales(principal, round_name)
    table = scale_table(publication, tree, round_name, wanted)
    mine = actions(principal)
    status = data_compare.headcount(round_name)
    return [unit_landing(publication, tree, unit, round_name, status, mine, wanted, table) for unit in chosen]


def coordinator(principal: Principal) -> CoordinatorView:
    """The running round's response rates, small units, reminders and rounds to close."""
    rounds = data.rounds()
    records = [] if rounds.empty else rounds.to_dict(orient="records")
    running = [r["name"] for r in records if r["state"] == "open"]
    status = data_compare.headcount(running[-1]) if running else pd.DataFrame(columns=["unit", "invited"])
    return coordinator_view(data.summary(principal), data.units(), records, status, dt.date.today())


def report_pdf(principal: Principal, unit: str, round_name: str, lang: str) -> bytes:
    """The unit report as the principal sees it (the same publication as every page, read for
    this report's cells only)."""
    from scoring.formats.unit_report_pdf import unit_report_bytes
    from scoring.reporting.unit_report import unit_report

    principal.require_units([unit])
    report = unit_report(data.report_cells(principal, unit, round_name), data.units(), unit, round_name, data_compare.headcount(round_name),
                         actions(principal), round_instruments(round_name), lang)
    return unit_report_bytes(report)


def round_instruments(round_name: str) -> list:
    """The instruments of the round's form (names, item wording, answer labels for a report)."""
    with data.engine().connect() as conn:
        rnd = round_row(conn, round_name)
        return list(load_form(conn, rnd.id, rnd.form_hash).instruments)


def scale_names(lang: str) -> dict[str, str]:
    return {s: name.get(lang) or name["nb"] for s, name in data_compare.staff_scales()}

