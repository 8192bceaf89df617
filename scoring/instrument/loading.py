"""Load and validate instrument YAML files, reporting every problem with its line and column.

The YAML is parsed once into ruamel.yaml's node tree, which keeps the position of every key
and list entry, so that a problem found by pydantic (``scales[2].items[4]``) or by the checks
below can be reported as ``file:line:column: scales[2].items[4]: what is wrong``; the plain
data handed to pydantic is built from the same nodes by the safe constructor.

Before parsing, a file is refused if it is larger than :data:`MAX_BYTES`. While it is parsed,
the composer refuses YAML anchors (``&x``) and aliases (``*x``) and nesting deeper than
:data:`MAX_DEPTH` as soon as it meets them, before anything below them is built. Aliases are
what make a "billion laughs" file: nine lines that name each other ten times over expand to
10**9 strings when the data is walked; refusing them at the first ``&`` makes such a file fail
at once, with no memory used. Instrument files never need them (every text is written out),
and deep nesting only slows the parser and overflows the composer's recursion.

One parse, not three (a token scan for the checks, a compose for the keys and a round-trip
load used to read the file three times): the pure-Python scanner is what ``samklima validate``
spends its time on.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.scanner import Scanner

from scoring.errors import Problem, UserError
from scoring.instrument.model import Instrument, ResponseScale
from scoring.instrument.spss_names import spss_name_problem

PathKey = tuple[Any, ...]

MAX_BYTES = 1_000_000
"""The largest instrument file read (1 MB; the bundled ones are under 20 kB)."""
MAX_DEPTH = 32
"""The deepest nesting of mappings and lists allowed (the schema needs 6)."""


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
        data, positions = _parse(text)
    except _Refused as err:
        return None, [Problem(err.message, file=name, line=err.mark.line + 1, column=err.mark.column + 1)]
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

    locate = _Locator(name, positions)
    try:
        instrument = Instrument.model_validate(data)
    except ValidationError as err:
        return None, [locate(loc, _pydantic_message(e)) for e in err.errors() for loc in [e["loc"]]]
    problems = [locate(loc, msg) for loc, msg in semantic_problems(instrument)]
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return (None if problems else instrument), problems


class _Refused(Exception):
    """A construct instrument files may not use, with where it starts."""

    def __init__(self, message: str, mark):
        super().__init__(message)
        self.message, self.mark = message, mark


class _GuardedComposer(Composer):
    """ruamel.yaml's composer, refusing an anchor, an alias or too deep a nesting at the event
    that brings it, before anything is composed below it (the parser and scanner build no
    nesting of their own, so a file of 200,000 ``[`` stops at the 33rd)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            raise _Refused(f"YAML alias '*{event.anchor}' is not allowed in an instrument file (no anchors or aliases); write the value out in full", event.start_mark)
        if event.anchor is not None:
            raise _Refused(f"YAML anchor '&{event.anchor}' is not allowed in an instrument file (no anchors or aliases); write the value out in full", event.start_mark)
        if isinstance(event, CollectionStartEvent) and self.depth >= MAX_DEPTH:  # depth: the enclosing nodes
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep; an instrument file needs no more than 6", event.start_mark)
        return super().compose_node(parent, index)


class _GuardedScanner(Scanner):
    """ruamel.yaml's scanner, refusing a flow collection (``[`` or ``{``) nested deeper than
    :data:`MAX_DEPTH`. Every ``[`` may start a key, so the scanner reads up to 1024 characters
    ahead before it hands the parser the first one, and each step of that costs as much as the
    keys still open: a line of ``[`` would cost about a second before the composer sees it."""

    def fetch_flow_collection_start(self, TokenClass: Any, to_push: Any) -> None:
        if self.flow_level >= MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep; an instrument file needs no more than 6", self.reader.get_mark())
        super().fetch_flow_collection_start(TokenClass, to_push)


def _parse(text: str) -> tuple[Any, dict[PathKey, tuple[int, int]]]:
    """The file's data as plain dicts, lists and scalars, and the position of every path in it.

    Raises :class:`_Refused` for an anchor, an alias, too deep a nesting or a key that is a
    mapping or a list, and ruamel.yaml's errors for YAML that does not parse."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Scanner, yaml.Composer = _GuardedScanner, _GuardedComposer
    node = yaml.compose(text)
    if node is None:  # an empty file or only comments
        return None, {}
    _check_keys(node)
    data = yaml.constructor.construct_document(node)
    return data, _positions(node, data)


def _check_keys(root: Node) -> None:
    """Refuse the first mapping key that is itself a mapping or a list (``{a: b}: c``,
    ``[x]: y``): valid YAML, but no instrument has one, and no dict can hold it."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if not isinstance(key, ScalarNode):
                    raise _Refused("a key must be a plain name, not a mapping or a list", key.start_mark)
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)


def semantic_problems(inst: Instrument) -> Iterable[tuple[PathKey, str]]:
    """Checks across fields that the pydantic types cannot express."""
    yield from _language_problems(inst)
    yield from _response_scale_problems(inst)
    yield from _id_problems(inst)
    yield from _scale_problems(inst)
    if inst.status == "validated" and inst.validation is None:
        yield ("status",), "status 'validated' needs a 'validation:' block naming the report that shows it (samklima validation-report --record)"


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


def _positions(node: Node, data: Any, prefix: PathKey = ()) -> dict[PathKey, tuple[int, int]]:
    """Map each path (keys and list indexes) to its 0-based (line, column) in the YAML text: a
    key holding a scalar at the key, one holding a mapping or list (and a list entry) where
    that value starts. ``data`` is what the constructor built from ``node``; a mapping's keys
    come in the nodes' order (a repeated key is a YAML error before this)."""
    out: dict[PathKey, tuple[int, int]] = {}
    if isinstance(node, MappingNode):
        for (key_node, value_node), key in zip(node.value, data):
            out[prefix + (key,)] = (key_node.start_mark.line, key_node.start_mark.column)
            out.update(_positions(value_node, data[key], prefix + (key,)))
    elif isinstance(node, SequenceNode):
        for i, (value_node, value) in enumerate(zip(node.value, data)):
            out[prefix + (i,)] = (value_node.start_mark.line, value_node.start_mark.column)
            out.update(_positions(value_node, value, prefix + (i,)))
    if isinstance(node, (MappingNode, SequenceNode)):
        out[prefix] = (node.start_mark.line, node.start_mark.column)
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
