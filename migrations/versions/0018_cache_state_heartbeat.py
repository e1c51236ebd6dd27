"""The cache's database identity and generation, and a heartbeat on running reports.

cache_state holds one row (created on first use): a random id for this database, which every
cache key carries, and a generation that moves on when an invalidation could not reach Redis.
reports.heartbeat_at is written by a running report job, so a job whose worker died is told
apart within a minute.

Revision ID: 0018_cache_state_heartbeat
Revises: 0017_outbox_and_idempotency
Create Date: 2026-12-07 06:01:06.377825

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_cache_state_heartbeat'
down_revision = '0017_outbox_and_idempotency'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cache_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('database_id', sa.String(length=32), nullable=False),
        sa.Column('generation', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cache_state')),
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
    op.drop_table('cache_state')
