"""Errors a user can cause, reported as one clear message each (never a traceback).

The CLI turns :class:`UserError` into exit code 2 and prints its problems; anything else is an
internal error (exit code 1).

A problem a dashboard page may show carries a ``code`` and its ``params`` besides the English
``message``: the page writes it in its own language from :data:`scoring.messages.MESSAGES`
(:func:`scoring.messages.problem_text`), while the CLI prints the English message.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input, located as precisely as we can."""

    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: str | None = None  # field path such as ``scales[2].items[4]`` or a column name
    row: int | None = None  # 1-based data row (header not counted)
    code: str | None = None  # a key of scoring.messages.MESSAGES: the message in nb, nn and en
    params: dict = field(default_factory=dict, compare=False)  # the code's {placeholders}

    def __str__(self) -> str:
        where = []
        if self.file:
            loc = self.file
            if self.line is not None:
                loc += f":{self.line}"
                if self.column is not None:
                    loc += f":{self.column}"
            where.append(loc)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.path:
            where.append(self.path)
        prefix = ": ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class Coded(str):
    """A sentence for the command line, logs and JSON (English, or the language of an export's
    files) that also carries a ``code`` of :data:`scoring.messages.MESSAGES` and its ``params``,
    so that a page can say it in its own language (:func:`scoring.messages.coded_text`).

    It is a ``str``: code that prints, compares or serialises a reason is unchanged. A param may
    itself be :class:`Coded` (a reason inside a reason, "... in group X"); it is said in the
    page's language too.

    >>> why = Coded("too few rows (2)", "too_few_rows", rows=2)
    >>> why == "too few rows (2)", why.code, why.params
    (True, 'too_few_rows', {'rows': 2})
    """

    code: str | None
    params: dict

    def __new__(cls, message: str, code: str | None = None, /, **params):
        self = super().__new__(cls, message)
        self.code = code
        self.params = params
        return self

    def __reduce__(self):  # pickled by st.cache_data: keep the code and params
        return (_coded, (str(self), self.code, self.params))

    def to_dict(self) -> dict:
        """``{"code", "params"}`` for a result stored as JSON (params said as plain text)."""
        return {"code": self.code, "params": {k: _plain(v) for k, v in self.params.items()}}


LIBRARY_NOTE = "library_note"
"""The code of a reason whose words come from a library (an optimiser's message, an exception):
a page says a generic sentence in its own language and shows the words only as a technical detail."""


def library_reason(text) -> Coded:
    """``text`` (a library's own words, or a reason already coded) as a :class:`Coded` reason:
    a coded one is kept, any other is coded :data:`LIBRARY_NOTE` with the words as its message.

    >>> library_reason("Desired error not necessarily achieved due to precision loss.").code
    'library_note'
    """
    if isinstance(text, Coded) and text.code:
        return text
    return Coded(str(text), LIBRARY_NOTE)


def _coded(message: str, code: str | None, params: dict) -> Coded:
    return Coded(message, code, **params)


def _plain(value):
    if isinstance(value, Coded):
        return {"message": str(value), **value.to_dict()}
    return value if isinstance(value, (int, float, str, type(None))) else str(value)


def coded_to_dict(reason) -> dict | None:
    """What :func:`coded_from_dict` needs beside a reason's text: :meth:`Coded.to_dict` of a
    :class:`Coded`, None for a plain string or None."""
    return reason.to_dict() if isinstance(reason, Coded) else None


def coded_from_dict(message: str | None, data: dict | None) -> str | None:
    """The :class:`Coded` that :meth:`Coded.to_dict` stored next to ``message`` (plain ``message``
    when nothing was stored, as in results written before the codes existed)."""
    if message is None or not data or not data.get("code"):
        return message
    params = {k: coded_from_dict(v["message"], v) if isinstance(v, dict) else v for k, v in data.get("params", {}).items()}
    return Coded(message, data["code"], **params)


@dataclass
class UserError(Exception):
    """Bad input from the user: a file, a table, an option. Carries every problem found."""

    problems: list[Problem] = field(default_factory=list)
    summary: str | None = None
    summary_code: str | None = None  # the summary in nb, nn and en (scoring.messages.MESSAGES)
    summary_params: dict = field(default_factory=dict)

    @classmethod
    def single(cls, message: str, **where) -> "UserError":
        return cls([Problem(message, **where)])

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.summary:
            lines.append(self.summary)
        return "\n".join(lines)


def check_choice(value, choices, name: str, *, error: type[Exception] = UserError, path: str | None = None):
    """``value`` if it is one of ``choices``, else one error in the one wording every option uses:
    ``"<name> must be one of a, b, c, not 'x'"``.

    ``error`` is :class:`UserError` for what a person typed (a CLI option, a file's field; it
    names ``path``, by default ``name``), ``ValueError`` for a programmer calling the library.

    >>> check_choice("promax", ("oblimin", "promax"), "--rotation")
    'promax'
    >>> check_choice("quartimax", ("oblimin", "promax"), "--rotation")
    Traceback (most recent call last):
    ...
    scoring.errors.UserError: --rotation: --rotation must be one of oblimin, promax, not 'quartimax'
    """
    problem = choice_problem(value, choices, name, path=path)
    if problem is None:
        return value
    if error is UserError:
        raise UserError([problem])
    raise error(problem.message)


def choice_problem(value, choices, name: str, *, path: str | None = None) -> Problem | None:
    """The :class:`Problem` of :func:`check_choice`, for code that reports every problem at once."""
    if value in choices:
        return None
    return Problem(f"{name} must be one of {', '.join(map(str, choices))}, not '{value}'", path=path or name)
