"""The research export of a survey round: one row per response, labelled for SPSS and friends.

:func:`build_export` turns a wide response table (the layout of
:func:`scoring.store.read.read_responses` and ``sample_data/responses.csv``) and the round's
instruments into an :class:`ExportData`: the data in SPSS layout plus everything a researcher
needs to trust it. :func:`write_sav` writes it as ``.sav``/``.zsav``;
:mod:`scoring.formats.syntax` writes the ``.sps``, :mod:`scoring.formats.codebook` the codebook and
:mod:`scoring.formats.files` the Stata, CSV, Parquet and Excel files.

What the file holds (``docs/spss.md``):

- ``response`` (the random id the database gave the response), ``unit`` (numeric code, nominal, value-labelled
  "name (unit id)"; the code is the unit's position in the unit table, so it is the same in
  every export), ``round``, ``language``, ``instrument_version`` and the background fields as
  numeric codes with value labels (nominal); ``date`` as a date (format SDATE10, no time of day);
- items as the codes respondents gave (reverse-keyed items not reversed), with value labels for
  every code including "vet ikke", the instrument's missing codes declared user-missing,
  measurement level from the response scale (ordinal; continuous sliders are scale), format
  from the scale's range and step (F1.0 for 1-5, F4.1 for 0-10 in steps of 0.1);
- optionally the scale scores, named by scale id (scale level, F5.2 for means), computed by
  :func:`scoring.responses.scores.score_scales` from the items with user-missing codes as missing.

Anonymity (``docs/privacy.md``): a response carries no name, e-mail, IP address, one-time
code or time of day. A unit with fewer than ``min_n`` responses in the export is merged into
its nearest parent unit whose pooled responses reach ``min_n``; where even the top unit does not
reach it, the unit is withheld (system-missing). The file's notes and the codebook say so.
:func:`build_export` keeps the rows in the order given; :func:`round_export` sorts a round from the
database by the unit a row is shown under, then by response id, so the row order keeps neither
the order answers arrived in nor, inside a merged unit, the smaller unit a row came from.

Names are made safe and labels kept within their byte limits by :mod:`scoring.formats.names`,
each change reported in :attr:`ExportData.warnings`; nothing is left for the writer to truncate.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.errors import Coded, Problem, UserError, choice_problem
from scoring.formats.atomic import replacing
from scoring.formats.names import (
    SPSS,
    SPSS_DOCUMENT_LINE_BYTES,
    SPSS_FILE_LABEL_BYTES,
    SPSS_VALUE_LABEL_BYTES,
    SPSS_VARIABLE_LABEL_BYTES,
    safe_names,
    shorten,
    utf8_length,
    wrap_bytes,
)
from scoring.instrument.model import Instrument, ResponseScale, Scale
from scoring.privacy import DEFAULT_MIN_N, check_min_n
from scoring.responses.reading import code_responses
from scoring.responses.scores import score_scales

LANGUAGES = ("nb", "en")
META_COLUMNS = ("response", "unit", "round", "language", "instrument_version", "date")
MAX_SPSS_MISSING_DISCRETE = 3

TEXT: dict[str, dict[str, str]] = {
    "response": {
        "nb": "Svar-id (tilfeldig; sier ingenting om hvem som svarte eller i hvilken rekkefølge)",
        "en": "Response id (random; says nothing about who answered or in which order)",
    },
    "unit": {"nb": "Enhet", "en": "Unit"},
    "round": {"nb": "Undersøkelsesrunde", "en": "Survey round"},
    "language": {"nb": "Språket svaret ble gitt på", "en": "Language of the response"},
    "instrument_version": {"nb": "Skjemaer og versjoner", "en": "Instruments and versions"},
    "date": {"nb": "Dato for svaret (uten klokkeslett)", "en": "Date of the response (no time of day)"},
    "role": {"nb": "Yrkesgruppe", "en": "Occupation"},
    "tenure": {"nb": "Ansiennitet i enheten (år)", "en": "Years in the unit"},
    "position": {"nb": "Stillingsprosent", "en": "Position (percent of full time)"},
    "shift": {"nb": "Arbeidstid", "en": "Working hours"},
    "reversed": {"nb": "omvendt skåret", "en": "reverse-keyed"},
    "file_label": {"nb": "Samklima, runde {round}", "en": "Samklima, round {round}"},
    "file_label_no_round": {"nb": "Samklima-eksport", "en": "Samklima export"},
}
LANGUAGE_NAMES = {  # in the order of their codes in an export
    "nb": {"nb": "norsk bokmål", "en": "Norwegian Bokmål"},
    "nn": {"nb": "norsk nynorsk", "en": "Norwegian Nynorsk"},
    "se": {"nb": "nordsamisk", "en": "Northern Sami"},
    "en": {"nb": "engelsk", "en": "English"},
}
RULE_NAMES = {
    "mean": {"nb": "gjennomsnitt", "nn": "gjennomsnitt", "en": "mean"},
    "sum": {"nb": "sum", "nn": "sum", "en": "sum"},
    "prorated_sum": {"nb": "proratert sum", "nn": "proratert sum", "en": "prorated sum"},
    "pomp": {"nb": "POMP 0–100", "nn": "POMP 0–100", "en": "POMP 0-100"},
    "tscore": {"nb": "T-skåre", "nn": "T-skåre", "en": "T-score"},
}
NOTES = {
    "made": {"nb": "Samklima-eksport av runde {round}, laget {time} UTC.", "en": "Samklima export of round {round}, made {time} UTC."},
    "instruments": {"nb": "Skjemaer: {list}.", "en": "Instruments: {list}."},
    "items": {
        "nb": "Ledd: svarkodene slik de ble gitt; omvendte ledd er ikke snudd. Koder for «vet ikke» ({codes}) er "
        "brukerdefinerte manglende verdier.",
        "en": "Items: the codes as answered; reverse-keyed items are not reversed. Codes for \"don't know\" ({codes}) "
        "are user-missing values.",
    },
    "scores_in": {"nb": "Skalaskårer i filen, regnet slik:", "en": "Scale scores in the file, computed as:"},
    "scores_out": {"nb": "Skalaskårer (lag dem med syntaksfilen .sps):", "en": "Scale scores (compute them with the .sps syntax):"},
    "identifiers": {
        "nb": "Anonymitet: ingen navn, e-postadresser, IP-adresser, engangskoder eller klokkeslett; bare dato for svaret. "
              "Radene står etter enhet og svar-id, ikke i den rekkefølgen svarene kom inn.",
        "en": "Anonymity: no names, e-mail addresses, IP addresses, one-time codes or times of day; only the date of a response. "
              "Rows are sorted by unit and response id, not in the order the answers arrived.",
    },
    "min_n_none": {
        "nb": "Alle enheter i filen har minst {min_n} svar (min_n = {min_n}); ingen enheter er slått sammen.",
        "en": "Every unit in the file has at least {min_n} responses (min_n = {min_n}); no unit was merged.",
    },
    "min_n_merged": {
        "nb": "Enheter med færre enn {min_n} svar (min_n = {min_n}) er slått sammen med nærmeste overordnede enhet "
        "som samlet har minst {min_n}: {list}.",
        "en": "Units with fewer than {min_n} responses (min_n = {min_n}) were merged into their nearest parent unit "
        "with at least {min_n} pooled: {list}.",
    },
    "min_n_withheld": {
        "nb": "Enheten er fjernet (systemmanglende) for {n} svar fra {list}: ingen overordnet enhet nådde {min_n} svar "
        "(min_n = {min_n}).",
        "en": "The unit was withheld (system-missing) for {n} responses from {list}: no parent unit reached {min_n} "
        "(min_n = {min_n}).",
    },
    "no_units": {
        "nb": "Uten enhetstre: enheter med færre enn {min_n} svar er fjernet (systemmanglende): {list}.",
        "en": "Without the unit tree: units with fewer than {min_n} responses were withheld (system-missing): {list}.",
    },
}
RULE_TEXT = {
    "nb": "{name} = {rule} av {items}{reverse}; regnes når minst {m} av {k} ledd er besvart; {missing} teller som manglende",
    "nn": "{name} = {rule} av {items}{reverse}; blir rekna ut når minst {m} av {k} ledd er svara på; {missing} tel som manglande",
    "en": "{name} = {rule} of {items}{reverse}; computed when at least {m} of {k} items are answered; {missing} count as missing",
}
MISSING_WORDS = {"nb": ("{codes} og tomme svar", "tomme svar"), "nn": ("{codes} og tomme svar", "tomme svar"),
                 "en": ("{codes} and blanks", "blanks")}
"""What counts as missing in a scale's rule: the declared missing codes and empty answers
("tomme svar" in bokmål and nynorsk alike; "blanke" alone read as an adjective without a noun)."""
REVERSE_TEXT = {"nb": "; omvendt skåret ({low:g}+{high:g})−x: {items}", "nn": "; omvendt skåra ({low:g}+{high:g})−x: {items}", "en": "; reverse-keyed as ({low:g}+{high:g})-x: {items}"}
RULE_FORMULA = {
    "mean": {"nb": "gjennomsnittet", "nn": "gjennomsnittet", "en": "the mean"},
    "sum": {"nb": "summen", "nn": "summen", "en": "the sum"},
    "prorated_sum": {"nb": "gjennomsnittet × {k}", "nn": "gjennomsnittet × {k}", "en": "the mean x {k}"},
    "pomp": {"nb": "100 × (gjennomsnittet − {low:g}) / ({high:g} − {low:g})", "nn": "100 × (gjennomsnittet − {low:g}) / ({high:g} − {low:g})",
             "en": "100 x (mean - {low:g}) / ({high:g} - {low:g})"},
    "tscore": {"nb": "50 + 10 × (gjennomsnittet − {mean:g}) / {sd:g}", "nn": "50 + 10 × (gjennomsnittet − {mean:g}) / {sd:g}",
               "en": "50 + 10 x (mean - {mean:g}) / {sd:g}"},
}


@dataclass
class Variable:
    """One variable of the export and everything the writers and the codebook say about it.

    ``kind``: id, unit, round, language, version, date, field (coded text), partner (a unit
    code), text (kept as a string), item, score. ``codes`` maps a numeric code back to the
    original text for coded variables (unit id, round name, ...).
    """

    name: str
    source: str
    kind: str
    label: str
    measure: str
    format: str
    value_labels: dict[float, str] = field(default_factory=dict)
    missing: tuple[float, ...] = ()
    codes: dict[int, str] | None = None
    instrument: str | None = None
    rule: str = ""

    @property
    def is_string(self) -> bool:
        return self.format.startswith("A")


@dataclass(frozen=True)
class ScaleScore:
    """How a scale score is computed from the exported items (for the data, the .sps and the codebook).

    ``keyed`` are the variables averaged or summed: the item itself, or for a reverse-keyed
    item the temporary variable ``reversed[item]`` = (low + high) - item. ``min_valid`` is the
    number of answered items needed: ceil(min_answered x k), at least 1.
    """

    name: str
    scale: Scale
    instrument: Instrument
    items: tuple[str, ...]
    reversed: dict[str, str]
    bounds: dict[str, tuple[float, float]]
    low: float
    high: float
    min_valid: int
    label: str
    format: str
    rule: str

    @property
    def keyed(self) -> tuple[str, ...]:
        return tuple(self.reversed.get(i, i) for i in self.items)


@dataclass
class ExportData:
    """An export ready to write: ``frame`` in SPSS layout and its metadata."""

    frame: pd.DataFrame
    variables: list[Variable]
    scales: list[ScaleScore]
    file_label: str
    notes: list[str]
    warnings: list[str]
    lang: str
    round: str | None
    exported_at: dt.datetime
    instruments: tuple[Instrument, ...]
    min_n: int
    anonymity: list[str]
    min_n_by_round: dict[str, int] = field(default_factory=dict)

    def variable(self, name: str) -> Variable:
        for var in self.variables:
            if var.name == name:
                return var
        raise KeyError(name)

    def note_lines(self) -> list[str]:
        """The notes as SPSS document lines (at most 80 bytes each)."""
        return [line for note in self.notes for line in wrap_bytes(note, SPSS_DOCUMENT_LINE_BYTES)]

    def summary(self) -> str:
        lines = [f"{len(self.frame)} responses, {len(self.variables)} variables ({self.file_label})"]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def plain_frame(self) -> pd.DataFrame:
        """The data with coded variables as their original text (unit id, round name, ...),
        items as given (missing codes kept) and scores: the layout for CSV, Excel and Parquet."""
        out = {}
        for var in self.variables:
            column = self.frame[var.name]
            if var.codes is not None:
                lookup = pd.Series(var.codes, dtype="string")
                lookup.index = lookup.index.astype(float)
                out[var.name] = column.map(lookup).astype("string")
            elif var.kind == "date":
                out[var.name] = column.dt.date
            else:
                out[var.name] = column
        return pd.DataFrame(out, index=self.frame.index)


def _text(key: str, lang: str, **values) -> str:
    return TEXT[key][lang].format(**values)


def _pick(texts: dict[str, str], lang: str, languages: list[str] | None = None) -> str:
    """The text in ``lang``, else in the instrument's first language, else any."""
    if lang in texts:
        return texts[lang]
    for other in (languages or []):
        if other in texts:
            return texts[other]
    return next(iter(texts.values()), "")


