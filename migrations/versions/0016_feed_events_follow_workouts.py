"""Feed events name the workout they are about, and go when it goes.

Events about a workout (logged, record set) kept its id only inside their JSON payload, so
deleting the workout left them in the feed pointing at nothing (75 such events were found).
A workout_log_id column with ON DELETE CASCADE replaces that: it is filled from the payloads,
and the events whose workout is already gone are deleted (they describe nothing that exists).

Revision ID: 0016_feed_events_follow_workouts
Revises: 0015_workout_comments
Create Date: 2026-12-07 05:32:40.338616

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_feed_events_follow_workouts'
down_revision = '0015_workout_comments'
branch_labels = None
depends_on = None

BATCH = 500

events = sa.table(
    'activity_events',
    sa.column('id', sa.Integer),
    sa.column('type', sa.String),
    sa.column('payload', sa.JSON),
    sa.column('workout_log_id', sa.Integer),
)
workouts = sa.table('workout_logs', sa.column('id', sa.Integer))


def _link_events_to_their_workouts(bind):
    """Fill workout_log_id from the payloads; delete events whose workout no longer exists."""
    rows = bind.execute(
        sa.select(events.c.id, events.c.payload).where(events.c.type.in_(('workout_logged', 'record_set')))
    ).all()
    wanted = {}
    for event_id, payload in rows:
        raw = (payload or {}).get('workout_log_id') if isinstance(payload, dict) else None
        if isinstance(raw, int):
            wanted[event_id] = raw
    existing = set()
    ids = sorted(set(wanted.values()))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        existing.update(bind.execute(sa.select(workouts.c.id).where(workouts.c.id.in_(chunk))).scalars())
    orphans = [event_id for event_id, workout_id in wanted.items() if workout_id not in existing]
    for start in range(0, len(orphans), BATCH):
        bind.execute(sa.delete(events).where(events.c.id.in_(orphans[start:start + BATCH])))
    linked = [{'event_id': event_id, 'workout_id': workout_id}
              for event_id, workout_id in wanted.items() if workout_id in existing]
    if linked:
        bind.execute(
            sa.update(events).where(events.c.id == sa.bindparam('event_id'))
            .values(workout_log_id=sa.bindparam('workout_id')),
            linked,
        )


def upgrade():
    with op.batch_alter_table('activity_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workout_log_id', sa.Integer(), nullable=True))
    _link_events_to_their_workouts(op.get_bind())
    with op.batch_alter_table('activity_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_events_workout_log_id'), ['workout_log_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_activity_events_workout_log_id_workout_logs'), 'workout_logs',
                                    ['workout_log_id'], ['id'], ondelete='CASCADE')


def downgrade():
    # The orphaned events deleted on upgrade are not brought back: they pointed at nothing.
    with op.batch_alter_table('activity_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_activity_events_workout_log_id_workout_logs'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_activity_events_workout_log_id'))
        batch_op.drop_column('workout_log_id')
