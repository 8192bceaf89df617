"""The synthetic sample: layout, determinism, the organisation, and the structure it promises.

Scores are computed here with plain numpy/pandas (9 -> missing, reverse items mirrored), so
these tests do not depend on the scoring modules they are meant to exercise.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from scoring.cli import main
from scoring.errors import UserError
from scoring.instrument.catalog import bundled
from scoring.samples.generator import POSITIONS, ROLES, TENURES, generate_sample
from tests.conftest import REPO

SAMPLE_DATA = REPO / "sample_data"
UNIT_TYPES = {"kommune", "tjenesteomrade", "enhet", "team", "dps", "avdeling", "partner"}


@pytest.fixture(scope="module")
def staff():
    return bundled("samhandlingsklima"), bundled("medbestemmelse")


@pytest.fixture(scope="module")
def demo():
    return generate_sample()


@pytest.fixture(scope="module")
def medium():
    return generate_sample(respondents=5000, units=100, rounds=3, seed=7)


def item_ids(*instruments) -> list[str]:
    return [item.id for inst in instruments for item in inst.items]


def scored(responses: pd.DataFrame, inst) -> pd.DataFrame:
    """Items as analysed: 9 -> NaN, reverse-keyed items mirrored as (1 + 5) - x."""
    items = item_ids(inst)
    x = responses[items].astype("float64")
    x = x.where(x != 9)
    reverse = [item.id for item in inst.items if item.reverse]
    x[reverse] = 6 - x[reverse]
    return x


def icc1(values: pd.Series, groups: pd.Series) -> float:
    """ICC(1) = (MSB - MSW) / (MSB + (k - 1) MSW), k the mean group size (one-way ANOVA)."""
    frame = pd.DataFrame({"y": values.to_numpy(), "g": groups.to_numpy()}).dropna()
    by = frame.groupby("g")["y"]
    n, means = by.size(), by.mean()
    n_groups, n_total = len(n), len(frame)
    msb = (n * (means - frame["y"].mean()) ** 2).sum() / (n_groups - 1)
    msw = ((frame["y"] - frame["g"].map(means)) ** 2).sum() / (n_total - n_groups)
    k = n.mean()
    return (msb - msw) / (msb + (k - 1) * msw)


def alpha(items: pd.DataFrame) -> float:
    c = np.cov(items.dropna().to_numpy().T)
    k = c.shape[0]
    return k / (k - 1) * (1 - np.trace(c) / c.sum())


# --- determinism and files ---------------------------------------------------------------------


def test_same_seed_gives_identical_tables():
    a = generate_sample(respondents=300, units=12, rounds=2, seed=5)
    b = generate_sample(respondents=300, units=12, rounds=2, seed=5)
    for name in ("units", "responses", "feedback", "headcount"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_different_seed_gives_different_answers():
    a = generate_sample(respondents=300, units=12, rounds=2, seed=5)
    b = generate_sample(respondents=300, units=12, rounds=2, seed=6)
    items = item_ids(bundled("samhandlingsklima"))
    assert not a.responses[items].equals(b.responses[items])
    assert not a.feedback.equals(b.feedback)


def test_write_is_byte_identical_for_the_same_seed(tmp_path):
    generate_sample(respondents=200, units=8, rounds=2, seed=3).write(tmp_path / "a")
    generate_sample(respondents=200, units=8, rounds=2, seed=3).write(tmp_path / "b")
    for name in ("units", "responses", "feedback", "headcount"):
        assert (tmp_path / "a" / f"{name}.csv").read_bytes() == (tmp_path / "b" / f"{name}.csv").read_bytes()


def test_defaults_reproduce_the_committed_demo_set(demo, tmp_path):
    demo.write(tmp_path)
    for name in ("units", "responses", "feedback", "headcount"):
        committed = SAMPLE_DATA / f"{name}.csv"
        assert committed.exists(), f"{committed} is missing; run `samklima sample --out sample_data`"
        assert (tmp_path / f"{name}.csv").read_bytes() == committed.read_bytes(), f"{name}.csv differs"


def test_csv_round_trip_keeps_codes_and_blanks(demo, tmp_path, staff):
    demo.write(tmp_path)
    back = pd.read_csv(tmp_path / "responses.csv", dtype={"sk_partner": str})
    items = item_ids(*staff)
    assert back[items].isna().sum().sum() == demo.responses[items].isna().sum().sum()
    assert np.array_equal(back[items].fillna(-1).to_numpy(), demo.responses[items].fillna(-1).to_numpy().astype(float))
    text = (tmp_path / "feedback.csv").read_text(encoding="utf-8").splitlines()
    assert re.fullmatch(r"c\d{4},[a-z0-9.]+,kl\d{2},\d+,\d{4}-\d{2}-\d{2}(,\d{1,2}\.\d){8}", text[1])


# --- layout --------------------------------------------------------------------------------------


def test_columns_are_exactly_as_specified(demo, staff):
    assert list(demo.units.columns) == ["unit", "name", "parent", "unit_type"]
    background = ["response", "unit", "round", "language", "role", "tenure", "position", "sk_partner"]
    assert list(demo.responses.columns) == background + item_ids(*staff)
    feedback_items = item_ids(bundled("feedback-utfall"), bundled("feedback-samtale"))
    assert feedback_items[:4] == ["fu_velvaere", "fu_relasjoner", "fu_hverdag", "fu_samlet"]
    assert list(demo.feedback.columns) == ["client", "unit", "clinician", "contact", "date"] + feedback_items
    assert list(demo.headcount.columns) == ["unit", "round", "invited"]


def test_demo_size_matches_the_defaults(demo):
    assert len(demo.responses) == 600
    assert demo.responses["unit"].nunique() == 15
    assert sorted(demo.responses["round"].unique()) == ["2024-1", "2025-1", "2026-1"]


def test_response_ids_are_unique_and_numbered(demo):
    ids = demo.responses["response"]
    assert ids.is_unique
    assert ids.str.fullmatch(r"r\d{6}").all()
    assert ids.iloc[0] == "r000001" and ids.iloc[-1] == "r000600"


def test_rounds_are_in_order_in_the_file(demo):
    rounds = demo.responses["round"].tolist()
    assert rounds == sorted(rounds)


# --- the organisation -------------------------------------------------------------------------


def test_unit_ids_are_short_ascii_codes_and_the_tree_is_consistent(demo):
    units = demo.units
    assert units["unit"].is_unique
    assert units["unit"].str.fullmatch(r"[a-z][a-z0-9.]*[a-z0-9]").all()
    assert set(units["unit_type"]) == UNIT_TYPES
    roots = units[units["parent"] == ""]
    assert set(roots["unit_type"]) == {"kommune", "dps", "partner"}
    non_roots = units[units["parent"] != ""]
    assert non_roots["parent"].isin(units["unit"]).all()
    assert units["name"].is_unique
    assert (units["name"].str.len() > 3).all()


def leaves(units: pd.DataFrame) -> set[str]:
    return set(units["unit"]) - set(units["parent"])


@pytest.mark.parametrize("n_units", [1, 2, 3, 15, 61, 130])
def test_exactly_the_requested_number_of_leaves_receive_answers(n_units):
    data = generate_sample(respondents=10 * n_units, units=n_units, rounds=2, seed=1)
    answering = set(data.responses["unit"])
    partners = set(data.units.loc[data.units["unit_type"] == "partner", "unit"])
    assert answering <= leaves(data.units)
    assert answering.isdisjoint(partners)
    assert leaves(data.units) - partners == answering
    assert len(answering) == n_units
    assert len(data.responses) == 10 * n_units


def test_responses_belong_to_leaves_of_every_kind(demo):
    types = demo.units.set_index("unit")["unit_type"]
    answering = set(demo.responses["unit"])
    assert answering <= leaves(demo.units)
    assert {types[u] for u in answering} == {"team", "enhet", "avdeling"}


def test_large_samples_have_several_kommuner_each_with_dps_and_partners():
    data = generate_sample(respondents=1300, units=130, rounds=1, seed=2)
    counts = data.units["unit_type"].value_counts()
    assert counts["kommune"] == counts["dps"] == 3
    assert counts["partner"] == 9


def test_partners_are_named_by_some_and_are_units(demo):
    partner = demo.responses["sk_partner"]
    named = partner[partner != ""]
    assert 0.15 < len(named) / len(partner) < 0.35
    types = demo.units.set_index("unit")["unit_type"]
    assert named.isin(types.index).all()
    assert {"partner", "dps"} <= set(types[named])
    dps_staff = demo.responses["unit"].str.startswith("d")
    rated_by_dps = partner[dps_staff & (partner != "")]
    assert rated_by_dps.str.startswith("k1.").any(), "DPS staff should sometimes rate the home care services"


def test_background_uses_the_known_categories(demo):
    r = demo.responses
    assert set(r["role"]) == set(ROLES)
    assert set(r["tenure"]) == set(TENURES)
    assert set(r["position"]) == set(POSITIONS)
    assert set(r["language"]) == {"nb", "en"}
    assert 0.8 < (r["language"] == "nb").mean() < 0.99


# --- headcount and unit sizes ------------------------------------------------------------------


def test_headcount_is_stable_and_covers_the_answers(demo):
    h = demo.headcount
    assert h.groupby("unit")["invited"].nunique().eq(1).all()
    assert len(h) == 15 * 3
    answered = demo.responses.groupby(["unit", "round"]).size().rename("answered")
    merged = h.set_index(["unit", "round"]).join(answered).fillna({"answered": 0})
    assert (merged["invited"] >= merged["answered"]).all()
    rate = merged["answered"] / merged["invited"]
    assert rate.between(0.5, 0.9).all()
    # responses per round vary in the larger units
    per_unit = answered.groupby("unit").nunique()
    assert (per_unit > 1).sum() >= 8


def test_small_units_of_two_to_four_exist(demo):
    sizes = demo.headcount.groupby("unit")["invited"].first()
    assert sizes.between(2, 4).sum() >= 2
    assert sizes.min() >= 2 and sizes.max() <= 40
    answered = demo.responses.groupby(["unit", "round"]).size()
    assert answered.between(2, 4).any()
    assert answered.max() >= 20


# --- item answers ---------------------------------------------------------------------------


def test_item_answers_are_raw_codes_1_to_5_or_9(demo, staff):
    items = demo.responses[item_ids(*staff)]
    assert all(str(t) == "Int64" for t in items.dtypes)
    values = items.to_numpy(dtype="float64", na_value=np.nan)
    assert set(np.unique(values[~np.isnan(values)])) == {1, 2, 3, 4, 5, 9}
    assert np.isnan(values).any()


def test_reverse_keyed_items_are_not_yet_reversed(medium, staff):
    x = medium.responses[item_ids(*staff)].astype("float64")
    x = x.where(x != 9)
    assert x["sk_info4"].corr(x["sk_info1"]) < -0.25
    for inst in staff:
        for item in inst.items:
            if item.reverse:
                scale = next(s for s in inst.scales if item.id in s.items and len(s.items) < 10)
                rest = x[[i for i in scale.items if i != item.id]].mean(axis=1)
                assert x[item.id].corr(rest) < -0.25, item.id


def test_dont_know_and_blank_shares(medium, staff):
    items = medium.responses[item_ids(*staff)]
    dont_know = (items == 9).mean()
    blank = items.isna().mean()
    assert 0.02 < dont_know.mean() < 0.045
    assert 0.01 < blank.mean() < 0.03
    prone = [i for i in items.columns if i.startswith(("sk_forank", "mb_tillit"))]
    assert dont_know[prone].mean() > 2 * dont_know.drop(prone).mean()
    # break-offs leave the last items blank more often than the first
    assert blank.iloc[-10:].mean() > blank.iloc[:10].mean()


# --- the known structure ----------------------------------------------------------------------


def test_icc1_of_sk_total_is_between_03_and_20(medium, staff):
    total = scored(medium.responses, staff[0]).mean(axis=1)
    value = icc1(total, medium.responses["unit"])
    assert 0.03 < value < 0.20


def test_icc1_is_near_zero_when_units_are_shuffled(medium, staff):
    total = scored(medium.responses, staff[0]).mean(axis=1)
    shuffled = medium.responses["unit"].sample(frac=1, random_state=0).reset_index(drop=True)
    assert abs(icc1(total, shuffled)) < 0.02


def test_subscales_are_reliable_and_share_a_general_factor(medium, staff):
    sk = scored(medium.responses, staff[0])
    subscales = [s for s in staff[0].scales if len(s.items) == 4]
    assert len(subscales) == 8
    for scale in subscales:
        assert 0.68 < alpha(sk[scale.items]) < 0.88, scale.id
    r = sk.corr().to_numpy()
    group = np.repeat(np.arange(8), 4)
    same = (group[:, None] == group[None, :]) & ~np.eye(32, dtype=bool)
    within, between = r[same].mean(), r[group[:, None] != group[None, :]].mean()
    assert between > 0.2, "the general factor should correlate every pair of items"
    assert within > between + 0.08, "the group factors should add within-subscale correlation"


def test_co_determination_correlates_moderately_with_collaboration(medium, staff):
    sk_total = scored(medium.responses, staff[0]).mean(axis=1)
    mb_total = scored(medium.responses, staff[1]).mean(axis=1)
    assert 0.3 < sk_total.corr(mb_total) < 0.6


def test_collaboration_rises_over_rounds(medium, staff):
    total = scored(medium.responses, staff[0]).mean(axis=1)
    by_round = total.groupby(medium.responses["round"]).mean()
    assert by_round.iloc[-1] - by_round.iloc[0] > 0.03


# --- client feedback ---------------------------------------------------------------------------


def test_feedback_ids_dates_and_contacts(medium):
    f = medium.feedback
    assert f["client"].str.fullmatch(r"c\d{4,}").all()
    assert not f["client"].str.contains(r"\d{11}").any()
    assert f["clinician"].str.fullmatch(r"kl\d{2,}").all()
    assert set(f["unit"]) <= set(medium.units["unit"])
    per_client = f.groupby("client")["contact"]
    assert (per_client.min() == 1).all() and (per_client.max() == per_client.size()).all()
    assert per_client.size().max() <= 12
    dates = pd.to_datetime(f["date"], format="%Y-%m-%d")
    assert (dates.dt.day_of_week < 5).all()
    gaps = dates.groupby(f["client"]).diff().dt.days.dropna()
    assert gaps.min() >= 2 and gaps.median() == 7
    assert f.groupby("client")["unit"].nunique().eq(1).all()


def test_feedback_answers_are_0_to_10_with_one_decimal(medium):
    items = medium.feedback.filter(regex=r"^(fu|fs)_")
    assert items.shape[1] == 8
    values = items.to_numpy()
    assert values.min() >= 0 and values.max() <= 10
    assert np.allclose(values * 10, np.round(values * 10))


def test_feedback_has_improving_stalling_and_deteriorating_clients(medium):
    f = medium.feedback
    outcome = f.filter(regex=r"^fu_").sum(axis=1)
    by_client = outcome.groupby(f["client"])
    first, last, n = by_client.first(), by_client.last(), by_client.size()
    assert 17 < first.mean() < 23
    change = (last - first)[n >= 5]
    assert (change > 5).mean() > 0.4
    assert (change.abs() < 3).mean() > 0.1
    assert (change < -3).mean() > 0.05
    assert last[(n >= 5) & (change > 5)].mean() > 27
    assert ((n == 1) | (n == 2)).mean() > 0.05, "some clients drop out early"
    assert n.between(3, 12).mean() > 0.8


def test_visit_totals_are_mostly_high_with_a_ceiling_and_some_low(medium):
    f = medium.feedback
    visit = f.filter(regex=r"^fs_").sum(axis=1)
    assert (visit >= 30).mean() > 0.85
    always_top = visit.groupby(f["client"]).min().eq(40)
    assert 0.08 < always_top.mean() < 0.25
    assert (visit < 25).mean() > 0.02


# --- arguments and the command -----------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, option",
    [
        ({"respondents": 5, "units": 10}, "--respondents"),
        ({"rounds": 0}, "--rounds"),
        ({"units": 0}, "--units"),
        ({"seed": -1}, "--seed"),
    ],
)
def test_bad_arguments_raise_user_error(kwargs, option):
    with pytest.raises(UserError) as caught:
        generate_sample(**kwargs)
    assert any(p.path == option for p in caught.value.problems)


def test_as_few_respondents_as_units_still_works():
    data = generate_sample(respondents=20, units=20, rounds=3, seed=1)
    assert len(data.responses) == 20
    assert (data.headcount["invited"] >= 2).all()


def test_cli_writes_the_files_and_a_summary(tmp_path, capsys):
    args = ["--out", str(tmp_path), "--respondents", "120", "--units", "6", "--rounds", "2", "--seed", "9"]
    code = main(["sample", *args])
    _, err = capsys.readouterr()
    assert code == 0
    assert "120 responses" in err and str(tmp_path) in err
    responses = pd.read_csv(tmp_path / "responses.csv")
    assert len(responses) == 120
    assert {p.name for p in tmp_path.iterdir()} == {"units.csv", "responses.csv", "feedback.csv", "headcount.csv"}


def test_cli_reports_bad_arguments_with_exit_code_2(tmp_path, capsys):
    code = main(["sample", "--out", str(tmp_path), "--respondents", "3", "--units", "5"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "--respondents" in err and "Traceback" not in err
    assert not (tmp_path / "responses.csv").exists()


def test_the_samples_staff_instruments_are_the_catalogues():
    """The sample uses the default staff instruments, in form order, and they are the catalogue's
    staff instruments."""
    from scoring.instrument.catalog import staff_instruments
    from scoring.samples.generator import STAFF_INSTRUMENTS

    assert STAFF_INSTRUMENTS == ("samhandlingsklima", "medbestemmelse")
    assert sorted(STAFF_INSTRUMENTS) == sorted(staff_instruments())
