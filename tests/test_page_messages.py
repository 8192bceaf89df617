"""Every message a page shows is in the page's language, the library's refusals included.

Two halves: the pages' source never puts the text of a caught exception on the page (only its
translated form through :mod:`dashboard.problems`), and the refusals a page can meet (an
uploaded headcount table, a new round, an action, a contact correction, an account) carry a
message code, so that they read in bokmål and nynorsk, with the row and the field in front.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from dashboard.problems import problem_line, problems_markdown, summary_line
from scoring.errors import Problem, UserError
from scoring.messages import MESSAGES
from scoring.store import api
from scoring.store.access import Principal
from scoring.store.contact_corrections import check_reason
from scoring.store.plans import add_action
from tests.conftest import REPO
from tests.store.test_store import STAFF, db_url, engine, org  # noqa: F401 - the store's fixtures

SHOWN_BY = {"error", "warning", "info", "success", "toast", "markdown", "caption", "write", "text", "exception"}
SAFE_ATTRIBUTES = {"reason", "minutes_left", "url", "opens"}  # translated by the page (a key or a number)


def _page_files() -> list[Path]:
    return sorted((REPO / "dashboard").rglob("*.py")) + [REPO / "app.py"]


def _raw_exception_uses(tree: ast.AST) -> list[int]:
    """Lines where a name bound by ``except ... as name`` reaches a call that shows text
    (``st.error(str(err))``, ``st.warning(f"{err}")``, ``plain(err)``): anything but a
    translated attribute (:data:`SAFE_ATTRIBUTES`) or the refusal helpers."""
    caught = {h.name for h in ast.walk(tree) if isinstance(h, ast.ExceptHandler) and h.name}
    found = []
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in SHOWN_BY):
            continue
        for arg in [*call.args, *(k.value for k in call.keywords)]:
            safe = {id(n.value) for n in ast.walk(arg) if isinstance(n, ast.Attribute) and n.attr in SAFE_ATTRIBUTES}
            inner_calls = [n for n in ast.walk(arg) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
            for helper in inner_calls:  # problems_markdown(err, lang) translates; str(err) does not
                if helper.func.id in {"problems_markdown", "show_refusal"}:
                    safe |= {id(a) for a in helper.args}
            if any(isinstance(n, ast.Name) and n.id in caught and id(n) not in safe for n in ast.walk(arg)):
                found.append(call.lineno)
    return found


def test_no_page_shows_the_raw_text_of_an_exception():
    offenders = [f"{path.relative_to(REPO)}:{line}" for path in _page_files() for line in _raw_exception_uses(ast.parse(path.read_text()))]
    assert offenders == [], "show a caught error through dashboard.problems (codes in nb/nn/en), not its text: " + ", ".join(offenders)


def test_the_scan_finds_raw_exception_text():
    source = "try:\n    x()\nexcept UserError as err:\n    st.error(t('k', lang) + str(err))\n"
    assert _raw_exception_uses(ast.parse(source)) == [4]
    fine = "try:\n    x()\nexcept Locked as err:\n    st.warning(t('k', lang, minutes=err.minutes_left()))\n    st.error(problems_markdown(err, lang))\n"
    assert _raw_exception_uses(ast.parse(fine)) == []


def refusal(call) -> UserError:
    with pytest.raises(UserError) as caught:
        call()
    return caught.value


def assert_translated(err: UserError) -> None:
    """Every problem has a code whose nb and nn texts are shown, never the English message."""
    assert all(p.code in MESSAGES for p in err.problems), [(p.code, p.message) for p in err.problems if p.code not in MESSAGES]
    for lang in ("nb", "nn"):
        shown = problems_markdown(err, lang)
        for p in err.problems:
            assert p.message not in shown, (lang, p.message)
        assert "Detaljer (på engelsk)" not in shown and "Detaljar (på engelsk)" not in shown


def test_a_refused_headcount_table_reads_in_nynorsk_row_by_row(org, engine, tmp_path):  # noqa: F811
    table = pd.DataFrame({
        "unit": ["ukjent", org.unit, org.unit, org.unit],
        "round": ["2026-1", "ingen-runde", "2026-1", "2026-1"],
        "invited": ["4", "5", "mange", "3"],
    })
    err = refusal(lambda: api.import_headcount(engine, table, file="hoder.csv"))
    assert_translated(err)
    assert [problem_line(p, "nn") for p in err.problems] == [
        "Rad 1, Eining: Ukjend eining «ukjent».",
        "Rad 2, Runde: Det finst inga runde som heiter «ingen-runde».",
        "Rad 3, Talet på inviterte (invited): Må vere eit heilt tal frå 0, ikkje «mange».",
    ]
    assert summary_line(err, "nn") == "3 problem i alt, alle er lista. Ingenting vart lagra."
    assert problem_line(err.problems[0], "nb") == "Rad 1, Enhet: Ukjent enhet «ukjent»."
    assert problems_markdown(err, "nn").count("\n- ") == 3, "a list: three problems and the summary"


def test_headcount_files_that_cannot_be_read_are_refused_in_the_pages_language(org, engine, tmp_path):  # noqa: F811
    latin1 = tmp_path / "hoder.csv"
    latin1.write_bytes("unit,round,invited\nBærum,2026-1,4\n".encode("latin-1"))
    err = refusal(lambda: api.import_headcount(engine, latin1, file="hoder.csv"))
    assert_translated(err)
    assert problem_line(err.problems[0], "nn").startswith("Fila er ikkje UTF-8-tekst")
    missing = tmp_path / "mangler.csv"
    missing.write_text("unit,invited\nx,4\n", encoding="utf-8")
    err = refusal(lambda: api.import_headcount(engine, missing, file="mangler.csv"))
    assert_translated(err)
    assert problem_line(err.problems[0], "nb") == "Kolonnen «round» mangler (forventede kolonner: unit, round, invited)."
    national = pd.DataFrame({"unit": ["01013950187"], "round": ["2026-1"], "invited": ["4"]})
    err = refusal(lambda: api.import_headcount(engine, national, file="hoder.csv"))
    assert_translated(err)
    assert problem_line(err.problems[0], "nn").startswith("Rad 1, Eining: Dette ser ut som eit fødselsnummer")


def test_a_refused_round_reads_in_nynorsk(org, engine):  # noqa: F811
    err = refusal(lambda: api.create_round(engine, "ny", STAFF, ["finst-ikkje"]))
    assert_translated(err)
    assert problem_line(err.problems[0], "nn") == "Einingar: Ukjende einingar: finst-ikkje."
    err = refusal(lambda: api.create_round(engine, "ny", STAFF, "all", languages=["se"]))
    assert_translated(err)
    assert problem_line(err.problems[0], "nn").startswith("Språk: Språk som ikkje alle spørjeskjemaa har: se")
    err = refusal(lambda: api.create_round(engine, "x" * 300, STAFF, "all"))
    assert_translated(err)
    assert problem_line(err.problems[0], "nb").startswith("Navn: Teksten er for lang: høyst")


def test_actions_corrections_and_accounts_are_refused_with_codes(org, engine):  # noqa: F811
    viewer = Principal(username="forsker", role="researcher")
    assert_translated(refusal(lambda: add_action(engine, principal=viewer, unit=org.unit, round_name="2026-1", scale="sk_info", what="x",
                                                 owner="leder")))
    assert_translated(refusal(lambda: check_reason("  ")))
    assert_translated(refusal(lambda: api.set_role(engine, "ingen", "admin")))
    err = refusal(lambda: api.create_account(engine, "kari", "et-langt-passord-her", "sjef"))
    assert_translated(err)
    assert problem_line(err.problems[0], "nn") == "Rolle: Ukjend rolle «sjef» (bruk admin, coordinator, manager, researcher, clinician)."


def test_an_empty_or_locked_respondent_submission_has_a_code():
    from scoring.store.code_attempts import CodeLocked
    from scoring.store.submit import EmptyResponse

    assert_translated(EmptyResponse())
    assert_translated(CodeLocked(dt.datetime(2026, 1, 1)))


def test_a_problem_without_a_code_is_wrapped_in_the_pages_language():
    problem = Problem("'invited' must be a whole number >= 0, not 'x'", file="hoder.csv", row=3, path="invited")
    assert problem_line(problem, "nn") == "Dette vart ikkje godteke. Detaljar (på engelsk): " + str(problem)
    assert problem_line(problem, "nb").startswith("Dette ble ikke godtatt. Detaljer (på engelsk): ")
    assert problem_line(problem, "en") == str(problem)


def test_a_refused_units_table_reads_in_nynorsk_row_by_row(engine):  # noqa: F811
    table = pd.DataFrame({
        "unit": ["k1", "k1.a", "k1.a", "k1.b", "k1.c"],
        "name": ["Kommunen", "A", "A igjen", "", "C"],
        "parent": ["", "k1", "k1", "k1", "ingen"],
        "unit_type": ["kommune", "team", "team", "team", "team"],
    })
    err = refusal(lambda: api.import_units(engine, table, file="einingar.csv"))
    assert_translated(err)
    assert [problem_line(p, "nn") for p in err.problems] == [
        "Rad 3, Eining: Einings-id-en «k1.a» står alt på rad 2.",
        "Rad 4, Namn: Cella er tom.",
        "Rad 5, Overordna eining (parent): Ukjend overordna eining «ingen» (ikkje i fila og ikkje lagra).",
    ]


RESULT_TEXTS = {"reason", "fit_reason", "information_reason", "warnings", "anonymity", "reasons"}
"""Attributes and keys of results whose text the library writes (English, or an export's language)."""
TRANSLATORS = {"reason_text", "hidden_label", "len", "bool"}


def _untranslated_result_texts(tree: ast.AST) -> list[int]:
    """Lines where a page shows a result's reason, warnings or notes (``q.fit_reason``,
    ``result["warnings"]``, a name looped over them) other than through :func:`reason_text`."""
    looped = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.For, ast.comprehension)):
            source = node.iter.func.value if isinstance(node.iter, ast.Call) and isinstance(node.iter.func, ast.Attribute) else node.iter
            key = source.attr if isinstance(source, ast.Attribute) else getattr(getattr(source, "slice", None), "value", None)
            if key in RESULT_TEXTS:  # of ``.items()`` only the value is the library's text
                target = node.target.elts[1:] if isinstance(node.target, ast.Tuple) and source is not node.iter else [node.target]
                looped |= {n.id for t in target for n in ast.walk(t) if isinstance(n, ast.Name)}
    found = []
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in SHOWN_BY):
            continue
        inside = {id(n) for helper in ast.walk(call) if isinstance(helper, ast.Call) and getattr(helper.func, "id", None) in TRANSLATORS
                  for n in ast.walk(helper)}
        inside |= {id(n) for loop in ast.walk(call) if isinstance(loop, ast.comprehension) for n in ast.walk(loop.iter)}  # looped over, not shown
        for node in ast.walk(call):
            if id(node) in inside:
                continue
            shown = (isinstance(node, ast.Attribute) and node.attr in RESULT_TEXTS and isinstance(node.ctx, ast.Load)) or (
                isinstance(node, ast.Subscript) and getattr(node.slice, "value", None) in RESULT_TEXTS) or (
                isinstance(node, ast.Name) and node.id in looped and isinstance(node.ctx, ast.Load))
            if shown:
                found.append(call.lineno)
                break
    return found


def test_no_page_shows_a_results_reason_or_notes_in_the_librarys_words():
    """Why a fit failed, a computation's warnings and an export's notes reach a page as
    :class:`scoring.errors.Coded` texts, said in the page's language by dashboard.problems.reason_text."""
    pages = sorted((REPO / "dashboard" / "pages").glob("*.py"))
    offenders = [f"{path.relative_to(REPO)}:{line}" for path in pages for line in _untranslated_result_texts(ast.parse(path.read_text()))]
    assert offenders == [], "show a result's reason or notes through dashboard.problems.reason_text: " + ", ".join(offenders)


def test_the_scan_finds_a_reason_shown_as_the_library_wrote_it():
    bad = ast.parse('st.warning(t("x", lang, reason=q.fit_reason))\nfor w in r["warnings"]:\n    st.markdown(f"- {w}")\n'
                    'st.caption(t("y", lang, reason=reason_text(q.fit_reason, lang)))\n'
                    'st.markdown("\\n".join(f"- {line}" for line in r["anonymity"]))\n'
                    'for item, why in r.reasons.items():\n    st.caption(f"{item}: {reason_text(why, lang)}")')
    assert sorted(_untranslated_result_texts(bad)) == [1, 3, 5]
