"""Storage: schema, migrations and the repository functions (see :mod:`scoring.store.api`)."""
