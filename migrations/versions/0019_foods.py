"""The food table: built-in foods (fitbud/data/foods.json, ~400 foods) and trainers' own.

Energy and macros per 100 g, a typical serving, allergens and the diets each food suits. The
built-ins are upserted by slug with `fitbud.data.foods.upsert_builtin_foods` (the function
`flask fitbud load-foods` runs) on this revision's own `sa.table(...)` snapshot, like the
exercise library's migration. Downgrading drops the table.

Revision ID: 0019_foods
Revises: 0018_cache_state_heartbeat
Create Date: 2026-12-07 06:53:36.103828

"""
from alembic import op
import sqlalchemy as sa

from fitbud.data.foods import upsert_builtin_foods


# revision identifiers, used by Alembic.
revision = '0019_foods'
down_revision = '0018_cache_state_heartbeat'
branch_labels = None
depends_on = None


# The foods table as this revision leaves it (only what the loader reads and writes).
foods = sa.table(
    'foods',
    sa.column('id', sa.Integer()),
    sa.column('slug', sa.String(120)),
    sa.column('owner_id', sa.Integer()),
    sa.column('name', sa.String(120)),
    sa.column('category', sa.String(32)),
    sa.column('kcal', sa.Float()),
    sa.column('protein_g', sa.Float()),
    sa.column('carbs_g', sa.Float()),
    sa.column('fat_g', sa.Float()),
    sa.column('serving_g', sa.Float()),
    sa.column('serving', sa.String(80)),
    sa.column('allergens', sa.JSON()),
    sa.column('diets', sa.JSON()),
    sa.column('updated_at', sa.DateTime(timezone=True)),
)


def upgrade():
    op.create_table('foods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('kcal', sa.Float(), nullable=False),
    sa.Column('protein_g', sa.Float(), nullable=False),
    sa.Column('carbs_g', sa.Float(), nullable=False),
    sa.Column('fat_g', sa.Float(), nullable=False),
    sa.Column('serving_g', sa.Float(), nullable=False),
    sa.Column('serving', sa.String(length=80), nullable=False),
    sa.Column('allergens', sa.JSON(), nullable=False),
    sa.Column('diets', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_foods_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_foods')),
    sa.UniqueConstraint('owner_id', 'name', name='uq_foods_owner_id_name'),
    sa.UniqueConstraint('slug', name=op.f('uq_foods_slug'))
    )
    with op.batch_alter_table('foods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_foods_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_foods_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_foods_owner_id'), ['owner_id'], unique=False)

    upsert_builtin_foods(op.get_bind(), foods)


def downgrade():
    with op.batch_alter_table('foods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_foods_owner_id'))
        batch_op.drop_index(batch_op.f('ix_foods_name'))
        batch_op.drop_index(batch_op.f('ix_foods_category'))

    op.drop_table('foods')
