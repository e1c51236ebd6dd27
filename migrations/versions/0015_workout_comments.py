"""Trainers' comments on a client's logged workouts.

One row per comment, deleted with its workout; the author is kept as null if their account goes.
The (workout_log_id, id) index serves a workout's comments in the order they were written.

Revision ID: 0015_workout_comments
Revises: 0014_one_check_in_a_day
Create Date: 2026-12-07 05:26:43.608142

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_workout_comments'
down_revision = '0014_one_check_in_a_day'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'workout_comments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workout_log_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_workout_comments_author_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['workout_log_id'], ['workout_logs.id'],
                                name=op.f('fk_workout_comments_workout_log_id_workout_logs'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workout_comments')),
    )
    with op.batch_alter_table('workout_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workout_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_workout_comments_workout_log_id_id', ['workout_log_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('workout_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_workout_comments_workout_log_id_id')
        batch_op.drop_index(batch_op.f('ix_workout_comments_author_id'))
    op.drop_table('workout_comments')
