"""Records people edit carry a version (issue #12: no lost update between several PCs).

Each table of :data:`csdesk.models.versioning.VERSIONED_TABLES` gains ``version`` (1 for the rows
already there) and a trigger that adds one on every UPDATE. The audit log gets an index on
(entity, entity_id): a refused write names the last change of its record from there.

Revision ID: 0013_record_versions
Revises: 0012_audit_chain
"""

import sqlalchemy as sa
from alembic import op

from csdesk.models.versioning import VERSIONED_TABLES, create_version_triggers

revision = "0013_record_versions"
down_revision = "0012_audit_chain"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in VERSIONED_TABLES:
        # A constant default: SQLite adds the column without rewriting the table.
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    create_version_triggers(op.get_bind())
    op.create_index("ix_audit_log_entity", "audit_log", ["entity", "entity_id"])


def downgrade() -> None:
    conn = op.get_bind()
    op.drop_index("ix_audit_log_entity", table_name="audit_log")
    for table in VERSIONED_TABLES:
        if conn.dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_next_version ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_next_version")
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
    if conn.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS csdesk_next_version()")
