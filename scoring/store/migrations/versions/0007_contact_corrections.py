"""Contact corrections: a client-feedback contact corrected or deleted, with the reason kept.

Revision ID: 0007_contact_corrections
Revises: 0006_action_plans
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op


revision = '0007_contact_corrections'
down_revision = '0006_action_plans'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feedback_contact_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('contact', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('corrected_on', sa.Date(), nullable=False),
    sa.Column('corrected_by', sa.String(length=64), nullable=False),
    sa.CheckConstraint("action IN ('corrected', 'deleted')", name=op.f('ck_feedback_contact_corrections_action')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_feedback_contact_corrections_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_contact_corrections'))
    )
    op.create_index('ix_feedback_contact_corrections_unit_id_client', 'feedback_contact_corrections', ['unit_id', 'client'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_feedback_contact_corrections_unit_id_client', table_name='feedback_contact_corrections')
    op.drop_table('feedback_contact_corrections')
