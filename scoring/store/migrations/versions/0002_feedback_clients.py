"""Registered feedback clients: a pseudonymous client id in a unit, with its clinician.

Revision ID: 0002_feedback_clients
Revises: 0001
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa


revision = '0002_feedback_clients'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feedback_clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('clinician', sa.String(length=64), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_feedback_clients_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_clients')),
    sa.UniqueConstraint('unit_id', 'client', name=op.f('uq_feedback_clients_unit_id_client'))
    )
    op.create_index('ix_feedback_clients_clinician', 'feedback_clients', ['clinician'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_feedback_clients_clinician', table_name='feedback_clients')
    op.drop_table('feedback_clients')
