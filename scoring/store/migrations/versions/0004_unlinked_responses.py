"""Unlinked responses: used codes deleted, random response ids, hashed idempotency keys.

Nothing may link a one-time code to its answer, or carry the order answers arrived in, even for
whoever holds the database (``docs/privacy.md``):

- ``code_uses`` goes: the codes it lists are deleted from ``one_time_codes``, whose key becomes
  the code's hash (``WITHOUT ROWID`` on SQLite); how many codes each unit got is kept in
  ``code_batches``;
- ``responses`` is rebuilt: every integer id becomes 32 random hex digits, rows are written
  back in the order of their new id (so on PostgreSQL the old order leaves ``ctid`` and every row
  gets one ``xmin``), answers given with a code get ``source = 'web'`` like the rest, and each
  idempotency key is replaced by its SHA-256 (``WITHOUT ROWID`` on SQLite).

The downgrade restores the old tables' shape; codes that were used stay deleted, and response
ids become 1, 2, 3... in the order of the random ids.

Revision ID: 0004_unlinked_responses
Revises: 0003_login_attempts
Create Date: 2026-11-24
"""

import hashlib
import secrets

import sqlalchemy as sa
from alembic import op


revision = '0004_unlinked_responses'
down_revision = '0003_login_attempts'
branch_labels = None
depends_on = None

CHUNK = 5000


class _JSONText(sa.types.TypeDecorator):
    """JSON text copied as it is (the rows are moved, not decoded)."""

    impl = sa.JSON
    cache_ok = True

    def bind_processor(self, dialect):
        return None


_CODES = sa.table(
    'one_time_codes', sa.column('id', sa.Integer), sa.column('code_hash', sa.String), sa.column('round_id', sa.Integer),
    sa.column('unit_id', sa.String), sa.column('revoked', sa.Boolean), sa.column('created_on', sa.Date),
)
_RESPONSES = sa.table(
    'responses', sa.column('id'), sa.column('round_id', sa.Integer), sa.column('unit_id', sa.String),
    sa.column('submitted_on', sa.Date), sa.column('language', sa.String), sa.column('instrument_versions', sa.String),
    sa.column('partner', sa.String), sa.column('fields', sa.JSON), sa.column('answers', sa.JSON),
    sa.column('idempotency_key', sa.String), sa.column('source', sa.String),
)
_RESPONSE_VALUES = ('round_id', 'unit_id', 'submitted_on', 'language', 'instrument_versions', 'partner', 'idempotency_key', 'source')


def _read_responses(bind) -> list[dict]:
    columns = [_RESPONSES.c[name] for name in ('id', *_RESPONSE_VALUES)]
    query = sa.select(*columns, sa.cast(_RESPONSES.c.fields, sa.Text).label('fields'), sa.cast(_RESPONSES.c.answers, sa.Text).label('answers'))
    return [dict(row._mapping) for row in bind.execute(query)]


def _write(bind, table, rows: list[dict]) -> None:
    statement = table.insert().values(
        fields=sa.type_coerce(sa.bindparam('fields_json'), _JSONText), answers=sa.type_coerce(sa.bindparam('answers_json'), _JSONText)
    )
    for start in range(0, len(rows), CHUNK):
        bind.execute(statement, rows[start : start + CHUNK])


def _drop_responses() -> None:
    op.drop_index('ix_responses_round_unit', table_name='responses')
    op.drop_index(op.f('ix_responses_partner'), table_name='responses')
    op.drop_table('responses')


