"""A supervisor manages the sign-in accounts (#12): list, add, reset, role, deactivate; all audited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from csdesk.errors import NotFound, PermissionDenied, ValidationError
from csdesk.services.auth import USERS_MANAGE, LoginFailed
from csdesk.services.base import SYSTEM, Actor

pytestmark = pytest.mark.both_engines  # SQLite and a throw-away PostgreSQL server

SUPERVISOR = Actor("supervisor", "supervisor")


def _account(ctx, name: str):
    return next(a for a in ctx.auth.accounts(SUPERVISOR) if a.username == name)


def _entries(ctx, action: str) -> list:
    return [e for e in ctx.audit.recent(SYSTEM, limit=1000) if e.action == action]


def test_only_the_supervisor_role_may_manage_users(demo_ctx) -> None:
    assert Actor("s", "supervisor").can(USERS_MANAGE)
    for role in ("director", "team_lead", "trainer", "qa", "agent"):
        actor = Actor("x", role)
        assert not actor.can(USERS_MANAGE), role
        with pytest.raises(PermissionDenied):
            demo_ctx.auth.accounts(actor)
        with pytest.raises(PermissionDenied):
            demo_ctx.auth.create_user(actor, "newbie", "long-enough", "agent")
        with pytest.raises(PermissionDenied):
            demo_ctx.auth.set_active(actor, _account(demo_ctx, "agent1").id, False)


def test_the_list_shows_role_person_status_and_last_sign_in(demo_ctx, clock) -> None:
    before = {a.username: a for a in demo_ctx.auth.accounts(SUPERVISOR)}
    assert {"supervisor", "lead1", "trainer", "qa", "director", "agent1"} <= set(before)
    assert list(before) == sorted(before)
    assert before["lead1"].role == "team_lead" and before["lead1"].employee_no == "L001" and before["lead1"].person_name
    assert all(a.active and a.last_sign_in is None for a in before.values())
    demo_ctx.auth.login("lead1", "demo")
    clock.now += timedelta(hours=2)
    demo_ctx.auth.login("lead1", "demo")
    with pytest.raises(LoginFailed):
        demo_ctx.auth.login("agent1", "wrong")  # a failure is no sign-in
    after = {a.username: a for a in demo_ctx.auth.accounts(SUPERVISOR)}
    assert after["lead1"].last_sign_in == clock.now
    assert after["agent1"].last_sign_in is None


def test_adding_a_user_checks_name_role_password_and_person(demo_ctx) -> None:
    auth = demo_ctx.auth
    with pytest.raises(ValidationError) as exc:
        auth.create_user(SUPERVISOR, "newbie", "short", "agent")
    assert exc.value.field == "password" and "8" in exc.value.message()
    with pytest.raises(ValidationError) as exc:
        auth.create_user(SUPERVISOR, "newbie", "long-enough", "king")
    assert exc.value.field == "role"
    with pytest.raises(ValidationError) as exc:
        auth.create_user(SUPERVISOR, "LEAD1", "long-enough", "agent")
    assert exc.value.field == "username" and "taken" in exc.value.message()
    with pytest.raises(ValidationError):
        auth.create_user(SUPERVISOR, "two words", "long-enough", "agent")
    with pytest.raises(NotFound):
        auth.create_user(SUPERVISOR, "newbie", "long-enough", "agent", "NOPE")
    user = auth.create_user(SUPERVISOR, " newbie ", "long-enough", "qa", "A001")
    assert user.username == "newbie"
    assert auth.login("newbie", "long-enough") == Actor("newbie", "qa", user.person_id)
    assert _account(demo_ctx, "newbie").employee_no == "A001"
    created = _entries(demo_ctx, "user.create")[0]
    assert created.username == "supervisor" and created.entity_id == str(user.id)
    assert created.details["username"] == "newbie" and created.details["role"] == "qa"
    assert "long-enough" not in repr(created.details)


def test_a_reset_password_signs_in_and_the_old_one_does_not(demo_ctx) -> None:
    auth = demo_ctx.auth
    agent = _account(demo_ctx, "agent1")
    with pytest.raises(ValidationError) as exc:
        auth.reset_password(SUPERVISOR, agent.id, "short")
    assert "8" in exc.value.message()
    auth.reset_password(SUPERVISOR, agent.id, "fresh-start")
    with pytest.raises(LoginFailed):
        auth.login("agent1", "demo")
    assert auth.login("agent1", "fresh-start").username == "agent1"
    (reset,) = _entries(demo_ctx, "user.password_reset")
    assert reset.details == {"username": "agent1"} and reset.username == "supervisor"


def test_a_role_change_holds_at_the_next_sign_in(demo_ctx) -> None:
    auth = demo_ctx.auth
    lead = _account(demo_ctx, "lead1")
    with pytest.raises(ValidationError):
        auth.set_role(SUPERVISOR, lead.id, "king")
    auth.set_role(SUPERVISOR, lead.id, "trainer")
    assert auth.login("lead1", "demo").role == "trainer"
    (change,) = _entries(demo_ctx, "user.role")
    assert change.details == {"username": "lead1", "role": "trainer", "old_role": "team_lead"}


def test_a_deactivated_account_cannot_sign_in_until_reactivated(demo_ctx) -> None:
    auth = demo_ctx.auth
    qa = _account(demo_ctx, "qa")
    auth.set_active(SUPERVISOR, qa.id, False)
    assert not _account(demo_ctx, "qa").active
    with pytest.raises(LoginFailed):
        auth.login("qa", "demo")
    with pytest.raises(PermissionDenied):
        auth.resolve_actor("qa")  # nor act on the command line of a single-user site
    auth.set_active(SUPERVISOR, qa.id, True)
    assert auth.login("qa", "demo").username == "qa"
    assert [e.action for e in demo_ctx.audit.recent(SYSTEM, limit=10) if e.action.startswith("user.")] == [
        "user.reactivate", "user.deactivate",
    ]


def test_nobody_changes_their_own_account_here(demo_ctx) -> None:
    auth = demo_ctx.auth
    me = _account(demo_ctx, "supervisor")
    for change in (
        lambda: auth.set_active(SUPERVISOR, me.id, False),
        lambda: auth.set_role(SUPERVISOR, me.id, "agent"),
        lambda: auth.reset_password(SUPERVISOR, me.id, "long-enough"),
    ):
        with pytest.raises(PermissionDenied) as exc:
            change()
        assert "own account" in exc.value.message()
    assert _account(demo_ctx, "supervisor").active and _account(demo_ctx, "supervisor").role == "supervisor"


def test_the_last_active_supervisor_stays(demo_ctx) -> None:
    auth = demo_ctx.auth
    boss = auth.create_user(SUPERVISOR, "boss", "long-enough", "supervisor")
    other = Actor("boss", "supervisor")
    supervisor = _account(demo_ctx, "supervisor")
    auth.set_role(other, supervisor.id, "director")  # boss is still there
    with pytest.raises(PermissionDenied) as exc:
        auth.set_active(Actor("helper", "supervisor"), boss.id, False)  # now the only one
    assert "last active account" in exc.value.message()
    with pytest.raises(PermissionDenied):
        auth.set_role(Actor("helper", "supervisor"), boss.id, "agent")
    assert _account(demo_ctx, "boss").active and _account(demo_ctx, "boss").role == "supervisor"
    auth.set_role(other, supervisor.id, "supervisor")
    auth.set_active(other, supervisor.id, False)  # an inactive supervisor does not count either
    with pytest.raises(PermissionDenied):
        auth.set_active(Actor("helper", "supervisor"), boss.id, False)


def test_a_missing_account_is_named(demo_ctx) -> None:
    with pytest.raises(NotFound):
        demo_ctx.auth.set_active(SUPERVISOR, 99_999, False)
