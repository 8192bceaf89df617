"""The optional background questions asked with the staff instruments, read from data.

``instruments/background/staff.yaml`` holds the section's title and note, each question's id,
label and answer options (stored code and label in nb, nn and en), and the default staff
instruments. The web form (through its text table, :func:`text_entries`), the XLSForm, the paper
form and the synthetic samples all take the questions from here, so a changed option is changed
once.
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


def section_texts() -> dict[str, dict[str, str]]:
    """The section's ``title``, ``note`` and ``no_answer`` texts, ``{lang: text}`` each.

    >>> section_texts()["title"]["nn"]
    'Om deg'
    """
    data = _file()
    return {key: dict(data[key]) for key in ("title", "note", "no_answer")}


def text_entries() -> dict[str, dict[str, str]]:
    """The answer page's text-table entries for the section: ``respond_about_title``,
    ``respond_about_note``, ``respond_no_answer``, ``respond_field_<question>`` and
    ``respond_<question>_<code>``."""
    texts = section_texts()
    entries = {"respond_about_title": texts["title"], "respond_about_note": texts["note"], "respond_no_answer": texts["no_answer"]}
    for question in staff_background():
        entries[f"respond_field_{question.id}"] = question.label
        entries.update({f"respond_{question.id}_{code}": labels for code, labels in question.options})
    return entries


@cache
def staff_background() -> tuple[BackgroundQuestion, ...]:
    """The staff background questions, in order.

    >>> [q.id for q in staff_background()]
    ['role', 'tenure', 'position']
    >>> dict(staff_background()[1].options)["<1"]["nn"]
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
