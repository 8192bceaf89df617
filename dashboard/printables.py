"""A round's printable material as PDF bytes for the admin page's download buttons.

The same steps as ``samklima posters|codes|paper`` (:mod:`scoring.commands`), drawn by
:mod:`scoring.formats.pdf` into a temporary folder and read back, so nothing is left on disk.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from sqlalchemy import Engine

from scoring.errors import UserError
from scoring.formats.pdf import Poster, code_slips_pdf, paper_form_pdf, posters_pdf
from scoring.store import api
from scoring.store.addresses import public_base, unit_link_for_paper
from scoring.store.form import RoundForm
from scoring.store.round_dates import require_dates
from scoring.store.rounds import round_row
from scoring.store.submit import load_form
from scoring.store.tokens import ANSWER_PATH, code_url


def round_form(engine: Engine, round_name: str) -> RoundForm:
    """The questionnaire stored with the round."""
    with engine.connect() as conn:
        rnd = round_row(conn, round_name)
        return load_form(conn, rnd.id, rnd.form_hash)


def _closes(engine: Engine, round_name: str) -> dt.date | None:
    closes = api.round_info(engine, round_name).closes
    return dt.date.fromisoformat(closes) if closes else None


def _unit_names(engine: Engine) -> dict[str, str]:
    units = api.read_units(engine)
    return dict(zip(units["unit"], units["name"]))


def _written(draw) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "samklima.pdf"
        draw(path)
        return path.read_bytes()


def posters(engine: Engine, round_name: str) -> bytes:
    """One A4 QR poster per unit of the round (its unit link is made if missing); refused
    outside the demo without a public address (:func:`scoring.store.addresses.public_base`)."""
    require_dates(engine, round_name, "posters")
    links = api.make_links(engine, round_name, base_url=public_base(engine))
    names = _unit_names(engine)
    titles = [inst.title.get("nb", inst.id) for inst in round_form(engine, round_name).instruments]
    return _written(lambda path: posters_pdf(
        path, round_name=round_name, posters=[Poster(names.get(link.unit, link.unit), link.url) for link in links],
        closes=_closes(engine, round_name), titles=titles,
    ))


def code_slips(engine: Engine, round_name: str, unit: str, count: int) -> bytes:
    """``count`` new one-time codes for ``unit`` as slips to cut out. The codes exist only in
    this PDF (the database keeps their hashes), so each call makes new ones."""
    require_dates(engine, round_name, "code slips")
    base = public_base(engine)
    unit_name, closes = _unit_names(engine).get(unit, unit), _closes(engine, round_name)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "samklima.pdf"
        # Printed before they are stored: if the PDF cannot be made, no code is stored.
        api.make_codes(engine, round_name, unit, count, write=lambda codes: code_slips_pdf(
            path, round_name=round_name, unit_name=unit_name, codes=codes,
            urls=[code_url(c, base) for c in codes], answer_url=base + ANSWER_PATH, closes=closes,
        ))
        return path.read_bytes()


def paper_form(engine: Engine, round_name: str, unit: str, language: str) -> bytes:
    """The round's questionnaire on paper for ``unit``, with boxes for every code and "vet ikke"."""
    require_dates(engine, round_name, "paper forms")
    names = _unit_names(engine)
    if unit not in names:
        raise UserError.single(f"unknown unit '{unit}'", path="--unit")
    form = round_form(engine, round_name)
    online = unit_link_for_paper(engine, round_name, unit)
    return _written(lambda path: paper_form_pdf(
        path, round_name=round_name, unit=unit, unit_name=names[unit], instruments=form.instruments, language=language, online_url=online,
    ))
