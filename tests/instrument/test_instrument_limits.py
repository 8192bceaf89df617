"""Instrument files that could exhaust the machine are refused before they are parsed: a file
over 1 MB, any YAML anchor or alias (a "billion laughs" file fails at once, in little memory),
and nesting deeper than the schema can use."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

from scoring.errors import UserError
from scoring.instrument.loading import MAX_BYTES, MAX_DEPTH, check_instrument_file, load_instrument

FIXTURES = Path(__file__).parents[1] / "fixtures"
BOMB = FIXTURES / "billion-laughs.yaml"
MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")


def expanded_scalars(path: Path) -> int:
    """How many strings walking the file's data would visit, counted from the parser's events
    (an alias counts as everything its anchor holds; nothing is expanded)."""
    sizes: dict[str, int] = {}
    stack: list[list] = [[None, 0]]  # [anchor, scalars so far]
    for event in YAML(typ="rt").parse(path.read_text(encoding="utf-8")):
        if isinstance(event, ScalarEvent):
            stack[-1][1] += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, AliasEvent):
            stack[-1][1] += sizes[event.anchor]
        elif isinstance(event, CollectionStartEvent):
            stack.append([event.anchor, 0])
        elif isinstance(event, CollectionEndEvent):
            anchor, count = stack.pop()
            if anchor:
                sizes[anchor] = count
            stack[-1][1] += count
    return stack[0][1]


def test_the_fixture_is_a_real_billion_laughs_file():
    assert expanded_scalars(BOMB) >= 10**9


def test_a_billion_laughs_file_is_refused_at_once_in_little_memory():
    tracemalloc.start()
    started = time.perf_counter()
    try:
        instrument, problems = check_instrument_file(BOMB)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert instrument is None
    (problem,) = problems
    assert (problem.file, problem.line, problem.column) == (str(BOMB), 6, 13)
    assert problem.message.startswith("YAML anchor '&a' is not allowed in an instrument file (no anchors or aliases)")
    assert seconds < 1.0
    assert peak < 5_000_000  # bytes; walking the data would need gigabytes


def test_an_alias_is_refused_with_its_line_and_column(tmp_path):
    path = tmp_path / "alias.yaml"
    # The anchor in a comment is no anchor; the alias on line 2 is refused as it is.
    path.write_text('id: x  # &not_an_anchor\nversion: *v\n', encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_instrument(path)
    assert str(err.value).startswith(f"{path}:2:10: YAML alias '*v' is not allowed")


def test_a_merge_key_is_an_alias_too(tmp_path):
    path = tmp_path / "merge.yaml"
    path.write_text(MINI + "\nextra: &base {nb: x}\nmore:\n  <<: *base\n", encoding="utf-8")
    (problem,) = check_instrument_file(path)[1]
    assert "anchor '&base'" in problem.message and problem.line == MINI.count("\n") + 2


def test_a_file_over_the_size_limit_is_refused_before_it_is_read_in_full(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(MINI + "#" * (MAX_BYTES - len(MINI.encode("utf-8")) + 1), encoding="utf-8")
    assert path.stat().st_size == MAX_BYTES + 1
    (problem,) = check_instrument_file(path)[1]
    assert problem.message == "the file is larger than 1,000,000 bytes (1 MB), the limit for an instrument file"
    exactly = tmp_path / "exactly.yaml"
    exactly.write_text(MINI + "#" * (MAX_BYTES - len(MINI.encode("utf-8"))), encoding="utf-8")
    assert check_instrument_file(exactly)[1] == []


def test_deep_nesting_is_refused_quickly(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("id: " + "[" * 200_000 + "]" * 200_000 + "\n", encoding="utf-8")
    started = time.perf_counter()
    (problem,) = check_instrument_file(path)[1]
    assert time.perf_counter() - started < 1.0
    assert problem.message.startswith(f"nested more than {MAX_DEPTH} levels deep") and problem.line == 1


def test_the_bundled_instruments_use_no_anchors_and_still_load():
    from scoring.instrument.catalog import bundled_files

    for path in bundled_files():
        instrument, problems = check_instrument_file(path)
        assert problems == [] and instrument is not None
