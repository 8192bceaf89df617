"""The tables built for all scales at once (``unit_rows``, ``trend_rows``, ``scale_table``) equal
the one-scale functions they replace in loops (``comparison``, ``trends``), cell for cell, on
the sample organisation's three rounds, for the whole organisation and for a manager."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.instrument.catalog import bundled
from scoring.privacy.answers import round_answers
from scoring.privacy.publication import Viewer, publish
from scoring.reporting.comparison import UNIT_COLUMNS, comparison, trend_rows, trends, unit_rows
from scoring.reporting.landing import SCALE_COLUMNS, result_rounds, scale_table
from tests.conftest import REPO

MANAGER = frozenset({"k1.ho", "k1.ho.bof1", "k1.ho.bof1.t1", "k1.ho.bof1.t2", "k1.ho.bof1.t3", "k1.ho.hj1", "k1.ho.hj1.t3"})
INSTRUMENTS = ("samhandlingsklima", "medbestemmelse")


@pytest.fixture(scope="module", params=["organisation", "manager"])
def case(request):
    units = pd.read_csv(REPO / "sample_data" / "units.csv")
    table = pd.read_csv(REPO / "sample_data" / "responses.csv")
    instruments = [bundled(i) for i in INSTRUMENTS]
    names = sorted(table["round"].unique())
    answers = [round_answers(table[table["round"] == name], instruments, name, 5) for name in names]
    viewer = Viewer() if request.param == "organisation" else Viewer("leder", "manager", MANAGER)
    scales = [s.id for inst in instruments for s in inst.scales][::-1]
    return publish(units, answers, viewer), units, names, scales


def missing_as_none(values):
    return [None if pd.isna(x) else x for x in values]


def assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert got["unit"].tolist() == want["unit"].tolist() and len(got) > 0
    for column in want.columns:
        a, b = got[column], want[column]
        if pd.api.types.is_float_dtype(b) or column in ("mean", "sd", "ci_low", "ci_high", "type_mean", "diff_organisation",
                                                         "diff_low", "diff_high", "org_mean", "previous_mean", "change",
                                                         "change_low", "change_high"):
            np.testing.assert_array_equal(a.astype(float).to_numpy(), b.astype(float).to_numpy(), err_msg=column)
        else:
            assert missing_as_none(a) == missing_as_none(b), column


def test_unit_rows_are_comparison_s_rows_for_every_scale(case):
    publication, tree, names, scales = case
    for name in names:
        rows = unit_rows(publication, tree, name, scales)
        for scale in scales:
            want = comparison(publication, tree, scale, name)
            got = rows[rows["scale"] == scale].reset_index(drop=True)
            assert_same(got[UNIT_COLUMNS], want.units)
            if len(got):
                assert missing_as_none(got["org_mean"].unique()) == [want.organisation["mean"]]


def test_trend_rows_are_trends_rows_for_every_scale(case):
    publication, tree, _, scales = case
    rows = trend_rows(publication, tree, scales)
    for scale in scales:
        want = trends(publication, tree, scale).units
        got = rows[rows["scale"] == scale].drop(columns="scale").reset_index(drop=True)
        assert_same(got, want)
    assert rows["change_reading"].isin(["higher", "lower", "unclear"]).any()


def scale_table_one_scale_at_a_time(publication, tree, round_name, scales):
    """scale_table as it was: comparison and trends per scale."""
    rounds = result_rounds(publication)
    previous = rounds[rounds.index(round_name) - 1] if round_name in rounds and rounds.index(round_name) > 0 else None
    frames = []
    for scale in scales:
        comp = comparison(publication, tree, scale, round_name)
        table = comp.units.assign(scale=scale, org_mean=comp.organisation["mean"], org_n=comp.organisation["n"])
        trend = trends(publication, tree, scale).units
        if previous is not None and not trend.empty:
            now = trend[trend["round"] == round_name].set_index("unit")
            before = trend[trend["round"] == previous].set_index("unit")
            table["previous_mean"] = before["mean"].reindex(table["unit"]).to_numpy()
            for column in ("change", "change_low", "change_high", "change_reading"):
                table[column] = now[column].reindex(table["unit"]).to_numpy()
        else:
            table["previous_mean"] = np.nan
            table[["change", "change_low", "change_high"]] = np.nan
            table["change_reading"] = None
        table["previous_round"] = previous
        frames.append(table)
    return pd.concat(frames, ignore_index=True)[["unit", *SCALE_COLUMNS]]


def test_the_landing_table_of_all_scales_equals_the_one_built_scale_by_scale(case):
    publication, tree, names, scales = case
    for name in names:
        got = scale_table(publication, tree, name, scales)
        want = scale_table_one_scale_at_a_time(publication, tree, name, scales)
        assert list(got.columns) == ["unit", *SCALE_COLUMNS]
        assert_same(got, want)
    assert got["change"].notna().any() and got["suppressed"].any()
