"""The instrument model: a questionnaire defined as YAML data.

An :class:`Instrument` holds response scales, items, scales (with keys, scoring rule and the
minimum share answered), optional norms and the provenance of each scale. The file format is
described in ``docs/instrument-format.md``; :func:`instrument_json_schema` gives the JSON Schema
(committed as ``instruments/schema.json``). Loading and the checks that need line numbers live
in :mod:`scoring.instrument.loading`.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

LangText = dict[str, str]
"""A text in several languages, keyed by language code (``nb``, ``en``, ``nn``)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ResponseScale(_Strict):
    """An answer format. Ordinal scales label each valid code; continuous ones are sliders.

    ``min``/``max`` are the valid limits; reverse keying maps x to (min + max) - x.
    ``missing`` holds user-missing codes ("vet ikke / ikke relevant"), which must lie outside
    the valid range so that they can never be mistaken for an answer.
    """

    kind: Literal["ordinal", "continuous", "nominal"] = Field(
        description="ordinal: labelled ordered codes; continuous: visual-analogue slider; nominal: unordered codes"
    )
    min: float | None = Field(default=None, description="lowest valid answer")
    max: float | None = Field(default=None, description="highest valid answer")
    step: float = Field(default=1, gt=0, description="answers are multiples of this step from min (0.1 for one decimal)")
    labels: dict[int, LangText] = Field(default_factory=dict, description="label per code (or per end of a slider)")
    missing: dict[int, LangText] = Field(default_factory=dict, description="user-missing codes and their labels")

    @property
    def has_limits(self) -> bool:
        return self.min is not None and self.max is not None

    @property
    def valid_codes(self) -> list[float]:
        """Every valid value from min to max in steps of ``step`` (empty without limits)."""
        if not self.has_limits:
            return sorted(float(c) for c in self.labels)
        count = int(round((self.max - self.min) / self.step))
        return [round(self.min + i * self.step, 10) for i in range(count + 1)]

    @property
    def decimals(self) -> int:
        """Number of decimals an answer may have (0 for whole codes, 1 for step 0.1)."""
        return max(0, -math.floor(math.log10(self.step) + 1e-9)) if self.step < 1 else 0


class ResponseField(_Strict):
    """A non-item answer stored with a response, such as the partner service it is about."""

    id: str
    kind: Literal["partner", "text", "choice"]
    required: bool = False
    label: LangText


class Item(_Strict):
    """One question. ``reverse`` items are scored as (min + max) - x."""

    id: str = Field(description="valid SPSS variable name, unique across all bundled instruments")
    text: LangText
    response_scale: str = Field(description="name of an entry in response_scales")
    reverse: bool = False


class Provenance(_Strict):
    """Which source text (file and line range) inspired a scale."""

    source: str
    file: str
    lines: str
    note: str | None = None


class NormGroup(_Strict):
    mean: float
    sd: float = Field(gt=0)


class Norms(_Strict):
    """Reference values for a scale: T-scores, cut-offs and reliable change.

    ``status: provisional`` marks placeholders that a service must replace with its own values.
    """

    status: Literal["provisional", "local", "published"]
    mean: float | None = None
    sd: float | None = Field(default=None, gt=0)
    rxx: float | None = Field(default=None, gt=0, lt=1)
    cutoff: float | None = None
    functional: NormGroup | None = None
    dysfunctional: NormGroup | None = None
    visit_threshold: float | None = None
    provenance: str


class Scale(_Strict):
    """A scale score computed from items.

    scoring: ``mean`` of answered items; ``sum`` (all items required); ``prorated_sum`` = mean x
    number of items; ``pomp`` = 100 (mean - min) / (max - min); ``tscore`` = 50 + 10 (mean - M) / SD.
    A score is computed only when at least ``min_answered`` (a share of the items) is answered.
    """

    id: str
    name: LangText
    items: list[str]
    scoring: Literal["mean", "sum", "prorated_sum", "pomp", "tscore"] = "mean"
    min_answered: float = Field(default=0.5, gt=0, le=1, description="share of items that must be answered")
    provenance: list[Provenance] = Field(default_factory=list)
    norms: Norms | None = None
    discussion: list[LangText] = Field(default_factory=list, description="questions for the team meeting, printed in the unit report")


