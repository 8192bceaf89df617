"""Alembic environment, used only programmatically (:func:`scoring.store.db.migrate`).

The caller passes a connection inside an open transaction in
``config.attributes["connection"]``, so the whole upgrade commits or rolls back as one (DDL is
transactional on SQLite and PostgreSQL). There is no alembic.ini, so migrations also run from an
installed package.
"""

from alembic import context

from scoring.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
