"""Client feedback (ORS/SRS-like): contacts, reliable change, alerts and one client's view.

Each contact of a client has an outcome total (``fu_total``, "Hverdagen min", 0-40, higher is
better) and a visit total (``fs_total``, "Samtalen/besøket i dag", 0-40). The library turns a
table of contacts into:

- :func:`prepare_contacts`: the checked table (keys, dates, answers on the response scales,
  no national identity numbers) with both totals;
- :func:`feedback_settings`: the reliability and SD (instrument, intake data or given), the
  cut-off and clinically significant change criteria, the visit threshold and the alert rules;
- :func:`contact_table`: per contact, for every client at once: intake, change, RC from
  intake and its category, the previous visit total, ceiling patterns;
- :func:`client_table`: per client: intake, last score, change, RC, Jacobson & Truax class,
  whether the last score is at or above the cut-off and each CSC point, drop-out;
- :func:`client_feedback`: everything a clinician's page shows for one client (trajectory
  table, bands, alerts, expected trajectory).

The formulas are in :mod:`scoring.feedback.change`, the alert rules in
:mod:`scoring.feedback.alerts`, expected trajectories in :mod:`scoring.feedback.expected` and
the managers' unit figures in :mod:`scoring.feedback.units`.

Keys: a client is identified by (unit, client), as in the database, where a client id is
unique within a unit. The intake is the client's first contact with an outcome total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.errors import Problem, UserError, check_choice
from scoring.feedback.alerts import AlertRules, find_alerts
from scoring.feedback.change import (
    Reliability,
    classify_change,
    combine,
    csc_criteria,
    instrument_reliability,
    intake_reliability,
    reliable_change_category,
    reliable_change_index,
)
from scoring.feedback.defaults import CRITERIA
from scoring.instrument.model import Instrument, NormGroup, Scale
from scoring.responses.national_id import national_id_mask, national_id_message
from scoring.result import Result

OUTCOME_INSTRUMENT = "feedback-utfall"
VISIT_INSTRUMENT = "feedback-samtale"
OUTCOME_SCALE = "fu_total"
VISIT_SCALE = "fs_total"
KEY = ["unit", "client"]
REQUIRED_COLUMNS = ("client", "unit", "contact", "date")
DEFAULT_DROPOUT_WEEKS = 6
RELIABILITY_FROM = ("auto", "instrument", "intake")
MAX_LISTED = 20


# ----------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class FeedbackSettings:
    """What the measures need besides the answers: norms, reliability, rules.

    ``cutoff`` is the outcome cut-off a client should end at or above; ``criterion`` picks the
    point used for "recovered" (``cutoff`` = the stored cut-off, or Jacobson & Truax's ``a``,
    ``b`` or ``c`` from the functional and dysfunctional norms).
    """

    outcome: Instrument
    visit: Instrument
    reliability: Reliability
    cutoff: float | None
    functional: NormGroup | None
    dysfunctional: NormGroup | None
    visit_threshold: float | None
    criterion: str = "cutoff"
    rules: AlertRules = field(default_factory=AlertRules)

    @property
    def outcome_scale(self) -> Scale:
        return self.outcome.scale(OUTCOME_SCALE)

    @property
    def visit_scale(self) -> Scale:
        return self.visit.scale(VISIT_SCALE)

    @property
    def outcome_items(self) -> list[str]:
        return list(self.outcome_scale.items)

    @property
    def visit_items(self) -> list[str]:
        return list(self.visit_scale.items)

    @property
    def criteria(self) -> dict[str, float]:
        """CSC points a, b, c; empty unless functional and dysfunctional norms are configured."""
        if self.functional is None or self.dysfunctional is None:
            return {}
        return csc_criteria(self.functional, self.dysfunctional)

    @property
    def recovery_point(self) -> float | None:
        if self.criterion == "cutoff":
            return self.cutoff
        return self.criteria[self.criterion]

    def total_range(self, scale: Scale, instrument: Instrument) -> tuple[float, float]:
        """Lowest and highest possible sum of the scale's items."""
        rs = [instrument.response_scale_of(i) for i in scale.items]
        return float(sum(r.min for r in rs)), float(sum(r.max for r in rs))

    def to_dict(self) -> dict:
        return {
            "outcome": {"instrument": self.outcome.id, "version": self.outcome.version, "scale": OUTCOME_SCALE},
            "visit": {"instrument": self.visit.id, "version": self.visit.version, "scale": VISIT_SCALE},
            "norms_status": self.outcome_scale.norms.status if self.outcome_scale.norms else None,
            "reliability": self.reliability.to_dict(),
            "cutoff": self.cutoff,
            "functional": None if self.functional is None else self.functional.model_dump(),
            "dysfunctional": None if self.dysfunctional is None else self.dysfunctional.model_dump(),
            "csc_criteria": self.criteria or None,
            "criterion": self.criterion,
            "recovery_point": self.recovery_point,
            "visit_threshold": self.visit_threshold,
            "rules": self.rules.to_dict(),
        }


