"""The four ways the per-table decision leaked, each played out on a small organisation.

Each test builds the case, shows that deciding table by table (what the pages did before the
joint publication: one suppression per scale and round, the organisation total and the unit-type
benchmark outside the decision) gives something away to the exact attack, and that the joint
publication gives nothing away; the same for the client-feedback unit figures, which were
decided on their own. The fifth leak (codes and answers in the database) is tested in
tests/test_store_unlinked.py and tests/postgres.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.privacy.answers import CLIENTS, RoundAnswers, ScaleSpec
from scoring.privacy.audit import attack
from scoring.privacy.publication import CELL_COLUMNS, ORGANISATION, Publication, Viewer, publish
from scoring.privacy.suppression import suppress
from tests.privacy.synthetic import scale_specs


def answers(name: str, min_n: int, units: list[str], *, drop: dict | None = None, partner=None) -> RoundAnswers:
    """Everyone answers every item with a 3, except the drop-outs ``{respondent: scale index}``."""
    scales, items = scale_specs()
    n = len(units)
    codes = np.full((n, len(items)), 3.0)
    for who, j in (drop or {}).items():
        codes[who, [k for k, it in enumerate(items) if it.scale == scales[j].id]] = 9.0
    scores = np.full((n, len(scales)), 3.0)
    for who, j in (drop or {}).items():
        scores[who, j] = np.nan
    partner = np.full(n, "", dtype=object) if partner is None else np.array(partner, dtype=object)
    return RoundAnswers(name, min_n, np.array(units, dtype=object), partner, scores, codes, scales, items)


def tree_of(rows: list[tuple[str, str | None, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["unit", "parent", "unit_type"])
    frame.insert(1, "name", frame["unit"])
    return frame


def per_table(tree: pd.DataFrame, rnd: RoundAnswers, *, scope=None) -> pd.DataFrame:
    """The old way: each scale decided alone on the unit tree, the organisation total shown
    whenever it has min_n answers, unit-type means pooled over the units of the type."""
    parent = {u: (p if isinstance(p, str) else None) for u, p in zip(tree["unit"], tree["parent"])}
    rows = []
    for j, scale in enumerate(rnd.scales):
        valid = ~np.isnan(rnd.scores[:, j])
        counts = pd.DataFrame({"unit": rnd.unit[valid], "n": 1}).groupby("unit", as_index=False)["n"].sum()
        decision = suppress(parent, counts, min_n=rnd.min_n)
        for r in decision.cells.itertuples(index=False):
            rows.append(("compare", r.unit, scale.id, r.n, not r.shown))
        total = int(valid.sum())
        rows.append(("compare", ORGANISATION, scale.id, total, total < rnd.min_n))
        for kind in set(tree["unit_type"]):
            members = set(tree.loc[tree["unit_type"] == kind, "unit"])
            n = int((valid & np.isin(rnd.unit, list(members))).sum())
            rows.append(("compare", f"type:{kind}", scale.id, n, n < rnd.min_n))
    cells = pd.DataFrame(rows, columns=["page", "unit", "scale", "n", "hidden"])
    if scope is not None:
        cells = cells[cells["unit"].isin(scope) | ~cells["unit"].isin(tree["unit"])]
    cells = cells.assign(round=rnd.name, item=None, category=np.nan, partner=None, sd=np.nan, why=None)
    cells["mean"] = np.where(cells["hidden"], np.nan, 3.0)
    cells["n"] = cells["n"].astype(float).where(~cells["hidden"])
    return cells[CELL_COLUMNS].reset_index(drop=True)


def old_and_new(tree, rounds, viewer=Viewer(), scope=None):
    old = Publication(viewer, {r.name: r.min_n for r in rounds}, pd.concat([per_table(tree, r, scope=scope) for r in rounds]))
    return attack(old, tree, rounds), attack(publish(tree, rounds, viewer), tree, rounds)


def test_leak_1_the_organisation_total_no_longer_gives_away_a_hidden_top_level_unit():
    tree = tree_of([("a", None, "area"), ("b", None, "area"), ("c", None, "area")])
    rnd = answers("2026", 5, ["a"] * 12 + ["b"] * 3 + ["c"] * 7)
    old, new = old_and_new(tree, [rnd])
    assert any(f.kind == "hidden cell" and f.unit == "b" for f in old)  # * - a - c = b
    assert new == []


def test_leak_2_rounds_with_different_min_n_are_each_decided_once_and_never_pooled():
    tree = tree_of([("org", None, "area"), ("a", "org", "team"), ("b", "org", "team"), ("c", "org", "team")])
    first = answers("2025", 3, ["a"] * 4 + ["b"] * 3 + ["c"] * 9)
    second = answers("2026", 5, ["a"] * 4 + ["b"] * 6 + ["c"] * 9)
    together = publish(tree, [first, second])
    alone = publish(tree, [first])
    assert together.cells["round"].notna().all()  # no cell pools rounds
    same = together.select("compare", "2025").drop(columns="round")
    assert same.equals(alone.select("compare", "2025").drop(columns="round"))
    shown = together.select("compare", "2025", unit="a", scale="s0")
    assert not shown["hidden"].iloc[0]  # 4 answers are enough where min_n is 3 ...
    assert together.select("compare", "2026", unit="a", scale="s0")["hidden"].iloc[0]  # ... not where it is 5
    assert attack(together, tree, [first, second]) == []


def test_leak_3_a_scale_with_vet_ikke_drop_outs_is_decided_with_the_others():
    tree = tree_of([("org", None, "area"), ("a", "org", "team"), ("b", "org", "team")])
    # a has 6 respondents; one answered "vet ikke" to every item of scale s1
    rnd = answers("2026", 5, ["a"] * 6 + ["b"] * 12, drop={0: 1})
    old, new = old_and_new(tree, [rnd])
    assert any(f.kind == "small group" for f in old)  # a on s0 (6) - a on s1 (5) = the one drop-out
    assert new == []
    a = publish(tree, [rnd]).select("compare", unit="a")
    assert not (a["n"].nunique() > 1 and (~a["hidden"]).all())  # never both shown with different n


def test_leak_4_a_unit_type_benchmark_isolates_no_unit_outside_a_managers_scope():
    tree = tree_of([("org", None, "area"), ("x", "org", "home care"), ("y", "org", "home care"), ("z", "org", "ward")])
    rnd = answers("2026", 5, ["x"] * 9 + ["y"] * 8 + ["z"] * 20)
    manager = Viewer("leder", "manager", frozenset({"x"}))
    old, new = old_and_new(tree, [rnd], manager, scope={"x"})
    assert any(f.kind == "outside scope" and f.unit == "y" for f in old)  # type - x = y
    assert new == []
    mine = publish(tree, [rnd], manager)
    assert set(mine.cells["unit"]) == {"x", ORGANISATION, "type:home care", "type:ward", "type:area"}
    home = mine.select("compare", unit="type:home care")
    assert home["hidden"].all() and (home["why"] == "protects_other").all()


def client_block(units: list[str], change: list[float | None], min_n: int = 5) -> RoundAnswers:
    """Clients (one row each) with one unit figure, the mean change over the assessed clients
    (None: only one outcome score, not assessed)."""
    n = len(units)
    scores = np.array([[np.nan if c is None else c] for c in change], dtype=float)
    scales = (ScaleSpec("mean_change", "feedback", (), {"nb": "endring", "en": "change"}, False),)
    return RoundAnswers("clients:2026-10-08", min_n, np.array(units, dtype=object), np.full(n, "", dtype=object),
                        scores, np.empty((n, 0)), scales, (), population=CLIENTS)


def feedback_on_its_own(tree: pd.DataFrame, block: RoundAnswers) -> pd.DataFrame:
    """The old way (scoring/feedback/units.py before it joined the publication): complementary
    suppression on the units' client counts alone; a shown unit showed the mean change (with
    the number of assessed clients) where at least min_n were assessed."""
    parent = {u: (p if isinstance(p, str) else None) for u, p in zip(tree["unit"], tree["parent"])}
    counts = pd.DataFrame({"unit": block.unit, "n": 1}).groupby("unit", as_index=False)["n"].sum()
    shown = set(suppress(parent, counts, min_n=block.min_n).shown_units())
    rows = []
    for unit in tree["unit"]:
        below = np.array([unit in _lineage(parent, u) for u in block.unit])
        change = block.scores[below, 0]
        assessed = ~np.isnan(change)
        visible = unit in shown
        rows.append(("clients", unit, None, below.sum(), np.nan, not visible))
        rows.append(("clients", unit, "mean_change", assessed.sum(), change[assessed].mean() if assessed.any() else np.nan,
                     not visible or assessed.sum() < block.min_n))
    cells = pd.DataFrame(rows, columns=["page", "unit", "scale", "n", "mean", "hidden"])
    cells = cells.assign(round=block.name, item=None, category=np.nan, partner=None, sd=np.nan, why=None)
    cells["n"] = cells["n"].astype(float).where(~cells["hidden"])
    cells["mean"] = cells["mean"].where(~cells["hidden"])
    return cells[CELL_COLUMNS].reset_index(drop=True)


def _lineage(parent: dict, unit: str) -> list[str]:
    out = []
    while unit is not None:
        out.append(unit)
        unit = parent.get(unit)
    return out


def test_client_feedback_decided_on_its_own_gave_away_a_small_groups_mean_change_now_it_is_in_the_publication():
    tree = tree_of([("org", None, "area"), ("a", "org", "team"), ("b", "org", "team")])
    # a: six clients, all assessed; b: six clients, two of them assessed
    block = client_block(["a"] * 6 + ["b"] * 6, [2.0, 4.0, -1.0, 3.0, 0.0, 5.0, 7.0, -6.0, None, None, None, None])
    old = Publication(Viewer(), {block.name: 5}, feedback_on_its_own(tree, block))
    found = attack(old, tree, [block])
    assert any(f.kind == "hidden cell" and f.unit == "b" for f in found)  # org - a = b's mean change of 2 clients
    assert {f.n for f in found if f.kind == "small group" and f.unit == "b"} == {2, 4}  # b's assessed, and the others
    new = publish(tree, [block])
    assert attack(new, tree, [block]) == []
    b = new.select("clients", unit="b")
    assert b.loc[b["scale"].isna(), "n"].item() == 6 and b.loc[b["scale"] == "mean_change", "hidden"].item()
    manager = publish(tree, [block], Viewer("leder", "manager", frozenset({"a"})))
    assert attack(manager, tree, [block]) == []
