"""SPSS/PSPP syntax (``.sps``) beside an export: the dictionary and the scale scores.

The syntax declares VARIABLE LABELS, VALUE LABELS, MISSING VALUES, VARIABLE LEVEL and FORMATS
for every variable of the export, then computes every scale score from the items with the
instrument's rules, so that a researcher can see, and rerun, exactly what Samklima did:

- a reverse-keyed item x on a scale from ``low`` to ``high`` becomes the variable
  ``<item>_r = (low + high) - x``; SPSS and PSPP give system-missing when x is missing, and the
  "vet ikke" codes are declared user-missing, so they never enter a score;
- a score needs ``m = ceil(min_answered x k)`` answered items out of k (at least 1), written with
  SPSS's ``.n`` suffix, which returns system-missing when fewer than n arguments are valid:
  ``mean`` -> ``MEAN.m(...)``; ``sum`` -> ``SUM.m(...)`` (the sum of the answered items,
  as :func:`scoring.responses.scores.scale_score`); ``prorated_sum`` -> ``MEAN.m(...) * k``; ``pomp`` ->
  ``100 * (MEAN.m(...) - low) / (high - low)``; ``tscore`` -> ``50 + 10 * (MEAN.m(...) - M) / SD``.

``tests/pspp/`` runs this file in GNU PSPP and checks every score against
:func:`scoring.responses.scores.score_scales` for every row (to 1e-9).

Strings are quoted with ``'`` (a quote inside doubled) and long labels split into pieces joined
with ``+``, so that no line is much longer than 80 characters. The file is UTF-8 with a byte
order mark, which SPSS uses to recognise the encoding.
"""

from __future__ import annotations

from pathlib import Path

from scoring.formats.atomic import replacing
from scoring.formats.spss import ExportData, ScaleScore, Variable

LINE = 78
PIECE = 60
COMMENTS = {
    "head": {
        "nb": [
            "Samklima: {label}. Laget {time} UTC.",
            "Deklarerer etiketter, manglende verdier, målenivå og formater, og regner ut skalaskårene "
            "fra leddene med skjemaenes regler.",
            "Åpne datafilen først, for eksempel med GET FILE='{data}'.",
        ],
        "en": [
            "Samklima: {label}. Made {time} UTC.",
            "Declares labels, missing values, measurement levels and formats, and computes the scale "
            "scores from the items with the rules of the instruments.",
            "Open the data file first, for example with GET FILE='{data}'.",
        ],
    },
    "head_no_scores": {  # wide files and the actions table: nothing to compute
        "nb": "Deklarerer etiketter, manglende verdier, målenivå og formater.",
        "en": "Declares labels, missing values, measurement levels and formats.",
    },
    "dictionary": {"nb": "Variabelbeskrivelser.", "en": "The dictionary."},
    "reverse": {
        "nb": "Omvendt skårede ledd: (min + maks) - x. Manglende gir systemmanglende.",
        "en": "Reverse-keyed items: (min + max) - x. Missing gives system-missing.",
    },
    "scores": {"nb": "Skalaskårer.", "en": "Scale scores."},
    "reversed_label": {"nb": "{name} omvendt skåret ({formula})", "en": "{name} reverse-keyed ({formula})"},
}


