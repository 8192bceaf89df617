"""Answers: reading response tables, coding and validating them, scoring scales.

* :mod:`~scoring.responses.reading` — a response table read and coded against an instrument
  (answer codes checked, "don't know" and missing kept apart);
* :mod:`~scoring.responses.scores` — reverse keying and scale scores with a minimum of valid items;
* :mod:`~scoring.responses.excel` — reading an Excel sheet, refusing formula and TRUE/FALSE cells;
* :mod:`~scoring.responses.national_id` — refusing Norwegian national identity numbers in any
  free text that would be stored.
"""

from scoring.responses.reading import CodedResponses, code_responses, read_table
from scoring.responses.scores import keyed_items, reverse_key, scale_score, score_scales

__all__ = ["CodedResponses", "code_responses", "keyed_items", "read_table", "reverse_key", "scale_score", "score_scales"]
