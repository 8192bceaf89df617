"""The wide client-feedback export: one row per pseudonymous client, a period per round
(scoring/formats/client_rounds.py), from the committed sample contacts; read back with pyreadstat."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from scoring.errors import Problem, UserError
from scoring.feedback.clients import prepare_contacts
from scoring.formats.client_rounds import client_wide_export, feedback_scales, periods
from scoring.formats.files import write_export
from scoring.formats.rounds import ExportRound
from tests.pspp.sample_export import units

SAMPLE = pd.read_csv("sample_data/feedback.csv", dtype={"client": str})
WHEN = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone.utc)
ROUNDS = [ExportRound("2024-1", "2024-03-01", "2024-03-28", 5, 1), ExportRound("2025-1", "2025-03-01", "2025-03-28", 5, 1),
          ExportRound("2026-1", "2026-03-01", "2026-03-28", 6, 1)]  # fmt: skip


@pytest.fixture(scope="module")
def contacts() -> pd.DataFrame:
    return prepare_contacts(SAMPLE)


@pytest.fixture(scope="module")
def wide(contacts, tmp_path_factory):
    export = client_wide_export(contacts, units(), feedback_scales(), ROUNDS, exported_at=WHEN, rng=np.random.default_rng(4))
    path = tmp_path_factory.mktemp("clients") / "klienter.sav"
    write_export(export, path, "sav")
    data, meta = pyreadstat.read_sav(str(path))
    return export, data, meta


def period_of(dates: pd.Series) -> np.ndarray:
    """The period index by hand: 2024-03-01..2025-02-28 -> 0, 2025-03-01..2026-02-28 -> 1, 2026-03-01..export -> 2."""
    k = np.full(len(dates), -1)
    k[(dates >= "2024-03-01") & (dates <= "2025-02-28")] = 0
    k[(dates >= "2025-03-01") & (dates <= "2026-02-28")] = 1
    k[(dates >= "2026-03-01") & (dates <= "2026-11-01")] = 2
    return k


def test_one_row_per_client_with_round_suffixes_and_every_number_from_the_contacts(contacts, wide):
    export, data, meta = wide
    k = period_of(contacts["date"])
    inside = contacts[k >= 0].assign(k=k[k >= 0])
    assert len(data) == inside.groupby(["unit", "client"]).ngroups
    for r in range(3):
        part = inside[inside["k"] == r].sort_values(["unit", "client", "date"])
        per = part.groupby(["unit", "client"])
        expected = pd.DataFrame({"n": per.size(), "first": per["outcome_total"].first(), "last": per["visit_total"].last()})
        got = data[data[f"contacts_r{r + 1}"] > 0]
        # clients are anonymous in the file: compare the multisets of (contacts, first outcome, last visit)
        mine = sorted(zip(got[f"contacts_r{r + 1}"], got[f"fu_total_first_r{r + 1}"].round(1), got[f"fs_total_last_r{r + 1}"].round(1)))
        theirs = sorted(zip(expected["n"].astype(float), expected["first"].round(1), expected["last"].round(1)))
        assert mine == theirs
    assert (data.filter(like="contacts_r").sum(axis=1) > 0).all(), "a client without a contact in the periods is not in the file"
    assert meta.file_label == "Samklima, klienter, runder 2024-1–2026-1"
    assert meta.column_names_to_labels["fu_total_last_r2"] == "Hverdagen min, totalt (0–40): siste i perioden fra runde 2025-1"
    assert meta.column_names_to_labels["contacts_r3"] == "Antall kontakter, periode fra runde 2026-1"
    assert any("_r1 = 2024-1 (2024-03-01–2025-02-28); _r2 = 2025-1 (2025-03-01–2026-02-28); _r3 = 2026-1 (2026-03-01–2026-11-01)" in n
               for n in export.notes)  # fmt: skip


def test_no_client_id_name_clinician_or_date_leaves_and_the_client_number_is_new_each_time(contacts, wide):
    export, data, meta = wide
    assert set(data.columns) == {"unit", "client"} | {c for c in data.columns if c[:-3].endswith(("contacts", "first", "last"))}
    assert sorted(data["client"]) == list(range(1, len(data) + 1)) and not meta.variable_value_labels.get("client")
    text = " ".join([*export.notes, *meta.column_names_to_labels.values(), *map(str, meta.variable_value_labels.get("unit", {}).values())])
    assert not any(c in text for c in SAMPLE["client"].unique()), "the service's client ids are not in the file"
    assert not any(str(c) in text for c in SAMPLE["clinician"].unique())
    again = client_wide_export(contacts, units(), feedback_scales(), ROUNDS, exported_at=WHEN, rng=np.random.default_rng(5))
    assert not np.array_equal(again.frame["client"], export.frame["client"])
    assert again.frame.sort_values("client").drop(columns="client").shape == export.frame.drop(columns="client").shape


def test_units_with_fewer_than_min_n_clients_are_merged_or_withheld_with_the_largest_rounds_min_n(wide, contacts):
    export, data, meta = wide
    assert export.min_n == 6
    shown = data["unit"].value_counts()
    assert shown.min() >= 6, "no unit code covers fewer than min_n clients"
    code = {label.rsplit("(", 1)[1].rstrip(")"): c for c, label in meta.variable_value_labels["unit"].items()}
    assert code["k1.ho.hj1.t2"] not in set(data["unit"]), "the sample's unit with 1 client is not shown"
    assert data["unit"].isna().sum() > 0 and any("min_n = 6" in n for n in export.anonymity)
    assert list(data["unit"].fillna(np.inf)) == sorted(data["unit"].fillna(np.inf)), "rows sorted by unit shown"


def test_min_n_may_be_raised_never_lowered_and_rounds_need_an_opening_date(contacts):
    with pytest.raises(UserError, match="may not use less"):
        client_wide_export(contacts, units(), feedback_scales(), ROUNDS, min_n=5, exported_at=WHEN)
    raised = client_wide_export(contacts, units(), feedback_scales(), ROUNDS, min_n=10, exported_at=WHEN)
    assert raised.frame["unit"].value_counts().min() >= 10
    with pytest.raises(UserError, match="without an opening date: x"):
        periods([ExportRound("x", None, None, 5, 1)], WHEN.date())
    with pytest.raises(UserError, match="nothing to export"):
        client_wide_export(contacts, units(), feedback_scales(), [ExportRound("2030-1", "2030-03-01", None, 5, 1)],
                           exported_at=WHEN)  # fmt: skip


def test_every_refusal_has_a_message_code_so_the_export_page_shows_it_in_nb_nn_and_en(contacts):
    """The Export page shows these through dashboard.problems: by code, never the English text."""
    from scoring.messages import MESSAGES, problem_text

    refusals = {
        "export_min_n_below": lambda: client_wide_export(contacts, units(), feedback_scales(), ROUNDS, min_n=5, exported_at=WHEN),
        "rounds_without_opening": lambda: periods([ExportRound("x", None, None, 5, 1)], WHEN.date()),
        "rounds_out_of_order": lambda: periods([ROUNDS[1], ROUNDS[0]], WHEN.date()),
        "export_no_client_contacts": lambda: client_wide_export(
            contacts, units(), feedback_scales(), [ExportRound("2030-1", "2030-03-01", None, 5, 1)], exported_at=WHEN),
    }  # fmt: skip
    for code, call in refusals.items():
        with pytest.raises(UserError) as caught:
            call()
        (problem,) = caught.value.problems
        assert problem.code == code and code in MESSAGES
        assert {lang: problem_text(problem, lang) for lang in ("nb", "nn")} == {lang: MESSAGES[code][lang].format(**problem.params) for lang in ("nb", "nn")}
    assert problem_text(Problem("x", code="rounds_without_opening", params={"rounds": "x"}), "nn").startswith("Rundar utan første dag: x.")
    assert "export_no_feedback" in MESSAGES, "database_client_export with no contacts stored (tests/app/test_export_page.py)"
