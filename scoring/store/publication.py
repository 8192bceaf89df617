"""The publication from the database: a round's answers as the privacy layer needs them.

Reads each round's stored questionnaire, threshold and answers
(:func:`scoring.store.read.read_responses`) into
:class:`scoring.privacy.answers.RoundAnswers`, and the publication for a viewer
(:func:`scoring.privacy.publication.publish`). The CLI (``samklima publication``), the dashboard
and the unit reports all go through here, so they publish the same cells. Each round's
organisation-wide decision is the one stored in the database (:mod:`scoring.store.decisions`,
decided from the stored aggregates and kept while the round's answers and settings are
unchanged), and a manager's cut of it is stored beside it (:mod:`scoring.store.cuts`), so a
command or a report batch after the dashboard has shown a round decides and cuts nothing again.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine

from scoring.privacy.answers import RoundAnswers, round_answers
from scoring.privacy.publication import Publication, RoundDecision, Viewer, decide_round
from scoring.store.read import read_responses
from scoring.store.rounds import round_info, round_row
from scoring.store.submit import load_form


def answers_of(engine: Engine, name: str) -> RoundAnswers:
    """One round's answers, threshold and state (a round with no answers has no rows)."""
    info = round_info(engine, name)
    with engine.connect() as conn:
        rnd = round_row(conn, name)
        form = load_form(conn, rnd.id, rnd.form_hash)
    table = read_responses(engine, name)
    return round_answers(table, list(form.instruments), name, info.min_n, closed=info.state == "closed")


def publication(
    engine: Engine, rounds: Iterable[str], viewer: Viewer | None = None, *, more: Iterable[RoundDecision] = ()
) -> Publication:
    """Everything ``viewer`` (default: the organisation-wide view) may see of ``rounds``, and of
    ``more`` blocks already decided for the whole organisation (the client-feedback cells,
    :func:`scoring.feedback.caseload.feedback_decision_of`)."""
    from scoring.store.cuts import publication as stored

    return stored(engine, rounds, viewer, more=more)


__all__ = ["answers_of", "publication", "decide_round"]
