"""One-time codes: short enough to type from paper, typed loosely, and guarded by attempt limits."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from scoring.store import api
from scoring.store.code_attempts import CLIENT_LIMIT, SESSION_LIMIT, AttemptLog, CodeLocked, open_with_code
from scoring.store.logins import LOCK
from scoring.store.models import LoginAttempt
from scoring.store.tokens import CODE_ALPHABET, code_hash, new_code, normalise_code
from tests.store.test_store import TODAY, count, db_url, engine, org  # noqa: F401 (fixtures)

NOW = dt.datetime(2026, 3, 10, 12, 0)


@pytest.fixture
def log():
    return AttemptLog()


def test_a_code_is_three_groups_of_four_from_an_alphabet_without_look_alikes():
    assert len(CODE_ALPHABET) == 30 and len(set(CODE_ALPHABET)) == 30
    assert not set("0O1IL") & set(CODE_ALPHABET), "no 0/O and no 1/I/L pair"
    codes = [new_code() for _ in range(2000)]
    assert all(re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}", c) for c in codes)
    assert len(set(codes)) == len(codes)
    used = set("".join(codes).replace("-", ""))
    assert used == set(CODE_ALPHABET), "every symbol is drawn (24,000 draws of 30 symbols)"


@pytest.mark.parametrize("typed", ["k7qm-4xpd-9rta", "K7QM4XPD9RTA", " k7qm 4xpd 9rta ", "K7QM–4XPD–9RTA", "k7QM-4xpd 9RTA"])
def test_a_code_is_accepted_in_any_case_with_or_without_dashes_or_spaces(typed):
    assert normalise_code(typed) == "K7QM4XPD9RTA"
    assert code_hash(typed) == code_hash("K7QM-4XPD-9RTA")


def test_an_old_long_code_keeps_its_hash():
    """Databases made before the short codes hold hashes of 28-character Crockford codes."""
    old = "AQ0H-B53F-XMEF-P52J-TCH8-AXS5-PRE8"
    assert code_hash(old) == code_hash("aqoh b53f xmef p52j tch8 axs5 pre8")  # O typed for 0
    assert code_hash(old) == __import__("hashlib").sha256(b"AQ0HB53FXMEFP52JTCH8AXS5PRE8").hexdigest()


def test_an_old_long_code_in_the_database_still_opens(org, engine):
    from sqlalchemy import insert, select

    from scoring.store.models import OneTimeCode, Round

    old = "AQ0H-B53F-XMEF-P52J-TCH8-AXS5-PRE8"
    with engine.begin() as conn:
        round_id = conn.execute(select(Round.id).where(Round.name == "2026-1")).scalar_one()
        conn.execute(insert(OneTimeCode).values(code_hash=code_hash(old), round_id=round_id, unit_id=org.unit, revoked=False, created_on=TODAY))
    assert api.resolve_access(engine, code=old.lower(), today=TODAY).unit == org.unit


def test_a_short_code_typed_in_lower_case_answers_once(org, engine, log):
    code = api.make_codes(engine, "2026-1", org.unit, 1)[0]
    assert len(code) == 14
    typed = code.lower().replace("-", " ")
    access = open_with_code(engine, typed, address="10.0.0.1", session="s1", now=NOW, today=TODAY, log=log)
    assert access.unit == org.unit
    api.submit_response(engine, code=typed, answers={"sk_info1": 3}, language="nb", idempotency_key="k", today=TODAY)
    assert count(engine) == 1
    with pytest.raises(api.AccessRefused):
        api.resolve_access(engine, code=code, today=TODAY)
    assert len(log) == 0, "a right code records nothing"


def miss(engine, log, n, *, address="10.0.0.9", session=None, now=NOW):
    for k in range(n):
        with pytest.raises(api.AccessRefused) as err:
            open_with_code(engine, new_code(), address=address, session=session or f"s{k}", now=now, today=TODAY, log=log)
        assert err.value.reason == "unknown_code"


def test_too_many_wrong_codes_from_one_address_lock_it_even_for_a_right_code(org, engine, log):
    good = api.make_codes(engine, "2026-1", org.unit, 1)[0]
    miss(engine, log, CLIENT_LIMIT - 1)
    assert open_with_code(engine, good, address="10.0.0.9", session="s", now=NOW, today=TODAY, log=log).unit == org.unit
    miss(engine, log, 1)
    with pytest.raises(CodeLocked) as err:
        open_with_code(engine, good, address="10.0.0.9", session="fresh", now=NOW, today=TODAY, log=log)
    assert err.value.minutes_left(NOW) == 15
    assert len(log) == 1 + (CLIENT_LIMIT - 1), "the address, and sessions s0..s28; nothing counted while locked"
    other = open_with_code(engine, good, address="10.0.0.8", session="other", now=NOW, today=TODAY, log=log)
    assert other.unit == org.unit, "another address"
    later = NOW + LOCK + dt.timedelta(seconds=1)
    assert open_with_code(engine, good, address="10.0.0.9", session="fresh", now=later, today=TODAY, log=log).unit == org.unit


def test_too_many_wrong_codes_in_one_browser_session_lock_the_session(org, engine, log):
    good = api.make_codes(engine, "2026-1", org.unit, 1)[0]
    for k in range(SESSION_LIMIT):
        with pytest.raises(api.AccessRefused):
            open_with_code(engine, new_code(), address=f"10.1.0.{k}", session="tablet", now=NOW, today=TODAY, log=log)
    with pytest.raises(CodeLocked):
        open_with_code(engine, good, address="10.2.0.1", session="tablet", now=NOW, today=TODAY, log=log)
    assert open_with_code(engine, good, address="10.2.0.1", session="next", now=NOW, today=TODAY, log=log).unit == org.unit


def test_a_miss_writes_nothing_to_the_database_and_keeps_only_hashes(org, engine, log):
    """A row per miss beside the answers would let a dump place an address next to an answer."""
    from sqlalchemy import MetaData, func, select

    def rows():
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in meta.sorted_tables}

    before = rows()
    miss(engine, log, 3, address="192.168.7.7", session="sess-xyz")
    assert rows() == before and count(engine, LoginAttempt) == 0
    keys = list(log._misses)
    assert len(keys) == 2 and all(re.fullmatch(r"[0-9a-f]{64}", k) for k in keys)
    assert not any("192.168" in k or "sess" in k for k in keys)


def test_misses_are_forgotten_after_half_an_hour(org, engine, log):
    miss(engine, log, 5, address="10.9.9.9", session="s")
    later = NOW + dt.timedelta(minutes=31)
    assert all(times == [] for times in log.misses(log._misses, later).values())
