"""A throw-away PostgreSQL server for the tests: initdb into a temporary folder,
started on a free port on 127.0.0.1, stopped afterwards. As root, it runs as the
unprivileged user ``nobody``, because the server refuses to run as root."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class PostgresServer:
    folder: str
    port: int
    bin_dir: str

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, dbname: str) -> str:
        return f"postgresql://postgres:unused@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, dbname: str) -> str:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{dbname}"')
        return self.url(dbname)

    def stop(self) -> None:
        _run_as_server_user(
            [f"{self.bin_dir}/pg_ctl", "-D", f"{self.folder}/data", "-m", "immediate", "stop"]
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def find_bin_dir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run_as_server_user(command: list[str]) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "nobody", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def start() -> PostgresServer:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)")
    folder = tempfile.mkdtemp(prefix="ragw-pg-")
    os.chmod(folder, 0o777)
    data = f"{folder}/data"
    done = _run_as_server_user(
        [
            f"{bin_dir}/initdb",
            "-D",
            data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ]
    )
    if done.returncode:
        raise RuntimeError(f"initdb failed: {done.stderr.strip()}")
    port = _free_port()
    options = f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c max_connections=200"
    done = _run_as_server_user(
        [
            f"{bin_dir}/pg_ctl",
            "-D",
            data,
            "-o",
            options,
            "-l",
            f"{folder}/server.log",
            "-w",
            "start",
        ]
    )
    if done.returncode:
        log_file = Path(folder, "server.log")
        log = log_file.read_text() if log_file.exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {done.stderr.strip()} {log[-500:]}")
    server = PostgresServer(folder=folder, port=port, bin_dir=bin_dir)
    deadline = time.monotonic() + 30
    while True:
        try:
            import psycopg

            psycopg.connect(server.admin_url).close()
            return server
        except Exception:
            if time.monotonic() > deadline:
                server.stop()
                raise
            time.sleep(0.2)
