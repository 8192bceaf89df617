"""Tables for pages and reports, rendered from a :class:`scoring.privacy.publication.Publication`.

Every number here is a published cell or follows from published cells (a confidence interval
from a cell's n, mean and sd; a difference from two cells): nothing is counted from answers, so
nothing can show what the publication hides.

* :mod:`~scoring.reporting.comparison` — units, the organisation and unit types per scale and
  round; change across rounds (Compare, Trends, Home);
* :mod:`~scoring.reporting.participation` — responses and response rates (Overview);
* :mod:`~scoring.reporting.items` — answers per item (Items);
* :mod:`~scoring.reporting.partners` — who rates whom (Partners).
"""
