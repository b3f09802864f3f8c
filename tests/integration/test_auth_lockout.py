"""Sign-in lockout, audited failures, equal timing for unknown names, changing one's password (#12)."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest

from csdesk.errors import ValidationError
from csdesk.services.auth import AccountLocked, LoginFailed, lock_end
from csdesk.services.base import SYSTEM, Actor


pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server


@pytest.fixture
def auth(ctx):
    ctx.auth.create_user(SYSTEM, "alice", "right-pass", "supervisor")
    return ctx.auth


def _fail(auth, name: str = "alice", times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(LoginFailed):
            auth.login(name, "wrong")


def _recent(ctx) -> list:
    return ctx.audit.recent(SYSTEM, limit=1000)


def test_the_shipped_policy_has_the_security_keys(ctx) -> None:
    sec = ctx.auth.policy.security
    assert (sec.lockout_failures, sec.lockout_minutes, sec.min_password_length) == (5, 15, 8)


def test_five_failures_lock_the_account_until_the_minutes_pass(ctx, auth, clock) -> None:
    start = clock.now
    for i in range(4):
        clock.now = start + timedelta(minutes=i)
        with pytest.raises(LoginFailed) as exc:
            auth.login("alice", "wrong")
        assert not isinstance(exc.value, AccountLocked)
    clock.now = start + timedelta(minutes=4)
    with pytest.raises(AccountLocked) as exc:
        auth.login("alice", "wrong")
    until = start + timedelta(minutes=4 + 15)
    assert exc.value.until == until
    assert "locked until" in exc.value.message() and until.strftime("%H:%M") in exc.value.message()

    clock.now = until - timedelta(minutes=1)
    with pytest.raises(AccountLocked) as exc:
        auth.login("alice", "right-pass")  # the right password does not open a locked account
    assert exc.value.until == until  # attempts while locked do not extend the lock

    clock.now = until
    actor = auth.login("alice", "right-pass")
    assert actor.username == "alice"


def test_failures_spread_wider_than_the_window_do_not_lock(auth, clock) -> None:
    start = clock.now
    for i in range(8):
        clock.now = start + timedelta(minutes=4 * i)  # never 5 within 15 minutes
        with pytest.raises(LoginFailed) as exc:
            auth.login("alice", "wrong")
        assert not isinstance(exc.value, AccountLocked)
    assert auth.login("alice", "right-pass").username == "alice"


def test_a_success_resets_the_count(auth, clock) -> None:
    _fail(auth, times=4)
    auth.login("alice", "right-pass")
    _fail(auth, times=4)
    assert auth.login("ALICE", "right-pass").username == "alice"
    _fail(auth, times=4)
    with pytest.raises(AccountLocked):
        auth.login("alice", "wrong")


def test_failed_attempts_are_in_the_audit_log_without_the_password(ctx, auth) -> None:
    _fail(auth, times=2)
    _fail(auth, name="nobody")
    entries = _recent(ctx)
    failed = [e for e in entries if e.action == "auth.failed"]
    assert [(e.entity, e.entity_id) for e in failed] == [("user", "nobody"), ("user", "alice"), ("user", "alice")]
    assert all("wrong" not in repr(e.details) for e in failed)
    assert ctx.audit.verify(SYSTEM).ok


def test_unknown_names_lock_the_same_way(auth) -> None:
    _fail(auth, name="ghost", times=4)
    with pytest.raises(AccountLocked):
        auth.login("ghost", "anything")


def test_locked_attempts_are_audited_as_such(ctx, auth) -> None:
    _fail(auth, times=5)
    with pytest.raises(AccountLocked):
        auth.login("alice", "right-pass")
    last = next(e for e in _recent(ctx) if e.action == "auth.failed")
    assert last.details == {"locked": True}


def test_an_unknown_name_takes_as_long_as_a_wrong_password(auth, clock) -> None:
    def median(name: str) -> float:
        times = []
        for i in range(5):
            clock.now += timedelta(hours=1)  # stay clear of the lockout
            t0 = time.perf_counter()
            with pytest.raises(LoginFailed):
                auth.login(name, f"wrong{i}")
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    median("alice")  # warm up (the dummy hash, the caches)
    median("nobody-here")
    known, unknown = median("alice"), median("nobody-here")
    assert unknown <= 3 * known and known <= 3 * unknown, (known, unknown)


def test_lock_end_counts_a_sliding_window() -> None:
    from datetime import datetime

    t = datetime(2026, 1, 1, 9)
    w = timedelta(minutes=15)
    assert lock_end([t + timedelta(minutes=i) for i in range(4)], 5, w) is None
    assert lock_end([t + timedelta(minutes=i) for i in range(5)], 5, w) == t + timedelta(minutes=19)
    assert lock_end([t + timedelta(minutes=4 * i) for i in range(10)], 5, w) is None


def test_change_password(ctx, auth) -> None:
    alice = Actor("alice", "supervisor")
    with pytest.raises(ValidationError) as exc:
        auth.change_password(alice, "not-it", "new-password")
    assert exc.value.field == "old"
    with pytest.raises(ValidationError) as exc:
        auth.change_password(alice, "right-pass", "short")
    assert exc.value.field == "new" and "8" in exc.value.message()
    with pytest.raises(ValidationError):
        auth.change_password(alice, "right-pass", "right-pass")
    auth.change_password(alice, "right-pass", "new-password")
    with pytest.raises(LoginFailed):
        auth.login("alice", "right-pass")
    assert auth.login("alice", "new-password").username == "alice"
    changes = [e for e in _recent(ctx) if e.action == "auth.password_change"]
    assert len(changes) == 1 and changes[0].entity == "user"
    assert "pass" not in repr(changes[0].details).replace("password_change", "")


def test_a_supervisors_password_reset_lifts_the_lockout(ctx, auth) -> None:
    """The supervisor who resets a locked-out colleague's password lets them in at once; failures
    before the reset no longer count (they stay in the audit log)."""
    ctx.auth.create_user(SYSTEM, "bob", "bob-old-pass", "agent")
    _fail(auth, "bob", ctx.auth.policy.security.lockout_failures)
    with pytest.raises(AccountLocked):
        auth.login("bob", "bob-old-pass")
    bob = next(a for a in auth.accounts(Actor("alice", "supervisor")) if a.username == "bob")
    auth.reset_password(Actor("alice", "supervisor"), bob.id, "bob-new-pass")
    assert auth.login("bob", "bob-new-pass").username == "bob"
    assert [e.action for e in _recent(ctx) if e.entity_id == "bob"].count("auth.failed") >= 5
    _fail(auth, "bob", ctx.auth.policy.security.lockout_failures - 1)  # counting starts again
    assert auth.login("bob", "bob-new-pass").username == "bob"
