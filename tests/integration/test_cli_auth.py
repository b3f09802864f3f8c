"""The command line signs in as the GUI does (#12): --user, CSDESK_PASSWORD or the terminal, lockout."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from csdesk import cli
from csdesk.cli import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, main
from csdesk.services.base import SYSTEM


@pytest.fixture
def db(demo_ctx) -> str:
    """A demo department (with its logins, password ``demo``) that nobody has signed in to yet."""
    return demo_ctx.db_url


@pytest.fixture(autouse=True)
def nobody(monkeypatch: pytest.MonkeyPatch) -> None:
    """No user name or password from the environment unless a test sets one (the conftest does)."""
    monkeypatch.delenv("CSDESK_USER", raising=False)
    monkeypatch.delenv("CSDESK_PASSWORD", raising=False)


class FakeTerminal:
    """stdin at a terminal, as getpass sees it."""

    def isatty(self) -> bool:
        return True


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def verify(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> tuple[int, str, str]:
    """``audit verify``: a command that needs an actor with ``audit.view``."""
    return run(capsys, "--db", db, *args, "--json", "audit", "verify")


def _audit(ctx, action: str) -> list:
    return [e for e in ctx.audit.recent(SYSTEM, limit=1000) if e.action == action]


def single_user_site(tmp_path: Path) -> str:
    site = tmp_path / "single-user.toml"
    site.write_text("[security]\ncli_password = false\n", encoding="utf-8")
    return str(site)


def test_the_shipped_policy_signs_in_on_the_command_line(demo_ctx) -> None:
    assert demo_ctx.policy.security.cli_password is True
    assert demo_ctx.policy.security.idle_lock_minutes == 15


def test_the_right_password_from_csdesk_password_signs_in(db, demo_ctx, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CSDESK_PASSWORD", "demo")
    code, out, err = verify(capsys, db, "--user", "supervisor")
    assert (code, err) == (EXIT_OK, "")  # signed in: nothing to say about whom it acts as
    assert json.loads(out)["ok"] is True
    assert _audit(demo_ctx, "login") == []  # a read command writes nothing, not even the sign-in


def test_a_wrong_password_exits_1_with_one_translated_line_and_is_audited(db, demo_ctx, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CSDESK_PASSWORD", "not-demo")
    code, out, err = verify(capsys, db, "--user", "supervisor")
    assert code == EXIT_REJECTED and json.loads(out) == {"ok": False, "error": "Wrong user name or password."}
    assert err == "Wrong user name or password.\n"
    assert "Traceback" not in err
    (failed,) = _audit(demo_ctx, "auth.failed")
    assert failed.entity_id == "supervisor" and "not-demo" not in repr(failed.details)
    monkeypatch.setenv("CSDESK_PASSWORD", "demo")
    code, out, err = run(capsys, "--db", db, "--lang", "es_ES", "--user", "nobody-here", "audit", "verify")
    assert code == EXIT_REJECTED and err.strip() and err != "Wrong user name or password.\n"  # in Spanish


def test_an_unknown_name_is_refused_like_a_wrong_password(db, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CSDESK_PASSWORD", "demo")
    code, _out, err = verify(capsys, db, "--user", "ghost")
    assert (code, err) == (EXIT_REJECTED, "Wrong user name or password.\n")


def test_without_a_user_name_it_is_a_usage_error(db, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CSDESK_PASSWORD", "demo")
    code, out, err = verify(capsys, db)
    assert code == EXIT_USAGE and json.loads(out)["ok"] is False  # --json: one document, on refusal too
    assert "--user" in err and "CSDESK_USER" in err and len(err.strip().splitlines()) == 1


def test_csdesk_user_names_the_user_when_there_is_no_user_option(db, demo_ctx, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CSDESK_USER", "director")
    monkeypatch.setenv("CSDESK_PASSWORD", "demo")
    code, _out, err = verify(capsys, db)
    assert (code, err) == (EXIT_OK, "")
    assert _audit(demo_ctx, "login") == []  # a read command writes nothing, not even the sign-in


def test_the_role_s_rights_apply(db, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CSDESK_PASSWORD", "demo")
    code, out, err = verify(capsys, db, "--user", "agent1")
    assert code == EXIT_REJECTED and "audit.view" in err and "audit.view" in json.loads(out)["error"]


def test_without_csdesk_password_the_terminal_asks(db, capsys, monkeypatch) -> None:
    prompts: list[str] = []
    monkeypatch.setattr(sys, "stdin", FakeTerminal())
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: prompts.append(prompt) or "demo")
    code, _out, err = verify(capsys, db, "--user", "supervisor")
    assert (code, err) == (EXIT_OK, "")
    assert prompts == ["Password for supervisor: "]


def test_without_a_terminal_or_csdesk_password_it_says_how(db, capsys, monkeypatch) -> None:
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: pytest.fail("asked without a terminal"))
    code, out, err = verify(capsys, db, "--user", "supervisor")  # pytest's stdin is no terminal
    assert code == EXIT_USAGE and json.loads(out)["ok"] is False
    assert "CSDESK_PASSWORD" in err and "supervisor" in err


def test_failures_on_the_command_line_lock_the_name_for_the_gui_too(db, demo_ctx, capsys, monkeypatch) -> None:
    from csdesk.services.auth import AccountLocked

    monkeypatch.setenv("CSDESK_PASSWORD", "wrong")
    errors = [verify(capsys, db, "--user", "lead1")[2] for _ in range(5)]
    assert errors[:4] == ["Wrong user name or password.\n"] * 4
    assert errors[4].startswith("Too many failed sign-ins: lead1 is locked until ")
    monkeypatch.setenv("CSDESK_PASSWORD", "demo")
    code, out, err = verify(capsys, db, "--user", "lead1")  # the right password does not open it
    assert code == EXIT_REJECTED and "locked until" in err and "locked until" in json.loads(out)["error"]
    with pytest.raises(AccountLocked):
        demo_ctx.auth.login("lead1", "demo")  # the same lock in the GUI's sign-in
    assert len(_audit(demo_ctx, "auth.failed")) == 7  # every attempt, the locked ones too


def test_a_single_user_site_acts_without_a_password_and_says_as_whom(db, demo_ctx, tmp_path, capsys, monkeypatch) -> None:
    site = single_user_site(tmp_path)
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: pytest.fail("asked for a password"))
    code, _out, err = verify(capsys, db, "--policy", site, "--user", "supervisor")
    assert (code, err) == (EXIT_OK, "csdesk: acting as supervisor (Supervisor)\n")
    monkeypatch.setattr("csdesk.services.auth.getpass.getuser", lambda: "os-account")
    code, _out, err = verify(capsys, db, "--policy", site)  # no such OS user: the first supervisor
    assert (code, err) == (EXIT_OK, "csdesk: acting as supervisor (Supervisor)\n")
    code, _out, err = run(capsys, "--db", db, "--policy", site, "--lang", "es_ES", "--user", "lead1", "handover", "list")
    assert code == EXIT_OK and err.startswith("csdesk: ") and "lead1 (Jefe de equipo)" in err  # the role in Spanish
    assert _audit(demo_ctx, "login") == []  # nobody signed in


def test_an_empty_database_acts_as_the_system(tmp_path, capsys) -> None:
    db = str(tmp_path / "empty.db")
    code, out, err = verify(capsys, db)
    assert code == EXIT_OK and json.loads(out)["ok"] is True
    assert err == "csdesk: acting as system (Supervisor)\n"


def test_demo_fills_an_empty_database_and_then_needs_no_password_to_skip(tmp_path, capsys, monkeypatch) -> None:
    db = str(tmp_path / "fresh.db")
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: pytest.fail("asked for a password"))
    code, out, err = run(capsys, "--db", db, "demo", "--agents", "3", "--months", "1")
    assert code == EXIT_OK and "supervisor" in out and "acting as system" in err
    code, out, err = run(capsys, "--db", db, "--json", "demo", "--if-empty")  # what ./run does at every start
    assert (code, err) == (EXIT_OK, "") and json.loads(out)["skipped"] is True
    code, _out, err = run(capsys, "--db", db, "demo")  # a demo over the data is a command like any other
    assert code == EXIT_USAGE and "--user" in err
