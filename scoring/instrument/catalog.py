"""The bundled instruments (``instruments/*.yaml``) and resolving ``--instrument ID_OR_PATH``."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from scoring.errors import UserError
from scoring.instrument.loading import check_unique_across, load_instrument
from scoring.instrument.model import Instrument


def instruments_dir() -> Path:
    """Where the bundled instruments live (``SAMKLIMA_INSTRUMENTS`` overrides)."""
    override = os.environ.get("SAMKLIMA_INSTRUMENTS")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "instruments"


def bundled_files() -> list[Path]:
    return sorted(instruments_dir().glob("*.yaml"))


@lru_cache(maxsize=None)
def _load_all(directory: str) -> tuple[Instrument, ...]:
    loaded = [(str(p), load_instrument(p)) for p in sorted(Path(directory).glob("*.yaml"))]
    problems = check_unique_across(loaded)
    if problems:
        raise UserError(problems)
    return tuple(inst for _, inst in loaded)


def bundled_all() -> list[Instrument]:
    """Every bundled instrument, validated and checked for ids shared between instruments."""
    return list(_load_all(str(instruments_dir())))


def bundled(instrument_id: str) -> Instrument:
    """The bundled instrument with this id."""
    for inst in bundled_all():
        if inst.id == instrument_id:
            return inst
    known = ", ".join(i.id for i in bundled_all())
    raise UserError.single(f"no bundled instrument '{instrument_id}' (bundled: {known})", path="--instrument")


def resolve(id_or_path: str) -> Instrument:
    """An instrument given by bundled id or by path to a YAML file."""
    candidate = Path(id_or_path)
    if candidate.suffix.lower() in (".yaml", ".yml") or candidate.exists():
        return load_instrument(candidate)
    return bundled(id_or_path)


def staff_instruments() -> tuple[str, ...]:
    """Ids of the bundled instruments answered by staff (``audience: staff``), in catalogue order.

    >>> staff_instruments()
    ('medbestemmelse', 'samhandlingsklima')
    """
    return tuple(inst.id for inst in bundled_all() if inst.audience == "staff")