def feedback_settings(
    contacts: pd.DataFrame | None = None,
    *,
    rxx: float | None = None,
    sd: float | None = None,
    reliability_from: str = "auto",
    criterion: str = "cutoff",
    rules: AlertRules | None = None,
    outcome: Instrument | None = None,
    visit: Instrument | None = None,
) -> FeedbackSettings:
    """Settings from the instruments' stored norms, the service's intake data or given values.

    Parameters
    ----------
    contacts : prepared contacts (:func:`prepare_contacts`) of the whole service; needed when
        the reliability is estimated from intake data.
    rxx, sd : given values; each replaces the one from ``reliability_from`` (source "given").
    reliability_from : ``"instrument"`` (the outcome scale's stored ``rxx`` and ``sd``),
        ``"intake"`` (alpha of the outcome items and SD of the totals at each client's intake;
        :func:`scoring.feedback.change.intake_reliability`) or ``"auto"`` (the instrument when
        it stores both, else intake data).
    criterion : point for "recovered": ``"cutoff"`` or ``"a"``, ``"b"``, ``"c"``.
    rules : alert rules (default :class:`AlertRules`).
    outcome, visit : instruments (default the bundled ``feedback-utfall`` and ``feedback-samtale``).
    """
    from scoring.instrument.catalog import bundled

    outcome = outcome or bundled(OUTCOME_INSTRUMENT)
    visit = visit or bundled(VISIT_INSTRUMENT)
    check_choice(reliability_from, RELIABILITY_FROM, "reliability_from")
    check_choice(criterion, CRITERIA, "criterion")
    scale = outcome.scale(OUTCOME_SCALE)
    norms = scale.norms
    base = instrument_reliability(scale)
    if reliability_from == "intake" or (reliability_from == "auto" and not base.usable and (rxx is None or sd is None)):
        if contacts is None:
            raise UserError.single("estimating the reliability from intake data needs the contacts")
        intake = intake_rows(contacts)
        base = intake_reliability(intake[list(scale.items)], intake["outcome_total"])
    settings = FeedbackSettings(
        outcome=outcome,
        visit=visit,
        reliability=combine(base, rxx, sd),
        cutoff=None if norms is None else norms.cutoff,
        functional=None if norms is None else norms.functional,
        dysfunctional=None if norms is None else norms.dysfunctional,
        visit_threshold=_visit_threshold(visit),
        criterion=criterion,
        rules=rules or AlertRules(),
    )
    if criterion != "cutoff" and not settings.criteria:
        raise UserError.single(f"criterion {criterion} needs functional and dysfunctional norms on {OUTCOME_SCALE}")
    return settings


def _visit_threshold(visit: Instrument) -> float | None:
    norms = visit.scale(VISIT_SCALE).norms
    return None if norms is None else norms.visit_threshold


# ----------------------------------------------------------------------------- reading


