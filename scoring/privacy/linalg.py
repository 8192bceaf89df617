"""Exact linear algebra over the integers modulo a prime, for the privacy attacks.

"Which numbers follow from the published ones by adding and subtracting?" is row-space
membership: a group's count follows exactly when its 0/1 vector over the respondents (or over
groups of respondents that every published number treats alike) is a linear combination of the
published numbers' vectors, over the rationals Q.

Elimination modulo a prime p is fast (NumPy int64 holds the products of two residues below
2**31, so it is vectorised), but it answers the question over GF(p), and the two can differ:
published a+b, b+c and a+c give a = ((a+b) + (a+c) - (b+c)) / 2 over Q, while modulo 2 the three
rows have rank 2 and a does not follow. That is a *missed* disclosure, the unsafe side.
For an integer matrix R, rank_p(R) <= rank_Q(R) (a minor that vanishes over Q vanishes modulo
p), and when the ranks are equal, every integer vector in the rational row space lies in the
modular one: rank_Q([R; v]) = rank_Q(R) = rank_p(R) <= rank_p([R; v]) <= rank_Q([R; v]). The
converse may fail (a false alarm, which only hides more). So :class:`RowSpace` *certifies*
rank_p(R) = rank_Q(R) before it trusts a prime: it lifts the modular null-space basis to
integers (symmetric residues) and checks R @ N == 0 exactly; the d = width - rank_p lifted
vectors are independent over Q (an identity on the free columns), so rank_Q(R) <= rank_p(R).
If neither of two 31-bit primes certifies (the rational null space needs fractions or large
entries), the space is computed exactly in integers (:mod:`scoring.privacy.intspace`). Either
way, a rational dependency is never missed.
"""

from __future__ import annotations

import numpy as np

PRIMES = (2_147_483_647, 2_147_483_629)
SPARSE_SHARE = 0.05  # rows with fewer non-zero entries than this share are multiplied as a sparse matrix


class _Echelon:
    """Reduced row-echelon basis of a row space modulo one prime.

    The reduced row-echelon form of a row space is unique, so it may be reached in any order.
    Published cells are mostly single atoms: a row with one non-zero entry (mod p) is the unit
    vector e_c once scaled, a pivot of its own, and clearing column c from every other row only
    sets that column to zero. Such rows are taken first, repeatedly (clearing a column can leave
    another row with one entry); only what remains is eliminated column by column. On a national
    round's unit tables (1,275 single atoms and their total over 1,500 columns) that leaves one
    row of 224 columns, instead of a loop over all 1,500 columns.
    """

    def __init__(self, rows: np.ndarray, p: int, entries: tuple[np.ndarray, np.ndarray] | None = None):
        """``entries``: the (row, column) indices of ``rows``' non-zero entries, if known."""
        self.p = p
        a = np.asarray(rows, dtype=np.int64)
        if a.size and (a.min() < 0 or a.max() >= p):  # 0/1 cells are residues already
            a, entries = a % p, None
        n_rows, n_cols = a.shape
        # the peeling reads the non-zero entries only (a few per row), not the dense matrix
        at_row, at_col = np.nonzero(a) if entries is None else entries
        single = np.zeros(n_cols, dtype=bool)  # columns whose pivot row is a unit vector
        live = np.ones(n_rows, dtype=bool)  # rows not yet taken as a unit vector
        while True:  # rounds of unit rows, not one per row
            kept = ~single[at_col]
            per_row = np.bincount(at_row[kept], minlength=n_rows)  # entries left in each row
            ones = live & (per_row == 1)
            if not ones.any():
                break
            single[at_col[kept & ones[at_row]]] = True  # rows with the same column: one pivot
            live &= ~ones
        rest = np.flatnonzero(~single)
        reduced, pivots = _eliminate(a[np.ix_(np.flatnonzero(live & (per_row > 0)), rest)], p)
        # the basis rows in pivot order, as the column-by-column elimination leaves them
        units = np.flatnonzero(single)
        order = np.concatenate([units, rest[pivots]]).astype(np.int64)
        position = np.empty(order.size, dtype=np.int64)
        position[np.argsort(order)] = np.arange(order.size)
        self.rows = np.zeros((order.size, n_cols), dtype=np.int64)
        self.rows[position[:units.size], units] = 1
        self.rows[np.ix_(position[units.size:], rest)] = reduced
        self.pivots = np.sort(order).tolist()

    def residue(self, vectors: np.ndarray) -> np.ndarray:
        """x minus its expansion in the reduced basis, x - x[:, pivots] @ rows (mod p): zero
        exactly for the vectors of the (modular) row space. The basis is reduced (zeros in
        the other rows' pivot columns), so this is one matrix product."""
        x = np.asarray(vectors, dtype=np.int64) % self.p
        if not self.pivots:
            return x
        return (x - matmul_mod(x[:, self.pivots], self.rows, self.p)) % self.p


