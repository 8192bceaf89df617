"""An empty submission (no item answered) is refused by the store: nothing stored, nothing
counted, no code spent. "Vet ikke" is an answer."""

from __future__ import annotations

import pytest

from scoring.store import api
from scoring.store.models import OneTimeCode
from tests.store.test_store import TODAY, count, db_url, engine, org  # noqa: F401 (fixtures)


@pytest.mark.parametrize("answers", [{}, {"sk_info1": None}, {"sk_info1": "", "mb_egen1": " "}, {"sk_info1": float("nan")}])
def test_an_empty_answer_by_link_is_refused_and_nothing_is_stored(org, engine, answers):
    with pytest.raises(api.EmptyResponse) as err:
        api.submit_response(engine, token=org.token, answers=answers, language="nb", idempotency_key="empty", today=TODAY)
    assert err.value.reason == "empty" and "no question is answered" in str(err.value)
    assert count(engine) == 0
    assert api.round_status(engine, "2026-1")["responses"].sum() == 0


def test_an_empty_answer_by_code_spends_no_code(org, engine):
    code = api.make_codes(engine, "2026-1", org.unit, 1)[0]
    with pytest.raises(api.EmptyResponse):
        api.submit_response(engine, code=code, answers={}, fields={"role": "lege"}, language="nb", idempotency_key="e", today=TODAY)
    assert count(engine) == 0 and count(engine, OneTimeCode) == 1
    api.submit_response(engine, code=code, answers={"sk_info1": 9}, language="nb", idempotency_key="e", today=TODAY)
    assert count(engine) == 1 and count(engine, OneTimeCode) == 0, "the same form, now with a 'vet ikke', is stored"
