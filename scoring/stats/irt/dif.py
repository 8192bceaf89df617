"""Differential item functioning between two groups: likelihood-ratio tests on the graded model.

For each studied item j, two multiple-group graded models are compared (Thissen, Steinberg &
Wainer 1993; mirt's ``DIF(multipleGroup(...), scheme = "add")`` from a fully constrained model):

- constrained: every item's parameters equal in both groups; the reference group's latent
  density is N(0, 1), the focal group's mean and SD are free (the anchor: all other items);
- free: the same, but item j's slope and intercepts are estimated separately in each group.

G2 = 2 (l_free - l_constrained) is referred to chi-square with df = the item's number of
parameters (K_j: one slope, K_j - 1 intercepts). p-values are adjusted across the studied items
by Benjamini & Hochberg (1995). Effect sizes (Meade 2010), from the free model, with E_R and
E_F the expected item scores (0..K-1) under the reference and focal parameters and the
integral over the focal group's estimated N(mu_F, sigma_F^2) on the quadrature:

- SIDS (signed item difference in the sample) = integral (E_R - E_F) dG_F: positive when the
  item gives focal respondents lower scores than reference respondents at the same theta;
- UIDS (unsigned) = integral |E_R - E_F| dG_F;
- ESSD (expected score standardized difference) = SIDS / pooled within-group SD of the item's
  observed scores.

An item whose categories are not all used in both groups cannot have its own thresholds in
each group; it is reported with NaN and a reason.

References: Thissen, D., Steinberg, L. & Wainer, H. (1993). Detection of differential item
functioning using the parameters of item response models. In Holland & Wainer (eds.),
Differential item functioning. Meade, A. W. (2010). A taxonomy of effect size measures for the
differential functioning of items and scales. Journal of Applied Psychology 95, 728-743.
Benjamini, Y. & Hochberg, Y. (1995). JRSS B 57, 289-300.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from scoring.result import Result
from scoring.stats.irt import graded
from scoring.stats.irt._json import clean, fmt, records
from scoring.stats.irt.mml import Estimates, MarginalModel, start_values
from scoring.stats.irt.responses import MIN_RESPONDENTS, code_items, group_patterns

ALPHA = 0.05


@dataclass(frozen=True)
class DIFResult(Result):
    """One row per studied item: ``G2``, ``df``, ``p``, ``p_adjusted`` (BH), ``SIDS``, ``UIDS``,
    ``ESSD``, slopes in both groups, and ``flag`` (p_adjusted < 0.05)."""

    reference: str
    focal: str
    table: pd.DataFrame
    n_reference: int
    n_focal: int
    loglik_constrained: float
    focal_mean: float
    focal_sd: float
    reasons: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict:
        return {
            "method": "likelihood-ratio test per item, graded model, anchor = all other items",
            "reference": self.reference,
            "focal": self.focal,
            "n_reference": self.n_reference,
            "n_focal": self.n_focal,
            "loglik_constrained": clean(self.loglik_constrained),
            "focal_mean": clean(self.focal_mean),
            "focal_sd": clean(self.focal_sd),
            "p_adjust": "BH",
            "alpha": ALPHA,
            "items": records(self.table),
            "reasons": dict(self.reasons),
            "warnings": list(self.warnings),
        }

    def summary(self, digits: int = 3) -> str:
        lines = [
            f"DIF: graded model, likelihood-ratio test per item (anchor = all other items)",
            f"reference = {self.reference} (n = {self.n_reference}), focal = {self.focal} (n = {self.n_focal});"
            f" focal latent mean = {fmt(self.focal_mean)}, SD = {fmt(self.focal_sd)} (constrained model)",
            "p_adjusted: Benjamini-Hochberg; SIDS/UIDS: signed/unsigned expected item score difference"
            " (reference - focal) over the focal group; ESSD = SIDS / pooled SD",
            "",
            self.table.round(digits).to_string(na_rep="NA"),
        ]
        lines.extend(f"{item}: {why}" for item, why in self.reasons.items())
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def __repr__(self) -> str:
        flagged = int(self.table["flag"].sum())
        return f"DIFResult(reference={self.reference!r}, focal={self.focal!r}, items={len(self.table)}, flagged={flagged})"


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """BH-adjusted p-values (R ``p.adjust(p, "BH")``); NaN stays NaN and is not counted."""
    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if len(ok) == 0:
        return out
    order = ok[np.argsort(p[ok])]
    m = len(order)
    adjusted = p[order] * m / np.arange(1, m + 1)
    out[order] = np.minimum(1.0, np.minimum.accumulate(adjusted[::-1])[::-1])
    return out


def dif_graded(
    frame: pd.DataFrame, group, *, reference=None, items: list[str] | None = None, min_respondents: int = MIN_RESPONDENTS
) -> DIFResult:
    """LR DIF tests of ``items`` (default: all columns of ``frame``) between the two levels of
    ``group`` (a Series or array aligned with ``frame``; rows with a missing group are left out).

    Raises ``ValueError`` unless ``group`` has exactly two levels with ``min_respondents`` each.
    """
    frame = pd.DataFrame(frame)
    group = pd.Series(np.asarray(group, dtype=object), index=frame.index)
    keep = group.notna()
    frame, group = frame[keep], group[keep].astype(str)
    levels = sorted(group.unique())
    if len(levels) != 2:
        raise ValueError(f"DIF needs exactly two groups; the group column has {len(levels)}: {', '.join(levels[:10])}")
    reference = levels[0] if reference is None else str(reference)
    if reference not in levels:
        raise ValueError(f"reference group '{reference}' is not one of {', '.join(levels)}")
    focal = levels[1] if reference == levels[0] else levels[0]
    coded = code_items(frame, min_respondents=min_respondents)
    g = (group.loc[coded.rows] == focal).to_numpy().astype(int)
    n_ref, n_foc = int((g == 0).sum()), int((g == 1).sum())
    for name, n in ((reference, n_ref), (focal, n_foc)):
        if n < min_respondents:
            raise ValueError(f"group '{name}' has {n} respondents; DIF needs at least {min_respondents} in each group")
    studied = coded.items if items is None else list(items)
    K = coded.n_categories
    codes = coded.codes

    base_model = MarginalModel(group_patterns(codes, g), K, n_groups=2, free_groups=(1,))
    base = base_model.fit(base_model.pack(start_values(codes, K)), se=False)
    est0 = base.estimates
    warnings = list(coded.warnings)
    if not base.converged:
        warnings.append(f"the constrained model did not converge ({base.message})")

    rows, reasons = [], {}
    for item in studied:
        j = coded.items.index(item)
        missing = [
            f"category {coded.levels[j][k]:g} not used in group '{name}'"
            for name, gv in ((reference, 0), (focal, 1))
            for k in range(K[j])
            if not np.any(codes[g == gv, j] == k)
        ]
        if missing:
            reasons[item] = "not tested: " + "; ".join(missing)
            rows.append([item] + [np.nan] * 9 + [False])
            continue
        split = np.column_stack([codes, np.where(g == 1, codes[:, j], -1)]).astype(np.int16)
        split[g == 1, j] = -1
        K_split = np.append(K, K[j])
        model = MarginalModel(group_patterns(split, g), K_split, n_groups=2, free_groups=(1,))
        start = Estimates(np.append(est0.a, est0.a[j]), est0.d + [est0.d[j].copy()], est0.means, est0.sds)
        free = model.fit(model.pack(start), se=False)
        if not free.converged:
            warnings.append(f"item '{item}': the model with free parameters did not converge ({free.message})")
        g2 = max(0.0, 2.0 * (free.loglik - base.loglik))
        df = int(K[j])
        e = free.estimates
        weights = np.exp(model.log_weights(e)[1])
        diff = graded.expected_score(e.a[j], e.d[j], model.theta) - graded.expected_score(e.a[-1], e.d[-1], model.theta)
        sids, uids = float(weights @ diff), float(weights @ np.abs(diff))
        answered = codes[:, j] >= 0
        var_r = np.var(codes[answered & (g == 0), j], ddof=1)
        var_f = np.var(codes[answered & (g == 1), j], ddof=1)
        n_r, n_f = int((answered & (g == 0)).sum()), int((answered & (g == 1)).sum())
        pooled = np.sqrt(((n_r - 1) * var_r + (n_f - 1) * var_f) / (n_r + n_f - 2))
        rows.append([item, g2, df, float(stats.chi2.sf(g2, df)), np.nan, sids, uids,
                     sids / pooled if pooled > 0 else np.nan, e.a[j], e.a[-1], False])
    table = pd.DataFrame(rows, columns=["item", "G2", "df", "p", "p_adjusted", "SIDS", "UIDS", "ESSD",
                                        "a_reference", "a_focal", "flag"]).set_index("item")
    table["p_adjusted"] = benjamini_hochberg(table["p"].to_numpy())
    table["flag"] = (table["p_adjusted"] < ALPHA).fillna(False).astype(bool)
    table["df"] = table["df"].astype("Int64")
    return DIFResult(reference, focal, table, n_ref, n_foc, base.loglik, float(est0.means[1]), float(est0.sds[1]),
                     reasons, warnings)