def _natural_key(value: str):
    """Order codes as people read them: '<1', '1-2', '3-5', '6-10', '>10'; then text."""
    match = re.search(r"\d+(?:[.,]\d+)?", value)
    if not match:
        return (1, 0.0, value)
    number = float(match.group().replace(",", "."))
    prefix = value[: match.start()].strip()
    if prefix.startswith("<"):
        number -= 0.5
    elif prefix.startswith(">"):
        number += 0.5
    return (0, number, value)


def _code_format(largest: int) -> str:
    return f"F{max(1, len(str(max(largest, 0))))}.0"


def _number_format(largest: float, decimals: int, negative: bool, least_width: int = 1) -> str:
    digits = len(str(int(math.floor(abs(largest))))) if np.isfinite(largest) else 3
    width = digits + (decimals + 1 if decimals else 0) + (1 if negative else 0)
    return f"F{max(width, least_width)}.{decimals}"


def item_format(rs: ResponseScale) -> str:
    """F1.0 for 1-5 with missing code 9, F4.1 for 0-10 in steps of 0.1."""
    values = [abs(v) for v in (rs.valid_codes or [0.0])] + [abs(float(c)) for c in rs.missing]
    negative = any(v < 0 for v in (rs.valid_codes or [])) or any(c < 0 for c in rs.missing)
    return _number_format(max(values), rs.decimals, negative)


