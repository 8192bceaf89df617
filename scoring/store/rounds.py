"""Survey rounds: create, close and list them; unit links, one-time codes and headcounts.

Tokens and codes are made in :mod:`scoring.store.tokens`; the plain one-time codes are returned
once by :func:`make_codes` and only their hashes are stored. A used code's row is deleted when
its answer is stored (:mod:`scoring.store.submit`), so codes used = made (``code_batches``) -
still stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd
from sqlalchemy import Engine, case, func, select

from scoring.errors import Problem, UserError, choice_problem
from scoring.instrument.catalog import resolve
from scoring.responses.national_id import find_national_id, national_id_message
from scoring.store.db import write_transaction
from scoring.store.files import raise_problems, read_text_table
from scoring.store.form import RoundForm, form_hash
from scoring.store.limits import INT_MAX, int_limit_problem, text_limit_problem
from scoring.store.models import (
    MIN_N_FLOOR,
    MODES,
    CodeBatch,
    Headcount,
    OneTimeCode,
    Response,
    Round,
    RoundInstrument,
    RoundUnit,
    Unit,
    UnitLink,
)
from scoring.store.organisation import leaf_units, read_units
from scoring.store.tokens import code_hash, link_url, new_code, new_token


@dataclass
class RoundInfo:
    """A round and its counts (``samklima round list --json``)."""

    name: str
    instruments: list[dict]
    languages: list[str]
    opens: str | None
    closes: str | None
    mode: str
    min_n: int
    state: str
    units: int
    responses: int
    invited: int | None
    response_rate: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        instruments = ", ".join(f"{i['id']} {i['version']}" for i in self.instruments)
        dates = f"{self.opens or '?'} to {self.closes or '?'}"
        rate = f", {self.response_rate:.0%} of {self.invited} invited" if self.response_rate is not None else ""
        return (
            f"{self.name:<16} {self.state:<6} {self.mode:<9} {dates:<24} {self.units:>4} units "
            f"{self.responses:>6} responses{rate}  [{instruments}]"
        )


@dataclass(frozen=True)
class Link:
    unit: str
    url: str
    token: str

    def to_dict(self) -> dict:
        return asdict(self)


def create_round(
    engine: Engine,
    name: str,
    instruments: Sequence[str],
    units: str | Sequence[str] = "all",
    *,
    opens: dt.date | None = None,
    closes: dt.date | None = None,
    mode: str = "anonymous",
    min_n: int = 5,
    languages: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> RoundInfo:
    """Create an open round for ``units`` (``"all"``: every surveyed team, see
    :func:`~scoring.store.organisation.leaf_units`) with the instruments as they are now.

    ``instruments`` are bundled ids or YAML paths; their definitions are stored in the round.
    """
    name = (name or "").strip()
    problems = _option_problems(name, instruments, mode=mode, min_n=min_n, opens=opens, closes=closes)
    if problems:
        raise UserError(problems)
    form, languages = _round_form(instruments, languages)
    unit_ids = _round_units(engine, units)
    definitions = form.definitions()
    with write_transaction(engine) as conn:
        if conn.execute(select(Round.id).where(Round.name == name)).first():
            raise UserError.single(f"a round named '{name}' exists already", path="--name", code="round_exists", params={"name": name})
        round_id = conn.execute(
            Round.__table__.insert()
            .values(
                name=name, languages=languages, opens=opens, closes=closes, mode=mode, min_n=min_n, state="open",
                items=list(form.items), form_hash=form_hash(definitions), created_on=today or dt.date.today(),
            )
            .returning(Round.id)
        ).scalar_one()
        conn.execute(
            RoundInstrument.__table__.insert(),
            [
                dict(round_id=round_id, instrument_id=inst.id, position=pos, version=inst.version, definition=definition)
                for pos, (inst, definition) in enumerate(zip(form.instruments, definitions))
            ],
        )
        conn.execute(RoundUnit.__table__.insert(), [dict(round_id=round_id, unit_id=u) for u in dict.fromkeys(unit_ids)])
    return round_info(engine, name)


def _name_problem(name: str) -> Problem | None:
    """A blank round name, one holding a national identity number, or one too long to store."""
    if not name:
        return Problem("the round needs a name", path="--name", code="round_name_missing")
    if (found := find_national_id(name)) is not None:
        return Problem(national_id_message("the round name", found), path="--name", code="national_id")
    return text_limit_problem(name, Round.__table__.c.name, path="--name")


def _option_problems(name: str, instruments: Sequence[str], *, mode: str, min_n: int, opens, closes) -> list[Problem]:
    """Every problem with the round's options, reported together (nothing is stored if any)."""
    problems = [p for p in (_name_problem(name), choice_problem(mode, MODES, "--mode")) if p is not None]
    if min_n > INT_MAX:
        problems.append(int_limit_problem(min_n, path="--min-n"))
    if min_n < MIN_N_FLOOR:
        problems.append(Problem(f"min_n {min_n} is below {MIN_N_FLOOR}, the smallest group that keeps answers anonymous", path="--min-n",
                                code="min_n_floor", params={"min_n": min_n, "floor": MIN_N_FLOOR}))
    if opens and closes and closes < opens:
        problems.append(Problem(f"closes ({closes}) is before opens ({opens})", path="--closes", code="closes_before_opens",
                                params={"opens": opens, "closes": closes}))
    if not instruments:
        problems.append(Problem("name at least one instrument", path="--instrument", code="no_instrument"))
    if len(set(instruments)) != len(instruments):
        problems.append(Problem("an instrument is named twice", path="--instrument", code="instrument_twice"))
    return problems


