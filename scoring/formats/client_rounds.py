"""The wide research export of client feedback: one row per pseudonymous client, a column per round.

Staff answers are anonymous, so their wide file follows units (:mod:`scoring.formats.rounds`);
client-feedback contacts are stored per pseudonymous client (:mod:`scoring.store.feedback`), so a
client can be followed across rounds. Contacts are dated, not tied to rounds, so a **client's
round k** is a period: the contacts dated from round k's opening date up to the day before the
next exported round opens (the last exported round: up to the export day). Contacts before the
first round's opening are not in the file. Per round ``k`` (1 = the oldest exported):

- ``contacts_r<k>``: the client's contacts in the period;
- per feedback scale (the outcome total ``fu_total`` and the visit total ``fs_total``):
  ``<scale>_first_r<k>`` and ``<scale>_last_r<k>``, the total at the first and at the last contact
  of the period with a total (system-missing without one).

What the file never holds, and why (docs/privacy.md, docs/spss.md):

- **No identifier of the client**: not the service's client id (pseudonymous, so the service can
  link it back to the person; it has passed the fødselsnummer refusal when stored, and still does
  not leave), no name, no clinician, no date and no contact number. ``client`` is a number made for
  this file: 1..N in a random order, a new one at every export, so two exports cannot be joined on
  it and it leads back to no record.
- **Units of fewer than min_n clients**: the export's anonymity rule with the client as the
  person: a unit with 1 to min_n - 1 clients in the file is merged into its nearest parent that
  then has at least min_n (the long staff export's rule, :func:`scoring.formats.spss._merge_small_units`),
  and a top unit still below min_n is withheld (``unit`` system-missing). min_n is the largest of
  the exported rounds' thresholds (a larger one may be asked for, never a smaller one).

Rows are sorted by the unit shown, then by the random client number. The unit codes are those of
the staff exports (the unit's position in the unit table), so the files join on ``unit``.
"""

from __future__ import annotations

import datetime as dt
import secrets

import numpy as np
import pandas as pd

from scoring.errors import UserError
from scoring.formats.names import SPSS, SPSS_FILE_LABEL_BYTES, safe_names, shorten
from scoring.formats.rounds import ExportRound, suffixed
from scoring.formats.spss import (
    TEXT,
    ExportData,
    Variable,
    _code_format,
    _merge_small_units,
    _number_format,
    _pick,
    _shorten_labels,
    _unit_table,
    anonymity_warning,
    file_note,
    unknown_units_warning,
)
from scoring.instrument.model import Instrument

