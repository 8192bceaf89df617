"""A round's publication, decided once and kept in the database for every app server.

:func:`decision` returns round ``name`` decided for the whole organisation
(:class:`scoring.privacy.publication.RoundDecision`, which a viewer's cut starts from). It is
stored in ``round_decisions`` with what it was decided on: the round's answer-set version (the
sum of its units' answer counters, :mod:`scoring.store.aggregates`), ``min_n``, state,
questionnaire (``form_hash``) and unit tree (a SHA-256 of unit, parent and type in tree order).
While all of these are unchanged, a restarted or new app server reads it (a fraction of a second
for a national round) instead of deciding again; when one has changed, the round is decided
again from the stored aggregates (:func:`scoring.store.aggregates.round_groups`, which sums
again only the units whose answers changed), never from the raw answers of the whole round,
and the new decision replaces the old.

Stored without pickles (a database row must not be able to run code in the app server): the
cells as a zstd-compressed Arrow IPC stream (text columns as dictionaries) with each column's
pandas dtype, the model a viewer's cut needs
(each group's unit and n, and which groups each cell view counts) as a NumPy ``.npz`` read with
``allow_pickle=False``, boolean matrices bit-packed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, insert, select

from scoring.frame_memo import memo
from scoring.privacy.cell_rows import CellRows
from scoring.privacy.publication import OrgTree, RoundDecision, decide_round
from scoring.store.aggregates import answers_version, round_groups
from scoring.store.db import write_transaction
from scoring.store.models import StoredCut, StoredDecision
from scoring.store.organisation import read_units
from scoring.store.rounds import round_row

LAYOUT = 1  # the serialised form below; a stored decision of another layout is decided again


def tree_hash(tree: pd.DataFrame) -> str:
    """SHA-256 of the unit tree as the publication reads it: unit, parent, type, in order (once
    per tree frame, :mod:`scoring.frame_memo`: every stored cut read checks it)."""
    return memo(tree, "tree_hash", lambda: _tree_hash(tree))


def _tree_hash(tree: pd.DataFrame) -> str:
    rows = [[str(u), p if isinstance(p, str) else None, str(t)] for u, p, t in zip(tree["unit"], tree["parent"], tree["unit_type"])]
    return hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()


KEY_FIELDS = ("answers_version", "min_n", "state", "form_hash", "tree_hash", "layout")  # columns of round_decisions


def current_key(conn, rnd, tree: pd.DataFrame) -> dict:
    """What a stored decision of round row ``rnd`` must have been decided on to be current
    (:data:`KEY_FIELDS`)."""
    values = (answers_version(conn, rnd.id), int(rnd.min_n), rnd.state, rnd.form_hash, tree_hash(tree), LAYOUT)
    return dict(zip(KEY_FIELDS, values))


def key_hash(key: dict) -> str:
    """SHA-256 of a :func:`current_key`: what a stored viewer's cut records it was cut from."""
    return hashlib.sha256(json.dumps(key, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def decision(engine: Engine, name: str, tree: pd.DataFrame | None = None) -> RoundDecision:
    """Round ``name`` decided for the whole organisation: the stored decision if it is current
    (module docstring), else decided from the stored aggregates and stored."""
    tree = read_units(engine) if tree is None else tree
    org = OrgTree.of(tree)
    with engine.connect() as conn:
        rnd = round_row(conn, name)
        key = current_key(conn, rnd, tree)
        row = _stored(conn, rnd.id, key, StoredDecision.cells, StoredDecision.model)
        if row is not None:
            return load(row.cells, row.model, org, name, int(rnd.min_n))
    decided = decide_round(org, round_groups(engine, name))
    cells, model = dump(decided)
    with write_transaction(engine) as conn:
        newer = conn.execute(
            select(StoredDecision.answers_version).where(StoredDecision.round_id == rnd.id)
        ).scalar()
        if newer is None or newer <= key["answers_version"]:  # another server may have stored a later one
            conn.execute(delete(StoredCut).where(StoredCut.round_id == rnd.id))  # cuts of the old decision
            conn.execute(delete(StoredDecision).where(StoredDecision.round_id == rnd.id))
            conn.execute(insert(StoredDecision), {"round_id": rnd.id, **key, "decided_on": dt.date.today(),
                                                  "cells": cells, "model": model})  # fmt: skip
    return decided


def current_cells(conn, rnd, tree: pd.DataFrame) -> bytes | None:
    """The cells of round row ``rnd``'s stored decision (:func:`frame_bytes`, to read with
    :func:`frame_of`, e.g. only some pages), or None when it is not stored or not current."""
    row = _stored(conn, rnd.id, current_key(conn, rnd, tree), StoredDecision.cells)
    return None if row is None else row.cells


def _stored(conn, round_id: int, key: dict, *columns):
    """``columns`` of the round's stored decision if it was decided on ``key``, else None."""
    row = conn.execute(select(*columns, *(getattr(StoredDecision, k) for k in KEY_FIELDS))
                       .where(StoredDecision.round_id == round_id)).first()
    return row if row is not None and all(getattr(row, k) == v for k, v in key.items()) else None


def dump(decided: RoundDecision) -> tuple[bytes, bytes]:
    """The decision's cells (Arrow IPC) and model (``.npz``) as bytes."""
    cells = frame_bytes(decided.cells)
    views = list(decided.class_mask)
    masks = np.array([decided.class_mask[v] for v in views], dtype=bool).reshape(len(views), len(decided.group_n))
    out = io.BytesIO()
    np.savez_compressed(
        out,
        units=np.array(decided.units, dtype=str),
        group_unit=np.array(decided.group_unit, dtype=str),
        group_n=np.asarray(decided.group_n, dtype=float),
        below=np.packbits(decided.below, axis=None),
        below_shape=np.array(decided.below.shape),
        views=np.array(views, dtype=str),
        masks=np.packbits(masks, axis=None),
        masks_shape=np.array(masks.shape),
    )
    return cells, out.getvalue()


def load(cells: bytes, model: bytes, org: OrgTree, name: str, min_n: int) -> RoundDecision:
    """A :class:`RoundDecision` from :func:`dump`'s bytes and the unit tree it was decided on."""
    frame = frame_of(cells)
    with np.load(io.BytesIO(model), allow_pickle=False) as parts:
        below_shape = tuple(int(x) for x in parts["below_shape"])
        below = np.unpackbits(parts["below"], count=int(np.prod(below_shape))).reshape(below_shape).astype(bool)
        masks_shape = tuple(int(x) for x in parts["masks_shape"])
        masks = np.unpackbits(parts["masks"], count=int(np.prod(masks_shape))).reshape(masks_shape).astype(bool)
        views = [str(v) for v in parts["views"]]
        units = tuple(str(u) for u in parts["units"])
        group_unit = parts["group_unit"].astype(object)
        group_n = parts["group_n"]
    if units != tuple(org.order):
        raise ValueError(f"the stored decision of round {name} was made on another unit tree")
    return RoundDecision(name, min_n, frame, org, units, below, group_unit, group_n, dict(zip(views, masks)))


def frame_bytes(frame: pd.DataFrame) -> bytes:
    """A cells frame as a zstd-compressed Arrow IPC stream, each column's pandas dtype in the
    schema's metadata (read back by :func:`frame_of`)."""
    import pyarrow as pa

    dtypes = {c: str(t) for c, t in frame.dtypes.items()}
    # Text columns repeat a few values (pages, units, scales): as dictionaries they take a
    # fiftieth of the bytes and read in milliseconds.
    text = [c for c, t in dtypes.items() if t in ("object", "str", "string")]
    table = pa.Table.from_pandas(frame.astype(dict.fromkeys(text, "category")), preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"samklima_dtypes": json.dumps(dtypes).encode()})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="zstd")) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def frame_of(data: bytes, rows: CellRows | None = None) -> pd.DataFrame:
    """The frame :func:`frame_bytes` wrote, with its dtypes (None where a text cell is missing);
    with ``rows``, only the cells they name (:class:`scoring.privacy.cell_rows.CellRows`).

    Dictionary columns are decoded in Arrow and text columns wrapped as pandas' Arrow-backed
    ``str`` without a round trip through Python objects (a report batch reads a cut per scope).
    ``rows`` are chosen on the dictionaries' codes before anything is decoded: a report of one
    unit needs a few thousand of a national cut's 270,000 cells."""
    return frames_of([data], rows)


