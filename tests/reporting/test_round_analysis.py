"""``analyse_round``: every scale's reliability and aggregation in one run, the two parts side
by side, each equal to the function it comes from (on the sample organisation's last round)."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest

from scoring.instrument.catalog import bundled
from scoring.reporting.aggregation import aggregate_instrument
from scoring.reporting.round_analysis import COLUMNS, analyse_round
from scoring.responses.reading import code_responses
from scoring.responses.scores import keyed_items
from scoring.stats.reliability.alpha import alpha_scales
from tests.conftest import REPO

INSTRUMENTS = ("medbestemmelse", "samhandlingsklima")


@pytest.fixture(scope="module")
def round_answers():
    table = pd.read_csv(REPO / "sample_data" / "responses.csv")
    table = table[table["round"] == "2026-1"].reset_index(drop=True)
    instruments = [bundled(i) for i in INSTRUMENTS]
    return [(inst, code_responses(table, inst)) for inst in instruments], table["unit"]


def _limits(inst):
    return {s.id: (inst.response_scale_of(s.items[0]).min, inst.response_scale_of(s.items[0]).max) for s in inst.scales}


def test_each_part_equals_the_function_it_comes_from(round_answers):
    coded, units = round_answers
    result = analyse_round(coded, units, n_boot=0, min_n=5)
    assert [s.reliability.scale for s in result.scales] == [s.id for inst, _ in coded for s in inst.scales]
    by_scale = {s.reliability.scale: s for s in result.scales}
    for inst, answers in coded:
        alone = alpha_scales(keyed_items(answers.items, inst), {s.id: list(s.items) for s in inst.scales}, limits=_limits(inst), omega=True)
        aggregated = aggregate_instrument(answers.items, units, inst, min_n=5)
        for rel, agg in zip(alone, aggregated.scales):
            assert by_scale[rel.scale].instrument == inst.id
            assert by_scale[rel.scale].reliability.to_dict() == rel.to_dict()
            assert by_scale[rel.scale].aggregation.to_dict() == agg.to_dict()


def test_one_bootstrap_for_the_scales_of_every_instrument(round_answers):
    """The reliability is one alpha_scales call over all the instruments' scales: the same
    resamples (seed) for all, so each interval equals that call's."""
    coded, units = round_answers
    result = analyse_round(coded, units, n_boot=200, seed=3, min_n=5)
    keyed = pd.concat([keyed_items(answers.items, inst) for inst, answers in coded], axis=1)
    scales = {s.id: list(s.items) for inst, _ in coded for s in inst.scales}
    limits = {k: v for inst, _ in coded for k, v in _limits(inst).items()}
    together = alpha_scales(keyed, scales, limits=limits, n_boot=200, seed=3, omega=True)
    assert [s.reliability.to_dict() for s in result.scales] == [r.to_dict() for r in together]
    frame = result.to_frame()
    assert list(frame.columns) == COLUMNS and len(frame) == 14
    total = frame.set_index("scale").loc["sk_total"]
    assert total["ci_method"] == "bootstrap" and total["ci_low"] < total["alpha"] < total["ci_high"]
    assert (total["items"], total["units"]) == (32, 15)
    assert total["icc1"] == result.scales[-1].aggregation.icc.icc1
    # the same call again: the same numbers whichever thread finished first
    again = analyse_round(coded, units, n_boot=200, seed=3, min_n=5)
    assert json.dumps(again.to_dict()) == json.dumps(result.to_dict())


def test_the_table_reads_as_a_report_and_as_strict_json(round_answers):
    coded, units = round_answers
    done = []
    result = analyse_round(coded, units, n_boot=50, seed=1, min_n=5, progress=done.append)
    text = result.summary()
    assert "14 scale(s), 204 respondents" in text and "bootstrap, 50 resamples" in text
    assert all(s in text for s in ("mb_egen", "sk_total", "12/15"))
    assert len(done) == 2 * 14 + 1 and "bootstrap (50)" in done and "sk_total (units)" in done
    payload = json.loads(result.to_json(), parse_constant=lambda c: pytest.fail(f"not strict JSON: {c}"))
    assert payload["table"][0]["omega_h"] is None  # a 4-item scale has no group factors
    assert payload["n_boot"] == 50 and len(payload["scales"]) == 14


class _CountingPool(ProcessPoolExecutor):
    """The process pool, counting what is sent to it."""

    submitted = 0

    def submit(self, fn, /, *args, **kwargs):
        type(self).submitted += 1
        return super().submit(fn, *args, **kwargs)


def test_the_forked_half_aggregates_as_this_process_would(round_answers, monkeypatch):
    """With two workers half the scales are aggregated in a forked process (on Linux): every
    scale's aggregation equals the one-process run's, and each scale is reported done once."""
    import scoring.reporting.round_analysis as round_analysis

    if not round_analysis._can_fork():
        pytest.skip("no fork here: the one-process path is the only one")
    monkeypatch.setattr(round_analysis, "ProcessPoolExecutor", _CountingPool)
    coded, units = round_answers
    one = analyse_round(coded, units, n_boot=0, min_n=5, workers=1)
    done = []
    two = analyse_round(coded, units, n_boot=0, min_n=5, workers=2, progress=done.append)
    assert [s.aggregation.to_dict() for s in two.scales] == [s.aggregation.to_dict() for s in one.scales]
    assert sorted(d for d in done if d.endswith("(units)")) == sorted(f"{s.aggregation.scale} (units)" for s in one.scales)
    assert _CountingPool.submitted == 1  # the other half went to the forked process
    assert round_analysis._FORKED == {}  # nothing left behind for the next fork


def test_scales_and_rows_must_match(round_answers):
    coded, units = round_answers
    with pytest.raises(ValueError, match="two instruments"):
        analyse_round([coded[0], coded[0]], units, n_boot=0)
    with pytest.raises(ValueError, match="same rows"):
        analyse_round(coded, units.iloc[:-1], n_boot=0)
    with pytest.raises(ValueError, match="no instrument"):
        analyse_round([], units, n_boot=0)
    assert np.isfinite(analyse_round(coded[:1], units, n_boot=0).to_frame()["alpha"]).all()
