"""The landing page: per unit the publication's cells, change beyond chance, strengths and areas
with their uncertainty, actions followed up next round; hidden cells stay hidden."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from scoring.errors import UserError
from scoring.privacy.answers import ItemSpec, RoundAnswers, ScaleSpec
from scoring.privacy.publication import Viewer, publish
from scoring.reporting.landing import coordinator_view, follow_up, result_rounds, scale_table, unit_landing
from tests.reporting.rounds import tree

TREE = tree([("org", None, "kommune"), ("area", "org", "tjenesteomrade"), ("a", "area", "team"), ("b", "area", "team"),
             ("c", "area", "team"), ("d", "org", "enhet"), ("e", "org", "enhet")])
SCALES = ["s", "t"]
MANAGER = Viewer("m", "manager", frozenset({"area", "a", "b", "c"}))


def two_scales(name: str, centre: dict[str, tuple[float, float]], sizes: dict[str, int], seed: int) -> RoundAnswers:
    """Respondents of each unit score around ``centre[unit]`` = (s, t), spread +-1 (1..5)."""
    rng = np.random.default_rng(seed)
    units, scores = [], []
    for unit, n in sizes.items():
        spread = rng.choice([-1.0, 0.0, 1.0], size=(n, 2))
        scores.append(np.clip(np.array(centre[unit]) + spread, 1, 5))
        units += [unit] * n
    values = np.vstack(scores)
    specs = tuple(ScaleSpec(s, "test", (f"{s}1",), {"nb": s.upper(), "en": s.upper()}, False) for s in SCALES)
    items = tuple(ItemSpec(f"{s}1", s, (1.0, 2.0, 3.0, 4.0, 5.0), (9.0,)) for s in SCALES)
    return RoundAnswers(name, 5, np.array(units, dtype=object), np.full(len(units), "", dtype=object), values, values, specs, items)


SIZES = {"a": 30, "b": 3, "c": 12, "d": 40, "e": 40}
R1 = two_scales("r1", {"a": (3, 3), "b": (3, 3), "c": (3, 3), "d": (3, 3), "e": (3, 3)}, SIZES, 1)
R2 = two_scales("r2", {"a": (4.5, 2), "b": (1, 5), "c": (3, 3), "d": (3, 3), "e": (3, 3)}, SIZES, 2)
STATUS = pd.DataFrame({"unit": ["a", "b", "c", "d", "e"], "invited": [40, 10, 15, 50, 90]})


@pytest.fixture(scope="module")
def manager_publication():
    return publish(TREE, [R1, R2], MANAGER)


def cell(pub, unit, scale, round_name="r2"):
    return pub.select("compare", round_name, unit=unit, scale=scale).iloc[0]


def test_every_figure_is_the_publications_cell(manager_publication):
    pub = manager_publication
    land = unit_landing(pub, TREE, "a", "r2", STATUS, pd.DataFrame(), SCALES)
    for row in land.scales.itertuples():
        published = cell(pub, "a", row.scale)
        assert row.n == published["n"] and row.mean == pytest.approx(published["mean"])
        assert row.previous_mean == pytest.approx(cell(pub, "a", row.scale, "r1")["mean"])
    overview = pub.select("overview", "r2", unit="a").iloc[0]
    assert land.responses["responses"] == overview["n"] == 30
    assert land.responses["response_rate"] == pytest.approx(30 / 40)


def test_a_small_unit_the_dashboard_hides_stays_hidden(manager_publication):
    pub = manager_publication
    assert cell(pub, "b", "s")["hidden"], "the dashboard hides b (3 answers, min_n 5)"
    land = unit_landing(pub, TREE, "b", "r2", STATUS, pd.DataFrame(), SCALES)
    assert land.scales["suppressed"].all() and land.scales["mean"].isna().all() and land.scales["n"].isna().all()
    assert set(land.scales["why"]) == {"below_min_n"}
    assert land.responses["suppressed"] and land.responses["responses"] is None and land.responses["response_rate"] is None
    assert land.strengths == () and land.areas == ()
    assert land.scales["change"].isna().all(), "no change is computed from a hidden cell"
    sibling = unit_landing(pub, TREE, "c", "r2", STATUS, pd.DataFrame(), SCALES)
    assert sibling.scales["suppressed"].all() and set(sibling.scales["why"]) == {"protects_other"}, "area - a - c would give b"


def test_change_is_flagged_only_beyond_chance(manager_publication):
    table = scale_table(manager_publication, TREE, "r2", SCALES).set_index(["unit", "scale"])
    assert table.loc[("a", "s"), "change_reading"] == "higher" and table.loc[("a", "t"), "change_reading"] == "lower"
    assert table.loc[("a", "s"), "change_low"] > 0
    assert table.loc[("area", "s"), "previous_round"] == "r1"


def test_strengths_and_areas_are_clear_differences_from_the_organisation(manager_publication):
    everyone = publish(TREE, [R1, R2])
    land = unit_landing(everyone, TREE, "a", "r2", STATUS, pd.DataFrame(), SCALES)
    assert land.strengths == ("s",) and land.areas == ("t",)
    row = land.scales.set_index("scale").loc["s"]
    assert row["diff_low"] > 0 and row["org_mean"] == pytest.approx(cell(everyone, "*", "s")["mean"])
    steady = unit_landing(everyone, TREE, "d", "r1", STATUS, pd.DataFrame(), SCALES)
    assert steady.strengths == () and steady.areas == (), "in r1 every unit is at the same level: nothing stands out"
    assert (steady.scales["diff_low"] < 0).all() and (steady.scales["diff_high"] > 0).all()
    pulled = unit_landing(everyone, TREE, "d", "r2", STATUS, pd.DataFrame(), SCALES).scales.set_index("scale")
    assert pulled.loc["s", "diff_high"] < 0, "in r2 a pulls the organisation up, so d is clearly below it on s"
    assert cell(manager_publication, "*", "s")["hidden"], "here the manager's cut withholds the organisation"
    mine = unit_landing(manager_publication, TREE, "a", "r2", STATUS, pd.DataFrame(), SCALES)
    assert mine.strengths == () and mine.areas == (), "without a published benchmark nothing is claimed"


def test_a_unit_outside_the_scope_is_refused(manager_publication):
    with pytest.raises(UserError, match="do not have access"):
        unit_landing(manager_publication, TREE, "d", "r2", STATUS, pd.DataFrame(), SCALES)


def actions_frame(rows):
    return pd.DataFrame(rows, columns=["id", "round", "unit", "scale", "item", "what", "owner", "due", "status", "note", "updated_on"])


def test_an_action_shows_the_next_rounds_published_value_and_the_change(manager_publication):
    pub = manager_publication
    actions = actions_frame([(1, "r1", "a", "s", None, "Tavlemøte", "leder", None, "done", None, dt.date(2026, 1, 1)),
                             (2, "r1", "b", "s", None, "Samtale", "leder", None, "started", None, dt.date(2026, 1, 1)),
                             (3, "r2", "a", "t", None, "Nytt", "leder", None, "planned", None, dt.date(2026, 1, 1))])
    out = follow_up(pub, TREE, actions).set_index("id")
    assert out.loc[1, "then_mean"] == pytest.approx(cell(pub, "a", "s", "r1")["mean"])
    assert out.loc[1, "next_mean"] == pytest.approx(cell(pub, "a", "s", "r2")["mean"]) and out.loc[1, "next_round"] == "r2"
    assert out.loc[1, "change_reading"] == "higher"
    assert out.loc[2, "next_suppressed"] and pd.isna(out.loc[2, "next_mean"]) and pd.isna(out.loc[2, "change"])
    assert out.loc[2, "next_why"] == "below_min_n"
    assert out.loc[3, "next_round"] is None and pd.isna(out.loc[3, "next_mean"]), "no later round yet"
    land = unit_landing(pub, TREE, "a", "r2", STATUS, actions, SCALES)
    assert land.actions["id"].tolist() == [1, 3]


def test_the_coordinator_sees_small_units_reminders_and_rounds_to_close():
    pub = publish(TREE, [R1, R2])
    rounds = [{"name": "r1", "state": "closed", "closes": "2025-03-28"}, {"name": "r2", "state": "open", "closes": "2026-03-28"}]
    view = coordinator_view(pub, TREE, rounds, STATUS, dt.date(2026, 4, 2))
    assert view.round == "r2" and view.rounds_to_close == ("r2",)
    units = view.units.set_index("unit")
    assert list(units.index) == ["a", "b", "c", "d", "e"]
    assert units.loc["b", "below_min_n"] and units.loc["b", "remind"] and pd.isna(units.loc["b", "responses"])
    assert not units.loc["c", "below_min_n"], "c is hidden to protect b, not because it is small"
    assert units.loc["e", "remind"] and not units.loc["d", "remind"], "40 of 90 is under half; 40 of 50 is not"
    assert units.loc["d", "responses"] == pub.select("overview", "r2", unit="d").iloc[0]["n"]


def test_a_round_with_too_few_answers_everywhere_has_no_results_and_is_never_the_latest():
    few = two_scales("r3", {"a": (3, 3), "d": (3, 3)}, {"a": 2, "d": 2}, 3)  # every cell below min_n
    publication = publish(TREE, [R1, R2, few], MANAGER)
    assert "r3" in publication.rounds and result_rounds(publication) == ["r1", "r2"]