def item_measure(rs: ResponseScale) -> str:
    return {"ordinal": "ordinal", "continuous": "scale", "nominal": "nominal"}[rs.kind]


def score_format(scale: Scale, low: float, high: float, item_decimals: int) -> str:
    """F5.2 for means of 1-5 items; sums keep the items' decimals (at least one); POMP F6.2."""
    k = len(scale.items)
    if scale.scoring == "mean":
        return _number_format(max(abs(low), abs(high)), 2, low < 0, least_width=5)
    if scale.scoring == "sum":
        return _number_format(max(abs(low), abs(high)) * k, max(1, item_decimals), low < 0, least_width=4)
    if scale.scoring == "prorated_sum":
        return _number_format(max(abs(low), abs(high)) * k, 2, low < 0, least_width=5)
    if scale.scoring == "pomp":
        return "F6.2"
    return "F6.2"  # T-scores: 50 +- 10 SD, three digits and a sign are plenty


def min_valid(scale: Scale) -> int:
    """Answered items needed, as :func:`scoring.responses.scores.scale_score` decides: m >= share x k."""
    k = len(scale.items)
    return max(1, math.ceil(scale.min_answered * k - 1e-9))


def _check_inputs(responses: pd.DataFrame, instruments, lang: str, round_name: str | None) -> None:
    problems = []
    if (problem := choice_problem(lang, LANGUAGES, "--lang")) is not None:
        problems.append(problem)
    if not instruments:
        problems.append(Problem("no instruments given: the export needs the instruments of the round"))
    if problems:
        raise UserError(problems)
    if len(responses) == 0:
        where = f"round '{round_name}' has" if round_name else "the table has"
        raise UserError.single(f"{where} no responses: nothing to export", path="--round" if round_name else None, code="export_nothing")
    missing_meta = [c for c in ("response", "unit") if c not in responses.columns]
    if missing_meta:
        raise UserError.single("column(s) missing from the responses: " + ", ".join(missing_meta))


def _id_text(values: pd.Series) -> pd.Series:
    """Ids as text: '12' for 12.0, stripped strings otherwise; NaN and blanks become NA.

    The text work is done once per distinct value (:func:`pandas.factorize`), not per row: a
    round of 150,000 responses has a few hundred units and a handful of languages.
    """
    positions, distinct = pd.factorize(values, use_na_sentinel=True)
    distinct = pd.Series(distinct)
    if pd.api.types.is_float_dtype(distinct) and (distinct == distinct.round()).all():
        text = pd.Series([str(int(v)) for v in distinct], dtype="string")
    else:
        text = distinct.astype("string").str.strip()
        text = text.where(text != "")
    return pd.Series(text.array.take(positions, allow_fill=True), index=values.index)


def _lookup(text: pd.Series, table: dict) -> np.ndarray:
    """``table[value]`` as float for every row; NaN where the value is missing or not in the
    table. The dictionary is consulted once per distinct value, not once per row."""
    positions, distinct = pd.factorize(text, use_na_sentinel=True)
    values = np.array([table.get(v, np.nan) for v in distinct] + [np.nan], dtype="float64")
    return values[positions]  # position -1 (missing) picks the NaN at the end


def build_export(
    responses: pd.DataFrame,
    instruments,
    units: pd.DataFrame | None = None,
    *,
    lang: str = "nb",
    scores: bool = False,
    round_name: str | None = None,
    min_n: int | dict[str, int] = DEFAULT_MIN_N,
    exported_at: dt.datetime | None = None,
    round_labels: dict[str, str] | None = None,
) -> ExportData:
    """Build the research export of a round (or of several: :mod:`scoring.formats.rounds`).

    Parameters
    ----------
    responses : DataFrame
        One row per response: ``response``, ``unit``, optionally ``round``, ``language``,
        ``instrument_version``, ``date``, fields (role, tenure, position, sk_partner, ...), and
        the items of ``instruments`` as raw codes (user-missing codes such as 9 kept as codes,
        blank = not answered). Every answer is checked with
        :func:`scoring.responses.reading.code_responses`.
    instruments : sequence of Instrument
        The round's instruments (as frozen in the round).
    units : DataFrame, optional
        The unit tree (``unit, name, parent, unit_type``, :func:`scoring.store.organisation.read_units`):
        value labels for unit codes and parents for merging small units.
    lang : "nb" or "en"
        Language of the variable and value labels and the notes.
    scores : bool
        Add the scale scores (named by scale id).
    round_name : str, optional
        For the file label and notes (default: the ``round`` column's value when there is one).
    min_n : int, or dict of round name to int
        Anonymity threshold for units (at least 3; see the module docstring). Per round (the
        responses then need a ``round`` column), small units are merged round by round.
    exported_at : datetime, optional
        The export time written in the notes (default: now, UTC).
    round_labels : dict of round name to label, optional
        Code the ``round`` variable 1, 2, ... in this order (oldest first), value-labelled with
        these labels (name and dates), instead of in the natural order of the names.

    Returns
    -------
    ExportData
    """
    instruments = tuple(instruments)
    _check_inputs(responses, instruments, lang, round_name)
    min_n = {name: check_min_n(m) for name, m in min_n.items()} if isinstance(min_n, dict) else check_min_n(min_n)
    exported_at = exported_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    if round_name is None and "round" in responses.columns:
        names = responses["round"].dropna().astype(str).unique()
        round_name = ", ".join(sorted(names)) if len(names) else None
    responses = responses.reset_index(drop=True)
    warnings: list[str] = []

    item_ids = [i for inst in instruments for i in inst.item_ids]
    columns: list[tuple[str, Variable, pd.Series]] = []
    columns.append(_response_column(responses, lang))
    unit_codes, anonymity, unit_warnings = _unit_coding(responses, units, min_n, lang)
    warnings += unit_warnings
    columns.append(_unit_column(responses, unit_codes, lang))
    columns += _meta_columns(responses, lang, round_labels)
    columns += _field_columns(responses, instruments, set(META_COLUMNS) | set(item_ids), unit_codes, lang)
    item_frames, score_frames = _coded_items(responses, instruments, scores)
    columns += _item_columns(item_frames, lang)

    rename, renamed = _variable_names([c for c, _, _ in columns], instruments, set(item_ids))
    warnings += renamed
    scale_specs, scale_warnings = _scale_specs(instruments, rename, lang)
    warnings += scale_warnings
    variables, data = _assemble(columns, rename, scale_specs if scores else [], score_frames)
    warnings += _shorten_labels(variables)

    frame = pd.DataFrame(data, copy=False)  # the columns as made, not consolidated into a second copy
    file_label = shorten(
        _text("file_label", lang, round=round_name) if round_name else _text("file_label_no_round", lang), SPSS_FILE_LABEL_BYTES
    )
    if round_name and file_label != _text("file_label", lang, round=round_name):
        warnings.append(Coded(f"file label shortened to {SPSS_FILE_LABEL_BYTES} bytes: '{file_label}'", "export_file_label_shortened",
                              max=SPSS_FILE_LABEL_BYTES, label=file_label))
    notes = _notes(instruments, scale_specs, round_name, exported_at, lang, scores, anonymity)
    return ExportData(
        frame=frame,
        variables=variables,
        scales=scale_specs,
        file_label=file_label,
        notes=notes,
        warnings=warnings,
        lang=lang,
        round=round_name,
        exported_at=exported_at,
        instruments=instruments,
        min_n=max(min_n.values()) if isinstance(min_n, dict) else min_n,
        anonymity=anonymity,
        min_n_by_round=dict(min_n) if isinstance(min_n, dict) else {},
    )