CLIENT_TEXT = {
    "file_label": {"nb": "Samklima, klienter, runder {first}–{last}", "en": "Samklima, clients, rounds {first}-{last}"},
    "client": {
        "nb": "Klientnummer i denne filen (ikke tjenestens klient-id)",
        "en": "Client number in this file (not the service's client id)",
    },
    "contacts": {"nb": "Antall kontakter, periode fra runde {round}", "en": "Contacts, period from round {round}"},
    "first": {"nb": "{scale}: første i perioden fra runde {round}", "en": "{scale}: first in the period from round {round}"},
    "last": {"nb": "{scale}: siste i perioden fra runde {round}", "en": "{scale}: last in the period from round {round}"},
    "made": {
        "nb": "Samklima-eksport av klienttilbakemeldinger, rundene {rounds}, laget {time} UTC.",
        "en": "Samklima export of client feedback, rounds {rounds}, made {time} UTC.",
    },
    "periods": {
        "nb": "Én rad per klient. Endelse = periode: {list}. En klients runde k er kontaktene datert fra runde k åpnet "
        "til dagen før neste runde i filen åpnet (siste runde: til eksportdagen).",
        "en": "One row per client. Suffix = period: {list}. A client's round k is the contacts dated from round k's "
        "opening to the day before the next round in the file opened (the last round: up to the export day).",
    },
    "identifiers": {
        "nb": "Anonymitet: ingen klient-id fra tjenesten, navn, fødselsnummer, behandler, dato eller kontaktnummer. "
        "Klientnummeret er laget for denne filen i tilfeldig rekkefølge og er nytt ved hver eksport.",
        "en": "Anonymity: no client id of the service, name, national identity number, clinician, date or contact number. "
        "The client number is made for this file in a random order and is new at every export.",
    },
    "none": {
        "nb": "Alle enheter i filen har minst {min_n} klienter (min_n = {min_n}); ingen enheter er slått sammen.",
        "en": "Every unit in the file has at least {min_n} clients (min_n = {min_n}); no unit was merged.",
    },
    "merged": {
        "nb": "Enheter med færre enn {min_n} klienter (min_n = {min_n}) er slått sammen med nærmeste overordnede "
        "enhet som samlet har minst {min_n}: {list}.",
        "en": "Units with fewer than {min_n} clients (min_n = {min_n}) were merged into their nearest parent unit "
        "with at least {min_n} pooled: {list}.",
    },
    "withheld": {
        "nb": "Enheten er fjernet (systemmanglende) for {n} klienter fra {list}: ingen overordnet enhet nådde {min_n} "
        "klienter (min_n = {min_n}).",
        "en": "The unit was withheld (system-missing) for {n} clients from {list}: no parent unit reached {min_n} "
        "clients (min_n = {min_n}).",
    },
}
CLIENT_STATISTICS = ("first", "last")
KEY = ["unit", "client"]


def periods(rounds: list[ExportRound], today: dt.date) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """(first day, last day) of each round's period (module docstring); every round needs its opening date."""
    missing = [r.name for r in rounds if not r.opens]
    if missing:
        raise UserError.single(
            f"round(s) without an opening date: {', '.join(missing)}: a client's round is the period from its opening",
            path="--round", code="rounds_without_opening", params={"rounds": ", ".join(missing)},
        )  # fmt: skip
    starts = [pd.Timestamp(r.opens) for r in rounds]
    if any(b <= a for a, b in zip(starts, starts[1:])):
        raise UserError.single("the rounds' opening dates are not in order: each round must open after the one before", path="--round",
                              code="rounds_out_of_order")  # fmt: skip
    ends = [b - pd.Timedelta(days=1) for b in starts[1:]] + [pd.Timestamp(max(today, starts[-1].date()))]
    return list(zip(starts, ends))


