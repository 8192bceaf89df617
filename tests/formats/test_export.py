"""The research export: what a researcher finds in the file is what the instrument says.

Built from the committed sample data (no database); the files are read back with pyreadstat.
The PSPP checks are in ``tests/pspp/``, the command line in ``tests/formats/test_export_cli.py``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pyreadstat
import pytest

from scoring.errors import UserError
from scoring.formats.codebook import codebook_frame, codebook_html
from scoring.formats.files import write_export
from scoring.formats.names import SPSS, STATA, safe_names, shorten, utf8_length, wrap_bytes
from scoring.formats.spss import build_export, write_sav
from scoring.formats.syntax import sps_text
from scoring.instrument.spss_names import spss_name_problem
from scoring.responses.reading import code_responses
from scoring.responses.scores import score_scales
from tests.pspp.sample_export import (
    every_rule_instrument,
    long_label_instrument,
    random_answers,
    staff_instruments,
    staff_responses,
    units,
)

WHEN = dt.datetime(2025, 5, 6, 7, 8, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def staff():
    return staff_responses("2024-1")


@pytest.fixture(scope="module")
def staff_export(staff):
    return build_export(staff, staff_instruments(), units(), lang="nb", scores=True, round_name="2024-1", exported_at=WHEN)


@pytest.fixture(scope="module")
def staff_sav(staff_export, tmp_path_factory):
    path = tmp_path_factory.mktemp("sav") / "runde.sav"
    write_sav(staff_export, path)
    return pyreadstat.read_sav(str(path), user_missing=True)


# ----------------------------------------------------------------------------- round trip


def test_every_item_reads_back_with_the_instruments_labels_codes_missing_level_and_format(staff_sav):
    _, meta = staff_sav
    labels = meta.column_names_to_labels
    for inst in staff_instruments():
        for item in inst.items:
            rs = inst.response_scale_of(item.id)
            assert labels[item.id] == item.text["nb"]
            expected = {float(c): t["nb"] for c, t in rs.labels.items()} | {float(c): t["nb"] for c, t in rs.missing.items()}
            assert meta.variable_value_labels[item.id] == expected
            assert meta.missing_ranges[item.id] == [{"lo": 9.0, "hi": 9.0}]
            assert meta.variable_measure[item.id] == "ordinal"
            assert meta.original_variable_types[item.id] == "F1.0"
    assert meta.variable_value_labels["sk_info1"][9.0] == "Vet ikke / ikke relevant"


def test_items_keep_the_codes_as_answered_with_vet_ikke_as_9(staff, staff_sav):
    data, _ = staff_sav
    for inst in staff_instruments():
        for item_id in inst.item_ids:
            np.testing.assert_array_equal(data[item_id].to_numpy(), staff[item_id].to_numpy(dtype=float))
    assert (data["sk_info1"] == 9).sum() == (staff["sk_info1"] == 9).sum() > 0


def test_scale_scores_are_named_by_scale_id_scale_level_and_equal_our_scoring(staff, staff_sav):
    data, meta = staff_sav
    for inst in staff_instruments():
        ours = score_scales(code_responses(staff, inst).items, inst)
        for scale in inst.scales:
            assert meta.variable_measure[scale.id] == "scale"
            assert meta.original_variable_types[scale.id] == "F5.2"
            assert meta.column_names_to_labels[scale.id].startswith(scale.name["nb"])
            np.testing.assert_allclose(data[scale.id].to_numpy(), ours[scale.id].to_numpy(), rtol=0, atol=1e-12)


def test_unit_is_a_nominal_code_labelled_with_the_unit_name_and_id(staff, staff_sav):
    data, meta = staff_sav
    table = units()
    assert meta.variable_measure["unit"] == "nominal"
    assert meta.original_variable_types["unit"] == "F2.0"
    labels = meta.variable_value_labels["unit"]
    assert labels[1.0] == "Fjordvik kommune (k1)"
    assert len(labels) == len(table)
    code_of = {u: float(i + 1) for i, u in enumerate(table["unit"])}
    shown = data["unit"].notna()
    np.testing.assert_array_equal(data.loc[shown, "unit"].to_numpy(), staff.loc[shown, "unit"].map(code_of).to_numpy())
    assert meta.variable_value_labels["sk_partner"] == labels  # partners share the unit codes
    assert meta.variable_value_labels["language"] == {1.0: "norsk bokmål (nb)", 2.0: "engelsk (en)"}
    assert meta.variable_value_labels["tenure"] == {1.0: "<1", 2.0: "1-2", 3.0: "3-5", 4.0: "6-10", 5.0: ">10"}
    assert {meta.variable_measure[c] for c in ("round", "language", "instrument_version", "role", "tenure", "position")} == {"nominal"}


def test_date_is_a_date_without_time_of_day(staff, staff_sav):
    data, meta = staff_sav
    assert meta.original_variable_types["date"] == "SDATE10"
    assert data["date"].iloc[0] == dt.date(2024, 3, 1)
    with_time = staff.assign(date=staff["date"] + pd.Timedelta(hours=13, minutes=37))
    export = build_export(with_time, staff_instruments(), units(), exported_at=WHEN)
    assert (export.frame["date"] == export.frame["date"].dt.normalize()).all()


def test_file_label_and_notes_state_versions_time_rules_and_anonymity(staff_export, staff_sav):
    _, meta = staff_sav
    assert meta.file_label == "Samklima, runde 2024-1"
    notes = " ".join(meta.notes)
    assert all(utf8_length(line) <= 80 for line in meta.notes)
    assert "2025-05-06 07:08 UTC" in notes
    assert "samhandlingsklima 1.0.0" in notes and "medbestemmelse 1.0.0" in notes
    assert "sk_info = gjennomsnittet av sk_info1, sk_info2, sk_info3, sk_info4" in notes
    assert "minst 2 av 4" in notes
    assert "ingen navn, e-postadresser, IP-adresser, engangskoder eller klokkeslett" in notes
    assert "min_n = 5" in notes
    assert meta.notes == staff_export.note_lines()


def test_english_labels_and_notes(staff):
    export = build_export(staff, staff_instruments(), units(), lang="en", round_name="2024-1", exported_at=WHEN)
    assert export.variable("sk_info1").label == "Our partner services let us know when they change what they offer."
    assert export.variable("sk_info1").value_labels[9.0] == "Don't know / not relevant"
    assert export.variable("unit").label == "Unit"
    assert export.file_label == "Samklima, round 2024-1"
    assert export.notes[0] == "Samklima export of round 2024-1, made 2025-05-06 07:08 UTC."


def test_continuous_items_are_scale_level_with_one_decimal_and_sums_keep_it(mini):
    inst = every_rule_instrument(mini)
    export = build_export(random_answers(inst, 40), [inst], scores=True, min_n=3, exported_at=WHEN)
    assert export.variable("mi_v1").format == "F4.1"
    assert export.variable("mi_v1").measure == "scale"
    assert export.variable("mi_a1").format == "F1.0"
    formats = {s.name: s.format for s in export.scales}
    assert formats == {"mi_a": "F5.2", "mi_a_sum": "F5.2", "mi_a_pomp": "F6.2", "mi_v": "F4.1", "mi_a_t": "F6.2", "mi_a_sum2": "F4.1"}


# ----------------------------------------------------------------------------- anonymity


def test_units_below_min_n_are_merged_into_the_nearest_parent_that_reaches_it():
    tree = pd.DataFrame(
        {
            "unit": ["top", "area", "big", "small1", "small2", "lonely"],
            "name": ["Kommune", "Område", "Stor", "Liten 1", "Liten 2", "Alene"],
            "parent": ["", "top", "area", "area", "area", ""],
            "unit_type": ["kommune", "tjenesteomrade", "team", "team", "team", "dps"],
        }
    )
    inst = staff_instruments()[1]
    table = random_answers(inst, 15).assign(unit=["big"] * 8 + ["small1"] * 3 + ["small2"] * 3 + ["lonely"])
    export = build_export(table, [inst], tree, min_n=5, exported_at=WHEN)
    shown = export.plain_frame()["unit"]
    assert shown[:8].tolist() == ["big"] * 8
    assert shown[8:14].tolist() == ["area"] * 6  # 3 + 3 pooled reach 5
    assert shown.isna().tolist()[14]  # no parent reaches 5: withheld
    notes = " ".join(export.notes)
    assert "small1 → area" in notes and "small2 → area" in notes and "lonely" in notes
    assert any("anonymity (min_n = 5)" in w for w in export.warnings)


def test_min_n_below_three_is_refused(staff):
    with pytest.raises(UserError, match="at least 3"):
        build_export(staff, staff_instruments(), units(), min_n=2)


def test_the_export_holds_no_column_that_identifies_a_person(staff_export):
    names = {v.name for v in staff_export.variables}
    assert not names & {"ip", "email", "code", "token", "submitted_on", "user_agent"}
    assert staff_export.variable("response").label.startswith("Svar-id (tilfeldig")


# ----------------------------------------------------------------------------- bad input


def test_an_empty_round_is_a_clear_user_error(staff):
    with pytest.raises(UserError, match="round '2027-1' has no responses: nothing to export"):
        build_export(staff.iloc[:0], staff_instruments(), units(), round_name="2027-1")


def test_a_code_off_the_response_scale_is_a_user_error_naming_row_and_item(staff):
    bad = staff.copy()
    bad.loc[3, "sk_koord2"] = 7
    with pytest.raises(UserError) as err:
        build_export(bad, staff_instruments(), units())
    assert "row 4: sk_koord2: value 7.0 is not on the response scale" in str(err.value)


def test_a_label_over_its_byte_limit_in_norwegian_is_shortened_with_a_warning_and_the_file_opens(staff, tmp_path):
    inst, long_text, long_value = long_label_instrument()
    assert len(long_text) <= 256 < utf8_length(long_text)  # too long only in bytes
    assert len(long_value) <= 120 < utf8_length(long_value)
    export = build_export(staff, [inst], units(), exported_at=WHEN)
    label = export.variable("sk_info1").label
    assert utf8_length(label) <= 256 and label.endswith("…") and long_text.startswith(label[:-1])
    value = export.variable("sk_info2").value_labels[1.0]
    assert utf8_length(value) <= 120 and value.endswith("…")
    label_warning = next(w for w in export.warnings if "variable label of 'sk_info1'" in w)
    assert f"is {utf8_length(long_text)} bytes (SPSS allows 256)" in label_warning
    value_warning = next(w for w in export.warnings if w.startswith("value label 1 ="))
    assert "(SPSS allows 120)" in value_warning and "sk_info1, sk_info2" in value_warning and "sk_trygg4" in value_warning
    path = tmp_path / "lang.sav"
    write_sav(export, path)
    _, meta = pyreadstat.read_sav(str(path))
    assert meta.column_names_to_labels["sk_info1"] == label  # exactly ours: the writer truncated nothing
    assert meta.variable_value_labels["sk_info1"][1.0] == value


def test_names_that_collide_once_made_safe_are_renamed_uniquely_with_a_warning(staff, tmp_path):
    table = staff.assign(**{"turnus (år)": "dag", "turnus_aar": "natt", "Role": "x", "with": "y", "sk_info": "z"})
    export = build_export(table, staff_instruments(), units(), scores=True, exported_at=WHEN)
    names = [v.name for v in export.variables]
    assert len({n.lower() for n in names}) == len(names)
    assert all(spss_name_problem(n) is None for n in names)
    renamed = {w.split("'")[1]: w.split("'")[3] for w in export.warnings if w.startswith("variable '")}
    assert renamed == {"turnus (år)": "turnus_aar_2", "Role": "Role_2", "with": "with_v", "sk_info": "sk_info_2"}
    assert "sk_info" in names and export.variable("sk_info").kind == "score"  # the scale keeps its id
    path = tmp_path / "names.sav"
    write_sav(export, path)
    data, meta = pyreadstat.read_sav(str(path))
    assert list(data.columns) == names
    assert meta.variable_value_labels["turnus_aar_2"] == {1.0: "dag"}


def test_safe_names_follow_the_spss_and_stata_rules():
    long = "a" * 70
    names, renamed = safe_names(["ok", "All", "æble", "1st", "x.", long, "OK"], SPSS)
    assert names == ["ok", "All_v", "aeble", "v1st", "x", "a" * 64, "OK_2"]
    assert [r.original for r in renamed] == ["All", "æble", "1st", "x.", long, "OK"]
    names, _ = safe_names(["a.b", "_n", "x" * 40, "byte"], STATA)
    assert names == ["a_b", "_n_v", "x" * 32, "byte_v"]


def test_shorten_cuts_at_a_character_boundary_in_utf8_bytes():
    text = "ø" * 200
    short = shorten(text, 120)
    assert short == "ø" * 58 + "…" and utf8_length(short) == 119
    assert shorten("kort", 120) == "kort"
    assert shorten("x" * 100, max_chars=80) == "x" * 79 + "…"
    assert all(utf8_length(line) <= 80 for line in wrap_bytes("ææææ " * 60, 80))


# ----------------------------------------------------------------------------- syntax and codebook


def test_syntax_declares_the_dictionary_and_computes_every_score_with_the_rules(mini):
    inst = every_rule_instrument(mini)
    export = build_export(random_answers(inst, 30), [inst], lang="en", min_n=3, exported_at=WHEN)
    text = sps_text(export, "data.sav")
    assert "VARIABLE LABELS\n  response 'Response id" in text
    assert "/mi_a3 'We keep things to ourselves.'" in text
    assert "    9 'Don''t know'" in text  # a quote in a label is doubled
    assert "MISSING VALUES mi_a1 mi_a2 mi_a3 mi_a4 (9)." in text
    assert "mi_a1 mi_a2 mi_a3 mi_a4 (ORDINAL)" in text and "mi_v1 mi_v2 (SCALE)" in text
    assert "mi_a1 mi_a2 mi_a3 mi_a4 (F1.0)" in text and "mi_v1 mi_v2 (F4.1)" in text
    assert "COMPUTE mi_a3_r = 6 - mi_a3." in text
    assert "COMPUTE mi_a = MEAN.2(mi_a1, mi_a2, mi_a3_r, mi_a4)." in text
    assert "COMPUTE mi_a_sum = MEAN.3(mi_a1, mi_a2, mi_a3_r, mi_a4) * 4." in text
    assert "COMPUTE mi_a_pomp = 100 * (MEAN.2(mi_a1, mi_a2, mi_a3_r, mi_a4) - 1) / 4." in text
    assert "COMPUTE mi_v = SUM.2(mi_v1, mi_v2)." in text
    assert "COMPUTE mi_a_t = 50 + 10 * (MEAN.2(mi_a1, mi_a2, mi_a3_r, mi_a4) - 3.1) / 0.7." in text
    assert "COMPUTE mi_a_sum2 = SUM.2(mi_a1, mi_a2, mi_a3_r, mi_a4)." in text
    assert text.rstrip().endswith("EXECUTE.")


def test_codebook_lists_every_variable_scale_rule_and_note(staff_export):
    book = codebook_frame(staff_export)
    variables = book[book["section"] == "variable"]
    assert variables["variable"].tolist() == [v.name for v in staff_export.variables]
    item = variables.set_index("variable").loc["sk_info4"]
    assert item["missing"] == "9" and item["measure"] == "ordinal" and item["format"] == "F1.0"
    assert item["values"].startswith("1 = Helt uenig | 2 = Litt uenig") and item["values"].endswith("9 = Vet ikke / ikke relevant")
    assert item["rule"] == "omvendt skåret: (1+5)-x"
    unit = variables.set_index("variable").loc["unit"]
    assert "4 = Hjemmetjenesten sone Nord, dagteam 1 (k1.ho.hj1.t1)" in unit["values"]
    scales = book[book["section"] == "scale"]
    assert len(scales) == 14 and set(scales["in_file"]) == {"yes"}
    notes = book[book["section"] == "note"]["label"].tolist()
    assert notes == staff_export.notes
    page = codebook_html(staff_export)
    assert "<code>sk_info4</code>" in page and "Vet ikke / ikke relevant" in page and "min_n = 5" in page


# ----------------------------------------------------------------------------- other formats


def test_stata_file_has_safe_names_short_labels_and_extended_missing(staff, tmp_path):
    table = staff.assign(**{"team.navn": "A"})
    export = build_export(table, staff_instruments(), units(), scores=True, exported_at=WHEN)
    files = write_export(export, tmp_path / "runde.dta", "dta")
    data, meta = pyreadstat.read_dta(str(files["data"]), user_missing=True)
    assert "team_navn" in data.columns and any("'team.navn' renamed to 'team_navn'" in w for w in export.warnings)
    assert all(len(label) <= 80 for label in meta.column_labels if label)
    assert meta.variable_value_labels["sk_info2"]["a"] == "Vet ikke / ikke relevant"
    assert meta.variable_value_labels["sk_info2"][1] == "Helt uenig"
    assert (data["sk_info2"] == "a").sum() == (staff["sk_info2"] == 9).sum()
    assert data["date"].iloc[0] == dt.date(2024, 3, 1)
    assert files["codebook_csv"].exists() and "syntax" not in files


def test_csv_and_excel_neutralise_formulas_and_excel_has_a_codebook_sheet(staff, tmp_path):
    table = staff.assign(role=staff["role"].where(staff.index != 0, "=HYPERLINK(\"http://x\")"))
    export = build_export(table, staff_instruments(), units(), exported_at=WHEN)
    write_export(export, tmp_path / "r.csv", "csv")
    csv = pd.read_csv(tmp_path / "r.csv", dtype=str, keep_default_na=False)
    assert csv.loc[0, "role"] == "'=HYPERLINK(\"http://x\")"
    assert csv.loc[0, "unit"] == "d1.akutt" and csv.loc[0, "sk_info2"] == "9"
    write_export(export, tmp_path / "r.xlsx", "xlsx")
    sheets = pd.read_excel(tmp_path / "r.xlsx", sheet_name=None, dtype=str)
    assert set(sheets) == {"data", "codebook"}
    assert sheets["data"].loc[0, "role"].startswith("'=")
    assert "sk_info1" in sheets["codebook"]["variable"].tolist()
    assert not (tmp_path / "r.codebook.html").with_name("r.xlsx.codebook.html").exists()


def test_parquet_keeps_labels_codes_and_missing_codes_as_metadata(staff_export, tmp_path):
    write_export(staff_export, tmp_path / "r.parquet", "parquet")
    table = pq.read_table(tmp_path / "r.parquet")
    meta = table.schema.field("sk_info1").metadata
    assert meta[b"label"].decode() == "Samarbeidspartnerne våre gir oss beskjed når de endrer tilbudet sitt."
    assert meta[b"missing"] == b"[9.0]"
    assert table.column("unit")[0].as_py() == "d1.akutt"
    np.testing.assert_allclose(table.column("sk_info").to_numpy(zero_copy_only=False), staff_export.frame["sk_info"].to_numpy())


def test_a_scales_rule_names_missing_codes_and_empty_answers_in_each_language(mini):
    """The rule in the notes and codebook: "9 og tomme svar" in bokmål and nynorsk, "9 and
    blanks" in English; only empty answers when the scale declares no missing code."""
    from scoring.formats.spss import scale_rule

    inst = every_rule_instrument(mini)
    scale = inst.scales[0]
    codes = sorted({c for i in scale.items for c in inst.response_scale_of(i).missing})
    assert codes, "the mini instrument declares a missing code"
    listed = "/".join(str(c) for c in codes)
    assert scale_rule(inst, scale, "nb").endswith(f"; {listed} og tomme svar teller som manglende")
    assert scale_rule(inst, scale, "nn").endswith(f"; {listed} og tomme svar tel som manglande")
    assert scale_rule(inst, scale, "en").endswith(f"; {listed} and blanks count as missing")
    assert "blir rekna ut når minst" in scale_rule(inst, scale, "nn") and "regnes når minst" in scale_rule(inst, scale, "nb")
    bare = inst.model_copy(update={"response_scales": {k: v.model_copy(update={"missing": {}}) for k, v in inst.response_scales.items()}})
    assert scale_rule(bare, scale, "nb").endswith("; tomme svar teller som manglende")
    assert scale_rule(bare, scale, "nn").endswith("; tomme svar tel som manglande")
    assert scale_rule(bare, scale, "en").endswith("; blanks count as missing")
