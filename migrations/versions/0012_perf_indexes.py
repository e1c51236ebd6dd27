"""Performance indexes: users (created_at, id) for the admin's newest-first user list.

The admin list orders by created_at DESC, id DESC; without this index PostgreSQL sorts the whole
users table for every page (tests/test_query_plans.py checks the plan). The other list and
progress queries are already served by earlier indexes (same test).

Revision ID: 0012_perf_indexes
Revises: 0009_exercises
Create Date: 2026-11-23 20:27:37.973405

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_perf_indexes'
down_revision = '0009_exercises'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_created_at_id', ['created_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_created_at_id')
