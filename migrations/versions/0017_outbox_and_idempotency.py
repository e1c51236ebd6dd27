"""The outbox table, and idempotency replays that expire, follow their client and are encrypted.

outbox_messages holds jobs a transaction started until the queue has them (services/outbox.py);
its payload is a Fernet token (field keys), since an email body can hold an invitation link.

idempotency_keys gains expires_at (IDEMPOTENCY_KEY_TTL_HOURS after the answer), client_id (ON
DELETE CASCADE, so purging a client purges the answers about them), and stores response_body
encrypted. The rows already there are deleted: they hold answers in clear (health details
among them) and no expiry, and a replay window of a day is all they were for.

Revision ID: 0017_outbox_and_idempotency
Revises: 0016_feed_events_follow_workouts
Create Date: 2026-12-07 05:42:32.468443

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_outbox_and_idempotency'
down_revision = '0016_feed_events_follow_workouts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outbox_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job_name', sa.String(length=200), nullable=False),
        sa.Column('job_id', sa.String(length=200), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('available_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
        sa.UniqueConstraint('job_id', name=op.f('uq_outbox_messages_job_id')),
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_available_at'), ['available_at'], unique=False)

    op.execute(sa.text('DELETE FROM idempotency_keys'))
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_column('response_body')
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('client_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False))
        batch_op.create_index(batch_op.f('ix_idempotency_keys_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_idempotency_keys_expires_at'), ['expires_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_idempotency_keys_client_id_clients'), 'clients',
                                    ['client_id'], ['id'], ondelete='CASCADE')


def downgrade():
    op.execute(sa.text('DELETE FROM idempotency_keys'))
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_idempotency_keys_client_id_clients'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_idempotency_keys_expires_at'))
        batch_op.drop_index(batch_op.f('ix_idempotency_keys_client_id'))
        batch_op.drop_column('expires_at')
        batch_op.drop_column('client_id')
        batch_op.drop_column('response_body')
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_body', sa.JSON(), nullable=True))

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_available_at'))
    op.drop_table('outbox_messages')
