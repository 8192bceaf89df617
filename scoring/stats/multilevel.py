"""Multilevel statistics: ICC(1), ICC(2) and within-unit agreement (rwg, rwg(j), awg, AD).

Two layers:

* **Statistics per unit, unsuppressed** — :func:`icc`, :func:`rwg`, :func:`rwg_j`,
  :func:`rwg_j_lindell`, :func:`awg`, :func:`ad_m` (the null variance σ²E from
  :func:`expected_variance`, :func:`null_variance` or given directly). They reproduce R's ``multilevel`` package (Bliese) number for number, including
  its missing-data rules, and return one row per unit *with every unit*, however small. They are
  for the quality pages and for researchers, never for a manager's view.
* **Reporting** — :func:`scoring.reporting.aggregation.aggregate_scale` and
  :func:`~scoring.reporting.aggregation.aggregate_instrument` build the unit table a manager sees: n, mean, sd, t-based 95% CI and rwg(j) per unit, with the anonymity rules of
  :mod:`scoring.privacy` applied (primary suppression below ``min_n`` and complementary
  suppression, so that no hidden unit can be worked out from the total and the other units),
  plus ICC(1), ICC(2), summaries of agreement over the units shown and a reading in nb and en.

Everything is vectorised over respondents with ``np.bincount`` and pandas ``groupby``; there is
no Python loop over units.

References
----------
Bliese, P. D. (2000). Within-group agreement, non-independence, and reliability. In K. J. Klein &
S. W. J. Kozlowski (Eds.), *Multilevel theory, research, and methods in organizations*
(pp. 349-381). Jossey-Bass.
Brown, R. D., & Hauenstein, N. M. A. (2005). Interrater agreement reconsidered: An alternative to
the rwg indices. *Organizational Research Methods, 8*, 165-184.
Burke, M. J., Finkelstein, L. M., & Dusig, M. S. (1999). On average deviation indices for
estimating interrater agreement. *Organizational Research Methods, 2*, 49-68.
James, L. R., Demaree, R. G., & Wolf, G. (1984). Estimating within-group interrater reliability
with and without response bias. *Journal of Applied Psychology, 69*, 85-98.
Lindell, M. K., Brandt, C. J., & Whitney, D. J. (1999). A revised index of interrater agreement
for multi-item ratings of a single target. *Applied Psychological Measurement, 23*, 127-135.
LeBreton, J. M., & Senter, J. L. (2008). Answers to 20 questions about interrater reliability and
interrater agreement. *Organizational Research Methods, 11*, 815-852.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from scoring.errors import Coded, UserError, check_choice
from scoring.result import Result

# Reading thresholds (see :func:`reading`).
RWG_STRONG = 0.70
RWG_MODERATE = 0.50
ICC2_RELIABLE = 0.70

READINGS: dict[str, dict[str, str]] = {
    "report_unit_means": {
        "nb": "Enighet innad i enhetene er høy nok til å rapportere et enhetsgjennomsnitt, "
        "og enhetene skiller seg pålitelig fra hverandre.",
        "en": "Agreement within units is high enough to report a unit mean, "
        "and the units differ reliably from one another.",
        "nn": "Semja innanfor einingane er høg nok til å rapportere eit einingsgjennomsnitt, "
        "og einingane skil seg påliteleg frå kvarandre.",
    },
    "agree_units_alike": {
        "nb": "Enighet innad i enhetene er høy nok til å rapportere et enhetsgjennomsnitt, "
        "men enhetene skiller seg lite fra hverandre: forskjeller mellom enhetene er usikre.",
        "en": "Agreement within units is high enough to report a unit mean, "
        "but the units differ little from one another: differences between units are uncertain.",
        "nn": "Semja innanfor einingane er høg nok til å rapportere eit einingsgjennomsnitt, "
        "men einingane skil seg lite frå kvarandre: skilnader mellom einingane er usikre.",
    },
    "moderate_agreement": {
        "nb": "Middels enighet innad i enhetene: vis enhetsgjennomsnittet sammen med spredningen, "
        "og les det som et grovt sammendrag.",
        "en": "Moderate agreement within units: show the unit mean together with the spread, "
        "and read it as a rough summary.",
        "nn": "Middels semje innanfor einingane: vis einingsgjennomsnittet saman med spreiinga, "
        "og les det som eit grovt samandrag.",
    },
    "low_agreement": {
        "nb": "Lav enighet innad i enhetene: gjennomsnittet skjuler ulike opplevelser; "
        "se på fordelingen av svar heller enn på gjennomsnittet.",
        "en": "Low agreement within units: the mean hides different experiences; "
        "look at the distribution of answers rather than the mean.",
        "nn": "Låg semje innanfor einingane: gjennomsnittet skjuler ulike opplevingar; "
        "sjå på fordelinga av svar heller enn på gjennomsnittet.",
    },
    "too_few_units": {
        "nb": "For få enheter med nok svar til å vurdere enighet innad i enhetene.",
        "en": "Too few units with enough answers to judge agreement within units.",
        "nn": "For få einingar med nok svar til å vurdere semja innanfor einingane.",
    },
}


def _nan_to_none(value):
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


# ----------------------------------------------------------------------------- grouping helpers


def _factorize(units) -> tuple[np.ndarray, pd.Index]:
    """Unit codes 0..G-1 in sorted label order (-1 for a missing unit) and the labels."""
    codes, labels = pd.factorize(pd.Series(units, copy=False), sort=True)
    if isinstance(labels, pd.CategoricalIndex):
        labels = labels.astype(labels.categories.dtype)
    return codes, pd.Index(labels, name="unit")


def _as_categorical(units) -> pd.Series:
    """Units as a categorical Series, so that the several group-bys factorise it only once."""
    series = pd.Series(units, copy=False).reset_index(drop=True)
    return series if isinstance(series.dtype, pd.CategoricalDtype) else series.astype("category")


def _as_matrix(x) -> np.ndarray:
    arr = np.asarray(x.to_numpy(dtype=float) if isinstance(x, (pd.DataFrame, pd.Series)) else x, dtype=float)
    return arr.reshape(-1, 1) if arr.ndim == 1 else arr


def _listwise(x, units) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Rows with a unit and every column present (multilevel's ``na.exclude``); codes renumbered.

    Returns the complete rows, their unit codes and the labels of the units that kept a row.
    """
    mat = _as_matrix(x)
    codes, labels = _factorize(units)
    if len(codes) != mat.shape[0]:
        raise ValueError(f"{mat.shape[0]} rows of answers but {len(codes)} unit labels")
    keep = (codes >= 0) & ~np.isnan(mat).any(axis=1)
    codes = codes[keep]
    present = np.bincount(codes, minlength=len(labels)) > 0  # renumber the units that kept a row
    renumber = np.cumsum(present) - 1
    return mat[keep], renumber[codes], labels[present]


