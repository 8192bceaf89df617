"""The promise for a manager: nothing outside their scope, tested by exact attack.

The same random organisations and rounds as ``test_publication_property.py`` (a file of its own
so that the two long property tests run on different test workers).
"""

from __future__ import annotations

from hypothesis import given

from scoring.privacy.audit import attack
from scoring.privacy.publication import Viewer, publish
from tests.privacy.synthetic import cases
from tests.privacy.test_publication_property import SETTINGS


@SETTINGS
@given(cases())
def test_a_manager_isolates_no_unit_outside_their_scope(case):
    tree, rounds, scope = case
    publication = publish(tree, rounds, Viewer("leder", "manager", scope))
    assert set(publication.cells["unit"]) <= scope | {"*"} | {u for u in publication.cells["unit"] if u.startswith("type:")}
    assert attack(publication, tree, rounds) == []
