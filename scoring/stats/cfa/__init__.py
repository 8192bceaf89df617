"""Confirmatory factor analysis (lavaan-compatible): model syntax, ML and ordinal (WLSMV)
estimation, fit indices.

* :mod:`~scoring.stats.cfa.syntax` — lavaan-style model syntax;
* :mod:`~scoring.stats.cfa.model` — the parameter layout of a model;
* :mod:`~scoring.stats.cfa.ml` — maximum likelihood on covariances;
* :mod:`~scoring.stats.cfa.robust` — robust ML (MLR): sandwich SEs, Yuan-Bentler test;
* :mod:`~scoring.stats.cfa.ordinal` — DWLS/WLSMV on polychoric correlations;
* :mod:`~scoring.stats.cfa.ordinal_groups` — WLSMV in several groups, ordinal invariance;
* :mod:`~scoring.stats.cfa.fit` — chi-square, CFI, TLI, RMSEA, SRMR;
* :mod:`~scoring.stats.cfa.estimate` — ``cfa()``, the entry point.
"""
