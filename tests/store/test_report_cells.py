"""A report batch reads only the cells its reports need (:func:`scoring.reporting.unit_report.report_rows`):
every report equals the one made from the viewer's whole publication, and the stored cut read
with the rows (filtered in Arrow) equals the whole cut filtered in pandas."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from scoring.privacy.cell_rows import CellRows
from scoring.privacy.publication import Viewer
from scoring.reporting.unit_report import REPORT_PAGES, report_rows, unit_report
from scoring.store import cuts
from scoring.store.decisions import frame_bytes, frame_of, frames_of
from scoring.store.unit_reports import ReportMaker
from tests.cli_database import demo_database

ROUND = "2026-1"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from scoring.store.db import make_engine

    engine = make_engine(f"sqlite:///{demo_database(tmp_path_factory.mktemp('cells') / 'samklima.db')}")
    yield engine
    engine.dispose()


def whole_report(maker: ReportMaker, unit: str):
    """The report as made from the viewer's whole publication (every stored cell of every round)."""
    viewer = maker.viewer(unit)
    whole = cuts.publication(maker.engine, maker.rounds, viewer, tree=maker.tree)
    return unit_report(whole, maker.tree, unit, maker.round, maker.status, maker.actions, maker.instruments,
                       maker.lang, maker.made)


def assert_same_report(got, want) -> None:
    for name in ("landing", "items", "partners", "scale_names", "category_labels", "discussion", "unit_names"):
        a, b = getattr(got, name), getattr(want, name)
        if name == "landing":
            for part in dataclasses.fields(a):
                x, y = getattr(a, part.name), getattr(b, part.name)
                if isinstance(x, pd.DataFrame):
                    pd.testing.assert_frame_equal(x, y, obj=f"{got.unit} landing.{part.name}")
                else:
                    assert x == y, (got.unit, part.name)
        elif isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, obj=f"{got.unit} {name}")
        else:
            assert a == b, (got.unit, name)


@pytest.mark.parametrize("as_user", [None, "admin"])
def test_every_report_of_the_batch_equals_the_report_from_the_whole_publication(engine, as_user):
    maker = ReportMaker(engine, ROUND, "en", as_user=as_user)
    units = [u for u in maker.units() if maker.viewer(u).sees(u)]
    maker.plan(units)
    shown = pd.Series(0, index=["given", "received"])
    for unit in units:
        got, want = maker.report(unit), whole_report(maker, unit)
        assert_same_report(got, want)
        shown = shown.add(got.partners["direction"].value_counts(), fill_value=0)
    assert shown["given"] > 0, "the units rate their partner services"
    if as_user == "admin":
        assert shown["received"] > 0, "the sample organisation's units rate each other: a report shows ratings it received"


def test_a_report_reads_a_fraction_of_the_cut_and_a_unit_outside_the_plan_is_read_again(engine):
    maker = ReportMaker(engine, ROUND, "nb", as_user="admin")
    maker.plan(["k1.ho.hj1"])
    maker.report("k1.ho.hj1")
    (rows, slim, _, _), = maker._cuts.values()
    whole = cuts.publication(engine, maker.rounds, Viewer(), tree=maker.tree)
    assert len(slim.cells) < len(whole.cells) / 3
    assert set(slim.cells["page"]) <= set(REPORT_PAGES) and {"compare", "items"} <= set(slim.cells["page"])
    assert set(slim.cells["round"]) == set(maker.rounds), "Compare is read in every round, for the change"
    own = slim.cells[slim.cells["page"].isin(["items", "partners"])]
    assert set(own["round"]) == {ROUND}, "Items and Partners only in the report's round"
    assert not slim.cells.loc[slim.cells["page"] == "partners", "hidden"].any(), "no hidden partner rating is read"
    other = "k1.ho.hj2"
    assert not rows.covers([other])
    assert_same_report(maker.report(other), whole_report(maker, other))  # not planned: read again, with it


