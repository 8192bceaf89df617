"""The quality report collects the library's own figures and lists units only where shown."""

from __future__ import annotations

import pytest

from scoring.instrument.catalog import bundled
from scoring.privacy.answers import round_answers
from scoring.privacy.publication import publish
from scoring.reporting.comparison import comparison
from scoring.reporting.quality import invariance_across_rounds, round_quality, scale_model, subscales_of
from scoring.responses.reading import code_responses
from scoring.responses.scores import keyed_items, score_scales
from scoring.samples.demo import sample_tables
from scoring.stats.cfa.estimate import cfa
from scoring.stats.multilevel import icc
from scoring.stats.reliability.alpha import alpha

INST = bundled("samhandlingsklima")


@pytest.fixture(scope="module")
def sample():
    tables = sample_tables()
    return tables.responses, tables.units.replace({"parent": {"": None}})


@pytest.fixture(scope="module")
def report(sample):
    responses, tree = sample
    return round_quality(responses, tree, INST, "2025-1", scales=["sk_info"])


def test_total_scale_is_modelled_by_its_subscales_and_a_subscale_by_one_factor():
    total = INST.scale("sk_total")
    assert [s.id for s in subscales_of(INST, total)][:2] == ["sk_info", "sk_koord"]
    model, factors = scale_model(INST, total)
    assert factors == 8 and model.splitlines()[0] == "sk_info =~ sk_info1 + sk_info2 + sk_info3 + sk_info4"
    assert scale_model(INST, INST.scale("sk_info")) == ("sk_info =~ sk_info1 + sk_info2 + sk_info3 + sk_info4", 1)


def test_figures_are_those_of_the_library_functions(sample, report):
    responses, tree = sample
    this = responses[responses["round"] == "2025-1"].reset_index(drop=True)
    coded = code_responses(this[["response", "unit", "round", *INST.item_ids]], INST)
    keyed = keyed_items(coded.items, INST)
    q = report.scale("sk_info")
    rel = alpha(keyed[INST.scale("sk_info").items], low=1, high=5)
    assert q.alpha == pytest.approx(rel.alpha, abs=1e-12) and q.n == rel.n
    assert q.alpha_ci == pytest.approx(rel.feldt_ci)
    scores = score_scales(coded.items, INST)["sk_info"]
    expected = icc(scores.to_numpy(), this["unit"])
    assert q.icc1 == pytest.approx(expected.icc1) and q.icc2 == pytest.approx(expected.icc2)
    assert q.icc_n == expected.n and q.icc_units == 15
    fit = cfa(keyed, "sk_info =~ sk_info1 + sk_info2 + sk_info3 + sk_info4", missing="ml")
    assert q.fit["cfi"] == pytest.approx(fit.fit["cfi"]) and q.fit_n == fit.n
    assert q.omega_h != q.omega_h, "a 4-item subscale has no group factors"


def test_agreement_listing_shows_units_only_where_the_publication_shows_their_scale(sample, report):
    responses, tree = sample
    this = responses[responses["round"] == "2025-1"].reset_index(drop=True)
    pub = publish(tree, [round_answers(this, [INST], "2025-1", 5)])
    comp = comparison(pub, tree, "sk_info", "2025-1").units.set_index("unit")
    listing = report.scale("sk_info").units.set_index("unit")
    hidden_by_tree = [u for u in listing.index if comp.loc[u, "suppressed"]]
    assert hidden_by_tree, "the sample has small units"
    assert (listing.loc[~listing["suppressed"], "n"] == comp.loc[listing.index[~listing["suppressed"]], "n"]).all()
    assert listing.loc[hidden_by_tree, "suppressed"].all()
    assert listing.loc[hidden_by_tree, "n"].isna().all()
    shown = listing[~listing["suppressed"]]
    assert (shown["n"] >= 5).all()
    assert report.scale("sk_info").rwg_j_median == pytest.approx(shown["rwg_j"].median())


def test_invariance_across_rounds_runs_the_three_models(sample):
    responses, _ = sample
    result = invariance_across_rounds(responses, INST, "sk_info")
    assert list(result.table["model"]) == ["configural", "metric", "scalar"]
    assert list(result.table["df"]) == [6, 12, 18], "one factor, 4 items, 3 rounds: metric fixes 3 loadings x 2 groups; scalar 4 intercepts x 2 less 2 factor means"


def test_a_report_read_back_from_json_is_the_same_report(sample):
    """The quality page keeps a round's report in the database as JSON (scoring.store.quality):
    read back it has the same figures, NaN where there were NaN, and reasons that still carry
    their codes (a page says them in nynorsk)."""
    import json
    import math

    import pandas as pd

    from scoring.errors import Coded
    from scoring.reporting.quality import RoundQuality

    responses, tree = sample
    report = round_quality(responses, tree, INST, "2026-1", scales=["sk_info", "sk_total"])
    flagged = report.scales[0]
    flagged.warnings.append(Coded("omega: too few items", "omega_reason", reason="too few items"))
    back = RoundQuality.from_dict(json.loads(json.dumps(report.to_dict(), allow_nan=True)))
    assert back.to_dict() == report.to_dict()
    for old, new in zip(report.scales, back.scales):
        pd.testing.assert_frame_equal(new.units, old.units)
        assert new.alpha_ci == old.alpha_ci and isinstance(new.alpha_ci, tuple)
        assert new.fit.keys() == old.fit.keys() and new.fit["rmsea_ci"] == old.fit["rmsea_ci"]
        assert math.isnan(new.omega_h) == math.isnan(old.omega_h) and new.reading == old.reading
    warning = back.scales[0].warnings[-1]
    assert isinstance(warning, Coded) and warning.code == "omega_reason" and warning.params == {"reason": "too few items"}
