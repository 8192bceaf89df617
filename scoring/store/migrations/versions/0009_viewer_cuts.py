"""Stored viewer cuts and stored analyses: what a restarted app server reads instead of redoing.

A manager's cut of the organisation-wide publication (:func:`scoring.privacy.scope.restrict`)
is kept beside the round's stored decision, per round and scope (a SHA-256 of the units the
viewer sees), so that a restarted or new app server reads it instead of cutting again
(:mod:`scoring.store.cuts`). ``decision_key`` is the hash of what the decision was decided on;
a cut with another key is stale and cut again. Deleting a round's decision deletes its cuts.

``stored_results`` keeps the result of a slow analysis a page shows (the invariance verdicts of
Compare and Trends: three multi-group CFAs each) as JSON under a key that names what it was
computed from (rounds and their answer-set versions, questionnaire, scale), so that the first
viewer after a restart reads it (:mod:`scoring.store.results`).

Revision ID: 0009_viewer_cuts
Revises: 0008_round_aggregates
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op


revision = '0009_viewer_cuts'
down_revision = '0008_round_aggregates'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('viewer_cuts',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=64), nullable=False),
    sa.Column('decision_key', sa.String(length=64), nullable=False),
    sa.Column('cut_on', sa.Date(), nullable=False),
    sa.Column('cells', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['round_decisions.round_id'], name=op.f('fk_viewer_cuts_round_id_round_decisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'scope', name=op.f('pk_viewer_cuts'))
    )
    op.create_table('stored_results',
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('stored_on', sa.Date(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'key', name=op.f('pk_stored_results'))
    )


def downgrade() -> None:
    op.drop_table('stored_results')
    op.drop_table('viewer_cuts')
