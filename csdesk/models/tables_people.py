"""People tables beyond the foundation's ``people`` row: the level history (rules.md §1, §8).

``people.level`` stays the current level; ``level_changes`` keeps when each level started, so
the promotion ladder can judge an agent on the months since reaching the current level.
"""


from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from csdesk.models.base import Base


class LevelChangeRow(Base):
    """A level set for a person: ``level`` applies from ``effective`` (its first day) on."""

    __tablename__ = "level_changes"
    __table_args__ = (Index("ix_level_changes_person_effective", "person_id", "effective"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(20))
    effective: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
