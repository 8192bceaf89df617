"""Anonymity: what may be published, decided once for everything a viewer can see.

* :mod:`scoring.privacy.suppression` — the suppression engine on a unit tree with linked views
  (primary and complementary suppression, with an exact audit).
* :mod:`scoring.privacy.answers` — a round's answers as the publication needs them.
* :mod:`scoring.privacy.publication` — :func:`publish`: every number any page, report or
  download can show, for one viewer and a set of rounds, with one joint decision.
* :mod:`scoring.privacy.audit` — an independent exact attack on a publication, used by the tests.
"""

from scoring.privacy.thresholds import DEFAULT_MIN_N, SMALLEST_MIN_N

# The suppression engine needs pandas; it is loaded on first use (PEP 562) so that the
# thresholds above cost nothing to import (the command line shows them as defaults).
_FROM_SUPPRESSION = ("ALL", "Breakdown", "Suppression", "breakdown_allowed", "check_min_n", "suppress")

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


def __getattr__(name: str):
    if name in _FROM_SUPPRESSION:
        from scoring.privacy import suppression

        return getattr(suppression, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