def _round_form(instruments: Sequence[str], languages: Sequence[str] | None) -> tuple[RoundForm, list[str]]:
    """The round's form and languages (by default those every instrument offers); refused when
    a language is missing from an instrument, items share ids, or a stored text is too long."""
    form = RoundForm(tuple(resolve(i) for i in instruments))
    common = [lang for lang in form.instruments[0].languages if all(lang in i.languages for i in form.instruments)]
    languages = list(languages) if languages else common
    bad_lang = [lang for lang in languages if lang not in common]
    if bad_lang or not languages:
        raise UserError.single(f"language(s) {', '.join(bad_lang) or '(none)'} not offered by every instrument (common: {', '.join(common)})", path="--language",
                               code="languages_not_common", params={"languages": ", ".join(bad_lang) or "–", "common": ", ".join(common)})
    duplicate_items = [i for i in set(form.items) if form.items.count(i) > 1]
    if duplicate_items:
        raise UserError.single("the instruments share item ids: " + ", ".join(sorted(duplicate_items)), path="--instrument",
                               code="shared_item_ids", params={"items": ", ".join(sorted(duplicate_items))})
    stored = [
        *[(inst.id, RoundInstrument.__table__.c.instrument_id, f"instrument id '{inst.id[:40]}'") for inst in form.instruments],
        *[(inst.version, RoundInstrument.__table__.c.version, f"version of '{inst.id[:40]}'") for inst in form.instruments],
        *[(lang, Response.__table__.c.language, f"language '{lang[:40]}'") for lang in languages],
        (form.versions, Response.__table__.c.instrument_versions, "the instruments and versions stored with each response"),
    ]
    too_long = [p for value, column, what in stored if (p := text_limit_problem(value, column, prefix=f"{what}: ", path="--instrument"))]
    if too_long:
        raise UserError(too_long)
    return form, languages


def _round_units(engine: Engine, units: str | Sequence[str]) -> list[str]:
    """The units to survey: every surveyed team for ``"all"``, else the named ones (all known)."""
    unit_table = read_units(engine)
    if isinstance(units, str) and units.strip() == "all":
        unit_ids = leaf_units(unit_table)
    else:
        unit_ids = [u.strip() for u in (units.split(",") if isinstance(units, str) else units) if u.strip()]
        unknown = [u for u in unit_ids if u not in set(unit_table["unit"])]
        if unknown:
            raise UserError.single("unknown unit(s): " + ", ".join(unknown) + " (import units.csv first)", path="--units",
                                      code="unknown_units", params={"units": ", ".join(unknown)})
    if not unit_ids:
        raise UserError.single("no units to survey (import units.csv first, or name units with --units)", path="--units", code="no_units")
    return unit_ids


