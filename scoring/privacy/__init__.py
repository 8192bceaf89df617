"""Anonymity: what may be published, decided once for everything a viewer can see.

* :mod:`scoring.privacy.suppression` — the suppression engine on a unit tree with linked views
  (primary and complementary suppression, with an exact audit).
* :mod:`scoring.privacy.answers` — a round's answers as the publication needs them.
* :mod:`scoring.privacy.publication` — :func:`publish`: every number any page, report or
  download can show, for one viewer and a set of rounds, with one joint decision.
* :mod:`scoring.privacy.audit` — an independent exact attack on a publication, used by the tests.
"""

from scoring.privacy.suppression import (
    ALL,
    DEFAULT_MIN_N,
    SMALLEST_MIN_N,
    Breakdown,
    Suppression,
    breakdown_allowed,
    check_min_n,
    suppress,
)

__all__ = [
    "ALL",
    "DEFAULT_MIN_N",
    "SMALLEST_MIN_N",
    "Breakdown",
    "Suppression",
    "breakdown_allowed",
    "check_min_n",
    "suppress",
]
