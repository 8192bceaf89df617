"""The Eksport page: a researcher exports a round with syntax and codebook; others are refused."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pyreadstat
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from scoring.store.access import Principal
from tests.app.conftest import open_app, press, switch_to
from tests.conftest import REPO

PAGE = "dashboard/pages/export.py"


@pytest.fixture
def downloads(monkeypatch):
    """Every file handed to a download button in this test: file name -> bytes."""
    seen: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, bytes):
            seen[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return seen


def export_page(lang: str = "nb", user: str = "forsker") -> AppTest:
    return switch_to(PAGE, user, lang)


def test_researcher_exports_sav_with_syntax_and_codebook_in_one_zip(downloads, tmp_path):
    at = export_page()
    assert at.title[0].value == "Eksport"
    at.multiselect(key="export_rounds").set_value(["2026-1"])
    at.radio(key="export_format").set_value("sav")
    at.checkbox(key="export_scores").check()
    press(at, "Lag eksporten")
    assert at.success and "2026-1" in at.success[0].value
    (button,) = at.get("download_button")
    assert button.label == "Last ned alt (.zip)"
    archive = zipfile.ZipFile(io.BytesIO(downloads["samklima-2026-1-sav.zip"]))
    assert sorted(archive.namelist()) == [
        "samklima-2026-1.codebook.csv", "samklima-2026-1.codebook.html", "samklima-2026-1.sav", "samklima-2026-1.sps",
    ]  # fmt: skip
    archive.extractall(tmp_path)
    frame, meta = pyreadstat.read_sav(str(tmp_path / "samklima-2026-1.sav"), user_missing=True)
    assert len(frame) > 0 and "sk_total" in frame.columns, "scale scores were asked for"
    assert meta.variable_measure["sk_info1"] == "ordinal"
    assert meta.missing_ranges["sk_info1"] == [{"lo": 9.0, "hi": 9.0}]
    assert "GET FILE='samklima-2026-1.sav'" in archive.read("samklima-2026-1.sps").decode("utf-8").replace('"', "'")
    # the anonymity rules applied are shown, as in the codebook
    assert any("min_n" in w.value for w in at.warning) or any("min_n" in e.label for e in at.expander)


def test_one_file_is_offered_as_it_is_and_labels_follow_the_language(downloads):
    at = export_page("en")
    assert at.title[0].value == "Export"
    at.radio(key="export_format").set_value("xlsx")
    at.radio(key="export_lang").set_value("en")
    press(at, "Make the export")
    (button,) = at.get("download_button")
    assert button.label.startswith("Download samklima-") and button.label.endswith(".xlsx")
    import openpyxl

    name = next(n for n in downloads if n.endswith(".xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(downloads[name]), read_only=True)
    assert book.sheetnames == ["data", "codebook"]
    labels = [row[2] for row in book["codebook"].iter_rows(min_row=2, values_only=True)]
    assert "Unit" in labels, "English labels were asked for"


def test_two_rounds_wide_with_the_actions_table_from_the_researchers_publication(downloads, tmp_path):
    """Wide holds the researcher's published cells (hidden ones empty); the actions table comes
    beside it with the data's unit codes; long with the same two rounds has a labelled round."""
    from dashboard import data

    at = export_page()
    at.multiselect(key="export_rounds").set_value(["2025-1", "2024-1"])
    at.radio(key="export_layout").set_value("wide")
    at.checkbox(key="export_actions").check()
    at.run()
    assert at.checkbox(key="export_scores").disabled
    press(at, "Lag eksporten")
    assert not at.exception and at.success and "enheter" in at.success[0].value
    archive = zipfile.ZipFile(io.BytesIO(downloads["samklima-2024-1_2025-1-wide-sav.zip"]))
    assert "samklima-2024-1_2025-1-wide.actions.sav" in archive.namelist()
    archive.extractall(tmp_path)
    wide, meta = pyreadstat.read_sav(str(tmp_path / "samklima-2024-1_2025-1-wide.sav"))
    cells = data.publication(at.session_state["principal"]).cells
    unit_of = {c: label.rsplit("(", 1)[1].rstrip(")") for c, label in meta.variable_value_labels["unit"].items()}
    for k, round_name in ((1, "2024-1"), (2, "2025-1")):
        compare = cells[(cells["page"] == "compare") & (cells["round"] == round_name) & (cells["scale"] == "sk_info")].set_index("unit")
        for unit_code, value in zip(wide["unit"], wide[f"sk_info_mean_r{k}"]):
            cell = compare.loc[unit_of[unit_code]]
            assert (pd.isna(value) if cell["hidden"] else value == pytest.approx(cell["mean"]))
    assert wide["sk_info_mean_r1"].isna().any(), "the demo has hidden cells"
    actions, actions_meta = pyreadstat.read_sav(str(tmp_path / "samklima-2024-1_2025-1-wide.actions.sav"))
    assert actions_meta.variable_value_labels["unit"] == meta.variable_value_labels["unit"]
    at.radio(key="export_layout").set_value("long")
    press(at, "Lag eksporten")
    archive = zipfile.ZipFile(io.BytesIO(downloads["samklima-2024-1_2025-1-sav.zip"]))
    archive.extractall(tmp_path)
    _, long_meta = pyreadstat.read_sav(str(tmp_path / "samklima-2024-1_2025-1.sav"), metadataonly=True)
    assert long_meta.variable_value_labels["round"] == {1.0: "2024-1 (2024-03-01–2024-03-28)", 2.0: "2025-1 (2025-03-01–2025-03-28)"}


