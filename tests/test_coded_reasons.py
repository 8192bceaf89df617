"""Why a statistic is missing, and an export's notes, reach pages in the page's language: every
:class:`scoring.errors.Coded` made in ``scoring/`` names a code of :data:`scoring.messages.MESSAGES`
with exactly that text's ``{params}``, while its English (or file-language) string is unchanged
for the command line, logs and the files."""

from __future__ import annotations

import ast
import pickle
import string

import numpy as np
import pandas as pd
import pytest

from dashboard.problems import reason_text
from scoring.errors import Coded, coded_from_dict, library_reason
from scoring.formats.client_rounds import CLIENT_TEXT
from scoring.formats.rounds import ROUND_TEXT
from scoring.formats.spss import NOTES
from scoring.messages import MESSAGES, coded_text, technical_details
from scoring.reporting.invariance import MIN_GROUP, InvarianceVerdict, invariance_across_professions
from scoring.stats.cfa.estimate import cfa
from scoring.stats.irt.dif import dif_graded
from scoring.stats.reliability.alpha import alpha
from tests.conftest import REPO


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def coded_calls() -> list[tuple[str, int, str, set[str]]]:
    """(file, line, code, keyword names) of every ``Coded(message, "code", ...)`` and
    ``file_note(table, key, lang, "code", ...)`` in scoring/ (not the two that pass a code on)."""
    found = []
    for path in sorted((REPO / "scoring").rglob("*.py")):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node.func, "id", None) if isinstance(node, ast.Call) else None
            if name in ("Coded", "file_note"):
                at = 1 if name == "Coded" else 3
                code = node.args[at] if len(node.args) > at else None
                if isinstance(code, ast.Name) and code.id == "code":  # file_note's own Coded
                    continue
                if isinstance(code, ast.Constant):
                    found.append((str(path.relative_to(REPO)), node.lineno, code.value, {k.arg for k in node.keywords}))
                elif not (isinstance(code, ast.JoinedStr) and "step_" in ast.unparse(code)):
                    found.append((str(path.relative_to(REPO)), node.lineno, ast.unparse(code) if code else "", set()))
    return found


def test_every_coded_reason_in_scoring_has_nb_nn_and_en_texts_with_its_params():
    calls = coded_calls()
    assert len(calls) >= 40, "the scan finds the reasons"
    for where, line, code, params in calls:
        assert code in MESSAGES, f"{where}:{line}: unknown code {code!r}"
        assert placeholders(MESSAGES[code]["nn"]) == params - {"detail"}, f"{where}:{line}: params {params} for {code}"
        assert all(placeholders(MESSAGES[code][lang]) == placeholders(MESSAGES[code]["nn"]) for lang in ("nb", "en")), code
    for step in ("configural", "metric", "scalar"):  # Coded(name, f"step_{name}") in scoring/reporting/invariance.py
        assert f"step_{step}" in MESSAGES


@pytest.mark.parametrize(("table", "key", "code"), [
    (NOTES, "identifiers", "export_identifiers"), (NOTES, "min_n_none", "export_min_n_none"),
    (NOTES, "min_n_merged", "export_min_n_merged"), (NOTES, "min_n_withheld", "export_min_n_withheld"),
    (NOTES, "no_units", "export_no_units"), (CLIENT_TEXT, "identifiers", "client_identifiers"),
    (CLIENT_TEXT, "none", "client_min_n_none"), (CLIENT_TEXT, "merged", "client_min_n_merged"),
    (CLIENT_TEXT, "withheld", "client_min_n_withheld"), (ROUND_TEXT, "wide_rows", "export_wide_rows"),
])
def test_an_export_notes_page_text_is_the_files_text(table, key, code):
    """The nb and en notes the page shows are word for word those written into the files."""
    assert MESSAGES[code]["nb"] == table[key]["nb"] and MESSAGES[code]["en"] == table[key]["en"]


def test_a_failed_cfa_says_why_in_nynorsk_and_keeps_its_english_for_the_cli():
    frame = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2], "b": [3, 3, 3, 3, 3, 3], "c": [2, 3, 1, 4, 5, 1]}, dtype=float)
    fit = cfa(frame, "F =~ a + b + c")
    assert fit.reason == "constant item(s): b" and fit.reason.code == "constant_items"
    assert reason_text(fit.reason, "nn") == "Alle har svara det same på b."
    assert reason_text(fit.reason, "nb") == "Alle har svart det samme på b."


def test_two_groups_and_too_few_rows_are_said_inside_one_another():
    frame = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 4, 4, 1], "c": [2, 3, 1, 4, 5], "g": list("xxxxy")})
    fit = cfa(frame, "F =~ a + b + c", group="g")
    assert fit.reason == "too few rows in group y (1)"
    assert reason_text(fit.reason, "nn") == "I gruppa y: For få svar (1)."
    assert reason_text(fit.reason, "en") == "In group y: Too few rows (1)."


