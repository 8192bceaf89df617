"""Translation tables, one module per page (see :mod:`dashboard.i18n`)."""
