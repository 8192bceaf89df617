"""XLSForm export for ODK Collect / KoBoToolbox: the sheets, a conversion by pyxform (the XLSForm
reference converter that ODK Central and KoBoToolbox run on upload), and the way back: a CSV
laid out like the form's own instance imports into a round."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from pyxform.xls2xform import convert

from scoring.cli import main
from scoring.formats.xlsform import build_xlsform
from scoring.instrument.catalog import bundled, bundled_all
from scoring.store import api
from scoring.store.db import get_engine, make_engine, migrate
from tests.conftest import REPO

XF = "{http://www.w3.org/2002/xforms}"


def to_xform(sheet, tmp_path) -> ET.Element:
    """Convert with pyxform (no warnings allowed) and return the primary instance's root."""
    path = sheet.write(tmp_path / "form.xlsx")
    warnings: list[str] = []
    xml = convert(xlsform=str(path), warnings=warnings, validate=False).xform
    assert warnings == []
    root = ET.fromstring(xml)
    instance = root.find(f".//{XF}model/{XF}instance")
    return next(iter(instance))


def leaf_paths(node: ET.Element, prefix: str = "") -> list[str]:
    """The instance's question paths as an ODK/Kobo CSV export names its columns."""
    out = []
    for child in node:
        name = child.tag.replace(XF, "")
        path = f"{prefix}{name}"
        out += leaf_paths(child, path + "/") if len(child) else [path]
    return out


@pytest.mark.parametrize("instrument", [i.id for i in bundled_all()])
def test_every_bundled_instrument_converts_with_pyxform(instrument, tmp_path):
    sheet = build_xlsform([bundled(instrument)])
    paths = leaf_paths(to_xform(sheet, tmp_path))
    inst = bundled(instrument)
    assert {p.rsplit("/", 1)[-1] for p in paths} >= set(inst.item_ids) | {"today", "unit", "instanceID"}
    assert len([p for p in paths if p.rsplit("/", 1)[-1] in inst.item_ids]) == len(inst.item_ids)  # each item once


def test_a_scale_is_a_group_and_every_item_a_select_one_with_vet_ikke(tmp_path):
    inst = bundled("samhandlingsklima")
    sheet = build_xlsform([inst])
    survey, choices, settings = sheet.survey, sheet.choices, sheet.settings
    assert {"label::Norsk (nb)", "label::English (en)"} <= set(survey.columns) and "label::Norsk (nb)" in choices.columns
    groups = list(survey.loc[survey["type"] == "begin_group", "name"])
    assert groups == ["bakgrunn"] + [s.id for s in inst.scales if s.id != "sk_total"]  # the total scale asks nothing new
    assert (survey.loc[survey["type"] == "begin_group", "appearance"] == "field-list").all()  # one scale per screen
    items = survey[survey["name"].isin(inst.item_ids)]
    assert list(items["name"]) == [i for s in inst.scales for i in s.items][: len(inst.item_ids)]
    assert set(items["type"]) == {"select_one enig5"}
    enig5 = choices[choices["list_name"] == "enig5"]
    assert list(enig5["name"]) == ["1", "2", "3", "4", "5", "9"]
    vet_ikke = enig5.iloc[-1]
    assert (vet_ikke["label::Norsk (nb)"], vet_ikke["label::English (en)"]) == ("Vet ikke / ikke relevant", "Don't know / not relevant")
    assert survey.loc[survey["name"] == "sk_info1", "label::English (en)"].item() == inst.item("sk_info1").text["en"]
    assert survey.iloc[0][["type", "name"]].tolist() == ["today", "today"]  # a date, never a time stamp
    assert not survey["type"].isin(["start", "end", "deviceid", "username", "phonenumber"]).any()
    assert settings.iloc[0][["form_id", "version", "default_language"]].tolist() == ["samklima_samhandlingsklima", "1.0.0", "Norsk (nb)"]
    path = sheet.write(tmp_path / "sk.xlsx")
    assert pd.ExcelFile(path).sheet_names == ["survey", "choices", "settings"]