def refresh_instruments(engine: Engine, name: str) -> RoundInfo:
    """Store the instruments' current definitions in a round that has no answers yet."""
    with write_transaction(engine) as conn:
        rnd = round_row(conn, name)
        if conn.execute(select(Response.id).where(Response.round_id == rnd.id).limit(1)).first():
            raise UserError.single(f"round '{name}' has answers; its instruments are frozen", path="round", code="instruments_frozen",
                                   params={"name": name})
        ids = conn.execute(
            select(RoundInstrument.instrument_id).where(RoundInstrument.round_id == rnd.id).order_by(RoundInstrument.position)
        ).scalars().all()
        form = RoundForm(tuple(resolve(i) for i in ids))
        definitions = form.definitions()
        for inst, definition in zip(form.instruments, definitions):
            conn.execute(
                RoundInstrument.__table__.update()
                .where(RoundInstrument.round_id == rnd.id, RoundInstrument.instrument_id == inst.id)
                .values(version=inst.version, definition=definition)
            )
        conn.execute(Round.__table__.update().where(Round.id == rnd.id).values(items=list(form.items), form_hash=form_hash(definitions)))
    return round_info(engine, name)


def close_round(engine: Engine, name: str) -> RoundInfo:
    """Close a round: its links and codes stop working."""
    with write_transaction(engine) as conn:
        rnd = round_row(conn, name)
        conn.execute(Round.__table__.update().where(Round.id == rnd.id).values(state="closed"))
    return round_info(engine, name)


def reopen_round(engine: Engine, name: str) -> RoundInfo:
    with write_transaction(engine) as conn:
        rnd = round_row(conn, name)
        conn.execute(Round.__table__.update().where(Round.id == rnd.id).values(state="open"))
    return round_info(engine, name)


def list_rounds(engine: Engine) -> list[RoundInfo]:
    """Every round with its instruments, state and counts, oldest first."""
    with engine.connect() as conn:
        names = conn.execute(select(Round.name).order_by(Round.created_on, Round.id)).scalars().all()
    return [round_info(engine, n) for n in names]


def round_info(engine: Engine, name: str) -> RoundInfo:
    with engine.connect() as conn:
        rnd = round_row(conn, name)
        instruments = [
            {"id": r.instrument_id, "version": r.version}
            for r in conn.execute(
                select(RoundInstrument.instrument_id, RoundInstrument.version)
                .where(RoundInstrument.round_id == rnd.id)
                .order_by(RoundInstrument.position)
            )
        ]
        units = conn.execute(select(func.count()).select_from(RoundUnit).where(RoundUnit.round_id == rnd.id)).scalar_one()
        responses = conn.execute(select(func.count()).select_from(Response).where(Response.round_id == rnd.id)).scalar_one()
        invited = conn.execute(select(func.sum(Headcount.invited)).where(Headcount.round_id == rnd.id)).scalar()
    return RoundInfo(
        name=rnd.name,
        instruments=instruments,
        languages=list(rnd.languages),
        opens=rnd.opens.isoformat() if rnd.opens else None,
        closes=rnd.closes.isoformat() if rnd.closes else None,
        mode=rnd.mode,
        min_n=rnd.min_n,
        state=rnd.state,
        units=units,
        responses=responses,
        invited=int(invited) if invited is not None else None,
        response_rate=round(responses / invited, 4) if invited else None,
    )


def round_status(engine: Engine, name: str) -> pd.DataFrame:
    """Responses, invited staff and response rate per unit of a round (for the admin page)."""
    with engine.connect() as conn:
        rnd = round_row(conn, name)
        counts = (
            select(Response.unit_id, func.count().label("responses"))
            .where(Response.round_id == rnd.id)
            .group_by(Response.unit_id)
            .subquery()
        )
        rows = conn.execute(
            select(RoundUnit.unit_id, Unit.name, func.coalesce(counts.c.responses, 0), Headcount.invited)
            .join(Unit, Unit.id == RoundUnit.unit_id)
            .outerjoin(counts, counts.c.unit_id == RoundUnit.unit_id)
            .outerjoin(Headcount, (Headcount.unit_id == RoundUnit.unit_id) & (Headcount.round_id == rnd.id))
            .where(RoundUnit.round_id == rnd.id)
            .order_by(Unit.position, Unit.id)
        ).all()
    frame = pd.DataFrame(rows, columns=["unit", "name", "responses", "invited"])
    frame["invited"] = frame["invited"].astype("Int64")
    frame["response_rate"] = (frame["responses"] / frame["invited"]).astype("Float64").round(4)
    return frame


