"""The Items page's bars for a phone (dashboard.item_bars_html): each half of the bar is the
answers on its side, disagreement against the centre line from the left, the middle answer
split across it, and every share written out in the page's language."""

from __future__ import annotations

import re

import pytest

from dashboard.item_bars_html import Category, ItemRow, item_bars_html

FIVE = [Category("Helt uenig", "#67001F"), Category("Litt uenig", "#E58267"), Category("Verken eller", "#D9D9D9"),
        Category("Litt enig", "#6BACD1"), Category("Helt enig", "#053061")]
ROW = ItemRow(text="Vi får beskjed <i>i tide</i>", n=3042, shares=[0.02, 0.13, 0.34, 0.33, 0.18], dont_know=0.02, no_answer=0.01)


def halves(page: str) -> list[list[tuple[float, str]]]:
    """Per half of each bar: (width %, colour) of its segments, left to right."""
    bars = re.findall(r"<div class='sk-likert' aria-hidden='true'><div>(.*?)</div><div>(.*?)</div></div>", page)
    segment = r"width:([\d.]+)%;background:(#[0-9A-F]{6})"
    return [[(float(w), c) for w, c in re.findall(segment, half)] for bar in bars for half in bar]


def test_disagreement_runs_left_from_the_line_and_the_middle_is_split():
    left, right = halves(item_bars_html(FIVE, [ROW], ("Vet ikke", "Ikke svart"), "n = {n}", "nb"))
    assert [c for _, c in left] == ["#67001F", "#E58267", "#D9D9D9"], "strongest disagreement furthest left"
    assert [c for _, c in right] == ["#D9D9D9", "#6BACD1", "#053061"]
    assert [w for w, _ in left] == pytest.approx([2.0, 13.0, 17.0])
    assert [w for w, _ in right] == pytest.approx([17.0, 33.0, 18.0])
    assert sum(w for w, _ in left + right) == pytest.approx(100.0), "the valid answers fill the two halves together"


def test_an_even_scale_has_no_middle_and_four_categories_split_two_and_two():
    four = [FIVE[0], FIVE[1], FIVE[3], FIVE[4]]
    row = ItemRow(text="x", n=10, shares=[0.1, 0.2, 0.3, 0.4], dont_know=0.0, no_answer=0.0)
    left, right = halves(item_bars_html(four, [row], ("Vet ikke", "Ikke svart"), "n = {n}", "nb"))
    assert left == [(10.0, "#67001F"), (20.0, "#E58267")] and right == [(30.0, "#6BACD1"), (40.0, "#053061")]


def test_every_share_is_written_in_the_language_and_the_text_is_not_markup():
    page = item_bars_html(FIVE, [ROW], ("Vet ikke", "Ikke svart"), "n = {n}", "nb")
    assert "Helt uenig 2\u00a0% · Litt uenig 13\u00a0% · Verken eller 34\u00a0% · Litt enig 33\u00a0% · Helt enig 18\u00a0%" in page
    assert "Vet ikke 2\u00a0% · Ikke svart 1\u00a0%" in page
    assert "n = 3\u00a0042" in page, "n with the language's thousands separator"
    assert "<i>" not in page and "&lt;i&gt;i tide&lt;/i&gt;" in page
    english = item_bars_html(FIVE, [ROW], ("Don't know", "No answer"), "n = {n}", "en")
    assert "Helt uenig 2%" in english and "n = 3,042" in english and "Don&#x27;t know 2%" in english


def test_one_block_per_item_in_order():
    rows = [ItemRow(text=f"item {i}", n=5, shares=[0.2] * 5, dont_know=0.0, no_answer=0.0) for i in range(3)]
    page = item_bars_html(FIVE, rows, ("Vet ikke", "Ikke svart"), "n = {n}", "nb")
    assert [m for m in re.findall(r"item \d", page)] == ["item 0", "item 1", "item 2"]
    assert page.count("class='sk-likert'") == 3
