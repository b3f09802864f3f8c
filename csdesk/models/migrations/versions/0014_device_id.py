"""People carry the id their punches name (issue #13): ``people.device_id``.

The enrol number on the punch clock (考勤号码, 登记号码) or the attendance app's user id
(DingTalk, WeCom): optional, and unique when set (a unique index; several NULLs are allowed on
SQLite and PostgreSQL alike). The column and the index are added in place, so the people table
is not recreated and its version trigger (csdesk.models.versioning) stays as it is.

Revision ID: 0014_device_id
Revises: 0013_record_versions
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_device_id"
down_revision = "0013_record_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("people", sa.Column("device_id", sa.String(64), nullable=True))
    op.create_index("ix_people_device_id", "people", ["device_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_people_device_id", table_name="people")
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): no batch copy of people, which would drop its
    # version trigger and, with foreign keys on, cascade the drop to the rows that reference it.
    op.drop_column("people", "device_id")