def prepare_contacts(
    table: pd.DataFrame,
    *,
    outcome: Instrument | None = None,
    visit: Instrument | None = None,
    file: str | None = None,
) -> pd.DataFrame:
    """Check a contacts table (the ``feedback.csv`` layout) and add both totals.

    Columns: ``client``, ``unit``, ``contact`` (1, 2, ...), ``date`` (YYYY-MM-DD), optional
    ``clinician``, the outcome items and the visit items. Problems are raised together as a
    :class:`UserError` (rows numbered from 1 after the header, the first 20 listed): missing
    columns, blank client or unit, a contact that is not a whole number >= 1, a date that is
    not a date, a client (or clinician) id that looks like a national identity number (the
    value is not repeated in the message), the same (unit, client, contact) twice, a contact
    dated before the client's previous one, and every problem
    :func:`scoring.responses.reading.code_responses` finds in the answers of either instrument.

    Returns one row per contact, sorted by unit, client and contact: ``unit``, ``client``,
    ``clinician``, ``contact`` (int), ``date`` (datetime64), the items (float, NaN =
    missing), ``outcome_total`` and ``visit_total`` (sums; NaN unless every item is answered).
    """
    from scoring.instrument.catalog import bundled
    from scoring.responses.reading import code_responses
    from scoring.responses.scores import score_scales

    outcome = outcome or bundled(OUTCOME_INSTRUMENT)
    visit = visit or bundled(VISIT_INSTRUMENT)
    absent = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if absent:
        raise UserError.single(
            "column(s) missing: " + ", ".join(absent) + " (a contacts table has client, unit, contact, date and the items)",
            file=file,
        )
    table = table.reset_index(drop=True)
    client = _as_text(table["client"])
    unit = _as_text(table["unit"])
    clinician = _as_text(table["clinician"]) if "clinician" in table.columns else pd.Series(pd.NA, index=table.index, dtype="string")
    contact = pd.to_numeric(table["contact"], errors="coerce")
    date = _as_dates(table["date"])

    cells: list[tuple[int, str, str]] = []

    def flag(mask, column: str, message) -> None:
        for r in np.flatnonzero(np.asarray(mask, dtype=bool)):
            cells.append((int(r), column, message(int(r)) if callable(message) else message))

    flag(client.isna(), "client", "the client id is missing")
    flag(unit.isna(), "unit", "the unit is missing")
    flag(contact.isna() | (contact < 1) | (contact != np.floor(contact)), "contact", lambda r: f"contact must be a whole number from 1 (got {table['contact'].iloc[r]!r})")
    flag(date.isna(), "date", lambda r: f"not a date (YYYY-MM-DD): {table['date'].iloc[r]!r}")
    flag(national_id_mask(table["client"]), "client", national_id_message("the client id"))
    if "clinician" in table.columns:
        flag(national_id_mask(table["clinician"]), "clinician", national_id_message("the clinician id"))
    keys = pd.DataFrame({"unit": unit, "client": client, "contact": contact, "date": date})
    complete = keys.notna().all(axis=1)
    dup = keys.duplicated(subset=["unit", "client", "contact"], keep="first") & complete
    flag(dup, "contact", lambda r: f"contact {int(contact.iloc[r])} of client '{client.iloc[r]}' in unit '{unit.iloc[r]}' is there twice")
    ordered = keys[complete & ~dup].sort_values(["unit", "client", "contact"])
    earlier = ordered.groupby(["unit", "client"], sort=False)["date"].shift()
    backwards = pd.Series(False, index=keys.index)
    backwards.loc[ordered.index] = (ordered["date"] < earlier).to_numpy()
    flag(backwards, "date", lambda r: f"contact {int(contact.iloc[r])} is dated before the client's previous contact")

    problems: list[Problem] = []
    coded = {}
    with_row = table.assign(_row=np.arange(1, len(table) + 1))
    for inst in (outcome, visit):
        try:
            coded[inst.id] = code_responses(with_row, inst, id_column="_row", file=file)
        except UserError as err:
            problems += err.problems
    total_bad = len(cells)
    cells.sort(key=lambda c: (c[0], table.columns.get_loc(c[1])))
    problems = [Problem(msg, file=file, row=r + 1, path=col) for r, col, msg in cells[:MAX_LISTED]] + problems
    if problems:
        summary = None
        if total_bad > MAX_LISTED:
            summary = f"{total_bad} bad key value(s) in all; the first {MAX_LISTED} are listed. Nothing was changed."
        raise UserError(problems, summary=summary)

    out = pd.DataFrame({
        "unit": unit.astype(object),
        "client": client.astype(object),
        "clinician": clinician.astype(object).where(clinician.notna(), None),
        "contact": contact.astype(np.int64),
        "date": date,
    })  # fmt: skip
    for inst, scale_id, total in ((outcome, OUTCOME_SCALE, "outcome_total"), (visit, VISIT_SCALE, "visit_total")):
        items = coded[inst.id].items
        out = pd.concat([out, items], axis=1)
        out[total] = score_scales(items, inst)[scale_id].round(total_decimals(inst, scale_id))
    return out.sort_values(["unit", "client", "contact"], kind="stable").reset_index(drop=True)


