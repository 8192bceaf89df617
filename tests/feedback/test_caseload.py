"""A clinician's caseload in the database: registering clients, recording contacts, and the scope
kept in the store's SQL (a clinician reaches only their own clients), on the demo database."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from scoring.cli import main
from scoring.errors import UserError
from scoring.feedback.caseload import caseload_table, client_view, service_basis, unit_view
from scoring.feedback.clients import client_table, prepare_contacts
from scoring.feedback.units import client_answers
from scoring.privacy.audit import attack
from scoring.privacy.publication import Publication, Viewer
from scoring.samples.demo import load_demo
from scoring.store.access import AccessDenied, Principal, principal_for
from scoring.store.accounts import create_account
from scoring.store.caseload import list_clients, read_caseload, record_contact, register_client, registration_units
from scoring.store.db import get_engine, make_engine
from scoring.store.feedback import read_feedback
from scoring.store.organisation import read_units

NATIONAL_ID = "15038543226"  # 11 digits with valid fødselsnummer check digits (not a real person)
UNIT = "k1.ho.hj1.t2"  # the demo clinician's unit
ANSWERS = {
    "fu_velvaere": 4.0, "fu_relasjoner": 4.5, "fu_hverdag": 3.5, "fu_samlet": 4.0,
    "fs_hort": 9.0, "fs_viktig": 9.5, "fs_maate": 9.0, "fs_samlet": 9.5,
}  # fmt: skip


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('caseload') / 'db.sqlite'}")
    load_demo(eng)
    create_account(eng, "kliniker2", "demo", "clinician", units=[UNIT], clinician="kl99")
    return eng


@pytest.fixture(scope="module")
def kliniker(engine):
    return principal_for(engine, "kliniker")


@pytest.fixture(scope="module")
def other(engine):
    return principal_for(engine, "kliniker2")


def answers(**changes):
    return {**ANSWERS, **changes}


def test_a_clinician_sees_the_imported_clients_they_have_seen_and_no_others(engine, kliniker, other):
    mine = list_clients(engine, kliniker)
    assert set(mine["clinician"]) == {"kl01"} and len(mine) >= 1
    assert list_clients(engine, other).empty, "kl99 has recorded nothing and registered nobody"


def test_registering_a_client_puts_it_in_the_clinicians_caseload_only(engine, kliniker, other):
    done = register_client(engine, kliniker, client=" hj-001 ", unit=UNIT, today=dt.date(2026, 1, 5))
    assert (done.client, done.unit, done.clinician) == ("hj-001", UNIT, "kl01")
    row = list_clients(engine, kliniker).set_index("client").loc["hj-001"]
    assert row["contacts"] == 0 and row["registered_on"] == dt.date(2026, 1, 5)
    assert "hj-001" not in set(list_clients(engine, other)["client"])


def test_a_national_identity_number_is_refused_with_the_stores_message(engine, kliniker):
    for typed in (NATIONAL_ID, "150385 43226", "150385-43226"):
        with pytest.raises(UserError, match="looks like a Norwegian national identity number") as err:
            register_client(engine, kliniker, client=typed, unit=UNIT)
        assert NATIONAL_ID not in str(err.value)
    assert NATIONAL_ID not in set(list_clients(engine, Principal("admin", "admin"))["client"])


def test_an_id_in_use_in_the_unit_and_a_unit_outside_the_clinicians_are_refused(engine, kliniker):
    register_client(engine, kliniker, client="hj-dup", unit=UNIT)
    with pytest.raises(UserError, match="in use in this unit already"):
        register_client(engine, kliniker, client="hj-dup", unit=UNIT)
    imported = list_clients(engine, kliniker)["client"].iloc[0]
    with pytest.raises(UserError, match="in use in this unit already"):
        register_client(engine, kliniker, client=imported, unit=UNIT)
    assert registration_units(engine, kliniker) == [UNIT]
    with pytest.raises(AccessDenied):
        register_client(engine, kliniker, client="hj-elsewhere", unit="d1.rus")


def test_contacts_are_numbered_in_order_and_dated_forward(engine, kliniker):
    register_client(engine, kliniker, client="hj-002", unit=UNIT)
    assert record_contact(engine, kliniker, unit=UNIT, client="hj-002", answers=ANSWERS, date=dt.date(2026, 2, 1)) == 1
    assert record_contact(engine, kliniker, unit=UNIT, client="hj-002", answers=ANSWERS, date=dt.date(2026, 2, 8)) == 2
    with pytest.raises(UserError, match="before the client's last contact"):
        record_contact(engine, kliniker, unit=UNIT, client="hj-002", answers=ANSWERS, date=dt.date(2026, 2, 7))
    with pytest.raises(UserError, match="in the future"):
        record_contact(engine, kliniker, unit=UNIT, client="hj-002", answers=ANSWERS, date=dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(UserError, match="fu_velvaere"):
        record_contact(engine, kliniker, unit=UNIT, client="hj-002", answers=answers(fu_velvaere=11), date=dt.date(2026, 2, 9))
    stored = read_caseload(engine, kliniker, unit=UNIT, client="hj-002")
    assert list(stored["contact"]) == [1, 2] and set(stored["clinician"]) == {"kl01"}


def test_another_clinicians_client_cannot_be_read_or_written(engine, kliniker, other):
    register_client(engine, kliniker, client="hj-003", unit=UNIT)
    record_contact(engine, kliniker, unit=UNIT, client="hj-003", answers=ANSWERS, date=dt.date(2026, 3, 1))
    basis = service_basis(engine)
    for attempt in (
        lambda: read_caseload(engine, other, unit=UNIT, client="hj-003"),
        lambda: record_contact(engine, other, unit=UNIT, client="hj-003", answers=ANSWERS),
        lambda: client_view(engine, other, UNIT, "hj-003", basis),
    ):
        with pytest.raises(AccessDenied, match="You do not have access to this client"):
            attempt()
    # the same answer as for a client that does not exist
    with pytest.raises(AccessDenied, match="You do not have access to this client"):
        client_view(engine, other, UNIT, "nobody", basis)
    assert read_caseload(engine, other).empty
    assert caseload_table(engine, other, basis).empty
    register_client(engine, other, client="kl99-001", unit=UNIT)
    assert list(list_clients(engine, other)["client"]) == ["kl99-001"], "their own registration, and nothing of kl01's"
    assert "kl99-001" not in set(list_clients(engine, kliniker)["client"])


def test_a_researcher_and_an_account_without_clinician_id_reach_no_client(engine):
    with pytest.raises(AccessDenied, match="no access to clients"):
        list_clients(engine, principal_for(engine, "forsker"))
    with pytest.raises(AccessDenied, match="no clinician id"):
        list_clients(engine, Principal("x", "clinician", clinician=None))


def test_the_clinicians_view_has_the_course_the_alerts_and_the_expected_band(engine, kliniker):
    register_client(engine, kliniker, client="hj-004", unit=UNIT)
    days = [dt.date(2026, 4, d) for d in (1, 8, 15)]
    outcome = [(5.0, 5.0, 5.0, 5.0), (4.0, 4.0, 4.0, 4.0), (2.0, 2.0, 2.0, 2.0)]  # 20 -> 16 -> 8
    visit = [(9.5, 9.5, 9.5, 9.5), (10.0, 10.0, 10.0, 10.0), (7.0, 7.0, 7.0, 7.0)]  # 38 -> 40 -> 28
    for day, fu, fs in zip(days, outcome, visit):
        given = dict(zip(("fu_velvaere", "fu_relasjoner", "fu_hverdag", "fu_samlet"), fu))
        given |= dict(zip(("fs_hort", "fs_viktig", "fs_maate", "fs_samlet"), fs))
        record_contact(engine, kliniker, unit=UNIT, client="hj-004", answers=given, date=day)
    basis = service_basis(engine)
    view = client_view(engine, kliniker, UNIT, "hj-004", basis, lang="en")
    assert list(view.table["outcome_total"]) == [20.0, 16.0, 8.0]
    assert view.reliable_change == "deteriorated"
    kinds = {(a.contact, a.kind) for a in view.alerts.itertuples()}
    assert {(2, "visit_ceiling"), (3, "deterioration"), (3, "low_visit"), (3, "visit_drop")} <= kinds
    assert all(m.endswith(".") and m.count(". ") == 0 for m in view.alerts["message"]), "one sentence each"
    assert view.bands["cutoff"] == 25.0 and view.bands["visit_threshold"] == 36.0
    assert view.bands["reliable_low"] < 20.0 < view.bands["reliable_high"]
    assert "expected" in view.table.columns, "the demo service has enough clients for an expected course"
    assert "clients" in basis.expected_for(UNIT).basis("en")
    table = caseload_table(engine, kliniker, basis)
    row = table.set_index("client").loc["hj-004"]
    assert row["contacts"] == 3 and row["reliable_change"] == "deteriorated" and "deterioration" in row["alerts"]
    # registered here, not by another test of the module (which may run in another xdist worker)
    register_client(engine, kliniker, client="hj-010", unit=UNIT, today=dt.date(2026, 1, 5))
    assert client_view(engine, kliniker, UNIT, "hj-010", basis) is None, "registered, no contact yet"


def test_the_no_change_rule_follows_the_setting(engine, kliniker):
    register_client(engine, kliniker, client="hj-005", unit=UNIT)
    for day in (1, 8, 15):
        record_contact(engine, kliniker, unit=UNIT, client="hj-005", answers=ANSWERS, date=dt.date(2026, 5, day))
    from scoring.feedback.alerts import AlertRules

    at_three = client_view(engine, kliniker, UNIT, "hj-005", service_basis(engine, rules=AlertRules(no_change_after=3)))
    at_four = client_view(engine, kliniker, UNIT, "hj-005", service_basis(engine, rules=AlertRules(no_change_after=4)))
    assert "no_change" in set(at_three.alerts["kind"]) and "no_change" not in set(at_four.alerts["kind"])


def test_unit_figures_are_for_administrators_and_suppressed_below_min_n(engine, kliniker):
    admin = principal_for(engine, "admin")
    basis = service_basis(engine)
    figures = unit_view(engine, admin, basis, min_n=5).published()
    assert figures["suppressed"].any() and (~figures["suppressed"]).any()
    shown = figures[~figures["suppressed"]]
    assert (shown["clients"] >= 5).all()
    assert figures.loc[figures["suppressed"], ["clients", "mean_change"]].isna().all().all()
    with pytest.raises(AccessDenied):
        unit_view(engine, kliniker, basis)


def test_the_publication_holds_the_unit_figures_the_page_shows_and_gives_nothing_away(engine, monkeypatch, capsys):
    monkeypatch.setenv("SAMKLIMA_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_engine.cache_clear()
    try:
        assert main(["publication", "--json"]) == 0  # no survey round: the client-feedback cells alone
        admin_json = json.loads(capsys.readouterr().out)
        assert main(["publication", "--as", "leder", "--json"]) == 0
        leder_json = json.loads(capsys.readouterr().out)
    finally:
        get_engine.cache_clear()
    (block,) = admin_json["rounds"]
    assert block["name"] == "clients:" + read_feedback(engine)["date"].max().date().isoformat()
    cells = [c for c in admin_json["cells"] if c["page"] == "clients"]
    assert {c["round"] for c in cells} == {block["name"]} and block["min_n"] == 5
    assert all(c["why"] in ("below_min_n", "protects_other") for c in cells if c["hidden"])
    counts = {c["unit"]: c for c in cells if c["scale"] is None}
    basis = service_basis(engine)
    page = unit_view(engine, principal_for(engine, "admin"), basis).published()
    assert page["unit"].iloc[0] == "*" and (~page["suppressed"]).any() and page["suppressed"].any()
    for row in page.itertuples(index=False):  # the page shows the publication's cells, nothing else
        cell = counts[row.unit]
        assert cell["hidden"] == row.suppressed and (cell["hidden"] or cell["n"] == row.clients)

    leder = principal_for(engine, "leder")
    own = {c["unit"] for c in leder_json["cells"] if c["page"] == "clients"}
    assert own and own <= set(leder.units) | {"*"} | {u for u in own if u.startswith("type:")}
    clients = client_table(prepare_contacts(read_feedback(engine)), basis.settings)
    answers = client_answers(clients, name=block["name"], min_n=5)
    for data, viewer in ((admin_json, Viewer()), (leder_json, Viewer("leder", "manager", frozenset(leder.units)))):
        frame = pd.DataFrame(data["cells"])
        frame = frame[frame["page"] == "clients"].assign(category=np.nan)
        assert attack(Publication(viewer, {block["name"]: 5}, frame), read_units(engine), [answers]) == []


# --- correcting and deleting a contact registered by mistake (scoring.store.contact_corrections)


def test_a_contact_is_corrected_and_then_deleted_with_the_reason_kept_and_no_longer_counted(engine, kliniker, other):
    from scoring.store.contact_corrections import correct_contact, delete_contact, list_corrections

    register_client(engine, kliniker, client="fix-001", unit=UNIT, today=dt.date(2026, 2, 1))
    for day in (2, 9):
        record_contact(engine, kliniker, unit=UNIT, client="fix-001", answers=ANSWERS, date=dt.date(2026, 2, day))
    partial = {"fu_velvaere": 7.0, "fu_relasjoner": None}  # the rest of the items left unanswered
    correct_contact(engine, kliniker, unit=UNIT, client="fix-001", contact=2, answers=partial, date=dt.date(2026, 2, 10),
                    reason=" feil svar ", today=dt.date(2026, 2, 11))
    second = read_caseload(engine, kliniker, unit=UNIT, client="fix-001").set_index("contact").loc[2]
    assert second["fu_velvaere"] == 7.0 and second[list(ANSWERS)[1:]].isna().all(), "unanswered is missing, never 5.0"
    assert second["date"] == dt.datetime(2026, 2, 10)
    from scoring.feedback.clients import prepare_contacts

    scored = prepare_contacts(read_caseload(engine, kliniker, unit=UNIT, client="fix-001")).set_index("contact")
    assert scored.loc[1, "outcome_total"] == 16.0 and scored.loc[1, "visit_total"] == 37.0
    assert scored[["outcome_total", "visit_total"]].loc[2].isna().all(), "a partly answered form has no total, never a prorated one"

    delete_contact(engine, kliniker, unit=UNIT, client="fix-001", contact=1, reason="registrert på feil klient", today=dt.date(2026, 2, 12))
    assert list(read_caseload(engine, kliniker, unit=UNIT, client="fix-001")["contact"]) == [2]
    assert list_clients(engine, kliniker).set_index("client").loc["fix-001", "contacts"] == 1
    log = list_corrections(engine, kliniker, unit=UNIT, client="fix-001")
    assert log[["contact", "action", "reason", "corrected_by"]].values.tolist() == [
        [2, "corrected", "feil svar", "kliniker"], [1, "deleted", "registrert på feil klient", "kliniker"]
    ]
    assert list(log["corrected_on"]) == [dt.date(2026, 2, 11), dt.date(2026, 2, 12)], "the day, no time of day"
    with pytest.raises(AccessDenied):
        delete_contact(engine, other, unit=UNIT, client="fix-001", contact=2, reason="ikke min")


def test_a_correction_is_refused_without_a_reason_with_a_national_id_in_it_or_out_of_order_and_changes_nothing(engine, kliniker):
    from scoring.store.contact_corrections import correct_contact, delete_contact, list_corrections

    register_client(engine, kliniker, client="fix-002", unit=UNIT)
    for day in (3, 5, 7):
        record_contact(engine, kliniker, unit=UNIT, client="fix-002", answers=ANSWERS, date=dt.date(2026, 3, day))
    before = read_caseload(engine, kliniker, unit=UNIT, client="fix-002")
    attempts = [
        (dict(contact=2, reason="  "), "give a reason"),
        (dict(contact=2, reason=f"feil klient {NATIONAL_ID}"), "looks like a Norwegian national identity number"),
        (dict(contact=2, reason="x" * 501), "longer than 500"),
        (dict(contact=9, reason="finnes ikke"), "has no contact 9"),
    ]
    for arguments, message in attempts:
        with pytest.raises(UserError, match=message) as err:
            delete_contact(engine, kliniker, unit=UNIT, client="fix-002", **arguments)
        assert NATIONAL_ID not in str(err.value)
    for day, message in ((2, "before the previous contact"), (8, "after the next contact")):
        with pytest.raises(UserError, match=message):
            correct_contact(engine, kliniker, unit=UNIT, client="fix-002", contact=2, answers=ANSWERS, date=dt.date(2026, 3, day), reason="dato")
    with pytest.raises(UserError, match="fu_velvaere"):
        correct_contact(engine, kliniker, unit=UNIT, client="fix-002", contact=2, answers={"fu_velvaere": 11}, date=dt.date(2026, 3, 5), reason="x")
    assert read_caseload(engine, kliniker, unit=UNIT, client="fix-002").equals(before)
    assert list_corrections(engine, kliniker, unit=UNIT, client="fix-002").empty
