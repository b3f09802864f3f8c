"""Leave details that set the entitlement: the marriage or birth date, remarriage, difficult birth, babies.

Revision ID: 0008_leave_details
Revises: 0007_attendance_marks
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_leave_details"
down_revision = "0007_attendance_marks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("leave_requests") as batch:
        batch.add_column(sa.Column("event_date", sa.Date))
        batch.add_column(sa.Column("remarriage", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("difficult_birth", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("babies", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("leave_requests") as batch:
        for column in ("babies", "difficult_birth", "remarriage", "event_date"):
            batch.drop_column(column)
