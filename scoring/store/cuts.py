"""A viewer's publication from the stored decisions and stored cuts, for every app server.

A manager's cut of a round (:func:`scoring.privacy.scope.restrict`: their units, the
organisation and the unit types, with every organisation or type cell withheld that would let
them isolate a unit outside their scope) is a search of its own, seconds for a large round; it
depends only on the round's decision and the set of units the viewer sees. So it is stored in
``viewer_cuts`` beside the round's stored decision (:mod:`scoring.store.decisions`), keyed by
the scope (a SHA-256 of the sorted units; two managers of the same units share it) and the hash
of what the decision was decided on. A restarted or new app server, a report batch or
``samklima publication`` reads it; a changed answer set, ``min_n``, state, questionnaire or unit
tree makes a new decision key, and the cut is made again from the new decision. Replacing a
round's decision deletes its cuts (foreign key, and explicitly).

The organisation-wide view needs no search (it is the decision's cells) and is not stored; a
reader of some pages only (``rows``: the dashboard's unit means and counts) reads those cells
straight from the stored decision (:func:`scoring.store.decisions.current_cells`), without
loading the decision's millions of item and partner cells.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable

import pandas as pd
from sqlalchemy import Engine, delete, insert, select

from scoring.privacy.cell_rows import CellRows
from scoring.privacy.publication import CELL_COLUMNS, Publication, RoundDecision, Viewer
from scoring.privacy.scope import INTERNAL, restrict
from scoring.store.db import write_transaction
from scoring.store.decisions import KEY_FIELDS, current_cells, current_key, decision, frame_bytes, frame_of, frames_of, key_hash
from scoring.store.models import StoredCut, StoredDecision
from scoring.store.organisation import read_units
from scoring.store.rounds import round_row


def scope_hash(viewer: Viewer) -> str:
    """SHA-256 of the units ``viewer`` sees (not of who they are: equal scopes share a cut)."""
    return hashlib.sha256("\n".join(sorted(viewer.units or ())).encode()).hexdigest()


def round_cut(engine: Engine, name: str, viewer: Viewer, tree: pd.DataFrame | None = None,
              decide: Callable[[str], RoundDecision] | None = None,
              rows: CellRows | None = None, keys: dict | None = None) -> tuple[pd.DataFrame, int]:
    """(The cells of round ``name`` that ``viewer`` may see, the round's ``min_n``): the stored
    cut when it is current, else cut from the round's decision (``decide(name)``, default the
    stored decision, :func:`scoring.store.decisions.decision`) and stored (whole). With
    ``rows``, only the cells they name are returned (:mod:`scoring.privacy.cell_rows`). With
    ``keys`` (a dict the caller keeps), the round's row and current decision key are read once
    and kept there: a report batch reads a cut per scope, thousands, of the same rounds."""
    cut, min_n = _cut_or_stored(engine, name, viewer, tree, decide, rows, keys)
    return (frame_of(cut, rows) if isinstance(cut, bytes) else cut), min_n


def _cut_or_stored(engine: Engine, name: str, viewer: Viewer, tree: pd.DataFrame | None,
                   decide: Callable[[str], RoundDecision] | None, rows: CellRows | None,
                   keys: dict | None) -> tuple[bytes | pd.DataFrame, int]:
    """:func:`round_cut`'s cells, as the stored cut's bytes (not decoded yet) when it is current,
    else as the frame cut now (and stored)."""
    tree = read_units(engine) if tree is None else tree
    decide = decide or (lambda round_name: decision(engine, round_name, tree))
    if viewer.whole_organisation:
        if rows is not None:  # only some cells: read them from the stored decision, not the whole of it
            with engine.connect() as conn:
                rnd = round_row(conn, name)
                stored = current_cells(conn, rnd, tree)
            if stored is not None:
                return frame_of(stored, rows).drop(columns=INTERNAL, errors="ignore"), int(rnd.min_n)
        decided = decide(name)
        return _taken(restrict(decided, viewer), rows), decided.min_n
    scope = scope_hash(viewer)
    with engine.connect() as conn:
        round_id, min_n, wanted = _current(conn, name, tree, {} if keys is None else keys)
        row = conn.execute(select(StoredCut.decision_key, StoredCut.cells)
                           .where(StoredCut.round_id == round_id, StoredCut.scope == scope)).first()
    if row is not None and row.decision_key == wanted:
        return row.cells, min_n
    decided = decide(name)
    cells = restrict(decided, viewer)
    _store(engine, round_id, scope, wanted, cells)
    return _taken(cells, rows), decided.min_n


def _current(conn, name: str, tree: pd.DataFrame, keys: dict) -> tuple[int, int, str]:
    """(Round ``name``'s id, its ``min_n``, the hash of its current decision key), from ``keys``
    or read into it."""
    if name not in keys:
        rnd = round_row(conn, name)
        keys[name] = (rnd.id, int(rnd.min_n), key_hash(current_key(conn, rnd, tree)))
    return keys[name]


def _taken(cells: pd.DataFrame, rows: CellRows | None) -> pd.DataFrame:
    return cells if rows is None else cells[rows.mask(cells)].reset_index(drop=True)


def all_stored(engine: Engine, rounds: Iterable[str], viewers: Iterable[Viewer], tree: pd.DataFrame | None = None) -> bool:
    """Whether every viewer's cut of every round is stored and current (then nothing needs the
    rounds' decisions: a report batch reads the cuts)."""
    viewers = list(viewers)
    if any(v.whole_organisation for v in viewers):
        return False
    return not any(rounds for _, rounds in missing_cuts(engine, rounds, viewers, tree))


def missing_cuts(engine: Engine, rounds: Iterable[str], viewers: Iterable[Viewer],
                 tree: pd.DataFrame | None = None) -> list[tuple[Viewer, list[str]]]:
    """For each viewer with a scope (the organisation-wide view is never stored): the ``rounds``
    whose cut for that scope is not stored or not current. One query per round."""
    viewers = [v for v in viewers if not v.whole_organisation]
    tree = read_units(engine) if tree is None else tree
    hashes = [scope_hash(v) for v in viewers]
    missing: list[list[str]] = [[] for _ in viewers]
    with engine.connect() as conn:
        for name in dict.fromkeys(rounds):
            rnd = round_row(conn, name)
            wanted = key_hash(current_key(conn, rnd, tree))
            stored = set(conn.execute(select(StoredCut.scope).where(StoredCut.round_id == rnd.id,
                                                                    StoredCut.decision_key == wanted)).scalars())
            for scope, out in zip(hashes, missing):
                if scope not in stored:
                    out.append(name)
    return list(zip(viewers, missing))


def _store(engine: Engine, round_id: int, scope: str, wanted: str, cells: pd.DataFrame) -> None:
    """Keep the cut, unless the round's stored decision has changed since it was read (another
    server decided it again: this cut would be of an older decision)."""
    data = frame_bytes(cells)
    with write_transaction(engine) as conn:
        stored = conn.execute(select(*(getattr(StoredDecision, f) for f in KEY_FIELDS))
                              .where(StoredDecision.round_id == round_id)).first()
        if stored is None or key_hash(dict(zip(KEY_FIELDS, stored))) != wanted:
            return
        conn.execute(delete(StoredCut).where(StoredCut.round_id == round_id, StoredCut.scope == scope))
        conn.execute(insert(StoredCut), {"round_id": round_id, "scope": scope, "decision_key": wanted,
                                         "cut_on": dt.date.today(), "cells": data})  # fmt: skip


def publication(engine: Engine, rounds: Iterable[str], viewer: Viewer | None = None, *,
                tree: pd.DataFrame | None = None, more: Iterable[RoundDecision] = (),
                decide: Callable[[str], RoundDecision] | None = None, rows: CellRows | None = None,
                keys: dict | None = None) -> Publication:
    """Everything ``viewer`` (default: the organisation-wide view) may see of ``rounds`` (each
    cut once and stored, module docstring), and of ``more`` blocks already decided for the whole
    organisation (cut here, not stored: the client-feedback cells); with ``rows``, only the
    cells a reader of a few units needs (:class:`~scoring.privacy.cell_rows.CellRows`); ``keys``
    as in :func:`round_cut`."""
    viewer = viewer or Viewer()
    tree = read_units(engine) if tree is None else tree
    parts, min_n = [], {}
    for name in dict.fromkeys(rounds):
        cut, min_n[name] = _cut_or_stored(engine, name, viewer, tree, decide, rows, keys)
        parts.append(cut)
    stored = bool(parts) and all(isinstance(cut, bytes) for cut in parts)
    if stored:
        frames = [frames_of(parts, rows)]  # every round stored: decoded into one frame
    else:
        frames = [frame_of(cut, rows) if isinstance(cut, bytes) else cut for cut in parts]
    for block in more:
        frames.append(_taken(restrict(block, viewer), rows))
        min_n[block.name] = block.min_n
    if stored and len(frames) == 1:
        cells = frames[0]  # made here, numbered 0..n-1: nothing to join or copy
    else:
        cells = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CELL_COLUMNS)
    return Publication(viewer, min_n, cells, pages=None if rows is None else frozenset(rows.pages))