def _eliminate(a: np.ndarray, p: int) -> tuple[np.ndarray, list[int]]:
    """Gauss-Jordan elimination of ``a`` (residues mod p), column by column: its reduced
    row-echelon rows and their pivot columns."""
    a = a.copy()
    pivots: list[int] = []
    r = 0
    n_rows, n_cols = a.shape
    for c in range(n_cols):
        if r == n_rows:
            break
        nonzero = np.flatnonzero(a[r:, c])
        if nonzero.size == 0:
            continue
        k = r + int(nonzero[0])
        if k != r:
            a[[r, k]] = a[[k, r]]
        inv = pow(int(a[r, c]), p - 2, p)
        # Row r is zero left of c (every earlier column is a pivot cleared in it, or had no
        # non-zero entry from row r down), so only columns c.. change: half the work on average.
        a[r, c:] = (a[r, c:] * inv) % p
        col = a[:, c].copy()
        col[r] = 0
        hit = np.flatnonzero(col)
        if hit.size:
            a[hit, c:] = (a[hit, c:] - np.outer(col[hit], a[r, c:]) % p) % p
        pivots.append(c)
        r += 1
    return a[:r], pivots


def matmul_mod(a: np.ndarray, b: np.ndarray, p: int) -> np.ndarray:
    """(a @ b) mod p for residues below p < 2**31, exactly: in float64 (BLAS) while every sum
    stays below 2**53, else in int64 with a split into 16-bit halves (and blocks of 2**15
    inner terms) so that no sum passes 2**63."""
    inner = a.shape[1]
    if a.size == 0 or b.size == 0:
        return np.zeros((a.shape[0], b.shape[1]), dtype=np.int64)
    if float(a.max()) * float(b.max()) * inner < 2.0**53:
        return (a.astype(np.float64) @ b.astype(np.float64)).astype(np.int64) % p
    out = np.zeros((a.shape[0], b.shape[1]), dtype=np.int64)
    step = 1 << 15
    for k in range(0, inner, step):
        lo, hi = a[:, k:k + step] & 0xFFFF, a[:, k:k + step] >> 16
        part = ((hi @ b[k:k + step]) % p * 65536 + (lo @ b[k:k + step]) % p) % p
        out = (out + part) % p
    return out


def _null(ech: _Echelon, width: int) -> np.ndarray:
    """(width x d) basis of the null space modulo ech.p: for each free column f, 1 at f and
    -row[f] at each pivot column."""
    p = ech.p
    free = np.setdiff1d(np.arange(width), ech.pivots)
    basis = np.zeros((width, free.size), dtype=np.int64)
    basis[free, np.arange(free.size)] = 1
    if len(ech.pivots) and free.size:
        basis[np.array(ech.pivots)] = (-ech.rows[:, free]) % p
    return basis


