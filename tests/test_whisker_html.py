"""The Compare page's one-scale chart as HTML (dashboard.whisker_html): positions, marks and
words from the comparison's rows, nothing for a hidden unit but why."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.whisker_html import scale_range, ticks, whisker_html

ROWS = pd.DataFrame({
    "unit": ["a", "b", "c"],
    "name": ["Alfa", "Beta", "Gamma <b>"],
    "n": [20, 3, 30],
    "mean": [3.0, float("nan"), 4.0],
    "ci_low": [2.5, float("nan"), 3.8],
    "ci_high": [3.5, float("nan"), 4.2],
    "suppressed": [False, True, False],
    "why": [None, "below_min_n", None],
    "vs_organisation": ["lower", None, "higher"],
    "diff_organisation": [-0.6, float("nan"), 0.4],
    "diff_low": [-1.1, float("nan"), 0.2],
    "diff_high": [-0.1, float("nan"), 0.6],
    "type_mean": [3.2, float("nan"), float("nan")],
    "type_n": [50, None, None],
    "unit_type": ["team", "team", "enhet"],
})
ORG = {"mean": 3.6, "ci_low": 3.5, "ci_high": 3.7, "n": 200, "suppressed": False}
LABELS = {"a": "Alfa", "b": "\u00a0\u00a0\u00a0Beta", "c": "Gamma <b>"}


def left(html: str, cls: str) -> list[float]:
    return [float(x) for x in re.findall(rf"class='{cls}'[^>]*style='left:([\d.]+)%", html)]


def test_range_holds_every_shown_interval_the_type_means_and_the_organisation():
    x0, x1 = scale_range(ROWS, ORG)
    assert x0 == pytest.approx(2.5 - 0.1) and x1 == pytest.approx(4.2 + 0.1)  # span 1.7: 5% is 0.085 < 0.1
    wide = ROWS.assign(ci_low=[1.0, float("nan"), 3.8])
    assert scale_range(wide, ORG) == pytest.approx((1.0 - 0.16, 4.2 + 0.16))
    assert scale_range(ROWS.assign(suppressed=True), {"suppressed": True}) == (1.0, 5.0)


def test_ticks_are_round_and_at_most_six():
    assert ticks(2.4, 4.3) == ([2.5, 3.0, 3.5, 4.0], 1)
    assert ticks(3.42, 3.78) == ([3.5, 3.6, 3.7], 1)  # 0.05 would give seven
    assert ticks(3.52, 3.78) == ([3.55, 3.6, 3.65, 3.7, 3.75], 2)
    values, decimals = ticks(0.84, 5.16)
    assert values == [1.0, 2.0, 3.0, 4.0, 5.0] and decimals == 0


def test_marks_sit_at_their_values_and_a_hidden_unit_shows_why_and_no_number():
    html = whisker_html(ROWS, LABELS, ORG, "nb")
    x0, x1 = scale_range(ROWS, ORG)

    def pos(v):
        return pytest.approx(100 * (v - x0) / (x1 - x0), abs=0.01)

    rows = re.findall(r"<div class='row' title='([^']*)'><div class='name([^']*)'[^>]*>(.*?)</div><div class='plot'>(.*?)</div></div>", html)
    assert [r[2] for r in rows] == ["Alfa (n\u00a0=\u00a020)", "Beta", "Gamma &lt;b&gt; (n\u00a0=\u00a030)"], "names escaped"
    (a_title, a_class, _, a), (b_title, b_class, _, b), (_, _, _, c) = rows
    assert left(a, "mark lower") == [pos(3.0)] and left(a, "mark type") == [pos(3.2)] and left(a, "ci") == [pos(2.5)]
    assert left(c, "mark higher") == [pos(4.0)] and "mark type" not in c
    assert "for få svar" in b and "class='mark" not in b and "class='ci'" not in b
    assert "20" not in b_title and "for få svar" in b_title
    assert "3,00" in a_title and "2,50" in a_title and "n = 20" in a_title
    assert left(a, "org") == left(b, "org") == [pos(3.6)], "the organisation's mean behind every row"
    assert a_class == " top" and b_class == "", "the tree's top level in bold, Beta indented"
    assert "<span class='part'>Organisasjonen 3,60</span> <span class='part'>(n = 200)</span>" in html
    assert "role='img'" in html and "aria-label=" in html


def test_on_a_phone_the_organisation_s_label_is_two_lines_so_it_stays_on_the_screen():
    """At 360 px "Organisasjonen 3,56 (n = 149 962)" ran past the right edge: below the phone's
    width its two parts stand on their own lines, in a head row tall enough for both."""
    html = whisker_html(ROWS, LABELS, ORG, "nb")
    phone = re.search(r"@media \(max-width: 640px\) \{(.*?)\n\}", html, re.S).group(1)
    assert ".orglabel .part { display: block; }" in phone and ".head .plot { min-height: 2.5rem; }" in phone


def test_the_axis_labels_at_its_ends_stay_inside_the_chart(monkeypatch):
    """Centred on its line, the last tick's label ran past a phone's right edge (\"4,0\" at 360
    px): a label at an end of the axis ends (or starts) at its line instead."""
    from dashboard import whisker_html as module

    monkeypatch.setattr(module, "scale_range", lambda rows, organisation: (3.5, 4.0))  # the 360 px picture's axis
    html = whisker_html(ROWS, LABELS, ORG, "nb")
    styles = dict((v, style) for style, v in re.findall(r"<span class='tick' style='([^']*)'>([^<]*)</span>", html))
    assert list(styles) == ["3,5", "3,6", "3,7", "3,8", "3,9", "4,0"]
    assert styles["3,5"] == "left:0.00%;transform:none" and styles["4,0"] == "left:100.00%;transform:translateX(-100%)"
    assert styles["3,6"] == "left:20.00%" and styles["3,9"] == "left:80.00%", "centred (by the stylesheet) inside"


def test_no_organisation_line_or_band_when_the_organisation_is_hidden_and_english_words():
    html = whisker_html(ROWS, LABELS, {"suppressed": True, "why": "below_min_n"}, "en")
    assert "class='org'" not in html and "class='band'" not in html and "Organisation " not in html
    assert "too few answers" in html and "Clearly above the organisation" in html