def _meta_columns(responses: pd.DataFrame, lang: str, round_labels: dict[str, str] | None = None) -> list[tuple[str, Variable, pd.Series]]:
    """Round, language, instrument version and date, those the responses have."""
    columns = []
    for meta in ("round", "language", "instrument_version"):
        if meta == "round" and round_labels and meta in responses.columns:
            columns.append(_round_column(responses[meta], round_labels, lang))
        elif meta in responses.columns:
            columns.append(_coded_column(responses[meta], meta, "version" if meta == "instrument_version" else meta, _text(meta, lang), lang))
    if "date" in responses.columns:
        columns.append(_date_column(responses["date"], lang))
    return columns


def _field_columns(responses: pd.DataFrame, instruments, known: set, unit_codes: dict, lang: str) -> list[tuple[str, Variable, pd.Series]]:
    """Every other column, in the responses' order: partner units coded as units, free text
    as text, the rest (background fields and unknown columns) coded."""
    fields = {f.id: (f, inst) for inst in instruments for f in inst.fields}
    columns = []
    for column in responses.columns:
        if column in known:
            continue
        if column in fields and fields[column][0].kind == "partner":
            columns.append(_partner_column(responses[column], column, unit_codes, _pick(fields[column][0].label, lang, fields[column][1].languages)))
        elif column in fields and fields[column][0].kind == "text":
            columns.append(_text_column(responses[column], column, _pick(fields[column][0].label, lang, fields[column][1].languages)))
        else:
            label = _pick(fields[column][0].label, lang, fields[column][1].languages) if column in fields else TEXT.get(column, {}).get(lang, column)
            columns.append(_coded_column(responses[column], column, "field", label, lang))
    return columns


def _coded_items(responses: pd.DataFrame, instruments, scores: bool):
    """Per instrument, its items as written to the file (every answer checked; user-missing
    codes kept) and, with ``scores``, its scale scores: ([(inst, {item: values})], [(inst, scores)]).

    Once every answer has passed :func:`code_responses`, the file's value of an item is the
    code as given (9 = "vet ikke" declared missing, blank empty): the responses' own float
    column, shared rather than copied (pandas copies on write), or its text read as numbers.
    The coded answers are kept only as long as the scores need them: memory stays near one
    copy of the export (bench/bench_export.py)."""
    item_frames = []
    score_frames = []
    response_ids = responses["response"].astype("string")
    for inst in instruments:
        absent = [i for i in inst.item_ids if i not in responses.columns]
        if absent:
            raise UserError.single(f"item column(s) of '{inst.id}' missing: " + ", ".join(absent[:10]) + (" ..." if len(absent) > 10 else ""))
        coded = code_responses(responses[inst.item_ids].assign(response=response_ids), inst, id_column="response")
        item_frames.append((inst, {item: _given_codes(responses[item]) for item in inst.item_ids}))
        if scores:
            score_frames.append((inst, score_scales(coded.items, inst)))
        del coded
    return item_frames, score_frames


