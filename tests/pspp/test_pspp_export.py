"""GNU PSPP opens our exports and agrees with our numbers.

- ``DISPLAY DICTIONARY`` shows every variable with our label, measurement level, print format
  and user-missing codes, and every value label (names, not labels: ``SET TVARS=NAMES``);
  ``DISPLAY DOCUMENTS`` and ``DISPLAY FILE LABEL`` show the notes and the file label.
- ``RELIABILITY /MODEL=ALPHA`` on each scale (reverse-keyed items computed in the PSPP syntax
  here, independently of our ``.sps``) gives our listwise alpha
  (:func:`scoring.stats.reliability.alpha.alpha` with ``missing="listwise"``) to the 6 decimals printed
  with ``SET FORMAT=F12.6``, on the same number of complete cases.
- Our ``.sps``, run on the exported items, computes every scale score equal to
  :func:`scoring.responses.scores.score_scales` for every row (to 1e-9; missing where ours is missing),
  for every scoring rule (mean, sum, prorated sum, POMP, T-score) and for 1-5 and 0-10 items.

Skipped with a reason when ``pspp`` is not installed; with ``CI=true`` the skip is a failure
(``tests/conftest.py``), and ``.ci/run`` installs Debian's ``pspp``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyreadstat
import pytest

from scoring.formats.files import write_export
from scoring.formats.spss import build_export, write_sav
from scoring.formats.syntax import write_sps
from scoring.responses.reading import code_responses
from scoring.responses.scores import keyed_items, score_scales
from scoring.stats.reliability.alpha import alpha
from tests.pspp.sample_export import (
    demo_database,
    every_rule_instrument,
    feedback_instruments,
    feedback_responses,
    long_label_instrument,
    random_answers,
    staff_instruments,
    staff_responses,
    units,
)

PSPP = shutil.which("pspp")
pytestmark = pytest.mark.skipif(PSPP is None, reason="GNU PSPP is not installed (apt-get install pspp; .ci/run installs it)")
WHEN = dt.datetime(2025, 5, 6, 7, 8, tzinfo=dt.timezone.utc)


def run_pspp(syntax: str, folder: Path) -> list[tuple[str, list[list[str]]]]:
    """Run ``syntax`` in PSPP with CSV output; return the tables as (title, rows), failing on
    any error or warning PSPP reports. A ``Scale: name`` line becomes a table of its own."""
    script = folder / "run.sps"
    script.write_text(syntax, encoding="utf-8")
    out = folder / "out.csv"
    done = subprocess.run([PSPP, "-O", "format=csv", "-o", str(out), str(script)], cwd=folder, capture_output=True, text=True, timeout=300)
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    problems = [line for line in (done.stdout + done.stderr + text).splitlines() if "error:" in line.lower() or "warning:" in line.lower()]
    assert done.returncode == 0 and not problems, f"PSPP failed ({done.returncode}):\n{done.stderr}\n{text[:3000]}"
    tables: list[tuple[str, list[list[str]]]] = []
    for row in csv.reader(io.StringIO(text)):
        if len(row) == 1 and (row[0].startswith("Table: ") or row[0].startswith("Scale: ")):
            tables.append((row[0], []))
        elif row and tables:
            tables[-1][1].append(row)
    return tables


def table(tables, title: str) -> list[list[str]]:
    return next(rows for name, rows in tables if name == f"Table: {title}")


@pytest.fixture(scope="module")
def staff():
    return staff_responses("2025-1")


@pytest.fixture(scope="module")
def staff_export(staff):
    return build_export(staff, staff_instruments(), units(), lang="nb", scores=True, round_name="2025-1", exported_at=WHEN)


def test_display_dictionary_shows_our_labels_levels_formats_missing_and_value_labels(staff_export, tmp_path):
    write_sav(staff_export, tmp_path / "runde.sav")
    tables = run_pspp(
        "SET TVARS=NAMES.\nGET FILE='runde.sav'.\nDISPLAY DICTIONARY.\nDISPLAY DOCUMENTS.\nDISPLAY FILE LABEL.\n", tmp_path
    )
    header, *rows = table(tables, "Variables")
    assert header[:4] == ["Name", "Position", "Label", "Measurement Level"] and header[7] == "Print Format"
    shown = {row[0]: dict(zip(header, row)) for row in rows}
    assert list(shown) == [v.name for v in staff_export.variables]
    for var in staff_export.variables:
        row = shown[var.name]
        assert row["Label"] == var.label
        assert row["Measurement Level"] == var.measure.capitalize()
        assert row["Print Format"] == var.format
        assert row["Missing Values"] == ", ".join(format(c, "g") for c in var.missing)
    assert shown["sk_info4"]["Missing Values"] == "9" and shown["sk_info4"]["Print Format"] == "F1.0"
    assert shown["sk_info"]["Measurement Level"] == "Scale" and shown["sk_info"]["Print Format"] == "F5.2"
    assert shown["date"]["Print Format"] == "SDATE10"

    value_rows = table(tables, "Value Labels")[1:]
    labels: dict[str, dict[str, str]] = {}
    current = None
    for name, value, label in (r for r in value_rows if len(r) == 3):
        current = name or current
        labels.setdefault(current, {})[value] = label
    for var in staff_export.variables:
        if var.value_labels:
            expected = {format(c, "g") + ("[a]" if c in var.missing else ""): text for c, text in var.value_labels.items()}
            assert labels[var.name] == expected, var.name
    assert labels["sk_info2"]["9[a]"] == "Vet ikke / ikke relevant"

    documents = table(tables, "Documents")[0][0].split("\n")
    assert documents == staff_export.note_lines()
    assert table(tables, "File Label")[0] == ["Label", "Samklima, runde 2025-1"]


def _alpha_syntax(export, sav: str) -> str:
    """RELIABILITY for each scale on reverse-keyed copies computed here (not by our .sps)."""
    lines = [f"GET FILE='{sav}'.", "SET FORMAT=F12.6."]
    reversed_items = {}
    for spec in export.scales:
        for item in spec.reversed:
            low, high = spec.bounds[item]
            reversed_items[item] = f"COMPUTE {item}_k = {low + high:g} - {item}."
    lines += list(reversed_items.values())
    for spec in export.scales:
        keyed = " ".join(f"{i}_k" if i in spec.reversed else i for i in spec.items)
        lines.append(f"RELIABILITY /VARIABLES={keyed} /SCALE('{spec.name}') ALL /MODEL=ALPHA.")
    return "\n".join(lines) + "\n"


def _pspp_alphas(tables) -> dict[str, tuple[float, int]]:
    """Alpha and valid cases per scale from RELIABILITY's output."""
    found = {}
    scale = None
    for name, rows in tables:
        if name.startswith("Scale: "):
            scale = name.removeprefix("Scale: ")
        elif name == "Table: Case Processing Summary":
            valid = int(next(r[1] for r in rows if r[0] == "Valid"))
        elif name == "Table: Reliability Statistics":
            found[scale] = (float(rows[1][0]), valid)
    return found


