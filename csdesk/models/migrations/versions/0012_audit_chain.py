"""The audit log becomes a hash chain nobody can rewrite.

* ``audit_log`` gains ``prev_hash`` and ``hash``; the entries already there are chained in id
  order (the serialisation is in ``csdesk.models.audit_triggers``);
* the triggers are re-created: besides UPDATE and DELETE they refuse any INSERT whose id is not
  above the greatest id (``INSERT OR REPLACE`` of an existing entry) or that carries no hash;
* the chain is checked before the migration ends.

The old UPDATE trigger would refuse filling the new columns: the triggers are dropped first and
re-created after, in the migration's transaction.

Revision ID: 0012_audit_chain
Revises: 0011_signed_month
"""

import sqlalchemy as sa
from alembic import op

from csdesk.models.audit_triggers import GENESIS, create_triggers, drop_triggers, entry_hash, first_break

revision = "0012_audit_chain"
down_revision = "0011_signed_month"
branch_labels = None
depends_on = None

_audit = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("username", sa.String),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.String),
    sa.column("details", sa.Text),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)
_FIELDS = ("id", "at", "username", "action", "entity", "entity_id", "details")
_BATCH = 1000


def upgrade() -> None:
    conn = op.get_bind()
    # Plain ADD COLUMN (nullable) keeps the table, its indexes and its rows where they are.
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("audit_log", sa.Column("hash", sa.String(64), nullable=True))
    drop_triggers(conn)
    prev = GENESIS
    pending: list[dict[str, object]] = []
    update = (
        sa.update(_audit)
        .where(_audit.c.id == sa.bindparam("b_id"))
        .values(prev_hash=sa.bindparam("b_prev"), hash=sa.bindparam("b_hash"))
    )
    rows = conn.execute(sa.select(*(_audit.c[f] for f in _FIELDS)).order_by(_audit.c.id)).all()
    for entry_id, at, username, action, entity, entity_id, details in rows:
        digest = entry_hash(entry_id, at, username, action, entity, entity_id, details or "", prev)
        pending.append({"b_id": entry_id, "b_prev": prev, "b_hash": digest})
        prev = digest
        if len(pending) >= _BATCH:
            conn.execute(update, pending)
            pending = []
    if pending:
        conn.execute(update, pending)
    create_triggers(conn)
    _, broken = first_break(
        conn.execute(sa.select(*(_audit.c[f] for f in (*_FIELDS, "prev_hash", "hash"))).order_by(_audit.c.id))
    )
    if broken is not None:  # cannot happen unless the serialisation does not read back as written
        raise RuntimeError(f"audit_log chain broken at entry {broken.id} ({broken.problem}) after migration")


def downgrade() -> None:
    conn = op.get_bind()
    drop_triggers(conn)
    op.drop_column("audit_log", "hash")
    op.drop_column("audit_log", "prev_hash")
    dialect = conn.dialect.name
    if dialect == "sqlite":
        for stmt in (
            """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
               BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
            """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
               BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
        ):
            op.execute(stmt)
    elif dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_insert_check()")
        op.execute(
            """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
               FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"""
        )