def _given_codes(values: pd.Series) -> pd.Series:
    """An item column's codes as float64, read as :func:`code_responses` reads them (text
    stripped, blank = missing); a float64 column is returned as it is."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype("float64")
    text = values.astype("string").str.strip()
    return pd.to_numeric(text.where(text != ""), errors="coerce").astype("float64")


def _item_columns(item_frames, lang: str) -> list[tuple[str, Variable, pd.Series]]:
    """One variable per item: label, measure, format, value labels, missing codes, rule."""
    columns = []
    for inst, raw in item_frames:
        for item in inst.items:
            rs = inst.response_scale_of(item.id)
            var = Variable(
                name=item.id,
                source=item.id,
                kind="item",
                label=_pick(item.text, lang, inst.languages),
                measure=item_measure(rs),
                format=item_format(rs),
                value_labels=_item_value_labels(rs, lang, inst.languages),
                missing=tuple(float(c) for c in sorted(rs.missing)),
                instrument=inst.id,
                rule=_item_rule(inst, item.id, lang),
            )
            columns.append((item.id, var, raw[item.id]))
    return columns


def _variable_names(keys: list[str], instruments, item_ids: set) -> tuple[dict[str, str], list[str]]:
    """Safe SPSS names for the columns ``keys`` and the scales (keyed ``scale:<inst>:<scale>``),
    and a warning per renamed one.

    The instruments' names (items, scale ids) are a contract: they keep their spelling, and a
    passed-through column that collides with one is the one renamed.
    """
    keys = keys + [f"scale:{inst.id}:{s.id}" for inst in instruments for s in inst.scales]
    spelled = {k: (k.split(":", 2)[2] if k.startswith("scale:") else k) for k in keys}
    first = [k for k in keys if k in META_COLUMNS or k in item_ids or k.startswith("scale:")]
    order = first + [k for k in keys if k not in set(first)]
    safe, renamed = safe_names([spelled[k] for k in order], SPSS)
    return dict(zip(order, safe)), [r.warning() for r in renamed]


def _assemble(columns, rename: dict[str, str], scale_specs, score_frames) -> tuple[list[Variable], dict[str, pd.Series]]:
    """The variables under their safe names and their data, then the scores of ``scale_specs``
    (empty without scores)."""
    variables: list[Variable] = []
    data: dict[str, pd.Series] = {}
    for key, var, values in columns:
        var.name = rename[key]
        variables.append(var)
        data[var.name] = values
    by_scale = {(inst.id, s.id): frame[s.id] for inst, frame in score_frames for s in inst.scales}
    for spec in scale_specs:
        variables.append(
            Variable(
                name=spec.name, source=spec.scale.id, kind="score", label=spec.label, measure="scale",
                format=spec.format, instrument=spec.instrument.id, rule=spec.rule,
            )
        )
        data[spec.name] = by_scale[(spec.instrument.id, spec.scale.id)].astype("float64")
    return variables, data


def _response_column(responses: pd.DataFrame, lang: str):
    ids = responses["response"]
    if pd.api.types.is_integer_dtype(ids) and not pd.api.types.is_bool_dtype(ids):
        numeric = ids.astype("float64")  # database row numbers: nothing to parse
    else:
        text = _id_text(ids)
        if text.isna().any():
            rows = np.flatnonzero(text.isna().to_numpy())[:20] + 1
            raise UserError.single("the response id is missing in row(s) " + ", ".join(map(str, rows)), path="response")
        numeric = pd.to_numeric(text, errors="coerce")
    if numeric.notna().all() and (numeric == numeric.round()).all() and (numeric.abs() < 2**53).all():
        values = numeric.astype("float64")
        var = Variable("response", "response", "id", _text("response", lang), "nominal", _code_format(int(values.max())))
        return "response", var, values
    width = max(1, int(text.str.encode("utf-8").str.len().max()))
    var = Variable("response", "response", "id", _text("response", lang), "nominal", f"A{width}")
    return "response", var, text.astype(object)


def _unit_coding(responses: pd.DataFrame, units: pd.DataFrame | None, min_n: int | dict[str, int], lang: str):
    """Code per unit id (position in the unit table), the units each response is shown under,
    and the anonymity notes. Returns ({"codes", "labels", "shown", "ids"}, notes, warnings).

    With ``min_n`` per round (a multi-round export) small units are merged round by round, each
    with its own threshold (the one its respondents were promised): ``shown`` and ``ids`` are
    then keyed by round and unit.
    """
    ids = _id_text(responses["unit"])
    if ids.isna().any():
        rows = np.flatnonzero(ids.isna().to_numpy())[:20] + 1
        raise UserError.single("the unit is missing in row(s) " + ", ".join(map(str, rows)), path="unit")
    warnings = []
    order, names, parents = _unit_table(units)
    unknown = [u for u in pd.unique(ids) if u not in names]
    if unknown and units is not None:
        warnings.append(unknown_units_warning(sorted(unknown)[:20]))
    order = order + sorted(unknown)
    codes = {u: i + 1 for i, u in enumerate(order)}
    labels = {u: f"{names[u]} ({u})" if names.get(u) else u for u in order}
    notes = [file_note(NOTES, "identifiers", lang, "export_identifiers")]
    if not isinstance(min_n, dict):
        shown, round_notes, warning = _shown_units(ids, order, parents, min_n, lang)
        return {"codes": codes, "labels": labels, "shown": shown, "ids": ids}, notes + round_notes, warnings + warning
    rounds = _id_text(responses["round"])
    shown = {}
    for name, threshold in min_n.items():
        part, round_notes, warning = _shown_units(ids[rounds == name], order, parents, threshold, lang)
        shown.update({f"{name}\x1f{u}": s for u, s in part.items()})
        notes += [Coded(f"{_text('round', lang)} {name}: {note}", "export_in_round", round=name, note=note) for note in round_notes]
        warnings += [Coded(f"round {name}: {w}", "export_in_round", round=name, note=w) for w in warning]
    return {"codes": codes, "labels": labels, "shown": shown, "ids": rounds + "\x1f" + ids}, notes, warnings


def _shown_units(ids: pd.Series, order: list[str], parents: dict, min_n: int, lang: str) -> tuple[dict, list[str], list[str]]:
    """The unit each unit's responses are shown under (None: withheld), the notes on the units
    merged or withheld and a warning when there were any."""
    counts = ids.value_counts()
    shown = {u: u for u in counts.index}
    if parents:
        withheld = _merge_small_units(counts, order, parents, min_n, shown)
        merged = [f"{u} → {shown[u]}" for u in counts.index if shown[u] is not None and shown[u] != u]
    else:
        merged = []
        withheld = [u for u, c in counts.items() if c < min_n]
        for u in withheld:
            shown[u] = None
    notes = _anonymity_notes(bool(parents), merged, withheld, int(counts[withheld].sum()), min_n, lang)
    if not (merged or withheld):
        return shown, notes, []
    warning = (
        f"anonymity (min_n = {min_n}): "
        + (f"{len(merged)} unit(s) merged into a parent" if merged else "")
        + (" and " if merged and withheld else "")
        + (f"{len(withheld)} unit(s) withheld" if withheld else "")
        + " (listed in the notes and the codebook)"
    )
    return shown, notes, [anonymity_warning(warning, min_n, len(merged), len(withheld))]


def anonymity_warning(message: str, min_n: int, merged: int, withheld: int) -> Coded:
    """The warning ``message`` on units merged into a parent and units withheld, coded by which happened."""
    if merged and withheld:
        return Coded(message, "export_units_merged_withheld", min_n=min_n, merged=merged, withheld=withheld)
    if merged:
        return Coded(message, "export_units_merged", min_n=min_n, merged=merged)
    return Coded(message, "export_units_withheld", min_n=min_n, withheld=withheld)


def file_note(table: dict, key: str, lang: str, code: str, **params) -> Coded:
    """The note ``table[key]`` in the export's language ``lang`` (as written into the files),
    coded so that the export page says it in the page's language (scoring.messages)."""
    return Coded(table[key][lang].format(**params), code, **params)


def unknown_units_warning(units: list[str]) -> Coded:
    """The warning on unit ids missing from the unit table (labelled with the id only)."""
    listing = ", ".join(units)
    return Coded("unit(s) not in the unit table, labelled with their id only: " + listing, "export_unknown_units", units=listing)