def total_decimals(inst: Instrument, scale_id: str) -> int:
    """Decimals of a sum of the scale's answers: a sum (or difference) of answers with d
    decimals has d decimals, so totals and changes are rounded to them, away from binary noise
    (15.700000000000003, 7.100000000000001)."""
    return max(inst.response_scale_of(i).decimals for i in inst.scale(scale_id).items)


def _as_text(column: pd.Series) -> pd.Series:
    """Ids as stripped text (12.0 read from a spreadsheet becomes '12'); blank -> NA."""
    if pd.api.types.is_float_dtype(column):
        whole = column.notna() & (column == np.floor(column))
        text = column.astype("string").where(~whole, column[whole].astype("Int64").astype("string") if whole.any() else None)
    else:
        text = column.astype("string")
    text = text.str.strip()
    return text.where(text != "")


def _as_dates(column: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.tz_localize(None).dt.normalize() if column.dt.tz is not None else column.dt.normalize()
    text = column.astype("string").str.strip()
    parsed = pd.to_datetime(text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    return pd.Series(parsed, index=column.index)


def intake_rows(contacts: pd.DataFrame) -> pd.DataFrame:
    """Each client's intake: the first contact with an outcome total (one row per client)."""
    scored = contacts[contacts["outcome_total"].notna()]
    return scored.sort_values([*KEY, "contact"]).drop_duplicates(KEY, keep="first").reset_index(drop=True)


# ----------------------------------------------------------------------------- per contact


def contact_table(contacts: pd.DataFrame, settings: FeedbackSettings) -> pd.DataFrame:
    """Per contact, for all clients at once (vectorised with groupby).

    Adds to the prepared contacts: ``intake`` and ``intake_contact`` (the client's first
    outcome total and its contact), ``change`` (outcome_total - intake), ``rc_from_intake``
    (Jacobson & Truax RC; NaN at and before the intake), ``reliable_change`` (improved /
    unchanged / deteriorated; None where RC is NaN), ``previous_visit`` and
    ``previous_visit_contact`` (the client's last earlier visit total), ``visit_ceiling`` and
    ``outcome_ceiling`` (every item of the instrument answered at its maximum).
    """
    df = contacts.sort_values([*KEY, "contact"], kind="stable").reset_index(drop=True)
    groups = [df["unit"], df["client"]]
    scored = df["outcome_total"].notna()
    df["intake_contact"] = df["contact"].where(scored).groupby(groups).transform("min")
    df["intake"] = df["outcome_total"].groupby(groups).transform("first")
    after = df["contact"] > df["intake_contact"]
    rel = settings.reliability
    rc = reliable_change_index(df["intake"], df["outcome_total"], rel.sd, rel.rxx)
    df["change"] = (df["outcome_total"] - df["intake"]).round(total_decimals(settings.outcome, OUTCOME_SCALE)).where(after)
    df["rc_from_intake"] = pd.Series(rc, index=df.index).where(after)
    df["reliable_change"] = reliable_change_category(df["rc_from_intake"].to_numpy())
    visit = df["visit_total"]
    df["previous_visit"] = visit.groupby(groups).shift().groupby(groups).ffill()
    seen = df["contact"].where(visit.notna()).astype(float)
    df["previous_visit_contact"] = seen.groupby(groups).shift().groupby(groups).ffill().astype("Int64")
    df["visit_ceiling"] = _at_ceiling(df, settings.visit, settings.visit_items)
    df["outcome_ceiling"] = _at_ceiling(df, settings.outcome, settings.outcome_items)
    return df


def _at_ceiling(df: pd.DataFrame, inst: Instrument, items: list[str]) -> pd.Series:
    top = np.array([inst.response_scale_of(i).max for i in items], dtype=float)
    values = df[items].to_numpy(dtype=float)
    return pd.Series(np.all(np.abs(values - top) < 1e-9, axis=1), index=df.index)


# ----------------------------------------------------------------------------- per client


def client_table(
    contacts: pd.DataFrame,
    settings: FeedbackSettings,
    *,
    as_of=None,
    dropout_weeks: float = DEFAULT_DROPOUT_WEEKS,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per client: the course from intake to the last outcome total.

    Columns: ``unit``, ``client``, ``clinician`` (at the last contact), ``n_contacts`` (rows),
    ``first_date``, ``last_date``, ``intake``, ``last`` (last outcome total), ``visits`` (visit totals), ``change``,
    ``rc_from_intake`` (RC of last vs intake; NaN with fewer than two outcome totals),
    ``reliable_change``, ``classification`` (recovered / improved / unchanged / deteriorated at
    ``settings.recovery_point``), ``above_cutoff`` (last >= cutoff), ``csc_a``/``csc_b``/
    ``csc_c`` (last at or beyond each point, when norms exist), ``low_visit`` (a visit total
    below the threshold at any contact), ``dropped_out``.

    Drop-out: no contact for ``dropout_weeks`` weeks or more before ``as_of`` (default: the
    last date in ``contacts``) while the last outcome total is below the cut-off (or missing),
    i.e. the client stopped coming before the outcome reached the cut-off. NaN without a
    cut-off.
    """
    df = contact_table(contacts, settings) if table is None else table
    if as_of is None:
        as_of = df["date"].max()
    as_of = pd.Timestamp(as_of)
    grouped = df.groupby(KEY, sort=True)
    scored = df[df["outcome_total"].notna()]
    by_scored = scored.groupby(KEY, sort=True)
    out = pd.DataFrame({
        "clinician": grouped["clinician"].last(),
        "n_contacts": grouped.size(),
        "first_date": grouped["date"].min(),
        "last_date": grouped["date"].max(),
        "intake": grouped["intake"].first(),
        "intake_contact": grouped["intake_contact"].first(),
        "last": by_scored["outcome_total"].last(),
        "last_contact": by_scored["contact"].last(),
        "visits": grouped["visit_total"].count(),
        "low_visit": (df["visit_total"] < settings.visit_threshold).groupby([df["unit"], df["client"]]).any()
        if settings.visit_threshold is not None else np.nan,
    })  # fmt: skip
    out = out.reset_index()
    rel = settings.reliability
    changed = out["last_contact"] > out["intake_contact"]
    out["change"] = (out["last"] - out["intake"]).round(total_decimals(settings.outcome, OUTCOME_SCALE)).where(changed)
    out["rc_from_intake"] = pd.Series(reliable_change_index(out["intake"], out["last"], rel.sd, rel.rxx)).where(changed)
    out["reliable_change"] = reliable_change_category(out["rc_from_intake"].to_numpy())
    out["classification"] = classify_change(out["intake"], out["last"], out["rc_from_intake"].to_numpy(), settings.recovery_point)
    cutoff = settings.cutoff
    if cutoff is None:
        out["above_cutoff"] = np.nan
        out["dropped_out"] = np.nan
    else:
        out["above_cutoff"] = (out["last"] >= cutoff).where(out["last"].notna())
        quiet = (as_of - out["last_date"]) >= pd.Timedelta(weeks=dropout_weeks)
        out["dropped_out"] = quiet & ~(out["last"] >= cutoff)
    for name, point in settings.criteria.items():
        out[f"csc_{name}"] = (out["last"] >= point).where(out["last"].notna())
    return out.drop(columns=["intake_contact", "last_contact"])


# ----------------------------------------------------------------------------- one client


@dataclass(frozen=True, repr=False)
class ClientFeedback(Result):
    """What a clinician sees for one client.

    ``table``: one row per contact (``contact``, ``date``, ``outcome_total``, ``visit_total``,
    ``change``, ``rc_from_intake``, ``reliable_change``, and with an expected trajectory
    ``expected``, ``expected_p25``, ``expected_p75``); ``bands``: the lines and bands to draw
    (``cutoff``, ``visit_threshold``, ``intake``, ``reliable_low``/``reliable_high`` = intake
    -/+ the minimal reliable difference, ``minimal_reliable_difference``); ``alerts``: one row
    per alert (``kind``, ``contact``, ``message``); ``course``: the client's row of
    :func:`client_table`; ``expected``: the model the expected band comes from, if any.
    """

    unit: str
    client: str
    table: pd.DataFrame
    bands: dict
    alerts: pd.DataFrame
    course: dict
    reliability: Reliability
    expected: object | None = None
    lang: str = "nb"

    @property
    def rc_from_intake(self) -> float:
        return self.course["rc_from_intake"]

    @property
    def reliable_change(self) -> str | None:
        """improved / unchanged / deteriorated from intake to the last outcome total; None with
        fewer than two outcome totals."""
        return _plain(self.course["reliable_change"])

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict:
        contacts = []
        for row in self.table.itertuples(index=False):
            item = {
                "contact": int(row.contact),
                "date": row.date.date().isoformat(),
                "outcome_total": _num(row.outcome_total),
                "visit_total": _num(row.visit_total),
                "change": _num(row.change),
                "rc_from_intake": _num(row.rc_from_intake),
                "reliable_change": _plain(row.reliable_change),
            }
            if "expected" in self.table.columns:
                item.update(expected=_num(row.expected), expected_p25=_num(row.expected_p25), expected_p75=_num(row.expected_p75))
            contacts.append(item)
        course = {k: _plain(v) for k, v in self.course.items() if k not in ("unit", "client", "rc_from_intake", "reliable_change")}
        return {
            "client": self.client,
            "unit": self.unit,
            "contacts": contacts,
            "rc_from_intake": _num(self.rc_from_intake),
            "reliable_change": self.reliable_change,
            **course,
            "bands": {k: _plain(v) for k, v in self.bands.items()},
            "expected_basis": None if self.expected is None else self.expected.basis(self.lang),
            "alerts": [
                {"kind": a.kind, "contact": int(a.contact), "message": a.message}
                for a in self.alerts.itertuples(index=False)
            ],
        }

    def summary(self) -> str:
        c = self.course
        lines = [
            f"Client {self.client} ({self.unit}): {c['n_contacts']} contact(s), intake {_fmt(c['intake'])}, "
            f"last {_fmt(c['last'])}, RC {_fmt(self.rc_from_intake, 2)} -> {self.reliable_change or 'not assessed'}"
            + (f" ({c['classification']})" if c.get("classification") and c["classification"] != self.reliable_change else ""),
        ]
        lines.append("  contact  date        outcome  visit  RC")
        for row in self.table.itertuples(index=False):
            lines.append(
                f"  {int(row.contact):>7}  {row.date.date().isoformat()}  {_fmt(row.outcome_total):>7}  "
                f"{_fmt(row.visit_total):>5}  {_fmt(row.rc_from_intake, 2)}"
            )
        for a in self.alerts.itertuples(index=False):
            lines.append(f"  ! contact {int(a.contact)}: {a.message}")
        return "\n".join(lines)


def client_feedback(
    contacts: pd.DataFrame,
    settings: FeedbackSettings,
    *,
    expected=None,
    lang: str = "nb",
    as_of=None,
    dropout_weeks: float = DEFAULT_DROPOUT_WEEKS,
) -> ClientFeedback:
    """Trajectory table, bands and alerts for one client: what a clinician's page calls.

    ``contacts``: the client's contacts, raw (the ``feedback.csv`` layout; checked with
    :func:`prepare_contacts`) or already prepared. ``settings``: :func:`feedback_settings`,
    made once for the service. ``expected``: an
    :class:`scoring.feedback.expected.ExpectedTrajectories` fitted on the service's data, or
    None. ``lang``: ``nb`` or ``en`` for the alert messages. ``as_of``: the date drop-out is
    judged at (default: today).
    """
    if as_of is None:
        as_of = pd.Timestamp.today().normalize()
    if "outcome_total" not in contacts.columns:
        contacts = prepare_contacts(contacts, outcome=settings.outcome, visit=settings.visit)
    keys = contacts[KEY].drop_duplicates()
    if len(keys) != 1:
        raise UserError.single(f"client_feedback needs the contacts of one client (got {len(keys)} clients)")
    table = contact_table(contacts, settings)
    course = client_table(contacts, settings, as_of=as_of, dropout_weeks=dropout_weeks, table=table).iloc[0].to_dict()
    alerts = find_alerts(table, settings, lang=lang)
    return build_client(table, course, alerts, settings, expected=expected, lang=lang)


def build_client(table: pd.DataFrame, course: dict, alerts: pd.DataFrame, settings: FeedbackSettings, *, expected=None, lang: str = "nb") -> ClientFeedback:
    """A :class:`ClientFeedback` from one client's rows of :func:`contact_table`,
    :func:`client_table` and :func:`scoring.feedback.alerts.find_alerts` (used by the report
    to split the vectorised tables)."""
    columns = ["contact", "date", "outcome_total", "visit_total", "change", "rc_from_intake", "reliable_change"]
    view = table[columns].reset_index(drop=True)
    rel = settings.reliability
    mrd = rel.mrd if rel.usable else float("nan")
    intake = course["intake"]
    if expected is not None and getattr(expected, "available", False) and not _isnan(intake):
        band = expected.band(intake, view["contact"])
        view = view.merge(band, on="contact", how="left")
    bands = {
        "cutoff": settings.cutoff,
        "recovery_point": settings.recovery_point,
        "visit_threshold": settings.visit_threshold,
        "intake": intake,
        "minimal_reliable_difference": mrd,
        "reliable_low": intake - mrd,
        "reliable_high": intake + mrd,
        "outcome_range": settings.total_range(settings.outcome_scale, settings.outcome),
        "visit_range": settings.total_range(settings.visit_scale, settings.visit),
    }
    return ClientFeedback(
        unit=course["unit"],
        client=course["client"],
        table=view,
        bands=bands,
        alerts=alerts[["kind", "contact", "message"]].reset_index(drop=True),
        course=course,
        reliability=rel,
        expected=expected,
        lang=lang,
    )


# ----------------------------------------------------------------------------- formatting


def _isnan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT


def _num(value):
    return None if _isnan(value) else float(value)


def _plain(value):
    """JSON-ready: NaN/NA -> None, numpy scalars -> Python, timestamps -> ISO dates."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if _isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return float(value)
    return value


def _fmt(value, digits: int = 1) -> str:
    return "-" if _isnan(value) else f"{value:.{digits}f}"
