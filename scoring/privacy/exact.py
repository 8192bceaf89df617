"""The engine's last check: every group the published cells determine, found exactly.

The local rules of :mod:`scoring.privacy.suppression` protect what one unit, one block or one
family of views gives away. Combinations that run through several units *and* several views
(the organisation's response count minus the partner cells of two scales minus a unit's
partner cell) are only caught by writing the whole publication of a round as linear equations.
This module does that on the engine's own model: the unknowns are the respondent counts of
every (leaf unit, class) with respondents (classes without respondents are public knowledge);
every shown cell is the sum of the classes its view counts below its unit.

It reports hidden cells whose count follows, and groups of 1 to min_n - 1 respondents (unions
of up to six classes) that follow. Membership uses :class:`scoring.privacy.linalg.RowSpace`;
groups are found through the classes' residues in the null space of the published vectors: a
union follows exactly when its residues sum to zero, searched by meeting in the middle (the
residue sums of pairs and triples in a hash table). Beyond six classes (min_n above 7) the
search is not exhaustive; the docs say so.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from scoring.privacy.linalg import RowSpace

EXACT_LIMIT = 2500  # classes with respondents; above this the local rules decide alone
MAX_UNION = 6
KEPT = 3  # row spaces (and their groups) kept per process: 15-20 MB each at 1,300 x 1,500


class Atoms:
    """(leaf, class) pairs with respondents, and each cell's 0/1 vector over them."""

    def __init__(self, pb):
        self.pb = pb
        leaves = np.flatnonzero(pb.is_leaf)
        # by leaf, then class: np.nonzero walks the (leaves x classes) array row by row
        at_leaf, klass = np.nonzero(pb.Y[leaves] > 0)
        self.leaf = leaves[at_leaf].astype(int)
        self.klass = klass.astype(int)
        self.size = np.asarray(pb.Y[self.leaf, self.klass], dtype=float)
        below = np.zeros((len(pb.units), len(pb.units)), dtype=bool)  # below[i, leaf]
        for i in reversed(pb.order):
            below[i, i] = True
            p = pb.parent[i]
            if p >= 0:
                below[p] |= below[i]
        self.under = below[:, self.leaf] if len(self.leaf) else np.zeros((len(pb.units), 0), dtype=bool)

    def __len__(self) -> int:
        return len(self.leaf)

    def cell(self, i: int, v: int) -> np.ndarray:
        return (self.under[i] & (self.pb.M[self.klass, v] > 0)).astype(np.int64)

    def cells(self, units: np.ndarray, views: np.ndarray) -> np.ndarray:
        """:meth:`cell` for many (unit, view) pairs at once: a boolean (pairs x atoms) array."""
        return self.under[units] & (self.pb.M[self.klass][:, views].T > 0)


def _distinct(rows: np.ndarray) -> np.ndarray:
    """The distinct rows of a boolean matrix (packed to bytes, so that the sort is cheap)."""
    if len(rows) < 2:
        return rows
    packed = np.ascontiguousarray(np.packbits(rows, axis=1))
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    _, first = np.unique(keys, return_index=True)
    return rows[np.sort(first)]


class _Kept:
    """The last :data:`KEPT` row spaces and their small groups, by the exact bytes of what they
    are computed from.

    The unit tables of one round's scales are decided one after another, and most of them show
    the same cells over the same (leaf, class) pairs: in the national round 7 of 14 tables
    publish a row space already seen, and their small groups repeat too (the small units have the
    same counts on most scales). The elimination and the search for groups were two thirds of
    a table's decision. Both are pure functions of their inputs, and the key holds those inputs
    whole (the published 0/1 rows packed to bits, the small atoms' indices and sizes), so a kept
    answer is the answer, never a near one."""

    def __init__(self):
        self._spaces: OrderedDict[bytes, RowSpace] = OrderedDict()
        self._groups: OrderedDict[tuple, tuple] = OrderedDict()
        self._lock = threading.Lock()  # decisions may run in several threads of a server

    def _kept(self, table: OrderedDict, key, make):
        """``table[key]``, made by ``make()`` and kept (the oldest of more than :data:`KEPT` let go)
        when it is not there; made outside the lock, so that one long elimination does not hold
        up another thread's lookups."""
        with self._lock:
            value = table.get(key)
            if value is not None:
                table.move_to_end(key)
                return value
        value = make()
        with self._lock:
            table[key] = value
            while len(table) > KEPT:
                table.popitem(last=False)
        return value

    def space(self, rows: np.ndarray, width: int) -> tuple[bytes, RowSpace]:
        """(key, the row space of the boolean ``rows`` over ``width`` atoms)."""
        key = np.array([rows.shape[0], width], dtype=np.int64).tobytes() + np.packbits(rows, axis=1).tobytes()
        return key, self._kept(self._spaces, key, lambda: RowSpace(rows.astype(np.int64), width=width))

    def groups(self, key: bytes, space: RowSpace, size: np.ndarray, min_n: int) -> list[tuple[int, ...]]:
        """:func:`small_groups` of the space kept under ``key``."""
        small = np.flatnonzero((size > 0) & (size < min_n))
        found_key = (key, min_n, small.tobytes(), size[small].astype(float).tobytes())
        return list(self._kept(self._groups, found_key, lambda: tuple(small_groups(space, size, min_n))))

    def clear(self) -> None:
        with self._lock:
            self._spaces.clear()
            self._groups.clear()


