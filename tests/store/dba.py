"""No tests here: the database administrator who tries to link one-time codes to answers.

The attacker holds the database (the SQLite file, or a PostgreSQL server with its system columns
and a ``pg_dump --data-only``) and the printed code list, so every code's SHA-256 can be
recomputed (:func:`scoring.store.tokens.code_hash`). The codes were answered with different
answers, so the tests know which response belongs to which code and can score a guess.

What the attacker tries, on every table:

- find the rows that name a used code: its hash anywhere in the row, or its row id in a column
  that references the codes table;
- order those rows, and the responses, by everything that could carry the order of writing
  (SQLite rowid, the physical position of a row's cell in its page, any integer ``id`` column;
  PostgreSQL ``ctid``, ``xmin``, the order of ``pg_dump``), and pair the k-th code with the k-th
  response;
- on PostgreSQL also pair a code with the response written by the same transaction: a row
  naming the code whose ``xmin`` or ``xmax`` is the response's ``xmin``.

:class:`Attack` keeps the best guess. Chance pairs one code of n correctly on average.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

ANSWERS_OF = ("sk_info1", "sk_info2")


def code_answers(index: int) -> dict:
    """The answers given with code ``index`` (0..24): one pair of codes per index, so an answer
    names its code."""
    return {"sk_info1": index % 5 + 1, "sk_info2": index // 5 + 1}


def index_of_answers(answers: list, items: list[str]) -> int | None:
    """The code index a stored answers array was given with (inverse of :func:`code_answers`)."""
    values = [answers[items.index(i)] for i in ANSWERS_OF]
    if any(v is None for v in values):
        return None
    return int(values[0]) - 1 + 5 * (int(values[1]) - 1)


@dataclass
class Attack:
    """The attacker's best pairing of used codes with responses, and how it was found."""

    used: int
    best: int = 0
    how: str = "nothing found"
    seen: set = field(default_factory=set)  # indexes of used codes found in any row

    def score(self, how: str, pairs: list[tuple[int, int | None]]) -> None:
        """``pairs``: (code index guessed, code index the response was really given with)."""
        correct = sum(1 for guess, truth in pairs if guess == truth)
        if correct > self.best:
            self.best, self.how = correct, how


def _rank_pairs(codes: list[int], responses: list[int | None]) -> list[tuple[int, int | None]]:
    return list(zip(codes, responses))


# --- SQLite: the file, parsed page by page ---------------------------------------------------


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    value = 0
    for k in range(9):
        byte = buf[i + k]
        if k == 8:
            return (value << 8) | byte, i + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, i + k + 1
    raise AssertionError("unreachable")


def _record(buf: bytes, start: int, end: int) -> list:
    """The values of an SQLite record (cut short where the cell spills to an overflow page)."""
    header_size, i = _varint(buf, start)
    types = []
    while i < start + header_size:
        serial, i = _varint(buf, i)
        types.append(serial)
    values, pos = [], start + header_size
    for serial in types:
        if serial in (0, 10, 11):
            values.append(None)
            continue
        if serial in (8, 9):
            values.append(serial - 8)
            continue
        size = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8}.get(serial) or (serial - 12 - (serial % 2)) // 2
        chunk = buf[pos : min(pos + size, end)]
        if serial <= 6:
            values.append(int.from_bytes(chunk, "big", signed=True))
        elif serial == 7:
            values.append(chunk)
        elif serial % 2:
            values.append(chunk.decode("utf-8", "replace"))
        else:
            values.append(bytes(chunk))
        pos += size
    return values


def sqlite_cells(data: bytes, root: int) -> list[dict]:
    """Every leaf cell of the B-tree at page ``root``: its page, its offset in the page (cells
    are written from the end of a page towards its start, so a higher offset was written
    earlier), its rowid (rowid tables) and its record values."""
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    cells, stack = [], [root]
    while stack:
        page = stack.pop()
        base = (page - 1) * page_size
        head = base + (100 if page == 1 else 0)
        kind, count = data[head], int.from_bytes(data[head + 3 : head + 5], "big")
        interior = kind in (2, 5)
        pointers = head + (12 if interior else 8)
        end = base + page_size
        for n in range(count):
            offset = int.from_bytes(data[pointers + 2 * n : pointers + 2 * n + 2], "big")
            at = base + offset
            if interior:
                stack.append(int.from_bytes(data[at : at + 4], "big"))
                if kind == 5:
                    continue
                _, at = _varint(data, at + 4)  # an index divider is an entry of its own
                cells.append({"page": page, "offset": offset, "rowid": None, "values": _record(data, at, end)})
                continue
            _, at = _varint(data, at)
            rowid = None
            if kind == 13:
                rowid, at = _varint(data, at)
            cells.append({"page": page, "offset": offset, "rowid": rowid, "values": _record(data, at, end)})
        if interior:
            stack.append(int.from_bytes(data[head + 8 : head + 12], "big"))
    return cells


def _record_columns(conn, table: str) -> list[str]:
    """The columns in the order a table's record holds them: declaration order, except that a
    WITHOUT ROWID table puts its primary key first."""
    info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0] or ""
    if "WITHOUT ROWID" not in sql.upper():
        return [r[1] for r in info]
    key = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    return key + [r[1] for r in info if not r[5]]


