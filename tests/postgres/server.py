"""A throwaway PostgreSQL server for tests and benchmarks (Debian's ``postgresql`` package).

``initdb`` into a temporary folder, ``pg_ctl start`` on a free port on 127.0.0.1 with the unix
socket in that folder and trust authentication, then ``stop()`` removes it. As root, the server
runs as the ``postgres`` user (``runuser -u postgres --``), since PostgreSQL refuses root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def find_binaries() -> Path | None:
    """The newest ``/usr/lib/postgresql/*/bin`` with initdb and pg_ctl, or None."""
    candidates = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    for bin_dir in reversed(candidates):
        if (bin_dir / "pg_ctl").exists():
            return bin_dir
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class TempPostgres:
    bin_dir: Path
    root: Path
    port: int
    as_user: list[str]

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create a database (a copy of ``template`` if given) and return its SQLAlchemy URL."""
        import psycopg

        copy = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start_postgres(max_connections: int = 100, durable: bool = False) -> TempPostgres:
    """Start a server; raises RuntimeError (with the server log) if it does not come up.

    ``durable=False`` (tests) turns off fsync: a crash of the machine could lose the throwaway
    data, a crash of a client cannot. Benchmarks pass ``durable=True`` for real commit costs.
    """
    bin_dir = find_binaries()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) not found; install Debian's 'postgresql'")
    root = Path(tempfile.mkdtemp(prefix="samklima-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres", "postgres")
        os.chmod(root, 0o700)
    server = TempPostgres(bin_dir, root, _free_port(), as_user)

    def run(*args: str) -> None:
        done = subprocess.run([*as_user, *args], capture_output=True, text=True)
        if done.returncode != 0:
            log = (root / "server.log").read_text() if (root / "server.log").exists() else ""
            shutil.rmtree(root, ignore_errors=True)
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}\n{log}")

    run(str(bin_dir / "initdb"), "-D", str(server.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C")
    options = (
        f"-c listen_addresses=127.0.0.1 -p {server.port} -c unix_socket_directories={root} "
        f"-c max_connections={max_connections} -c shared_buffers=64MB"
    )
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    run(str(bin_dir / "pg_ctl"), "-D", str(server.data), "-l", str(root / "server.log"), "-o", options, "-w", "-t", "60", "start")
    return server
