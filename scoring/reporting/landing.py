"""The landing page: "how are my units doing, and what changed?", from the publication.

Everything here is read from a viewer's publication (:mod:`scoring.privacy.publication`)
through :func:`scoring.reporting.comparison.comparison`, :func:`~scoring.reporting.comparison.trends`
and :func:`scoring.reporting.participation.response_rates`; a hidden cell stays hidden (no n,
no mean, its ``why``), and no count or mean is computed from answers. The unit report
(:mod:`scoring.reporting.unit_report`) is drawn from the same objects.

Per unit and round:

- who answered: the published response count, the headcount and the rate;
- each scale: mean with its t-based 95% CI, the organisation's and the unit type's published
  means, and the change since the previous round (Welch 95% CI), read as ``higher``/``lower``
  only where the interval excludes 0 (the rule of Trends);
- the clearest strengths and areas to work on: scales whose mean is clearly above (below) the
  organisation's (Welch 95% CI of the difference excludes 0), strongest evidence first — the
  lower (upper) CI bound of the difference — at most two of each. A unit is compared with the
  organisation, never ranked against other units;
- the unit's actions with the published value of their scale in the round they were made and
  in the next round, and the change between the two (:func:`follow_up`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.errors import UserError
from scoring.frame_memo import memo
from scoring.privacy.publication import BELOW_MIN_N, Publication
from scoring.reporting.comparison import HIGHER, LOWER, comparison, unit_row_columns, welch_difference
from scoring.reporting.participation import response_rates

TOP = 2
SCALE_COLUMNS = ["scale", "n", "mean", "sd", "ci_low", "ci_high", "suppressed", "why", "org_mean", "org_n", "type_mean",
                 "type_n", "diff_organisation", "diff_low", "diff_high", "vs_organisation", "previous_round",
                 "previous_mean", "change", "change_low", "change_high", "change_reading"]
FOLLOW_COLUMNS = ["then_n", "then_mean", "then_suppressed", "next_round", "next_n", "next_mean", "next_suppressed",
                  "next_why", "change", "change_low", "change_high", "change_reading"]


@dataclass(frozen=True)
class UnitLanding:
    """One unit in one round (module docstring). ``scales``: :data:`SCALE_COLUMNS`;
    ``actions``: the unit's actions with :data:`FOLLOW_COLUMNS`."""

    unit: str
    name: str
    unit_type: str
    round: str
    previous_round: str | None
    min_n: int
    responses: dict
    scales: pd.DataFrame = field(repr=False)
    strengths: tuple[str, ...]
    areas: tuple[str, ...]
    actions: pd.DataFrame = field(repr=False)

    @property
    def hidden_scales(self) -> pd.DataFrame:
        return self.scales[self.scales["suppressed"]]

    def to_dict(self) -> dict:
        def records(frame):
            return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")

        return {"unit": self.unit, "name": self.name, "round": self.round, "previous_round": self.previous_round,
                "min_n": self.min_n, "responses": self.responses, "scales": records(self.scales),
                "strengths": list(self.strengths), "areas": list(self.areas), "actions": records(self.actions)}


def result_rounds(publication: Publication) -> list[str]:
    """The publication's rounds, oldest first, with results: at least one published (not hidden)
    scale cell. A round just opened has cells, all hidden (too few answers), and is not one."""
    return [r for r in publication.rounds if not publication.arrays("compare", r)["hidden"].all()]


