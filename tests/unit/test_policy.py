"""The shipped policy: every entry checked, and bad site files named key by key."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from csdesk.errors import PolicyError
from csdesk.policy import Policy, check_invariants, load_policy, read_toml
from csdesk.policy.model import EVENT_KINDS
from csdesk.resources import default_policy_path

POLICY = load_policy()


def test_shipped_policy_is_valid_and_complete() -> None:
    assert check_invariants(POLICY) == []
    assert POLICY.scoring.rated_max == 80
    assert POLICY.scoring.cap == 110
    assert POLICY.shift("E").crosses_midnight


def _walk(value: object, path: str = ""):
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _walk(getattr(value, f.name), f"{path}.{f.name}" if path else f.name)
    elif isinstance(value, tuple):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}")
    else:
        yield path, value


@pytest.mark.parametrize(("key", "value"), list(_walk(POLICY)), ids=lambda v: str(v)[:60])
def test_every_policy_entry_holds_its_invariant(key: str, value: object) -> None:
    """One check per leaf (qutebrowser's test over every option)."""
    if key == "source":
        return
    if key.endswith("meal_break_start") and value is None:
        return  # optional: a rest shift has no meal break
    if key.startswith("kpi.scales") and key.endswith(".max") and value is None:
        return  # optional: seconds and rates have no upper bound
    assert value is not None, key
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Event points are signed; every other number of the rulebook is a magnitude.
        if not (key.startswith("events") or key.endswith("adjustment_min")) or "per_month" in key:
            assert value >= 0, key
    if isinstance(value, str) and key.endswith(".code"):
        assert value.strip() == value and value, key
    if key.endswith(".kind") and key.startswith("events"):
        assert value in EVENT_KINDS


def test_every_event_code_of_appendix_a_is_in_the_policy() -> None:
    codes = {e.code for e in POLICY.events}
    expected = {f"B0{i}" for i in range(1, 7)} | {f"M{i:02d}" for i in range(1, 14)}
    expected |= {f"D0{i}" for i in range(1, 9)} | {f"S0{i}" for i in range(1, 7)} | {f"X0{i}" for i in range(1, 5)}
    assert codes == expected
    assert POLICY.event("M01").default_points == -2
    assert POLICY.event("M08").default_points == -1


def test_site_file_overrides_only_its_keys(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text("[attendance]\nlate_deduction = 30\n", encoding="utf-8")
    policy = load_policy(site)
    assert policy.attendance.late_deduction == 30
    assert policy.attendance.absence_deduction == POLICY.attendance.absence_deduction
    assert policy.source == str(site)


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("[attendance]\nlate_deduction = 'twenty'\n", "attendance.late_deduction", "must be a whole number"),
        ("[attendance]\nlate_dedution = 20\n", "attendance.late_dedution", "unknown key"),
        ("[scoring]\ncap = 50\n", "scoring.cap", "must not be below the rated maximum"),
        ("[kpi]\nevaluator_weights = { self = 20, supervisor = 30, customer = 40 }\n", "kpi.evaluator_weights", "weights must add up to 100"),
        ("[[shifts]]\ncode = 'D'\nstart = '8h'\nend = '18:00'\n", "shifts[0].start", "must be a time HH:MM"),
        ("[attendance]\nlate_event_code = 'Z99'\n", "attendance.late_event_code", "names an unknown event code"),
    ],
)
def test_bad_site_file_names_key_and_problem(tmp_path: Path, text: str, key: str, problem: str) -> None:
    site = tmp_path / "bad.toml"
    site.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policy(site)
    assert (key, problem) in info.value.problems
    assert key in info.value.message()


def test_corrupt_toml_is_one_clear_error(tmp_path: Path) -> None:
    site = tmp_path / "corrupt.toml"
    site.write_bytes(b"[attendance\nlate = \xff")
    with pytest.raises(PolicyError) as info:
        load_policy(site)
    assert "corrupt.toml" in info.value.message()


def test_changing_the_policy_file_changes_the_policy() -> None:
    data = read_toml(default_policy_path())
    assert data["scoring"]["cap"] == POLICY.scoring.cap
    assert isinstance(POLICY, Policy)