def frames_of(datas: list[bytes], rows: CellRows | None = None) -> pd.DataFrame:
    """:func:`frame_of` of each of ``datas`` (the cuts of a publication's rounds), one after the
    other in one frame, as ``pd.concat(..., ignore_index=True)`` would give them: the Arrow
    tables are joined column by column and the frame is made once (a report of a small scope
    reads a few hundred cells a round, and making a frame costs the same for 500 cells as for
    5,000)."""
    import pyarrow as pa

    if not datas:
        return pd.DataFrame()
    tables = [pa.ipc.open_stream(pa.py_buffer(data)).read_all() for data in datas]
    dtypes = [json.loads(table.schema.metadata[b"samklima_dtypes"]) for table in tables]
    if rows is not None:
        tables = [table.filter(_needed(table, rows)) for table in tables]
    names = tables[0].column_names
    decoded = [[_decoded(table.column(name)) for name in names] for table in tables]
    joinable = all(t.column_names == names for t in tables) and all(d == dtypes[0] for d in dtypes) and all(
        len({part[i].type for part in decoded}) == 1 for i in range(len(names)))
    if not joinable:  # cuts written with other columns or dtypes: made one by one
        return pd.concat([_frame(names_of, parts, d) for names_of, parts, d in zip(
            [t.column_names for t in tables], decoded, dtypes)], ignore_index=True)
    columns = [pa.chunked_array([chunk for part in decoded for chunk in part[i].chunks], type=decoded[0][i].type)
               for i in range(len(names))]
    return _frame(names, columns, dtypes[0])