CLIENTS = "Klientfeedback per klient (bred fil)"


def test_researcher_gets_the_client_file_the_cli_writes(downloads, tmp_path):
    """Issue 16: the wide per-client file on the page is ``samklima export --layout wide --clients``
    (the same library call): read back with pyreadstat, the same variables, labels, value labels
    and rows as the CLI's file on the same database; only the random client numbers differ."""
    from scoring.cli import main

    at = export_page()
    layout = at.radio(key="export_layout")
    assert layout.options == ["Lang: ett svar per rad", "Bred: én rad per enhet, kolonner per runde", CLIENTS]
    at.multiselect(key="export_rounds").set_value(["2025-1", "2024-1"])
    layout.set_value("clients")
    at.run()
    assert at.checkbox(key="export_scores").disabled
    press(at, "Lag eksporten")
    assert at.success, "the export is made"
    archive = zipfile.ZipFile(io.BytesIO(downloads["samklima-2024-1_2025-1-clients-sav.zip"]))
    assert sorted(archive.namelist()) == [
        "samklima-2024-1_2025-1-clients.codebook.csv", "samklima-2024-1_2025-1-clients.codebook.html",
        "samklima-2024-1_2025-1-clients.sav", "samklima-2024-1_2025-1-clients.sps",
    ]  # fmt: skip, the companions the CLI writes beside a .sav
    archive.extractall(tmp_path)
    page, page_meta = pyreadstat.read_sav(str(tmp_path / "samklima-2024-1_2025-1-clients.sav"))
    # the demo's clients (59), and any another test in this process registered: the file says how many
    assert len(page) >= 59 and at.success[0].value.startswith(f"{len(page)} klienter og 12 variabler fra runde 2024-1, 2025-1"), \
        at.success[0].value
    assert main(["export", "--round", "2024-1", "--round", "2025-1", "--layout", "wide", "--clients", "--out", str(tmp_path / "cli.sav")]) == 0
    cli, cli_meta = pyreadstat.read_sav(str(tmp_path / "cli.sav"))
    assert list(page.columns) == list(cli.columns) == [
        "unit", "client", "contacts_r1", "fu_total_first_r1", "fu_total_last_r1", "fs_total_first_r1", "fs_total_last_r1",
        "contacts_r2", "fu_total_first_r2", "fu_total_last_r2", "fs_total_first_r2", "fs_total_last_r2",
    ]  # fmt: skip
    for attribute in ("column_names_to_labels", "variable_value_labels", "original_variable_types", "variable_measure", "file_label"):
        assert getattr(page_meta, attribute) == getattr(cli_meta, attribute), attribute
    assert sorted(page["client"]) == sorted(cli["client"]) == list(range(1, len(cli) + 1)), "a number made for the file, 1..N"

    def rows(frame):
        rest = frame.drop(columns="client")
        return rest.sort_values(list(rest.columns), na_position="last").reset_index(drop=True)

    pd.testing.assert_frame_equal(rows(page), rows(cli))
    assert page["unit"].isna().any(), "the demo has units below min_n, withheld in both files"