def _unit_table(units: pd.DataFrame | None) -> tuple[list[str], dict[str, str], dict[str, str | None]]:
    """The unit ids in the table's order, their names and their parents (None at the top);
    all empty without a unit table."""
    if units is None or not len(units):
        return [], {}, {}
    table = units.astype({"unit": "string"})
    names = dict(zip(table["unit"], table["name"].astype("string").fillna("")))
    parents = {u: (p if isinstance(p, str) and p else None) for u, p in zip(table["unit"], table["parent"].astype(object).where(table["parent"].notna(), None))}
    return list(table["unit"]), names, parents


def _merge_small_units(counts: pd.Series, order: list[str], parents: dict, min_n: int, shown: dict) -> list[str]:
    """Merge every unit with 1..min_n - 1 responses (its own plus those merged into it) into its
    parent, deepest units first; a top unit still below min_n is withheld. Sets ``shown[unit]``
    to the unit each response unit is shown under (None: withheld) and returns the withheld."""
    pooled = {u: int(c) for u, c in counts.items()}
    members = {u: [u] for u in counts.index}
    withheld: list[str] = []

    def depth(unit):
        d, current = 0, parents.get(unit)
        while current is not None and d < len(parents):
            d, current = d + 1, parents.get(current)
        return d

    for unit in sorted(set(order) | set(counts.index), key=depth, reverse=True):
        n = pooled.get(unit, 0)
        if not 0 < n < min_n:
            continue
        parent = parents.get(unit)
        moved = members.pop(unit)
        pooled[unit] = 0
        if parent is None:
            withheld += moved
            for m in moved:
                shown[m] = None
        else:
            pooled[parent] = pooled.get(parent, 0) + n
            members.setdefault(parent, []).extend(moved)
            for m in moved:
                shown[m] = parent
    return withheld


def _anonymity_notes(tree: bool, merged: list[str], withheld: list[str], n_withheld: int, min_n: int, lang: str) -> list[str]:
    """The notes on the units merged or withheld (``tree``: a unit table with parents was given)."""
    notes: list[str] = []
    if not tree and withheld:
        notes.append(file_note(NOTES, "no_units", lang, "export_no_units", min_n=min_n, list=", ".join(sorted(withheld))))
        return notes
    if merged:
        notes.append(file_note(NOTES, "min_n_merged", lang, "export_min_n_merged", min_n=min_n, list="; ".join(sorted(merged))))
    if withheld:
        notes.append(file_note(NOTES, "min_n_withheld", lang, "export_min_n_withheld", n=n_withheld, list=", ".join(sorted(withheld)), min_n=min_n))
    if not merged and not withheld:
        notes.append(file_note(NOTES, "min_n_none", lang, "export_min_n_none", min_n=min_n))
    return notes


def _unit_column(responses: pd.DataFrame, coding: dict, lang: str):
    code_shown = {u: float(coding["codes"][s]) for u, s in coding["shown"].items() if s is not None}
    values = pd.Series(_lookup(coding["ids"], code_shown), index=responses.index)
    largest = max(coding["codes"].values())
    var = Variable(
        "unit", "unit", "unit", _text("unit", lang), "nominal", _code_format(largest),
        value_labels={float(c): coding["labels"][u] for u, c in coding["codes"].items()},
        codes={c: u for u, c in coding["codes"].items()},
    )  # fmt: skip
    return "unit", var, values


def _partner_column(values: pd.Series, name: str, coding: dict, label: str):
    ids = _id_text(values)
    codes = dict(coding["codes"])
    labels = dict(coding["labels"])
    for unit in sorted(u for u in pd.unique(ids.dropna()) if u not in codes):
        codes[unit] = len(codes) + 1
        labels[unit] = unit
    numeric = pd.Series(_lookup(ids, codes), index=values.index)
    var = Variable(
        name, name, "partner", label, "nominal", _code_format(max(codes.values())),
        value_labels={float(c): labels[u] for u, c in codes.items()}, codes={c: u for u, c in codes.items()},
    )  # fmt: skip
    return name, var, numeric


def _coded_column(values: pd.Series, name: str, kind: str, label: str, lang: str):
    """Text -> codes 1..k in natural order, value-labelled with the text (languages by name)."""
    text = _id_text(values)
    order = list(LANGUAGE_NAMES)
    key = (lambda v: (order.index(v) if v in order else len(order), v)) if kind == "language" else _natural_key
    distinct = sorted(pd.unique(text.dropna()), key=key)
    codes = {v: i + 1 for i, v in enumerate(distinct)}
    numeric = pd.Series(_lookup(text, codes), index=values.index)
    if kind == "language":
        labels = {float(c): f"{LANGUAGE_NAMES[v][lang]} ({v})" if v in LANGUAGE_NAMES else v for v, c in codes.items()}
    else:
        labels = {float(c): v for v, c in codes.items()}
    var = Variable(name, name, kind, label, "nominal", _code_format(len(codes)), value_labels=labels, codes={c: v for v, c in codes.items()})
    return name, var, numeric


def _round_column(values: pd.Series, round_labels: dict[str, str], lang: str):
    """Rounds coded 1, 2, ... oldest first, value-labelled with their name and dates."""
    codes = {name: i + 1 for i, name in enumerate(round_labels)}
    numeric = pd.Series(_lookup(_id_text(values), codes), index=values.index)
    var = Variable(
        "round", "round", "round", _text("round", lang), "ordinal", _code_format(len(codes)),
        value_labels={float(c): round_labels[name] for name, c in codes.items()}, codes={c: name for name, c in codes.items()},
    )  # fmt: skip
    return "round", var, numeric


def _text_column(values: pd.Series, name: str, label: str):
    text = values.astype("string").str.strip().fillna("")
    width = max(1, int(text.str.encode("utf-8").str.len().max() or 1))
    return name, Variable(name, name, "text", label, "nominal", f"A{width}"), text.astype(object)


