"""Accounts for a real organisation: the coordinator role, display names, session generations,
accounts without a local password (OpenID Connect only), access requests and settings.

- ``users.role`` may be ``coordinator`` (rounds, links, codes, posters, response rates; no
  account administration); ``users.name`` is a display name; ``users.password_hash`` may be
  empty for an account that signs in with OpenID Connect only; ``users.session_generation``
  ends every session of an account at once (logging out adds one).
- ``access_requests``: OpenID Connect identities waiting for an administrator.
- ``settings``: ``demo`` (``1`` only in a demo database) and ``session_secret``. A database
  that holds answers loaded by the demo (``responses.source = 'demo'``) is marked as the demo.

On SQLite the ``users`` table is rebuilt (batch mode) to change its CHECK constraint. Dropping
the old table would cascade to ``user_units`` (``ON DELETE CASCADE`` with foreign keys on, and
the pragma cannot be switched off inside the migration's transaction), so the assignments are
read first and written back after the rebuild.

Revision ID: 0005_accounts
Revises: 0004_unlinked_responses
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op


revision = '0005_accounts'
down_revision = '0004_unlinked_responses'
branch_labels = None
depends_on = None

NEW_ROLES = "role IN ('admin', 'coordinator', 'manager', 'researcher', 'clinician')"
OLD_ROLES = "role IN ('admin', 'manager', 'researcher', 'clinician')"
USER_UNITS = sa.table('user_units', sa.column('user_id', sa.Integer), sa.column('unit_id', sa.String))


def _rebuild_users(change) -> None:
    """Apply ``change(batch)`` to ``users``, keeping ``user_units`` on SQLite (see above)."""
    bind = op.get_bind()
    kept = bind.execute(sa.select(USER_UNITS.c.user_id, USER_UNITS.c.unit_id)).all() if bind.dialect.name == 'sqlite' else []
    with op.batch_alter_table('users') as batch:
        change(batch)
    if kept:
        bind.execute(USER_UNITS.delete())
        bind.execute(USER_UNITS.insert(), [dict(user_id=u, unit_id=v) for u, v in kept])


def upgrade() -> None:
    def change(batch) -> None:
        batch.drop_constraint(op.f('ck_users_role'), type_='check')
        batch.create_check_constraint('role', NEW_ROLES)
        batch.add_column(sa.Column('name', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))
        batch.alter_column('password_hash', existing_type=sa.String(length=200), nullable=True)

    _rebuild_users(change)
    op.create_table('access_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.CheckConstraint("state IN ('pending', 'rejected')", name=op.f('ck_access_requests_state')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_requests')),
    sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_access_requests_issuer_subject'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.execute("INSERT INTO settings (key, value) SELECT 'demo', '1' WHERE EXISTS (SELECT 1 FROM responses WHERE source = 'demo')")


def downgrade() -> None:
    op.drop_table('settings')
    op.drop_table('access_requests')
    op.execute("DELETE FROM users WHERE role = 'coordinator' OR password_hash IS NULL")

    def change(batch) -> None:
        batch.alter_column('password_hash', existing_type=sa.String(length=200), nullable=False)
        batch.drop_column('session_generation')
        batch.drop_column('name')
        batch.drop_constraint(op.f('ck_users_role'), type_='check')
        batch.create_check_constraint('role', OLD_ROLES)

    _rebuild_users(change)