def test_alpha_warnings_and_a_dif_refusal_carry_codes():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.integers(1, 6, 60), "b": np.full(60, 3), "c": rng.integers(1, 6, 60)}).astype(float)
    warnings = alpha(frame, low=1, high=5).warnings
    assert "Alle har svara det same på spørsmålet b; det er utelate frå koeffisientane." in [reason_text(w, "nn") for w in warnings]
    with pytest.raises(ValueError) as refused:
        dif_graded(frame[["a", "c"]], ["x"] * 55 + ["y"] * 5)
    why = refused.value.args[0]
    assert why.code == "dif_group_small" and reason_text(why, "nn") == "Gruppa «y» har 5 svar; DIF treng minst 50 i kvar gruppe."


def test_a_librarys_own_words_are_a_generic_sentence_and_a_marked_detail():
    generic = "Ei utrekning melde om eit teknisk problem (sjå teknisk detalj)."
    assert reason_text("Desired error not necessarily achieved due to precision loss.", "nn") == generic
    assert reason_text("something the library said", "en").startswith("A computation reported a technical problem")
    assert technical_details("something the library said") == ["something the library said"]
    assert coded_text("something", "nn") is None
    nested = Coded("omega could not be computed: singular matrix", "omega_failed", reason=library_reason("singular matrix"))
    assert reason_text(nested, "nb") == "Omega kunne ikke beregnes: En beregning meldte om et teknisk problem (se teknisk detalj)."
    assert technical_details(nested) == ["singular matrix"]
    stuck = Coded("the fit did not converge (ABNORMAL_TERMINATION_IN_LNSRCH)", "irt_fit_no_convergence", detail="ABNORMAL_TERMINATION_IN_LNSRCH")
    assert "ABNORMAL" not in reason_text(stuck, "nn") and technical_details(stuck) == ["ABNORMAL_TERMINATION_IN_LNSRCH"]
    assert technical_details(Coded("too few rows (2)", "too_few_rows", rows=2)) == [], "a coded reason has no detail"


WARNED = ("warnings", "out")


def plain_words(arg) -> bool:
    """Whether ``arg`` is (or may be) a sentence not wrapped in ``Coded``."""
    if isinstance(arg, ast.IfExp):
        return plain_words(arg.body) or plain_words(arg.orelse)
    if isinstance(arg, ast.Call):
        return False
    return any(isinstance(n, ast.JoinedStr) or (isinstance(n, ast.Constant) and isinstance(n.value, str)) for n in ast.walk(arg))


def criteria(node) -> list:
    """The names a list of criteria holds (``out.append("delta_cfi")``), no sentence."""
    arg = node.args[0] if isinstance(node, ast.Call) else None
    return [arg] if isinstance(arg, ast.Constant) and str(arg.value).isidentifier() else []


def uncoded_warnings() -> list[str]:
    """``warnings.append("...")`` (or ``out.append``, ``warnings += [f"..."]``) of a plain string
    in scoring/stats and scoring/reporting: a note that would reach a page in English."""
    found = []
    for folder in ("stats", "reporting"):
        for path in sorted((REPO / "scoring" / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                added = []
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append" \
                        and getattr(node.func.value, "id", None) in WARNED and node.args:
                    added = [node.args[0]]
                elif isinstance(node, ast.AugAssign) and getattr(node.target, "id", None) in WARNED:
                    value = node.value
                    added = [value.elt] if isinstance(value, ast.ListComp) else list(getattr(value, "elts", []))
                for arg in added:
                    if plain_words(arg) and arg not in criteria(node):
                        found.append(f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(arg)[:70]}")
    return found


def test_no_note_of_scoring_stats_reaches_a_page_uncoded():
    assert uncoded_warnings() == []


def test_a_reason_survives_the_cache_and_the_stored_verdict():
    inner = Coded("too few rows (2)", "too_few_rows", rows=2)
    outer = Coded("too few rows in group B (2)", "in_group", reason=inner, group="B")
    again = pickle.loads(pickle.dumps(outer))
    assert again == outer and reason_text(again, "nn") == "I gruppa B: For få svar (2)."
    assert reason_text(coded_from_dict(str(outer), outer.to_dict()), "nn") == "I gruppa B: For få svar (2)."
    assert coded_from_dict("old English reason", None) == "old English reason", "a verdict stored before the codes"
    responses = pd.DataFrame({"role": ["a"] * 300 + ["b"] * 3})
    verdict = invariance_across_professions(responses, None, "s", min_n=5)
    stored = InvarianceVerdict.from_dict(verdict.to_dict())
    least = max(MIN_GROUP, 5)
    assert stored.reason == f"fewer than two professions with at least {least} respondents"
    assert reason_text(stored.reason, "nn") == f"Færre enn to yrkesgrupper har minst {least} svar."


def test_the_validation_report_says_a_coded_fit_reason_in_its_language():
    from scoring.errors import Coded
    from scoring.reporting.validation_document import said

    why = Coded("too few rows (2)", "too_few_rows", rows=2)
    assert said(why, "nn") == "For få svar (2)." and said(why, "en") != "" and said("plain English", "nb") == "plain English"
