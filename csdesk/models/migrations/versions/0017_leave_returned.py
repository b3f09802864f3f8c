"""The leave record keeps when its 销假 was recorded and by whom (issue 14): ``returned_at``, ``returned_by``.

The leave form prints them; until now they were looked up in the audit log. The leave that is
already cancelled on return gets them from its last ``leave.cancel_on_return`` entry there;
leave imported as already cancelled has no such entry (the file does not say when) and keeps
NULL. The backfill is an UPDATE like any other, so the version trigger of revision 0013
(csdesk.models.versioning) counts it on the rows it fills, and only on those. The columns are
added in place, so the table is not recreated and its trigger stays as it is.

Revision ID: 0017_leave_returned
Revises: 0016_disputes
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_leave_returned"
down_revision = "0016_disputes"
branch_labels = None
depends_on = None

_leave = sa.table(
    "leave_requests",
    sa.column("id", sa.Integer()),
    sa.column("cancelled_on_return", sa.Boolean()),
    sa.column("returned_at", sa.DateTime()),
    sa.column("returned_by", sa.String(64)),
)
_audit = sa.table(
    "audit_log",
    sa.column("id", sa.Integer()),
    sa.column("at", sa.DateTime()),
    sa.column("username", sa.String(64)),
    sa.column("action", sa.String(64)),
    sa.column("entity", sa.String(40)),
    sa.column("entity_id", sa.String(64)),
)


def _cancellations() -> sa.Select:
    """The audit log's 销假 entries of the leave row being updated (entity_id is its id as text)."""
    return sa.select(_audit.c.id).where(
        _audit.c.entity == "leave",
        _audit.c.entity_id == sa.cast(_leave.c.id, sa.String()),
        _audit.c.action == "leave.cancel_on_return",
    )


def _last(column: sa.ColumnElement) -> sa.ScalarSelect:
    return _cancellations().with_only_columns(column).order_by(_audit.c.id.desc()).limit(1).scalar_subquery()


def upgrade() -> None:
    op.add_column("leave_requests", sa.Column("returned_at", sa.DateTime(), nullable=True))
    op.add_column("leave_requests", sa.Column("returned_by", sa.String(64), nullable=True))
    op.execute(
        _leave.update()
        .where(_leave.c.cancelled_on_return == sa.true(), _cancellations().exists())
        .values(returned_at=_last(_audit.c.at), returned_by=_last(_audit.c.username))
    )


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): no batch copy of leave_requests, which would drop its
    # version trigger.
    op.drop_column("leave_requests", "returned_by")
    op.drop_column("leave_requests", "returned_at")