def _create_responses(id_column: sa.Column, key_length: int, sources: str, **kw) -> sa.Table:
    table = op.create_table('responses',
    id_column,
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('instrument_versions', sa.String(length=200), nullable=False),
    sa.Column('partner', sa.String(length=64), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=key_length), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.CheckConstraint(f"source IN ({sources})", name=op.f('ck_responses_source')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_responses_round_id_rounds')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_responses_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_responses_idempotency_key')),
    **kw,
    )
    op.create_index(op.f('ix_responses_partner'), 'responses', ['partner'], unique=False)
    op.create_index('ix_responses_round_unit', 'responses', ['round_id', 'unit_id'], unique=False)
    return table


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table('code_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.CheckConstraint('count >= 1', name=op.f('ck_code_batches_count_positive')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_code_batches_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_code_batches_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_batches'))
    )
    op.create_index('ix_code_batches_round_unit', 'code_batches', ['round_id', 'unit_id'], unique=False)
    bind.execute(sa.text(
        "INSERT INTO code_batches (round_id, unit_id, count, created_on) "
        "SELECT round_id, unit_id, COUNT(*), MIN(created_on) FROM one_time_codes GROUP BY round_id, unit_id"
    ))

    used = sa.select(sa.column('code_id')).select_from(sa.table('code_uses'))
    unused = [
        dict(row._mapping)
        for row in bind.execute(
            sa.select(_CODES.c.code_hash, _CODES.c.round_id, _CODES.c.unit_id, _CODES.c.revoked, _CODES.c.created_on)
            .where(_CODES.c.id.not_in(used))
            .order_by(_CODES.c.code_hash)
        )
    ]
    op.drop_table('code_uses')
    op.drop_index('ix_one_time_codes_round_unit', table_name='one_time_codes')
    op.drop_table('one_time_codes')
    codes = op.create_table('one_time_codes',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_one_time_codes_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_one_time_codes_unit_id_units')),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_one_time_codes')),
    sqlite_with_rowid=False,
    )
    op.create_index('ix_one_time_codes_round_unit', 'one_time_codes', ['round_id', 'unit_id'], unique=False)
    for start in range(0, len(unused), CHUNK):
        bind.execute(codes.insert(), unused[start : start + CHUNK])

    rows = _read_responses(bind)
    _drop_responses()
    table = _create_responses(sa.Column('id', sa.String(length=32), nullable=False), 64, "'web', 'import', 'demo'", sqlite_with_rowid=False)
    for row in rows:
        row['id'] = secrets.token_hex(16)
        row['idempotency_key'] = hashlib.sha256(row['idempotency_key'].encode('utf-8', 'surrogatepass')).hexdigest()
        row['source'] = 'web' if row['source'] == 'code' else row['source']
        row['fields_json'], row['answers_json'] = row.pop('fields'), row.pop('answers')
    rows.sort(key=lambda r: r['id'])
    _write(bind, table, rows)


def downgrade() -> None:
    bind = op.get_bind()
    rows = _read_responses(bind)
    _drop_responses()
    table = _create_responses(sa.Column('id', sa.Integer(), nullable=False), 120, "'web', 'code', 'import', 'demo'")
    rows.sort(key=lambda r: r['id'])
    for number, row in enumerate(rows, start=1):
        row['id'] = number
        row['fields_json'], row['answers_json'] = row.pop('fields'), row.pop('answers')
    _write(bind, table, rows)

    codes = [dict(row._mapping) for row in bind.execute(
        sa.select(_CODES.c.code_hash, _CODES.c.round_id, _CODES.c.unit_id, _CODES.c.revoked, _CODES.c.created_on).order_by(_CODES.c.code_hash)
    )]
    op.drop_index('ix_one_time_codes_round_unit', table_name='one_time_codes')
    op.drop_table('one_time_codes')
    old_codes = op.create_table('one_time_codes',
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
    for number, code in enumerate(codes, start=1):
        code['id'] = number
    if codes:
        bind.execute(old_codes.insert(), codes)
    op.create_table('code_uses',
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['code_id'], ['one_time_codes.id'], name=op.f('fk_code_uses_code_id_one_time_codes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code_id', name=op.f('pk_code_uses'))
    )
    op.drop_index('ix_code_batches_round_unit', table_name='code_batches')
    op.drop_table('code_batches')
