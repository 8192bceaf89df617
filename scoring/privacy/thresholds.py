"""The anonymity thresholds (docs/privacy.md), in a module without imports so that the command
line can show them as option defaults without loading pandas."""

DEFAULT_MIN_N = 5
SMALLEST_MIN_N = 3
