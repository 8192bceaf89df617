"""A round's answers summed per group, kept in the database and refreshed where answers changed.

The publication needs, per (unit, class) group of respondents, the count, per scale the sum and
sum of squares of the scores, and per item how many gave each answer
(:mod:`scoring.privacy.groups`). They are stored per round and unit in ``aggregate_groups``, so
deciding a round never has to read and score its raw answers again.

How they stay current: every statement that writes, changes or deletes a response adds to the
counter of its round and unit (``answer_versions.version``, kept by database triggers from
migration 0008, so an answer is still one statement and no write path, a ``samklima import``, a
deletion by hand, can forget it). ``aggregated`` is the counter value the unit's groups were
computed at. A reader (:func:`round_groups`) refreshes the stale units only: it reads their
responses alone, sums them and replaces their groups, in one write transaction that keeps a
newer refresh by another app server (a unit is written only when its groups are older than the
ones at hand). The counter is read before the responses, so a response that arrives during the
read leaves the unit stale for the next reader, never wrongly current.

What changes what: an answer, an import or a deletion changes the units it touched (their groups
are summed again, nobody else's); closing or reopening a round, its ``min_n`` or the unit tree
change no aggregate (only the decision, :mod:`scoring.store.decisions`); client-feedback contacts
and their corrections are not survey answers and change nothing here.

Privacy (``docs/privacy.md``, "What the database holds"): a group row holds a unit, a partner
service, which scales its respondents have a score on, their number and sums; no id, date,
language or field of a response. A group of one respondent holds what that response's row
already holds, and goes when the response goes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np
from sqlalchemy import Engine, bindparam, delete, func, insert, select, update

from scoring.privacy.answers import ItemSpec, ScaleSpec, instrument_specs, round_answers
from scoring.privacy.groups import RoundGroups, group_answers
from scoring.store.db import write_transaction
from scoring.store.models import AggregateGroup, AnswerVersion, Round
from scoring.store.read import read_responses
from scoring.store.rounds import round_row
from scoring.store.submit import load_form


def answer_versions(engine: Engine) -> dict[str, int]:
    """Round name -> its answer-set version: the sum of its units' counters, which grows with
    every response written, changed or deleted (0 for a round without any)."""
    query = (
        select(Round.name, func.coalesce(func.sum(AnswerVersion.version), 0))
        .select_from(Round)
        .outerjoin(AnswerVersion, AnswerVersion.round_id == Round.id)
        .group_by(Round.id, Round.name)
    )
    with engine.connect() as conn:
        return {name: int(version) for name, version in conn.execute(query)}


def answers_version(conn, round_id: int) -> int:
    """One round's answer-set version (:func:`answer_versions`)."""
    total = conn.execute(select(func.coalesce(func.sum(AnswerVersion.version), 0)).where(AnswerVersion.round_id == round_id))
    return int(total.scalar_one())


def stale_units(engine: Engine, name: str) -> dict[str, int]:
    """Unit -> counter, for the units of round ``name`` whose stored groups are not current."""
    with engine.connect() as conn:
        rnd = round_row(conn, name)
        rows = conn.execute(
            select(AnswerVersion.unit_id, AnswerVersion.version, AnswerVersion.aggregated).where(AnswerVersion.round_id == rnd.id)
        ).all()
    return {unit: int(version) for unit, version, aggregated in rows if aggregated is None or aggregated < version}


def round_groups(engine: Engine, name: str) -> RoundGroups:
    """Round ``name`` summed per group, from the stored aggregates; the units whose answers
    changed since they were summed are summed again first (module docstring)."""
    stale = stale_units(engine, name)
    if stale:
        refresh(engine, name, stale)
    with engine.connect() as conn:
        rnd = round_row(conn, name)
        form = load_form(conn, rnd.id, rnd.form_hash)
        rows = conn.execute(
            select(AggregateGroup.unit_id, AggregateGroup.partner, AggregateGroup.scales, AggregateGroup.n,
                   AggregateGroup.sums, AggregateGroup.squares, AggregateGroup.counts)
            .where(AggregateGroup.round_id == rnd.id)
        ).all()  # fmt: skip
    scales, items = round_specs(form.instruments)
    return decode(rows, name, rnd.min_n, rnd.state == "closed", scales, items)


