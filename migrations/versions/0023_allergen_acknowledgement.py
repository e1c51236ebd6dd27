"""A diet assignment records that the trainer acknowledged the client's allergens in it (issue 22).

Assigning a diet holding foods with one of the client's allergens is refused (409) unless the
trainer sends acknowledge_allergens: true; then the assignment keeps when (plain) and which foods
and allergens (a Fernet token of JSON, like the client's health details). Both are null otherwise.

Revision ID: 0023_allergen_acknowledgement
Revises: 0022_email_verification
Create Date: 2026-12-07 15:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023_allergen_acknowledgement"
down_revision = "0022_email_verification"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("plan_assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("allergens_acknowledged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_allergens", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("plan_assignments", schema=None) as batch_op:
        batch_op.drop_column("acknowledged_allergens")
        batch_op.drop_column("allergens_acknowledged_at")
