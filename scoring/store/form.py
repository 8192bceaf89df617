"""A round's questionnaire as stored in the database, and checking one response against it.

A :class:`RoundForm` is built from the instrument definitions frozen into a round. It knows the
round's item order (the layout of ``responses.answers``), the response scale of every item and
the fields a response may carry. :meth:`RoundForm.encode` checks one submitted response with the
same limits that :func:`scoring.responses.reading.code_responses` applies to a table (valid range and
step from the item's :class:`~scoring.instrument.model.ResponseScale`, or its labelled codes, plus the
user-missing codes such as 9 = "vet ikke"), without building a DataFrame, so a submission costs
microseconds.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Mapping

from scoring.errors import Problem, UserError
from scoring.instrument.model import Instrument, ResponseScale
from scoring.responses.national_id import find_national_id, national_id_message

BACKGROUND_FIELDS = ("role", "tenure", "position", "shift")
"""Background variables a response may carry besides the instruments' own fields."""

MAX_FIELD_LENGTH = 100


@dataclass(frozen=True)
class RoundForm:
    """The instruments of a round (in order) and the item order of its stored answers."""

    instruments: tuple[Instrument, ...]

    @cached_property
    def items(self) -> tuple[str, ...]:
        return tuple(i for inst in self.instruments for i in inst.item_ids)

    @cached_property
    def versions(self) -> str:
        """``samhandlingsklima 1.0.0, medbestemmelse 1.0.0``: stored with every response."""
        return ", ".join(f"{inst.id} {inst.version}" for inst in self.instruments)

    @cached_property
    def scales(self) -> dict[str, ResponseScale]:
        return {i: inst.response_scale_of(i) for inst in self.instruments for i in inst.item_ids}

    @cached_property
    def field_ids(self) -> tuple[str, ...]:
        """Fields a response may carry: background variables, then the instruments' own fields."""
        own = [f.id for inst in self.instruments for f in inst.fields]
        return tuple(dict.fromkeys([*BACKGROUND_FIELDS, *own]))

    @cached_property
    def partner_fields(self) -> tuple[str, ...]:
        return tuple(f.id for inst in self.instruments for f in inst.fields if f.kind == "partner")

    @cached_property
    def required_fields(self) -> tuple[str, ...]:
        return tuple(f.id for inst in self.instruments for f in inst.fields if f.required)

    def definitions(self) -> list[dict]:
        return [inst.model_dump(mode="json") for inst in self.instruments]

    @cached_property
    def form_hash(self) -> str:
        """SHA-256 of the definitions: a cache key that changes whenever the form does."""
        return form_hash(self.definitions())

    def encode(self, answers: Mapping[str, Any], fields: Mapping[str, Any] | None = None) -> tuple[list, dict]:
        """Check one response; return the answers array (aligned with :attr:`items`) and fields.

        ``answers`` maps item ids to a code (int, float or numeric text); ``None`` or ``""`` is
        "not answered". A user-missing code (9 = vet ikke) is stored as given. Raises
        :class:`UserError` naming every bad item or field.
        """
        problems: list[Problem] = []
        unknown = [k for k in answers if k not in self.scales]
        if unknown:
            problems.append(Problem("not an item of this survey: " + ", ".join(map(str, unknown[:10])), path="answers", code="not_an_item"))
        row: list = []
        for item_id in self.items:
            value, problem = encode_value(answers.get(item_id), self.scales[item_id])
            if problem:
                problems.append(Problem(problem, path=item_id, code="answer_off_scale"))
            row.append(value)
        clean_fields, field_problems = self.check_fields(fields or {})
        problems += field_problems
        if problems:
            raise UserError(problems)
        return row, clean_fields

    def check_fields(self, fields: Mapping[str, Any]) -> tuple[dict, list[Problem]]:
        """The fields stripped, and the problems: unknown, too long, a national identity number
        (never stored, even in an anonymous answer), a required field left blank."""
        problems = []
        clean = {}
        allowed = set(self.field_ids)
        for key, value in fields.items():
            if key not in allowed:
                problems.append(Problem(f"unknown field (allowed: {', '.join(self.field_ids)})", path=str(key), code="unknown_field"))
                continue
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            text = str(value).strip()
            if "\x00" in text:
                problems.append(Problem("contains a NUL character (byte 0); remove it", path=key, code="text_nul"))
            elif len(text) > MAX_FIELD_LENGTH:
                problems.append(Problem(f"longer than {MAX_FIELD_LENGTH} characters", path=key, code="text_too_long", params={"max": MAX_FIELD_LENGTH}))
            elif (found := find_national_id(value)) is not None:
                problems.append(Problem(national_id_message("the answer", found), path=key, code="national_id"))
            elif text:
                clean[key] = text
        for key in self.required_fields:
            if key not in clean:
                problems.append(Problem("this field is required", path=key, code="field_required"))
        return clean, problems


def encode_value(value: Any, rs: ResponseScale) -> tuple[int | float | None, str | None]:
    """One answer as stored (int for whole codes), or ``(None, problem)`` if it is not valid."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, f"{value!r} is not an answer code"
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None, f"text {value!r} is not an answer code"
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        return None, f"{value!r} is not an answer code"
    if math.isnan(number):
        return None, None
    if number in rs.missing:
        return int(number), None
    if not on_scale(number, rs):
        limits = f"{rs.min:g}..{rs.max:g}" if rs.has_limits else ", ".join(f"{c:g}" for c in rs.valid_codes)
        missing = "".join(f", {c} = {rs.missing[c].get('nb', '')}" for c in sorted(rs.missing))
        return None, f"value {number:g} is not on the response scale ({limits}{missing})"
    if number == int(number):
        return int(number), None
    return round(number, rs.decimals), None


def on_scale(number: float, rs: ResponseScale) -> bool:
    """The rule of :func:`scoring.responses.reading.code_responses` for one value."""
    if not rs.has_limits:
        return number in {float(c) for c in rs.labels}
    steps = (number - rs.min) / rs.step
    return rs.min - 1e-9 <= number <= rs.max + 1e-9 and abs(steps - round(steps)) < 1e-6


def form_hash(definitions: list[dict]) -> str:
    text = json.dumps(definitions, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_FORMS: dict[str, RoundForm] = {}
_MAX_CACHED = 64


def cached_form(hash_value: str) -> RoundForm | None:
    """The parsed form with this hash if this process has seen it (definitions never change
    under a hash, so the cache cannot go stale)."""
    return _FORMS.get(hash_value)


def remember_form(hash_value: str, definitions: list[dict]) -> RoundForm:
    form = RoundForm(tuple(Instrument.model_validate(d) for d in definitions))
    if len(_FORMS) >= _MAX_CACHED:
        _FORMS.pop(next(iter(_FORMS)))
    _FORMS[hash_value] = form
    return form
