"""The promise for a manager: nothing outside their scope, tested by exact attack.

The same random organisations and rounds as ``test_publication_property.py`` (a file of its own
so that the two long property tests run on different test workers).
"""

from __future__ import annotations

from hypothesis import given, settings

from scoring.privacy.audit import attack
from scoring.privacy.publication import Viewer, publish
from tests.privacy.synthetic import cases
from tests.privacy.test_publication_property import EXAMPLES, SETTINGS


@SETTINGS
@given(cases())
def test_a_manager_isolates_no_unit_outside_their_scope(case):
    tree, rounds, scope = case
    publication = publish(tree, rounds, Viewer("leder", "manager", scope))
    assert set(publication.cells["unit"]) <= scope | {"*"} | {u for u in publication.cells["unit"] if u.startswith("type:")}
    assert attack(publication, tree, rounds) == []


@settings(SETTINGS, max_examples=max(1, EXAMPLES // 10))  # the cut, not the search, is under test
@given(cases())
def test_cuts_from_one_decision_for_several_viewers_in_turn_equal_cuts_from_fresh_decisions(case):
    # A decision keeps per-viewer look-ups (its groups in the scope, the units outside it) for the
    # last viewer cut from it; an app server or a report batch cuts many viewers from one cached
    # decision, in any order.
    from pandas.testing import assert_frame_equal

    from scoring.privacy.publication import OrgTree, decide_round
    from scoring.privacy.scope import restrict

    tree, rounds, scope = case
    org = OrgTree.of(tree)
    shared = decide_round(org, rounds[0])
    viewers = [Viewer("a", "manager", scope), Viewer("b", "manager", frozenset(tree["unit"][:1])), Viewer("a", "manager", scope)]
    for viewer in viewers:
        assert_frame_equal(restrict(shared, viewer), restrict(decide_round(org, rounds[0]), viewer))