def client_wide_export(
    contacts: pd.DataFrame,
    units: pd.DataFrame,
    scales: list[tuple[Instrument, str, str]],
    rounds: list[ExportRound],
    *,
    lang: str = "nb",
    min_n: int | None = None,
    exported_at: dt.datetime | None = None,
    rng: np.random.Generator | None = None,
) -> ExportData:
    """One row per pseudonymous client, each round's contacts and first and last totals side by side.

    ``contacts``: prepared contacts (:func:`scoring.feedback.clients.prepare_contacts`: ``unit``,
    ``client``, ``date`` and the total columns); ``scales``: (instrument, scale id, total column)
    of each feedback scale; ``rng``: the source of the random client numbers (default: seeded
    from the system's random source, a new order each time).
    """
    exported_at = exported_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    threshold = max(r.min_n for r in rounds)
    if min_n is not None and min_n < threshold:
        raise UserError.single(f"the rounds promise min_n = {threshold}; an export may not use less (got {min_n})", path="--min-n",
                              code="export_min_n_below", params={"min_n": threshold, "asked": min_n})  # fmt: skip
    threshold = threshold if min_n is None else min_n
    spans = periods(rounds, exported_at.date())
    wide = _per_period(contacts, scales, spans)
    rng = rng or np.random.default_rng(secrets.randbits(64))
    order, names, parents = _unit_table(units)
    unit_ids = wide.index.to_frame(index=False)["unit"].astype(str)
    unknown = sorted(set(unit_ids) - set(order))
    order = order + unknown
    codes = {u: i + 1 for i, u in enumerate(order)}
    shown, anonymity, merged, withheld = _shown_units(unit_ids, order, parents, threshold, lang)
    unit_code = unit_ids.map(lambda u: codes.get(shown[u]) if shown[u] is not None else np.nan).to_numpy(dtype="float64")
    client_code = rng.permutation(len(unit_ids)).astype("float64") + 1
    row_order = np.lexsort((client_code, np.nan_to_num(unit_code, nan=np.inf)))
    unit_labels = {float(codes[u]): f"{names[u]} ({u})" if names.get(u) else u for u in order}
    variables = [
        Variable("unit", "unit", "unit", TEXT["unit"][lang], "nominal", _code_format(len(order)), value_labels=unit_labels,
                 codes={c: u for u, c in codes.items()}),
        Variable("client", "client", "id", CLIENT_TEXT["client"][lang], "nominal", _code_format(len(unit_ids))),
    ]  # fmt: skip
    data = {"unit": unit_code[row_order], "client": client_code[row_order]}
    keys, specs = [], []
    for i, rnd in enumerate(rounds):
        suffix = f"_r{i + 1}"
        keys.append(suffixed("contacts", suffix))
        specs.append((i, rnd, None, None, "contacts"))
        for inst, scale_id, _ in scales:
            for stat in CLIENT_STATISTICS:
                keys.append(suffixed(f"{scale_id}_{stat}", suffix))
                specs.append((i, rnd, inst, scale_id, stat))
    safe, renamed = safe_names(keys, SPSS, taken={"unit", "client"})
    warnings = [r.warning() for r in renamed]
    if unknown:
        warnings.append(unknown_units_warning(list(unknown[:20])))
    for name, (i, rnd, inst, scale_id, stat) in zip(safe, specs):
        column = "contacts" if scale_id is None else f"{scale_id}_{stat}"
        values = wide[column][i].to_numpy(dtype="float64") if i in wide[column].columns else np.full(len(wide), np.nan)
        if scale_id is None:
            values = np.nan_to_num(values, nan=0.0)  # no contact in the period: 0 contacts
            label = CLIENT_TEXT["contacts"][lang].format(round=rnd.name)
            fmt = _number_format(float(values.max(initial=0)), 0, False)
        else:
            scale = inst.scale(scale_id)
            label = CLIENT_TEXT[stat][lang].format(scale=_pick(scale.name, lang, inst.languages), round=rnd.name)
            largest = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 0.0
            fmt = _number_format(largest, 1, False, least_width=4)
        data[name] = values[row_order]
        variables.append(Variable(name, scale_id or "contacts", "aggregate", label, "scale", fmt,
                                  instrument=None if inst is None else inst.id))  # fmt: skip
    warnings += _shorten_labels(variables)
    if merged or withheld:
        warnings.append(anonymity_warning(
            f"anonymity (min_n = {threshold}): {len(merged)} unit(s) merged into a parent, {len(withheld)} withheld (listed in the notes)",
            threshold, len(merged), len(withheld),
        ))
    time = exported_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
    span_list = "; ".join(f"_r{i + 1} = {r.name} ({a.date()}–{b.date()})" for i, (r, (a, b)) in enumerate(zip(rounds, spans)))
    notes = [
        CLIENT_TEXT["made"][lang].format(rounds=", ".join(r.name for r in rounds), time=time),
        CLIENT_TEXT["periods"][lang].format(list=span_list),
        *anonymity,
    ]
    label = CLIENT_TEXT["file_label"][lang].format(first=rounds[0].name, last=rounds[-1].name)
    return ExportData(
        frame=pd.DataFrame(data), variables=variables, scales=[], notes=notes, file_label=shorten(label, SPSS_FILE_LABEL_BYTES),
        warnings=warnings, lang=lang, round=", ".join(r.name for r in rounds), exported_at=exported_at,
        instruments=tuple({inst.id: inst for inst, _, _ in scales}.values()), min_n=threshold, anonymity=anonymity,
        min_n_by_round={r.name: r.min_n for r in rounds},
    )  # fmt: skip


