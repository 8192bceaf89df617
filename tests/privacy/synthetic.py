"""Random organisations and rounds for the privacy property tests (hypothesis strategies).

A case is a unit tree with one or more top-level units and unit types (some types with only
one or two units), two rounds with their own ``min_n``, two instruments' worth of scales (the
first names partner services), answers with "vet ikke" and blanks so that respondents drop out
of scales, client feedback (one row per client, figures over nested denominators), and a
manager's scope. Sizes stay small so that the exact attack can search every
small group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from scoring.privacy.answers import CLIENTS, ItemSpec, RoundAnswers, ScaleSpec

CODES = (1.0, 2.0, 3.0, 4.0, 5.0)
DONT_KNOW = 9.0
TYPES = ("area", "unit", "team", "ward")


@st.composite
def trees(draw, max_units: int = 11) -> pd.DataFrame:
    """unit, name, parent, unit_type: 1-3 roots, depth <= 3."""
    roots = draw(st.integers(1, 3))
    rows, frontier = [], []
    for r in range(roots):
        unit = f"r{r}"
        rows.append((unit, None, draw(st.sampled_from(TYPES))))
        frontier.append((unit, 0))
    while frontier and len(rows) < max_units:
        unit, level = frontier.pop(0)
        if level >= 2 or draw(st.integers(0, 3)) == 0:
            continue
        for j in range(draw(st.integers(1, 3))):
            if len(rows) >= max_units:
                break
            child = f"{unit}.{j}"
            rows.append((child, unit, draw(st.sampled_from(TYPES))))
            frontier.append((child, level + 1))
    frame = pd.DataFrame(rows, columns=["unit", "parent", "unit_type"])
    frame.insert(1, "name", frame["unit"].str.upper())
    return frame


def scale_specs(partner_scales: int = 2, other_scales: int = 1) -> tuple[tuple[ScaleSpec, ...], tuple[ItemSpec, ...]]:
    scales, items = [], []
    for j in range(partner_scales + other_scales):
        partner = j < partner_scales
        sid = f"s{j}"
        ids = (f"{sid}a", f"{sid}b")
        scales.append(ScaleSpec(sid, "klima" if partner else "med", ids, {"nb": sid, "en": sid}, partner))
        items += [ItemSpec(i, sid, CODES, (DONT_KNOW,)) for i in ids]
    return tuple(scales), tuple(items)


@st.composite
def round_answers(draw, tree: pd.DataFrame, name: str, max_people: int = 45) -> RoundAnswers:
    """Respondents on leaves (and sometimes on an inner unit), answers with drop-outs."""
    scales, items = scale_specs()
    parents = set(tree["parent"].dropna())
    leaves = [u for u in tree["unit"] if u not in parents]
    inner = [u for u in tree["unit"] if u in parents]
    units: list[str] = []
    for leaf in leaves:
        units += [leaf] * draw(st.one_of(st.integers(0, 7), st.integers(0, 14)))
    if inner and draw(st.integers(0, 4)) == 0:
        units += [draw(st.sampled_from(inner))] * draw(st.integers(1, 3))
    units = units[:max_people]
    n = len(units)
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    drop_rate = draw(st.sampled_from([0.0, 0.1, 0.3]))
    answers = rng.choice(CODES, size=(n, len(items)))
    blank = rng.random((n, len(items))) < drop_rate
    dont_know = rng.random((n, len(items))) < drop_rate / 2
    answers = np.where(dont_know, DONT_KNOW, answers)
    answers = np.where(blank, np.nan, answers)
    partners = np.array(["", "p1", "p2", leaves[0]], dtype=object)
    partner = partners[rng.integers(0, len(partners), n)] if draw(st.booleans()) else np.full(n, "", dtype=object)
    scores = np.full((n, len(scales)), np.nan)
    for j, scale in enumerate(scales):
        cols = [k for k, it in enumerate(items) if it.scale == scale.id]
        block = answers[:, cols]
        valid = np.isin(block, CODES)
        enough = valid.sum(axis=1) >= 0.5 * len(cols)
        with np.errstate(invalid="ignore"):
            mean = np.where(valid, block, 0).sum(axis=1) / valid.sum(axis=1)
        scores[:, j] = np.where(enough, mean, np.nan)
    min_n = draw(st.integers(3, 6))
    return RoundAnswers(name, min_n, np.array(units, dtype=object), partner, scores, answers, scales, items)


FEEDBACK_FIGURES = (  # (figure, denominator): all clients, those with an intake, the assessed
    ScaleSpec("contacts_per_client", "feedback", (), {"nb": "kontakter", "en": "contacts"}, False),
    ScaleSpec("intake_mean", "feedback", (), {"nb": "oppstart", "en": "intake"}, False),
    ScaleSpec("mean_change", "feedback", (), {"nb": "endring", "en": "change"}, False),
)


@st.composite
def client_block(draw, tree: pd.DataFrame, name: str = "clients:2026-10-08", max_clients: int = 30) -> RoundAnswers:
    """Client feedback as the publication sees it (scoring.feedback.units.client_answers): one
    row per client on a leaf (sometimes an inner unit), figures over nested denominators (all
    clients, those with an intake, the assessed ones with two outcome scores)."""
    parents = set(tree["parent"].dropna())
    leaves = [u for u in tree["unit"] if u not in parents]
    inner = [u for u in tree["unit"] if u in parents]
    units: list[str] = []
    for leaf in leaves:
        units += [leaf] * draw(st.one_of(st.integers(0, 6), st.integers(0, 12)))
    if inner and draw(st.integers(0, 4)) == 0:
        units += [draw(st.sampled_from(inner))] * draw(st.integers(1, 3))
    units = units[:max_clients]
    n = len(units)
    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    intake = rng.random(n) >= draw(st.sampled_from([0.0, 0.1]))
    assessed = intake & (rng.random(n) >= draw(st.sampled_from([0.0, 0.2, 0.5])))
    change = rng.integers(-8, 9, n).astype(float)  # a share (0/1 per client) is the same kind of cell
    scores = np.column_stack([
        rng.integers(1, 9, n).astype(float),
        np.where(intake, rng.integers(5, 35, n), np.nan),
        np.where(assessed, change, np.nan),
    ]) if n else np.empty((0, len(FEEDBACK_FIGURES)))  # fmt: skip
    return RoundAnswers(name, draw(st.integers(3, 6)), np.array(units, dtype=object), np.full(n, "", dtype=object),
                        scores, np.empty((n, 0)), FEEDBACK_FIGURES, (), population=CLIENTS)


@st.composite
def cases(draw):
    """(tree, [round 1, round 2] and in half the cases client feedback, scope of a manager: a
    set of units with their descendants). Half, so that the property tests take no longer than
    before the client block joined them."""
    tree = draw(trees())
    rounds = [draw(round_answers(tree, "2025")), draw(round_answers(tree, "2026"))]
    if draw(st.booleans()):
        rounds.append(draw(client_block(tree)))
    units = list(tree["unit"])
    head = draw(st.sampled_from(units))
    scope = _below(tree, head)
    return tree, rounds, frozenset(scope)


def _below(tree: pd.DataFrame, unit: str) -> set[str]:
    out, stack = set(), [unit]
    while stack:
        u = stack.pop()
        out.add(u)
        stack.extend(tree.loc[tree["parent"] == u, "unit"])
    return out
