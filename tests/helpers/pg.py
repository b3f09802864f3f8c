"""A throw-away PostgreSQL server for the tests: initdb in a temporary folder, a free localhost
port, run as a non-root user, fsync off. The schema is migrated once into a template database;
each test gets a fresh copy of it (CREATE DATABASE … TEMPLATE), which takes milliseconds.

``CSDESK_TEST_PG`` (a server URL) uses that server instead; ``CSDESK_TEST_PG=off`` skips the
PostgreSQL half. Where no server can be started, ``unavailable()`` gives the reason to print.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

_ADMIN_DB = "postgres"
_TEMPLATE = "csdesk_template"
_USER = "csdesk"


def _bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian keeps initdb off the PATH)."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(Path(d).parent.name))
    return Path(dirs[-1]) if dirs else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as() -> list[str]:
    """initdb and postgres refuse root: run them as the ``postgres`` user (or nobody) then."""
    if os.geteuid() != 0:
        return []
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", name, "--"]
    raise RuntimeError("running as root and neither runuser nor a postgres/nobody user is available")


class Server:
    """One PostgreSQL server for the test session."""

    def __init__(self) -> None:
        self.url_base = ""
        self._dir: Path | None = None
        self._bin: Path | None = None
        self._prefix: list[str] = []
        self._counter = itertools.count(1)

    def start(self) -> None:
        external = os.environ.get("CSDESK_TEST_PG")
        if external:
            self.url_base = external.rsplit("/", 1)[0]
            return
        bin_dir = _bin_dir()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed (no initdb; Debian package 'postgresql')")
        self._bin = bin_dir
        self._prefix = _run_as()
        self._dir = Path(tempfile.mkdtemp(prefix="csdesk-pg-"))
        data, sock = self._dir / "data", self._dir / "sock"
        sock.mkdir()
        if self._prefix:
            owner = self._prefix[2]
            shutil.chown(self._dir, owner)
            shutil.chown(sock, owner)
        self._run("initdb", "-D", str(data), "-U", _USER, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
        port = _free_port()
        options = (
            f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off -c max_connections=200"
        )
        log = self._dir / "server.log"
        self._run("pg_ctl", "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "30", "start")
        self.url_base = f"postgresql+psycopg://{_USER}@127.0.0.1:{port}"

    def _run(self, tool: str, *args: str) -> None:
        assert self._bin is not None
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}  # the test session's LANG may not be installed
        done = subprocess.run(
            [*self._prefix, str(self._bin / tool), *args], capture_output=True, text=True, cwd="/", env=env, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stderr.strip() or done.stdout.strip()}")

    def stop(self) -> None:
        if self._dir is None:
            return
        try:
            self._run("pg_ctl", "-D", str(self._dir / "data"), "-m", "immediate", "-w", "stop")
        except RuntimeError:
            pass
        shutil.rmtree(self._dir, ignore_errors=True)
        self._dir = None

    def _admin(self, *statements: str) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(f"{self.url_base}/{_ADMIN_DB}", isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                for sql in statements:
                    conn.execute(text(sql))
        finally:
            engine.dispose()

    def make_template(self) -> None:
        """The migrated schema, once: every test database is copied from it."""
        from csdesk.models.db import make_engine, migrate

        self._admin(f"DROP DATABASE IF EXISTS {_TEMPLATE}", f"CREATE DATABASE {_TEMPLATE}")
        engine = make_engine(f"{self.url_base}/{_TEMPLATE}")
        try:
            migrate(engine)
        finally:
            engine.dispose()

    def fresh_database(self, *, migrated: bool = True) -> str:
        """A new database's URL: a copy of the migrated template, or empty."""
        name = f"t{os.getpid()}_{next(self._counter)}"
        source = f" TEMPLATE {_TEMPLATE}" if migrated else ""
        self._admin(f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}{source}")
        return f"{self.url_base}/{name}"

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def unavailable() -> str | None:
    """Why the PostgreSQL half cannot run here, or None."""
    if os.environ.get("CSDESK_TEST_PG", "").lower() == "off":
        return "CSDESK_TEST_PG=off"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'csdesk[postgres]')"
    if os.environ.get("CSDESK_TEST_PG"):
        return None
    if _bin_dir() is None:
        return "PostgreSQL is not installed (Debian package 'postgresql'; ./run test installs it)"
    return None
