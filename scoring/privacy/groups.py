"""A round's answers summed per group: what the publication's engine works on.

The publication (:mod:`scoring.privacy.publication`) never needs a single respondent: it
partitions the respondents of every leaf unit into *classes* (the partner service named, where
the round has a partner scale, and the set of scales the respondent has a score on) and only
ever adds up the respondents of a (unit, class) *group*. For every group it needs

- ``n``, the respondents;
- per scale: the sum and the sum of squares of their scores (a cell's mean is
  ``sum / n`` and its standard deviation ``sqrt((sumsq - n mean^2) / (n - 1))``, summed over
  the groups below a unit);
- per item: how many gave each answer (valid codes, then "vet ikke" codes), from which an
  item cell's valid n is the sum over valid codes and its mean ``sum(code * count) / n``.

:class:`RoundGroups` holds exactly that, and :func:`group_answers` makes it from
:class:`~scoring.privacy.answers.RoundAnswers`. Groups of different units never share a
respondent, so the groups of a round are the union of the groups of each unit, computed
separately: the store keeps them per unit and round (:mod:`scoring.store.aggregates`) and
refreshes only the units whose answers changed. Every sum is taken over a group's respondents in
the order they are read (by unit, then random id), so a unit's groups summed on their own are
bit for bit the groups of the whole round.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.privacy.answers import STAFF, ItemSpec, RoundAnswers, ScaleSpec


@dataclass(frozen=True, eq=False)
class RoundGroups:
    """One round summed per (unit, class) group (module docstring), in no particular order.

    Per group ``g``: ``unit[g]``, ``partner[g]`` ("" when the round has no partner scale or none
    was named), ``valid[g, s]`` (its respondents have a score on scale ``s``), ``n[g]``,
    ``sums[g, s]`` and ``squares[g, s]`` (0 where not ``valid``), and per item ``j``
    ``counts[j][g, k]``: how many gave category ``k`` of :meth:`categories` ``(j)``.
    ``name``, ``min_n``, ``closed``, ``population``, ``scales`` and ``items`` are those of
    :class:`~scoring.privacy.answers.RoundAnswers`.
    """

    name: str
    min_n: int
    unit: np.ndarray
    partner: np.ndarray
    valid: np.ndarray
    n: np.ndarray
    sums: np.ndarray
    squares: np.ndarray
    counts: tuple[np.ndarray, ...]
    scales: tuple[ScaleSpec, ...]
    items: tuple[ItemSpec, ...]
    closed: bool = True
    population: str = STAFF

    @property
    def groups(self) -> int:
        return len(self.unit)

    @property
    def respondents(self) -> int:
        return int(self.n.sum())

    def scale_index(self, scale_id: str) -> int:
        return next(j for j, s in enumerate(self.scales) if s.id == scale_id)

    def categories(self, j: int) -> tuple[float, ...]:
        """Item ``j``'s categories in the order of :attr:`counts`: valid codes, then "vet ikke"."""
        return tuple(self.items[j].codes) + tuple(self.items[j].dont_know)

    def take(self, order: np.ndarray) -> RoundGroups:
        """The same groups in ``order`` (an index array)."""
        return RoundGroups(self.name, self.min_n, self.unit[order], self.partner[order], self.valid[order], self.n[order],
                           self.sums[order], self.squares[order], tuple(c[order] for c in self.counts), self.scales,
                           self.items, self.closed, self.population)  # fmt: skip


def group_answers(answers: RoundAnswers) -> RoundGroups:
    """Sum ``answers`` per (unit, class) group (module docstring); vectorised over respondents."""
    n_rows = answers.n
    valid = ~np.isnan(answers.scores)
    on_partner = any(s.partner for s in answers.scales)
    partner = answers.partner if on_partner else np.full(n_rows, "", dtype=object)
    keys = pd.DataFrame({"unit": answers.unit, "partner": partner})
    for j in range(len(answers.scales)):
        keys[f"s{j}"] = valid[:, j]
    gid = keys.groupby(list(keys.columns), sort=True, dropna=False).ngroup().to_numpy() if n_rows else np.zeros(0, int)
    size = int(gid.max()) + 1 if n_rows else 0
    first = np.unique(gid, return_index=True)[1]  # each group's first respondent (for its key)
    n = np.bincount(gid, minlength=size).astype(float)
    scores = np.nan_to_num(answers.scores)
    sums = np.column_stack([np.bincount(gid, weights=scores[:, j], minlength=size) for j in range(scores.shape[1])]) \
        if scores.shape[1] else np.zeros((size, 0))
    squares = np.column_stack([np.bincount(gid, weights=scores[:, j] ** 2, minlength=size) for j in range(scores.shape[1])]) \
        if scores.shape[1] else np.zeros((size, 0))
    counts = tuple(_category_counts(answers.answers[:, j], answers.items[j], gid, size) for j in range(len(answers.items)))
    return RoundGroups(answers.name, answers.min_n, answers.unit[first].astype(object), np.asarray(partner, dtype=object)[first],
                       valid[first], n, sums, squares, counts, answers.scales, answers.items, answers.closed,
                       answers.population)  # fmt: skip


def _category_counts(code: np.ndarray, item: ItemSpec, gid: np.ndarray, size: int) -> np.ndarray:
    """Per group: how many gave each category of ``item`` (valid codes, then "vet ikke")."""
    categories = tuple(item.codes) + tuple(item.dont_know)
    k = len(categories)
    index = np.full(len(code), -1)
    for i, c in enumerate(categories):  # a handful of categories, vectorised over respondents
        index[(code == c) & (index < 0)] = i
    kept = index >= 0
    flat = np.bincount(gid[kept] * k + index[kept], minlength=size * k)
    return flat.reshape(size, k).astype(float)


def concat(parts: list[RoundGroups]) -> RoundGroups:
    """The groups of several disjoint sets of units of one round (the first part's round)."""
    head = parts[0]
    return RoundGroups(
        head.name, head.min_n,
        np.concatenate([p.unit for p in parts]).astype(object), np.concatenate([p.partner for p in parts]).astype(object),
        np.concatenate([p.valid for p in parts]), np.concatenate([p.n for p in parts]),
        np.concatenate([p.sums for p in parts]), np.concatenate([p.squares for p in parts]),
        tuple(np.concatenate([p.counts[j] for p in parts]) for j in range(len(head.items))),
        head.scales, head.items, head.closed, head.population,
    )  # fmt: skip
