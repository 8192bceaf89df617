"""Bad input at the store boundary: one clear user error (file, row, field), exit code 2, nothing
stored, never a traceback, on SQLite and PostgreSQL alike.

SQLite stores any text in a VARCHAR(n), a NUL character and any integer; PostgreSQL refuses
them with a driver error. Excel cells that are TRUE/FALSE or formulas are refused, not read as
1, 0, a cached value or a blank. tests/postgres/test_bad_input_pg.py runs every test here again
against PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import func, select

from scoring.cli import main
from scoring.errors import UserError
from scoring.store import api
from scoring.store.access import Principal
from scoring.store.caseload import register_client
from scoring.store.db import get_engine
from scoring.store.models import FeedbackContact, Headcount, Response, Round, Unit
from tests.store.test_store import SAMPLE, TODAY, db_url, engine, org  # noqa: F401 - the store's fixtures

TOO_BIG = 2**31  # one more than PostgreSQL's INTEGER holds
FEEDBACK_ITEMS = ["fu_velvaere", "fu_relasjoner", "fu_hverdag", "fu_samlet"]


@pytest.fixture
def cli(db_url, engine, org, monkeypatch, capsys):
    """Run ``samklima`` against the test database; returns (exit code, stderr)."""
    monkeypatch.setenv("SAMKLIMA_DATABASE_URL", db_url)
    get_engine.cache_clear()

    def run(*args):
        code = main([str(a) for a in args])
        _, err = capsys.readouterr()
        assert "Traceback" not in err and "internal error" not in err, err
        return code, err

    yield run
    get_engine.cache_clear()


def rows(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def xlsx(path, header, *data):
    """An Excel file as a person makes it: ``True`` becomes a TRUE cell, ``"=..."`` a formula."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in data:
        sheet.append(list(row))
    book.save(path)
    return path


# --- units -------------------------------------------------------------------------------------

def test_units_longer_than_their_columns_or_with_a_nul_are_refused(cli, engine, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "unit,name,parent,unit_type\n"
        f"{'u' * 65},Lang id,k1,team\n"
        f"k1.x,{'N' * 201},k1,team\n"
        "k1.y,Nul\x00navn,k1,team\n"
        f"k1.z,Type,k1,{'t' * 41}\n",
        encoding="utf-8",
    )
    before = rows(engine, Unit)
    code, err = cli("units", "import", path)
    assert code == 2
    assert f"{path}: row 1: unit: longer than 64 characters (65)" in err
    assert f"{path}: row 2: name: longer than 200 characters (201)" in err
    assert f"{path}: row 3: name: contains a NUL character" in err
    assert f"{path}: row 4: unit_type: longer than 40 characters (41)" in err
    assert rows(engine, Unit) == before
    code, err = cli("units", "import", SAMPLE / "units.csv", "--organisation", "O" * 201)
    assert code == 2 and "--organisation: longer than 200 characters (201)" in err


def test_excel_true_and_formula_cells_in_units_are_refused(cli, engine, tmp_path):
    path = xlsx(tmp_path / "units.xlsx", ["unit", "name", "parent", "unit_type"], ["k1.x", True, "k1", "team"], ["k1.y", "Y", "k1", "=A2"])
    before = rows(engine, Unit)
    code, err = cli("units", "import", path)
    assert code == 2
    assert f"{path}: row 1: name: cell B2 is TRUE/FALSE" in err
    assert f"{path}: row 2: unit_type: cell D3 is a formula (=A2)" in err
    assert rows(engine, Unit) == before


# --- headcount ---------------------------------------------------------------------------------

def test_a_headcount_out_of_range_is_refused(cli, engine, tmp_path):
    path = tmp_path / "headcount.csv"
    path.write_text(f"unit,round,invited\n{list(api.read_units(engine)['unit'])[3]},2026-1,{TOO_BIG}\n", encoding="utf-8")
    code, err = cli("headcount", "import", path)
    assert code == 2 and f"{path}: row 1: invited: {TOO_BIG} is more than 2147483647" in err
    assert rows(engine, Headcount) == 0


@pytest.mark.parametrize("cell, shown", [(True, "is TRUE/FALSE"), ("=2+3", "is a formula (=2+3)")])
def test_a_headcount_from_an_excel_true_or_formula_cell_is_refused(cli, engine, org, tmp_path, cell, shown):
    path = xlsx(tmp_path / "headcount.xlsx", ["unit", "round", "invited"], [org.unit, "2026-1", 12], [org.unit, "2026-1", cell])
    code, err = cli("headcount", "import", path)
    assert code == 2 and f"{path}: row 2: invited: cell C3 {shown}" in err
    assert rows(engine, Headcount) == 0


# --- responses ---------------------------------------------------------------------------------

@pytest.mark.parametrize("cell, shown", [(True, "is TRUE/FALSE"), ("=1+3", "is a formula (=1+3)")])
def test_an_answer_from_an_excel_true_or_formula_cell_is_refused(cli, engine, org, tmp_path, cell, shown):
    items = [i for i in org.items if i.startswith("sk_")]  # one whole instrument, sk_info1 first
    path = xlsx(tmp_path / "answers.xlsx", ["response", "unit", *items], ["r1", org.unit, *[4] * len(items)], ["r2", org.unit, cell, *[2] * (len(items) - 1)])
    code, err = cli("import", path, "--round", "2026-1")
    assert code == 2 and f"{path}: row 2: sk_info1: cell C3 {shown}" in err
    assert rows(engine, Response) == 0