def _decoded(column):
    """An Arrow column with its dictionary (if any) decoded to the dictionary's values."""
    import pyarrow as pa

    return column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column


def _frame(names: list[str], columns: list, dtypes: dict[str, str]) -> pd.DataFrame:
    """A pandas frame of decoded Arrow columns, each with its pandas dtype from ``dtypes``."""
    index = pd.RangeIndex(len(columns[0]) if columns else 0)  # one index for every column: the frame aligns none of them
    out = {}
    for name, column in zip(names, columns):
        dtype = dtypes.get(name)
        if dtype == "str":
            out[name] = pd.Series(pd.array(column, dtype=pd.StringDtype("pyarrow", na_value=np.nan)), index=index, copy=False)
        elif dtype == "object":  # None where missing, as the engine leaves them
            out[name] = pd.Series(column.to_numpy(zero_copy_only=False).astype(object), index=index, dtype=object, copy=False)
        else:
            values = column.to_pandas()
            values = values if dtype is None or str(values.dtype) == dtype else values.astype(dtype)
            out[name] = pd.Series(values.array, index=index, copy=False)
    return pd.DataFrame(out, index=index, copy=False)


_NO_WORD = object()  # equal to no value


def _needed(table, rows: CellRows) -> np.ndarray:
    """:meth:`CellRows.keep` on an Arrow table of :func:`frame_bytes` (text as dictionaries):
    each text column's dictionary is tested once, and its codes (NumPy, no copy) take the answer."""
    import pyarrow as pa

    parts: dict[str, tuple] = {}  # column -> (dictionary words, codes) or (None, values): a column is asked more than once

    def member(name: str, values) -> np.ndarray:
        if name not in parts:
            column = table.column(name).combine_chunks()
            if pa.types.is_dictionary(column.type):
                parts[name] = (column.dictionary.to_numpy(zero_copy_only=False), column.indices.fill_null(-1).to_numpy())
            else:
                parts[name] = (None, column.to_numpy(zero_copy_only=False))
        words, codes = parts[name]
        if words is None:
            return np.isin(codes, list(values))
        values = set(values)
        # a dictionary holds a few hundred words at most; the last entry: a missing code (null) is no unit
        known = np.fromiter((w in values for w in [*words.tolist(), _NO_WORD]), dtype=bool, count=len(words) + 1)
        return known[codes]

    return rows.keep(member, table.num_rows)
