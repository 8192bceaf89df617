"""The Compare page's list of scales for a phone holds the heatmap's cells: mean, n and the
difference in Norwegian numbers, the heatmap's colour and a shape for the reading, and why a
hidden cell is hidden."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.scale_list import difference_limit, scale_list_html, swatch_colour, unit_rows, unit_title

SCALES = {"sk_info": "Gjensidig informasjon", "sk_koord": "Koordinering av tjenester", "sk_trygg": "Psykologisk trygghet og tillit"}
MATRIX = pd.DataFrame({
    "unit": ["t1", "t1", "t1", "t2", "t2", "t2"],
    "scale": ["sk_info", "sk_koord", "sk_trygg"] * 2,
    "mean": [4.2, 3.5, math.nan, math.nan, math.nan, math.nan],
    "org_mean": [3.8, 3.6, 3.7, 3.8, 3.6, 3.7],
    "n": [19, 19, math.nan, math.nan, math.nan, math.nan],
    "suppressed": [False, False, True, True, True, True],
    "why": [None, None, "protects_other", "below_min_n", "below_min_n", "below_min_n"],
    "vs_organisation": ["higher", "unclear", None, None, None, None],
})


def test_a_units_scales_read_in_norwegian_with_shape_and_colour():
    limit = difference_limit(MATRIX)
    assert limit == 0.4 or math.isclose(limit, 0.4)
    page = scale_list_html(unit_rows(MATRIX, "t1", SCALES), SCALES, limit, "nb")
    assert "4,20 (19)" in page and "+0,40" in page and ("−0,10" in page or "-0,10" in page)
    assert "aria-label='Tydelig over organisasjonen'" in page and "▲" in page
    assert "background:rgb(33, 102, 172)" in page, "a clear difference at the largest gap gets the heatmap's full blue"
    assert "skjult for å verne en mindre gruppe" in page and page.count("<tr>") == 4, "header and three scales"


def test_an_unclear_difference_is_tinted_and_a_hidden_unit_says_why_in_its_title():
    assert swatch_colour(-0.4, True, 0.4) == "rgb(224, 130, 20)"
    assert swatch_colour(-0.4, False, 0.4) != swatch_colour(-0.4, True, 0.4), "an unclear difference does not shout"
    assert swatch_colour(math.nan, True, 0.4) == "#F7F7F7"
    assert unit_title("Team 2", unit_rows(MATRIX, "t2", SCALES), "nn") == "Team 2 (for få svar)"
    assert unit_title("Team 1", unit_rows(MATRIX, "t1", SCALES), "nn") == "Team 1"


def test_all_units_are_one_fragment_with_the_same_lists_as_one_unit_at_a_time():
    """units_html: a <details> per unit holding exactly scale_list_html's table for that unit,
    the first open; a unit hidden on every scale is its title with why, and no table."""
    from dashboard.scale_list import units_html

    matrix = pd.concat([MATRIX, MATRIX[MATRIX["unit"] == "t1"].assign(unit="t3", mean=[3.0, 3.9, 3.7], vs_organisation=["lower", "higher", "unclear"],
                                                                       suppressed=False, why=None, n=[8, 8, 8])])
    names = {"t1": "Team <1>", "t2": "Team 2", "t3": "Team 3"}
    page = units_html(matrix, ["t1", "t2", "t3"], names, SCALES, "nb")
    limit = difference_limit(matrix)
    for unit in ("t1", "t3"):
        assert scale_list_html(unit_rows(matrix, unit, SCALES), SCALES, limit, "nb") in page
    assert page.count("<details") == 2 and page.count("<details class='sk-unit' open>") == 1
    assert "<summary>Team &lt;1&gt;</summary>" in page, "names are escaped"
    assert "<div class='sk-unit sk-unit-hidden'>Team 2 (for få svar)</div>" in page
    assert page.index("Team &lt;1&gt;") < page.index("Team 2") < page.index("Team 3"), "in the order given"
    assert units_html(matrix, [], names, SCALES, "nb") == ""
