"""The codebook of an export: every variable, its label, codes, missing codes, measurement
level, format and scoring rule, plus the notes (instrument versions, export time, anonymity
rules applied). Written as HTML (to read) and CSV (to process), and as a sheet in Excel exports.

The CSV has one row per variable (``section`` = ``variable``), one per scale score with its rule
(``section`` = ``scale``; ``in_file`` says whether the score is in the data or only computed by
the ``.sps``), and one per note (``section`` = ``note``, the text in ``label``).
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from scoring.formats.atomic import replacing
from scoring.formats.spss import ExportData, Variable
from scoring.formats.tables import write_csv

COLUMNS = ("section", "variable", "label", "kind", "type", "measure", "format", "values", "missing", "instrument", "rule", "in_file")
HEADINGS = {
    "title": {"nb": "Kodebok", "en": "Codebook"},
    "notes": {"nb": "Om filen", "en": "About the file"},
    "warnings": {"nb": "Endringer ved eksport", "en": "Changes made on export"},
    "variables": {"nb": "Variabler", "en": "Variables"},
    "scales": {"nb": "Skalaskårer", "en": "Scale scores"},
    "columns": {
        "nb": ("Variabel", "Etikett", "Type", "Målenivå", "Format", "Verdier", "Manglende", "Regel"),
        "en": ("Variable", "Label", "Type", "Measure", "Format", "Values", "Missing", "Rule"),
    },
    "in_file": {"nb": "i filen", "en": "in the file"},
    "by_syntax": {"nb": "regnes ut av syntaksfilen (.sps)", "en": "computed by the syntax file (.sps)"},
}


def _number(value: float) -> str:
    return format(value, "g")


def _type(var: Variable) -> str:
    if var.is_string:
        return "string"
    return "date" if var.kind == "date" else "numeric"


def _values(var: Variable) -> str:
    if var.codes is not None:
        return " | ".join(f"{code} = {var.value_labels.get(float(code), text)}" for code, text in sorted(var.codes.items()))
    return " | ".join(f"{_number(code)} = {text}" for code, text in sorted(var.value_labels.items()))


def codebook_frame(export: ExportData) -> pd.DataFrame:
    """The codebook as a table (the CSV layout; see the module docstring)."""
    rows = []
    for var in export.variables:
        rows.append(
            dict(
                section="variable", variable=var.name, label=var.label, kind=var.kind, type=_type(var), measure=var.measure,
                format=var.format, values=_values(var), missing=", ".join(_number(c) for c in var.missing),
                instrument=var.instrument or "", rule=var.rule, in_file="yes",
            )
        )  # fmt: skip
    in_file = {v.name for v in export.variables}
    for spec in export.scales:
        rows.append(
            dict(
                section="scale", variable=spec.name, label=spec.label, kind="score", type="numeric", measure="scale",
                format=spec.format, values="", missing="", instrument=spec.instrument.id, rule=spec.rule,
                in_file="yes" if spec.name in in_file else "no",
            )
        )  # fmt: skip
    for note in export.notes:
        rows.append(dict.fromkeys(COLUMNS, "") | dict(section="note", label=note))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def write_codebook_csv(export: ExportData, path: str | Path) -> Path:
    """The codebook as UTF-8 CSV (spreadsheet formulas neutralised)."""
    path = Path(path)
    with replacing(path) as temp:
        write_csv(codebook_frame(export), temp)
    return path


def codebook_html(export: ExportData) -> str:
    """A self-contained HTML page: notes, changes made on export, variables and scale scores."""
    lang = export.lang
    e = html.escape
    heads = HEADINGS["columns"][lang]
    in_file = {v.name for v in export.variables}

    def value_list(var: Variable) -> str:
        if var.codes is not None:
            items = [(str(code), var.value_labels.get(float(code), text)) for code, text in sorted(var.codes.items())]
        else:
            items = [(_number(code), text) for code, text in sorted(var.value_labels.items())]
        missing = {_number(c) for c in var.missing}
        marked = ' class="missing"'
        return "".join(
            f"<li{marked if var.codes is None and code in missing else ''}><code>{e(code)}</code> {e(text)}</li>"
            for code, text in items
        )

    variable_rows = "\n".join(
        "<tr>"
        f"<td><code>{e(v.name)}</code></td><td>{e(v.label)}</td><td>{e(_type(v))}</td><td>{e(v.measure)}</td>"
        f"<td><code>{e(v.format)}</code></td><td><ul>{value_list(v)}</ul></td>"
        f"<td>{e(', '.join(_number(c) for c in v.missing))}</td><td>{e(v.rule)}</td>"
        "</tr>"
        for v in export.variables
    )
    scale_rows = "\n".join(
        f"<tr><td><code>{e(s.name)}</code></td><td>{e(s.label)}</td><td><code>{e(s.format)}</code></td>"
        f"<td>{e(HEADINGS['in_file'][lang] if s.name in in_file else HEADINGS['by_syntax'][lang])}</td><td>{e(s.rule)}</td></tr>"
        for s in export.scales
    )
    notes = "\n".join(f"<li>{e(n)}</li>" for n in export.notes)
    warnings = (
        f"<h2>{e(HEADINGS['warnings'][lang])}</h2>\n<ul>" + "\n".join(f"<li>{e(w)}</li>" for w in export.warnings) + "</ul>"
        if export.warnings
        else ""
    )
    title = f"{HEADINGS['title'][lang]}: {export.file_label}"
    return f"""<!DOCTYPE html>
<html lang="{e(lang)}">
<head>
<meta charset="utf-8">
<title>{e(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; line-height: 1.4; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }}
th {{ background: #f3f3f3; position: sticky; top: 0; }}
ul {{ margin: 0; padding-left: 1.2em; }}
li.missing {{ color: #8a4b00; }}
</style>
</head>
<body>
<h1>{e(title)}</h1>
<h2>{e(HEADINGS['notes'][lang])}</h2>
<ul>
{notes}
</ul>
{warnings}
<h2>{e(HEADINGS['variables'][lang])}</h2>
<table>
<thead><tr>{''.join(f'<th>{e(h)}</th>' for h in heads)}</tr></thead>
<tbody>
{variable_rows}
</tbody>
</table>
<h2>{e(HEADINGS['scales'][lang])}</h2>
<table>
<thead><tr>{''.join(f'<th>{e(h)}</th>' for h in (heads[0], heads[1], heads[4], '', heads[7]))}</tr></thead>
<tbody>
{scale_rows}
</tbody>
</table>
</body>
</html>
"""


def write_codebook_html(export: ExportData, path: str | Path) -> Path:
    path = Path(path)
    with replacing(path) as temp:
        Path(temp).write_text(codebook_html(export), encoding="utf-8")
    return path
