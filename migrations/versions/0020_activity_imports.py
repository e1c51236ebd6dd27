"""Imports from other apps and devices: activity logs, daily metrics, import records and their rows.

activity_logs holds runs, rides and swims beside workout logs (unique per client by source and
source id); daily_metrics one number a day (steps, resting heart rate); data_imports one
uploaded file with its counts, status and error; imported_rows every row an import added
(its undo list, unique per client by a stable source key so a second import adds nothing
twice); exercise_name_mappings the library exercise a client's other app name stands for.
Downgrading drops the five tables.

Revision ID: 0020_activity_imports
Revises: 0019_foods
Create Date: 2026-12-07 14:08:50.766972

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_activity_imports'
down_revision = '0019_foods'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('sport', sa.String(length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('performed_on', sa.Date(), nullable=False),
    sa.Column('duration_seconds', sa.Integer(), nullable=False),
    sa.Column('distance_m', sa.Float(), nullable=True),
    sa.Column('energy_kcal', sa.Float(), nullable=True),
    sa.Column('avg_heart_rate', sa.Integer(), nullable=True),
    sa.Column('max_heart_rate', sa.Integer(), nullable=True),
    sa.Column('elevation_gain_m', sa.Float(), nullable=True),
    sa.Column('laps', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=24), nullable=False),
    sa.Column('source_id', sa.String(length=160), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_activity_logs_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_logs')),
    sa.UniqueConstraint('client_id', 'source', 'source_id', name='uq_activity_logs_client_source_id')
    )
    with op.batch_alter_table('activity_logs', schema=None) as batch_op:
        batch_op.create_index('ix_activity_logs_client_id_performed_on', ['client_id', 'performed_on'], unique=False)

    op.create_table('daily_metrics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('metric', sa.String(length=32), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_daily_metrics_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_daily_metrics')),
    sa.UniqueConstraint('client_id', 'metric', 'day', name='uq_daily_metrics_client_metric_day')
    )
    op.create_table('data_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('format', sa.Enum('apple_health', 'fit', 'gpx', 'strong', 'hevy', name='importformat', native_enum=False, length=16), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'finished', 'failed', 'needs_mapping', 'undone', name='importstatus', native_enum=False, length=16), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('found', sa.Integer(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('already_there', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('unmatched', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('error_location', sa.String(length=120), nullable=True),
    sa.Column('job_id', sa.String(length=64), nullable=True),
    sa.Column('upload_path', sa.String(length=500), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_data_imports_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_imports'))
    )
    with op.batch_alter_table('data_imports', schema=None) as batch_op:
        batch_op.create_index('ix_data_imports_client_id_created_at', ['client_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_imports_status'), ['status'], unique=False)

    op.create_table('exercise_name_mappings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('exercise_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_exercise_name_mappings_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercises.id'], name=op.f('fk_exercise_name_mappings_exercise_id_exercises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exercise_name_mappings')),
    sa.UniqueConstraint('client_id', 'name', name='uq_exercise_name_mappings_client_id_name')
    )
    with op.batch_alter_table('exercise_name_mappings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exercise_name_mappings_exercise_id'), ['exercise_id'], unique=False)

    op.create_table('imported_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('source_key', sa.String(length=200), nullable=False),
    sa.Column('activity_log_id', sa.Integer(), nullable=True),
    sa.Column('workout_log_id', sa.Integer(), nullable=True),
    sa.Column('body_metric_id', sa.Integer(), nullable=True),
    sa.Column('daily_metric_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['activity_log_id'], ['activity_logs.id'], name=op.f('fk_imported_rows_activity_log_id_activity_logs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['body_metric_id'], ['body_metrics.id'], name=op.f('fk_imported_rows_body_metric_id_body_metrics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_imported_rows_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['daily_metric_id'], ['daily_metrics.id'], name=op.f('fk_imported_rows_daily_metric_id_daily_metrics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['import_id'], ['data_imports.id'], name=op.f('fk_imported_rows_import_id_data_imports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workout_log_id'], ['workout_logs.id'], name=op.f('fk_imported_rows_workout_log_id_workout_logs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imported_rows')),
    sa.UniqueConstraint('client_id', 'source_key', name='uq_imported_rows_client_id_source_key')
    )
    with op.batch_alter_table('imported_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imported_rows_activity_log_id'), ['activity_log_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_imported_rows_body_metric_id'), ['body_metric_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_imported_rows_daily_metric_id'), ['daily_metric_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_imported_rows_import_id'), ['import_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_imported_rows_workout_log_id'), ['workout_log_id'], unique=False)



def downgrade():
    with op.batch_alter_table('imported_rows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_rows_workout_log_id'))
        batch_op.drop_index(batch_op.f('ix_imported_rows_import_id'))
        batch_op.drop_index(batch_op.f('ix_imported_rows_daily_metric_id'))
        batch_op.drop_index(batch_op.f('ix_imported_rows_body_metric_id'))
        batch_op.drop_index(batch_op.f('ix_imported_rows_activity_log_id'))

    op.drop_table('imported_rows')
    with op.batch_alter_table('exercise_name_mappings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exercise_name_mappings_exercise_id'))

    op.drop_table('exercise_name_mappings')
    with op.batch_alter_table('data_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_imports_status'))
        batch_op.drop_index('ix_data_imports_client_id_created_at')

    op.drop_table('data_imports')
    op.drop_table('daily_metrics')
    with op.batch_alter_table('activity_logs', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_logs_client_id_performed_on')

    op.drop_table('activity_logs')