def attack_sqlite(path: Path, printed_codes: list[str], used: list[int]) -> Attack:
    """Try to pair the used codes (indexes into ``printed_codes``) with the responses of the
    SQLite file at ``path`` (read with every connection closed, so the file is complete)."""
    from scoring.store.tokens import code_hash

    hashes = {code_hash(c): i for i, c in enumerate(printed_codes)}
    data = Path(path).read_bytes()
    attack = Attack(used=len(used))
    schema = _SqliteSchema.read(path, hashes)
    response_cells = sqlite_cells(data, schema.roots["responses"])
    answers_at = schema.columns["responses"].index("answers")
    for cell in response_cells:
        text = cell["values"][answers_at]
        cell["truth"] = index_of_answers(json.loads(text), schema.items) if isinstance(text, str) else None
    response_orders = _sqlite_orders(response_cells)

    for table, root in schema.roots.items():
        if table == "responses":
            continue
        code_cells = _sqlite_code_cells(sqlite_cells(data, root), table, schema, hashes, set(used))
        attack.seen |= {c["code"] for c in code_cells}
        for code_how, ordered in _sqlite_orders(code_cells).items():
            for response_how, responses in response_orders.items():
                pairs = _rank_pairs([c["code"] for c in ordered], [r["truth"] for r in responses])
                attack.score(f"{table} by {code_how} against responses by {response_how}", pairs)
    return attack


