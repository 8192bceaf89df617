"""samklima feedback report: the JSON contract on sample_data/feedback.csv, refusals, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from scoring.cli import main
from tests.feedback.test_feedback import FUTURE_FNR, TENOR, make_contacts

REPO = Path(__file__).parents[2]
SAMPLE = REPO / "sample_data" / "feedback.csv"
UNITS = REPO / "sample_data" / "units.csv"
FIGURES = {
    "unit", "suppressed", "clients", "contacts_per_client", "intake_mean", "assessed", "mean_change", "share_improved",
    "share_unchanged", "share_deteriorated", "share_recovered", "share_above_cutoff", "share_low_visit", "share_dropout",
}  # fmt: skip


def run(capsys, *args):
    code = main(list(map(str, args)))
    out, err = capsys.readouterr()
    return code, out, err


def report(capsys, *args):
    code, out, err = run(capsys, "feedback", "report", SAMPLE, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_json_contract_for_every_client(capsys):
    data = report(capsys, "--all")
    assert {"clients", "units", "reliability_source"} <= set(data)
    assert data["reliability_source"] == "instrument"
    assert len(data["clients"]) == 60
    for client in data["clients"]:
        assert {"client", "unit", "contacts", "rc_from_intake", "reliable_change", "alerts"} <= set(client)
        assert client["reliable_change"] in ("improved", "unchanged", "deteriorated", None)
        assert [c["contact"] for c in client["contacts"]] == sorted(c["contact"] for c in client["contacts"])
        for contact in client["contacts"]:
            assert {"contact", "date", "outcome_total", "visit_total"} <= set(contact)
        for alert in client["alerts"]:
            assert set(alert) == {"kind", "contact", "message"}
    for unit in data["units"]:
        assert set(unit) == ({"unit", "suppressed", "why"} if unit["suppressed"] else FIGURES)
    assert {u["unit"]: u["suppressed"] for u in data["units"]}["k1.ho.hj1.t2"] is True  # one client


def test_one_client_by_hand(capsys):
    data = report(capsys, "--client", "c0001", "--lang", "en")
    (client,) = data["clients"]
    assert client["unit"] == "k1.ho.hj2"
    assert [c["outcome_total"] for c in client["contacts"]] == [15.7, 18.2, 22.8, 20.5, 18.3, 20.7]
    assert client["contacts"][0] == {
        "contact": 1, "date": "2024-01-24", "outcome_total": 15.7, "visit_total": 37.0,
        "change": None, "rc_from_intake": None, "reliable_change": None,
        "expected": 15.7, "expected_p25": 15.7, "expected_p75": 15.7,
    }  # fmt: skip
    # SD 7.5, rxx .85: S_diff = sqrt(16.875); 20.7 - 15.7 = 5
    assert client["rc_from_intake"] == pytest.approx(5 / 16.875**0.5, abs=1e-9)
    assert client["reliable_change"] == "unchanged"
    assert [(a["kind"], a["contact"]) for a in client["alerts"]] == [("no_change", 4), ("no_change", 5), ("no_change", 6)]
    assert client["alerts"][0]["message"].startswith("At contact 4 the outcome total (20.5)")
    assert [u["unit"] for u in data["units"]] == ["k1.ho.hj2"]
    assert data["expected_trajectories"][0]["basis"].startswith("Estimated from 53 clients")
    assert data["as_of"] == "2026-10-08"


def test_reliability_sources_are_reported(capsys):
    assert report(capsys, "--client", "c0001", "--rxx", "0.8", "--sd", "6")["reliability_source"] == "given"
    assert report(capsys, "--client", "c0001", "--sd", "6")["reliability_source"] == "rxx: instrument; sd: given"
    intake = report(capsys, "--client", "c0001", "--reliability-from", "intake")
    assert intake["reliability_source"] == "intake data (n=60)"


def test_unit_with_the_tree_reports_the_units_below_with_complementary_suppression(capsys):
    data = report(capsys, "--unit", "k1.ho.hj1", "--units", UNITS)
    assert {c["unit"] for c in data["clients"]} == {"k1.ho.hj1.t2", "k1.ho.hj1.t3"}
    rows = {u["unit"]: u for u in data["units"]}
    assert rows["k1.ho.hj1"]["clients"] == 8
    assert rows["k1.ho.hj1.t2"] == {"unit": "k1.ho.hj1.t2", "suppressed": True, "why": "below_min_n"}  # 1 client
    assert rows["k1.ho.hj1.t3"] == {"unit": "k1.ho.hj1.t3", "suppressed": True, "why": "protects_other"}  # 7 = 8 - 1


def test_min_n_and_as_of(capsys):
    data = report(capsys, "--unit", "d1.dogn", "--min-n", "7", "--as-of", "2030-01-01")
    assert data["units"] == [{"unit": "d1.dogn", "suppressed": True, "why": "below_min_n"}]
    assert all(c["dropped_out"] is not None for c in data["clients"])
    assert data["as_of"] == "2030-01-01"


def test_readable_summary(capsys):
    code, out, _ = run(capsys, "feedback", "report", SAMPLE, "--client", "c0001")
    assert code == 0
    assert "Reliable change: rxx 0.850, SD 7.50 (instrument); minimal reliable difference 8.05 points" in out
    assert "Client c0001 (k1.ho.hj2): 6 contact(s), intake 15.7, last 20.7" in out
    assert "Ved kontakt 4 er totalskåren for hverdagen (20,5)" in out


@pytest.mark.parametrize("number", [FUTURE_FNR, TENOR])
def test_a_national_id_in_the_data_is_refused_with_exit_2(capsys, tmp_path, number):
    path = tmp_path / "feedback.csv"
    pd.concat([make_contacts([20, 22]), make_contacts([25], client=number)], ignore_index=True).to_csv(path, index=False)
    code, out, err = run(capsys, "feedback", "report", path, "--all", "--json")
    assert code == 2 and out == ""
    assert "row 3: client: the client id looks like a Norwegian national identity number" in err
    assert number not in err and "Traceback" not in err


def test_a_national_id_asked_for_is_refused(capsys):
    code, _, err = run(capsys, "feedback", "report", SAMPLE, "--client", FUTURE_FNR)
    assert code == 2 and "looks like a Norwegian national identity number" in err


def test_bad_rows_are_listed_like_the_rest_of_the_cli(capsys, tmp_path):
    path = tmp_path / "feedback.csv"
    raw = make_contacts([20, 22, 24])
    raw.loc[1, "fu_samlet"] = 12
    raw.loc[2, "contact"] = 2
    raw.to_csv(path, index=False)
    code, _, err = run(capsys, "feedback", "report", path, "--all")
    assert code == 2
    assert "row 2: fu_samlet: value 12.0 is not on the response scale" in err
    assert "row 3: contact: contact 2 of client 'c1' in unit 'u1' is there twice" in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--all", "--client", "c0001"], "give exactly one of --client, --unit or --all"),
        ([], "give exactly one of --client, --unit or --all"),
        (["--client", "nobody"], "no client 'nobody' in the data"),
        (["--unit", "nowhere"], "no clients in unit 'nowhere'"),
        (["--all", "--min-n", "2"], "at least 3"),
        (["--all", "--rxx", "1.5"], "rxx must be between 0 and 1"),
        (["--all", "--as-of", "08.10.2026"], "--as-of must be a date"),
        (["--all", "--lang", "de"], "--language must be one of nb, nn, en"),
        (["--all", "--criterion", "d"], "--criterion must be one of"),
        (["--all", "--no-change-after", "1"], "no_change_after must be a whole number of at least 2"),
    ],
)
def test_user_errors_exit_2(capsys, args, message):
    code, _, err = run(capsys, "feedback", "report", SAMPLE, *args)
    assert code == 2 and message in err and "Traceback" not in err