def _per_period(contacts: pd.DataFrame, scales, spans) -> pd.DataFrame:
    """(unit, client) x (statistic, period): contacts and first/last totals per period."""
    dates = pd.to_datetime(contacts["date"])
    k = np.full(len(contacts), -1)
    for i, (start, end) in enumerate(spans):
        k[((dates >= start) & (dates <= end)).to_numpy()] = i
    frame = contacts.loc[k >= 0, [*KEY, "date", *(column for _, _, column in scales)]].assign(_k=k[k >= 0])
    if frame.empty:
        raise UserError.single("no client-feedback contact is dated in these rounds' periods: nothing to export", path="--round",
                              code="export_no_client_contacts")  # fmt: skip
    grouped = frame.sort_values([*KEY, "date"], kind="stable").groupby([*KEY, "_k"], sort=False)
    table = grouped.size().rename("contacts").to_frame()
    for _, scale_id, column in scales:  # first/last skip missing totals
        table[f"{scale_id}_first"] = grouped[column].first()
        table[f"{scale_id}_last"] = grouped[column].last()
    return table.unstack("_k")


def _shown_units(unit_ids: pd.Series, order: list[str], parents: dict, threshold: int, lang: str):
    """(unit each client's unit is shown under or None, anonymity notes, merged, withheld)."""
    counts = unit_ids.value_counts()
    shown = {u: u for u in counts.index}
    if parents:
        withheld = _merge_small_units(counts, order, parents, threshold, shown)
    else:
        withheld = [u for u, c in counts.items() if c < threshold]
        shown.update({u: None for u in withheld})
    merged = sorted(f"{u} → {shown[u]}" for u in counts.index if shown[u] is not None and shown[u] != u)
    notes = [file_note(CLIENT_TEXT, "identifiers", lang, "client_identifiers")]
    if merged:
        notes.append(file_note(CLIENT_TEXT, "merged", lang, "client_min_n_merged", min_n=threshold, list="; ".join(merged)))
    if withheld:
        notes.append(file_note(CLIENT_TEXT, "withheld", lang, "client_min_n_withheld", n=int(counts[withheld].sum()),
                               list=", ".join(sorted(withheld)), min_n=threshold))
    if not merged and not withheld:
        notes.append(file_note(CLIENT_TEXT, "none", lang, "client_min_n_none", min_n=threshold))
    return shown, notes, merged, withheld


def feedback_scales() -> list[tuple[Instrument, str, str]]:
    """(instrument, scale id, total column) of the outcome and visit scales, as the Klienter page scores them."""
    from scoring.feedback.clients import OUTCOME_INSTRUMENT, OUTCOME_SCALE, VISIT_INSTRUMENT, VISIT_SCALE
    from scoring.instrument.catalog import bundled

    return [
        (bundled(OUTCOME_INSTRUMENT), OUTCOME_SCALE, "outcome_total"),
        (bundled(VISIT_INSTRUMENT), VISIT_SCALE, "visit_total"),
    ]


def database_client_export(engine, rounds: list[ExportRound], *, lang: str = "nb", min_n: int | None = None,
                           exported_at: dt.datetime | None = None) -> ExportData:  # fmt: skip
    """The wide client export of ``rounds`` from the database's client-feedback contacts."""
    from scoring.feedback.clients import prepare_contacts
    from scoring.store.feedback import read_feedback
    from scoring.store.organisation import read_units

    contacts = read_feedback(engine)
    if contacts.empty:
        raise UserError.single("no client-feedback contacts are stored: nothing to export", path="--clients", code="export_no_feedback")
    prepared = prepare_contacts(contacts.assign(date=contacts["date"].dt.strftime("%Y-%m-%d")))
    return client_wide_export(prepared, read_units(engine), feedback_scales(), rounds, lang=lang, min_n=min_n, exported_at=exported_at)
