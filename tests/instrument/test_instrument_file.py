"""Instrument files: every rule in the validator, located by line, column and field path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.errors import UserError
from scoring.instrument.catalog import bundled_all, bundled_files
from scoring.instrument.loading import check_instrument_file, load_instrument

MINI = (Path(__file__).parents[1] / "fixtures" / "mini.yaml").read_text(encoding="utf-8")


def check(tmp_path, text):
    path = tmp_path / "inst.yaml"
    path.write_text(text, encoding="utf-8")
    return check_instrument_file(path)[1]


def one(tmp_path, text):
    found = check(tmp_path, text)
    assert len(found) >= 1, "expected a problem"
    return found


def test_mini_fixture_is_valid(tmp_path):
    assert check(tmp_path, MINI) == []


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    (p,) = one(tmp_path, MINI.replace("version: \"0.1\"", "version: [0.1"))
    assert p.line is not None and p.column is not None and "YAML syntax" in p.message


def test_unknown_field_is_located(tmp_path):
    (p,) = one(tmp_path, MINI.replace("    reverse: true\n", "    reverse: true\n    colour: red\n"))
    assert p.path == "items[2].colour" and "unknown field" in p.message
    assert MINI.splitlines()[p.line - 2].strip() == "reverse: true"


def test_missing_field_is_named(tmp_path):
    (p,) = one(tmp_path, MINI.replace("version: \"0.1\"\n", ""))
    assert p.path == "version" and "required field 'version' is missing" in p.message


def test_duplicate_item_id(tmp_path):
    found = one(tmp_path, MINI.replace("id: mi_a4", "id: mi_a1", 1))
    assert any(p.path == "items[3].id" and "duplicate id" in p.message for p in found)


def test_ids_differing_only_in_case_are_duplicates(tmp_path):
    found = one(tmp_path, MINI.replace("id: mi_a4", "id: MI_A1", 1))
    assert any("differs only in case" in p.message for p in found)


def test_scale_naming_unknown_item(tmp_path):
    found = one(tmp_path, MINI.replace("items: [mi_v1, mi_v2]", "items: [mi_v1, mi_v3]"))
    (p,) = found
    assert p.path == "scales[3].items[1]" and "unknown item 'mi_v3'" in p.message
    assert "mi_v3" in MINI.replace("mi_v1, mi_v2]", "mi_v1, mi_v3]").splitlines()[p.line - 1]


@pytest.mark.parametrize("bad", ["with", "WITH", "All", "1abc", "abc_", "abc.", "a-b", "æble", "a" * 65])
def test_item_ids_must_be_spss_names(tmp_path, bad):
    found = one(tmp_path, MINI.replace("id: mi_a4", f"id: {bad}").replace("mi_a3, mi_a4]", f"mi_a3, {bad}]"))
    assert any(p.path == "items[3].id" for p in found), found


def test_declared_language_without_translation(tmp_path):
    (p,) = one(tmp_path, MINI.replace("text: {nb: Vi møtes jevnlig., en: We meet regularly.}", "text: {nb: Vi møtes jevnlig.}"))
    assert p.path == "items[3].text" and "no 'en' text" in p.message


def test_min_not_below_max(tmp_path):
    found = one(tmp_path, MINI.replace("    min: 0\n    max: 10", "    min: 10\n    max: 10"))
    assert any(p.path == "response_scales.vas.min" and "must be below max" in p.message for p in found)


def test_missing_code_inside_valid_range(tmp_path):
    (p,) = one(tmp_path, MINI.replace("      9: {nb: Vet ikke", "      3: {nb: Vet ikke"))
    assert "inside the valid range" in p.message and p.path.startswith("response_scales.enig5.missing")


def test_reverse_item_on_scale_without_numeric_limits(tmp_path):
    text = MINI.replace(
        "response_scales:\n",
        "response_scales:\n  yrke:\n    kind: nominal\n    labels:\n      1: {nb: Lege, en: Doctor}\n      2: {nb: Annet, en: Other}\n",
    ).replace("    response_scale: enig5\n    reverse: true", "    response_scale: yrke\n    reverse: true")
    found = one(tmp_path, text)
    assert any(p.path == "items[2].reverse" and "no numeric min/max" in p.message for p in found)


def test_sum_scoring_needs_every_item(tmp_path):
    (p,) = one(tmp_path, MINI.replace("    scoring: sum\n    min_answered: 1", "    scoring: sum\n    min_answered: 0.5"))
    assert p.path == "scales[3].min_answered"


def test_load_raises_user_error_with_all_problems(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(MINI.replace("id: mi_a4", "id: with").replace("mi_a3, mi_a4]", "mi_a3, mi_zz]"), encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_instrument(path)
    assert len(err.value.problems) >= 2


def test_every_bundled_instrument_validates():
    files = bundled_files()
    assert {f.stem for f in files} >= {"samhandlingsklima", "medbestemmelse", "feedback-utfall", "feedback-samtale"}
    for f in files:
        assert check_instrument_file(f)[1] == [], f
    ids = [i for inst in bundled_all() for i in inst.item_ids]
    assert len(ids) == len({i.lower() for i in ids}), "item ids must be unique across instruments"


def test_bundled_instruments_follow_the_design():
    by_id = {inst.id: inst for inst in bundled_all()}
    sk = by_id["samhandlingsklima"]
    subscales = [s for s in sk.scales if s.id != "sk_total"]
    assert len(subscales) == 8
    for s in subscales:
        assert 3 <= len(s.items) <= 5 and sk.reverse_items(s), s.id
        assert s.provenance, s.id
    assert len(by_id["medbestemmelse"].scales) == 5
    for fid in ("feedback-utfall", "feedback-samtale"):
        inst = by_id[fid]
        assert len(inst.items) == 4
        rs = inst.response_scale_of(inst.item_ids[0])
        assert (rs.min, rs.max, rs.step) == (0, 10, 0.1)
        (total,) = inst.scales
        assert total.norms is not None and total.norms.status == "provisional"
    for inst in by_id.values():
        assert inst.status == "unvalidated" and set(inst.languages) >= {"nb", "en"}


def _lines():
    return MINI.splitlines(keepends=True)


EDIT = st.tuples(
    st.sampled_from(["delete", "duplicate", "replace", "insert"]),
    st.integers(0, len(_lines()) - 1),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(EDIT, min_size=1, max_size=3))
def test_random_edits_load_or_give_a_clear_error(tmp_path, edits):
    lines = _lines()
    for kind, at, text in edits:
        at = min(at, len(lines) - 1)
        if kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "replace":
            # a function, not a replacement string: the text is taken literally (no backslash escapes)
            lines[at] = re.sub(r"(?<=: ).*", lambda _m, new=text.replace("\n", " "): new, lines[at], count=1)
        else:
            lines.insert(at, text + "\n")
    for problem in check(tmp_path, "".join(lines)):
        assert problem.file and problem.message
        assert "Traceback" not in str(problem)


def test_a_mapping_as_a_key_is_one_clear_problem(tmp_path):
    """``{a: b}: c`` is valid YAML that the loader cannot build (found by the random edits)."""
    problems = check(tmp_path, "id: x\n{a: b}: c\n")
    assert [(p.line, p.message) for p in problems] == [(2, "a key must be a plain name, not a mapping or a list")]