@pytest.mark.parametrize("case", ["staff", "feedback"])
def test_pspp_alpha_equals_our_listwise_alpha_for_every_scale(case, staff, tmp_path):
    if case == "staff":
        responses, instruments = staff, staff_instruments()
    else:
        responses, instruments = feedback_responses(), feedback_instruments()
    export = build_export(responses, instruments, units(), exported_at=WHEN)
    write_sav(export, tmp_path / "alpha.sav")
    found = _pspp_alphas(run_pspp(_alpha_syntax(export, "alpha.sav"), tmp_path))
    assert set(found) == {s.name for s in export.scales}
    for inst in instruments:
        keyed = keyed_items(code_responses(responses, inst).items, inst)
        for scale in inst.scales:
            rs = inst.response_scale_of(scale.items[0])
            ours = alpha(keyed[scale.items], missing="listwise", low=rs.min, high=rs.max)
            pspp_alpha, pspp_n = found[scale.id]
            assert pspp_n == ours.n, scale.id
            assert abs(pspp_alpha - ours.alpha) <= 5e-7 + 1e-12, (scale.id, pspp_alpha, ours.alpha)


def _check_sps_scores(export, inst_frames, tmp_path: Path) -> int:
    """Run GET + our .sps + SAVE in PSPP; compare every score with ours; return rows x scores."""
    write_sav(export, tmp_path / "items.sav")
    write_sps(export, tmp_path / "items.sps", data_file="items.sav")
    run_pspp("GET FILE='items.sav'.\nINSERT FILE='items.sps'.\nSAVE OUTFILE='scored.sav'.\n", tmp_path)
    scored, meta = pyreadstat.read_sav(str(tmp_path / "scored.sav"))
    compared = 0
    for inst, responses in inst_frames:
        ours = score_scales(code_responses(responses, inst).items, inst)
        for scale in inst.scales:
            theirs = scored[scale.id].to_numpy()
            mine = ours[scale.id].to_numpy()
            np.testing.assert_array_equal(np.isnan(theirs), np.isnan(mine), err_msg=scale.id)
            np.testing.assert_allclose(theirs[~np.isnan(mine)], mine[~np.isnan(mine)], rtol=0, atol=1e-9, err_msg=scale.id)
            assert meta.variable_measure[scale.id] == "scale"
            compared += len(mine)
    return compared


