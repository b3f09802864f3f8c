"""csdesk.rules.records.evolved: dataclasses.replace for the month's hot paths."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, replace
from decimal import Decimal

import pytest

from csdesk.rules.records import evolved


@dataclass(frozen=True)
class Card:
    total: Decimal | None
    rank: int | None = None
    flags: tuple[str, ...] = ()


def test_a_copy_with_the_changes_equal_to_replace_and_the_original_untouched() -> None:
    card = Card(Decimal("77.5"), flags=("A",))
    ranked = evolved(card, rank=3, flags=("A", "B"))
    assert ranked == replace(card, rank=3, flags=("A", "B")) and hash(ranked) == hash(replace(card, rank=3, flags=("A", "B")))
    assert type(ranked) is Card and ranked is not card
    assert card == Card(Decimal("77.5"), flags=("A",))  # the original keeps its fields
    with pytest.raises(FrozenInstanceError):
        ranked.rank = 4  # type: ignore[misc]  # still frozen


def test_a_name_that_is_not_a_field_is_refused() -> None:
    with pytest.raises(TypeError, match="Card has no field ranked"):
        evolved(Card(None), ranked=1)
