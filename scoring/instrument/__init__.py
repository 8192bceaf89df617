"""Instruments as data: the YAML model, loading with line numbers, the JSON schema, the catalogue.

* :mod:`~scoring.instrument.model` — pydantic model of an instrument (items, response scales,
  scales, norms, provenance) and its JSON schema;
* :mod:`~scoring.instrument.loading` — reading a YAML file, with every problem named by file,
  line and field;
* :mod:`~scoring.instrument.catalog` — the bundled instruments in ``instruments/``;
* :mod:`~scoring.instrument.spss_names` — which item ids are valid SPSS variable names.
"""

from scoring.instrument.catalog import bundled, bundled_all, resolve
from scoring.instrument.loading import check_instrument_file, load_instrument
from scoring.instrument.model import Instrument, Item, ResponseField, ResponseScale, Scale, instrument_json_schema

__all__ = [
    "Instrument",
    "Item",
    "ResponseField",
    "ResponseScale",
    "Scale",
    "bundled",
    "bundled_all",
    "check_instrument_file",
    "instrument_json_schema",
    "load_instrument",
    "resolve",
]