def refresh(engine: Engine, name: str, units: dict[str, int]) -> int:
    """Sum again the groups of ``units`` (unit -> the counter read before their answers) from
    their stored responses; returns how many units were written (a unit already summed at its
    counter or later, by another reader, is left alone)."""
    with engine.connect() as conn:
        rnd = round_row(conn, name)
        form = load_form(conn, rnd.id, rnd.form_hash)
    table = read_responses(engine, name, units=sorted(units))
    groups = None
    if len(table):
        answers = round_answers(table, list(form.instruments), name, rnd.min_n, closed=rnd.state == "closed")
        groups = group_answers(answers)
    rows = encode(groups, rnd.id) if groups is not None else []
    with write_transaction(engine) as conn:
        current = select(AnswerVersion.unit_id, AnswerVersion.aggregated).where(
            AnswerVersion.round_id == rnd.id, AnswerVersion.unit_id.in_(sorted(units))
        ).order_by(AnswerVersion.unit_id)
        if conn.dialect.name == "postgresql":
            current = current.with_for_update()  # submissions to these units wait for this short write
        done = {u: a for u, a in conn.execute(current)}
        todo = sorted(u for u, seen in units.items() if u in done and (done[u] is None or done[u] < seen))
        if not todo:
            return 0
        conn.execute(delete(AggregateGroup).where(AggregateGroup.round_id == rnd.id, AggregateGroup.unit_id.in_(todo)))
        keep = set(todo)
        mine = [r for r in rows if r["unit_id"] in keep]
        if mine:
            conn.execute(insert(AggregateGroup), mine)
        conn.execute(
            update(AnswerVersion)
            .where(AnswerVersion.round_id == rnd.id, AnswerVersion.unit_id == bindparam("unit"))
            .values(aggregated=bindparam("seen")),
            [{"unit": u, "seen": units[u]} for u in todo],
        )
    return len(todo)


def round_specs(instruments: Iterable) -> tuple[tuple[ScaleSpec, ...], tuple[ItemSpec, ...]]:
    """The scales and items of a round's questionnaire, in form order."""
    scales, items = [], []
    for inst in instruments:
        more_scales, more_items = instrument_specs(inst)
        scales += more_scales
        items += more_items
    return tuple(scales), tuple(items)


def encode(groups: RoundGroups, round_id: int) -> list[dict]:
    """Rows of ``aggregate_groups`` (one per group; the arrays as JSON lists)."""
    counts = np.hstack(groups.counts) if groups.counts else np.zeros((groups.groups, 0))
    masks = ["".join("1" if v else "0" for v in row) for row in groups.valid]
    return [
        {"round_id": round_id, "unit_id": str(unit), "partner": str(partner or ""), "scales": mask, "n": int(n),
         "sums": s.tolist(), "squares": q.tolist(), "counts": [int(c) for c in k]}
        for unit, partner, mask, n, s, q, k in zip(groups.unit, groups.partner, masks, groups.n, groups.sums, groups.squares, counts)
    ]  # fmt: skip


def decode(rows, name: str, min_n: int, closed: bool, scales, items) -> RoundGroups:
    """:class:`RoundGroups` from rows of ``aggregate_groups`` (unit, partner, scales, n, sums,
    squares, counts), checked against the questionnaire's scales and items."""
    g = len(rows)
    widths = [len(item.codes) + len(item.dont_know) for item in items]
    unit = np.array([r[0] for r in rows], dtype=object)
    partner = np.array([r[1] for r in rows], dtype=object)
    valid = np.array([[c == "1" for c in r[2]] for r in rows], dtype=bool).reshape(g, len(scales))
    n = np.array([r[3] for r in rows], dtype=float)
    sums = np.array([_list(r[4]) for r in rows], dtype=float).reshape(g, len(scales))
    squares = np.array([_list(r[5]) for r in rows], dtype=float).reshape(g, len(scales))
    flat = np.array([_list(r[6]) for r in rows], dtype=float).reshape(g, sum(widths))
    edges = np.cumsum([0, *widths])
    counts = tuple(flat[:, edges[j]:edges[j + 1]] for j in range(len(items)))
    return RoundGroups(name, int(min_n), unit, partner, valid, n, sums, squares, counts, tuple(scales), tuple(items), closed)


def _list(value):
    return json.loads(value) if isinstance(value, str) else value
