"""A throwaway PostgreSQL cluster for the hub tests, and hubs in it.

The session starts one server (``initdb`` in a temporary directory, a Unix
socket in that directory, no TCP port) and stops it by its pid at the end.
Running as root, the server runs as the ``postgres`` OS user (it refuses
root). Every test gets a fresh database in it, initialised as a hub.
Passwords are real (scram-sha-256) and reach libpq through a ``PGPASSFILE``.

Without PostgreSQL installed the hub tests are skipped, except under CI
(``CI=true``), where a missing server is a failure.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ADMIN = "hubadmin"
ADMIN_PASSWORD = "admin-secret"
_counter = itertools.count()


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (required under CI)", pytrace=False)
    pytest.skip(reason)


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version_key(path: str) -> tuple[int, ...]:
    part = Path(path).parents[1].name
    return tuple(int(x) for x in part.split(".") if x.isdigit())


@dataclass
class PgServer:
    """A running throwaway cluster reached through a Unix socket."""

    root: Path
    socket_dir: Path
    passfile: Path
    pid: int

    def url(self, dbname: str, user: str = ADMIN) -> str:
        """A libpq URL (no password: libpq reads it from the passfile)."""
        return f"postgresql://{user}@/{dbname}?host={self.socket_dir}"

    def add_password(self, user: str, password: str) -> None:
        """Let libpq find ``user``'s password (the ~/.pgpass convention)."""
        with self.passfile.open("a", encoding="utf-8") as f:
            f.write(f"*:*:*:{user}:{password}\n")

    def create_database(self) -> str:
        """A fresh, empty database; its name."""
        import psycopg

        name = f"hub{os.getpid()}_{next(_counter)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    """Start a PostgreSQL cluster for the whole session; stop it at the end."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing("psycopg is not installed (run scripts/setup.sh test)")
    bindir = _bin_dir()
    if bindir is None:
        _missing("PostgreSQL is not installed (run scripts/setup.sh test)")
    # On tmpfs when there is one: a cluster is thousands of small files.
    shm = Path("/dev/shm")
    where = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    root = Path(tempfile.mkdtemp(prefix="annotator-pg-", dir=where))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    pwfile = root / "pw"
    pwfile.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    run_as: dict = {}
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            _missing("running as root and there is no 'postgres' user to run the server")
        os.chown(root, owner.pw_uid, owner.pw_gid)
        for path in (sock, pwfile):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        run_as = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
    subprocess.run(
        [
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            ADMIN,
            "--pwfile",
            str(pwfile),
            "--auth",
            "scram-sha-256",
            "-E",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        **run_as,
    )
    log = (root / "server.log").open("wb")
    proc = subprocess.Popen(
        [
            str(bindir / "postgres"),
            "-D",
            str(data),
            "-k",
            str(sock),
            "-c",
            "listen_addresses=",
            "-c",
            "fsync=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "max_connections=60",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        **run_as,
    )
    passfile = root / "pgpass"
    passfile.write_text(f"*:*:*:{ADMIN}:{ADMIN_PASSWORD}\n", encoding="utf-8")
    passfile.chmod(0o600)
    old_passfile = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(passfile)
    server = PgServer(root, sock, passfile, proc.pid)
    try:
        _wait_ready(server, proc)
        yield server
    finally:
        proc.send_signal(signal.SIGINT)  # fast shutdown
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        if old_passfile is None:
            os.environ.pop("PGPASSFILE", None)
        else:
            os.environ["PGPASSFILE"] = old_passfile
        shutil.rmtree(root, ignore_errors=True)


def _wait_ready(server: PgServer, proc: subprocess.Popen) -> None:
    import psycopg

    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            log = (server.root / "server.log").read_text(errors="replace")
            raise RuntimeError(f"PostgreSQL did not start:\n{log}")
        try:
            psycopg.connect(server.url("postgres"), connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)  # polling a starting server, not a test assertion


@pytest.fixture
def hub_db(pg_server: PgServer) -> str:
    """Name of a fresh, empty database (not yet a hub)."""
    return pg_server.create_database()


@dataclass
class Hub:
    """A hub database in the throwaway cluster, and how each person reaches it."""

    server: PgServer
    dbname: str

    @property
    def admin_url(self) -> str:
        """The owner's URL."""
        return self.server.url(self.dbname)

    def url(self, name: str) -> str:
        """``name``'s URL (their password is in the passfile)."""
        return self.server.url(self.dbname, name)

    def add(self, name: str, role: str) -> str:
        """Make ``name`` a member with ``role``; return their URL."""
        from annotator.services.hub_admin import add_member

        password = f"pw-{name}"
        add_member(self.admin_url, name, role, password)
        self.server.add_password(name, password)
        return self.url(name)


@pytest.fixture
def hub(pg_server: PgServer, hub_db: str) -> Hub:
    """A fresh hub (schema created, nobody added yet)."""
    from annotator.services.hub_admin import init_hub

    init_hub(pg_server.url(hub_db))
    return Hub(pg_server, hub_db)
