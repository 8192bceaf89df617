"""Alerts on a client's feedback, each explained in one sentence (nb and en).

An alert concerns one contact. The rules (defaults in :class:`AlertRules`, all configurable):

``deterioration``
    The outcome total is reliably below the intake score: RC from intake < -1.96
    (Jacobson & Truax 1991; :mod:`scoring.feedback.change`).
``no_change``
    From contact ``no_change_after`` (default 4: three contacts after the intake) the outcome
    total is still within the reliable-change band around the intake score (|RC| <= 1.96).
    Most change in feedback-informed work comes early, and Miller, Duncan and colleagues'
    practice is to discuss the lack of change around the third or fourth session; a service can
    choose another number.
``low_visit``
    The visit total is below the visit threshold stored with the visit instrument (``norms.
    visit_threshold``; provisional 36 of 40).
``visit_drop``
    The visit total is at least ``visit_drop`` points (default 3) below the client's own
    previous visit total. The default is deliberately below the visit scale's minimal reliable
    difference (about 5.4 points with SD 5 and rxx .85): a falling alliance rating is worth a
    question before it is statistically reliable.
``visit_ceiling``
    Every visit item is at its maximum (all 10): no variation at the ceiling, which may say
    more about politeness than about the visit (SIB 2413-2433).
``outcome_ceiling``
    Every outcome item is at its maximum: the scale cannot show improvement from there.

Alerts are found for all clients at once from :func:`scoring.feedback.clients.contact_table` with
boolean masks; only the messages are formatted row by row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from scoring.errors import UserError, check_choice
from scoring.feedback.defaults import DEFAULT_NO_CHANGE_AFTER, DEFAULT_VISIT_DROP, LANGUAGES
from scoring.reporting import numbers

ALERT_KINDS = ("deterioration", "no_change", "low_visit", "visit_drop", "visit_ceiling", "outcome_ceiling")
_TOTAL_OF = {
    "deterioration": "outcome_total",
    "no_change": "outcome_total",
    "low_visit": "visit_total",
    "visit_drop": "visit_total",
    "visit_ceiling": "visit_total",
    "outcome_ceiling": "outcome_total",
}

MESSAGES: dict[str, dict[str, str]] = {
    "deterioration": {
        "nb": "Totalskåren for hverdagen har falt fra {intake} ved oppstart til {value} ved kontakt {contact}, "
        "en pålitelig forverring (RC = {rc}; en endring må være større enn {mrd} poeng for å være pålitelig).",
        "nn": "Totalskåren for kvardagen har falle frå {intake} ved oppstart til {value} ved kontakt {contact}, "
        "ei påliteleg forverring (RC = {rc}; ei endring må vere større enn {mrd} poeng for å vere påliteleg).",
        "en": "The outcome total has fallen from {intake} at intake to {value} at contact {contact}, "
        "a reliable deterioration (RC = {rc}; a change must exceed {mrd} points to be reliable).",
    },
    "no_change": {
        "nb": "Ved kontakt {contact} er totalskåren for hverdagen ({value}) fortsatt innenfor {mrd} poeng fra oppstart ({intake}), "
        "så det er ennå ingen pålitelig endring (RC = {rc}).",
        "nn": "Ved kontakt {contact} er totalskåren for kvardagen ({value}) framleis innanfor {mrd} poeng frå oppstart ({intake}), "
        "så det er enno inga påliteleg endring (RC = {rc}).",
        "en": "At contact {contact} the outcome total ({value}) is still within {mrd} points of the intake score ({intake}), "
        "so there is no reliable change yet (RC = {rc}).",
    },
    "low_visit": {
        "nb": "Totalskåren for samtalen/besøket ved kontakt {contact} var {value}, under terskelen på {threshold}.",
        "nn": "Totalskåren for samtalen/besøket ved kontakt {contact} var {value}, under terskelen på {threshold}.",
        "en": "The visit total at contact {contact} was {value}, below the threshold of {threshold}.",
    },
    "visit_drop": {
        "nb": "Totalskåren for samtalen/besøket falt fra {previous} ved kontakt {previous_contact} til {value} ved kontakt {contact}, "
        "et fall på {drop} poeng (varsel ved {rule} poeng eller mer).",
        "nn": "Totalskåren for samtalen/besøket fall frå {previous} ved kontakt {previous_contact} til {value} ved kontakt {contact}, "
        "eit fall på {drop} poeng (varsel ved {rule} poeng eller meir).",
        "en": "The visit total fell from {previous} at contact {previous_contact} to {value} at contact {contact}, "
        "a drop of {drop} points (alert at {rule} points or more).",
    },
    "visit_ceiling": {
        "nb": "Alle svarene om samtalen/besøket ved kontakt {contact} var på toppen av skalaen, noe som kan handle mer om "
        "høflighet enn om besøket, så spør gjerne hva som kunne vært bedre.",
        "nn": "Alle svara om samtalen/besøket ved kontakt {contact} var på toppen av skalaen, noko som kan handle meir om "
        "høflegheit enn om besøket, så spør gjerne kva som kunne vore betre.",
        "en": "Every visit answer at contact {contact} was at the top of the scale, which may reflect politeness more than "
        "the visit, so ask what could have been better.",
    },
    "outcome_ceiling": {
        "nb": "Alle svarene om hverdagen ved kontakt {contact} var på toppen av skalaen, så skalaen kan ikke vise bedring "
        "herfra, og det er verdt å snakke om hva svarene betyr.",
        "nn": "Alle svara om kvardagen ved kontakt {contact} var på toppen av skalaen, så skalaen kan ikkje vise betring "
        "herfrå, og det er verdt å snakke om kva svara tyder.",
        "en": "Every outcome answer at contact {contact} was at the top of the scale, so the scale cannot show improvement "
        "from here and it is worth talking about what the answers mean.",
    },
}


@dataclass(frozen=True)
class AlertRules:
    """Which alerts to raise and when (module docstring)."""

    no_change_after: int = DEFAULT_NO_CHANGE_AFTER
    visit_drop: float = DEFAULT_VISIT_DROP
    visit_ceiling: bool = True
    outcome_ceiling: bool = True

    def __post_init__(self):
        if isinstance(self.no_change_after, bool) or not isinstance(self.no_change_after, (int, np.integer)) or self.no_change_after < 2:
            raise UserError.single(f"no_change_after must be a whole number of at least 2 (got {self.no_change_after!r})", path="no_change_after")
        if not self.visit_drop > 0:
            raise UserError.single(f"visit_drop must be positive (got {self.visit_drop!r})", path="visit_drop")

    def to_dict(self) -> dict:
        return asdict(self)


def find_alerts(table: pd.DataFrame, settings, *, lang: str = "nb") -> pd.DataFrame:
    """Every alert in a :func:`scoring.feedback.clients.contact_table` (any number of clients).

    Returns ``unit``, ``client``, ``contact``, ``kind``, ``message`` (in ``lang``), sorted by
    unit, client, contact and the order of :data:`ALERT_KINDS`.
    """
    check_choice(lang, LANGUAGES, "language", path="lang")
    rules: AlertRules = settings.rules
    rc = table["rc_from_intake"]
    visit = table["visit_total"]
    masks = {
        "deterioration": rc < -1.96,
        "no_change": (table["contact"] >= rules.no_change_after) & (rc.abs() <= 1.96),
        "low_visit": visit < settings.visit_threshold if settings.visit_threshold is not None else pd.Series(False, index=table.index),
        "visit_drop": (table["previous_visit"] - visit) >= rules.visit_drop - 1e-9,
        "visit_ceiling": table["visit_ceiling"] & rules.visit_ceiling,
        "outcome_ceiling": table["outcome_ceiling"] & rules.outcome_ceiling,
    }
    rows = []
    for order, kind in enumerate(ALERT_KINDS):
        hit = table[masks[kind].fillna(False).astype(bool)]
        if hit.empty:
            continue
        rows.append(pd.DataFrame({
            "unit": hit["unit"].to_numpy(),
            "client": hit["client"].to_numpy(),
            "contact": hit["contact"].to_numpy(),
            "kind": kind,
            "order": order,
            "message": _messages(kind, hit, settings, lang),
        }))  # fmt: skip
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in (("unit", object), ("client", object), ("contact", np.int64), ("kind", object), ("message", object))})
    out = pd.concat(rows, ignore_index=True).sort_values(["unit", "client", "contact", "order"], kind="stable")
    return out.drop(columns="order").reset_index(drop=True)


def _messages(kind: str, hit: pd.DataFrame, settings, lang: str) -> list[str]:
    template = MESSAGES[kind][lang]
    mrd = settings.reliability.mrd
    values = hit[_TOTAL_OF[kind]].to_numpy()
    out = []
    for value, row in zip(values, hit.itertuples(index=False)):
        out.append(
            template.format(
                contact=int(row.contact),
                value=number(value, lang),
                intake=number(row.intake, lang),
                rc=number(row.rc_from_intake, lang, 2),
                mrd=number(mrd, lang),
                threshold=number(settings.visit_threshold, lang),
                previous=number(row.previous_visit, lang),
                previous_contact="" if pd.isna(row.previous_visit_contact) else int(row.previous_visit_contact),
                drop=number(row.previous_visit - row.visit_total, lang),
                rule=number(settings.rules.visit_drop, lang),
            )
        )
    return out


def number(value, lang: str, digits: int = 1) -> str:
    """A number for a sentence, one decimal by default (:func:`scoring.reporting.numbers.number`:
    decimal comma in nb and nn, a real minus sign, an en dash when missing)."""
    return numbers.number(value, lang, digits)
