"""The Compare page's charts, tables and downloads, built once per choice and kept.

A rerun with the same choices, a widget moved back, and every other session of the same
principal reuse them instead of writing charts as HTML, formatting tables and writing CSVs
again. Each builder is keyed by the principal, :func:`dashboard.data.versions` (every round's
answer-set version, threshold, state and unit tree: what the stored decision is keyed on), the
round, the scale, the units shown in their order with their labels, and the language. A new
answer changes the versions, so nothing stale is read; an entry built while the versions
changed holds numbers at least as new as its key, and its key is not asked for again.

Numbers: the principal's publication only (:func:`dashboard.data.comparison`,
:func:`dashboard.data_compare.scale_matrix`); these functions word and draw, and show or hide
exactly what the publication does.

Memory: a heatmap of every unit of a national round (1,500 x 14 cells, as the wide table and
the phone's list) is some megabytes, so few are kept (16 heatmaps, 64 one-scale views), and none longer than an
hour: an entry whose versions are old is never asked for again and leaves by either limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
import streamlit as st

from dashboard import data, data_compare, heat_table, scale_list
from dashboard.describe import difference, hidden_label, interval, versus_organisation
from dashboard.i18n import t
from dashboard.whisker_html import whisker_html
from scoring.formats.tables import csv_bytes
from scoring.reporting.numbers import number
from scoring.store.access import Principal

Labels = tuple[tuple[str, str], ...]  # (unit, label) in the order shown: hashable for the cache


class _Download:
    """The view's table as CSV (:func:`csv_bytes`), written the first time someone downloads it:
    a CSV is asked for far less often than a choice is made, and writing it (formula
    neutralising, encoding) took 15-20 ms of every new choice's 100 ms on the server."""

    download: pd.DataFrame

    @cached_property
    def content(self) -> bytes:
        return csv_bytes(self.download)

    def csv(self) -> bytes:
        """:attr:`content`, for a download button that writes it when clicked."""
        return self.content


@dataclass(frozen=True)
class ScaleView(_Download):
    """One scale and round for the chosen units: the organisation's cell, the chart, its CSV
    (``content``, on demand) and the page's table (index: the unit's label)."""

    organisation: dict
    min_n: int
    shown: int
    hidden: int
    readings: dict[str, int]
    chart_html: str  # the chart (dashboard.whisker_html)
    table: pd.DataFrame
    download: pd.DataFrame = field(repr=False)


@dataclass(frozen=True)
class HeatmapView(_Download):
    """All scales of a round for the chosen units: the heatmap table (:mod:`dashboard.heat_table`),
    its CSV (``content``, on demand; also under the phone's list) and the phone's list of scales
    per unit, each one HTML fragment."""

    wide_html: str
    compact_html: str
    download: pd.DataFrame = field(repr=False)


@st.cache_resource(show_spinner=False, max_entries=32, ttl=3600)
def matrix(principal: Principal, versions: tuple, round_name: str) -> pd.DataFrame:
    """:func:`dashboard.data_compare.scale_matrix` kept per principal, versions and round, as a
    resource (the same frame, not a copy: the administrator's 27,000 cells took 9 ms to unpickle
    on every unit change). Read only: its callers select from it into new frames."""
    return data_compare.scale_matrix(principal, round_name)


@st.cache_resource(show_spinner=False, max_entries=64, ttl=3600)
def comparison(principal: Principal, versions: tuple, scale_id: str, round_name: str):
    """:func:`dashboard.data.comparison` kept per principal, versions, scale and round, so that
    another choice of units reuses it (it reads every unit of the principal's scope; 35-40 ms on
    a national round). Kept as a resource, not copied: :func:`scale_view` only reads it."""
    return data.comparison(principal, scale_id, round_name)


