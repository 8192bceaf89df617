"""Synthetic organisations and answers, for the demo and the tests only (nothing else imports this).

* :mod:`~scoring.samples.generator` — a simulated organisation, rounds and answers with known
  structure (``samklima sample``);
* :mod:`~scoring.samples.demo` — the demo database with demo accounts.
"""