def _symmetric(x: np.ndarray, p: int) -> np.ndarray:
    return np.where(x > p // 2, x - p, x)


def lift(null: np.ndarray, p: int, small: int = 1 << 20, denominators: int = 64) -> np.ndarray | None:
    """Integer columns that reduce (up to a unit factor per column) to the modular null basis:
    each residue is read as a fraction a / b with |a| <= ``small`` and b <= ``denominators``
    (the null vectors of 0/1 systems hold halves, thirds...), each column is multiplied by the
    lcm of its denominators. None where some residue has no such reading."""
    lifted = _symmetric(null, p)
    den = np.ones(null.shape, dtype=np.int64)
    todo = np.abs(lifted) > small
    for b in range(2, denominators + 1):
        if not todo.any():
            break
        cand = _symmetric((null[todo] * b) % p, p)
        ok = np.abs(cand) <= small
        idx = np.flatnonzero(todo.ravel())[ok]
        den.ravel()[idx] = b
        todo.ravel()[idx] = False
    if todo.any():
        return None
    scale = np.lcm.reduce(den, axis=0) if den.size else np.ones(null.shape[1], dtype=np.int64)
    if (scale >= (1 << 30)).any():
        return None
    out = _symmetric((null * scale[None, :]) % p, p)
    if np.abs(out).max(initial=0) > (1 << 40):
        return None
    return out


def certified(rows: np.ndarray, null: np.ndarray, p: int, entries: tuple[np.ndarray, np.ndarray] | None = None) -> bool:
    """Does the modular null basis lift to rational null vectors (so rank_p = rank_Q)? The lift
    (:func:`lift`) is checked exactly: R @ N is computed in float64 while every partial sum stays
    below 2**53 (over R's non-zero entries alone when they are few), else in Python integers; the
    lifted columns are independent over Q (a non-zero entry on their own free column), so
    R @ N == 0 proves rank_Q(R) <= width - d = rank_p(R). ``entries``: the (row, column)
    indices of R's non-zero entries, if known."""
    if null.shape[1] == 0 or rows.shape[0] == 0:
        return True  # full rank modulo p means full rank over Q; no rows, no rank to lose
    lifted = lift(null, p)
    if lifted is None:
        return False
    bound = float(np.abs(rows).max()) * float(np.abs(lifted).max()) * rows.shape[1]
    if bound < 2.0**53:
        at_row, at_col = np.nonzero(rows) if entries is None else entries
        if at_row.size < SPARSE_SHARE * rows.size:  # mostly single atoms: their entries only
            from scipy.sparse import csr_array

            sparse = csr_array((rows[at_row, at_col].astype(np.float64), (at_row, at_col)), shape=rows.shape)
            return not np.any(sparse @ lifted.astype(np.float64))
        return not np.any(rows.astype(np.float64) @ lifted.astype(np.float64))
    return not np.any(rows.astype(object).dot(lifted.astype(object)))


class RowSpace:
    """The row space over Q of an integer matrix (rows = published vectors), for membership
    tests: modulo a prime whose rank is certified to be the rational rank, else exact (module
    docstring). Never misses a rational membership; may (very rarely) report one that holds
    only modulo the prime, which hides more."""

    def __init__(self, rows: np.ndarray, width: int | None = None):
        rows = np.asarray(rows, dtype=np.int64)
        if rows.ndim == 1:
            rows = rows.reshape(0, width or 0) if rows.size == 0 else rows[None, :]
        if rows.shape[0] == 0:
            rows = np.zeros((0, width if width is not None else rows.shape[1]), dtype=np.int64)
        self.width = rows.shape[1]
        self._echelon: _Echelon | None = None
        self._exact: np.ndarray | None = None
        self._null: np.ndarray | None = None
        entries = np.nonzero(rows)  # read once: the elimination and the certificate use them
        for p in PRIMES:
            ech = _Echelon(rows, p, entries)
            null = _null(ech, self.width)
            if certified(rows, null, p, entries):
                self._echelon, self._null, self.prime = ech, null, p
                break
        else:
            from scoring.privacy import intspace

            self._exact = intspace.canonical(rows, self.width)
            self.prime = PRIMES[0]

    @property
    def exact(self) -> bool:
        """True when no prime was certified and the space is kept in exact integers."""
        return self._exact is not None

    @property
    def rank(self) -> int:
        return len(self._echelon.pivots) if self._echelon is not None else self._exact.shape[0]

    def contains(self, vectors: np.ndarray) -> np.ndarray:
        """For each row of ``vectors``: does it lie in the rational row space?"""
        vectors = np.asarray(vectors, dtype=np.int64)
        single = vectors.ndim == 1
        if single:
            vectors = vectors[None, :]
        if vectors.shape[0] == 0:
            return np.zeros(0, dtype=bool)
        if self._exact is not None:
            from scoring.privacy import intspace

            inside = intspace.contains(self._exact, vectors)
        elif self._null.shape[1] < self.rank:
            # x lies in the row space exactly when it is orthogonal to the null space (over
            # GF(p) the row space is the null space's orthogonal complement): a product with
            # width - rank columns instead of rank rows (a national unit table: 224 against 1,276)
            inside = ~matmul_mod(vectors % self.prime, self._null, self.prime).any(axis=1)
        else:
            inside = ~self._echelon.residue(vectors).any(axis=1)
        return inside[0] if single else inside

    def null_basis(self) -> np.ndarray:
        """Columns spanning {x : r . x = 0 for every row r} modulo :attr:`prime`, as a (width x d)
        matrix: every vector of the rational row space is orthogonal to all of them modulo the
        prime (certified, or reduced from the exact rational null space), so a test "residues
        sum to zero" never misses a group that follows."""
        if self._null is not None:
            return self._null
        from scoring.privacy import intspace

        null = intspace.complement(self._exact, self.width)
        return np.array([[int(x) % self.prime for x in row] for row in null], dtype=np.int64).reshape(-1, self.width).T


class GrowingSpace:
    """A row space modulo one prime that grows a row at a time, with a set of target vectors
    kept reduced against it, so that "does any target follow once these rows are added?" costs
    one reduction of the new rows instead of a new elimination.

    Reduced row echelon form as in :class:`_Echelon`: adding row x reduces it to
    r = x - x[pivots] @ basis; if r != 0 its first non-zero column c becomes a pivot (r scaled to
    1 there) and c is cleared from the basis rows and the targets' residues
    (t <- t - t[c] r). A target follows exactly when its residue is 0.

    Modular only: a "does not follow" can be wrong over Q when the prime loses rank, so a caller
    must confirm its final answer with the certified :class:`RowSpace` (as
    :func:`scoring.privacy.scope._withhold` does)."""

    def __init__(self, rows: np.ndarray, targets: np.ndarray, width: int, p: int = PRIMES[0]):
        self.p = p
        self.width = width
        # The basis is kept in float64 too (residues < 2**31 are exact there) and grown in place:
        # a cut tries thousands of rows, and converting or re-stacking the basis for each was
        # most of its time on a national round.
        self._rows = np.zeros((min(width, 64), width), dtype=np.int64)
        self._rows_f = np.zeros((min(width, 64), width), dtype=np.float64)
        self.pivots: list[int] = []
        self._pivot_array = np.zeros(0, dtype=np.int64)
        self.residue = np.asarray(targets, dtype=np.int64).reshape(-1, width) % p
        self._followed = int((~self.residue.any(axis=1)).sum()) if self.residue.size else 0
        # Rows known to lie in the space (added, or reduced to nothing): the organisation and
        # type cells of a national round are thousands of rows but a few hundred distinct ones
        # over the atoms, and a repeat changes nothing.
        self._inside: set[bytes] = set()
        self._last: tuple | None = None
        self.extend(np.asarray(rows, dtype=np.int64).reshape(-1, width))

    @property
    def basis(self) -> np.ndarray:
        """The reduced basis rows (one per pivot)."""
        return self._rows[:len(self.pivots)]

    def copy(self) -> GrowingSpace:
        twin = object.__new__(GrowingSpace)
        twin.p, twin.width, twin.pivots = self.p, self.width, list(self.pivots)
        twin._rows, twin._rows_f = self._rows.copy(), self._rows_f.copy()
        twin._pivot_array, twin.residue, twin._followed = self._pivot_array.copy(), self.residue.copy(), self._followed
        twin._inside = set(self._inside)
        twin._last = None
        return twin

    def followed(self) -> int:
        """How many targets lie in the space (residue 0); kept up to date by :meth:`add`."""
        return self._followed

    def extend(self, rows: np.ndarray) -> None:
        for row in np.asarray(rows, dtype=np.int64).reshape(-1, self.width):
            self.add(row)

    def _reduce(self, row: np.ndarray) -> tuple[int, np.ndarray] | None:
        """(pivot column, row reduced and scaled to 1 there), or None when the row is in the space."""
        p = self.p
        r = np.asarray(row, dtype=np.int64) % p
        k = len(self.pivots)
        if k:
            a = r[self._pivot_array]
            if float(a.max()) * (p - 1) * k < 2.0**53:  # matmul_mod's float case (the 0/1 rows a cut tries)
                r = (r - (a.astype(np.float64) @ self._rows_f[:k]).astype(np.int64) % p) % p
            else:
                r = (r - matmul_mod(a[None, :], self._rows[:k], p)[0]) % p
        nonzero = np.flatnonzero(r)
        if nonzero.size == 0:
            return None
        c = int(nonzero[0])
        return c, (r * pow(int(r[c]), p - 2, p)) % p

    def followed_with(self, row: np.ndarray) -> int:
        """:meth:`followed` after adding ``row``, without adding it. Only targets with a non-zero
        residue in the new pivot column change; one follows when its residue is that multiple
        of the new row."""
        row = np.asarray(row, dtype=np.int64)
        key = row.tobytes()
        before = self._followed
        if key in self._inside:
            return before
        reduced = self._reduce(row)
        self._last = (key, len(self.pivots), reduced)  # :meth:`add` of the same row reuses it
        if reduced is None:
            self._inside.add(key)
        if reduced is None or not self.residue.size:
            return before
        c, r = reduced
        hit = np.flatnonzero(self.residue[:, c])
        if hit.size == 0:
            return before
        changed = (self.residue[hit] - np.outer(self.residue[hit, c], r) % self.p) % self.p
        return before + int((~changed.any(axis=1)).sum())

    def add(self, row: np.ndarray) -> None:
        row = np.asarray(row, dtype=np.int64)
        key = row.tobytes()
        if key in self._inside:
            return
        self._inside.add(key)
        last = self._last
        # the search asks followed_with(row) and then adds the same row: reduce it once
        reduced = last[2] if last is not None and last[0] == key and last[1] == len(self.pivots) else self._reduce(row)
        self._last = None
        if reduced is None:
            return
        c, r = reduced
        p = self.p
        k = len(self.pivots)
        if k:
            hit = np.flatnonzero(self._rows[:k, c])
            if hit.size:
                self._rows[hit] = (self._rows[hit] - np.outer(self._rows[hit, c], r) % p) % p
                self._rows_f[hit] = self._rows[hit]
        if self.residue.size:
            hit = np.flatnonzero(self.residue[:, c])
            if hit.size:
                self.residue[hit] = (self.residue[hit] - np.outer(self.residue[hit, c], r) % p) % p
                # only the changed targets can have come to follow (a zero residue has no entry at c)
                self._followed += int((~self.residue[hit].any(axis=1)).sum())
        if k == self._rows.shape[0]:  # grow the storage by doubling, not a copy per row
            grow = max(k, 1)
            self._rows = np.vstack([self._rows, np.zeros((grow, self.width), dtype=np.int64)])
            self._rows_f = np.vstack([self._rows_f, np.zeros((grow, self.width), dtype=np.float64)])
        self._rows[k] = r
        self._rows_f[k] = r
        self.pivots.append(c)
        self._pivot_array = np.append(self._pivot_array, c)
