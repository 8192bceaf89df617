"""XLSForm for ODK Collect / KoBoToolbox (offline tablets).

:func:`build_xlsform` turns instruments into the three sheets of an XLSForm
(https://xlsform.org):

- ``survey``: the date (``today``: a date without time of day, as the anonymity rules ask), the
  unit (a ``select_one`` of the round's units, or text), optional background questions (role,
  tenure, position), then per instrument a ``note`` with its instructions, its fields (such as
  the partner service) and one ``begin_group``/``end_group`` per scale (``appearance
  field-list``: one scale per screen, like the respondent page). An item in two scales is asked
  once, in the first; items in no scale follow ungrouped. Ordinal and nominal items are
  ``select_one <response scale>``, continuous ones a ``range`` slider.
- ``choices``: one list per response scale with its codes and labels, then its missing codes
  ("vet ikke" = 9), so the exported value of every answer is the code Samklima stores.
- ``settings``: ``form_title``, ``form_id``, ``version``, ``default_language``, ``style pages``.

Labels are in ``label::Norsk (nb)``, ``label::English (en)`` (and ``label::Nynorsk (nn)`` when
every instrument has it) columns.

Reading the CSV export back is :mod:`scoring.responses.odk_export`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import pandas as pd

from scoring.errors import UserError
from scoring.formats.tables import write_xlsx
from scoring.instrument.background import staff_background
from scoring.instrument.model import Instrument, ResponseScale

LANGUAGE_NAMES = {"nb": "Norsk (nb)", "nn": "Nynorsk (nn)", "en": "English (en)"}
SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "appearance", "parameters")

TEXTS: dict[str, dict[str, str]] = {
    "unit": {"nb": "Enhet eller team", "en": "Unit or team"},
    "unit_hint": {"nb": "Enhetskoden fra koordinatoren", "en": "The unit code from the coordinator"},
    "partner_hint": {"nb": "Enhetskoden til tjenesten (kan stå tomt)", "en": "The service's unit code (may be left empty)"},
}


@dataclass
class XLSForm:
    """The sheets of an XLSForm as DataFrames (``survey``, ``choices``, ``settings``)."""

    survey: pd.DataFrame
    choices: pd.DataFrame
    settings: pd.DataFrame
    languages: list[str] = field(default_factory=list)

    @property
    def form_id(self) -> str:
        return str(self.settings["form_id"].iloc[0])

    @property
    def version(self) -> str:
        return str(self.settings["version"].iloc[0])

    def write(self, path: str | Path) -> Path:
        """Write the workbook (``.xlsx``) through :func:`scoring.formats.tables.write_xlsx`."""
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise UserError.single("an XLSForm is an .xlsx workbook", file=str(path))
        if not path.parent.exists():
            raise UserError.single("the folder does not exist", file=str(path.parent))
        # Not neutralised: pyxform and ODK read every cell as text, so an apostrophe would end
        # up in a label; write_xlsx still stores a cell starting with "=" as text, not a formula.
        write_xlsx({name: getattr(self, name) for name in ("survey", "choices", "settings")}, path, neutralise=False)
        return path

    def to_dict(self) -> dict:
        questions = self.survey[~self.survey["type"].isin(["begin_group", "end_group", "note", "today"])]
        return {
            "form_id": self.form_id,
            "version": self.version,
            "languages": self.languages,
            "questions": len(questions),
            "groups": int((self.survey["type"] == "begin_group").sum()),
            "choice_lists": int(self.choices["list_name"].nunique()),
        }


def build_xlsform(
    instruments: Sequence[Instrument],
    *,
    units: Sequence[tuple[str, str]] | None = None,
    partners: Sequence[tuple[str, str]] | None = None,
    background: bool = True,
    form_id: str | None = None,
    version: str | None = None,
    title: str | None = None,
) -> XLSForm:
    """The XLSForm of ``instruments`` (in order).

    ``units``: ``(unit id, name)`` choices for the unit question (else a text question);
    ``partners``: the same for partner-service fields. ``form_id`` defaults to
    ``samklima_<instrument ids>``, ``version`` to the instrument versions.
    """
    if not instruments:
        raise UserError.single("name at least one instrument", path="--instrument")
    languages = [lang for lang in instruments[0].languages if all(lang in i.languages for i in instruments)]
    if not languages:
        raise UserError.single("the instruments share no language", path="--instrument")
    rows: list[dict] = [{"type": "today", "name": "today"}]
    choices: list[dict] = []
    if units:
        choices += _choice_list("units", [(u, {lang: name for lang in languages}) for u, name in units])
        rows.append({"type": "select_one units", "name": "unit", "label": TEXTS["unit"], "required": "yes", "appearance": "minimal"})
    else:
        rows.append({"type": "text", "name": "unit", "label": TEXTS["unit"], "hint": TEXTS["unit_hint"], "required": "yes"})
    if background:
        rows += _background_rows(languages, choices)
    if partners:
        choices += _choice_list("partners", [(u, {lang: name for lang in languages}) for u, name in partners])

    lists: dict[str, str] = {}  # response-scale content -> list name
    for inst in instruments:
        scale_lists = _scale_lists(inst, lists, choices)
        rows.append({"type": "note", "name": f"{_xml_name(inst.id)}_intro", "label": _intro(inst)})
        rows += _field_rows(inst, bool(partners))
        rows += _question_rows(inst, scale_lists)
    settings = _settings(instruments, languages, form_id=form_id, version=version, title=title)
    return XLSForm(_sheet(rows, SURVEY_COLUMNS, languages), _sheet(choices, ("list_name", "name", "label"), languages), settings, languages)


def _choice_list(name: str, options: Sequence[tuple[str, dict[str, str]]]) -> list[dict]:
    """The rows of the choices sheet for list ``name``: (code, labels by language) per option."""
    return [{"list_name": name, "name": code, "label": label} for code, label in options]


def _background_rows(languages: list[str], choices: list[dict]) -> list[dict]:
    """The staff background questions in one group (their choice lists added to ``choices``);
    a label missing in a language falls back to nb."""
    def in_languages(labels: dict[str, str]) -> dict[str, str]:
        return {lang: labels.get(lang) or labels["nb"] for lang in languages}

    rows = [{"type": "begin_group", "name": "bakgrunn", "label": in_languages({"nb": "Om deg", "nn": "Om deg", "en": "About you"}), "appearance": "field-list"}]
    for question in staff_background():
        choices += _choice_list(question.id, [(code, in_languages(labels)) for code, labels in question.options])
        rows.append({"type": f"select_one {question.id}", "name": question.id, "label": in_languages(question.label)})
    rows.append({"type": "end_group", "name": "bakgrunn"})
    return rows


def _scale_lists(inst: Instrument, lists: dict[str, str], choices: list[dict]) -> dict[str, str]:
    """The choice list of each non-continuous response scale of ``inst``: response scales with
    the same options (across instruments, ``lists``) share one list; new ones go to ``choices``,
    named by the scale key (prefixed by the instrument id when the key is taken)."""
    scale_lists = {}
    for key, rs in inst.response_scales.items():
        if rs.kind == "continuous":
            continue
        options = _options(rs)
        signature = repr(options)
        if signature not in lists:
            name = key if key not in lists.values() else f"{_xml_name(inst.id)}_{key}"
            lists[signature] = name
            choices += _choice_list(name, options)
        scale_lists[key] = lists[signature]
    return scale_lists


def _field_rows(inst: Instrument, partner_choices: bool) -> list[dict]:
    """The instrument's fields: partner fields pick from the partner list when there is one,
    else (and other fields) free text."""
    rows = []
    for fld in inst.fields:
        if fld.kind == "partner" and partner_choices:
            rows.append({"type": "select_one partners", "name": fld.id, "label": dict(fld.label), "appearance": "minimal"})
        else:
            hint = TEXTS["partner_hint"] if fld.kind == "partner" else None
            rows.append({"type": "text", "name": fld.id, "label": dict(fld.label), "hint": hint})
        if fld.required:
            rows[-1]["required"] = "yes"
    return rows


def _question_rows(inst: Instrument, scale_lists: dict[str, str]) -> list[dict]:
    """The items, one group (page) per scale with the items not asked before, then the items
    in no scale."""
    rows: list[dict] = []
    asked: set[str] = set()
    for scale in inst.scales:
        items = [i for i in scale.items if i not in asked]
        if not items:
            continue
        rows.append({"type": "begin_group", "name": scale.id, "label": dict(scale.name), "appearance": "field-list"})
        rows += [_item_row(inst, i, scale_lists) for i in items]
        rows.append({"type": "end_group", "name": scale.id})
        asked.update(items)
    rows += [_item_row(inst, i, scale_lists) for i in inst.item_ids if i not in asked]
    return rows


def _settings(instruments: Sequence[Instrument], languages: list[str], *, form_id: str | None, version: str | None, title: str | None) -> pd.DataFrame:
    ids = "_".join(_xml_name(i.id) for i in instruments)
    return pd.DataFrame(
        [
            {
                "form_title": title or " + ".join(i.title.get(languages[0], i.id) for i in instruments),
                "form_id": form_id or f"samklima_{ids}",
                "version": version or "_".join(i.version for i in instruments),
                "default_language": _language_name(languages[0]),
                "style": "pages",
            }
        ]
    )


def _options(rs: ResponseScale) -> list[tuple[str, dict[str, str]]]:
    codes = [float(c) for c in rs.valid_codes] if rs.has_limits else sorted(float(c) for c in rs.labels)
    options = [(f"{c:g}", dict(rs.labels.get(int(c), {})) if c == int(c) else {}) for c in codes]
    options += [(str(code), dict(label)) for code, label in sorted(rs.missing.items())]
    return [(code, label or {"nb": code, "en": code}) for code, label in options]


def _item_row(inst: Instrument, item_id: str, scale_lists: dict[str, str]) -> dict:
    item = inst.item(item_id)
    rs = inst.response_scales[item.response_scale]
    if rs.kind == "continuous":
        lo, hi = rs.labels.get(int(rs.min), {}), rs.labels.get(int(rs.max), {})
        hint = {lang: f"{rs.min:g} = {lo.get(lang, '')}, {rs.max:g} = {hi.get(lang, '')}" for lang in inst.languages}
        return {
            "type": "range", "name": item_id, "label": dict(item.text), "hint": hint,
            "parameters": f"start={rs.min:g} end={rs.max:g} step={rs.step:g}",
        }  # fmt: skip
    return {"type": f"select_one {scale_lists[item.response_scale]}", "name": item_id, "label": dict(item.text)}


def _intro(inst: Instrument) -> dict[str, str]:
    instructions = inst.instructions or {}
    return {lang: f"**{inst.title.get(lang, inst.id)}**\n\n{instructions.get(lang, '')}".strip() for lang in inst.languages}


def _sheet(rows: list[dict], columns: Sequence[str], languages: list[str]) -> pd.DataFrame:
    """Rows with translatable cells (dicts by language) spread into ``column::Language (xx)``."""
    out_columns: list[str] = []
    translated = {c for row in rows for c, v in row.items() if isinstance(v, dict)}
    for col in columns:
        if col in translated:
            out_columns += [f"{col}::{_language_name(lang)}" for lang in languages]
        elif any(row.get(col) is not None for row in rows):
            out_columns.append(col)
    records = []
    for row in rows:
        record = {}
        for col, value in row.items():
            if isinstance(value, dict):
                for lang in languages:
                    record[f"{col}::{_language_name(lang)}"] = value.get(lang) or value.get("nb") or next(iter(value.values()), "")
            elif value is not None:
                record[col] = value
        records.append(record)
    return pd.DataFrame(records, columns=out_columns).fillna("")


def _language_name(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, f"{lang} ({lang})")


def _xml_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)
