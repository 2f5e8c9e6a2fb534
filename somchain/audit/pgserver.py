"""A throwaway PostgreSQL server in a temporary folder, for the audit's tests and benchmark
(never for a real index). PostgreSQL refuses to run as root: as root, the server runs as
the `nobody` user through `runuser`."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from somchain.anvil import free_port

BIN = Path(os.environ.get("SOMCHAIN_PG_BIN", "/usr/lib/postgresql/15/bin"))
RUN_AS = "nobody"


def available() -> str | None:
    """None when a server can be started here, else the reason it cannot."""
    if not (BIN / "initdb").exists():
        return f"PostgreSQL binaries not found in {BIN} (apt-get install postgresql)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser to start PostgreSQL as another user"
    return None


@dataclass
class PostgresServer:
    """`initdb` + `pg_ctl start` on a free port, trust authentication, user `postgres`."""

    port: int = field(default_factory=free_port)
    folder: Path | None = None
    _created: int = 0

    def _run(self, *args: str) -> None:
        command = [str(BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", RUN_AS, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> PostgresServer:
        self.folder = Path(tempfile.mkdtemp(prefix="somchain-pg-"))
        os.chmod(self.folder, 0o777)
        data = self.folder / "data"
        if os.geteuid() == 0:
            shutil.chown(self.folder, RUN_AS)
        self._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(data), "-o", options, "-l", str(self.folder / "log"), "-w", "start"
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                import psycopg

                psycopg.connect(self.admin_url, connect_timeout=2).close()
                return self
            except Exception:
                time.sleep(0.2)
        raise RuntimeError("PostgreSQL did not start")

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; its URL."""
        import psycopg

        self._created += 1
        name = name or f"audit_{os.getpid()}_{self._created}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.folder is not None:
            try:
                self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "stop")
            finally:
                shutil.rmtree(self.folder, ignore_errors=True)
                self.folder = None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