def _group_var(mat: np.ndarray, codes: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group and column: size n, mean and variance (divisor n - 1; NaN when n < 2)."""
    n = np.bincount(codes, minlength=n_groups).astype(float)
    cols = mat.shape[1]
    mean = np.empty((n_groups, cols))
    var = np.full((n_groups, cols), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        for j in range(cols):  # over items (a handful), not over units
            mean[:, j] = np.bincount(codes, weights=mat[:, j], minlength=n_groups) / n
            dev = mat[:, j] - mean[codes, j]
            ss = np.bincount(codes, weights=dev * dev, minlength=n_groups)
            var[:, j] = np.where(n > 1, ss / (n - 1), np.nan)
    return n, mean, var


def _group_median(mat: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group and column the median (R's: the mean of the two middle values of an even count;
    NaN for an empty group). Whole-number answers over a few codes are counted per (group,
    code) and the middle ranks read off the running counts; other answers go to pandas."""
    finite = mat[np.isfinite(mat)]
    low = finite.min() if finite.size else 0.0
    width = int(finite.max() - low) + 1 if finite.size else 1
    if not finite.size or width > 64 or not np.all(finite == np.round(finite)) or finite.size < mat.size:
        return pd.DataFrame(mat).groupby(codes, sort=True).median().reindex(range(n_groups)).to_numpy()
    out = np.empty((n_groups, mat.shape[1]))
    for j in range(mat.shape[1]):  # over items (a handful), not respondents
        offset = codes * width + (mat[:, j] - low).astype(np.int64)
        running = np.bincount(offset, minlength=n_groups * width).reshape(n_groups, width).cumsum(axis=1)
        n = running[:, -1]
        lower = (running > ((n - 1) // 2)[:, None]).argmax(axis=1)  # the code holding rank (n-1)//2
        upper = (running > (n // 2)[:, None]).argmax(axis=1)
        out[:, j] = np.where(n > 0, low + (lower + upper) / 2, np.nan)
    return out


def expected_variance(options: int, step: float = 1.0) -> float:
    """σ²EU, the variance of a uniform ("no agreement") answer over ``options`` response options.

    σ²EU = step² · (A² - 1) / 12 for A equally spaced options (James, Demaree & Wolf 1984);
    for A = 5 and step 1 this is 2, multilevel's default ``ranvar``.
    """
    if options < 2:
        raise UserError.single(f"the number of response options must be at least 2 (got {options})", path="--options")
    return step * step * (options * options - 1) / 12.0


def null_variance(probabilities, low: float = 1.0, step: float = 1.0) -> float:
    """σ²E of a null ("no agreement") distribution given by the shares ``probabilities`` of the
    A options ``low, low + step, ...``: σ²E = Σ p_k (x_k - μ)², μ = Σ p_k x_k.

    Equal shares give :func:`expected_variance`; skewed or triangular nulls stand for response
    bias (LeBreton & Senter 2008, Table 2: slight skew .05 .15 .20 .35 .25 gives 1.34). The
    result is what ``multilevel::rwg(ranvar = )`` takes. The shares must be >= 0 and sum to 1.
    """
    p = np.asarray(probabilities, dtype=float).ravel()
    if p.size < 2 or not np.all(np.isfinite(p)) or (p < 0).any() or abs(p.sum() - 1) > 1e-6:
        raise UserError.single(f"a null distribution needs at least two shares >= 0 that sum to 1 (got {', '.join(f'{v:g}' for v in p)})",
                               path="--null-probs")
    x = low + step * np.arange(p.size)
    mu = float(p @ x)
    return float(p @ (x - mu) ** 2)


# ----------------------------------------------------------------------------- ICC


@dataclass(frozen=True, repr=False)
class ICC(Result):
    """ICC(1) and ICC(2) from a one-way ANOVA of a score on unit (Bliese 2000).

    ``k`` is multilevel's group size: N / J, the plain mean number of rows per unit among the
    rows the ANOVA used (not the k0 of an unbalanced design).
    """

    icc1: float
    icc2: float
    msb: float
    msw: float
    df_between: int
    df_within: int
    k: float
    f: float
    p: float
    n: int
    n_units: int
    note: str | None = None

    def summary(self) -> str:
        lines = [
            f"ICC(1) = {self.icc1:.3f}   ICC(2) = {self.icc2:.3f}",
            f"one-way ANOVA: MSB = {self.msb:.4f}, MSW = {self.msw:.4f}, "
            f"F({self.df_between}, {self.df_within}) = {self.f:.3f}, p = {self.p:.3g}",
            f"n = {self.n} in {self.n_units} units, mean unit size k = N/J = {self.k:.2f}",
        ]
        if self.note:
            lines.append(f"note: {self.note}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {k: _nan_to_none(v) for k, v in self.__dict__.items()}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.to_dict()])


def icc(score, units) -> ICC:
    """ICC(1) and ICC(2) of ``score`` across ``units``, as ``multilevel::ICC1``/``ICC2``.

    From the one-way ANOVA ``aov(score ~ as.factor(unit))`` on the rows with a score and a unit:

        ICC(1) = (MSB - MSW) / (MSB + (k - 1) MSW),   k = N / J
        ICC(2) = (MSB - MSW) / MSB

    with MSB = Σ n_j (ȳ_j - ȳ)² / (J - 1), MSW = Σ (y - ȳ_j)² / (N - J); ``f`` = MSB/MSW and
    ``p`` its upper F(J-1, N-J) tail. ICC(1) is the share of variance due to the unit; ICC(2)
    the reliability of the unit means (Bliese 2000). Degenerate input (fewer than two units, no
    unit with two answers, no variance) gives NaN with the reason in ``note``.
    """
    y, codes, labels = _listwise(score, units)
    y = y[:, 0]
    n_total, n_units = len(y), len(labels)
    nan = float("nan")
    if n_units < 2 or n_total - n_units < 1:
        reason = (Coded("fewer than two units with a score", "too_few_units") if n_units < 2
                  else Coded("no unit has two or more scores", "no_unit_two_scores"))
        return ICC(nan, nan, nan, nan, max(n_units - 1, 0), max(n_total - n_units, 0), nan, nan, nan, n_total, n_units, reason)
    n, mean, _ = _group_var(y.reshape(-1, 1), codes, n_units)
    mean = mean[:, 0]
    grand = y.mean()
    ssb = float(np.sum(n * (mean - grand) ** 2))
    ssw = float(np.sum((y - mean[codes]) ** 2))
    dfb, dfw = n_units - 1, n_total - n_units
    msb, msw = ssb / dfb, ssw / dfw
    k = n_total / n_units
    note = None
    if msb == 0 or msw == 0:
        note = Coded("no variance between units", "no_variance_between") if msb == 0 else Coded("no variance within units", "no_variance_within")
        icc1 = icc2 = f = p = nan
    else:
        icc1 = (msb - msw) / (msb + (k - 1) * msw)
        icc2 = (msb - msw) / msb
        f = msb / msw
        p = float(stats.f.sf(f, dfb, dfw))
    return ICC(icc1, icc2, msb, msw, dfb, dfw, k, f, p, n_total, n_units, note)


# ----------------------------------------------------------------------------- agreement per unit


def rwg(x, units, ranvar: float = 2.0) -> pd.DataFrame:
    """Single-item agreement rwg per unit, as ``multilevel::rwg(x, grpid, ranvar)``.

    rwg = 1 - S² / σ²EU with S² the unit's variance (divisor n - 1) and σ²EU = ``ranvar``
    (see :func:`expected_variance`); S² > σ²EU is truncated to σ²EU, so rwg lies in [0, 1]
    (James, Demaree & Wolf 1984; LeBreton & Senter 2008). Rows with a missing value are
    dropped; a unit with one valid answer gets NaN. Columns ``rwg`` and ``gsize`` (valid
    answers), indexed by unit.
    """
    out = rwg_j(x, units, ranvar)
    return out.rename(columns={"rwg_j": "rwg"})


def rwg_j(items, units, ranvar: float = 2.0) -> pd.DataFrame:
    """Multi-item agreement rwg(j) per unit, as ``multilevel::rwg.j(x, grpid, ranvar)``.

    With J items and S̄² the mean of the J item variances within the unit (truncated at σ²EU):

        rwg(j) = J (1 - S̄²/σ²EU) / (J (1 - S̄²/σ²EU) + S̄²/σ²EU)

    (James, Demaree & Wolf 1984). Listwise: a respondent with any item missing is dropped; a
    unit with fewer than two complete respondents gets NaN. With J = 1 this is :func:`rwg`.
    Columns ``rwg_j`` and ``gsize`` (complete respondents), indexed by unit.
    """
    return _rwg_j_rows(*_listwise(items, units), ranvar)


def _rwg_j_rows(mat: np.ndarray, codes: np.ndarray, labels: pd.Index, ranvar: float, moments=None) -> pd.DataFrame:
    """:func:`rwg_j` of the complete rows from :func:`_listwise`; ``moments``: their
    :func:`_group_var`, if the caller has it (one pass shared by every agreement index)."""
    n, _, var = _group_var(mat, codes, len(labels)) if moments is None else moments
    j = mat.shape[1]
    ratio = np.minimum(var.mean(axis=1), ranvar) / ranvar
    with np.errstate(invalid="ignore"):
        value = j * (1 - ratio) / (j * (1 - ratio) + ratio)
    value = np.where(n > 1, value, np.nan)
    return pd.DataFrame({"rwg_j": value, "gsize": n.astype(int)}, index=labels)


def rwg_j_lindell(items, units, ranvar: float = 2.0) -> pd.DataFrame:
    """Lindell's r*wg(j) per unit, as ``multilevel::rwg.j.lindell(x, grpid, ranvar)``.

    r*wg(j) = 1 - S̄²/σ²E with S̄² the mean of the J item variances within the unit, **not**
    truncated (it is negative when the unit disagrees more than the null, down to -1 for
    bimodal answers under a uniform null) and without the Spearman-Brown step-up of rwg(j), so
    it does not grow with J (Lindell, Brandt & Whitney 1999). Listwise, NaN for fewer than two
    complete respondents. Columns ``rwg_lindell`` and ``gsize``, indexed by unit. (multilevel
    2.7 fails on a single column; here J = 1 gives 1 - S²/σ²E.)
    """
    return _lindell_rows(*_listwise(items, units), ranvar)


def _lindell_rows(mat: np.ndarray, codes: np.ndarray, labels: pd.Index, ranvar: float, moments=None) -> pd.DataFrame:
    """:func:`rwg_j_lindell` of the complete rows from :func:`_listwise` (``moments`` as in :func:`_rwg_j_rows`)."""
    n, _, var = _group_var(mat, codes, len(labels)) if moments is None else moments
    value = np.where(n > 1, 1 - var.mean(axis=1) / ranvar, np.nan)
    return pd.DataFrame({"rwg_lindell": value, "gsize": n.astype(int)}, index=labels)


def _awg_columns(mat: np.ndarray, codes: np.ndarray, n_groups: int, low: float, high: float,
                 moments=None) -> tuple[np.ndarray, np.ndarray]:
    """awg per unit and column (NaN where undefined) and the unit sizes (``moments`` as in :func:`_rwg_j_rows`)."""
    n, mean, var = _group_var(mat, codes, n_groups) if moments is None else moments
    total = np.stack([np.bincount(codes, weights=mat[:, j], minlength=n_groups) for j in range(mat.shape[1])], axis=1)
    k = n[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        value = 1 - (2 * var) / (((high + low) * mean - mean**2 - high * low) * (k / (k - 1)))
    # The largest variance possible for the unit's mean is undefined outside these bounds
    # (Brown & Hauenstein 2005); compared on sums, which is exact for whole-number answers.
    out_of_bounds = (total < low * (k - 1) + high) | (total > high * (k - 1) + low)
    value = np.where(out_of_bounds, np.nan, value)
    value = np.where((mean == high) | (mean == low), 1.0, value)
    value = np.where(k > 1, value, np.nan)
    return value, n


def awg(x, units, low: float = 1.0, high: float = 5.0) -> pd.DataFrame:
    """Agreement index a_wg per unit (Brown & Hauenstein 2005), as ``multilevel::awg(x, grpid, range)``.

    For a unit of k raters with mean M and variance S² on a scale from L to H:

        a_wg = 1 - 2 S² / ([(H + L) M - M² - H L] · k / (k - 1))

    i.e. the observed variance relative to the largest variance possible at that mean. It is
    undefined (NaN) when M < (L(k-1) + H)/k or M > (H(k-1) + L)/k, set to 1 when M equals L or
    H, NaN for k = 1, and not truncated below 0. With several items: listwise deletion, a_wg
    per item, then the mean over the items that have one. Columns ``awg`` and ``gsize``.
    """
    return _awg_rows(*_listwise(x, units), low, high)


def _awg_rows(mat: np.ndarray, codes: np.ndarray, labels: pd.Index, low: float, high: float, moments=None) -> pd.DataFrame:
    """:func:`awg` of the complete rows from :func:`_listwise` (``moments`` as in :func:`_rwg_j_rows`)."""
    value, n = _awg_columns(mat, codes, len(labels), low, high, moments)
    with np.errstate(invalid="ignore"):
        # mean over items with a value; a unit with none stays NaN (R: mean(numeric(0)) is NaN)
        count = np.sum(~np.isnan(value), axis=1)
        mean = np.where(count > 0, np.nansum(value, axis=1) / np.maximum(count, 1), np.nan)
    return pd.DataFrame({"awg": mean, "gsize": n.astype(int)}, index=labels)


def ad_m(x, units, center: str = "mean") -> pd.DataFrame:
    """Average deviation AD per unit (Burke, Finkelstein & Dusig 1999), as ``multilevel::ad.m``.

    AD = Σ |x - c| / n with c the unit's mean (``center="mean"``, AD_M) or median
    (``center="median"``, AD_Md). With several items: listwise deletion and the mean of the item
    ADs. A unit with one respondent gets NaN. Smaller is more agreement; Burke & Dunlap (2002)
    suggest AD <= A/6 for A response options. Columns ``ad`` and ``gsize``.
    """
    check_choice(center, ("mean", "median"), "center", error=ValueError)
    return _ad_rows(*_listwise(x, units), center)


def _ad_rows(mat: np.ndarray, codes: np.ndarray, labels: pd.Index, center: str, moments=None) -> pd.DataFrame:
    """:func:`ad_m` of the complete rows from :func:`_listwise` (``moments`` as in :func:`_rwg_j_rows`)."""
    n = np.bincount(codes, minlength=len(labels)).astype(float)
    if center == "mean" and moments is not None:
        centre = moments[1]
    elif center == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            centre = np.stack([np.bincount(codes, weights=mat[:, j], minlength=len(labels)) for j in range(mat.shape[1])], axis=1) / n[:, None]
    else:
        centre = _group_median(mat, codes, len(labels))
    dev = np.abs(mat - centre[codes])
    per_item = np.stack([np.bincount(codes, weights=dev[:, j], minlength=len(labels)) for j in range(mat.shape[1])], axis=1) / n[:, None]
    value = np.where(n > 1, per_item.mean(axis=1), np.nan)
    return pd.DataFrame({"ad": value, "gsize": n.astype(int)}, index=labels)


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Reading:
    """What the agreement and ICC figures mean for reporting unit means."""

    code: str
    nb: str
    en: str

    def to_dict(self) -> dict:
        return {"code": self.code, "nb": self.nb, "en": self.en}


def reading(rwg_j_median: float, icc1: float, icc2: float) -> Reading:
    """Reading of a scale's aggregation for a manager, from the median rwg(j) and the ICCs.

    Rule (first that applies):

    1. ``too_few_units`` — no median rwg(j) (no unit shown with two or more complete answers)
       or no ICC (fewer than two units);
    2. ``report_unit_means`` — median rwg(j) >= .70 *and* ICC(1) > 0 *and* ICC(2) >= .70:
       respondents within a unit agree, units differ, and the unit means are reliable;
    3. ``agree_units_alike`` — median rwg(j) >= .70 but ICC(1) <= 0 or ICC(2) < .70: a unit mean
       describes its unit, but differences between units are not reliable;
    4. ``moderate_agreement`` — .50 <= median rwg(j) < .70;
    5. ``low_agreement`` — median rwg(j) < .50.

    The .70 cut-off for rwg(j) is the conventional one (James, Demaree & Wolf 1984); LeBreton &
    Senter (2008, Table 3) call .51-.70 moderate and .71-.90 strong agreement, and suggest
    ICC(2) >= .70 for reliable group means. ICC(1) > 0 says that the unit accounts for some of
    the variance; ICC(2) grows with unit size (Bliese 2000), so it is judged with ICC(1).
    """
    if not np.isfinite(rwg_j_median) or not np.isfinite(icc1) or not np.isfinite(icc2):
        code = "too_few_units"
    elif rwg_j_median >= RWG_STRONG:
        code = "report_unit_means" if icc1 > 0 and icc2 >= ICC2_RELIABLE else "agree_units_alike"
    elif rwg_j_median >= RWG_MODERATE:
        code = "moderate_agreement"
    else:
        code = "low_agreement"
    return Reading(code, READINGS[code]["nb"], READINGS[code]["en"])
