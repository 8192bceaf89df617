"""The admin page's PDFs: posters, code slips and paper forms as bytes, codes stored as hashes."""

from __future__ import annotations

import pytest

from dashboard import printables
from scoring.errors import UserError
from scoring.store import api
from scoring.store.db import make_engine, migrate
from tests.conftest import REPO

TEAMS = ["k1.ho.hj1.t1", "k1.ho.hj1.t2"]


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/samklima.db")
    migrate(engine)
    api.import_units(engine, REPO / "sample_data" / "units.csv")
    api.create_round(engine, "2026-2", ["medbestemmelse"], TEAMS)
    yield engine
    engine.dispose()


def test_posters_make_the_missing_unit_links(engine):
    pdf = printables.posters(engine, "2026-2")
    assert pdf.startswith(b"%PDF")
    assert len(api.make_links(engine, "2026-2")) == 2


def test_code_slips_make_new_codes_each_time(engine):
    first = printables.code_slips(engine, "2026-2", TEAMS[0], 3)
    second = printables.code_slips(engine, "2026-2", TEAMS[0], 2)
    assert first.startswith(b"%PDF") and second.startswith(b"%PDF")
    assert api.code_counts(engine, "2026-2").set_index("unit").loc[TEAMS[0], "codes"] == 5
    with pytest.raises(UserError, match="not part of round"):
        printables.code_slips(engine, "2026-2", "d1.pol", 1)


def test_a_paper_form_for_a_unit_and_language(engine):
    assert printables.paper_form(engine, "2026-2", TEAMS[1], "en").startswith(b"%PDF")
    with pytest.raises(UserError, match="unknown unit"):
        printables.paper_form(engine, "2026-2", "nope", "nb")