def make_links(engine: Engine, name: str, *, base_url: str | None = None, today: dt.date | None = None) -> list[Link]:
    """The active link of every unit in the round, creating those that are missing."""
    with write_transaction(engine) as conn:
        rnd = round_row(conn, name)
        existing = {
            r.unit_id: r.token
            for r in conn.execute(
                select(UnitLink.unit_id, UnitLink.token).where(UnitLink.round_id == rnd.id, UnitLink.revoked.is_(False)).order_by(UnitLink.id)
            )
        }
        unit_ids = conn.execute(
            select(RoundUnit.unit_id).join(Unit, Unit.id == RoundUnit.unit_id).where(RoundUnit.round_id == rnd.id).order_by(Unit.position, Unit.id)
        ).scalars().all()
        new = [dict(round_id=rnd.id, unit_id=u, token=new_token(), revoked=False, created_on=today or dt.date.today()) for u in unit_ids if u not in existing]
        if new:
            conn.execute(UnitLink.__table__.insert(), new)
            existing.update({n["unit_id"]: n["token"] for n in new})
    return [Link(unit=u, url=link_url(existing[u], base_url), token=existing[u]) for u in unit_ids]


def revoke_link(engine: Engine, name: str, unit: str) -> int:
    """Revoke the unit's links in a round (a new one is made by :func:`make_links`)."""
    with write_transaction(engine) as conn:
        rnd = round_row(conn, name)
        return conn.execute(
            UnitLink.__table__.update().where(UnitLink.round_id == rnd.id, UnitLink.unit_id == unit, UnitLink.revoked.is_(False)).values(revoked=True)
        ).rowcount


def make_codes(
    engine: Engine, name: str, unit: str, count: int, *, today: dt.date | None = None, write: Callable[[list[str]], object] | None = None
) -> list[str]:
    """Create ``count`` one-time codes for a unit of a round; the plain codes are returned once.

    ``write(codes)``, if given, prints the new codes (to a temporary file) before they are
    stored, outside the write transaction: if printing fails nothing is stored, since a code
    nobody holds would only count as unused forever.
    """
    if count < 1 or count > 10_000:
        raise UserError.single(f"count must be between 1 and 10000, not {count}", path="--count", code="code_count")
    today = today or dt.date.today()
    with engine.connect() as conn:  # refuse a wrong round or unit before printing anything
        _check_round_unit(conn, round_row(conn, name), unit)
    codes = [new_code() for _ in range(count)]
    if write is not None:
        write(codes)
    with write_transaction(engine) as conn:
        rnd = round_row(conn, name)
        _check_round_unit(conn, rnd, unit)
        # Sorted by hash, the order of the table's key: the printed order is not kept either.
        rows = sorted(
            (dict(code_hash=code_hash(c), round_id=rnd.id, unit_id=unit, revoked=False, created_on=today) for c in codes),
            key=lambda r: r["code_hash"],
        )
        conn.execute(OneTimeCode.__table__.insert(), rows)
        conn.execute(CodeBatch.__table__.insert().values(round_id=rnd.id, unit_id=unit, count=count, created_on=today))
    return codes


def revoke_codes(engine: Engine, name: str, unit: str | None = None) -> int:
    """Revoke the unused codes of a round (of one unit if given); returns how many."""
    with write_transaction(engine) as conn:
        rnd = round_row(conn, name)
        query = OneTimeCode.__table__.update().where(OneTimeCode.round_id == rnd.id, OneTimeCode.revoked.is_(False))
        if unit is not None:
            query = query.where(OneTimeCode.unit_id == unit)
        return conn.execute(query.values(revoked=True)).rowcount