def test_a_continuous_scale_is_a_range_slider():
    sheet = build_xlsform([bundled("feedback-utfall")])
    row = sheet.survey[sheet.survey["name"] == "fu_velvaere"].iloc[0]
    assert (row["type"], row["parameters"]) == ("range", "start=0 end=10 step=0.1")
    assert row["hint::Norsk (nb)"] == "0 = Svært dårlig, 10 = Svært bra"


def test_two_instruments_share_equal_lists_and_never_a_list_name(tmp_path):
    sheet = build_xlsform([bundled("samhandlingsklima"), bundled("medbestemmelse")], background=False)
    assert not sheet.choices.duplicated(["list_name", "name"]).any()
    assert not sheet.survey.loc[sheet.survey["type"] != "end_group", "name"].duplicated().any()
    assert "bakgrunn" not in set(sheet.survey["name"])
    assert sheet.to_dict() | {"languages": None} == {
        "form_id": "samklima_samhandlingsklima_medbestemmelse", "version": "1.0.0_1.0.0", "languages": None,
        "questions": 1 + 1 + 32 + 20, "groups": 8 + 5, "choice_lists": 2,
    }  # fmt: skip
    to_xform(sheet, tmp_path)


@pytest.fixture
def round_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/samklima.db"
    monkeypatch.setenv("SAMKLIMA_DATABASE_URL", url)
    get_engine.cache_clear()
    engine = make_engine(url)
    migrate(engine)
    api.import_units(engine, REPO / "sample_data" / "units.csv")
    api.create_round(engine, "2026-1", ["samhandlingsklima", "medbestemmelse"], "all", closes=dt.date(2026, 3, 28))
    yield engine
    engine.dispose()
    get_engine.cache_clear()


def test_the_form_of_a_round_offers_its_units_and_its_export_imports_into_it(round_db, tmp_path, capsys):
    out = tmp_path / "runde.xlsx"
    assert main(["xlsform", "--round", "2026-1", "--out", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["form_id"] == "samklima_2026_1" and report["version"].startswith("1.0.0_1.0.0_")
    choices = pd.read_excel(out, sheet_name="choices", dtype=str)
    round_units = set(api.round_status(round_db, "2026-1")["unit"])
    assert set(choices.loc[choices["list_name"] == "units", "name"]) == round_units
    partners = list(choices.loc[choices["list_name"] == "partners", "name"])
    assert partners[:3] == ["fastleger1", "tildeling1", "nav1"] and "k1.ho.hj1.t1" not in partners  # no teams

    warnings: list[str] = []
    xml = convert(xlsform=str(out), warnings=warnings, validate=False).xform
    assert warnings == []
    instance = next(iter(ET.fromstring(xml).find(f".//{XF}model/{XF}instance")))
    columns = leaf_paths(instance)  # exactly the columns a Kobo export of this form has
    assert "sk_info/sk_info1" in columns and "bakgrunn/role" in columns and "meta/instanceID" in columns
    units = sorted(round_units)
    rows = []
    for n in range(3):
        row = {c: "" for c in columns}
        row.update({"today": f"2026-03-1{n}", "unit": units[n], "bakgrunn/role": "lege", "sk_partner": "nav1", "meta/instanceID": f"uuid:{n}"})
        row.update({c: str(1 + (n + i) % 5) for i, c in enumerate(columns) if c.rsplit("/", 1)[-1].startswith(("sk_info", "mb_"))})
        rows.append(row)
    pd.DataFrame(rows, columns=columns).to_csv(tmp_path / "export.csv", index=False)
    assert main(["import", str(tmp_path / "export.csv"), "--round", "2026-1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["stored"] == 3
    wide = api.read_responses(round_db, "2026-1")
    assert sorted(wide["unit"]) == units[:3] and set(wide["role"]) == {"lege"}
    assert wide["mb_tillit4"].notna().all() and wide["sk_koord1"].isna().all()


def test_xlsform_needs_an_instrument_or_a_round(capsys, tmp_path):
    assert main(["xlsform", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "name an instrument (--instrument) or a round (--round)" in capsys.readouterr().err
    assert main(["xlsform", "-i", "samhandlingsklima", "--out", str(tmp_path / "x.csv")]) == 2
    assert "an XLSForm is an .xlsx workbook" in capsys.readouterr().err
