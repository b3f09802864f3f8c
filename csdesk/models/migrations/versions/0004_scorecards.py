"""Scorecards: ratings, adjustments, exam scores, evaluation events and corrections, KPI inputs,
standings of signed-off months.

Revision ID: 0004_scorecards
Revises: 0002_attendance
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_scorecards"
down_revision = "0002_attendance"
branch_labels = None
depends_on = None

# Events are corrected or voided, never deleted; their corrections trail is append-only.
_GUARDS_SQLITE = [
    """CREATE TRIGGER evaluation_events_no_delete BEFORE DELETE ON evaluation_events
       BEGIN SELECT RAISE(ABORT, 'evaluation events are never deleted'); END""",
    """CREATE TRIGGER event_corrections_no_update BEFORE UPDATE ON evaluation_event_corrections
       BEGIN SELECT RAISE(ABORT, 'evaluation_event_corrections is append-only'); END""",
    """CREATE TRIGGER event_corrections_no_delete BEFORE DELETE ON evaluation_event_corrections
       BEGIN SELECT RAISE(ABORT, 'evaluation_event_corrections is append-only'); END""",
]
_GUARDS_PG = [
    """CREATE FUNCTION evaluation_events_no_delete() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'evaluation events are never deleted'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER evaluation_events_no_delete BEFORE DELETE ON evaluation_events
       FOR EACH ROW EXECUTE FUNCTION evaluation_events_no_delete()""",
    """CREATE FUNCTION event_corrections_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'evaluation_event_corrections is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER event_corrections_append_only BEFORE UPDATE OR DELETE ON evaluation_event_corrections
       FOR EACH ROW EXECUTE FUNCTION event_corrections_append_only()""",
]


def _person() -> sa.Column:
    return sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer, primary_key=True),
        _person(),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("criterion", sa.String(32), nullable=False),
        sa.Column("value", sa.String(16), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("person_id", "month", "criterion", name="uq_rating_person_month_criterion"),
    )
    op.create_index("ix_ratings_month", "ratings", ["month"])
    op.create_table(
        "rating_adjustments",
        sa.Column("id", sa.Integer, primary_key=True),
        _person(),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("points", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("person_id", "month", name="uq_adjustment_person_month"),
    )
    op.create_index("ix_rating_adjustments_month", "rating_adjustments", ["month"])
    op.create_table(
        "exam_scores",
        sa.Column("id", sa.Integer, primary_key=True),
        _person(),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("score", sa.String(16), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("person_id", "month", name="uq_exam_person_month"),
    )
    op.create_index("ix_exam_scores_month", "exam_scores", ["month"])
    op.create_table(
        "evaluation_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("source", sa.String(12), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("voided", sa.Boolean, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
    )
    op.create_index("ix_evaluation_events_day", "evaluation_events", ["day"])
    op.create_index("ix_evaluation_events_person_day", "evaluation_events", ["person_id", "day"])
    op.create_table(
        "evaluation_event_corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("evaluation_events.id"), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("action", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("before", sa.Text, nullable=False),
        sa.Column("after", sa.Text, nullable=False),
    )
    op.create_index("ix_evaluation_event_corrections_event_id", "evaluation_event_corrections", ["event_id"])
    op.create_table(
        "kpi_inputs",
        sa.Column("id", sa.Integer, primary_key=True),
        _person(),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("value", sa.String(16), nullable=False),
        sa.UniqueConstraint("person_id", "month", "kind", "name", name="uq_kpi_person_month_kind_name"),
    )
    op.create_index("ix_kpi_inputs_month", "kpi_inputs", ["month"])
    op.create_table(
        "scorecard_standings",
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("total", sa.String(16), nullable=False),
        sa.Column("grade", sa.String(2), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("last_place", sa.Boolean, nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("excellent", sa.Boolean, nullable=False),
    )
    op.create_index("ix_scorecard_standings_month", "scorecard_standings", ["month"])
    dialect = op.get_bind().dialect.name
    for stmt in _GUARDS_SQLITE if dialect == "sqlite" else _GUARDS_PG if dialect == "postgresql" else []:
        op.execute(stmt)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS event_corrections_append_only ON evaluation_event_corrections")
        op.execute("DROP TRIGGER IF EXISTS evaluation_events_no_delete ON evaluation_events")
        op.execute("DROP FUNCTION IF EXISTS event_corrections_append_only()")
        op.execute("DROP FUNCTION IF EXISTS evaluation_events_no_delete()")
    for table in (
        "scorecard_standings",
        "kpi_inputs",
        "evaluation_event_corrections",
        "evaluation_events",
        "exam_scores",
        "rating_adjustments",
        "ratings",
    ):
        op.drop_table(table)
