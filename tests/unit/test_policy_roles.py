"""The role → permission table is data of the policy ([roles] in policy.toml), and Actor.can reads it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from csdesk.errors import PolicyError
from csdesk.policy import check_invariants, load_policy
from csdesk.services import base
from csdesk.services.base import Actor, permissions_in_force, require, use_permissions

POLICY = load_policy()

# What each role may do (the table began as a literal of csdesk/services/base.py; issue #12 added
# people.personnel and made the agent's own records a scope instead of ".own" permissions).
BEFORE = {
    "director": {"people.view", "people.personnel", "handover.view", "attendance.view", "scorecards.view", "callbacks.view", "audit.view", "settings.edit",
                 "qa.view"},  # qa.*: quality inspections (issue 15)
    "supervisor": {
        "people.view", "people.edit", "people.personnel", "handover.view", "handover.write", "attendance.view", "attendance.edit",
        "attendance.approve", "scorecards.view", "scorecards.edit", "scorecards.rate", "scorecards.lock",
        "callbacks.view", "callbacks.edit", "audit.view", "settings.edit", "import",
        "users.manage",  # added with the Users section of Settings (issue #12)
        "qa.view", "qa.edit",
        "scorecards.arbitrate",  # decides agents' disputes of their month (issue 15)
    },
    "team_lead": {
        "people.view", "handover.view", "handover.write", "attendance.view", "scorecards.view", "scorecards.edit",
        "callbacks.view", "callbacks.edit", "qa.view",
    },
    "trainer": {"people.view", "scorecards.view", "scorecards.edit", "scorecards.rate", "qa.view"},
    "qa": {"people.view", "scorecards.view", "qa.view", "qa.edit", "callbacks.view"},
    "agent": {"callbacks.view", "scorecards.view", "attendance.view", "qa.view"},  # their own: scope "own"
}  # fmt: skip
SCOPES = {"director": "all", "supervisor": "all", "team_lead": "team", "trainer": "all", "qa": "all", "agent": "own"}


@pytest.fixture
def restore_table() -> Iterator[None]:
    """Tests here put other tables in force; the shipped one is back afterwards."""
    yield
    use_permissions(POLICY)


def _site(tmp_path: Path, text: str) -> Path:
    site = tmp_path / "site.toml"
    site.write_text(text, encoding="utf-8")
    return site


def test_the_shipped_table_is_today_s_permissions_for_every_role() -> None:
    assert set(POLICY.roles) == set(POLICY.codes.roles) == set(BEFORE)
    assert {role: set(perms) for role, perms in POLICY.permissions.items()} == BEFORE
    for role, perms in POLICY.permissions.items():
        assert isinstance(perms, frozenset)
        assert sorted(perms) == sorted(POLICY.roles[role].permissions), role  # no name listed twice
    assert check_invariants(POLICY) == []
    assert dict(POLICY.scopes) == SCOPES


def test_actor_can_answers_from_the_table_in_force() -> None:
    assert dict(permissions_in_force()) == dict(POLICY.permissions)
    for role, perms in BEFORE.items():
        actor = Actor("x", role)
        assert all(actor.can(p) for p in perms), role
        for other in set().union(*BEFORE.values()) - perms:
            assert not actor.can(other), (role, other)
    assert not Actor("x", "nobody").can("people.view")


def test_no_permission_table_is_left_in_python() -> None:
    assert not hasattr(base, "PERMISSIONS")


def test_a_site_file_replaces_one_role_s_list(tmp_path: Path, restore_table: None) -> None:
    policy = load_policy(_site(tmp_path, '[roles.qa]\npermissions = ["people.view", "qa.edit"]\n'))
    assert policy.permissions["qa"] == frozenset({"people.view", "qa.edit"})
    for role in set(BEFORE) - {"qa"}:
        assert policy.permissions[role] == POLICY.permissions[role], role
    use_permissions(policy)
    assert Actor("q", "qa").can("qa.edit")
    assert not Actor("q", "qa").can("callbacks.view")
    assert Actor("s", "supervisor").can("callbacks.view")


def test_a_site_file_may_add_a_role_it_names_in_codes(tmp_path: Path, restore_table: None) -> None:
    roles = ", ".join(f'"{r}"' for r in (*POLICY.codes.roles, "auditor"))
    text = f'[codes]\nroles = [{roles}]\n[roles.auditor]\npermissions = ["audit.view"]\n'
    policy = load_policy(_site(tmp_path, text))
    use_permissions(policy)
    assert Actor("a", "auditor").can("audit.view")
    assert not Actor("a", "auditor").can("people.view")


def test_the_composition_root_puts_its_policy_s_table_in_force(tmp_path: Path, restore_table: None) -> None:
    from csdesk.errors import PermissionDenied
    from tests.helpers.factories import make_context

    site = _site(tmp_path, '[roles.trainer]\npermissions = ["people.view", "scorecards.view"]\n')
    ctx = make_context(tmp_path, policy_file=site)
    assert ctx.policy_error is None
    assert permissions_in_force()["trainer"] == frozenset({"people.view", "scorecards.view"})
    with pytest.raises(PermissionDenied):
        require(Actor("t", "trainer"), "scorecards.rate")


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ('[roles.cashier]\npermissions = ["people.view"]\n', "roles.cashier", "is not a role of codes.roles"),
        ("[roles.qa]\npermissions = []\n", "roles.qa.permissions", "must list at least one permission"),
        ('[roles.qa]\npermissions = ["people.view", 3]\n', "roles.qa.permissions[1]", "must be a non-empty text"),
        ('[roles.qa]\npermissions = ["people.view", ""]\n', "roles.qa.permissions[1]", "must be a non-empty text"),
        ('[roles.qa]\npermissions = "people.view"\n', "roles.qa.permissions", "must be a list"),
        ('[roles.qa]\npermission = ["people.view"]\n', "roles.qa.permission", "unknown key"),
        ('[roles]\nqa = ["people.view"]\n', "roles.qa", "must be a table"),
        ('roles = ["people.view"]\n', "roles", "must be a table"),
        ('[roles.qa]\npermissions = ["people.view"]\nscope = "floor"\n', "roles.qa.scope", "must be all, team or own"),
        ('[codes]\nroles = ["director", "supervisor", "team_lead", "trainer", "qa", "agent", "auditor"]\n', "roles.auditor", "is missing"),
    ],
)  # fmt: skip
def test_bad_role_tables_are_refused_with_the_key_named(tmp_path: Path, text: str, key: str, problem: str) -> None:
    with pytest.raises(PolicyError) as info:
        load_policy(_site(tmp_path, text))
    assert (key, problem) in info.value.problems
    assert key in info.value.message()