def _date_column(values: pd.Series, lang: str):
    """Dates only (a time of day is dropped, as the anonymity rules promise)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    else:
        text = values.astype("string").str.strip().replace("", pd.NA)
        parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
        bad = parsed.isna() & text.notna()
        if bad.any():
            rows = np.flatnonzero(bad.to_numpy())[:20]
            raise UserError([Problem(f"not a date: {text.iloc[r]!r} (use YYYY-MM-DD)", row=int(r) + 1, path="date") for r in rows])
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    day = parsed.dt.floor("D").astype("datetime64[ns]")
    return "date", Variable("date", "date", "date", _text("date", lang), "scale", "SDATE10"), day


def _item_value_labels(rs: ResponseScale, lang: str, languages) -> dict[float, str]:
    labels = {float(code): _pick(text, lang, languages) for code, text in sorted(rs.labels.items())}
    labels.update({float(code): _pick(text, lang, languages) for code, text in sorted(rs.missing.items())})
    return labels


def _item_rule(inst: Instrument, item_id: str, lang: str) -> str:
    item = inst.item(item_id)
    if not item.reverse:
        return ""
    rs = inst.response_scale_of(item_id)
    formula = f"({rs.min:g}+{rs.max:g})-x"
    return f"{TEXT['reversed'][lang]}: {formula}"


def _scale_specs(instruments, rename: dict[str, str], lang: str) -> tuple[list[ScaleScore], list[str]]:
    """Names of scores and of the reversed temporaries (``<item>_r``), made safe and unique."""
    specs = []
    reverse_items = list(dict.fromkeys(i for inst in instruments for s in inst.scales for i in inst.reverse_items(s)))
    temp_names, renamed = safe_names([f"{rename[i]}_r" for i in reverse_items], SPSS, taken=set(rename.values()))
    temps = dict(zip(reverse_items, temp_names))
    warnings = [r.warning() for r in renamed]
    for inst in instruments:
        for scale in inst.scales:
            rs = inst.response_scale_of(scale.items[0])
            low, high = float(rs.min), float(rs.max)
            bounds = {rename[i]: (float(inst.response_scale_of(i).min), float(inst.response_scale_of(i).max)) for i in scale.items}
            reversed_ = {rename[i]: temps[i] for i in inst.reverse_items(scale)}
            decimals = max(inst.response_scale_of(i).decimals for i in scale.items)
            specs.append(
                ScaleScore(
                    name=rename[f"scale:{inst.id}:{scale.id}"],
                    scale=scale,
                    instrument=inst,
                    items=tuple(rename[i] for i in scale.items),
                    reversed=reversed_,
                    bounds=bounds,
                    low=low,
                    high=high,
                    min_valid=min_valid(scale),
                    label=f"{_pick(scale.name, lang, inst.languages)} ({RULE_NAMES[scale.scoring][lang]})",
                    format=score_format(scale, low, high, decimals),
                    rule=scale_rule(inst, scale, lang, rename),
                )
            )
    return specs, warnings


def scale_rule(inst: Instrument, scale: Scale, lang: str, rename: dict[str, str] | None = None) -> str:
    """The scoring rule in words, e.g. "sk_info = the mean of sk_info1, ...; reverse-keyed ..."."""
    rename = rename or {}
    rs = inst.response_scale_of(scale.items[0])
    k = len(scale.items)
    norms = scale.norms
    formula = RULE_FORMULA[scale.scoring][lang].format(
        k=k, low=rs.min, high=rs.max, mean=(norms.mean if norms and norms.mean is not None else float("nan")),
        sd=(norms.sd if norms and norms.sd is not None else float("nan")),
    )  # fmt: skip
    reverse = inst.reverse_items(scale)
    reverse_text = REVERSE_TEXT[lang].format(low=rs.min, high=rs.max, items=", ".join(rename.get(i, i) for i in reverse)) if reverse else ""
    codes = sorted({c for i in scale.items for c in inst.response_scale_of(i).missing})
    with_codes, without = MISSING_WORDS[lang]
    missing = with_codes.format(codes="/".join(str(c) for c in codes)) if codes else without
    return RULE_TEXT[lang].format(
        name=rename.get(f"scale:{inst.id}:{scale.id}", scale.id), rule=formula,
        items=", ".join(rename.get(i, i) for i in scale.items), reverse=reverse_text, m=min_valid(scale), k=k, missing=missing,
    )  # fmt: skip


def _shorten_labels(variables: list[Variable]) -> list[str]:
    """Keep variable labels <= 256 and value labels <= 120 UTF-8 bytes; one warning per change
    (value labels shared by several variables are listed once, with every variable named)."""
    warnings = []
    for var in variables:
        short = shorten(var.label, SPSS_VARIABLE_LABEL_BYTES)
        if short != var.label:
            warnings.append(Coded(
                f"variable label of '{var.name}' is {utf8_length(var.label)} bytes (SPSS allows {SPSS_VARIABLE_LABEL_BYTES}); "
                f"shortened to '{short}'", "export_label_shortened", variable=var.name, bytes=utf8_length(var.label),
                max=SPSS_VARIABLE_LABEL_BYTES, short=short,
            ))
            var.label = short
    changed: dict[tuple[str, float], list[str]] = {}
    for var in variables:
        for code, text in var.value_labels.items():
            short = shorten(text, SPSS_VALUE_LABEL_BYTES)
            if short != text:
                changed.setdefault((text, code), []).append(var.name)
                var.value_labels[code] = short
    for (text, code), names in changed.items():
        short = shorten(text, SPSS_VALUE_LABEL_BYTES)
        warnings.append(Coded(
            f"value label {code:g} = '{text}' is {utf8_length(text)} bytes (SPSS allows {SPSS_VALUE_LABEL_BYTES}); "
            f"shortened to '{short}' for: {', '.join(names)}", "export_value_label_shortened", code=f"{code:g}", bytes=utf8_length(text),
            max=SPSS_VALUE_LABEL_BYTES, short=short, variables=", ".join(names),
        ))
    return warnings


def _notes(instruments, specs: list[ScaleScore], round_name, exported_at: dt.datetime, lang: str, scores: bool, anonymity: list[str]) -> list[str]:
    listing = ", ".join(f"{inst.id} {inst.version} ({_pick(inst.title, lang, inst.languages)})" for inst in instruments)
    codes = sorted({c for inst in instruments for rs in inst.response_scales.values() for c in rs.missing})
    notes = [
        NOTES["made"][lang].format(round=round_name or "-", time=exported_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")),
        NOTES["instruments"][lang].format(list=listing),
        NOTES["items"][lang].format(codes=", ".join(str(c) for c in codes) or "-"),
        NOTES["scores_in" if scores else "scores_out"][lang],
    ]
    notes += [spec.rule + "." for spec in specs]
    return notes + anonymity


def _missing_spec(var: Variable):
    """pyreadstat's missing_ranges entry: up to 3 discrete codes, else one range (+ one code)."""
    codes = list(var.missing)
    if len(codes) <= MAX_SPSS_MISSING_DISCRETE:
        return codes
    valid = [c for c in var.value_labels if c not in var.missing]
    low, high = min(codes), max(codes)
    if any(low <= v <= high for v in valid):
        raise UserError.single(
            f"'{var.name}' has {len(codes)} missing codes around valid codes; SPSS allows 3 codes or one range plus one code"
        )
    return [{"lo": low, "hi": high}]


def sav_arguments(export: ExportData) -> dict:
    """Keyword arguments of :func:`pyreadstat.write_sav` for ``export``, every limit checked."""
    return dict(
        file_label=export.file_label,
        column_labels={v.name: v.label for v in export.variables},
        note=export.note_lines(),
        variable_value_labels={v.name: dict(v.value_labels) for v in export.variables if v.value_labels and not v.is_string},
        missing_ranges={v.name: _missing_spec(v) for v in export.variables if v.missing},
        variable_measure={v.name: v.measure for v in export.variables},
        variable_format={v.name: v.format for v in export.variables if not v.is_string},
    )


