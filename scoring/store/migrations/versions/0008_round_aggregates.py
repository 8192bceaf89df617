"""Round aggregates: answer-set counters kept by triggers, per-group sums, stored decisions.

``answer_versions`` gets one row per round and unit with answers; triggers on ``responses``
add to its ``version`` for every row inserted, changed or deleted, in the statement that writes
it (SQLite: a row trigger; PostgreSQL: a statement trigger over the transition table, so a bulk
import adds once per unit). Existing answers are counted here, their aggregates not yet made
(``aggregated`` NULL): the first reader builds them (:mod:`scoring.store.aggregates`).

Revision ID: 0008_round_aggregates
Revises: 0007_contact_corrections
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op


revision = '0008_round_aggregates'
down_revision = '0007_contact_corrections'
branch_labels = None
depends_on = None

_BUMP_SQLITE = """
CREATE TRIGGER {name} AFTER {event} ON responses BEGIN
{statements}
END
"""
_UPSERT_SQLITE = """  INSERT INTO answer_versions (round_id, unit_id, version) VALUES ({row}.round_id, {row}.unit_id, 1)
    ON CONFLICT (round_id, unit_id) DO UPDATE SET version = version + 1;"""

_BUMP_PG_FUNCTION = """
CREATE FUNCTION samklima_bump_answer_versions_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO answer_versions (round_id, unit_id, version)
    SELECT round_id, unit_id, count(*) FROM ({rows}) AS changed
    GROUP BY round_id, unit_id ORDER BY round_id, unit_id
    ON CONFLICT (round_id, unit_id) DO UPDATE SET version = answer_versions.version + EXCLUDED.version;
  RETURN NULL;
END $$
"""
_BUMP_PG_TRIGGER = """
CREATE TRIGGER responses_answer_versions_{event} AFTER {event_sql} ON responses
  REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION samklima_bump_answer_versions_{event}()
"""
_PG_EVENTS = {
    'insert': ('SELECT round_id, unit_id FROM new_rows', 'NEW TABLE AS new_rows'),
    'delete': ('SELECT round_id, unit_id FROM old_rows', 'OLD TABLE AS old_rows'),
    'update': ('SELECT round_id, unit_id FROM old_rows UNION ALL SELECT round_id, unit_id FROM new_rows',
               'OLD TABLE AS old_rows NEW TABLE AS new_rows'),
}


def upgrade() -> None:
    op.create_table('answer_versions',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('aggregated', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_answer_versions_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_answer_versions_unit_id_units')),
    sa.PrimaryKeyConstraint('round_id', 'unit_id', name=op.f('pk_answer_versions')),
    sqlite_with_rowid=False,
    )
    op.create_table('aggregate_groups',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('partner', sa.String(length=64), nullable=False),
    sa.Column('scales', sa.String(length=200), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('sums', sa.JSON(), nullable=False),
    sa.Column('squares', sa.JSON(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_aggregate_groups_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_aggregate_groups_unit_id_units')),
    sa.PrimaryKeyConstraint('round_id', 'unit_id', 'partner', 'scales', name=op.f('pk_aggregate_groups')),
    sqlite_with_rowid=False,
    )
    op.create_table('round_decisions',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('answers_version', sa.BigInteger(), nullable=False),
    sa.Column('min_n', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('form_hash', sa.String(length=64), nullable=False),
    sa.Column('tree_hash', sa.String(length=64), nullable=False),
    sa.Column('layout', sa.Integer(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('cells', sa.LargeBinary(), nullable=False),
    sa.Column('model', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_decisions_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', name=op.f('pk_round_decisions'))
    )
    if op.get_bind().dialect.name == 'postgresql':
        for event, (rows, tables) in _PG_EVENTS.items():
            op.execute(_BUMP_PG_FUNCTION.format(event=event, rows=rows))
            op.execute(_BUMP_PG_TRIGGER.format(event=event, event_sql=event.upper(), tables=tables))
    else:
        for event, rows in (('insert', ('NEW',)), ('delete', ('OLD',)), ('update', ('OLD', 'NEW'))):
            statements = '\n'.join(_UPSERT_SQLITE.format(row=row) for row in rows)
            op.execute(_BUMP_SQLITE.format(name=f'responses_answer_versions_{event}', event=event.upper(), statements=statements))
    # Answers already stored: counted, to be aggregated by the first reader.
    op.execute('INSERT INTO answer_versions (round_id, unit_id, version) '
               'SELECT round_id, unit_id, count(*) FROM responses GROUP BY round_id, unit_id')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for event in _PG_EVENTS:
            op.execute(f'DROP TRIGGER responses_answer_versions_{event} ON responses')
            op.execute(f'DROP FUNCTION samklima_bump_answer_versions_{event}()')
    else:
        for event in ('insert', 'delete', 'update'):
            op.execute(f'DROP TRIGGER responses_answer_versions_{event}')
    op.drop_table('round_decisions')
    op.drop_table('aggregate_groups')
    op.drop_table('answer_versions')
