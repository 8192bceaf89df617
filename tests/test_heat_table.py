"""The Compare page's heatmap table holds the publication's cells of the chosen units: mean, the
signed difference with the reading's shape and n in Norwegian numbers, the heatmap's colour with
text that contrasts with it, a dash and why for a hidden cell, why across the row of a unit hidden
on every scale, and nothing of a unit not chosen."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from dashboard.heat_table import heatmap_html, text_colour
from dashboard.scale_list import difference_limit, swatch_colours, unit_rows

SCALES = {"sk_info": "Gjensidig informasjon", "sk_koord": "Koordinering av tjenester", "sk_trygg": "Psykologisk trygghet og tillit"}
MATRIX = pd.DataFrame({
    "unit": ["t1"] * 3 + ["t2"] * 3 + ["t3"] * 3 + ["t4"] * 3,
    "scale": list(SCALES) * 4,
    "mean": [4.2, 3.5, math.nan, math.nan, math.nan, math.nan, 3.0, 3.9, 3.71, 2.0, 2.0, 2.0],
    "org_mean": [3.8, 3.6, 3.7] * 4,
    "ci_low": [3.9, 3.1, math.nan, math.nan, math.nan, math.nan, 2.7, 3.6, 3.3, 1.5, 1.5, 1.5],
    "ci_high": [4.5, 3.9, math.nan, math.nan, math.nan, math.nan, 3.3, 4.2, 4.1, 2.5, 2.5, 2.5],
    "n": [19, 19, math.nan, math.nan, math.nan, math.nan, 8, 8, 8, 40, 40, 40],
    "suppressed": [False, False, True, True, True, True, False, False, False, False, False, False],
    "why": [None, None, "protects_other", "below_min_n", "below_min_n", "below_min_n", None, None, None, None, None, None],
    "vs_organisation": ["higher", "unclear", None, None, None, None, "lower", "higher", "unclear", "lower", "lower", "lower"],
})
NAMES = {"t1": "Team <1>", "t2": "Team 2", "t3": "Team 3", "t4": "Team 4"}
LABELS = {"t1": "Team <1>", "t2": "\u00a0\u00a0\u00a0Team 2", "t3": "\u00a0\u00a0\u00a0Team 3", "t4": "Team 4"}


def rows(page: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1], flags=re.S)


def test_each_cell_reads_mean_difference_with_shape_and_n_in_norwegian():
    page = heatmap_html(MATRIX, ["t1", "t2", "t3"], LABELS, SCALES, "nb", NAMES)
    first = rows(page)[0]
    assert "<th scope='row' class=top>Team &lt;1&gt;</th>" in first, "names escaped; the tree's top level in bold"
    assert "4,20<br><span role='img' aria-label='Tydelig over organisasjonen'>▲</span>\u00a0+0,40<br>n\u00a019" in first
    assert "●</span>\u00a0−0,10" in first or "●</span>\u00a0-0,10" in first, "an unclear difference has its own shape"
    assert "<td class='hidden' title='Team &lt;1&gt;: Psykologisk trygghet og tillit: skjult for å verne en mindre gruppe'>–</td>" in first
    assert "Gjennomsnitt 4,20 (95 % KI 3,90 til 4,50), n = 19" in first, "the interval is in the cell's title"
    assert [h for h in re.findall(r"<th scope='col'>(.*?)</th>", page)] == list(SCALES.values())


def test_a_unit_hidden_on_every_scale_says_why_across_its_row_with_no_number():
    page = heatmap_html(MATRIX, ["t1", "t2", "t3"], LABELS, SCALES, "nb", NAMES)
    second = rows(page)[1]
    assert "padding-left:0.8rem" in second, "the tree's second level indented"
    assert re.sub(r"<th.*?</th>", "", second) == "<td class='row-hidden' colspan='3'>for få svar</td>"


def test_colours_are_the_heatmaps_with_contrasting_text_and_span_the_chosen_units():
    chosen = ["t1", "t3"]
    page = heatmap_html(MATRIX, chosen, LABELS, SCALES, "nb", NAMES)
    cells = MATRIX[MATRIX["unit"].isin(chosen)]
    limit = difference_limit(cells)
    assert limit == pytest.approx(0.8)  # t3's −0,80; t4 (−1,80) is not chosen and does not widen it
    shown = cells[~cells["suppressed"]]
    expected = swatch_colours((shown["mean"] - shown["org_mean"]).to_numpy(), shown["vs_organisation"].isin(["higher", "lower"]), limit)
    styles = re.findall(r"style='background:(.*?);color:(#[0-9A-F]{6})'", page)
    assert [b for b, _ in styles] == expected
    assert all(c == text_colour(b) for b, c in styles)
    assert "Team 4" not in page and "2,00" not in page, "nothing of a unit that is not chosen"


@pytest.mark.parametrize("background, text", [("#2166AC", "#FFFFFF"), ("#E08214", "#000000"), ("#F7F7F7", "#000000"),
                                              ("rgb(33, 102, 172)", "#FFFFFF"), ("rgb(146, 197, 222)", "#000000")])
def test_text_keeps_at_least_4_5_to_1_against_the_heatmaps_colours(background, text):
    def luminance(colour: str) -> float:
        if colour.startswith("#"):
            channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        else:
            channels = [int(c) / 255 for c in colour[4:-1].split(",")]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    assert text_colour(background) == text
    light, dark = sorted([luminance(background), luminance(text)], reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5


def test_the_table_and_the_phones_list_show_the_same_numbers():
    from dashboard.scale_list import scale_list_html

    page = heatmap_html(MATRIX, ["t3"], LABELS, SCALES, "nn", NAMES)
    phone = scale_list_html(unit_rows(MATRIX, "t3", SCALES), SCALES, difference_limit(MATRIX[MATRIX["unit"] == "t3"]), "nn")
    for figure in ("3,00", "3,90", "3,71", "+0,30", "+0,01"):
        assert figure in page and figure in phone
    assert heatmap_html(MATRIX, [], LABELS, SCALES, "nb", NAMES) == ""
