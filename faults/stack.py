"""The processes the fault suite breaks: its own PostgreSQL, Redis, gunicorn and RQ worker.

Everything runs from a temporary folder on spare ports (never the machine's 5432/6379): PostgreSQL
is initdb'ed there and started with pg_ctl (as the `postgres` user when the suite runs as root),
Redis keeps an append-only file there so a restart keeps its data. Each process is signalled by
the pid this module started, never by name.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "plum-orbit-canvas-42"
TRAINER_EMAIL = "faults-coach@example.com"
# Settings of the developer's shell that must not reach the stack's processes.
OWN_SETTINGS = ("TEST_", "FLASK_", "DATABASE_", "REDIS_", "CACHE_", "REPORT_", "RQ_")


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], bool], timeout: float, what: str, every: float = 0.1) -> float:
    """Poll `condition` until it holds; seconds it took. Fails the test (AssertionError) after `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(every)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def descendants(pid: int) -> list[int]:
    found = []
    for child in children(pid):
        found += [child, *descendants(child)]
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state != "Z"


def postgres_bin() -> Path:
    """The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<version>/bin)."""
    found = glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
    if not found:
        raise RuntimeError("the fault suite needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin)")
    return Path(max(found, key=lambda path: int(re.search(r"/(\d+)/bin", path).group(1)))).parent


class Postgres:
    """A private PostgreSQL cluster: start, stop (pg_ctl), stall and resume (SIGSTOP/SIGCONT)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "pg"
        self.data = self.folder / "data"
        self.port = spare_port()
        self.bin = postgres_bin()
        self.folder.mkdir()
        self._as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        if self._as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.folder)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/fitbud"

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder} "
                   "-c fsync=off -c synchronous_commit=off -c max_connections=80")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def pids(self) -> list[int]:
        master = int((self.data / "postmaster.pid").read_text().split()[0])
        return [master, *descendants(master)]

    def stall(self) -> None:
        for pid in self.pids():
            os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in self.pids():
            os.kill(pid, signal.SIGCONT)

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=fitbud", autocommit=True,
                               connect_timeout=3)

    def create_database(self) -> None:
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as connection:
            connection.execute("CREATE DATABASE fitbud")

    def rows(self, sql: str, *params: object) -> list[tuple]:
        with self.connect() as connection:
            return connection.execute(sql, params).fetchall()


class Redis:
    """A private redis-server with an append-only file: stop and start keep its data; stall and resume."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "redis"
        self.folder.mkdir()
        self.port = spare_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, 10, "redis-server started")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def command(self, *words: str) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall((f"*{len(words)}\r\n" + "".join(f"${len(w)}\r\n{w}\r\n" for w in words)).encode())
            return sock.recv(1024)

    def stop(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)  # flushes the append-only file
        self.process.wait(timeout=10)

    def stall(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


class Service:
    """A Python process of the app (gunicorn, the worker) started in a session of its own."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.command, self.env, self.log = command, env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=log, stderr=log,
                                            start_new_session=True)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kill_all(self) -> None:
        """SIGKILL the process and every process it started, as a container's kill would.

        Each by pid: rq's work horse runs in a session of its own, out of reach of a group signal.
        """
        assert self.process is not None
        for pid in [*descendants(self.process.pid), self.process.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill_all()


class Stack:
    """PostgreSQL, Redis, gunicorn (2 workers, preloaded) and the RQ worker, wired together."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="fitbud-faults-"))
        os.chmod(self.folder, 0o755)
        self.postgres = Postgres(self.folder)
        self.redis = Redis(self.folder)
        self.port = spare_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{key: value for key, value in os.environ.items() if not key.startswith(OWN_SETTINGS)},
            "PYTHONPATH": str(ROOT),
            "FLASK_APP": "wsgi.py",
            "FLASK_SKIP_DOTENV": "1",
            "FLASK_CONFIG": "development",
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": self.redis.url,
            "LOG_LEVEL": "WARNING",
            "LOG_JSON": "false",
            "RATELIMIT_ENABLED": "false",
            "MAIL_BACKEND": "console",
            "DATABASE_CONNECT_TIMEOUT": "2",
            "DATABASE_STATEMENT_TIMEOUT": "2",
            "REPORT_HEARTBEAT_SECONDS": "1",
            "REPORT_HEARTBEAT_TIMEOUT": "5",
            "REPORT_CHECK_SECONDS": "2",
            "REPORT_RETRY_INTERVALS": "1,1",
            "RQ_QUEUE_PREFIX": "faults:",
            "FAULTS_MAIL_FILE": str(self.folder / "mail.log"),
        }
        self.web = Service(
            [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--workers", "2",
             "--bind", f"127.0.0.1:{self.port}", "--timeout", "30", "--graceful-timeout", "5", "wsgi:app"],
            self.env, self.folder / "web.log",
        )
        self.worker = Service([PYTHON, "-m", "faults.slow_worker"], self.env, self.folder / "worker.log")

    def start(self) -> None:
        self.postgres.start()
        self.postgres.create_database()
        self.redis.start()
        self._flask("db", "upgrade")
        subprocess.run([PYTHON, "-m", "faults.setup_data", TRAINER_EMAIL, PASSWORD], cwd=ROOT, env=self.env,
                       check=True, stdout=subprocess.DEVNULL)
        self.web.start()
        self.worker.start()
        self.wait_web_ready()

    def _flask(self, *args: str) -> None:
        subprocess.run([PYTHON, "-m", "flask", *args], cwd=ROOT, env=self.env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_web_ready(self, timeout: float = 90) -> None:
        wait_until(lambda: self._answers("/readyz") and len(self.web_workers()) == 2, timeout, "gunicorn ready")

    def _answers(self, path: str) -> bool:
        try:
            return requests.get(self.base + path, timeout=3).status_code == 200
        except requests.RequestException:
            return False

    def sent_mail(self) -> list[tuple[str, str]]:
        """(to, subject) of every mail the worker delivered so far (faults/slow_worker.py notes them)."""
        try:
            lines = Path(self.env["FAULTS_MAIL_FILE"]).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        return [(to, subject) for to, _, subject in (line.partition("\t") for line in lines)]

    def web_workers(self) -> list[int]:
        return children(self.web.pid)

    def kill_web_workers(self) -> None:
        for pid in self.web_workers():
            os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        for service in (self.worker, self.web):
            if service.process is not None and service.process.poll() is None:
                service.kill_all()  # nothing of theirs needs saving
        try:
            self.redis.resume()
            self.redis.stop()
        except Exception:  # noqa: BLE001
            pass
        try:
            self.postgres.resume()
            self.postgres.stop()
        except Exception:  # noqa: BLE001
            pass
        shutil.rmtree(self.folder, ignore_errors=True)
