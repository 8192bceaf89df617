"""The optional background questions asked with the staff instruments, read from data.

``instruments/background/staff.yaml`` holds the section's title and note, each question's id,
label and answer options (stored code and label in nb, nn and en), and the default staff
instruments. The web form (through its text table, :func:`text_entries`), the XLSForm, the paper
form and the synthetic samples all take the questions from here, so a changed option is changed
once. ``TITLE``, ``NOTE``, ``NO_ANSWER``, ``QUESTIONS`` (id -> label), ``CHOICES`` (id -> code ->
label) and ``CODES`` (id -> codes) are read on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ruamel.yaml import YAML

from scoring.errors import UserError


@dataclass(frozen=True)
class BackgroundQuestion:
    """One background question: ``options`` are ``(code, {lang: label})`` in display order."""

    id: str
    label: dict[str, str]
    options: tuple[tuple[str, dict[str, str]], ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.options)

    def text(self, lang: str) -> str:
        """The question in ``lang`` (bokmål when the language has none)."""
        return self.label.get(lang) or self.label["nb"]

    def option_text(self, code: str, lang: str) -> str:
        """The label of answer ``code`` in ``lang``; the code itself if it is not an option."""
        labels = dict(self.options).get(code)
        return (labels.get(lang) or labels["nb"]) if labels else str(code)


def background_file() -> Path:
    # imported lazily: the catalogue knows where the bundled instruments live
    from scoring.instrument.catalog import instruments_dir

    return instruments_dir() / "background" / "staff.yaml"


@cache
def _file() -> dict:
    path = background_file()
    try:
        return YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise UserError.single(f"the background questions cannot be read ({err})", file=str(path)) from err


def __getattr__(name: str):
    """The section's texts and the questions as tables, read from the file on first use."""
    if name in ("TITLE", "NOTE", "NO_ANSWER"):
        return dict(_file()[name.lower()])
    if name == "QUESTIONS":
        return {q.id: q.label for q in staff_background()}
    if name == "CHOICES":
        return {q.id: dict(q.options) for q in staff_background()}
    if name == "CODES":
        return background_choices()
    raise AttributeError(name)


def text_entries() -> dict[str, dict[str, str]]:
    """The answer page's text-table entries for the section: ``respond_about_title``,
    ``respond_about_note``, ``respond_no_answer``, ``respond_field_<question>`` and
    ``respond_<question>_<code>``."""
    data = _file()
    entries = {"respond_about_title": dict(data["title"]), "respond_about_note": dict(data["note"]), "respond_no_answer": dict(data["no_answer"])}
    for question in staff_background():
        entries[f"respond_field_{question.id}"] = question.label
        entries.update({f"respond_{question.id}_{code}": labels for code, labels in question.options})
    return entries


@cache
def staff_background() -> tuple[BackgroundQuestion, ...]:
    """The staff background questions, in order.

    >>> [q.id for q in staff_background()]
    ['role', 'tenure', 'position']
    >>> staff_background()[1].option_text("<1", "nn")
    'Under 1 år'
    """
    try:
        return tuple(
            BackgroundQuestion(str(q["id"]), dict(q["label"]), tuple((str(o["code"]), dict(o["label"])) for o in q["options"]))
            for q in _file()["questions"]
        )
    except (KeyError, TypeError) as err:
        raise UserError.single(f"the background questions cannot be read ({err})", file=str(background_file())) from err


@cache
def default_staff_instruments() -> tuple[str, ...]:
    """The staff instruments a new round offers by default, in form order (``instruments:`` in
    the staff file); each must be a bundled instrument answered by staff.

    >>> default_staff_instruments()
    ('samhandlingsklima', 'medbestemmelse')
    """
    from scoring.instrument.catalog import staff_instruments

    path = background_file()
    listed = tuple(_file().get("instruments") or ())
    unknown = [i for i in listed if i not in staff_instruments()]
    if unknown:
        raise UserError.single(f"not a bundled staff instrument: {', '.join(unknown)}", file=str(path), path="instruments")
    return listed


def background_choices() -> dict[str, tuple[str, ...]]:
    """``{question id: stored codes}``.

    >>> background_choices()["position"]
    ('<50', '50-79', '80-99', '100')
    """
    return {q.id: q.codes for q in staff_background()}


def background_question(question_id: str) -> BackgroundQuestion:
    """The background question ``question_id``."""
    return {q.id: q for q in staff_background()}[question_id]
