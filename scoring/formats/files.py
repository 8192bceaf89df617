"""The export in other formats, and writing an export with its companion files.

- Stata ``.dta`` (pyreadstat, format 119 readers: Stata 15+): names made safe for Stata (at most
  32 characters, letters, digits and ``_``; reserved words avoided), variable labels and the
  file label at most 80 characters, value labels on whole codes, the instruments' missing codes
  as Stata's extended missing values ``.a``, ``.b``, ... (labelled, e.g. ``.a`` = "Vet ikke");
  dates as ``%td``. Every change is added to the export's warnings.
- CSV, Excel and Parquet hold the plain layout (:meth:`ExportData.plain_frame`): coded variables
  as their text (unit id, round name, language code), items as answered with the missing codes
  kept (9 = "vet ikke"; the codebook says so), scores. CSV and Excel neutralise spreadsheet
  formulas (:mod:`scoring.formats.tables`, the one table writer); Excel adds a ``codebook`` sheet;
  Parquet keeps each variable's label, codes and missing codes as field metadata.

:func:`write_export` writes the data file and, beside it, the codebook (``<stem>.codebook.html``
and ``<stem>.codebook.csv``; in Excel a sheet instead) and for SPSS the syntax (``<stem>.sps``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from scoring.errors import Coded, UserError, check_choice
from scoring.formats.atomic import replacing
from scoring.formats.codebook import codebook_frame, write_codebook_csv, write_codebook_html
from scoring.formats.names import STATA, STATA_FILE_LABEL_CHARS, STATA_VARIABLE_LABEL_CHARS, safe_names, shorten
from scoring.formats.spss import ExportData, write_sav
from scoring.formats.syntax import write_sps
from scoring.formats.tables import write_csv, write_xlsx

FORMATS = ("sav", "zsav", "dta", "csv", "parquet", "xlsx")
EXCEL_MAX_ROWS = 1_048_575  # 2**20 rows less the header
STATA_MISSING_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _whole(value: float):
    return int(value) if float(value).is_integer() else value


def write_dta(export: ExportData, path: str | Path) -> list[str]:
    """Write a Stata file; return the warnings about names and labels changed for Stata."""
    import pyreadstat

    path = Path(path)
    warnings: list[str] = []
    names, renamed = safe_names([v.name for v in export.variables], STATA)
    warnings += [r.warning() for r in renamed]
    data = {}
    labels = {}
    value_labels = {}
    missing = {}
    formats = {}
    for var, name in zip(export.variables, names):
        column = export.frame[var.name]
        label = shorten(var.label, max_chars=STATA_VARIABLE_LABEL_CHARS)
        if label != var.label:
            warnings.append(Coded(f"Stata: variable label of '{name}' has {len(var.label)} characters (Stata allows {STATA_VARIABLE_LABEL_CHARS}); "
                                  f"shortened to '{label}'", "stata_label_shortened", variable=name, chars=len(var.label),
                                  max=STATA_VARIABLE_LABEL_CHARS, short=label))
        labels[name] = label
        if var.kind == "date":
            data[name] = pd.Series([d.date() if pd.notna(d) else None for d in column], dtype=object, index=column.index)
            formats[name] = "%td"
            continue
        if var.missing:
            letters = dict(zip(var.missing, STATA_MISSING_LETTERS))
            values = column.astype(object)
            for code, letter in letters.items():
                values[column.to_numpy() == code] = letter
            data[name] = values
            missing[name] = list(letters.values())
        else:
            data[name] = column
        if var.value_labels and not var.is_string:
            whole = {_whole(c): text for c, text in var.value_labels.items() if c not in var.missing and float(c).is_integer()}
            dropped = [c for c in var.value_labels if c not in var.missing and not float(c).is_integer()]
            if dropped:
                codes = ", ".join(map(str, dropped))
                warnings.append(Coded(f"Stata: value labels of '{name}' for codes that are not whole numbers dropped: {codes}",
                                      "stata_value_labels_dropped", variable=name, codes=codes))
            if var.missing:
                whole.update({letters[c]: var.value_labels[c] for c in var.missing if c in var.value_labels})
            value_labels[name] = whole
    frame = pd.DataFrame(data, index=export.frame.index)
    file_label = shorten(export.file_label, max_chars=STATA_FILE_LABEL_CHARS)
    with replacing(path) as temp:
        pyreadstat.write_dta(
            frame, temp, file_label=file_label, column_labels=labels, variable_value_labels=value_labels,
            missing_user_values=missing, variable_format=formats,
        )  # fmt: skip
    return warnings


def write_plain_csv(export: ExportData, path: str | Path) -> None:
    path = Path(path)
    with replacing(path) as temp:
        write_csv(export.plain_frame(), temp)


def write_parquet(export: ExportData, path: str | Path) -> None:
    """Parquet with the label, codes and missing codes of each variable as field metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    table = pa.Table.from_pandas(export.plain_frame(), preserve_index=False)
    fields = []
    for var, pa_field in zip(export.variables, table.schema):
        meta = {"label": var.label, "measure": var.measure, "kind": var.kind}
        if var.codes is not None:
            meta["values"] = json.dumps({text: var.value_labels.get(float(code), text) for code, text in var.codes.items()}, ensure_ascii=False)
        elif var.value_labels:
            meta["values"] = json.dumps({format(c, "g"): t for c, t in var.value_labels.items()}, ensure_ascii=False)
        if var.missing:
            meta["missing"] = json.dumps(list(var.missing))
        fields.append(pa_field.with_metadata({k: v.encode("utf-8") for k, v in meta.items()}))
    schema = pa.schema(fields, metadata={b"file_label": export.file_label.encode("utf-8"), b"notes": json.dumps(export.notes, ensure_ascii=False).encode("utf-8")})
    with replacing(path) as temp:
        pq.write_table(table.cast(schema), temp)


