"""The research export of several rounds at once: long (one row per response) or wide (one row
per unit, a column per round).

Long (:func:`long_export`): the responses of every round in one file, as
:func:`scoring.formats.spss.build_export` writes one round, with a ``round`` variable coded 1, 2,
... oldest first and value-labelled with the round's name and dates. Small units are merged
round by round, each round with its own ``min_n`` (what its respondents were promised): a unit
with 3 answers in each of two rounds is not shown because the two together reach 5. Rows are
sorted by round, then by the unit shown, then by the random response id. The rounds must ask the
same questions the same way: an instrument whose items, response scales or scoring differ
between the rounds is refused (export those rounds one by one, or as wide).

Wide (:func:`wide_export`): staff answers are anonymous, so the panel entity followed across
rounds is the unit, not a person. One row per unit; per round ``k`` (1 = the oldest exported)
the variables ``responses_r<k>`` and, per scale, ``<scale>_n_r<k>``, ``<scale>_mean_r<k>`` and
``<scale>_sd_r<k>``, labelled with the scale and the round's name (the notes give its dates). Every number is a cell of the
publication (:mod:`scoring.privacy.publication`): a unit's cell counts the unit and every unit
below it, and a cell the publication hides (fewer than ``min_n`` respondents, or hidden so that a
smaller group cannot be worked out) is system-missing, so the file shows nothing the dashboard
would hide. The unit code is the one of the long export and of the actions table (the unit's
position in the unit table), so the files join on ``unit``.

Variable names keep their suffix within SPSS's 64 bytes (:func:`suffixed`): a long scale id is
cut before the suffix, never the suffix itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.errors import Problem, UserError
from scoring.formats.names import SPSS, SPSS_FILE_LABEL_BYTES, safe_names, shorten, utf8_length
from scoring.formats.spss import (
    TEXT,
    ExportData,
    Variable,
    _code_format,
    _number_format,
    _pick,
    _shorten_labels,
    _unit_table,
    build_export,
    file_note,
)
from scoring.instrument.model import Instrument

LAYOUTS = ("long", "wide")

ROUND_TEXT = {
    "file_label": {"nb": "Samklima, runder {first}–{last}", "en": "Samklima, rounds {first}-{last}"},
    "file_label_wide": {"nb": "Samklima, enheter, runder {first}–{last}", "en": "Samklima, units, rounds {first}-{last}"},
    "rounds": {"nb": "Runder i filen (kode = runde): {list}.", "en": "Rounds in the file (code = round): {list}."},
    "suffixes": {"nb": "Runder i filen (endelse = runde): {list}.", "en": "Rounds in the file (suffix = round): {list}."},
    "made": {"nb": "Samklima-eksport av rundene {rounds}, laget {time} UTC.", "en": "Samklima export of rounds {rounds}, made {time} UTC."},
    "wide_rows": {
        "nb": "Én rad per enhet. En enhets tall gjelder enheten og alle enheter under den. Tallene er publiseringens celler "
        "(samme skjuling som i dashbordet): en skjult celle (færre enn min_n svar, eller skjult for å beskytte en annen) "
        "er systemmanglende. min_n per runde: {list}.",
        "en": "One row per unit. A unit's numbers are for the unit and every unit below it. The numbers are the publication's "
        "cells (the same suppression as the dashboard): a hidden cell (fewer than min_n answers, or hidden to protect another) "
        "is system-missing. min_n per round: {list}.",
    },
    "responses": {"nb": "Antall svar, runde {round}", "en": "Responses, round {round}"},
    "n": {"nb": "{scale}: antall med skåre, runde {round}", "en": "{scale}: n with a score, round {round}"},
    "mean": {"nb": "{scale}: gjennomsnitt, runde {round}", "en": "{scale}: mean, round {round}"},
    "sd": {"nb": "{scale}: standardavvik, runde {round}", "en": "{scale}: standard deviation, round {round}"},
    "unit_type": {"nb": "Enhetstype", "en": "Unit type"},
    "parent": {"nb": "Overordnet enhet", "en": "Parent unit"},
}
STATISTICS = ("n", "mean", "sd")


@dataclass(frozen=True)
class ExportRound:
    """A round as the export names it: ``label`` is the name with its dates."""

    name: str
    opens: str | None
    closes: str | None
    min_n: int
    responses: int

    @property
    def label(self) -> str:
        dates = "–".join(d for d in (self.opens, self.closes) if d)
        return f"{self.name} ({dates})" if dates else self.name


def choose_rounds(known: list[ExportRound], names: list[str], all_rounds: bool) -> tuple[list[ExportRound], list[str]]:
    """The rounds asked for, oldest first (the order of ``known``), and warnings.

    ``--all-rounds`` takes every round with responses (a round without is skipped with a
    warning); named rounds must all exist (every unknown name is reported at once).
    """
    if all_rounds and names:
        raise UserError.single("give --round NAME (once or more) or --all-rounds, not both", path="--all-rounds")
    if not all_rounds and not names:
        raise UserError.single("give --round NAME (once or more for several rounds) or --all-rounds", path="--round")
    by_name = {r.name: r for r in known}
    if all_rounds:
        chosen = [r for r in known if r.responses > 0]
        empty = [r.name for r in known if r.responses == 0]
        if not chosen:
            raise UserError.single("no round has responses yet: nothing to export", path="--all-rounds", code="export_nothing")
        return chosen, ([f"round(s) without responses left out: {', '.join(empty)}"] if empty else [])
    unknown = [n for n in dict.fromkeys(names) if n not in by_name]
    if unknown:
        hint = f" (rounds: {', '.join(by_name)})" if by_name else " (no rounds yet: samklima round create)"
        raise UserError([Problem(f"no round named '{n}'{hint}", path="--round", code="no_round", params={"name": n}) for n in unknown])
    wanted = set(names)
    return [r for r in known if r.name in wanted], []


def _structure(inst: Instrument) -> tuple:
    """What must agree for answers of two versions to be one variable: items, codes, scoring."""
    items = []
    for item in inst.items:
        rs = inst.response_scale_of(item.id)
        items.append((item.id, item.reverse, rs.kind, rs.min, rs.max, rs.step, tuple(sorted(rs.labels)), tuple(sorted(rs.missing))))
    scales = tuple((s.id, tuple(s.items), s.scoring, s.min_answered) for s in inst.scales)
    return tuple(items), scales, tuple((f.id, f.kind) for f in inst.fields)


def common_instruments(per_round: dict[str, tuple[Instrument, ...]]) -> tuple[tuple[Instrument, ...], list[str]]:
    """The instruments of several rounds, each once (the newest round's version, for its labels),
    and notes on versions; a UserError where a version asks or scores differently."""
    chosen: dict[str, Instrument] = {}
    seen: dict[str, list[tuple[str, Instrument]]] = {}
    for name, instruments in per_round.items():
        for inst in instruments:
            seen.setdefault(inst.id, []).append((name, inst))
            chosen[inst.id] = inst  # rounds come oldest first: the newest version wins
    problems = []
    notes = []
    for inst_id, versions in seen.items():
        first_round, first = versions[0]
        for name, inst in versions[1:]:
            if _structure(inst) != _structure(first):
                problems.append(Problem(
                    f"instrument '{inst_id}' asks or scores differently in round '{first_round}' (version {first.version}) "
                    f"and round '{name}' (version {inst.version}): export these rounds one by one, or as --layout wide",
                    path="--round", code="instrument_changed", params={"instrument": inst_id, "first": first_round, "later": name},
                ))  # fmt: skip
                break
        if len({inst.version for _, inst in versions}) > 1:
            notes.append(f"{inst_id}: " + ", ".join(f"{name} {inst.version}" for name, inst in versions))
    if problems:
        raise UserError(problems)
    return tuple(chosen.values()), notes


def long_export(
    responses: pd.DataFrame,
    instruments,
    units: pd.DataFrame | None,
    rounds: list[ExportRound],
    *,
    lang: str = "nb",
    scores: bool = False,
    min_n: int | None = None,
    exported_at: dt.datetime | None = None,
) -> ExportData:
    """Several rounds' responses (with a ``round`` column) as one long export (module docstring).

    ``min_n``: a larger threshold than every round's may be asked for, never a smaller one.
    """
    thresholds = {}
    for rnd in rounds:
        if min_n is not None and min_n < rnd.min_n:
            raise UserError.single(f"round '{rnd.name}' promises min_n = {rnd.min_n}; an export may not use less (got {min_n})", path="--min-n")
        thresholds[rnd.name] = rnd.min_n if min_n is None else min_n
    present = set(responses["round"].astype(str)) if len(responses) else set()
    empty = [r.name for r in rounds if r.name not in present]
    if empty:
        raise UserError.single(f"round(s) without responses: {', '.join(empty)}: nothing to export from them", path="--round",
                               code="rounds_without_responses", params={"rounds": ", ".join(empty)})
    for inst in instruments:  # an instrument missing from a round: its items are blank there
        for item_id in inst.item_ids:
            if item_id not in responses.columns:
                responses = responses.assign(**{item_id: np.nan})
    label = _range(rounds)
    export = build_export(
        responses, instruments, units, lang=lang, scores=scores, round_name=label, min_n=thresholds,
        exported_at=exported_at, round_labels={r.name: r.label for r in rounds},
    )  # fmt: skip
    export.round = ", ".join(r.name for r in rounds)
    export.file_label = shorten(ROUND_TEXT["file_label"][lang].format(first=rounds[0].name, last=rounds[-1].name), SPSS_FILE_LABEL_BYTES)
    export.notes[0] = ROUND_TEXT["made"][lang].format(rounds=export.round, time=_time(export.exported_at))
    export.notes.insert(1, ROUND_TEXT["rounds"][lang].format(list="; ".join(f"{i + 1} = {r.label}" for i, r in enumerate(rounds))))
    by = [next(v.name for v in export.variables if v.source == source) for source in ("round", "unit", "response")]
    export.frame = export.frame.sort_values(by, kind="stable", na_position="last").reset_index(drop=True)
    return export


def _range(rounds: list[ExportRound]) -> str:
    return rounds[0].name if len(rounds) == 1 else f"{rounds[0].name}–{rounds[-1].name}"


def _time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")


def suffixed(base: str, suffix: str, max_bytes: int = SPSS.max_length) -> str:
    """``base + suffix`` within ``max_bytes``: the base is cut, never the suffix (names are ASCII)."""
    room = max_bytes - utf8_length(suffix)
    return base[:room].rstrip("._") + suffix


def wide_export(
    cells: pd.DataFrame,
    units: pd.DataFrame,
    instruments,
    rounds: list[ExportRound],
    *,
    lang: str = "nb",
    exported_at: dt.datetime | None = None,
) -> ExportData:
    """One row per unit, the publication's cells of each round side by side (module docstring).

    ``cells``: the publication's cells (:attr:`scoring.privacy.publication.Publication.cells`)
    for the viewer; only its ``overview`` and ``compare`` cells of ``rounds`` are used, hidden
    ones as system-missing. ``units``: the unit tree (``unit, name, parent, unit_type``).
    """
    instruments = tuple(instruments)
    exported_at = exported_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    order, names, parents = _unit_table(units)
    codes = {u: i + 1 for i, u in enumerate(order)}
    unit_labels = {float(codes[u]): f"{names[u]} ({u})" if names.get(u) else u for u in order}
    names_in = set(r.name for r in rounds)
    cells = cells[cells["round"].isin(names_in) & cells["page"].isin(["overview", "compare"]) & cells["unit"].isin(codes)]
    rows = [u for u in order if u in set(cells["unit"])]
    if not rows:
        raise UserError.single("the publication has no unit cells for these rounds: nothing to export", path="--round", code="export_nothing")
    types = units.set_index(units["unit"].astype(str))["unit_type"].astype("string").fillna("")
    type_codes = {t: i + 1 for i, t in enumerate(sorted(set(types[rows]) - {""}))}

    variables = [
        Variable("unit", "unit", "unit", TEXT["unit"][lang], "nominal", _code_format(len(order)), value_labels=unit_labels,
                 codes={c: u for u, c in codes.items()}),
        Variable("parent", "parent", "unit", ROUND_TEXT["parent"][lang], "nominal", _code_format(len(order)), value_labels=dict(unit_labels),
                 codes={c: u for u, c in codes.items()}),
        Variable("unit_type", "unit_type", "field", ROUND_TEXT["unit_type"][lang], "nominal", _code_format(len(type_codes)),
                 value_labels={float(c): t for t, c in type_codes.items()}, codes={c: t for t, c in type_codes.items()}),
    ]  # fmt: skip
    data = {
        "unit": np.array([codes[u] for u in rows], dtype="float64"),
        "parent": np.array([codes.get(parents.get(u), np.nan) for u in rows], dtype="float64"),
        "unit_type": np.array([type_codes.get(types.get(u, ""), np.nan) for u in rows], dtype="float64"),
    }
    scales = [(inst, s) for inst in instruments for s in inst.scales if s.id in set(cells["scale"].dropna())]
    keys, specs = [], []
    for k, rnd in enumerate(rounds, start=1):
        suffix = f"_r{k}"
        keys.append(suffixed("responses", suffix))
        specs.append((rnd, None, None, "responses"))
        for inst, scale in scales:
            for stat in STATISTICS:
                keys.append(suffixed(f"{scale.id}_{stat}", suffix))
                specs.append((rnd, inst, scale, stat))
    safe, renamed = safe_names(keys, SPSS, taken={"unit", "parent", "unit_type"})
    warnings = [r.warning() for r in renamed]
    position = {u: i for i, u in enumerate(rows)}
    for name, (rnd, inst, scale, stat) in zip(safe, specs):
        values = _cell_values(cells, rnd.name, None if scale is None else scale.id, "n" if stat == "responses" else stat, position)
        variables.append(_statistic_variable(name, values, rnd, inst, scale, stat, lang))
        data[name] = values
    warnings += _shorten_labels(variables)
    thresholds = "; ".join(f"{r.name}: {r.min_n}" for r in rounds)
    notes = [
        ROUND_TEXT["made"][lang].format(rounds=", ".join(r.name for r in rounds), time=_time(exported_at)),
        ROUND_TEXT["suffixes"][lang].format(list="; ".join(f"_r{i + 1} = {r.label}" for i, r in enumerate(rounds))),
        file_note(ROUND_TEXT, "wide_rows", lang, "export_wide_rows", list=thresholds),
    ]
    return ExportData(
        frame=pd.DataFrame(data), variables=variables, scales=[], notes=notes,
        file_label=shorten(ROUND_TEXT["file_label_wide"][lang].format(first=rounds[0].name, last=rounds[-1].name), SPSS_FILE_LABEL_BYTES), warnings=warnings, lang=lang,
        round=", ".join(r.name for r in rounds), exported_at=exported_at, instruments=instruments,
        min_n=max(r.min_n for r in rounds), anonymity=[notes[2]], min_n_by_round={r.name: r.min_n for r in rounds},
    )  # fmt: skip


def _cell_values(cells: pd.DataFrame, round_name: str, scale: str | None, column: str, position: dict[str, int]) -> np.ndarray:
    """One statistic of one round (and scale) per unit row; NaN where hidden or absent."""
    page = "overview" if scale is None else "compare"
    mask = (cells["page"] == page) & (cells["round"] == round_name)
    mask &= cells["scale"].isna() if scale is None else cells["scale"] == scale
    if "partner" in cells.columns:
        mask &= cells["partner"].isna()
    picked = cells[mask & ~cells["hidden"].astype(bool)]
    values = np.full(len(position), np.nan)
    rows = picked["unit"].map(position).to_numpy(dtype="float64")
    found = ~np.isnan(rows)
    values[rows[found].astype(int)] = pd.to_numeric(picked[column], errors="coerce").to_numpy(dtype="float64")[found]
    return values


def _statistic_variable(name: str, values: np.ndarray, rnd: ExportRound, inst, scale, stat: str, lang: str) -> Variable:
    largest = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 0.0
    if stat in ("responses", "n"):
        fmt = _number_format(largest, 0, False)
    else:
        fmt = _number_format(largest, 2, bool(np.nanmin(values) < 0) if np.isfinite(values).any() else False, least_width=5)
    if scale is None:
        label = ROUND_TEXT["responses"][lang].format(round=rnd.name)
    else:  # the round's name only: its dates are in the notes, and Stata keeps 80 characters
        label = ROUND_TEXT[stat][lang].format(scale=_pick(scale.name, lang, inst.languages), round=rnd.name)
    return Variable(name, scale.id if scale is not None else "responses", "aggregate", label, "scale", fmt,
                    instrument=None if inst is None else inst.id)  # fmt: skip


# --- from the database -------------------------------------------------------------------------


def known_rounds(engine) -> list[ExportRound]:
    """Every round in the database, oldest first, with its dates, threshold and response count."""
    from scoring.store.rounds import list_rounds

    return [ExportRound(i.name, i.opens, i.closes, i.min_n, i.responses) for i in list_rounds(engine)]


def _option_problems(layout: str, scores: bool, min_n: int | None, clients: bool) -> list[Problem]:
    """The options of :func:`database_export` that do not go together."""
    problems = []
    if layout not in LAYOUTS:
        problems.append(Problem(f"--layout must be one of {', '.join(LAYOUTS)}, not '{layout}'", path="--layout"))
    if layout == "wide" and scores:
        problems.append(Problem("--scores belongs to the long layout (wide holds the units' published means)", path="--scores"))
    if clients and layout != "wide":
        problems.append(Problem("--clients is the wide layout (one row per client): add --layout wide", path="--clients"))
    if clients and scores:
        problems.append(Problem("--scores belongs to the staff long layout (the client file holds the feedback totals)", path="--scores"))
    if layout == "wide" and min_n is not None and not clients:
        problems.append(Problem("--min-n belongs to the long layout (wide uses the publication, with each round's min_n)", path="--min-n"))
    return problems


def database_export(
    engine,
    names: list[str],
    *,
    all_rounds: bool = False,
    layout: str = "long",
    lang: str = "nb",
    scores: bool = False,
    min_n: int | None = None,
    cells: pd.DataFrame | None = None,
    exported_at: dt.datetime | None = None,
    clients: bool = False,
) -> ExportData:
    """The export of ``names`` (or every round with responses) from the database in ``layout``.

    ``clients`` (wide only): the client-feedback file, one row per pseudonymous client
    (:func:`scoring.formats.client_rounds.database_client_export`); ``min_n`` may raise its threshold.

    One round in the long layout is :func:`scoring.formats.spss.round_export`, unchanged. Wide
    uses ``cells`` (a viewer's publication; default: the organisation-wide publication of the
    rounds) and refuses ``scores`` and ``min_n``, which belong to the long layout.
    """
    from scoring.formats.spss import round_export
    from scoring.store.organisation import read_units
    from scoring.store.read import read_responses
    from scoring.store.rounds import round_row
    from scoring.store.submit import load_form

    problems = _option_problems(layout, scores, min_n, clients)
    if problems:
        raise UserError(problems)
    rounds, warnings = choose_rounds(known_rounds(engine), list(names), all_rounds)
    if clients:
        from scoring.formats.client_rounds import database_client_export

        export = database_client_export(engine, rounds, lang=lang, min_n=min_n, exported_at=exported_at)
        export.warnings[:0] = warnings
        return export
    if layout == "long" and len(rounds) == 1:
        export = round_export(engine, rounds[0].name, lang=lang, scores=scores, min_n=min_n, exported_at=exported_at)
        export.warnings[:0] = warnings
        return export
    per_round = {}
    with engine.connect() as conn:
        for rnd in rounds:
            row = round_row(conn, rnd.name)
            per_round[rnd.name] = tuple(load_form(conn, row.id, row.form_hash).instruments)
    instruments, version_notes = common_instruments(per_round)
    if layout == "wide":
        if cells is None:
            from scoring.store.publication import publication

            cells = publication(engine, [r.name for r in rounds]).cells
        export = wide_export(cells, read_units(engine), instruments, rounds, lang=lang, exported_at=exported_at)
    else:
        responses = read_responses(engine, [r.name for r in rounds])
        export = long_export(responses, instruments, read_units(engine), rounds, lang=lang, scores=scores, min_n=min_n, exported_at=exported_at)
    export.warnings[:0] = warnings
    if version_notes:
        export.notes.insert(2, ("Versjoner per runde: " if lang == "nb" else "Versions per round: ") + "; ".join(version_notes) + ".")
    return export