def test_a_field_with_a_nul_is_refused_in_an_import(cli, engine, org, tmp_path):
    path = tmp_path / "answers.csv"
    items = [i for i in org.items if i.startswith("mb_")]
    answers = ",".join("3" for _ in items)
    path.write_text(f"response,unit,role,{','.join(items)}\nr1,{org.unit},leder,{answers}\nr2,{org.unit},sykepl\x00eier,{answers}\n", encoding="utf-8")
    code, err = cli("import", path, "--round", "2026-1")
    assert code == 2 and f"{path}: row 2: role: contains a NUL character" in err
    assert rows(engine, Response) == 0


def test_a_submitted_field_or_link_with_a_nul_is_refused(org, engine):
    with pytest.raises(UserError, match="role: contains a NUL character"):
        api.submit_response(engine, token=org.token, answers={"sk_info1": 2}, fields={"role": "le\x00der"}, language="nb", idempotency_key="n1", today=TODAY)
    with pytest.raises(UserError, match="sk_partner: contains a NUL character"):
        api.submit_response(engine, token=org.token, answers={"sk_info1": 2}, fields={"sk_partner": "nav\x001"}, language="nb", idempotency_key="n2", today=TODAY)
    for token in (org.token + "\x00", "\x00" * 3, "t" * 10_000):
        with pytest.raises(api.AccessRefused) as err:
            api.resolve_access(engine, token=token, today=TODAY)
        assert err.value.reason == "invalid"
    with pytest.raises(api.AccessRefused) as err:
        api.submit_response(engine, code="ABCD\x00EFGH", answers={"sk_info1": 2}, language="nb", idempotency_key="n3", today=TODAY)
    assert err.value.reason == "unknown_code"
    assert rows(engine, Response) == 0


DATES = ("--opens", "2026-03-01", "--closes", "2026-03-28")


# --- rounds ------------------------------------------------------------------------------------

def test_a_round_name_or_min_n_that_does_not_fit_is_refused(cli, engine):
    before = rows(engine, Round)
    code, err = cli("round", "create", "--name", "R" * 101, "--instrument", "medbestemmelse", *DATES)
    assert code == 2 and "--name: longer than 100 characters (101)" in err
    code, err = cli("round", "create", "--name", "stor", "--instrument", "medbestemmelse", "--min-n", TOO_BIG, *DATES)
    assert code == 2 and f"--min-n: {TOO_BIG} is more than 2147483647" in err
    assert rows(engine, Round) == before


# --- client feedback ---------------------------------------------------------------------------

def feedback_rows(org, **change) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"client": ["c1", "c1", "c2"], "unit": org.unit, "clinician": "kl01", "contact": [1, 2, 1], "date": "2026-03-02"}
        | {item: [4.0, 5.0, 6.0] for item in FEEDBACK_ITEMS}
    )
    for column, (row, value) in change.items():
        frame[column] = frame[column].astype(object)
        frame.loc[row, column] = value
    return frame


@pytest.mark.parametrize(
    "change, shown",
    [
        ({"client": (1, "c" * 65)}, "row 2: client: the client id is longer than 64 characters"),
        ({"clinician": (2, "k" * 65)}, "row 3: clinician: longer than 64 characters (65)"),
        ({"clinician": (0, "kl\x0001")}, "row 1: clinician: contains a NUL character"),
        ({"contact": (1, TOO_BIG)}, f"row 2: contact: {TOO_BIG} is more than 2147483647"),
    ],
)
def test_feedback_values_that_do_not_fit_are_refused(cli, engine, org, tmp_path, change, shown):
    path = tmp_path / "feedback.csv"
    feedback_rows(org, **change).to_csv(path, index=False)
    code, err = cli("import-feedback", path)
    assert code == 2 and f"{path}: {shown}" in err
    assert rows(engine, FeedbackContact) == 0


def test_a_contact_number_that_is_true_is_refused_not_read_as_1(cli, engine, org, tmp_path):
    path = tmp_path / "feedback.csv"
    feedback_rows(org).assign(contact="TRUE").to_csv(path, index=False)  # a column of TRUE: pandas reads booleans
    code, err = cli("import-feedback", path)
    assert code == 2 and f"{path}: row 1: contact: TRUE/FALSE is not a contact number" in err
    book = xlsx(tmp_path / "feedback.xlsx", ["client", "unit", "clinician", "contact", "date", *FEEDBACK_ITEMS],
                ["c1", org.unit, "kl01", True, "2026-03-02", *[4] * 4], ["c1", org.unit, "kl01", "=1+1", "2026-03-09", *[5] * 4])  # fmt: skip
    code, err = cli("import-feedback", book)
    assert code == 2 and f"{book}: row 1: contact: cell D2 is TRUE/FALSE" in err and f"{book}: row 2: contact: cell D3 is a formula (=1+1)" in err
    assert rows(engine, FeedbackContact) == 0


def test_a_contact_or_registration_that_does_not_fit_is_refused(org, engine):
    given = dict(client="c1", unit=org.unit, date=dt.date(2026, 3, 2), answers={"fu_velvaere": 4})
    with pytest.raises(UserError, match="clinician: longer than 64 characters"):
        api.add_feedback_contact(engine, clinician="k" * 65, contact=1, **given)
    with pytest.raises(UserError, match="clinician: contains a NUL character"):
        api.add_feedback_contact(engine, clinician="k\x00", contact=1, **given)
    with pytest.raises(UserError, match="contact: the contact number must be a whole number from 1 to 2147483647"):
        api.add_feedback_contact(engine, clinician="kl01", contact=TOO_BIG, **given)
    with pytest.raises(UserError, match="client: the client id contains a NUL character"):
        api.add_feedback_contact(engine, clinician="kl01", contact=1, **{**given, "client": "c\x001"})
    admin = Principal("admin", "admin")
    with pytest.raises(UserError, match="clinician: longer than 64 characters"):
        register_client(engine, admin, client="c9", unit=org.unit, clinician="k" * 65, today=TODAY)
    assert rows(engine, FeedbackContact) == 0
