"""The actions table beside a research export: what units agreed to do after a round, and how it went.

So that "did the units that acted improve?" can be studied, the action plans
(:mod:`scoring.store.plans`) of the exported rounds are written as a file of their own, one row
per action, in the export's format and with its own syntax and codebook: ``action`` (the stored
id), ``round`` (coded as in the data: 1 = the oldest exported round, labelled with its name and
dates), ``unit`` (the unit code of the data files: the unit's position in the unit table,
labelled "name (id)"), ``scale`` (coded, labelled with the scale's name and id), ``item`` (an
item id, or blank for the whole scale), ``what``, ``owner`` (a role, never a name), ``due`` and
``updated_on`` (dates), ``status`` (1 planned, 2 started, 3 done, 4 dropped) and ``note``.

The free text passed the fødselsnummer refusal when it was stored; CSV and Excel files go
through the one table writer (:mod:`scoring.formats.tables`), so a text starting with ``=`` is
text in a spreadsheet, not a formula. Actions are about units, not respondents: the file holds no
answers. A unit merged into its parent in a round's long export still has its own code here.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from scoring.formats.names import SPSS_FILE_LABEL_BYTES, shorten
from scoring.formats.spss import TEXT, ExportData, Variable, _code_format, _pick, _shorten_labels, _unit_table

STATUSES = ("planned", "started", "done", "dropped")
ACTION_TEXT = {
    "action": {"nb": "Tiltak-id", "en": "Action id"},
    "round": {"nb": "Runden tiltaket bygger på", "en": "The round the action follows"},
    "scale": {"nb": "Skalaen tiltaket retter seg mot", "en": "The scale the action addresses"},
    "item": {"nb": "Leddet tiltaket retter seg mot (blank: hele skalaen)", "en": "The item the action addresses (blank: the whole scale)"},
    "what": {"nb": "Tiltaket", "en": "The action"},
    "owner": {"nb": "Ansvarlig (rolle)", "en": "Responsible (role)"},
    "due": {"nb": "Frist", "en": "Due"},
    "status": {"nb": "Status", "en": "Status"},
    "note": {"nb": "Oppfølgingsnotat", "en": "Follow-up note"},
    "updated_on": {"nb": "Sist endret (dato)", "en": "Last changed (date)"},
    "planned": {"nb": "planlagt", "en": "planned"},
    "started": {"nb": "startet", "en": "started"},
    "done": {"nb": "gjennomført", "en": "done"},
    "dropped": {"nb": "droppet", "en": "dropped"},
    "file_label": {"nb": "Samklima, tiltak, runder {rounds}", "en": "Samklima, actions, rounds {rounds}"},
    "note_what": {
        "nb": "Tiltak fra handlingsplanene, én rad per tiltak, for rundene {rounds}. Enhetskoden er den samme som i datafilene "
        "(enhetens plass i enhetstabellen), så filene kan kobles på unit.",
        "en": "Actions from the action plans, one row per action, for the rounds {rounds}. The unit code is the one of the data "
        "files (the unit's position in the unit table), so the files join on unit.",
    },
    "note_text": {
        "nb": "Fritekst ble kontrollert mot fødselsnumre da den ble lagret; ansvarlig er en rolle, ikke et navn.",
        "en": "Free text was checked for national identity numbers when it was stored; the responsible is a role, not a name.",
    },
}


def _text_variable(values: pd.Series, name: str, lang: str) -> tuple[Variable, pd.Series]:
    text = values.astype("string").fillna("")
    width = max([1, *text.str.encode("utf-8").str.len().fillna(0).astype(int).tolist()])
    return Variable(name, name, "text", ACTION_TEXT[name][lang], "nominal", f"A{width}"), text.astype(object)


def _date_variable(values: pd.Series, name: str, lang: str) -> tuple[Variable, pd.Series]:
    day = pd.to_datetime(values.astype(object).where(values.notna(), None), errors="coerce").astype("datetime64[ns]")
    return Variable(name, name, "date", ACTION_TEXT[name][lang], "scale", "SDATE10"), day


def _coded(values: pd.Series, name: str, label: str, codes: dict[str, int], labels: dict[str, str], measure: str = "nominal"):
    numeric = values.astype(object).map(codes).astype("float64")
    var = Variable(
        name, name, "field", label, measure, _code_format(max(codes.values(), default=1)),
        value_labels={float(c): labels[k] for k, c in codes.items()}, codes={c: k for k, c in codes.items()},
    )  # fmt: skip
    return var, numeric


def actions_export(
    actions: pd.DataFrame,
    units: pd.DataFrame | None,
    rounds: list[tuple[str, str]],
    instruments,
    *,
    lang: str = "nb",
    exported_at: dt.datetime | None = None,
) -> ExportData:
    """The actions (:data:`scoring.store.plans.COLUMNS`) of ``rounds`` ((name, label) pairs,
    oldest first) as an export ready for :func:`scoring.formats.files.write_export`."""
    exported_at = exported_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    names = [name for name, _ in rounds]
    table = actions[actions["round"].isin(names)].reset_index(drop=True)
    order, unit_names, _ = _unit_table(units)
    order = order + sorted(set(table["unit"].astype(str)) - set(order))
    unit_codes = {u: i + 1 for i, u in enumerate(order)}
    unit_labels = {u: f"{unit_names[u]} ({u})" if unit_names.get(u) else u for u in order}
    scales = {s.id: f"{_pick(s.name, lang, inst.languages)} ({s.id})" for inst in instruments for s in inst.scales}
    scales |= {s: s for s in table["scale"].astype(str) if s not in scales}

    columns: list[tuple[Variable, pd.Series]] = [
        (Variable("action", "action", "id", ACTION_TEXT["action"][lang], "nominal", _code_format(int(table["id"].max()) if len(table) else 1)),
         table["id"].astype("float64")),
        _coded(table["round"], "round", ACTION_TEXT["round"][lang], {n: i + 1 for i, n in enumerate(names)}, dict(rounds), "ordinal"),
        _coded(table["unit"].astype(str), "unit", TEXT["unit"][lang], unit_codes, unit_labels),
        _coded(table["scale"].astype(str), "scale", ACTION_TEXT["scale"][lang], {s: i + 1 for i, s in enumerate(scales)}, scales),
        _text_variable(table["item"], "item", lang),
        _text_variable(table["what"], "what", lang),
        _text_variable(table["owner"], "owner", lang),
        _date_variable(table["due"], "due", lang),
        _coded(table["status"], "status", ACTION_TEXT["status"][lang], {s: i + 1 for i, s in enumerate(STATUSES)},
               {s: ACTION_TEXT[s][lang] for s in STATUSES}, "ordinal"),
        _text_variable(table["note"], "note", lang),
        _date_variable(table["updated_on"], "updated_on", lang),
    ]  # fmt: skip
    variables = [var for var, _ in columns]
    frame = pd.DataFrame({var.name: values.to_numpy() for var, values in columns})
    warnings = _shorten_labels(variables)
    listing = ", ".join(names)
    notes = [ACTION_TEXT["note_what"][lang].format(rounds=listing), ACTION_TEXT["note_text"][lang]]
    return ExportData(
        frame=frame, variables=variables, scales=[], notes=notes, warnings=warnings, lang=lang, round=listing,
        file_label=shorten(ACTION_TEXT["file_label"][lang].format(rounds=listing), SPSS_FILE_LABEL_BYTES),
        exported_at=exported_at, instruments=tuple(instruments), min_n=0, anonymity=[],
    )  # fmt: skip


def database_actions(engine, round_names: list[str], *, lang: str = "nb", principal=None, exported_at: dt.datetime | None = None) -> ExportData:
    """:func:`actions_export` of the rounds ``round_names`` from the database, in the scope of
    ``principal`` (None: every unit; a manager only their own)."""
    from scoring.formats.rounds import known_rounds
    from scoring.store.organisation import read_units
    from scoring.store.plans import list_actions
    from scoring.store.rounds import round_row
    from scoring.store.submit import load_form

    wanted = set(round_names)
    rounds = [(r.name, r.label) for r in known_rounds(engine) if r.name in wanted]
    instruments = {}
    with engine.connect() as conn:
        for name, _ in rounds:
            row = round_row(conn, name)
            instruments |= {inst.id: inst for inst in load_form(conn, row.id, row.form_hash).instruments}
    actions = list_actions(engine, principal=principal)
    return actions_export(actions, read_units(engine), rounds, list(instruments.values()), lang=lang, exported_at=exported_at)


__all__ = ["STATUSES", "actions_export", "database_actions"]
