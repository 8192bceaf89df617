"""``samklima validation-report``: the sample organisation's report (built once for the module,
HTML and PDF) shows the numbers the CLI's own commands print for the same answers, names no
unit and no respondent, and records its id in an instrument file; bad input exits 2."""

from __future__ import annotations

import contextlib
import fcntl
import html
import io
import json
import os
import re
import shutil
import subprocess

import pandas as pd
import pytest

from scoring.cli import main
from scoring.errors import UserError
from scoring.instrument.catalog import bundled, instruments_dir
from scoring.instrument.loading import check_instrument_file, load_instrument
from scoring.reporting.numbers import number
from scoring.reporting.validation import MIN_RESPONDENTS, validation_report
from scoring.responses.reading import code_responses
from scoring.responses.scores import keyed_items
from scoring.samples.demo import load_demo
from scoring.store.db import make_engine
from scoring.store.organisation import read_units
from scoring.store.read import read_responses

ROUND, INST = "2026-1", bundled("samhandlingsklima")


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def cli_json(*args) -> dict:
    code, out, err = run(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def _build(folder) -> None:
    """The demo database, the report of round 2026-1 (HTML in English, PDF, recorded in a copy
    of the instrument file), the round's answers as a CSV file and the report's JSON."""
    url = f"sqlite:///{folder / 'samklima.db'}"
    engine = make_engine(url)
    load_demo(engine)
    read_responses(engine, ROUND).to_csv(folder / "answers.csv", index=False)
    read_units(engine).to_csv(folder / "units.csv", index=False)
    engine.dispose()
    shutil.copy(instruments_dir() / "samhandlingsklima.yaml", folder / "samhandlingsklima.yaml")
    payload = cli_json("validation-report", "--round", ROUND, "--instrument", INST.id, "--out", folder / "report.html",
                       "--out", folder / "report.pdf", "--language", "en", "--record", folder / "samhandlingsklima.yaml", "--db", url)
    (folder / "report.json").write_text(json.dumps(payload), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The report, built once per test run: with pytest-xdist the first worker that needs it
    builds it under a file lock in the run's shared temporary folder, the others wait and read it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of this run
    folder = root / "validation-report"
    folder.mkdir(exist_ok=True)
    with open(root / "validation-report.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "report.json").exists():
            _build(folder)
        fcntl.flock(lock, fcntl.LOCK_UN)
    page = (folder / "report.html").read_text(encoding="utf-8")
    return {"folder": folder, "url": f"sqlite:///{folder / 'samklima.db'}", "report": json.loads((folder / "report.json").read_text()),
            "html": page, "text": html.unescape(re.sub(r"<[^>]+>", " ", page)), "answers": pd.read_csv(folder / "answers.csv"),
            "units": pd.read_csv(folder / "units.csv"), "record": folder / "samhandlingsklima.yaml"}


def shown(text: str, value: float, decimals: int = 3) -> bool:
    return number(value, "en", decimals) in text


def test_reliability_equals_samklima_reliability(built):
    cli = {s["scale"]: s for s in cli_json("reliability", built["folder"] / "answers.csv", "--instrument", INST.id, "--ordinal")["scales"]}
    report = built["report"]["reliability"]
    assert set(report) == {s.id for s in INST.scales}
    for scale, mine in report.items():
        theirs = cli[scale]
        for key in ("alpha", "omega_total", "ordinal_alpha"):
            assert mine[key] == pytest.approx(theirs[key], abs=1e-9), (scale, key)
        assert mine["feldt_ci"] == pytest.approx(theirs["feldt_ci"], abs=1e-9)
        assert mine["duhachek_ci"] == pytest.approx(theirs["duhachek_ci"], abs=1e-9)
        assert mine["n"] == theirs["n"]
        assert shown(built["text"], theirs["alpha"]) and shown(built["text"], theirs["feldt_ci"][0]), scale


def test_efa_and_parallel_analysis_equal_samklima_efa(built):
    cli = cli_json("efa", built["folder"] / "answers.csv", "--instrument", INST.id, "--factors", "8", "--parallel")
    mine = built["report"]["efa"]
    assert mine["factors"] == 8 and mine["parallel_suggested"] == cli["parallel"]["suggested_factors"]
    assert mine["kmo"] == pytest.approx(cli["kmo"]["overall"], abs=1e-9)
    assert mine["bartlett"]["chisq"] == pytest.approx(cli["bartlett"]["chisq"], abs=1e-6)
    assert mine["tli"] == pytest.approx(cli["fit"]["tli"], abs=1e-4) and mine["rmsea"] == pytest.approx(cli["fit"]["rmsea"], abs=1e-4)
    assert shown(built["text"], cli["kmo"]["overall"]) and shown(built["text"], cli["fit"]["rmsea"])


def test_cfa_of_the_intended_structure_equals_samklima_cfa(built):
    cli = cli_json("cfa", built["folder"] / "answers.csv", "--instrument", INST.id, "--missing", "ml")
    mine = built["report"]["cfa"]
    assert mine["n"] == cli["n"] and mine["df"] == cli["fit"]["df"]
    for key in ("chisq", "cfi", "tli", "rmsea", "srmr"):
        assert mine[key] == pytest.approx(cli["fit"][key], rel=1e-4, abs=1e-5), key
    assert shown(built["text"], cli["fit"]["cfi"]) and shown(built["text"], cli["fit"]["chisq"], 2)
    for row in cli["omega"]:
        assert mine["omega"][row["factor"]] == pytest.approx(row["omega"], abs=1e-4)
        assert shown(built["text"], row["omega"]), row["factor"]
    top = mine["modification"]
    assert len(top) == 10 and top[0]["mi"] >= top[-1]["mi"] > 0
    assert f"{top[0]['lhs']} {top[0]['op']} {top[0]['rhs']}" in built["text"]


def test_invariance_across_professions_equals_samklima_cfa_invariance(built, tmp_path):
    verdict = built["report"]["invariance"]["sk_info"]
    answers = built["answers"]
    groups = verdict["groups"]
    assert len(groups) >= 2 and all((answers["role"] == g).sum() >= 30 for g in groups)
    answers[answers["role"].isin(groups)].to_csv(tmp_path / "groups.csv", index=False)
    cli = cli_json("cfa", tmp_path / "groups.csv", "--instrument", INST.id, "--scale", "sk_info", "--group", "role", "--invariance",
                   "--missing", "ml")
    steps = {s["model"]: s for s in verdict["steps"]}
    for row in cli["invariance"]:
        assert steps[row["model"]]["cfi"] == pytest.approx(row["cfi"], abs=1e-4), row["model"]
    assert shown(built["text"], steps["metric"]["delta_cfi"])


def test_graded_model_equals_samklima_irt(built, tmp_path):
    answers = built["answers"]
    items = list(INST.scale("sk_info").items)
    keyed = keyed_items(code_responses(answers[["response", "unit", "round", *INST.item_ids]], INST).items, INST)
    keyed[items].to_csv(tmp_path / "keyed.csv", index=False)
    cli = cli_json("irt", tmp_path / "keyed.csv", "--items", *items)
    mine = built["report"]["irt"]["sk_info"]
    assert mine["marginal_reliability"] == pytest.approx(cli["marginal_reliability"], abs=1e-4)
    for item in items:
        assert mine["a"][item] == pytest.approx(cli["parameters"][item]["a"], abs=1e-3)
    assert shown(built["text"], cli["marginal_reliability"])


def test_item_distributions_equal_samklima_item_quality(built):
    cli = cli_json("item-quality", built["folder"] / "answers.csv", "--instrument", INST.id, "--scale", "sk_trygg")
    for item, row in cli["items"].items():
        line = re.search(rf"{item} (.*?)(?=sk_trygg\d|R code)", built["text"], re.S).group(1)
        assert number(row["item_rest_r"], "en", 3) in line and number(row["information"], "en", 3) in line, item


def test_item_warnings_are_those_of_samklima_item_quality(built):
    """Each scale's items with warnings in the CLI (``warnings``) are listed under the report's
    warnings, the others are not; a scale without any says so."""
    from scoring.reporting.validation_texts import text

    said = 0
    for scale in INST.scales:
        cli = cli_json("item-quality", built["folder"] / "answers.csv", "--instrument", INST.id, "--scale", scale.id)
        start = built["text"].index("Item distributions")
        items_part = built["text"][start:built["text"].index("R code", start)] + "R code"  # the section (no total scale)
        section = re.search(rf"\({scale.id}\)(.*?)(?:\(sk_[a-z]+\)|R code)", items_part, re.S)
        if section is None:
            continue
        body = section.group(1)
        warned = [item for item, row in cli["items"].items() if row["warnings"]]
        if not warned:
            assert " ".join(text("no_item_warnings", "en").split()) in " ".join(body.split()), scale.id
            continue
        listing = " ".join(body.split(text("item_warnings", "en"))[1].split())
        assert [item for item in cli["items"] if re.search(rf"\b{item}\b", listing)] == warned, scale.id
        said += len(warned)
    assert said > 0, "the sample organisation has items with warnings (e.g. little information)"


def test_aggregation_equals_samklima_aggregate_and_uses_only_units_with_min_n(built):
    cli = {s["scale"]: s for s in cli_json("aggregate", built["folder"] / "answers.csv", "--unit", "unit", "--instrument", INST.id)["scales"]}
    for scale, mine in built["report"]["aggregation"].items():
        assert mine["icc1"] == pytest.approx(cli[scale]["icc1"], abs=1e-12) and mine["icc2"] == pytest.approx(cli[scale]["icc2"], abs=1e-12)
        assert mine["units_shown"] == cli[scale]["n_shown"] and mine["rwg_j_median"] == pytest.approx(cli[scale]["rwg_j_median"])
        assert mine["units_shown"] == sum(1 for u in cli[scale]["units"] if not u["suppressed"] and u["n"] >= built["report"]["min_n"])
        assert shown(built["text"], cli[scale]["icc1"]), scale


def test_norms_are_the_scale_scores_sd_and_reliable_change(built, tmp_path):
    code, _, err = run("score", "--instrument", INST.id, built["folder"] / "answers.csv", "--out", tmp_path / "scores.csv")
    assert code == 0, err
    scores = pd.read_csv(tmp_path / "scores.csv")
    for scale, row in built["report"]["norms"].items():
        assert row["mean"] == pytest.approx(scores[scale].mean()) and row["sd"] == pytest.approx(scores[scale].std())
        alpha = built["report"]["reliability"][scale]["alpha"]
        assert row["rci"] == pytest.approx(1.96 * 2**0.5 * scores[scale].std() * (1 - alpha) ** 0.5)
        assert shown(built["text"], row["sd"]) and shown(built["text"], row["rci"])


def test_the_html_is_self_contained_with_svg_charts_and_r_code(built):
    page = built["html"]
    assert page.count("<svg") == 2 and "<script" not in page and not re.search(r"(src|href)=\"https?:", page)
    for call in ("psych", "fa.parallel", "lavaan", "modindices", "semTools", "mirt(", "multilevel", "rwg.j"):
        assert call in page, call
    assert built["report"]["id"] in page


def test_no_unit_and_no_respondent_is_named(built):
    text, answers = built["text"], built["answers"]
    assert not any(re.search(rf"\b{re.escape(u)}\b", text) for u in built["units"]["unit"])
    assert not any(r in text for r in answers["response"].head(50))
    for table in built["report"]["background"].values():
        assert not table["shown"] or all(n >= built["report"]["min_n"] for n in table["rows"].values())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_shows_the_same_numbers(built):
    text = subprocess.run(["pdftotext", str(built["folder"] / "report.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    report = built["report"]
    assert report["id"] in text
    for scale in ("sk_info", "sk_total"):
        assert number(report["reliability"][scale]["alpha"], "en", 3) in text
    assert number(report["cfa"]["cfi"], "en", 3) in text


def test_the_report_id_is_recorded_in_the_instrument_file(built):
    inst = load_instrument(built["record"])
    assert inst.validation.report == built["report"]["id"] and inst.validation.round == ROUND
    assert inst.validation.n == built["report"]["n"] and inst.status == "unvalidated"
    text = built["record"].read_text(encoding="utf-8")
    original = (instruments_dir() / "samhandlingsklima.yaml").read_text(encoding="utf-8")
    assert re.sub(r"^validation:.*\n(?:  .*\n)*", "", text, flags=re.M) == original, "only the validation block is added"


def test_status_validated_needs_a_validation_block(tmp_path):
    path = tmp_path / "sk.yaml"
    path.write_text((instruments_dir() / "samhandlingsklima.yaml").read_text(encoding="utf-8").replace("status: unvalidated", "status: validated"),
                    encoding="utf-8")
    _, problems = check_instrument_file(path)
    assert [p.path for p in problems] == ["status"] and "validation" in problems[0].message


@pytest.mark.parametrize("args, message", [
    (["--round", "nope"], "no round named 'nope'"),
    (["--instrument", "nope"], "no bundled instrument 'nope'"),
    (["--instrument", "feedback-utfall"], "did not ask 'feedback-utfall'"),
    (["--out", "report.docx"], "must end in .html or .pdf"),
    (["--language", "se"], "unknown language 'se'"),
])
def test_bad_input_exits_2_with_one_clear_message(built, tmp_path, args, message):
    options = {"--round": ROUND, "--instrument": INST.id, "--out": str(tmp_path / "r.html"), "--language": "nb"}
    options.update(dict(zip(args[::2], args[1::2])))
    code, out, err = run("validation-report", *[x for kv in options.items() for x in kv], "--db", built["url"])
    assert code == 2 and message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_record_refuses_the_file_of_another_instrument(built, tmp_path):
    other = tmp_path / "mb.yaml"
    shutil.copy(instruments_dir() / "medbestemmelse.yaml", other)
    code, _, err = run("validation-report", "--round", ROUND, "--instrument", INST.id, "--out", tmp_path / "r.html", "--record", other,
                       "--db", built["url"])
    assert code == 2 and "is instrument 'medbestemmelse', not 'samhandlingsklima'" in err
    assert not (tmp_path / "r.html").exists() and "validation:" not in other.read_text(encoding="utf-8")


def test_too_few_answers_is_a_clear_error(built):
    few = built["answers"].head(MIN_RESPONDENTS - 1)
    with pytest.raises(UserError, match=f"needs at least {MIN_RESPONDENTS}"):
        validation_report(few, INST, ROUND)


def test_background_groups_below_min_n_are_merged_until_the_other_group_has_min_n():
    from scoring.reporting.validation import background_tables

    roles = ["sykepleier"] * 12 + ["lege"] * 2 + ["psykolog"] * 6 + ["sosionom"] * 1
    table = next(t for t in background_tables(pd.DataFrame({"role": roles}), min_n=5) if t.question == "role")
    assert table.shown and dict(table.rows) == {"sykepleier": 12, "other": 9}, "lege and sosionom (3) take psykolog (6) along"
    assert all(n >= 5 for _, n in table.rows) and sum(n for _, n in table.rows) == len(roles)


def test_every_report_text_is_in_bokmal_nynorsk_and_english():
    from scoring.reporting.validation_texts import LANGUAGES, REASONS, TEXT

    for key, entry in {**TEXT, **REASONS}.items():
        assert set(entry) == set(LANGUAGES) and all(entry[lang].strip() for lang in LANGUAGES), key
