"""Reliability: coefficient alpha with confidence intervals, item statistics, omega.

* :mod:`~scoring.stats.reliability.alpha` — ``alpha()`` (psych::alpha), item-rest correlations,
  alpha if deleted, Feldt and bootstrap intervals;
* :mod:`~scoring.stats.reliability.omega` — McDonald's omega (psych::omega).
"""
