"""Load and validate instrument YAML files, reporting every problem with its line and column.

The YAML is read with ruamel.yaml's round-trip loader, which keeps the position of every key
and list entry, so that a problem found by pydantic (``scales[2].items[4]``) or by the checks
below can be reported as ``file:line:column: scales[2].items[4]: what is wrong``.

Before parsing, a file is refused if it is larger than :data:`MAX_BYTES`, and its tokens are
scanned (the scanner does not build anything) for YAML anchors (``&x``) and aliases (``*x``)
and for nesting deeper than :data:`MAX_DEPTH`. Aliases are what make a "billion laughs" file:
nine lines that name each other ten times over expand to 10**9 strings when the data is
walked; refusing them at the first ``&`` makes such a file fail at once, with no memory used.
Instrument files never need them (every text is written out), and deep nesting only slows the
scanner and overflows the composer's recursion.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.tokens import (
    AliasToken,
    AnchorToken,
    BlockEndToken,
    BlockMappingStartToken,
    BlockSequenceStartToken,
    FlowMappingEndToken,
    FlowMappingStartToken,
    FlowSequenceEndToken,
    FlowSequenceStartToken,
)

from scoring.errors import Problem, UserError
from scoring.instrument.model import Instrument, ResponseScale
from scoring.instrument.spss_names import spss_name_problem

PathKey = tuple[Any, ...]

MAX_BYTES = 1_000_000
"""The largest instrument file read (1 MB; the bundled ones are under 20 kB)."""
MAX_DEPTH = 32
"""The deepest nesting of mappings and lists allowed (the schema needs 6)."""
_OPENS = (BlockMappingStartToken, BlockSequenceStartToken, FlowMappingStartToken, FlowSequenceStartToken)
_CLOSES = (BlockEndToken, FlowMappingEndToken, FlowSequenceEndToken)


def load_instrument(path: str | Path) -> Instrument:
    """Load an instrument file; raise :class:`UserError` listing every problem found."""
    instrument, problems = check_instrument_file(path)
    if problems:
        raise UserError(problems)
    assert instrument is not None
    return instrument


def check_instrument_file(path: str | Path) -> tuple[Instrument | None, list[Problem]]:
    """Parse and validate one file; return the instrument (if valid) and the problems."""
    path = Path(path)
    name = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # never more, whatever the file is
    except FileNotFoundError:
        return None, [Problem("file not found", file=name)]
    except OSError as err:
        return None, [Problem(f"cannot read the file: {err.strerror}", file=name)]
    if len(raw) > MAX_BYTES:
        return None, [Problem(f"the file is larger than {MAX_BYTES:,} bytes (1 MB), the limit for an instrument file", file=name)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, [Problem(f"not UTF-8 text ({err.reason} at byte {err.start})", file=name)]
    try:
        structure = _structure_problem(text, name) or _key_problem(text, name)
        if structure is not None:
            return None, [structure]
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        what = " ".join(x for x in (err.context, err.problem) if x)
        return None, [Problem(f"YAML syntax error: {what}", file=name, line=line, column=col)]
    except YAMLError as err:
        return None, [Problem(f"YAML error: {err}", file=name)]
    if not isinstance(data, dict):
        return None, [Problem("an instrument file must be a YAML mapping (id:, version:, items: ...)", file=name, line=1, column=1)]

    positions = _positions(data)
    locate = _Locator(name, positions)
    try:
        instrument = Instrument.model_validate(_plain(data))
    except ValidationError as err:
        return None, [locate(loc, _pydantic_message(e)) for e in err.errors() for loc in [e["loc"]]]
    problems = [locate(loc, msg) for loc, msg in semantic_problems(instrument)]
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return (None if problems else instrument), problems


def _structure_problem(text: str, file: str) -> Problem | None:
    """The first anchor, alias or too-deep nesting in ``text``, found from the scanner's tokens
    (linear in the file, nothing is built); ``None`` if there is none."""
    depth = 0
    for token in YAML(typ="rt").scan(text):
        mark = token.start_mark
        where = dict(file=file, line=mark.line + 1, column=mark.column + 1)
        if isinstance(token, AnchorToken):
            return Problem(f"YAML anchor '&{token.value}' is not allowed in an instrument file (no anchors or aliases); write the value out in full", **where)
        if isinstance(token, AliasToken):
            return Problem(f"YAML alias '*{token.value}' is not allowed in an instrument file (no anchors or aliases); write the value out in full", **where)
        if isinstance(token, _OPENS):
            depth += 1
            if depth > MAX_DEPTH:
                return Problem(f"nested more than {MAX_DEPTH} levels deep; an instrument file needs no more than 6", **where)
        elif isinstance(token, _CLOSES):
            depth -= 1
    return None


def _key_problem(text: str, file: str) -> Problem | None:
    """The first mapping key that is itself a mapping or a list (``{a: b}: c``, ``[x]: y``):
    valid YAML, but no instrument has one, and the YAML loader cannot even build it."""
    stack = [YAML(typ="rt").compose(text)]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if not isinstance(key, ScalarNode):
                    mark = key.start_mark
                    return Problem("a key must be a plain name, not a mapping or a list", file=file, line=mark.line + 1, column=mark.column + 1)
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return None


def semantic_problems(inst: Instrument) -> Iterable[tuple[PathKey, str]]:
    """Checks across fields that the pydantic types cannot express."""
    yield from _language_problems(inst)
    yield from _response_scale_problems(inst)
    yield from _id_problems(inst)
    yield from _scale_problems(inst)


def _language_problems(inst: Instrument) -> Iterable[tuple[PathKey, str]]:
    """Every text of the instrument must exist in every declared language; a language status
    only for a declared language."""
    for lang in inst.language_status:
        if lang not in inst.languages:
            yield ("language_status", lang), f"'{lang}' has a status but is not a declared language"
    for text, loc in _texts(inst):
        if text is None:
            continue
        for lang in inst.languages:
            if not str(text.get(lang, "")).strip():
                yield loc, f"no '{lang}' text, but '{lang}' is a declared language"


def _texts(inst: Instrument) -> Iterable[tuple[dict | None, PathKey]]:
    """Every translated text of ``inst`` with where it is in the file."""
    yield inst.title, ("title",)
    yield inst.instructions, ("instructions",)
    for name, rs in inst.response_scales.items():
        yield from ((label, ("response_scales", name, "labels", code)) for code, label in rs.labels.items())
        yield from ((label, ("response_scales", name, "missing", code)) for code, label in rs.missing.items())
    yield from ((f.label, ("fields", i, "label")) for i, f in enumerate(inst.fields))
    yield from ((item.text, ("items", i, "text")) for i, item in enumerate(inst.items))
    for i, scale in enumerate(inst.scales):
        yield scale.name, ("scales", i, "name")
        yield from ((question, ("scales", i, "discussion", j)) for j, question in enumerate(scale.discussion))


def _response_scale_problems(inst: Instrument) -> Iterable[tuple[PathKey, str]]:
    for name, rs in inst.response_scales.items():
        loc = ("response_scales", name)
        if rs.kind in ("ordinal", "continuous") and not rs.has_limits:
            yield loc, f"a {rs.kind} response scale needs both min and max"
            continue
        if rs.kind == "nominal" and not rs.labels:
            yield loc, "a nominal response scale needs labels for its codes"
        if not rs.has_limits:
            continue
        yield from _range_problems(rs, loc)


def _range_problems(rs: ResponseScale, loc: PathKey) -> Iterable[tuple[PathKey, str]]:
    """Problems of a response scale with limits: their order, the step, missing-value codes
    inside and labels outside the range, unlabelled codes of an ordinal scale."""
    if rs.min >= rs.max:
        yield loc + ("min",), f"min ({rs.min:g}) must be below max ({rs.max:g})"
        return
    span = (rs.max - rs.min) / rs.step
    if abs(span - round(span)) > 1e-9:
        yield loc + ("step",), f"step {rs.step:g} does not divide the range {rs.min:g}..{rs.max:g}"
    for code in rs.missing:
        if rs.min <= code <= rs.max:
            yield loc + ("missing", code), (
                f"missing-value code {code} lies inside the valid range {rs.min:g}..{rs.max:g}; "
                "it would be mistaken for an answer"
            )
    for code in rs.labels:
        if not rs.min <= code <= rs.max:
            yield loc + ("labels", code), f"label for code {code} outside the valid range {rs.min:g}..{rs.max:g}"
    if rs.kind == "ordinal":
        missing = [c for c in rs.valid_codes if c not in {float(k) for k in rs.labels}]
        if missing:
            yield loc + ("labels",), "an ordinal scale labels every code; no label for " + ", ".join(f"{c:g}" for c in missing)


def _id_problems(inst: Instrument) -> Iterable[tuple[PathKey, str]]:
    ids: list[tuple[PathKey, str]] = [(("items", i, "id"), item.id) for i, item in enumerate(inst.items)]
    ids += [(("scales", i, "id"), scale.id) for i, scale in enumerate(inst.scales)]
    ids += [(("fields", i, "id"), f.id) for i, f in enumerate(inst.fields)]
    first_seen: dict[str, str] = {}
    for loc, ident in ids:
        problem = spss_name_problem(ident)
        if problem:
            yield loc, f"id {problem}"
        key = ident.lower()
        if key in first_seen:
            other = first_seen[key]
            same = "duplicate id" if other == ident else f"id '{ident}' differs only in case from '{other}'"
            yield loc, f"{same} (item, scale and field ids share one namespace and must be unique ignoring case)"
        else:
            first_seen[key] = ident
    for i, item in enumerate(inst.items):
        if item.response_scale not in inst.response_scales:
            known = ", ".join(inst.response_scales)
            yield ("items", i, "response_scale"), f"unknown response scale '{item.response_scale}' (known: {known})"
        elif item.reverse and not inst.response_scales[item.response_scale].has_limits:
            yield ("items", i, "reverse"), (
                f"item '{item.id}' is reverse-keyed but response scale '{item.response_scale}' has no numeric min/max"
            )


def _scale_problems(inst: Instrument) -> Iterable[tuple[PathKey, str]]:
    known = {item.id: item for item in inst.items}
    for s, scale in enumerate(inst.scales):
        loc = ("scales", s)
        if not scale.items:
            yield loc + ("items",), "a scale needs at least one item"
        for j, count in Counter(scale.items).items():
            if count > 1:
                yield loc + ("items", scale.items.index(j)), f"item '{j}' listed {count} times"
        scored = []
        for k, item_id in enumerate(scale.items):
            if item_id not in known:
                yield loc + ("items", k), f"unknown item '{item_id}'"
                continue
            rs = inst.response_scales.get(known[item_id].response_scale)
            if rs is not None and rs.kind == "nominal":
                yield loc + ("items", k), f"item '{item_id}' has a nominal response scale and cannot be scored"
            elif rs is not None:
                scored.append(rs)
        if len({(r.min, r.max) for r in scored}) > 1 and scale.scoring in ("pomp", "tscore", "mean"):
            yield loc + ("items",), "items of one scale must share one response range"
        if scale.scoring == "sum" and scale.min_answered < 1:
            yield loc + ("min_answered",), (
                "scoring 'sum' needs min_answered: 1 (every item answered); use 'prorated_sum' to allow missing items"
            )
        if scale.scoring == "tscore" and (scale.norms is None or scale.norms.mean is None or scale.norms.sd is None):
            yield loc + ("norms",), "scoring 'tscore' needs norms with mean and sd"


def check_unique_across(instruments: list[tuple[str, Instrument]]) -> list[Problem]:
    """Item and scale ids must be unique across instruments, so one row can hold several."""
    owner: dict[str, str] = {}
    problems = []
    for file, inst in instruments:
        for ident in inst.item_ids + [s.id for s in inst.scales]:
            key = ident.lower()
            if key in owner and owner[key] != inst.id:
                problems.append(Problem(f"id '{ident}' is also used by instrument '{owner[key]}'", file=file))
            owner.setdefault(key, inst.id)
    return problems


# --- positions -------------------------------------------------------------------------


def _positions(node: Any, prefix: PathKey = ()) -> dict[PathKey, tuple[int, int]]:
    """Map each path (keys and list indexes) to its 0-based (line, column) in the YAML text."""
    out: dict[PathKey, tuple[int, int]] = {}
    if isinstance(node, CommentedMap):
        for key in node:
            try:
                out[prefix + (key,)] = tuple(node.lc.key(key))  # type: ignore[assignment]
            except (KeyError, TypeError):
                out[prefix + (key,)] = (node.lc.line, node.lc.col)
            out.update(_positions(node[key], prefix + (key,)))
        out.setdefault(prefix, (node.lc.line, node.lc.col))
    elif isinstance(node, CommentedSeq):
        for i, value in enumerate(node):
            out[prefix + (i,)] = tuple(node.lc.item(i))  # type: ignore[assignment]
            out.update(_positions(value, prefix + (i,)))
        out.setdefault(prefix, (node.lc.line, node.lc.col))
    return out


class _Locator:
    def __init__(self, file: str, positions: dict[PathKey, tuple[int, int]]):
        self.file = file
        self.positions = positions

    def __call__(self, loc: PathKey, message: str) -> Problem:
        loc = tuple(loc)
        for cut in range(len(loc), -1, -1):
            pos = self.positions.get(loc[:cut]) or self._lookup_loose(loc[:cut])
            if pos is not None:
                return Problem(message, file=self.file, line=pos[0] + 1, column=pos[1] + 1, path=format_path(loc) or None)
        return Problem(message, file=self.file, path=format_path(loc) or None)

    def _lookup_loose(self, loc: PathKey):
        # pydantic reports dict keys as parsed (int 9), YAML may hold them as str '9'.
        for key, pos in self.positions.items():
            if len(key) == len(loc) and all(str(a) == str(b) for a, b in zip(key, loc)):
                return pos
        return None


def format_path(loc: PathKey) -> str:
    """``('scales', 2, 'items', 4)`` -> ``scales[2].items[4]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _pydantic_message(error: dict) -> str:
    kind = error["type"]
    if kind == "missing":
        return f"required field '{error['loc'][-1]}' is missing"
    if kind == "extra_forbidden":
        return f"unknown field '{error['loc'][-1]}'"
    return error["msg"][0].lower() + error["msg"][1:] + (f" (got {error['input']!r})" if "input" in error and not isinstance(error["input"], (dict, list)) else "")


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node
