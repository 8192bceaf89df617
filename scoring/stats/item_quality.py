"""Item-level quality of one scale: does each item help the scale, and how do people answer it?

Per item (one row each), from the raw answer codes of the scale's items (reverse-keyed items
already reversed, so that every item points the same way):

- **distribution**: the share of each valid code among the valid answers;
- ``dont_know``: the share of all rows that gave a "don't know" code (user-missing, e.g. 9,
  "vet ikke / ikke relevant"); ``missing``: the share of all rows left blank;
- ``floor`` / ``ceiling``: the share of valid answers at the lowest / highest code;
- ``item_rest_r``: the corrected item-total correlation, the item with the sum of the other
  items (psych ``alpha()$item.stats$r.drop``), pairwise-complete covariances as psych;
- ``alpha_if_dropped``: raw alpha of the other items (psych ``alpha()$alpha.drop$raw_alpha``);
- ``loading``: the item's loading in a one-factor minres factor analysis of the pairwise
  Pearson correlations (psych ``fa(x, nfactors = 1)``, its defaults);
- ``information``: the graded response model's item information averaged over the latent
  distribution the model assumes, N(0, 1): integral I_j(theta) phi(theta) dtheta (Samejima
  1969; the trapezoidal rule on 3,201 points over [-8, 8]), from
  :func:`scoring.stats.irt.fit_graded`; ``information_share`` is its share of the test's
  (the sum over items). A sharper item carries more.

Warnings for items that hurt the scale (:func:`item_flags`, :data:`LIMITS`), in the words of
the usual rules of thumb: item-rest r < .30 (Nunnally & Bernstein 1994; negative: probably
needs reverse keying); alpha rises if the item is dropped; loading < .40 in the one-factor
model; more than 80% of answers at the floor or the ceiling (the item hardly separates
people; the 15% rule of Terwee et al. 2007 is for scale scores, :mod:`.reliability.alpha`);
more than 20% "don't know"; more than 10% left blank; information less than half an average
item's share.

References: Revelle, W. psych: ``alpha``, ``fa``. Nunnally, J. C. & Bernstein, I. H. (1994).
Psychometric theory (3rd ed.). Samejima, F. (1969). Psychometrika Monograph Supplement 17.
Terwee, C. B. et al. (2007). Journal of Clinical Epidemiology 60, 34-42.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import integrate

from scoring.errors import Coded, coded_from_dict, coded_to_dict
from scoring.result import Result
from scoring.stats.efa.factors import efa
from scoring.stats.irt import fit_graded, graded
from scoring.stats.irt._json import clean, fmt
from scoring.stats.reliability.alpha import alpha

LIMITS = {
    "item_rest_r": 0.30,  # below: the item shares little with the rest
    "loading": 0.40,  # below: the item measures little of the common factor
    "end_share": 0.80,  # above: nearly everyone gives the same extreme answer
    "dont_know": 0.20,  # above: the item does not apply to many respondents
    "missing": 0.10,  # above: many skip the item
    "information_share": 0.5,  # below this fraction of an average item's share of the test information
}

FLAGS = ("negative_item_rest", "low_item_rest", "alpha_rises", "low_loading", "floor", "ceiling", "dont_know",
         "missing", "low_information")

INFORMATION_METHOD = "item information of the graded model averaged over N(0, 1): integral I_j(theta) phi(theta) dtheta"

_THETA = np.linspace(-8.0, 8.0, 3201)
_DENSITY = np.exp(-0.5 * _THETA * _THETA) / np.sqrt(2 * np.pi)


@dataclass(frozen=True, repr=False)
class ItemQualityResult(Result):
    """Item quality of one scale; see the module docstring for every column of ``table``.

    ``codes``: the valid answer codes (the distribution's columns, as text: "1".."5");
    ``alpha``: raw alpha of the whole scale; ``n_rows``: respondents given; ``flags``: one
    boolean column per rule (:data:`FLAGS`); ``messages``: each item's warnings in words;
    ``information_reason`` says why information is missing (e.g. too few respondents).
    """

    scale: str | None
    items: list[str]
    codes: list[str]
    n_rows: int
    alpha: float
    table: pd.DataFrame
    flags: pd.DataFrame
    messages: dict[str, list[str]]
    information_reason: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict:
        return {
            "scale": self.scale,
            "n_rows": self.n_rows,
            "alpha": clean(self.alpha),
            "codes": list(self.codes),
            "limits": dict(LIMITS),
            "information_method": INFORMATION_METHOD,
            "information_reason": self.information_reason,
            "items": {
                item: {
                    "distribution": {c: clean(self.table.loc[item, c]) for c in self.codes},
                    **{k: clean(self.table.loc[item, k]) for k in self.table.columns if k not in self.codes},
                    "flags": [f for f in FLAGS if bool(self.flags.loc[item, f])],
                    "warnings": list(self.messages[item]),
                }
                for item in self.items
            },
            "warnings": list(self.warnings),
        }

    def to_payload(self) -> dict:
        """Everything :meth:`from_payload` needs, JSON-able (NaN as None; reasons with their
        codes): the result kept in the database (:mod:`scoring.store.quality`)."""
        table = self.table.astype(object).where(self.table.notna(), None)
        return {"scale": self.scale, "items": list(self.items), "codes": list(self.codes), "n_rows": int(self.n_rows),
                "alpha": clean(self.alpha), "columns": list(table.columns), "rows": table.to_numpy().tolist(),
                "information_reason": None if self.information_reason is None else str(self.information_reason),
                "information_reason_code": coded_to_dict(self.information_reason),
                "warnings": [str(w) for w in self.warnings],
                "warnings_code": [coded_to_dict(w) for w in self.warnings]}

    @classmethod
    def from_payload(cls, data: dict) -> ItemQualityResult:
        """The result :meth:`to_payload` wrote; flags and messages follow from the table again."""
        table = pd.DataFrame(data["rows"], index=pd.Index(data["items"], name="item"), columns=data["columns"], dtype=float)
        value = math.nan if data["alpha"] is None else float(data["alpha"])
        flags = item_flags(table, value)
        return cls(data["scale"], list(data["items"]), list(data["codes"]), int(data["n_rows"]), value, table, flags,
                   item_messages(table, flags, value),
                   coded_from_dict(data["information_reason"], data.get("information_reason_code")),
                   [coded_from_dict(w, c) for w, c in zip(data["warnings"], data["warnings_code"])])

    def summary(self, digits: int = 2) -> str:
        shown = self.table.drop(columns=self.codes)
        lines = [
            f"Item quality{' of ' + self.scale if self.scale else ''}: {len(self.items)} items, n = {self.n_rows}, "
            f"alpha = {fmt(self.alpha)}",
            "Distribution (share of valid answers per code):",
            self.table[self.codes].round(digits).to_string(na_rep="NA"),
            "",
            shown.round(3).to_string(na_rep="NA"),
            f"information: {INFORMATION_METHOD}" + (f" (not computed: {self.information_reason})" if self.information_reason else ""),
            "",
        ]
        hurt = {item: m for item, m in self.messages.items() if m}
        lines.append("Items that may hurt the scale:" if hurt else "No item is flagged.")
        lines.extend(f"  {item}: {'; '.join(m)}" for item, m in hurt.items())
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)


def expected_information(a: float, d: np.ndarray) -> float:
    """integral I_j(theta) phi(theta) dtheta of one graded item (slope ``a``, intercepts ``d``)."""
    return float(integrate.trapezoid(graded.information(a, d, _THETA) * _DENSITY, _THETA))


def _distribution(raw: np.ndarray, dont_know: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Shares of each code among the valid answers, items x codes (one comparison per code)."""
    valid = ~np.isnan(raw) & ~dont_know
    count = valid.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.stack([(raw == c).sum(axis=0) for c in codes], axis=1) / count[:, None]


def _information(valid: pd.DataFrame) -> tuple[np.ndarray, str | None]:
    """Expected item information from the graded model, or NaN and the reason it failed."""
    try:
        fit = fit_graded(valid, se=False, item_fit=False)
    except ValueError as err:  # the message, with its code when it has one (scoring.errors.Coded)
        return np.full(valid.shape[1], np.nan), err.args[0] if err.args and isinstance(err.args[0], str) else str(err)
    params = fit.parameters
    info = {}
    for item in fit.items:
        m = len(fit.categories[item]) - 1
        info[item] = expected_information(params.loc[item, "a"], params.loc[item, [f"d{k}" for k in range(1, m + 1)]].to_numpy(float))
    reason = None if fit.converged else Coded("the graded model did not converge", "irt_no_convergence")
    return np.array([info.get(c, np.nan) for c in valid.columns]), reason


def item_quality(
    items,
    *,
    low: float | None = None,
    high: float | None = None,
    dont_know=(),
    information: bool = True,
    scale: str | None = None,
) -> ItemQualityResult:
    """Item quality of one scale (see the module docstring).

    ``items``: respondents x items, numeric codes, NaN = blank; ``dont_know``: the codes that
    mean "don't know" (they count as missing for every statistic); ``low``/``high``: the
    response scale's limits (default: the lowest and highest valid code observed);
    ``information=False`` skips the graded model (the slowest part).

    Raises ``ValueError`` for fewer than two items or a code that is neither valid (between
    ``low`` and ``high``) nor a "don't know" code.
    """
    frame = pd.DataFrame(items).apply(pd.to_numeric, errors="raise").astype(float)
    names = [str(c) for c in frame.columns]
    frame.columns = names
    if len(names) < 2:
        raise ValueError("item quality needs at least two items")
    raw = frame.to_numpy()
    dk = np.isin(raw, np.asarray(list(dont_know), dtype=float))
    valid_values = raw[~np.isnan(raw) & ~dk]
    low = float(valid_values.min()) if low is None and valid_values.size else low
    high = float(valid_values.max()) if high is None and valid_values.size else high
    if low is None or high is None:
        raise ValueError("no valid answers")
    outside = ~np.isnan(raw) & ~dk & ((raw < low) | (raw > high))
    if outside.any():
        row, col = np.argwhere(outside)[0]
        raise ValueError(f"item '{names[col]}', row {row + 1}: code {raw[row, col]:g} is outside {low:g}..{high:g} "
                         "and not a \"don't know\" code")
    valid = frame.mask(dk)
    codes = np.arange(low, high + 1) if float(low).is_integer() and float(high).is_integer() else np.unique(valid_values)
    code_names = [f"{c:g}" for c in codes]
    n_rows = len(frame)
    rel = alpha(valid, low=low, high=high, scale=scale)
    stats = rel.items.set_index("item")
    table = pd.DataFrame(_distribution(raw, dk, codes), index=pd.Index(names, name="item"), columns=code_names)
    table["dont_know"] = dk.sum(axis=0) / n_rows if n_rows else np.nan
    table["missing"] = np.isnan(raw).sum(axis=0) / n_rows if n_rows else np.nan
    table["floor"] = stats["floor"].to_numpy()
    table["ceiling"] = stats["ceiling"].to_numpy()
    table["item_rest_r"] = stats["item_rest_r"].to_numpy()
    table["alpha_if_dropped"] = stats["alpha_if_dropped"].to_numpy()
    one = efa(valid, 1)
    table["loading"] = one.loadings.iloc[:, 0].reindex(names).to_numpy()
    # alpha's own floor/ceiling note uses the 15% rule for scale scores; the end-share flag replaces it here
    warnings = [w for w in rel.warnings if not w.startswith("more than 15%")]
    warnings += [f"one-factor model: {one.reason}"] if one.reason else []
    info, reason = _information(valid) if information else (np.full(len(names), np.nan), "not asked")
    table["information"] = info
    table["information_share"] = info / np.nansum(info) if np.isfinite(info).any() else np.nan
    flags = item_flags(table, rel.alpha)
    return ItemQualityResult(scale, names, code_names, n_rows, rel.alpha, table, flags,
                             item_messages(table, flags, rel.alpha), reason, warnings)


def item_flags(table: pd.DataFrame, alpha_value: float) -> pd.DataFrame:
    """One boolean column per rule of :data:`FLAGS` for the columns of an item-quality table
    (NaN never flags)."""
    k = len(table)
    with np.errstate(invalid="ignore"):
        return pd.DataFrame({
            "negative_item_rest": table["item_rest_r"] < 0,
            "low_item_rest": table["item_rest_r"] < LIMITS["item_rest_r"],
            "alpha_rises": table["alpha_if_dropped"] > alpha_value,
            "low_loading": table["loading"].abs() < LIMITS["loading"],
            "floor": table["floor"] > LIMITS["end_share"],
            "ceiling": table["ceiling"] > LIMITS["end_share"],
            "dont_know": table["dont_know"] > LIMITS["dont_know"],
            "missing": table["missing"] > LIMITS["missing"],
            "low_information": table["information_share"] < LIMITS["information_share"] / k,
        }, index=table.index)


def item_messages(table: pd.DataFrame, flags: pd.DataFrame, alpha_value: float) -> dict[str, list[str]]:
    """Each item's warnings in the words of :func:`item_flags`' rules (English)."""
    def r(v: float) -> str:
        return f"{v:.2f}".replace("0.", ".", 1) if abs(v) < 1 else f"{v:.2f}"

    def pct(v: float) -> str:
        return "<1%" if 0 < v < 0.005 else f"{100 * v:.0f}%"

    words = {
        "negative_item_rest": lambda row: f"negative item-rest r ({r(row.item_rest_r)}): should it be reverse-keyed?",
        "low_item_rest": lambda row: f"item-rest r {r(row.item_rest_r)} < .30",
        "alpha_rises": lambda row: f"alpha rises from {r(alpha_value)} to {r(row.alpha_if_dropped)} if dropped",
        "low_loading": lambda row: f"loading {r(row.loading)} < .40 in the one-factor model",
        "floor": lambda row: f"floor {pct(row.floor)} > 80%",
        "ceiling": lambda row: f"ceiling {pct(row.ceiling)} > 80%",
        "dont_know": lambda row: f"\"don't know\" {pct(row.dont_know)} > 20%",
        "missing": lambda row: f"left blank by {pct(row.missing)} > 10%",
        "low_information": lambda row: f"little information ({pct(row.information_share)} of the test's)",
    }
    out = {}
    for item, row in zip(table.index, table.itertuples()):  # over items, a handful
        hits = [f for f in FLAGS if bool(flags.loc[item, f])]
        if "negative_item_rest" in hits:
            hits.remove("low_item_rest")
        out[item] = [words[f](row) for f in hits]
    return out
