"""Failed logins for throttling and lockout; OpenID Connect identity (issuer + subject) on users.

Revision ID: 0003_login_attempts
Revises: 0002_feedback_clients
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa


revision = '0003_login_attempts'
down_revision = '0002_feedback_clients'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    op.create_index('ix_login_attempts_key_failed_at', 'login_attempts', ['key', 'failed_at'], unique=False)
    op.create_index('ix_login_attempts_failed_at', 'login_attempts', ['failed_at'], unique=False)
    op.add_column('users', sa.Column('oidc_issuer', sa.String(length=300), nullable=True))
    op.add_column('users', sa.Column('oidc_subject', sa.String(length=255), nullable=True))
    op.create_index('ix_users_oidc_identity', 'users', ['oidc_issuer', 'oidc_subject'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_users_oidc_identity', table_name='users')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('oidc_subject')
        batch.drop_column('oidc_issuer')
    op.drop_index('ix_login_attempts_failed_at', table_name='login_attempts')
    op.drop_index('ix_login_attempts_key_failed_at', table_name='login_attempts')
    op.drop_table('login_attempts')