class Validation(_Strict):
    """The evidence behind ``status: validated``: the validation report that analysed the
    instrument (``samklima validation-report --record``, docs/validation-report.md).

    ``report`` is the report's id (it is printed on the report and derived from its numbers, so
    the same data give the same id), ``date`` the day it was made, ``round`` the survey round
    analysed, ``n`` its respondents and ``version`` the instrument version they answered.
    """

    report: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", description="id of the validation report (printed on it)")
    date: dt.date = Field(description="the day the report was made (YYYY-MM-DD)")
    round: str = Field(min_length=1, description="the survey round whose answers were analysed")
    n: int = Field(gt=0, description="respondents analysed")
    version: str | None = Field(default=None, description="the instrument version the respondents answered")


class Instrument(_Strict):
    """A questionnaire: the single source for forms, validation, scoring and exports."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: str
    status: Literal["unvalidated", "provisional", "validated"]
    audience: Literal["staff", "client"] = Field(
        default="staff",
        description="who answers: staff (anonymous rounds, the staff background questions) or client (feedback at a contact)",
    )
    language_status: dict[str, Literal["unvalidated", "provisional", "validated"]] = Field(
        default_factory=dict,
        description="status of a language version where it differs from `status` (a new translation is 'unvalidated' until reviewed)",
    )
    languages: list[str] = Field(min_length=1)
    title: LangText
    instructions: LangText | None = None
    response_scales: dict[str, ResponseScale] = Field(min_length=1)
    fields: list[ResponseField] = Field(default_factory=list)
    items: list[Item] = Field(min_length=1)
    scales: list[Scale] = Field(default_factory=list)
    validation: Validation | None = Field(
        default=None, description="the validation report behind `status: validated` (samklima validation-report --record)"
    )

    @cached_property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    def status_of(self, lang: str) -> str:
        """The validation status of the ``lang`` version: its own, else the instrument's."""
        return self.language_status.get(lang, self.status)

    def item(self, item_id: str) -> Item:
        return self._items_by_id[item_id]

    def response_scale_of(self, item_id: str) -> ResponseScale:
        return self.response_scales[self._items_by_id[item_id].response_scale]

    def scale(self, scale_id: str) -> Scale:
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise KeyError(scale_id)

    def reverse_items(self, scale: Scale) -> list[str]:
        return [i for i in scale.items if self._items_by_id[i].reverse]

    @property
    def item_prefix(self) -> str | None:
        """The common id prefix of the items up to the last ``_`` (``sk_``), if any.

        Used to tell an unknown item column (``sk_info9``) from a column passed through.
        """
        ids = self.item_ids
        common = ids[0]
        for other in ids[1:]:
            while not other.startswith(common):
                common = common[:-1]
        cut = common.rfind("_")
        return common[: cut + 1] if cut > 0 else None

    def summary(self) -> dict:
        """The JSON shape of ``samklima instruments --json``."""
        return {
            "id": self.id,
            "version": self.version,
            "title": dict(self.title),
            "languages": list(self.languages),
            "status": self.status,
            "language_status": {lang: self.status_of(lang) for lang in self.languages},
            "scales": [
                {
                    "id": s.id,
                    "name": dict(s.name),
                    "items": list(s.items),
                    "reverse": self.reverse_items(s),
                    "scoring": s.scoring,
                    "min_answered": s.min_answered,
                }
                for s in self.scales
            ],
            "items": [
                {"id": i.id, "text": dict(i.text), "response_scale": i.response_scale, "reverse": i.reverse}
                for i in self.items
            ],
        }


def instrument_json_schema() -> dict:
    """JSON Schema of the instrument format (``samklima schema``)."""
    schema = Instrument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Samklima instrument"
    schema["description"] = "A questionnaire defined as data; see docs/instrument-format.md."
    return schema
