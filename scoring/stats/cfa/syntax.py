"""lavaan-style model syntax for confirmatory factor analysis.

A model is text with one statement per line (``;`` also separates statements)::

    climate =~ sk1 + sk2 + sk3      # a factor and its indicators
    trust   =~ sk4 + sk5 + NA*sk6   # NA* frees a loading, 1* fixes it, a label equates it
    climate ~~ 0*trust              # (co)variance between factors or between residuals

Supported operators are ``=~`` (is measured by) and ``~~`` (is correlated with). Modifiers
before a variable name are a number (fixed value), ``NA`` (free) or a label (parameters with
the same label are constrained equal), as in lavaan (Rosseel 2012, *J. Stat. Softw.* 48(2)).
Comments start with ``#`` or ``!``. Problems raise :class:`scoring.errors.UserError` naming the
model line.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from scoring.errors import Problem, UserError

_NAME = r"[A-Za-z_.\u00C0-\u024F][A-Za-z0-9_.\u00C0-\u024F]*"
_NAME_RE = re.compile(rf"^{_NAME}$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_UNSUPPORTED = ("~1", ":=", "==", "<~", "|", "<", ">", "~*~")


@dataclass(frozen=True)
class Term:
    """One right-hand-side variable with its modifier.

    ``fixed``: the value it is fixed to (None when not fixed); ``free``: ``NA*`` asked for a free
    parameter; ``label``: equality label (None when unlabelled).
    """

    name: str
    fixed: float | None = None
    free: bool = False
    label: str | None = None


@dataclass(frozen=True)
class Statement:
    """``lhs op term + term ...`` as written on model line ``line`` (1-based)."""

    lhs: str
    op: str
    terms: tuple[Term, ...]
    line: int
    text: str


@dataclass(frozen=True)
class ModelSpec:
    """A parsed model: the statements in the order written."""

    statements: tuple[Statement, ...]

    @property
    def factors(self) -> list[str]:
        """Latent variables (left of ``=~``) in order of first appearance."""
        out: list[str] = []
        for st in self.statements:
            if st.op == "=~" and st.lhs not in out:
                out.append(st.lhs)
        return out

    @property
    def observed(self) -> list[str]:
        """Observed variables (indicators and variables in ``~~``) in order of first appearance."""
        latent = set(self.factors)
        out: list[str] = []
        for st in self.statements:
            names = [t.name for t in st.terms] if st.op == "=~" else [st.lhs] + [t.name for t in st.terms]
            for name in names:
                if name not in latent and name not in out:
                    out.append(name)
        return out

    def indicators(self, factor: str) -> list[Term]:
        return [t for st in self.statements if st.op == "=~" and st.lhs == factor for t in st.terms]

    def statement_of(self, name: str) -> Statement:
        """The first statement that mentions ``name``."""
        return next(st for st in self.statements if st.lhs == name or any(t.name == name for t in st.terms))

    def text(self) -> str:
        return "\n".join(st.text for st in self.statements)


def _problem(message: str, line: int, text: str) -> Problem:
    return Problem(f"{message} in `{text}`", line=line, path=f"model line {line}")


def _parse_term(raw: str, line: int, text: str) -> Term:
    parts = [p.strip() for p in raw.split("*")]
    if len(parts) == 1:
        name, modifier = parts[0], None
    elif len(parts) == 2:
        modifier, name = parts
    else:
        raise UserError([_problem(f"more than one modifier in '{raw.strip()}'", line, text)])
    if not name:
        raise UserError([_problem("a variable name is missing", line, text)])
    if not _NAME_RE.match(name):
        raise UserError([_problem(f"'{name}' is not a variable name", line, text)])
    if modifier is None:
        return Term(name)
    if modifier in ("NA", "na"):
        return Term(name, free=True)
    if _NUMBER_RE.match(modifier):
        value = float(modifier)
        if not math.isfinite(value):
            raise UserError([_problem(f"the fixed value '{modifier}' is not finite", line, text)])
        return Term(name, fixed=value)
    if _NAME_RE.match(modifier):
        return Term(name, label=modifier)
    raise UserError([_problem(f"cannot read the modifier '{modifier}' (use a number, NA or a label)", line, text)])


def _statements(model: str):
    """(line number, statement text) for every non-empty statement; ';' splits a line."""
    for number, raw in enumerate(model.replace("\r\n", "\n").split("\n"), start=1):
        code = re.split(r"[#!]", raw, maxsplit=1)[0]
        for piece in code.split(";"):
            piece = piece.strip()
            if piece:
                yield number, piece


def parse_model(model: str) -> ModelSpec:
    """Parse lavaan-style CFA syntax into a :class:`ModelSpec`.

    Raises :class:`UserError` for empty models, unsupported operators (regressions ``~``,
    intercepts ``~1``, defined parameters ``:=``, thresholds ``|``, constraints), bad names or
    modifiers, an indicator listed twice for one factor, and factors used as indicators
    (higher-order models are not supported).
    """
    problems: list[Problem] = []
    statements: list[Statement] = []
    for line, text in _statements(model or ""):
        try:
            statements.append(_parse_statement(line, text))
        except UserError as err:
            problems += err.problems
    if problems:
        raise UserError(problems)
    if not any(st.op == "=~" for st in statements):
        raise UserError.single("the model defines no factor (write e.g. `f =~ a + b + c`)", path="model")
    spec = ModelSpec(tuple(statements))
    problems += _structure_problems(spec)
    if problems:
        raise UserError(problems)
    return spec


def _parse_statement(line: int, text: str) -> Statement:
    for op in ("=~", "~~"):
        if op in text:
            lhs, _, rhs = text.partition(op)
            break
    else:
        bad = next((u for u in _UNSUPPORTED if u in text), None)
        if bad is None and "~" in text:
            bad = "~"
        if bad is not None:
            raise UserError([_problem(f"the operator '{bad}' is not supported (use =~ and ~~)", line, text)])
        raise UserError([_problem("no operator (expected `factor =~ item + item` or `a ~~ b`)", line, text)])
    lhs = lhs.strip()
    if not _NAME_RE.match(lhs):
        raise UserError([_problem(f"'{lhs}' is not a variable name", line, text)])
    if any(u in rhs for u in ("=~", "~~", "~")):
        raise UserError([_problem("more than one operator", line, text)])
    pieces = rhs.split("+")
    if any(not p.strip() for p in pieces):
        raise UserError([_problem("a term is missing (check the '+' signs)", line, text)])
    terms = tuple(_parse_term(p, line, text) for p in pieces)
    return Statement(lhs, op, terms, line, text)


def _structure_problems(spec: ModelSpec) -> list[Problem]:
    problems = []
    latent = set(spec.factors)
    seen: dict[tuple[str, str], int] = {}
    for st in spec.statements:
        if st.op != "=~":
            continue
        for t in st.terms:
            if t.name in latent:
                problems.append(
                    _problem(f"'{t.name}' is a factor; higher-order factors are not supported", st.line, st.text)
                )
            if t.name == st.lhs:
                problems.append(_problem(f"the factor '{st.lhs}' cannot indicate itself", st.line, st.text))
            key = (st.lhs, t.name)
            if key in seen:
                problems.append(_problem(f"'{t.name}' is listed twice for '{st.lhs}'", st.line, st.text))
            seen[key] = st.line
    for st in spec.statements:
        if st.op != "~~":
            continue
        for t in st.terms:
            if (st.lhs in latent) != (t.name in latent):
                problems.append(
                    _problem(f"'{st.lhs} ~~ {t.name}' mixes a factor and an observed variable", st.line, st.text)
                )
    return problems