def scale_table(publication: Publication, tree: pd.DataFrame, round_name: str, scales: list[str]) -> pd.DataFrame:
    """Units x scales of one round with the change since the previous round: ``unit`` and
    :data:`SCALE_COLUMNS`, scales in the order given (:func:`~scoring.reporting.comparison.unit_rows`
    for all scales at once). ``previous_mean`` is the unit's mean in the previous round with
    results; the change is :func:`~scoring.reporting.comparison.trends`' change, from the unit's
    row in the latest earlier round of the publication that has one (Welch 95% CI)."""
    rounds = result_rounds(publication)
    previous = rounds[rounds.index(round_name) - 1] if round_name in rounds and rounds.index(round_name) > 0 else None
    table = unit_row_columns(publication, tree, round_name, scales)  # the frame is made once, at the end
    rows = len(table["unit"])
    if rows == 0:
        return pd.DataFrame(columns=["unit", *SCALE_COLUMNS])
    table["previous_mean"] = np.full(rows, np.nan)
    table["change"], table["change_low"], table["change_high"] = (np.full(rows, np.nan) for _ in range(3))
    table["change_reading"] = pd.Series(np.full(rows, None, dtype=object), dtype=object)
    if previous is not None:
        key = list(zip(table["scale"], table["unit"]))
        then = np.full((3, rows), np.nan)  # mean, sd, n of each row's latest earlier row
        found, passed = np.zeros(rows, dtype=bool), False
        earlier = list(publication.rounds)[: list(publication.rounds).index(round_name)]
        for name in reversed(earlier):  # a few rounds, each a few dozen rows to look up
            cells = publication.arrays("compare", name)  # the table's (scale, unit) pairs are unit_rows' rows
            pairs = list(zip(cells["scale"], cells["unit"]))
            first = dict(zip(reversed(pairs), range(len(pairs) - 1, -1, -1)))  # the first cell of a pair
            at = np.array([first.get(pair, -1) for pair in key], dtype=int)
            values = np.vstack([cells["mean"], cells["sd"], cells["n"]])
            fill = ~found & (at >= 0)
            then[:, fill] = values[:, at[fill]]
            found |= at >= 0
            if name == previous:
                if len(pairs):  # else it stays NaN
                    table["previous_mean"] = np.where(at >= 0, values[0, at.clip(0)], np.nan)
                passed = True
            if passed and found.all():
                break
        n = table["n"].to_numpy(dtype=float, na_value=np.nan)
        d, low, high, reading = welch_difference(table["mean"], table["sd"], n, *then)
        table["change"], table["change_low"], table["change_high"] = d, low, high
        table["change_reading"] = pd.Series(np.where(np.isnan(d), None, reading), dtype=object)  # not inferred as text
    table["previous_round"] = np.full(rows, previous, dtype=object)  # text, or objects (None) without a previous round
    return pd.DataFrame({c: table[c] for c in ("unit", *SCALE_COLUMNS)})


def standouts(scales: pd.DataFrame, top: int = TOP) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(strengths, areas): scales clearly above (below) the organisation, strongest evidence
    first (largest lower CI bound of the difference; smallest upper bound; ties in the order
    given), at most ``top`` each."""
    shown = ~scales["suppressed"].to_numpy(dtype=bool)
    reading = scales["vs_organisation"].to_numpy(dtype=object)
    names = scales["scale"].to_numpy(dtype=object)
    high = np.flatnonzero(shown & (reading == HIGHER))
    low = np.flatnonzero(shown & (reading == LOWER))
    high = high[np.argsort(-scales["diff_low"].to_numpy(dtype=float)[high], kind="stable")]
    low = low[np.argsort(scales["diff_high"].to_numpy(dtype=float)[low], kind="stable")]
    return tuple(names[high[:top]]), tuple(names[low[:top]])


def follow_up(publication: Publication, tree: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
    """Actions (from :func:`scoring.store.plans.list_actions`) with their scale's published
    value for their unit in the round they were made (``then_*``) and in the next round of
    the publication (``next_*``), and the Welch change between the two (:data:`FOLLOW_COLUMNS`)."""
    rounds = list(publication.rounds)
    out = actions.reset_index(drop=True)
    follow = {c: [None] * len(out) for c in FOLLOW_COLUMNS}  # filled per action, typed once at the end
    cache: dict[tuple[str, str], pd.DataFrame] = {}

    def cell(scale: str, round_name: str | None, unit: str):
        if round_name is None:
            return None
        if (scale, round_name) not in cache:
            cache[(scale, round_name)] = comparison(publication, tree, scale, round_name).units.set_index("unit")
        frame = cache[(scale, round_name)]
        return frame.loc[unit] if unit in frame.index else None

    actions_listed = out[["round", "scale", "unit"]].to_dict(orient="records") if len(out) else []
    for i, action in enumerate(actions_listed):  # a handful of actions per unit
        then_round = action["round"] if action["round"] in rounds else None
        position = rounds.index(then_round) if then_round is not None else None
        next_round = rounds[position + 1] if position is not None and position + 1 < len(rounds) else None
        then, nxt = cell(action["scale"], then_round, action["unit"]), cell(action["scale"], next_round, action["unit"])
        follow["next_round"][i] = next_round
        if then is not None:
            follow["then_suppressed"][i] = bool(then["suppressed"])
            follow["then_n"][i], follow["then_mean"][i] = then["n"], then["mean"]
        if nxt is not None:
            follow["next_suppressed"][i] = bool(nxt["suppressed"])
            follow["next_n"][i], follow["next_mean"][i], follow["next_why"][i] = nxt["n"], nxt["mean"], nxt["why"]
        if then is not None and nxt is not None and not then["suppressed"] and not nxt["suppressed"]:
            d, lo, hi, reading = welch_difference(nxt["mean"], nxt["sd"], float(nxt["n"]), then["mean"], then["sd"], float(then["n"]))
            follow["change"][i], follow["change_low"][i], follow["change_high"][i] = float(d), float(lo), float(hi)
            follow["change_reading"][i] = str(reading)
    floats, counts = ("then_mean", "next_mean", "change", "change_low", "change_high"), ("then_n", "next_n")
    columns = {c: pd.array([None if pd.isna(v) else v for v in follow[c]], dtype="Int64") if c in counts
               else np.array([np.nan if v is None else v for v in follow[c]], dtype=float) if c in floats
               else pd.Series(follow[c], dtype=object) for c in FOLLOW_COLUMNS}
    return pd.concat([out, pd.DataFrame(columns, index=out.index)], axis=1)


def round_rates(publication: Publication, tree: pd.DataFrame, round_name: str, status: pd.DataFrame) -> pd.DataFrame:
    """The round's response rates (:func:`~scoring.reporting.participation.response_rates`) by unit."""
    return response_rates(publication, tree, round_name, status).units.set_index("unit")