KEPT_SPACES = _Kept()


def findings(pb, hidden: np.ndarray, atoms: Atoms) -> list[tuple]:
    """[("cell", i, v) | ("group", atom indices)] that the shown cells determine."""
    if len(atoms) == 0:
        return []
    with_people = pb.publishable[:, None] & (pb.n > 0)
    rows = _distinct(atoms.cells(*np.nonzero(with_people & ~hidden)))
    key, space = KEPT_SPACES.space(rows, len(atoms))
    out: list[tuple] = []
    ti, tv = np.nonzero(with_people & hidden)
    if ti.size:
        inside = space.contains(atoms.cells(ti, tv).astype(np.int64))
        out += [("cell", int(i), int(v)) for i, v, hit in zip(ti, tv, inside) if hit]
    out += [("group", g) for g in KEPT_SPACES.groups(key, space, atoms.size, pb.min_n)]
    return out


def small_groups(space: RowSpace, size: np.ndarray, min_n: int) -> list[tuple[int, ...]]:
    """Unions of up to :data:`MAX_UNION` atoms with 1 to min_n - 1 respondents that follow.

    A union follows when its atoms' residues (rows of the null basis) sum to zero modulo the
    prime. Each atom's residue is summarised by two random linear hashes modulo the prime
    (linear, so a union's hash is the sum of its atoms' hashes); unions of up to three atoms are
    enumerated, longer ones are two such halves whose hashes cancel (meeting in the middle, by
    sorting and binary search). Every hash match is confirmed on the whole residue, so a hash
    collision costs time, never a wrong answer, and a union that follows always matches.
    """
    small = np.flatnonzero((size > 0) & (size < min_n))
    if small.size == 0:
        return []
    null = space.null_basis()
    p = space.prime
    if null.shape[1] == 0:  # everything follows
        return [(int(a),) for a in small]
    # The atoms by size, smallest first, so that the atoms a combination can still take (at most
    # min_n - 1 respondents in all) are a prefix of the list: each combination is extended only
    # by atoms that fit, instead of by every atom and then filtered.
    order = np.argsort(size[small], kind="stable")
    small = small[order]
    res = null[small] % p
    weights = size[small]
    fits = np.searchsorted(weights, np.arange(min_n), side="right")  # fits[w]: atoms of at most w respondents
    rng = np.random.default_rng(20261204)
    mix = rng.integers(1, p, size=(res.shape[1], 2), dtype=np.int64)
    atom_hash = np.stack([((res * mix[:, j][None, :]) % p).sum(axis=1) % p for j in range(2)], axis=1)
    longest = min(MAX_UNION, min_n - 1)
    found: list[tuple[int, ...]] = []
    halves: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # r -> (combos, keys)
    combos = np.arange(small.size, dtype=np.int32)[:, None]  # atom positions (a few hundred): int32 halves the copies
    total, h = weights.copy(), atom_hash.copy()  # each combination's respondents and hashes
    for r in range(1, min(3, longest) + 1):
        if r > 1:
            room = np.floor(min_n - 1 - total).clip(0, min_n - 1).astype(np.int64)  # respondents one more atom may have
            rows, more = _extend(combos, fits[room])
            combos = np.concatenate([combos[rows], more[:, None].astype(np.int32)], axis=1)
            total = total[rows] + weights[more]
            h = h[rows] + atom_hash[more]  # linear: a union's hash is the sum of its atoms' (mod p)
            np.subtract(h, p, out=h, where=h >= p)  # both terms below p: one subtraction is the remainder
        key = h[:, 0] * p + h[:, 1]
        zero = np.flatnonzero(key == 0)
        found += [tuple(sorted(int(small[j]) for j in c)) for c in combos[zero] if _zero(res, p, c)]
        # As half of a longer union a combination needs room for at least one more atom: with
        # min_n = 5 and atoms of 1-4 respondents most triples have none, and the searches below
        # then look up thousands of keys instead of a million.
        open_ = total + weights[0] < min_n
        halves[r] = (combos[open_], key[open_])
    for r in range(4, longest + 1):
        for r1 in range(1, r // 2 + 1):
            r2 = r - r1
            if r1 not in halves or r2 not in halves:
                continue
            first, key1 = halves[r1]
            second, key2 = halves[r2]
            h2 = np.stack([key2 // p, key2 % p], axis=1)
            negated = ((p - h2) % p)
            want = negated[:, 0] * p + negated[:, 1]
            order = np.argsort(key1, kind="stable")
            ranked = key1[order]
            lo = np.searchsorted(ranked, want, side="left")
            hit = lo < ranked.size
            hit[hit] = ranked[lo[hit]] == want[hit]  # the few keys found; their equal run is walked below
            for b in np.flatnonzero(hit):
                hi = lo[b] + 1
                while hi < ranked.size and ranked[hi] == want[b]:  # equal keys: a hash collision or a repeat
                    hi += 1
                for a in order[lo[b]:hi]:
                    union = set(first[a].tolist()) | set(second[b].tolist())
                    if len(union) == r and weights[list(union)].sum() < min_n and _zero(res, p, sorted(union)):
                        found.append(tuple(sorted(int(small[j]) for j in union)))
    return sorted(set(found))


def _extend(combos: np.ndarray, stop) -> tuple[np.ndarray, np.ndarray]:
    """(the row, the next index) of every increasing combination one longer than a row of
    ``combos`` (rows in increasing order) whose next index is below ``stop`` (one bound, or one
    per row): what itertools.combinations gives, without a Python loop."""
    last = combos[:, -1]
    count = np.maximum(np.broadcast_to(stop, last.shape) - 1 - last, 0)
    rows = np.repeat(np.arange(len(combos)), count)
    start = np.cumsum(count) - count
    offset = np.arange(rows.size) - np.repeat(start, count)
    return rows, last[rows] + 1 + offset


def _zero(res: np.ndarray, p: int, combo) -> bool:
    """Do these atoms' residues sum to zero modulo p (the exact check behind a hash match)?"""
    return not (res[list(combo)].sum(axis=0) % p).any()


def _target_and_neighbours(pb, atoms: Atoms, finding: tuple) -> tuple[np.ndarray, set]:
    """The atoms a finding exposes and the units to look in first: for a cell, its unit, parent,
    children and siblings; for a set of atoms, their leaves and every unit above them."""
    if finding[0] == "cell":
        _, i, v = finding
        target = atoms.cell(i, v) > 0
        near = {i, pb.parent[i], *pb.children[i]} - {-1}
        if pb.parent[i] >= 0:
            near |= set(pb.children[pb.parent[i]])
        return target, near
    target = np.zeros(len(atoms), dtype=bool)
    target[list(finding[1])] = True
    near = set(atoms.leaf[target])
    for leaf in list(near):
        up = pb.parent[leaf]
        while up >= 0:
            near.add(up)
            up = pb.parent[up]
    return target, near


def _best_cell_to_hide(pb, hidden: np.ndarray, atoms: Atoms, target: np.ndarray, scope) -> tuple | None:
    """(atoms, n, unit, view) of the shown cell of a publishable unit in ``scope`` sharing
    respondents with ``target`` that has the fewest atoms, then the smallest n; None if none."""
    best = None
    for j in scope:
        if not pb.publishable[j]:
            continue
        for w in range(len(pb.view_names)):
            if hidden[j, w] or pb.n[j, w] <= 0:
                continue
            vec = atoms.cell(j, w) > 0
            if not (vec & target).any():
                continue
            key = (int(vec.sum()), pb.n[j, w], j, w)
            if best is None or key < best:
                best = key
    return best


def fix(pb, hidden: np.ndarray, status: np.ndarray, atoms: Atoms, finding: tuple, hide) -> bool:
    """Hide a shown cell the finding rests on: among shown cells sharing respondents with the
    target, the most specific (fewest atoms), then the smallest; near the target first."""
    target, near = _target_and_neighbours(pb, atoms, finding)
    best = None
    for scope in (sorted(near), range(len(pb.units))):
        best = _best_cell_to_hide(pb, hidden, atoms, target, scope)
        if best is not None:
            break
    if best is None:
        return False
    hide(hidden, status, best[2], best[3])
    return True
