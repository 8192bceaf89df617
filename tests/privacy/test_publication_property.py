"""The promise, tested the way an attacker would break it.

For random organisations (several top-level units, unit types with one or two units), two rounds
with different ``min_n``, "vet ikke" drop-outs, partner ratings and (in half the cases) a block of
client feedback with its own ``min_n``, the whole publication of the organisation and of a
manager is attacked by exact elimination (:mod:`scoring.privacy.audit`): no hidden cell, no group
of 1 to min_n - 1 respondents or clients and no unit outside the manager's scope may follow from
what is shown, and every shown number must be the true count or mean.

``SAMKLIMA_PRIVACY_EXAMPLES`` raises the number of random cases (default 400 per test).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings

from scoring.privacy.audit import attack
from scoring.privacy.publication import publish
from tests.privacy.synthetic import cases

EXAMPLES = int(os.environ.get("SAMKLIMA_PRIVACY_EXAMPLES", "400"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(cases())
def test_the_organisation_view_gives_nothing_away(case):
    tree, rounds, _ = case
    publication = publish(tree, rounds)
    assert attack(publication, tree, rounds) == []
