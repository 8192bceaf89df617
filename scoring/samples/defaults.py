"""The generator's defaults (they reproduce the demo set in sample_data/), in a module without
imports so that ``samklima sample --help`` shows them without loading NumPy and pandas."""

DEFAULT_RESPONDENTS = 600
DEFAULT_UNITS = 15
DEFAULT_ROUNDS = 3
DEFAULT_SEED = 2024
