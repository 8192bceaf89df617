"""Several rounds in one export (long and wide) and the actions table beside it, built from the
committed sample data and small hand-made publications (no database; the CLI is tested in
``test_export_rounds_cli.py``). Files are read back with pyreadstat."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from scoring.errors import UserError
from scoring.formats.actions import actions_export
from scoring.formats.files import write_export
from scoring.formats.rounds import ExportRound, choose_rounds, common_instruments, long_export, suffixed, wide_export
from scoring.privacy.answers import round_answers
from scoring.privacy.publication import publish
from tests.pspp.sample_export import random_answers, staff_instruments, staff_responses, units
from tests.reporting.rounds import tree

WHEN = dt.datetime(2026, 5, 6, 7, 8, tzinfo=dt.timezone.utc)
R1 = ExportRound("2024-1", "2024-03-01", "2024-03-28", 5, 200)
R2 = ExportRound("2025-1", "2025-03-01", "2025-03-28", 6, 196)


@pytest.fixture(scope="module")
def two_rounds():
    """Rounds 2024-1 and 2025-1 of the sample data; unit k1.ho.hj2 has 3 answers in each."""
    frames = []
    for name in ("2024-1", "2025-1"):
        table = staff_responses(name)
        hj2 = table.index[table["unit"] == "k1.ho.hj2"]
        table.loc[hj2[3:], "unit"] = "k1.ho"  # keep three answers in the unit
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def long_sav(two_rounds, tmp_path_factory):
    export = long_export(two_rounds.sample(frac=1, random_state=3), staff_instruments(), units(), [R1, R2], scores=True, exported_at=WHEN)
    path = tmp_path_factory.mktemp("long") / "long.sav"
    write_export(export, path, "sav")
    data, meta = pyreadstat.read_sav(str(path), user_missing=True)
    return export, data, meta


def test_long_has_one_row_per_response_and_a_round_variable_labelled_with_names_and_dates(two_rounds, long_sav):
    export, data, meta = long_sav
    assert len(data) == len(two_rounds)
    assert meta.variable_value_labels["round"] == {1.0: "2024-1 (2024-03-01–2024-03-28)", 2.0: "2025-1 (2025-03-01–2025-03-28)"}
    assert meta.column_names_to_labels["round"] == "Undersøkelsesrunde" and meta.variable_measure["round"] == "ordinal"
    counts = data["round"].value_counts()
    assert counts[1.0] == (two_rounds["round"] == "2024-1").sum() and counts[2.0] == (two_rounds["round"] == "2025-1").sum()
    assert list(data["round"]) == sorted(data["round"]), "rows are sorted by round first"
    assert meta.file_label == "Samklima, runder 2024-1–2025-1"
    assert any("1 = 2024-1 (2024-03-01–2024-03-28); 2 = 2025-1 (2025-03-01–2025-03-28)" in n for n in export.notes)


def test_long_keeps_item_labels_missing_codes_and_scores(two_rounds, long_sav):
    _, data, meta = long_sav
    assert meta.missing_ranges["sk_info1"] == [{"lo": 9.0, "hi": 9.0}]
    assert meta.variable_value_labels["sk_info1"][9.0].lower().startswith("vet ikke")
    assert (data["sk_info1"] == 9).sum() == (two_rounds["sk_info1"] == 9).sum()
    assert meta.variable_measure["sk_info"] == "scale" and data["sk_info"].notna().sum() > 300


def test_long_merges_small_units_round_by_round_with_each_rounds_min_n(long_sav):
    """k1.ho.hj2 has 3 answers in each round: together 6, but never shown on its own."""
    export, data, meta = long_sav
    code = {label.rsplit("(", 1)[1].rstrip(")"): c for c, label in meta.variable_value_labels["unit"].items()}
    assert not (data["unit"] == code["k1.ho.hj2"]).any()
    for rnd in (R1, R2):
        shown = data.loc[data["round"] == (1.0 if rnd is R1 else 2.0), "unit"].value_counts()
        assert shown.min() >= rnd.min_n
    assert any(n.startswith("Undersøkelsesrunde 2025-1:") and "min_n = 6" in n for n in export.anonymity)
    assert export.min_n_by_round == {"2024-1": 5, "2025-1": 6}


def test_long_refuses_a_smaller_min_n_than_a_round_promised_and_a_round_without_answers(two_rounds):
    with pytest.raises(UserError, match="round '2025-1' promises min_n = 6"):
        long_export(two_rounds, staff_instruments(), units(), [R1, R2], min_n=5)
    empty = ExportRound("2026-1", None, None, 5, 0)
    with pytest.raises(UserError, match="round\\(s\\) without responses: 2026-1"):
        long_export(two_rounds, staff_instruments(), units(), [R1, R2, empty])


def test_an_instrument_that_asks_differently_in_two_rounds_is_refused(mini):
    changed = mini.model_copy(update={"version": "2.0.0", "scales": mini.scales[:1]})
    with pytest.raises(UserError, match="instrument 'mini' asks or scores differently in round 'a' \\(version .*\\) and round 'b' \\(version 2.0.0\\)"):
        common_instruments({"a": (mini,), "b": (changed,)})
    relabelled = mini.model_copy(update={"version": "1.0.1", "title": {"nb": "Ny", "en": "New"}})
    chosen, notes = common_instruments({"a": (mini,), "b": (relabelled,)})
    assert chosen == (relabelled,) and notes == [f"mini: a {mini.version}, b 1.0.1"]


def test_choose_rounds_orders_oldest_first_and_reports_every_unknown_name():
    known = [R1, R2, ExportRound("2026-1", None, None, 5, 0)]
    assert choose_rounds(known, ["2025-1", "2024-1", "2025-1"], False) == ([R1, R2], [])
    assert choose_rounds(known, [], True) == ([R1, R2], ["round(s) without responses left out: 2026-1"])
    with pytest.raises(UserError) as err:
        choose_rounds(known, ["x", "2024-1", "y"], False)
    assert [p.message for p in err.value.problems] == [f"no round named '{n}' (rounds: 2024-1, 2025-1, 2026-1)" for n in ("x", "y")]
    with pytest.raises(UserError, match="or --all-rounds"):
        choose_rounds(known, [], False)
    with pytest.raises(UserError, match="not both"):
        choose_rounds(known, ["2024-1"], True)


def test_suffixed_names_keep_their_round_suffix_within_64_bytes():
    name = suffixed("s" * 70 + "_mean", "_r12")
    assert len(name) == 64 and name.endswith("_r12")
    assert suffixed("sk_info_mean", "_r1") == "sk_info_mean_r1"


# --- wide ----------------------------------------------------------------------------------

TREE = tree([("org", None, "kommune"), ("a", "org", "team"), ("b", "org", "team"), ("c", "org", "team")])


@pytest.fixture(scope="module")
def wide(mini, tmp_path_factory):
    """Two rounds of random answers for units a, b, c; in round 2 unit c has 3 respondents."""
    first = random_answers(mini, 60, seed=1)
    second = random_answers(mini, 60, seed=2)
    second.loc[second["unit"] == "c", "unit"] = "b"
    second.loc[:2, "unit"] = "c"
    answers = [round_answers(t, [mini], name, 5) for t, name in ((first, "r1"), (second, "r2"))]
    pub = publish(TREE, answers)
    rounds = [ExportRound("r1", "2024-03-01", None, 5, 60), ExportRound("r2", "2025-03-01", None, 5, 60)]
    export = wide_export(pub.cells, TREE, [mini], rounds, lang="en", exported_at=WHEN)
    path = tmp_path_factory.mktemp("wide") / "wide.sav"
    write_export(export, path, "sav")
    data, meta = pyreadstat.read_sav(str(path), user_missing=True)
    return pub, export, data, meta


def test_wide_has_one_row_per_unit_and_every_shown_number_is_the_publications_cell(wide, mini):
    pub, _, data, meta = wide
    unit_of = {c: label.rsplit("(", 1)[1].rstrip(")") for c, label in meta.variable_value_labels["unit"].items()}
    assert [unit_of[c] for c in data["unit"]] == ["org", "a", "b", "c"]
    assert [unit_of.get(c) for c in data["parent"]] == [None, "org", "org", "org"]
    checked = 0
    for k, round_name in ((1, "r1"), (2, "r2")):
        for row in data.itertuples():
            unit = unit_of[row.unit]
            overview = pub.select("overview", round_name, unit=unit).iloc[0]
            value = getattr(row, f"responses_r{k}")
            assert (np.isnan(value) if overview["hidden"] else value == overview["n"])
            for scale in mini.scales:
                cell = pub.select("compare", round_name, unit=unit, scale=scale.id).iloc[0]
                for stat in ("n", "mean", "sd"):
                    value = getattr(row, f"{scale.id}_{stat}_r{k}")
                    if cell["hidden"]:
                        assert np.isnan(value), (unit, scale.id, stat, k)
                    else:
                        assert value == pytest.approx(float(cell[stat]))
                        checked += 1
    assert checked > 30


def test_wide_hides_what_the_publication_hides(wide):
    pub, _, data, _ = wide
    hidden = pub.select("compare", "r2", unit="c")
    assert hidden["hidden"].all() and (hidden["why"] == "below_min_n").any()
    row = data.iloc[3]
    assert all(np.isnan(row[f"{s}_{stat}_r2"]) for s in hidden["scale"] for stat in ("n", "mean", "sd"))
    assert np.isnan(row["responses_r2"]) and not np.isnan(row["responses_r1"])


def test_wide_variables_are_labelled_with_scale_and_round_and_documented(wide):
    _, export, data, meta = wide
    assert meta.column_names_to_labels["mi_a_mean_r2"] == "Collaboration: mean, round r2"
    assert meta.column_names_to_labels["responses_r1"] == "Responses, round r1"
    assert meta.variable_measure["mi_a_mean_r1"] == "scale" and meta.original_variable_types["mi_a_mean_r1"] == "F5.2"
    assert meta.variable_measure["unit"] == "nominal"
    assert all(len(name.encode()) <= 64 for name in data.columns) and len({c.lower() for c in data.columns}) == len(data.columns)
    assert any("_r1 = r1 (2024-03-01); _r2 = r2 (2025-03-01)" in n for n in export.notes)
    assert any("system-missing" in n for n in meta.notes)


# --- actions -------------------------------------------------------------------------------


def actions_table() -> pd.DataFrame:
    return pd.DataFrame({
        "id": [1, 2, 3], "round": ["2024-1", "2025-1", "2023-1"], "unit": ["k1.ho.hj1", "k1.ho.bof1", "k1"],
        "scale": ["sk_info", "mb_egen", "sk_info"], "item": [None, "mb_egen1", None],
        "what": ["=HYPERLINK(\"http://x\")", "Faste møter om turnus", "old"], "owner": ["Enhetsleder", "Tillitsvalgt", "x"],
        "due": [dt.date(2024, 6, 1), None, None], "status": ["done", "planned", "started"],
        "note": ["@SUM(1)", None, None], "updated_on": [dt.date(2024, 9, 1)] * 3,
    })  # fmt: skip


def test_actions_file_has_the_rounds_actions_with_the_data_files_unit_codes(long_sav, tmp_path):
    _, data, data_meta = long_sav
    export = actions_export(actions_table(), units(), [(R1.name, R1.label), (R2.name, R2.label)], staff_instruments(), exported_at=WHEN)
    written = write_export(export, tmp_path / "x.actions.sav", "sav")
    assert set(written) == {"data", "syntax", "codebook_html", "codebook_csv"}
    frame, meta = pyreadstat.read_sav(str(written["data"]))
    assert list(frame["action"]) == [1.0, 2.0], "only the exported rounds' actions"
    assert meta.variable_value_labels["round"] == data_meta.variable_value_labels["round"]
    assert meta.variable_value_labels["unit"] == data_meta.variable_value_labels["unit"]
    assert [meta.variable_value_labels["unit"][c] for c in frame["unit"]] == [
        "Hjemmetjenesten sone Nord (k1.ho.hj1)", "Bofellesskapet Granveien (k1.ho.bof1)"]
    assert meta.variable_value_labels["status"] == {1.0: "planlagt", 2.0: "startet", 3.0: "gjennomført", 4.0: "droppet"}
    assert list(frame["status"]) == [3.0, 1.0]
    assert meta.variable_value_labels["scale"][frame["scale"][0]] == "Gjensidig informasjon (sk_info)"
    assert list(frame["item"]) == ["", "mb_egen1"] and frame["what"][1] == "Faste møter om turnus"
    assert frame["due"][0] == dt.date(2024, 6, 1) and pd.isna(frame["due"][1])
    assert meta.original_variable_types["due"] == "SDATE10"


def test_actions_csv_and_excel_neutralise_formulas_through_the_table_writer(tmp_path):
    export = actions_export(actions_table(), units(), [(R1.name, R1.label), (R2.name, R2.label)], staff_instruments(), lang="en")
    write_export(export, tmp_path / "a.csv", "csv")
    frame = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)
    assert frame["what"][0] == "'=HYPERLINK(\"http://x\")" and frame["note"][0] == "'@SUM(1)"
    assert list(frame["unit"]) == ["k1.ho.hj1", "k1.ho.bof1"] and list(frame["status"]) == ["done", "planned"]
    write_export(export, tmp_path / "a.xlsx", "xlsx")
    sheet = pd.read_excel(tmp_path / "a.xlsx", sheet_name="data", dtype=str)
    assert sheet["what"][0].startswith("'=")


def test_an_empty_actions_table_still_writes_a_labelled_file(tmp_path):
    export = actions_export(actions_table().iloc[:0], units(), [(R1.name, R1.label)], staff_instruments())
    write_export(export, tmp_path / "none.sav", "sav")
    frame, meta = pyreadstat.read_sav(str(tmp_path / "none.sav"))
    assert len(frame) == 0 and meta.variable_value_labels["status"][3.0] == "gjennomført"
