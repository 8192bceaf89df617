"""The committed sample data (``sample_data/``) as export input, without a database.

Shared by ``tests/test_export*.py`` and the PSPP suite: responses of one round with the columns
the store adds (``instrument_version``, ``date``), the unit tree, and tables of random answers
for instruments with every scoring rule.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from scoring.instrument.catalog import bundled
from scoring.instrument.model import Instrument, Norms

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
STAFF = ("samhandlingsklima", "medbestemmelse")
FEEDBACK = ("feedback-utfall", "feedback-samtale")


def staff_instruments() -> list[Instrument]:
    return [bundled(i) for i in STAFF]


def feedback_instruments() -> list[Instrument]:
    return [bundled(i) for i in FEEDBACK]


def units() -> pd.DataFrame:
    return pd.read_csv(SAMPLE / "units.csv", dtype=str, keep_default_na=False)


def staff_responses(round_name: str = "2024-1") -> pd.DataFrame:
    """One round of ``responses.csv`` as :func:`scoring.store.read.read_responses` returns it:
    ``instrument_version`` and a ``date`` (no time of day) added after ``language``."""
    table = pd.read_csv(
        SAMPLE / "responses.csv", keep_default_na=False, na_values=[""],
        dtype={"response": str, "unit": str, "round": str, "tenure": str, "position": str, "sk_partner": str},
    )  # fmt: skip
    table = table[table["round"] == round_name].reset_index(drop=True)
    versions = ", ".join(f"{inst.id} {inst.version}" for inst in staff_instruments())
    table.insert(4, "instrument_version", versions)
    start = pd.Timestamp(f"{round_name[:4]}-03-01")
    table.insert(5, "date", start + pd.to_timedelta(np.arange(len(table)) % 28, unit="D"))
    return table


def feedback_responses() -> pd.DataFrame:
    """``feedback.csv`` with one response id per contact (client and contact number)."""
    table = pd.read_csv(SAMPLE / "feedback.csv", keep_default_na=False, na_values=[""], dtype={"client": str, "unit": str, "clinician": str})
    table.insert(0, "response", table["client"] + "-" + table["contact"].astype(str))
    return table.drop(columns=["client", "clinician", "contact"])


def every_rule_instrument(mini: Instrument) -> Instrument:
    """The test instrument ``mini`` plus a T-score scale and a sum that allows missing items,
    so that every scoring rule is exported."""
    base = mini.scale("mi_a")
    extra = [
        base.model_copy(update={"id": "mi_a_t", "scoring": "tscore", "norms": Norms(status="provisional", mean=3.1, sd=0.7, provenance="test")}),
        base.model_copy(update={"id": "mi_a_sum2", "scoring": "sum", "min_answered": 0.5}),
    ]
    return mini.model_copy(update={"scales": [*mini.scales, *extra]})


def random_answers(inst: Instrument, n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` responses with random valid codes, about 10 % missing codes and 10 % blanks."""
    rng = np.random.default_rng(seed)
    table = pd.DataFrame({"response": np.arange(1, n + 1), "unit": rng.choice(["a", "b", "c"], size=n)})
    for item_id in inst.item_ids:
        rs = inst.response_scale_of(item_id)
        values = rng.choice(np.array(rs.valid_codes), size=n)
        draw = rng.random(n)
        if rs.missing:
            values = np.where(draw < 0.1, float(min(rs.missing)), values)
        table[item_id] = np.where((draw >= 0.1) & (draw < 0.2), np.nan, values)
    return table


def long_label_instrument():
    """samhandlingsklima with an item text over 256 bytes (but not characters) and a value
    label over 120 bytes (but not characters): æ, ø and å take two bytes each."""
    inst = staff_instruments()[0]
    long_text = "Blåbærsyltetøy og rødgrøt på øya, når ærfuglen går på åkeren i Tromsø. " * 3 + "Særlig på våren."
    items = [i.model_copy(update={"text": {"nb": long_text, "en": "short"}}) if i.id == "sk_info1" else i for i in inst.items]
    scale = inst.response_scales["enig5"]
    long_value = "Helt uenig – både vår egen tjeneste og øvrige samarbeidspartnere på området, særlig før møtene på øya i år og på våren"
    labels = dict(scale.labels) | {1: {"nb": long_value, "en": "Strongly disagree"}}
    scales = {"enig5": scale.model_copy(update={"labels": labels})}
    return inst.model_copy(update={"items": items, "response_scales": scales}), long_text, long_value


@contextmanager
def demo_database(folder: Path) -> Iterator[None]:
    """``SAMKLIMA_DATA_DIR`` pointing at ``folder`` (an SQLite database there) while the block runs.

    ``scoring.store.db.get_engine()`` caches the engine of its default URL for the process, so
    its cache is cleared on entry and exit: commands then connect to this folder's database.
    """
    from scoring.store.db import get_engine

    saved = {k: os.environ.get(k) for k in ("SAMKLIMA_DATA_DIR", "SAMKLIMA_DATABASE_URL")}
    os.environ["SAMKLIMA_DATA_DIR"] = str(folder)
    os.environ.pop("SAMKLIMA_DATABASE_URL", None)
    get_engine.cache_clear()
    try:
        yield
    finally:
        get_engine.cache_clear()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
