"""Initial schema: organisation, units, rounds, links, codes, responses, feedback, headcount, accounts.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('name', name=op.f('uq_organisations_name'))
    )
    op.create_table('rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('opens', sa.Date(), nullable=True),
    sa.Column('closes', sa.Date(), nullable=True),
    sa.Column('mode', sa.String(length=12), nullable=False),
    sa.Column('min_n', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('form_hash', sa.String(length=64), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.CheckConstraint("mode IN ('anonymous', 'codes')", name=op.f('ck_rounds_mode')),
    sa.CheckConstraint("state IN ('open', 'closed')", name=op.f('ck_rounds_state')),
    sa.CheckConstraint('min_n >= 3', name=op.f('ck_rounds_min_n_floor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rounds')),
    sa.UniqueConstraint('name', name=op.f('uq_rounds_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('clinician', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'manager', 'researcher', 'clinician')", name=op.f('ck_users_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('round_instruments',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_instruments_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'instrument_id', name=op.f('pk_round_instruments'))
    )
    op.create_table('units',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('parent_id', sa.String(length=64), nullable=True),
    sa.Column('unit_type', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_units_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['parent_id'], ['units.id'], name=op.f('fk_units_parent_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units'))
    )
    op.create_index(op.f('ix_units_parent_id'), 'units', ['parent_id'], unique=False)
    op.create_table('feedback_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('clinician', sa.String(length=64), nullable=False),
    sa.Column('contact', sa.Integer(), nullable=False),
    sa.Column('contact_on', sa.Date(), nullable=False),
    sa.Column('instrument_versions', sa.String(length=200), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.CheckConstraint('contact >= 1', name=op.f('ck_feedback_contacts_contact_positive')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_feedback_contacts_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_contacts')),
    sa.UniqueConstraint('unit_id', 'client', 'contact', name=op.f('uq_feedback_contacts_unit_id_client_contact'))
    )
    op.create_index('ix_feedback_contacts_clinician', 'feedback_contacts', ['clinician'], unique=False)
    op.create_table('headcounts',
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('invited', sa.Integer(), nullable=False),
    sa.CheckConstraint('invited >= 0', name=op.f('ck_headcounts_invited_nonnegative')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_headcounts_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_headcounts_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', 'round_id', name=op.f('pk_headcounts'))
    )
    op.create_table('one_time_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_one_time_codes_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_one_time_codes_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_one_time_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_one_time_codes_code_hash'))
    )
    op.create_index('ix_one_time_codes_round_unit', 'one_time_codes', ['round_id', 'unit_id'], unique=False)
    op.create_table('responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('instrument_versions', sa.String(length=200), nullable=False),
    sa.Column('partner', sa.String(length=64), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.CheckConstraint("source IN ('web', 'code', 'import', 'demo')", name=op.f('ck_responses_source')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_responses_round_id_rounds')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_responses_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_responses_idempotency_key'))
    )
    op.create_index(op.f('ix_responses_partner'), 'responses', ['partner'], unique=False)
    op.create_index('ix_responses_round_unit', 'responses', ['round_id', 'unit_id'], unique=False)
    op.create_table('round_units',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_units_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_round_units_unit_id_units')),
    sa.PrimaryKeyConstraint('round_id', 'unit_id', name=op.f('pk_round_units'))
    )
    op.create_table('unit_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_unit_links_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_links_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_links')),
    sa.UniqueConstraint('token', name=op.f('uq_unit_links_token'))
    )
    op.create_index('ix_unit_links_round_unit', 'unit_links', ['round_id', 'unit_id'], unique=False)
    op.create_table('user_units',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_user_units_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_units_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'unit_id', name=op.f('pk_user_units'))
    )
    op.create_table('code_uses',
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['code_id'], ['one_time_codes.id'], name=op.f('fk_code_uses_code_id_one_time_codes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code_id', name=op.f('pk_code_uses'))
    )


def downgrade() -> None:
    op.drop_table('code_uses')
    op.drop_table('user_units')
    op.drop_index('ix_unit_links_round_unit', table_name='unit_links')
    op.drop_table('unit_links')
    op.drop_table('round_units')
    op.drop_index('ix_responses_round_unit', table_name='responses')
    op.drop_index(op.f('ix_responses_partner'), table_name='responses')
    op.drop_table('responses')
    op.drop_index('ix_one_time_codes_round_unit', table_name='one_time_codes')
    op.drop_table('one_time_codes')
    op.drop_table('headcounts')
    op.drop_index('ix_feedback_contacts_clinician', table_name='feedback_contacts')
    op.drop_table('feedback_contacts')
    op.drop_index(op.f('ix_units_parent_id'), table_name='units')
    op.drop_table('units')
    op.drop_table('round_instruments')
    op.drop_table('users')
    op.drop_table('rounds')
    op.drop_table('organisations')