@st.cache_resource(show_spinner=False, max_entries=64, ttl=3600)
def scale_view(principal: Principal, versions: tuple, scale_id: str, round_name: str, labels: Labels, lang: str) -> ScaleView:
    """The chosen scale's chart, CSV and table (:func:`dashboard.data.comparison`'s rows of the
    units in ``labels``, in that order): a hidden unit's n, mean and reading are why it is hidden."""
    label = dict(labels)
    units = [u for u, _ in labels]
    compared = comparison(principal, versions, scale_id, round_name)
    rows = compared.units.set_index("unit").loc[units].reset_index()
    org = compared.organisation
    suppressed = rows["suppressed"].to_numpy(dtype=bool)
    why = rows["why"].map(lambda w: hidden_label(w, lang))

    def hidden_or(values: pd.Series) -> pd.Series:
        """``values`` where the unit is shown, why it is hidden where it is not."""
        return values.astype(object).where(~suppressed, why)

    records = list(rows.itertuples())
    download = pd.DataFrame({
        t("compare_col_unit_id", lang): rows["unit"],
        t("unit", lang): rows["name"],
        t("n", lang): hidden_or(rows["n"]),
        t("mean", lang): hidden_or(rows["mean"].round(3)),
        t("compare_col_ci_low", lang): rows["ci_low"].round(3),
        t("compare_col_ci_high", lang): rows["ci_high"].round(3),
        t("compare_col_type_mean", lang): rows["type_mean"].round(3),
        t("compare_col_type_n", lang): rows["type_n"],
        t("compare_col_diff", lang): rows["diff_organisation"].round(3),
        t("compare_col_diff_low", lang): rows["diff_low"].round(3),
        t("compare_col_diff_high", lang): rows["diff_high"].round(3),
        t("compare_col_reading", lang): [
            versus_organisation(r.vs_organisation, r.diff_organisation, r.diff_low, r.diff_high, lang) for r in records
        ],
    })
    table = pd.DataFrame({
        t("unit", lang): [label[u] for u in rows["unit"]],
        t("n", lang): rows["n"].map(str).where(~suppressed, "–"),
        t("compare_col_mean_ci", lang): hidden_or(pd.Series(
            [f"{number(r.mean, lang)} ({interval(r.ci_low, r.ci_high, lang)})" for r in records])),
        t("compare_col_type", lang): [
            "–" if pd.isna(r.type_mean) else f"{number(r.type_mean, lang)} (n = {r.type_n})" for r in records
        ],
        t("compare_col_reading", lang): hidden_or(rows["vs_organisation"].map(
            lambda r: t(f"compare_legend_{r}", lang) if isinstance(r, str) else "–")),
        t("compare_col_difference", lang): [difference(r.diff_organisation, r.diff_low, r.diff_high, lang) for r in records],
    }).set_index(t("unit", lang))
    readings = rows.loc[~suppressed, "vs_organisation"].value_counts()
    return ScaleView(
        organisation=org, min_n=compared.min_n, shown=int((~suppressed).sum()), hidden=int(suppressed.sum()),
        readings={r: int(readings.get(r, 0)) for r in ("higher", "unclear", "lower")},
        chart_html=whisker_html(rows, label, org, lang), table=table, download=download,
    )


@st.cache_resource(show_spinner=False, max_entries=16, ttl=3600)
def heatmap_view(principal: Principal, versions: tuple, round_name: str, labels: Labels,
                 scale_names: tuple[tuple[str, str], ...], lang: str) -> HeatmapView:
    """The units-by-scales heatmap of the units in ``labels``, its CSV and the phone's list."""
    label = dict(labels)
    units = [u for u, _ in labels]
    scales = dict(scale_names)
    cells_all = matrix(principal, versions, round_name)
    tree = data.units()
    names = dict(zip(tree["unit"].tolist(), tree["name"].tolist()))
    cells = cells_all[cells_all["unit"].isin(units)]  # the chosen units' cells: the rest are never read again
    why = cells["why"].map(lambda w: hidden_label(w, lang))
    shown = ~cells["suppressed"].to_numpy(dtype=bool)
    download = pd.DataFrame({
        t("compare_col_unit_id", lang): cells["unit"],
        t("unit", lang): cells["unit"].map(names),
        t("scale", lang): cells["scale"].map(scales),
        t("n", lang): cells["n"].astype(object).where(shown, why),
        t("mean", lang): cells["mean"].round(3).astype(object).where(shown, why),
        t("compare_col_diff", lang): (cells["mean"] - cells["org_mean"]).round(3),
    }).reset_index(drop=True)
    blocks = scale_list.unit_blocks(cells, units, scales)  # one reindex for the table and the list
    return HeatmapView(
        wide_html=heat_table.heatmap_html(cells, units, label, scales, lang, names, blocks=blocks),
        compact_html=scale_list.units_html(cells, units, names, scales, lang, blocks=blocks), download=download,
    )