def test_our_sps_computes_every_staff_score_we_compute_for_every_row(staff, tmp_path):
    export = build_export(staff, staff_instruments(), units(), lang="en", exported_at=WHEN)
    assert not any(v.kind == "score" for v in export.variables)  # the .sps makes them
    compared = _check_sps_scores(export, [(inst, staff) for inst in staff_instruments()], tmp_path)
    assert compared == len(staff) * 14


def test_our_sps_reproduces_every_scoring_rule(mini, tmp_path):
    inst = every_rule_instrument(mini)
    responses = random_answers(inst, 300)
    export = build_export(responses, [inst], min_n=3, exported_at=WHEN)
    assert {s.scale.scoring for s in export.scales} == {"mean", "sum", "prorated_sum", "pomp", "tscore"}
    _check_sps_scores(export, [(inst, responses)], tmp_path)


def test_our_sps_reproduces_sums_of_visual_analogue_items(tmp_path):
    responses = feedback_responses()
    export = build_export(responses, feedback_instruments(), units(), exported_at=WHEN)
    assert export.variable("fu_velvaere").format == "F4.1"
    _check_sps_scores(export, [(inst, responses) for inst in feedback_instruments()], tmp_path)


def test_long_norwegian_labels_and_renamed_variables_open_in_pspp_unchanged(staff, tmp_path):
    inst, _, _ = long_label_instrument()
    table_in = staff.assign(**{"turnus (år)": "dag", "turnus_aar": "natt", "with": "y"})
    export = build_export(table_in, [inst], units(), exported_at=WHEN)
    assert any("renamed" in w for w in export.warnings) and any("shortened" in w for w in export.warnings)
    write_sav(export, tmp_path / "long.sav")
    shown = {r[0]: r for r in table(run_pspp("GET FILE='long.sav'.\nDISPLAY DICTIONARY.\n", tmp_path), "Variables")[1:]}
    assert list(shown) == [v.name for v in export.variables]  # PSPP renamed nothing
    assert shown["sk_info1"][2] == export.variable("sk_info1").label


def test_zsav_opens_in_pspp(staff_export, tmp_path):
    write_export(staff_export, tmp_path / "runde.zsav", "zsav")
    tables = run_pspp("SET TVARS=NAMES.\nGET FILE='runde.zsav'.\nDESCRIPTIVES /VARIABLES=sk_info sk_total.\n", tmp_path)
    rows = {r[0]: r for r in table(tables, "Descriptive Statistics")[1:]}
    assert float(rows["sk_info"][2]) == pytest.approx(np.nanmean(staff_export.frame["sk_info"]), abs=0.005)


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory):
    """``samklima demo`` into a temporary SQLite file and ``samklima export`` of a round."""
    from scoring.cli import main

    folder = tmp_path_factory.mktemp("demo")
    with demo_database(folder):
        assert main(["demo"]) == 0
        assert main(["export", "--round", "2025-1", "--format", "sav", "--scores", "--out", str(folder / "r.sav")]) == 0
    return folder


def test_the_exported_demo_round_and_its_sps_run_in_pspp_and_match_the_scores_in_the_file(demo_export):
    original, _ = pyreadstat.read_sav(str(demo_export / "r.sav"))
    run_pspp("GET FILE='r.sav'.\nINSERT FILE='r.sps'.\nSAVE OUTFILE='again.sav'.\n", demo_export)
    again, _ = pyreadstat.read_sav(str(demo_export / "again.sav"))
    scales = [s.id for inst in staff_instruments() for s in inst.scales]
    assert len(original) == 196
    for scale in scales:
        np.testing.assert_allclose(again[scale].to_numpy(), original[scale].to_numpy(), rtol=0, atol=1e-9, equal_nan=True)


