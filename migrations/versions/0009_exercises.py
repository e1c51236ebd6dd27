"""Exercise library: movement patterns (and tracking, unilateral, extra equipment), then the built-ins.

Schema: every exercise gains `movement_pattern` (indexed; alternatives and the plan generator
match on it), `tracking` (reps or time), `unilateral` (a set is done per side, which doubles its
time) and `extra_equipment` (a bench for a dumbbell press). A trainer's custom exercise names
become unique per trainer. Existing custom exercises keep a NULL pattern: it is unknown and is
not guessed; trainers set it with PATCH.

Data: the built-in library (fitbud/data/exercises.json, 200+ exercises) is upserted by slug
with `fitbud.data.library.upsert_builtin_exercises`, the same function `flask fitbud
load-exercises` runs, so loading again changes nothing. The migration describes the table with
its own `sa.table(...)` of the columns as they are at this revision instead of importing the
model (which will change), and the loader writes only the columns the given table has. It reads
the package's data file rather than a frozen copy: there is one source of truth, the loader
validates every record against the vocabulary and fails loudly if the format drifts, and should
the file's format ever have to change incompatibly, that change must freeze a copy for this
revision. Downgrading drops the new columns and constraint only: the built-in rows stay, since
plans and workout logs may refer to them.

Revision ID: 0009_exercises
Revises: 0006_analytics
Create Date: 2026-11-23 18:55:20.333367

"""
from alembic import op
import sqlalchemy as sa

from fitbud.data.library import upsert_builtin_exercises


# revision identifiers, used by Alembic.
revision = '0009_exercises'
down_revision = '0006_analytics'
branch_labels = None
depends_on = None


# The exercises table as this revision leaves it (only what the loader reads and writes).
exercises = sa.table(
    'exercises',
    sa.column('id', sa.Integer()),
    sa.column('slug', sa.String(120)),
    sa.column('owner_id', sa.Integer()),
    sa.column('name', sa.String(120)),
    sa.column('category', sa.String(32)),
    sa.column('movement_pattern', sa.String(32)),
    sa.column('primary_muscles', sa.JSON()),
    sa.column('secondary_muscles', sa.JSON()),
    sa.column('equipment', sa.String(32)),
    sa.column('extra_equipment', sa.JSON()),
    sa.column('level', sa.String(16)),
    sa.column('tracking', sa.String(8)),
    sa.column('unilateral', sa.Boolean()),
    sa.column('instructions', sa.Text()),
    sa.column('updated_at', sa.DateTime(timezone=True)),
)


def upgrade():
    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extra_equipment', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('movement_pattern', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('tracking', sa.String(length=8), server_default='reps', nullable=False))
        batch_op.add_column(sa.Column('unilateral', sa.Boolean(), server_default='0', nullable=False))
        batch_op.create_index(batch_op.f('ix_exercises_movement_pattern'), ['movement_pattern'], unique=False)
        batch_op.create_unique_constraint('uq_exercises_owner_id_name', ['owner_id', 'name'])

    upsert_builtin_exercises(op.get_bind(), exercises)


def downgrade():
    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.drop_constraint('uq_exercises_owner_id_name', type_='unique')
        batch_op.drop_index(batch_op.f('ix_exercises_movement_pattern'))
        batch_op.drop_column('unilateral')
        batch_op.drop_column('tracking')
        batch_op.drop_column('movement_pattern')
        batch_op.drop_column('extra_equipment')
