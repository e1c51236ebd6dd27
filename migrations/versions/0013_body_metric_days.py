"""Body metrics indexed by client and day, for streaks and date ranges from the index alone.

A client's streak reads every day they logged anything, body metrics included. The client_id
index made PostgreSQL fetch each row from the table (most of that query's time on a cold client);
(client_id, measured_on) answers from the index. The former (client_id, metric, measured_on)
index duplicated the unique constraint's and goes; the plain client_id index is covered by both.

Revision ID: 0013_body_metric_days
Revises: 0012_perf_indexes
Create Date: 2026-12-04 17:01:51.098148

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_body_metric_days'
down_revision = '0012_perf_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('body_metrics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_body_metrics_client_id'))
        batch_op.drop_index(batch_op.f('ix_body_metrics_client_id_metric_measured_on'))
        batch_op.create_index('ix_body_metrics_client_id_measured_on', ['client_id', 'measured_on'], unique=False)


def downgrade():
    with op.batch_alter_table('body_metrics', schema=None) as batch_op:
        batch_op.drop_index('ix_body_metrics_client_id_measured_on')
        batch_op.create_index(
            batch_op.f('ix_body_metrics_client_id_metric_measured_on'), ['client_id', 'metric', 'measured_on'], unique=False
        )
        batch_op.create_index(batch_op.f('ix_body_metrics_client_id'), ['client_id'], unique=False)