def quote(text: str) -> str:
    """An SPSS string literal; text longer than :data:`PIECE` characters is split (after a
    space where there is one) into pieces joined with ``+``."""
    pieces = []
    rest = text
    while len(rest) > PIECE:
        cut = rest.rfind(" ", PIECE // 2, PIECE) + 1 or PIECE
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return " +\n    ".join("'" + piece.replace("'", "''") + "'" for piece in pieces)


def number(value: float) -> str:
    """A number as SPSS syntax reads it: 6, 2.5, -1."""
    return format(float(value), ".15g")


def wrap(words: list[str], indent: str = "  ", first: str = "") -> str:
    """Words on lines of at most :data:`LINE` characters, continuation lines indented."""
    lines = []
    current = first
    for word in words:
        if current.strip() and len(current) + 1 + len(word) > LINE:
            lines.append(current)
            current = indent + word
        else:
            current = f"{current} {word}" if current.strip() else (current + word)
    lines.append(current)
    return "\n".join(lines)


def _comment(text: str) -> str:
    """``text`` as one comment over several lines. A comment ends at a period at the end of a
    line, so no inner line may end with one: such a line hands its last word to the next."""
    words = text.split()
    lines = wrap(words, "  ", "*").split("\n")
    for i in range(len(lines) - 1):
        while lines[i].endswith(".") and " " in lines[i].strip():
            head, last = lines[i].rsplit(" ", 1)
            lines[i], lines[i + 1] = head, f"  {last} {lines[i + 1].strip()}"
    return "\n".join(lines).rstrip(".") + "."


def _grouped(variables: list[Variable], key) -> list[tuple[object, list[str]]]:
    groups: dict[object, list[str]] = {}
    for var in variables:
        value = key(var)
        if value is not None:
            groups.setdefault(value, []).append(var.name)
    return list(groups.items())


def variable_labels(pairs: list[tuple[str, str]]) -> str:
    body = "\n  /".join(f"{name} {quote(label)}" for name, label in pairs)
    return f"VARIABLE LABELS\n  {body}.\n"


def value_labels(variables: list[Variable]) -> str:
    groups = _grouped(
        [v for v in variables if v.value_labels and not v.is_string],
        lambda v: tuple(sorted(v.value_labels.items())),
    )
    if not groups:
        return ""
    parts = []
    for labels, names in groups:
        head = wrap(names, "    ")
        body = "\n".join(f"    {number(code)} {quote(text)}" for code, text in labels)
        parts.append(f"{head}\n{body}")
    return "VALUE LABELS\n  /" + "\n  /".join(parts) + ".\n"


def _missing_list(codes: tuple[float, ...]) -> str:
    if len(codes) <= 3:
        return ", ".join(number(c) for c in codes)
    return f"{number(min(codes))} THRU {number(max(codes))}"


def missing_values(variables: list[Variable]) -> str:
    groups = _grouped([v for v in variables if v.missing], lambda v: v.missing)
    return "".join(wrap(names, "    ", "MISSING VALUES") + f" ({_missing_list(codes)}).\n" for codes, names in groups)


def variable_level(variables: list[Variable]) -> str:
    groups = _grouped(variables, lambda v: v.measure.upper())
    if not groups:
        return ""
    parts = [wrap(names, "    ") + f" ({level})" for level, names in groups]
    return "VARIABLE LEVEL\n  " + "\n  /".join(parts) + ".\n"


def formats(variables: list[Variable]) -> str:
    groups = _grouped([v for v in variables if not v.is_string], lambda v: v.format)
    if not groups:
        return ""
    parts = [wrap(names, "    ") + f" ({fmt})" for fmt, names in groups]
    return "FORMATS\n  " + "\n  /".join(parts) + ".\n"


def score_expression(spec: ScaleScore) -> str:
    """The COMPUTE expression of one score (see the module docstring)."""
    args = ", ".join(spec.keyed)
    k = len(spec.items)
    scoring = spec.scale.scoring
    if scoring == "sum":
        return f"SUM.{spec.min_valid}({args})"
    mean = f"MEAN.{spec.min_valid}({args})"
    if scoring == "mean":
        return mean
    if scoring == "prorated_sum":
        return f"{mean} * {k}"
    if scoring == "pomp":
        return f"100 * ({mean} - {number(spec.low)}) / {number(spec.high - spec.low)}"
    norms = spec.scale.norms
    return f"50 + 10 * ({mean} - {number(norms.mean)}) / {number(norms.sd)}"


def _compute(target: str, expression: str) -> str:
    return wrap(expression.split(" "), "    ", f"COMPUTE {target} =") + ".\n"


def scores_section(export: ExportData) -> str:
    lang = export.lang
    out = [_comment(COMMENTS["reverse"][lang]), "\n"]
    item_vars = {v.name: v for v in export.variables if v.kind == "item"}
    temps: list[tuple[str, str, float, float]] = []
    seen = set()
    for spec in export.scales:
        for item, temp in spec.reversed.items():
            if temp not in seen:
                seen.add(temp)
                low, high = spec.bounds[item]
                temps.append((item, temp, low, high))
    for item, temp, low, high in temps:
        out.append(f"COMPUTE {temp} = {number(low + high)} - {item}.\n")
    if temps:
        labels = [
            (temp, COMMENTS["reversed_label"][lang].format(name=item, formula=f"{number(low + high)} - x"))
            for item, temp, low, high in temps
        ]
        out.append(variable_labels(labels))
        temp_vars = [
            Variable(temp, item, "item", "", item_vars[item].measure, item_vars[item].format) for item, temp, _, _ in temps if item in item_vars
        ]
        out.append(formats(temp_vars))
        out.append(variable_level(temp_vars))
    out.append("\n" + _comment(COMMENTS["scores"][lang]) + "\n")
    for spec in export.scales:
        out.append(_comment(spec.rule) + "\n")
        out.append(_compute(spec.name, score_expression(spec)))
    if export.scales:
        out.append(variable_labels([(s.name, s.label) for s in export.scales]))
        score_vars = [Variable(s.name, s.scale.id, "score", s.label, "scale", s.format) for s in export.scales]
        out.append(formats(score_vars))
        out.append(variable_level(score_vars))
    out.append("EXECUTE.\n")
    return "".join(out)


def sps_text(export: ExportData, data_file: str = "data.sav") -> str:
    """The whole syntax file for ``export`` (``data_file`` is named in the opening comment)."""
    lang = export.lang
    time = export.exported_at.strftime("%Y-%m-%d %H:%M")
    lines = COMMENTS["head"][lang] if export.scales else [COMMENTS["head"][lang][0], COMMENTS["head_no_scores"][lang], COMMENTS["head"][lang][2]]
    head = [line.format(label=export.file_label.replace("'", "’"), time=time, data=data_file) for line in lines]
    variables = export.variables
    parts = [
        "* Encoding: UTF-8.\n",
        "\n".join(_comment(line) for line in head) + "\n\n",
        _comment(COMMENTS["dictionary"][lang]) + "\n",
        variable_labels([(v.name, v.label) for v in variables]),
        value_labels(variables),
        missing_values(variables),
        variable_level(variables),
        formats(variables),
        "\n",
        scores_section(export) if export.scales else "EXECUTE.\n",  # aggregates and actions: nothing to compute
    ]
    return "".join(parts)


def write_sps(export: ExportData, path: str | Path, data_file: str | None = None) -> Path:
    """Write the syntax as UTF-8 with a byte order mark; replaced in one step."""
    path = Path(path)
    text = sps_text(export, data_file or path.with_suffix(".sav").name)
    with replacing(path) as temp:
        Path(temp).write_text(text, encoding="utf-8-sig", newline="\n")
    return path
