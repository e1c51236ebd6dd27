"""One check-in per client and day, enforced by the database.

The service refused a second check-in for a day by looking first, which two racing submissions
could both pass. A unique constraint on (client_id, submitted_on) replaces the plain index on the
same columns. Should a database already hold such pairs, the upgrade stops and names them rather
than delete anyone's check-in: merge or re-date them, then upgrade again.

Revision ID: 0014_one_check_in_a_day
Revises: 0013_body_metric_days
Create Date: 2026-12-04 21:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_one_check_in_a_day'
down_revision = '0013_body_metric_days'
branch_labels = None
depends_on = None

SHOWN_DUPLICATES = 10


def upgrade():
    duplicates = op.get_bind().execute(sa.text(
        "SELECT client_id, submitted_on, count(*) FROM check_ins GROUP BY client_id, submitted_on "
        f"HAVING count(*) > 1 ORDER BY client_id, submitted_on LIMIT {SHOWN_DUPLICATES}"
    )).all()
    if duplicates:
        listed = ", ".join(f"client {client_id} on {day} ({count})" for client_id, day, count in duplicates)
        raise RuntimeError(
            f"check_ins holds more than one check-in per client and day: {listed}. Merge or re-date "
            "them (nothing was changed), then run the upgrade again."
        )
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_index('ix_check_ins_client_id_submitted_on')
        batch_op.create_unique_constraint('uq_check_ins_client_id_submitted_on', ['client_id', 'submitted_on'])


def downgrade():
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_constraint('uq_check_ins_client_id_submitted_on', type_='unique')
        batch_op.create_index('ix_check_ins_client_id_submitted_on', ['client_id', 'submitted_on'], unique=False)