def code_counts(engine: Engine, name: str) -> pd.DataFrame:
    """Codes made, used and revoked per unit: counts only (a used code has no row, so nothing
    says which code was used, or when)."""
    with engine.connect() as conn:
        rnd = round_row(conn, name)
        made = dict(
            conn.execute(
                select(CodeBatch.unit_id, func.sum(CodeBatch.count)).where(CodeBatch.round_id == rnd.id).group_by(CodeBatch.unit_id)
            ).all()
        )
        stored = {
            r[0]: (int(r[1]), int(r[2] or 0))
            for r in conn.execute(
                select(OneTimeCode.unit_id, func.count(), func.sum(case((OneTimeCode.revoked, 1), else_=0)))
                .where(OneTimeCode.round_id == rnd.id)
                .group_by(OneTimeCode.unit_id)
            )
        }
    units = sorted(made)
    rows = [(u, int(made[u]), int(made[u]) - stored.get(u, (0, 0))[0], stored.get(u, (0, 0))[1]) for u in units]
    return pd.DataFrame(rows, columns=["unit", "codes", "used", "revoked"]).astype({"codes": "int64", "used": "int64", "revoked": "int64"})


HEADCOUNT_COLUMNS = ("unit", "round", "invited")


def import_headcount(engine: Engine, source: str | Path | pd.DataFrame, *, file: str | None = None) -> dict:
    """Set invited staff per unit and round from a table ``unit,round,invited``; all or nothing.

    A person in two units is counted in both. Rows for a unit and round already stored replace
    the old number. Returns ``{"rows": n, "rounds": [...]}``.
    """
    table = read_text_table(source, HEADCOUNT_COLUMNS, file=file, names={"unit": "the unit", "round": "the round"})
    file = file or (None if isinstance(source, pd.DataFrame) else str(source))
    problems = []
    with write_transaction(engine) as conn:
        rounds = {r.name: r.id for r in conn.execute(select(Round.name, Round.id))}
        units = set(conn.execute(select(Unit.id)).scalars())
        seen: dict[tuple[str, str], int] = {}
        values = []
        for row, rec in enumerate(table.itertuples(index=False), start=1):
            if rec.round not in rounds:
                problems.append(Problem(f"no round named '{rec.round}' (create it first)", file=file, row=row, path="round", code="no_round",
                                        params={"name": rec.round}))
            if rec.unit not in units:
                problems.append(Problem(f"unknown unit '{rec.unit}'", file=file, row=row, path="unit", code="unknown_unit", params={"unit": rec.unit}))
            try:
                invited = int(rec.invited)
                if invited < 0:
                    raise ValueError
            except ValueError:
                problems.append(Problem(f"'invited' must be a whole number >= 0, not {rec.invited!r}", file=file, row=row, path="invited",
                                        code="not_whole_number", params={"value": rec.invited}))
                continue
            if (too_big := int_limit_problem(invited, file=file, row=row, path="invited")) is not None:
                problems.append(too_big)
                continue
            key = (rec.unit, rec.round)
            if key in seen:
                problems.append(Problem(f"unit '{rec.unit}' and round '{rec.round}' already on row {seen[key]}", file=file, row=row, path="unit",
                                        code="row_repeated", params={"unit": rec.unit, "round": rec.round, "first": seen[key]}))
            seen[key] = row
            values.append((rec.unit, rec.round, invited))
        raise_problems(problems, file or "the headcount table")
        for unit, round_name, invited in values:
            key = dict(unit_id=unit, round_id=rounds[round_name])
            updated = conn.execute(
                Headcount.__table__.update().where(Headcount.unit_id == unit, Headcount.round_id == rounds[round_name]).values(invited=invited)
            ).rowcount
            if not updated:
                conn.execute(Headcount.__table__.insert().values(invited=invited, **key))
    return {"rows": len(values), "rounds": sorted({r for _, r, _ in values})}


def round_row(conn, name: str):
    """The ``rounds`` row named ``name``, or a UserError listing the rounds there are."""
    rnd = conn.execute(select(Round.__table__).where(Round.name == name)).first()
    if rnd is None:
        known = conn.execute(select(Round.name).order_by(Round.id)).scalars().all()
        hint = f" (rounds: {', '.join(known)})" if known else " (no rounds yet: samklima round create)"
        raise UserError.single(f"no round named '{name}'{hint}", path="--round", code="no_round", params={"name": name})
    return rnd


def _check_round_unit(conn, rnd, unit: str) -> None:
    if not conn.execute(select(RoundUnit.unit_id).where(RoundUnit.round_id == rnd.id, RoundUnit.unit_id == unit)).first():
        raise UserError.single(f"unit '{unit}' is not part of round '{rnd.name}'", path="--unit", code="unit_not_in_round",
                               params={"unit": unit, "round": rnd.name})