@dataclass
class _SqliteSchema:
    """What the attacker reads through SQL: each table's root page, record columns, columns
    referencing the codes table and rowid aliases; code row id -> code index; the round's items."""

    roots: dict[str, int]
    columns: dict[str, list[str]]
    refs: dict[str, list[str]]
    aliases: dict[str, set[str]]
    code_ids: dict[int, int]
    items: list[str]

    @classmethod
    def read(cls, path: Path, hashes: dict[str, int]) -> _SqliteSchema:
        with sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True) as conn:
            tables = conn.execute("SELECT name, rootpage FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
            columns = {t: _record_columns(conn, t) for t, _ in tables}
            refs = {
                t: [r[3] for r in conn.execute(f'PRAGMA foreign_key_list("{t}")') if r[2] == "one_time_codes"] for t, _ in tables
            }
            # An INTEGER PRIMARY KEY is the rowid itself: the record holds NULL in its place.
            aliases = {
                t: {r[1] for r in conn.execute(f'PRAGMA table_info("{t}")') if r[5] and r[2].upper() == "INTEGER"} for t, _ in tables
            }
            code_ids: dict[int, int] = {}
            if "id" in columns.get("one_time_codes", []):
                for code_id, hash_value in conn.execute("SELECT id, code_hash FROM one_time_codes"):
                    if hash_value in hashes:
                        code_ids[code_id] = hashes[hash_value]
            items = json.loads(conn.execute("SELECT items FROM rounds ORDER BY id LIMIT 1").fetchone()[0])
        return cls(dict(tables), columns, refs, aliases, code_ids, items)


def _sqlite_code_cells(cells: list[dict], table: str, schema: _SqliteSchema, hashes: dict[str, int], used: set[int]) -> list[dict]:
    """The cells of ``table`` that name a used code (its hash in a value, or its row id in a
    column referencing the codes), each with ``code`` set to that code's index."""
    found = []
    for cell in cells:
        named = {hashes[v] for v in cell["values"] if isinstance(v, str) and v in hashes}
        for ref in schema.refs[table]:
            ref_at = schema.columns[table].index(ref)
            value = cell["rowid"] if ref in schema.aliases[table] else cell["values"][ref_at]
            if value in schema.code_ids:
                named.add(schema.code_ids[value])
        named &= used
        if named:
            cell["code"] = named.pop()
            found.append(cell)
    return found


def _sqlite_orders(cells: list[dict]) -> dict[str, list[dict]]:
    """The orders that could carry the order of writing: cell position, b-tree order, rowid."""
    found = {
        "cell position": sorted(cells, key=lambda c: (c["page"], -c["offset"])),
        "b-tree order": list(cells),
    }
    if all(c["rowid"] is not None for c in cells):
        found["rowid"] = sorted(cells, key=lambda c: c["rowid"])
    return found


# --- PostgreSQL: system columns and pg_dump ---------------------------------------------------


def _ctid(text: str) -> tuple[int, int]:
    page, item = text.strip("()").split(",")
    return int(page), int(item)


def pg_rows(conn) -> dict[str, list[dict]]:
    """Every row of every table in ``public``: xmin, xmax, ctid and the row as JSON."""
    tables = conn.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").scalars().all()
    found = {}
    for table in tables:
        rows = conn.exec_driver_sql(
            f'SELECT xmin::text::bigint, xmax::text::bigint, ctid::text, row_to_json(t)::text FROM "{table}" AS t'
        ).all()
        found[table] = [{"xmin": r[0], "xmax": r[1], "ctid": _ctid(r[2]), "row": json.loads(r[3]), "text": r[3]} for r in rows]
    return found


def pg_dump_tables(bin_dir: Path, port: int, database: str) -> dict[str, list[str]]:
    """``pg_dump --data-only``: the data lines of each table's COPY block, in dump order."""
    done = subprocess.run(
        [str(bin_dir / "pg_dump"), "--data-only", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    tables: dict[str, list[str]] = {}
    current = None
    for line in done.stdout.splitlines():
        match = re.match(r'COPY public\."?(\w+)"? ', line)
        if match:
            current = tables.setdefault(match.group(1), [])
        elif line == "\\.":
            current = None
        elif current is not None:
            current.append(line)
    tables["__text__"] = [done.stdout]
    return tables


def attack_postgres(conn, dump: dict[str, list[str]], printed_codes: list[str], used: list[int]) -> Attack:
    """Try to pair the used codes with the responses from system columns and the dump."""
    from scoring.store.tokens import code_hash

    hashes = {code_hash(c): i for i, c in enumerate(printed_codes)}
    rows = pg_rows(conn)
    attack = Attack(used=len(used))
    refs = dict(
        conn.exec_driver_sql(
            "SELECT cl.relname, array_agg(att.attname::text) FROM pg_constraint con "
            "JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_class ref ON ref.oid = con.confrelid "
            "JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = ANY(con.conkey) "
            "WHERE con.contype = 'f' AND ref.relname = 'one_time_codes' GROUP BY cl.relname"
        ).all()
    )
    code_ids = {r["row"]["id"]: hashes[r["row"]["code_hash"]] for r in rows.get("one_time_codes", []) if "id" in r["row"] and r["row"]["code_hash"] in hashes}
    items = rows["rounds"][0]["row"]["items"]
    responses = rows["responses"]
    for r in responses:
        r["truth"] = index_of_answers(r["row"]["answers"], items)
    by_xmin = {}
    for r in responses:
        by_xmin.setdefault(r["xmin"], []).append(r)
    dump_lines = {t: lines for t, lines in dump.items() if t != "__text__"}
    for r in responses:
        r["dump"] = _dump_position(dump_lines, "responses", r)
    response_orders = _pg_orders(responses)
    if all(isinstance(r["row"].get("id"), int) for r in responses):
        response_orders["id"] = sorted(responses, key=lambda r: r["row"]["id"])

    for table, table_rows in rows.items():
        if table == "responses":
            continue
        code_rows = _pg_code_rows(table_rows, refs.get(table, []), hashes, code_ids, set(used))
        attack.seen |= {r["code"] for r in code_rows}
        if not code_rows:
            continue
        for r in code_rows:
            r["dump"] = _dump_position(dump_lines, table, r)
        attack.score(f"{table}: a code row's xmin/xmax is a response's xmin", _same_transaction(code_rows, by_xmin))
        for code_how, ordered in _pg_orders(code_rows).items():
            for response_how, ordered_responses in response_orders.items():
                pairs = _rank_pairs([r["code"] for r in ordered], [r["truth"] for r in ordered_responses])
                attack.score(f"{table} by {code_how} against responses by {response_how}", pairs)
    return attack


def _pg_code_rows(table_rows: list[dict], refs: list[str], hashes: dict[str, int], code_ids: dict, used: set[int]) -> list[dict]:
    """The rows that name a used code (its hash anywhere in the row's text, or its id in a
    column referencing the codes), each with ``code`` set to that code's index."""
    found = []
    for r in table_rows:
        named = {i for h, i in hashes.items() if h in r["text"]}
        for ref in refs:
            if r["row"].get(ref) in code_ids:
                named.add(code_ids[r["row"][ref]])
        named &= used
        if named:
            r["code"] = named.pop()
            found.append(r)
    return found


def _dump_position(dump_lines: dict[str, list[str]], table: str, row: dict) -> int:
    """The line of ``table``'s COPY block holding every value of ``row`` (far past the end if none)."""
    values = [str(v) for v in row["row"].values() if isinstance(v, (str, int)) and not isinstance(v, bool)]
    for n, line in enumerate(dump_lines.get(table, [])):
        cells = line.split("\t")
        if all(v in cells for v in values):
            return n
    return 1 << 30


def _pg_orders(rows: list[dict]) -> dict[str, list[dict]]:
    """The orders that could carry the order of writing: ctid, xmin, the dump."""
    return {
        "ctid": sorted(rows, key=lambda r: r["ctid"]),
        "xmin": sorted(rows, key=lambda r: r["xmin"]),
        "dump order": sorted(rows, key=lambda r: r["dump"]),
    }


def _same_transaction(code_rows: list[dict], by_xmin: dict[int, list[dict]]) -> list[tuple[int, int | None]]:
    """(code, truth) for each code row whose xmin or xmax is the xmin of exactly one response."""
    pairs = []
    for r in code_rows:
        written_with = [w for x in (r["xmin"], r["xmax"]) if x for w in by_xmin.get(x, [])]
        if len(written_with) == 1:
            pairs.append((r["code"], written_with[0]["truth"]))
    return pairs