def unit_landing(publication: Publication, tree: pd.DataFrame, unit: str, round_name: str, status: pd.DataFrame,
                 actions: pd.DataFrame, scales: list[str], table: pd.DataFrame | None = None,
                 rates: pd.DataFrame | None = None) -> UnitLanding:
    """One unit's landing (module docstring). ``status``: the round's units with ``invited``
    (:func:`scoring.store.rounds.round_status`); ``actions``: every action the viewer may see;
    ``table``: :func:`scale_table` of the round and ``rates``: :func:`round_rates`, when already
    computed for several units."""
    if not publication.viewer.sees(unit):
        raise UserError.single("You do not have access to this unit.", path="unit", code="no_access_unit")
    table = scale_table(publication, tree, round_name, scales) if table is None else table
    mine = table.iloc[np.flatnonzero(table["unit"].to_numpy(dtype=object) == unit)].drop(columns="unit").reset_index(drop=True)
    rates = round_rates(publication, tree, round_name, status) if rates is None else rates
    rate = rates.loc[unit] if unit in rates.index else None
    responses = {"responses": None if rate is None or pd.isna(rate["responses"]) else int(rate["responses"]),
                 "invited": None if rate is None or pd.isna(rate["invited"]) else int(rate["invited"]),
                 "response_rate": None if rate is None or pd.isna(rate["response_rate"]) else float(rate["response_rate"]),
                 "suppressed": True if rate is None else bool(rate["suppressed"]),
                 "why": None if rate is None else rate["why"]}
    strengths, areas = standouts(mine)
    info = memo(tree, "by_unit", lambda: tree.set_index("unit")).loc[unit]
    own = actions[actions["unit"] == unit] if len(actions) else actions
    previous = mine["previous_round"].iloc[0] if len(mine) else None
    return UnitLanding(unit, str(info["name"]), str(info["unit_type"]), round_name, previous,
                       publication.rounds.get(round_name, 0), responses, mine, strengths, areas,
                       follow_up(publication, tree, own))


REMIND_BELOW = 0.5  # response rate under which the coordinator is told to send a reminder


@dataclass(frozen=True)
class CoordinatorView:
    """The running round for the survey coordinator: per round unit the published response
    count, headcount and rate (``units``, as :class:`~scoring.reporting.participation.ResponseRates`
    with ``below_min_n`` and ``remind``), and the open rounds whose closing date has passed."""

    round: str | None
    min_n: int
    units: pd.DataFrame = field(repr=False)
    rounds_to_close: tuple[str, ...]


def coordinator_view(publication: Publication, tree: pd.DataFrame, rounds: list[dict], status: pd.DataFrame,
                     today) -> CoordinatorView:
    """``rounds``: :meth:`scoring.store.rounds.RoundInfo.to_dict` of every round (oldest first);
    ``status``: the running round's units with ``invited``. The running round is the newest
    open one. A unit is ``below_min_n`` where its count is hidden for that reason, and gets a
    reminder (``remind``) when below ``min_n`` or its rate is under :data:`REMIND_BELOW`."""
    open_rounds = [r for r in rounds if r["state"] == "open"]
    to_close = tuple(r["name"] for r in open_rounds if r.get("closes") and str(r["closes"]) < today.isoformat())
    running = open_rounds[-1]["name"] if open_rounds else None
    if running is None or running not in publication.rounds:
        return CoordinatorView(running, 0, pd.DataFrame(), to_close)
    frame = response_rates(publication, tree, running, status).units
    frame = frame[frame["unit"].isin(status["unit"])].reset_index(drop=True)
    frame["below_min_n"] = frame["why"] == BELOW_MIN_N
    frame["remind"] = frame["below_min_n"] | (frame["response_rate"] < REMIND_BELOW)
    return CoordinatorView(running, publication.rounds[running], frame, to_close)