def write_sav(export: ExportData, path: str | Path, *, compress: bool | None = None) -> Path:
    """Write ``export`` as an SPSS system file; ``.zsav`` (or ``compress=True``) is zlib-compressed."""
    import pyreadstat

    path = Path(path)
    compress = path.suffix.lower() == ".zsav" if compress is None else compress
    with replacing(path) as temp:
        pyreadstat.write_sav(_spss_dates(export.frame), temp, compress=compress, **sav_arguments(export))
    return path


SPSS_EPOCH_OFFSET = 12_219_379_200
"""Seconds from SPSS's day zero (1582-10-14) to 1970-01-01."""


def _spss_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each date column as SPSS stores a date (seconds since 1582-10-14; NaT
    becomes system-missing), the other columns shared, not copied.

    pyreadstat converts datetime64 columns itself, but on a copy of the whole frame: for
    150,000 x 80 that copy is as large as the data (docs/performance.md). Done here, only the
    date column is new; the value is what pyreadstat writes (its ``spss_offset_secs``)."""
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    if not dates:
        return frame
    converted = {}
    for column in dates:
        values = frame[column]
        seconds = values.to_numpy(dtype="datetime64[s]").astype("int64").astype("float64") + SPSS_EPOCH_OFFSET
        converted[column] = np.where(values.isna().to_numpy(), np.nan, seconds)
    return frame.assign(**converted)


def round_export(
    engine,
    round_name: str,
    *,
    lang: str = "nb",
    scores: bool = False,
    min_n: int | None = None,
    exported_at: dt.datetime | None = None,
) -> ExportData:
    """:func:`build_export` for a round in the database, with the instruments as frozen in the
    round and the round's ``min_n`` (a larger ``min_n`` may be asked for, never a smaller one:
    the round's threshold is what the respondents were promised)."""
    from scoring.store.organisation import read_units
    from scoring.store.read import read_responses
    from scoring.store.rounds import round_row
    from scoring.store.submit import load_form

    with engine.connect() as conn:
        rnd = round_row(conn, round_name)
        form = load_form(conn, rnd.id, rnd.form_hash)
    if min_n is None:
        min_n = rnd.min_n
    elif min_n < rnd.min_n:
        raise UserError.single(f"round '{rnd.name}' promises min_n = {rnd.min_n}; an export may not use less (got {min_n})", path="--min-n")
    responses = read_responses(engine, rnd.name)
    export = build_export(
        responses, form.instruments, read_units(engine), lang=lang, scores=scores, round_name=rnd.name, min_n=min_n, exported_at=exported_at
    )
    # By the unit shown (after merging), then the random id: read_responses sorts by the unit
    # answered in, which would keep a merged unit's rows grouped by the smaller unit.
    by = [next(v.name for v in export.variables if v.source == source) for source in ("unit", "response")]
    export.frame = export.frame.sort_values(by, kind="stable", na_position="last").reset_index(drop=True)
    return export


@dataclass
class SavTable:
    """A .sav file read back as a response table (the layout of ``responses.csv``).

    ``table``: response, unit, round, language, date, fields and items, coded variables turned
    back into their text (unit id, round name, language code) from their value labels;
    ``dropped``: scale scores and reversed temporaries of the instruments (computed, not stored);
    ``warnings``: declared missing values that differ from the instrument's; ``source_round``:
    the round a Samklima export was made from (from its notes), else None; ``source_rounds``: every
    round a Samklima export holds (one, or several for a multi-round export).
    """

    table: pd.DataFrame
    dropped: list[str]
    warnings: list[str]
    file_label: str
    source_round: str | None = None
    source_rounds: tuple[str, ...] = ()


_ID_SUFFIX = re.compile(r"\(([^()]+)\)\s*$")
_SOURCE_ROUND = re.compile(r"^Samklima(?:-eksport av runde| export of round) (.+?), (?:laget|made) ")
_SOURCE_ROUNDS = re.compile(r"^Samklima(?:-eksport av rundene| export of rounds) (.+?), (?:laget|made) ")


def read_sav_export(path: str | Path, instruments) -> SavTable:
    """Read a .sav (ours or edited by a researcher) for import: codes back to text, scores dropped.

    User-missing codes are read as their codes (9 stays 9), so that
    :func:`scoring.responses.reading.code_responses` sees them as user-missing. Unit and partner codes
    are turned back into unit ids from the "name (id)" value labels, language codes from
    "name (code)", other coded variables into their label text.
    """
    import pyreadstat

    path = Path(path)
    if not path.exists():
        raise UserError.single("file not found", file=str(path))
    try:
        frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as err:  # pyreadstat raises its own ReadstatError/PyreadstatError
        if type(err).__module__.startswith("pyreadstat"):
            raise UserError.single(f"cannot read the SPSS file: {err}", file=str(path)) from None
        raise
    instruments = tuple(instruments)
    items = {i: inst for inst in instruments for i in inst.item_ids}
    partner_fields = {f.id for inst in instruments for f in inst.fields if f.kind == "partner"}
    computed = {s.id for inst in instruments for s in inst.scales} | {f"{i}_r" for i in items}
    dropped = [c for c in frame.columns if c in computed]
    table = frame.drop(columns=dropped)
    warnings = []
    for column, labels in meta.variable_value_labels.items():
        if column not in table.columns or column in items:
            continue
        values = table[column]
        if column in ("unit", "language") or column in partner_fields:
            text = {code: (m.group(1) if (m := _ID_SUFFIX.search(label)) else label) for code, label in labels.items()}
        else:
            text = dict(labels)
        mapped = values.map(text)
        unlabelled = values.notna() & mapped.isna()
        table[column] = mapped.where(~unlabelled, values.map(lambda v: format(v, "g") if isinstance(v, float) else v)).astype("string")
    for column, ranges in meta.missing_ranges.items():
        if column in items:
            declared = sorted(r["lo"] for r in ranges if r["lo"] == r["hi"])
            expected = sorted(float(c) for c in items[column].response_scale_of(column).missing)
            if declared != expected:
                warnings.append(
                    f"'{column}': the file declares missing value(s) {declared or 'none'}, the instrument {expected or 'none'}; "
                    "the instrument's codes are used"
                )
    if "date" in table.columns:
        table["date"] = pd.to_datetime(table["date"], errors="coerce").dt.strftime("%Y-%m-%d").astype("string")
    match = _SOURCE_ROUND.match(meta.notes[0]) if meta.notes else None
    several = _SOURCE_ROUNDS.match(" ".join(meta.notes or []))  # the first note may be wrapped over lines
    rounds = tuple(several.group(1).split(", ")) if several else ((match.group(1),) if match else ())
    return SavTable(table, dropped, warnings, meta.file_label or "", match.group(1) if match else None, rounds)
