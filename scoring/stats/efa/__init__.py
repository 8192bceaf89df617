"""Exploratory factor analysis (psych::fa-compatible): extraction and rotation.

* :mod:`~scoring.stats.efa.factors` — ``efa()``: minres/ML/principal axis, parallel analysis;
* :mod:`~scoring.stats.efa.rotation` — varimax, oblimin, promax, geomin (GPArotation).
"""