def test_two_rounds_long_and_the_actions_file_open_in_pspp_with_their_syntax(staff, tmp_path):
    """The round variable's value labels (name and dates) reach PSPP; our .sps runs on the
    two-round file and on the actions file without an error or warning."""
    import pandas as pd

    from scoring.formats.actions import actions_export
    from scoring.formats.rounds import ExportRound, long_export

    rounds = [ExportRound("2024-1", "2024-03-01", "2024-03-28", 5, 0), ExportRound("2025-1", "2025-03-01", "2025-03-28", 5, 0)]
    both = pd.concat([staff_responses("2024-1"), staff], ignore_index=True)
    write_export(long_export(both, staff_instruments(), units(), rounds, exported_at=WHEN), tmp_path / "to.sav", "sav")
    actions = pd.DataFrame({"id": [1], "round": ["2024-1"], "unit": ["k1.ho.hj1"], "scale": ["sk_info"], "item": [None],
                            "what": ["Faste møter"], "owner": ["Enhetsleder"], "due": [dt.date(2024, 6, 1)], "status": ["done"],
                            "note": ["Bedre"], "updated_on": [dt.date(2024, 9, 1)]})  # fmt: skip
    write_export(actions_export(actions, units(), [(r.name, r.label) for r in rounds], staff_instruments(), exported_at=WHEN),
                 tmp_path / "to.actions.sav", "sav")  # fmt: skip
    tables = run_pspp(
        "SET TVARS=NAMES TNUMBERS=LABELS.\nGET FILE='to.sav'.\nINSERT FILE='to.sps'.\nFREQUENCIES /VARIABLES=round.\n"
        "GET FILE='to.actions.sav'.\nINSERT FILE='to.actions.sps'.\nLIST.\n",
        tmp_path,
    )
    rows = {r[1]: r[2] for r in table(tables, "round")[1:] if len(r) > 2 and r[1]}
    assert rows["2024-1 (2024-03-01–2024-03-28)"] == str(len(both) - len(staff))
    assert rows["2025-1 (2025-03-01–2025-03-28)"] == str(len(staff))
    listed = table(tables, "Data List")
    assert "Faste møter" in listed[1] and "Enhetsleder" in listed[1]


def test_the_wide_client_file_opens_in_pspp_with_round_labels_and_our_means(tmp_path):
    """The client-feedback wide file (one row per pseudonymous client) and its .sps run in PSPP
    without a warning; the variable labels carry the round, and DESCRIPTIVES gives our means."""
    import pandas as pd

    from scoring.feedback.clients import prepare_contacts
    from scoring.formats.client_rounds import client_wide_export, feedback_scales
    from scoring.formats.rounds import ExportRound

    rounds = [ExportRound("2024-1", "2024-03-01", "2024-03-28", 5, 0), ExportRound("2025-1", "2025-03-01", "2025-03-28", 5, 0)]
    contacts = prepare_contacts(pd.read_csv("sample_data/feedback.csv", dtype={"client": str}))
    export = client_wide_export(contacts, units(), feedback_scales(), rounds, exported_at=WHEN, rng=np.random.default_rng(2))
    write_export(export, tmp_path / "kl.sav", "sav")
    tables = run_pspp(
        "SET TVARS=NAMES FORMAT=F12.6.\nGET FILE='kl.sav'.\nINSERT FILE='kl.sps'.\nDISPLAY LABELS.\n"
        "DESCRIPTIVES /VARIABLES=fu_total_last_r1 fs_total_first_r2 /STATISTICS=MEAN.\n",
        tmp_path,
    )
    labels = {r[0]: r[-1] for r in table(tables, "Variables")[1:] if r}
    assert labels["fu_total_last_r1"] == "Hverdagen min, totalt (0–40): siste i perioden fra runde 2024-1"
    means = {r[0]: float(r[2]) for r in table(tables, "Descriptive Statistics")[1:] if r and r[0] in ("fu_total_last_r1", "fs_total_first_r2")}
    assert means["fu_total_last_r1"] == pytest.approx(export.frame["fu_total_last_r1"].mean(), abs=1e-6)
    assert means["fs_total_first_r2"] == pytest.approx(export.frame["fs_total_first_r2"].mean(), abs=1e-6)