def write_excel(export: ExportData, path: str | Path) -> None:
    """Excel: a ``data`` sheet and a ``codebook`` sheet, formulas neutralised in both."""
    path = Path(path)
    if len(export.frame) > EXCEL_MAX_ROWS:
        raise UserError.single(f"{len(export.frame)} responses do not fit in an Excel sheet ({EXCEL_MAX_ROWS} rows); use --format parquet or csv", path="--format",
                               code="excel_too_many", params={"n": len(export.frame), "max": EXCEL_MAX_ROWS})
    with replacing(path) as temp:
        write_xlsx({"data": export.plain_frame(), "codebook": codebook_frame(export)}, temp)


def companion_paths(out: Path, fmt: str) -> dict[str, Path]:
    """Files written beside ``out`` for ``fmt``: syntax (SPSS only) and codebook (not Excel)."""
    stem = out.with_suffix("")
    paths = {}
    if fmt in ("sav", "zsav"):
        paths["syntax"] = Path(f"{stem}.sps")
    if fmt != "xlsx":
        paths["codebook_html"] = Path(f"{stem}.codebook.html")
        paths["codebook_csv"] = Path(f"{stem}.codebook.csv")
    return paths


def write_export(export: ExportData, out: str | Path, fmt: str) -> dict[str, Path]:
    """Write the data file ``out`` in ``fmt`` and its companions; return every path written.

    Format-specific warnings (Stata renames) are appended to ``export.warnings`` before the
    codebook is written, so the codebook lists them too.
    """
    out = Path(out)
    check_choice(fmt, FORMATS, "--format")
    if not out.parent.exists():
        raise UserError.single("the folder does not exist", file=str(out.parent))
    if fmt in ("sav", "zsav"):
        write_sav(export, out, compress=fmt == "zsav")
    elif fmt == "dta":
        export.warnings.extend(write_dta(export, out))
    elif fmt == "csv":
        write_plain_csv(export, out)
    elif fmt == "parquet":
        write_parquet(export, out)
    else:
        write_excel(export, out)
    written = {"data": out}
    companions = companion_paths(out, fmt)
    if "syntax" in companions:
        written["syntax"] = write_sps(export, companions["syntax"], data_file=out.name)
    if "codebook_html" in companions:
        written["codebook_html"] = write_codebook_html(export, companions["codebook_html"])
        written["codebook_csv"] = write_codebook_csv(export, companions["codebook_csv"])
    return written