def test_a_refused_client_export_reads_in_the_pages_language(monkeypatch):
    """No client feedback stored: the library's refusal in nynorsk (its code), nothing offered; a
    nynorsk page starts the file language at bokmål (the files' labels exist in nb and en)."""
    import scoring.store.feedback

    stored = scoring.store.feedback.read_feedback
    monkeypatch.setattr(scoring.store.feedback, "read_feedback", lambda engine, **kw: stored(engine, **kw).iloc[:0])
    at = export_page("nn")
    assert at.radio(key="export_lang").value == "nb"
    assert "Klientfeedback per klient (brei fil)" in at.radio(key="export_layout").options
    at.radio(key="export_layout").set_value("clients")
    press(at, "Lag eksporten")
    assert [e.value.replace("\\", "") for e in at.error] == ["Eksporten kunne ikkje lagast:\n\nIngen klienttilbakemeldingar er lagra enno: ingenting å eksportere."]
    assert not at.get("download_button") and not at.success


def test_changing_a_choice_hides_the_previous_files():
    at = export_page()
    press(at, "Lag eksporten")
    assert at.get("download_button")
    at.radio(key="export_format").set_value("csv")
    at.run()
    assert not at.get("download_button"), "the files on offer must match the choices shown"


def test_manager_does_not_get_the_page_in_the_menu_or_by_address():
    at = open_app(user="leder")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)
    page = AppTest.from_file(str(REPO / PAGE), default_timeout=60)
    page.session_state["lang"] = "nb"
    page.session_state["principal"] = Principal("leder", "manager", frozenset({"k1.ho"}))
    page.run()
    assert [e.value for e in page.error] == ["Du har ikke tilgang til denne siden."]
    assert not page.get("download_button") and not page.multiselect and not page.radio, "no layout, so no client file either"


def test_clinician_is_refused_too():
    page = AppTest.from_file(str(REPO / PAGE), default_timeout=60)
    page.session_state["principal"] = Principal("kliniker", "clinician", clinician="kl01")
    page.run()
    assert [e.value for e in page.error] == ["Du har ikke tilgang til denne siden."]



def test_making_the_export_moves_a_progress_bar(monkeypatch):
    """st.progress while the files are made (issue 15): one step after reading, one after writing."""
    import contextlib

    import dashboard.progress_bar

    bars: list[tuple[str, int, int]] = []

    @contextlib.contextmanager
    def counting(text, total):
        steps = []
        yield lambda *args: steps.append(args)
        bars.append((text, total, len(steps)))

    monkeypatch.setattr(dashboard.progress_bar, "progress_bar", counting)
    at = export_page()
    at.multiselect(key="export_rounds").set_value(["2026-1"])
    press(at, "Lag eksporten")
    assert at.success
    assert bars == [("Lager eksporten: leser svarene, skriver filene …", 2, 2)]


def test_the_notes_on_an_export_read_in_the_pages_language_while_the_files_keep_theirs(downloads):
    """A nynorsk page making a bokmål export: the warnings and the anonymity notes on the page are
    nynorsk (their codes, scoring.messages); the codebook in the files stays bokmål."""
    at = export_page("nn")
    assert at.radio(key="export_lang").value == "nb"
    press(at, "Lag eksporten")
    expander = next(e for e in at.expander if e.label.startswith("Anonymitet"))
    notes = "\n".join(m.value for m in expander.markdown)
    assert "eingongskodar" in notes and "engangskoder" not in notes and "Anonymity" not in notes
    page = notes + "\n".join(w.value for w in at.warning)
    for english in ("unit(s) merged", "withheld", "renamed", "shortened", "not in the unit table", "teknisk årsak"):
        assert english not in page
    if at.warning:
        assert "- Anonymitet (min_n = " in at.warning[0].value or "- Variabelen «" in at.warning[0].value
    archive = next(content for name, content in downloads.items() if name.endswith(".zip"))
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        codebook = next(files.read(n).decode("utf-8") for n in files.namelist() if "codebook" in n and n.endswith(".html"))
    assert "engangskoder" in codebook and "eingongskodar" not in codebook, "the files keep the export's language (bokmål)"
