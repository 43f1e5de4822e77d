"""A throwaway PostgreSQL cluster (for the hub tests and benchmarks).

``start()`` runs ``initdb`` in a temporary directory (on tmpfs when there is
one), starts the server on a Unix socket there (no TCP port) and returns a
``Cluster``; ``Cluster.stop()`` stops it by its pid and removes the files.
Run as root, the server runs as the ``postgres`` OS user (it refuses root).
Passwords are real (scram-sha-256); libpq finds them in the cluster's own
passfile, which ``start`` puts in ``PGPASSFILE``.
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
from dataclasses import dataclass, field
from pathlib import Path

ADMIN = "hubadmin"
ADMIN_PASSWORD = "admin-secret"


class Unavailable(Exception):
    """PostgreSQL (or psycopg) is not installed here."""


def bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin holding initdb (or initdb on PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version_key(path: str) -> tuple[int, ...]:
    part = Path(path).parents[1].name
    return tuple(int(x) for x in part.split(".") if x.isdigit())


@dataclass
class Cluster:
    """A running throwaway cluster reached through a Unix socket."""

    root: Path
    socket_dir: Path
    passfile: Path
    proc: subprocess.Popen
    old_passfile: str | None = None
    _names: itertools.count = field(default_factory=itertools.count)

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.proc.pid

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

        name = f"hub{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def stop(self) -> None:
        """Fast shutdown by pid, then remove the cluster's files."""
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.old_passfile is None:
            os.environ.pop("PGPASSFILE", None)
        else:
            os.environ["PGPASSFILE"] = self.old_passfile
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> Cluster:
    """Start a cluster; raises Unavailable when PostgreSQL or psycopg is missing."""
    try:
        import psycopg
    except ImportError:
        raise Unavailable("psycopg is not installed (run scripts/setup.sh test)") from None
    bindir = bin_dir()
    if bindir is None:
        raise Unavailable("PostgreSQL is not installed (run scripts/setup.sh test)")
    run_as: dict = {}
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise Unavailable("running as root and there is no 'postgres' user") from None
        run_as = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
    shm = Path("/dev/shm")  # a cluster is thousands of small files
    where = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    root = Path(tempfile.mkdtemp(prefix="annotator-pg-", dir=where))
    data, sock, pwfile = root / "data", root / "sock", root / "pw"
    sock.mkdir()
    pwfile.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    if owner is not None:
        for path in (root, sock, pwfile):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    initdb = [str(bindir / "initdb"), "-D", str(data), "-U", ADMIN, "--pwfile", str(pwfile)]
    initdb += ["--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C", "--no-sync"]
    subprocess.run(initdb, check=True, capture_output=True, **run_as)
    log = (root / "server.log").open("wb")
    server = [str(bindir / "postgres"), "-D", str(data), "-k", str(sock)]
    for setting in ("listen_addresses=", "fsync=off", "full_page_writes=off"):
        server += ["-c", setting]
    proc = subprocess.Popen(
        server, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **run_as
    )
    log.close()
    passfile = root / "pgpass"
    passfile.write_text(f"*:*:*:{ADMIN}:{ADMIN_PASSWORD}\n", encoding="utf-8")
    passfile.chmod(0o600)
    cluster = Cluster(root, sock, passfile, proc, os.environ.get("PGPASSFILE"))
    os.environ["PGPASSFILE"] = str(passfile)
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            text = (root / "server.log").read_text(errors="replace")
            cluster.stop()
            raise RuntimeError(f"PostgreSQL did not start:\n{text}")
        try:
            psycopg.connect(cluster.url("postgres"), connect_timeout=2).close()
            return cluster
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                cluster.stop()
                raise
            time.sleep(0.05)  # waiting for a starting server
