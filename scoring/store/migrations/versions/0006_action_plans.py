"""Action plans: what a unit agreed to work on after a round, followed up next round.

Revision ID: 0006_action_plans
Revises: 0005_accounts
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op


revision = '0006_action_plans'
down_revision = '0005_accounts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('action_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('scale', sa.String(length=64), nullable=False),
    sa.Column('item', sa.String(length=64), nullable=True),
    sa.Column('what', sa.String(length=500), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.Column('updated_on', sa.Date(), nullable=False),
    sa.CheckConstraint("status IN ('planned', 'started', 'done', 'dropped')", name=op.f('ck_action_plans_status')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_action_plans_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_action_plans_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_plans'))
    )
    op.create_index('ix_action_plans_round_id_unit_id', 'action_plans', ['round_id', 'unit_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_action_plans_round_id_unit_id', table_name='action_plans')
    op.drop_table('action_plans')
