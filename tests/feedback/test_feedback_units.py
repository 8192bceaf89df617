"""Unit figures for managers: values by hand, primary and complementary suppression."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring.errors import UserError
from scoring.feedback.clients import client_table, feedback_settings, prepare_contacts
from scoring.feedback.units import FIGURES, unit_aggregates
from tests.feedback.test_feedback import make_contacts

AS_OF = "2024-03-04"  # contacts start 2024-01-01 and are a week apart


def unit_of(unit: str, courses: list[tuple[list, list | None, str]]) -> pd.DataFrame:
    """Clients of one unit: (outcome totals, visit totals, first date)."""
    return pd.concat(
        [make_contacts(o, v, client=f"{unit}-{i}", unit=unit, start=start) for i, (o, v, start) in enumerate(courses)],
        ignore_index=True,
    )


# Unit A, six clients (SD 5, rxx .82: RC = change / 3). Last contacts and weeks before AS_OF:
#   A-0  20 -> 26      recovered            last 2024-01-08, 8 weeks: above 25, not a drop-out
#   A-1  10 -> 16      improved             last 2024-01-08, 8 weeks, below 25: drop-out
#   A-2  20 -> 22      unchanged            last 2024-02-26, 1 week: ongoing; a visit of 30
#   A-3  20 -> 14      deteriorated         last 2024-02-26: ongoing
#   A-4  30 -> 29 -> 28  unchanged          last 2024-03-04: ongoing, ends above 25
#   A-5  22            not assessed         last 2024-01-01, 9 weeks, below 25: drop-out
A = [
    ([20, 26], None, "2024-01-01"),
    ([10, 16], None, "2024-01-01"),
    ([20, 22], [38.0, 30.0], "2024-02-19"),
    ([20, 14], None, "2024-02-19"),
    ([30, 29, 28], None, "2024-02-19"),
    ([22], None, "2024-01-01"),
]


def clients(*units) -> pd.DataFrame:
    contacts = prepare_contacts(pd.concat(units, ignore_index=True))
    return client_table(contacts, feedback_settings(rxx=0.82, sd=5.0), as_of=AS_OF)


def test_unit_figures_by_hand():
    # A three times over, so that the 3 clients without a second outcome total are no small group
    result = unit_aggregates(clients(unit_of("A", A * 3)), min_n=3)
    organisation, row = result.to_dict()
    assert organisation == {**row, "unit": "*"}, "the organisation (first) is the one unit"
    assert row == {
        "unit": "A",
        "suppressed": False,
        "clients": 18,
        "contacts_per_client": pytest.approx(12 / 6),
        "intake_mean": pytest.approx((20 + 10 + 20 + 20 + 30 + 22) / 6),
        "assessed": 15,
        "mean_change": pytest.approx((6 + 6 + 2 - 6 - 2) / 5),
        "share_improved": pytest.approx(2 / 5),  # recovered counts as improved
        "share_unchanged": pytest.approx(2 / 5),
        "share_deteriorated": pytest.approx(1 / 5),
        "share_recovered": pytest.approx(1 / 5),
        "share_above_cutoff": pytest.approx(2 / 6),  # A-0 (26) and A-4 (28)
        "share_low_visit": pytest.approx(1 / 6),
        "share_dropout": pytest.approx(2 / 6),
    }
    cells = result.publication.select("clients", unit="A")
    assert set(cells["round"]) == {"clients:2024-03-04"} and cells["n"].notna().all()


def test_a_figure_whose_clients_differ_from_the_unit_by_fewer_than_min_n_is_hidden():
    # six clients, five assessed: the sixth (not assessed) must not follow as 6 - 5
    (row,) = unit_aggregates(clients(unit_of("A", A)), units=["A"]).to_dict()
    assert row["clients"] == 6 and row["intake_mean"] == pytest.approx(122 / 6)
    assert row["assessed"] is None and row["mean_change"] is None and row["share_improved"] is None


def test_a_unit_below_min_n_shows_nothing_but_suppressed():
    small = unit_of("B", A[:4])
    result = unit_aggregates(clients(unit_of("A", A), small))
    rows = {r["unit"]: r for r in result.to_dict()}
    assert rows["B"] == {"unit": "B", "suppressed": True, "why": "below_min_n"}
    # the organisation (10) is published, so A is hidden too: * - A would give B
    assert rows["A"] == {"unit": "A", "suppressed": True, "why": "protects_other"} and rows["*"]["clients"] == 10
    published = result.published().set_index("unit")
    assert published.loc["B", list(FIGURES)].isna().all()
    assert {r["unit"]: r for r in unit_aggregates(clients(unit_of("A", A), small), min_n=4).to_dict()}["B"]["clients"] == 4


def test_min_n_is_never_below_3():
    with pytest.raises(UserError, match="at least 3"):
        unit_aggregates(clients(unit_of("A", A)), min_n=2)


def test_with_a_tree_a_sibling_is_hidden_so_the_small_unit_cannot_be_subtracted():
    tree = {"org": None, "A": "org", "B": "org", "C": "org"}
    data = clients(unit_of("A", A), unit_of("B", A[:2]), unit_of("C", A[:5]))
    rows = {r["unit"]: r for r in unit_aggregates(data, tree=tree).to_dict()}
    # B has 2 clients; org (13) - A (6) - C (5) would give B, so C (the smallest) is hidden too
    assert rows["B"] == {"unit": "B", "suppressed": True, "why": "below_min_n"}
    assert rows["C"] == {"unit": "C", "suppressed": True, "why": "protects_other"}
    assert rows["org"]["clients"] == 13 and rows["A"]["clients"] == 6
    assert rows["org"]["intake_mean"] == pytest.approx((122 + 30 + 100) / 13)


def test_a_selection_keeps_the_suppression_decided_on_the_whole_tree():
    tree = pd.DataFrame({"unit": ["org", "A", "B", "C"], "parent": [None, "org", "org", "org"]})
    data = clients(unit_of("A", A), unit_of("B", A[:2]), unit_of("C", A[:5]))
    assert unit_aggregates(data, tree=tree, units=["C"]).to_dict() == [{"unit": "C", "suppressed": True, "why": "protects_other"}]


def test_a_unit_missing_from_the_tree_is_a_user_error():
    with pytest.raises(UserError, match="not in the unit tree: A"):
        unit_aggregates(clients(unit_of("A", A)), tree={"org": None})


def test_a_mean_or_share_over_fewer_than_min_n_clients_is_left_out():
    # five clients, only two with two outcome totals: the change shares rest on two clients
    few = [([20, 26], None, "2024-02-19"), ([20, 22], None, "2024-02-19")] + [([20], None, "2024-03-04")] * 3
    (row,) = unit_aggregates(clients(unit_of("A", few)), units=["A"]).to_dict()
    assert row["clients"] == 5 and row["assessed"] is None  # two clients: hidden, not shown as 2
    assert row["share_improved"] is None and row["mean_change"] is None
    assert row["intake_mean"] == pytest.approx(20.0)
    assert row["share_dropout"] == 0.0


def test_summary_names_suppressed_units():
    text = unit_aggregates(clients(unit_of("A", A), unit_of("B", A[:2]))).summary()
    assert "for få svar" in text and "A" in text
