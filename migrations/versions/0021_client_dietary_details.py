"""Clients' allergies and dietary preferences (issue 22), encrypted like their health details.

One nullable text column holding a Fernet token of the JSON {"allergies", "other_allergies",
"dietary_preferences", "dislikes"}; no value means nothing recorded. Existing free-text
allergies in health_details stay where they are: the diet rules also read them.

Revision ID: 0021_client_dietary_details
Revises: 0020_activity_imports
Create Date: 2026-12-07 14:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021_client_dietary_details"
down_revision = "0020_activity_imports"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dietary_details", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("dietary_details")
