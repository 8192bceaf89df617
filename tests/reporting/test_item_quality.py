"""Item quality on the quality page: answer shares from the publication, item statistics pooled like alpha."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.instrument.catalog import bundled
from scoring.privacy.answers import round_answers
from scoring.privacy.publication import publish
from scoring.reporting.item_quality import scale_item_quality
from scoring.reporting.items import item_distribution
from scoring.responses.reading import code_responses
from scoring.responses.scores import keyed_items
from scoring.stats.reliability.alpha import item_statistics
from tests.reporting.rounds import tree

INST = bundled("samhandlingsklima")
ROUND = "r1"
TREE = tree([("org", None, "kommune"), ("a", "org", "team"), ("b", "org", "team"), ("c", "org", "team")])


@pytest.fixture(scope="module")
def sample():
    """120 answers in three teams; sk_info1..4 from one factor (sk_info4 reverse-keyed), with
    "vet ikke" (9) and blanks; every other item answered 3."""
    rng = np.random.default_rng(16)
    n = 120
    f = rng.normal(size=n)
    frame = pd.DataFrame({"response": [f"r{i}" for i in range(n)], "unit": np.repeat(["a", "b", "c"], 40), "round": ROUND})
    for item in INST.item_ids:
        frame[item] = 3.0
    for j, item in enumerate(INST.scale("sk_info").items):
        x = np.clip(np.round(3 + 0.9 * f + rng.normal(scale=0.8, size=n)), 1, 5)
        frame[item] = 6 - x if j == 3 else x
    frame.loc[rng.random(n) < 0.05, "sk_info2"] = 9.0
    frame.loc[rng.random(n) < 0.05, "sk_info3"] = np.nan
    return frame, publish(TREE, [round_answers(frame, [INST], ROUND, 5)])


@pytest.fixture(scope="module")
def result(sample):
    this, pub = sample
    return scale_item_quality(this, pub, INST, "sk_info", ROUND)


def test_answer_shares_are_the_published_organisation_figures(sample, result):
    _, pub = sample
    shares = item_distribution(pub, INST, "sk_info", ROUND).shares()
    for item in INST.scale("sk_info").items:
        assert result.table.loc[item, ["1", "2", "3", "4", "5"]].to_numpy() == pytest.approx(shares.loc[item, [1.0, 2.0, 3.0, 4.0, 5.0]].to_numpy())
        assert result.table.loc[item, "dont_know"] == pytest.approx(shares.loc[item, "dont_know"])
        assert result.table.loc[item, "missing"] == pytest.approx(shares.loc[item, "no_answer"])
        assert result.table.loc[item, "ceiling"] == pytest.approx(shares.loc[item, 5.0])


def test_item_statistics_pool_the_keyed_answers_of_the_round(sample, result):
    this, _ = sample
    keyed = keyed_items(code_responses(this[["response", "unit", "round", *INST.item_ids]], INST).items, INST)
    expected = item_statistics(keyed[INST.scale("sk_info").items], low=1, high=5).set_index("item")
    assert result.table["item_rest_r"].to_numpy() == pytest.approx(expected["item_rest_r"].to_numpy(), abs=1e-12)
    assert result.table["alpha_if_dropped"].to_numpy() == pytest.approx(expected["alpha_if_dropped"].to_numpy(), abs=1e-12)
    assert np.isfinite(result.table["information"]).all() and np.isfinite(result.table["loading"]).all()


def test_scale_level_only_withholds_the_shares_but_not_the_statistics(sample):
    this, pub = sample
    out = scale_item_quality(this, pub, INST, "sk_info", ROUND, item_level=False)
    assert out.table[["1", "dont_know", "missing", "floor", "ceiling"]].isna().all().all()
    assert set(out.hidden.values()) == {"scale_only"}
    assert np.isfinite(out.table["item_rest_r"]).all()
    assert not out.flags[["floor", "ceiling", "dont_know", "missing"]].to_numpy().any()