def test_the_stored_cut_read_with_rows_equals_the_cut_filtered_in_pandas(engine):
    maker = ReportMaker(engine, ROUND, "nb")
    viewer = maker.viewer("k1.ho.hj1")
    cells, _ = cuts.round_cut(engine, ROUND, viewer, maker.tree)
    data = frame_bytes(cells)
    for rows in (report_rows({"k1.ho.hj1"}), report_rows({"k1.ho.hj1", "k1.ho.hj2", "nowhere"}), report_rows(set()),
                 report_rows({"k1.ho.hj1", "k1.ho.hj2"}, ROUND), report_rows({"k1.ho"}, "no such round"),
                 CellRows({"partners": ("partner",)}, frozenset({"k1.ho.hj1"})),
                 CellRows({"partners": ()}, frozenset(), {"partners": {"hidden": (False,)}})):
        want = cells[rows.mask(cells)].reset_index(drop=True)
        got = frame_of(data, rows)
        pd.testing.assert_frame_equal(got, want)
        assert len(got) < len(cells)
    empty_partner = cells.assign(partner=None)  # a round without partner questions: a null dictionary
    got = frame_of(frame_bytes(empty_partner), report_rows({"k1.ho.hj1"}))
    pd.testing.assert_frame_equal(got, empty_partner[report_rows({"k1.ho.hj1"}).mask(empty_partner)].reset_index(drop=True))


def test_the_rounds_stored_cuts_read_into_one_frame_equal_the_frames_joined(engine):
    """A publication of stored cuts decodes its rounds into one frame (``frames_of``): the same
    frame, dtype for dtype, as each round's frame joined with ``pd.concat``; cuts that cannot be
    joined column by column in Arrow (a round without partner questions) are joined in pandas."""
    maker = ReportMaker(engine, ROUND, "nb")
    viewer = maker.viewer("k1.ho.hj1")
    datas = [frame_bytes(cuts.round_cut(engine, name, viewer, maker.tree)[0]) for name in maker.rounds]
    assert len(datas) >= 2
    no_partners = frame_bytes(cuts.round_cut(engine, ROUND, viewer, maker.tree)[0].assign(partner=None))
    for parts in (datas, [datas[0]], [*datas, no_partners], [no_partners, datas[-1]]):
        for rows in (None, report_rows({"k1.ho.hj1"}, ROUND), report_rows({"nowhere"}, "no such round")):
            want = pd.concat([frame_of(data, rows) for data in parts], ignore_index=True)
            pd.testing.assert_frame_equal(frames_of(parts, rows), want)
    slim = cuts.publication(engine, maker.rounds, viewer, tree=maker.tree, rows=report_rows({"k1.ho.hj1"}, ROUND))
    want = pd.concat([frame_of(data, report_rows({"k1.ho.hj1"}, ROUND)) for data in datas], ignore_index=True)
    pd.testing.assert_frame_equal(slim.cells, want)


def test_a_small_publication_s_arrays_are_the_large_one_s(engine, monkeypatch):
    """``Publication.arrays`` converts a small publication's whole columns once and takes each
    page's rows from them; a large one converts only the page's rows: the same arrays."""
    from scoring.privacy import publication as module

    maker = ReportMaker(engine, ROUND, "nb")
    slim = cuts.publication(engine, maker.rounds, maker.viewer("k1.ho.hj1"), tree=maker.tree, rows=report_rows({"k1.ho.hj1"}, ROUND))
    whole = cuts.publication(engine, maker.rounds, Viewer(), tree=maker.tree)
    assert len(slim.cells) <= module.SMALL_PUBLICATION, "a report's publication takes the small way"
    for publication in (slim, whole):
        asked = [(page, name) for page in ("compare", "overview", "items", "nowhere") for name in (*maker.rounds, "no such round")]
        monkeypatch.setattr(module, "SMALL_PUBLICATION", 10**9)
        small = {key: dataclasses.replace(publication).arrays(*key) for key in asked}
        monkeypatch.setattr(module, "SMALL_PUBLICATION", 0)
        large = {key: dataclasses.replace(publication).arrays(*key) for key in asked}
        for key in asked:
            assert small[key].keys() == large[key].keys()
            for column, values in small[key].items():
                assert values.dtype == large[key][column].dtype, (key, column)
                assert list(map(repr, values)) == list(map(repr, large[key][column])), (key, column)  # NaN, None, text alike
        assert sum(len(small[key]["unit"]) for key in asked) > 0
