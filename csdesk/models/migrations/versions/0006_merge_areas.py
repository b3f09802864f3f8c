"""Join the area branches (handover, scorecards, callbacks) into one head.

Revision ID: 0006_merge_areas
Revises: 0003_handover, 0004_scorecards, 0005_callbacks
"""

revision = "0006_merge_areas"
down_revision = ("0003_handover", "0004_scorecards", "0005_callbacks")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
