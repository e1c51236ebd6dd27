"""The load run: Fitbud and the bare-Flask reference under gunicorn, driven by wrk; results to bench/RESULTS.md.

    python -m bench.load [--workers 4] [--duration 10] [--scenarios list,login] [--soak [MINUTES]]

Starts gunicorn (sync workers) for Fitbud (`wsgi:app`, production settings) and for
bench/reference_app.py on loopback ports, waits for /healthz, logs in as the benchmark's trainers
and clients (see bench/build_data.py) to get tokens, then runs wrk once per scenario with a Lua
script that rotates tokens and ids across trainers and clients. For each scenario: requests/s,
p50/p99 latency, non-2xx responses, socket errors, and SQL statements per request (the same request
run once through the Flask test client in this process, with a statement counter on the engine).
A scenario whose route does not exist on this branch is reported as "missing".

The headline is Fitbud's client-list throughput divided by the reference's, measured in the same run.
`--soak` then holds half of the measured maximum on the list endpoint (wrk's per-request delay
paces each connection) and reports 5xx, p99 drift (first vs last minute) and worker RSS growth.

Every target is 127.0.0.1; every wrk run and wait is bounded in time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg

from bench.build_data import (
    ADMIN_EMAIL,
    BENCH_PASSWORD,
    DEFAULT_DATABASE_URL,
    EMAIL_DOMAIN,
    psycopg_conninfo,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = ROOT / "bench" / "RESULTS.md"
RUN_DIR = ROOT / "bench" / "results"  # gitignored: server logs and generated Lua scripts
RESULTS_MARKER = "<!-- newest run goes below this line -->"
HOST = "127.0.0.1"  # the only address this script sends traffic to
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
# A fixed Fernet key for the benchmark database only (production refuses the development key).
BENCH_FIELD_KEY = "YmVuY2gtb25seS1mZXJuZXQta2V5LTMyLWJ5dGVzISE="  # b"bench-only-fernet-key-32-bytes!!"
WRK_INSTALL_HINT = "wrk is not installed: `apt-get install -y wrk` (Debian/Ubuntu package `wrk`)"

LIST_SCENARIO = "clients_list"
REFERENCE_SCENARIO = "reference_list"


# ---------------------------------------------------------------------------------------------
# What the run knows about the data set
# ---------------------------------------------------------------------------------------------


@dataclass
class Login:
    """A benchmark account and, once logged in, its access token."""

    email: str
    user_id: int
    token: str = ""


@dataclass
class TrainerData:
    """A trainer, their listed (not archived) client ids, and logged-in client accounts."""

    login: Login
    client_ids: list[int]
    client_logins: list[Login] = field(default_factory=list)


@dataclass
class World:
    """Everything the scenarios draw requests from."""

    trainers: list[TrainerData]
    admin: Login
    exercise_ids: list[int]
    data_end: date

    @property
    def client_logins(self) -> list[Login]:
        """Every logged-in client account, trainer by trainer."""
        return [login for trainer in self.trainers for login in trainer.client_logins]


def load_world(conninfo: str, clients_per_trainer: int) -> World:
    """The benchmark's accounts and ids, read from the database built by bench/build_data.py."""
    with psycopg.connect(conninfo) as connection:
        admin = connection.execute("SELECT id FROM users WHERE email = %s", (ADMIN_EMAIL,)).fetchone()
        if admin is None:
            raise SystemExit(
                "The benchmark data is not there: run `python -m bench.build_data` (or `make bench`) first."
            )
        trainers = connection.execute(
            "SELECT id, email FROM users WHERE role = 'trainer' AND email LIKE %s ORDER BY id",
            (f"%@{EMAIL_DOMAIN}",),
        ).fetchall()
        world_trainers = []
        for trainer_id, email in trainers:
            clients = connection.execute(
                "SELECT c.id, u.id, u.email FROM clients c JOIN users u ON u.id = c.user_id "
                "WHERE c.trainer_id = %s AND c.archived_at IS NULL ORDER BY c.id",
                (trainer_id,),
            ).fetchall()
            data = TrainerData(Login(email, trainer_id), [row[0] for row in clients])
            data.client_logins = [Login(row[2], row[1]) for row in clients[:clients_per_trainer]]
            world_trainers.append(data)
        exercise_ids = [row[0] for row in connection.execute(
            "SELECT id FROM exercises WHERE owner_id IS NULL ORDER BY id LIMIT 5").fetchall()]
        data_end = connection.execute("SELECT max(performed_on) FROM workout_logs").fetchone()[0]
    return World(world_trainers, Login(ADMIN_EMAIL, admin[0]), exercise_ids, data_end or datetime.now(UTC).date())


# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One HTTP request a scenario sends."""

    method: str
    path: str
    token: str | None = None
    body: dict[str, Any] | None = None

    @property
    def body_text(self) -> str | None:
        """The JSON body as sent."""
        return None if self.body is None else json.dumps(self.body, separators=(",", ":"))


@dataclass(frozen=True)
class Target:
    """What the issue asks of a scenario: a floor on req/s (or on the ratio to the reference) and a p99 ceiling."""

    min_rps: float | None = None
    min_ratio: float | None = None
    max_p99_ms: float | None = None

    def describe(self) -> str:
        """The target as a table cell."""
        parts = []
        if self.min_ratio is not None:
            parts.append(f">= {self.min_ratio:.1f}x ref")
        if self.min_rps is not None:
            parts.append(f">= {self.min_rps:g}/s")
        if self.max_p99_ms is not None:
            parts.append(f"p99 < {self.max_p99_ms:g} ms")
        return ", ".join(parts) or "-"


@dataclass(frozen=True)
class Scenario:
    """A named load: which server, what it shows in the table, and how its requests are made."""

    name: str
    label: str
    server: str  # "fitbud" or "reference"
    make_requests: Callable[[World], list[Request]]
    target: Target = Target()


def _rotate(items: Sequence[Any], count: int) -> list[Any]:
    return [items[i % len(items)] for i in range(count)] if items else []


def _trainer_client_pairs(world: World, count: int = 400) -> list[tuple[str, int]]:
    """(trainer token, one of that trainer's client ids), spread over trainers and clients."""
    pairs = []
    for i in range(count):
        trainer = world.trainers[i % len(world.trainers)]
        pairs.append((trainer.login.token, trainer.client_ids[(i * 7) % len(trainer.client_ids)]))
    return pairs


def _week(day: date) -> tuple[str, str]:
    monday = day - timedelta(days=day.weekday())
    start = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    return start.isoformat().replace("+00:00", "Z"), (start + timedelta(days=7)).isoformat().replace("+00:00", "Z")


def _workout_body(world: World) -> dict[str, Any]:
    return {
        "performed_on": world.data_end.isoformat(),
        "duration_minutes": 60,
        "perceived_effort": 7,
        "exercises": [
            {"exercise_id": exercise_id, "sets": [{"reps": 8, "weight": 60.0} for _ in range(4)]}
            for exercise_id in world.exercise_ids[:5]
        ],
    }


def _logins(world: World) -> list[Request]:
    accounts = [t.login for t in world.trainers] + world.client_logins
    return [Request("POST", "/api/v1/auth/login", body={"email": a.email, "password": BENCH_PASSWORD})
            for a in accounts]


def _trainer_get(path: str) -> Callable[[World], list[Request]]:
    return lambda world: [Request("GET", path, t.login.token) for t in world.trainers]


def _client_get(path: str) -> Callable[[World], list[Request]]:
    return lambda world: [Request("GET", path, login.token) for login in world.client_logins]


def _progress(world: World) -> list[Request]:
    query = urlencode({"from": (world.data_end - timedelta(days=89)).isoformat(), "to": world.data_end.isoformat()})
    return [Request("GET", f"/api/v1/clients/{cid}/progress?{query}", token)
            for token, cid in _trainer_client_pairs(world)]


def _sessions_week(world: World) -> list[Request]:
    start, end = _week(world.data_end)
    query = urlencode({"from": start, "to": end, "page_size": 100})
    return [Request("GET", f"/api/v1/sessions?{query}", t.login.token) for t in world.trainers]


SCENARIOS: list[Scenario] = [
    Scenario(REFERENCE_SCENARIO, "reference: GET /api/v1/clients?page_size=50", "reference",
             _trainer_get("/api/v1/clients?page_size=50")),
    Scenario(LIST_SCENARIO, "GET /api/v1/clients?page_size=50", "fitbud",
             _trainer_get("/api/v1/clients?page_size=50"), Target(min_ratio=1.0, max_p99_ms=100)),
    Scenario("healthz", "GET /healthz: the floor (no token, no database)", "fitbud",
             lambda world: [Request("GET", "/healthz")]),
    Scenario("login", "POST /api/v1/auth/login (argon2id)", "fitbud", _logins, Target(min_rps=30)),
    Scenario("users_me", "GET /api/v1/users/me", "fitbud", _client_get("/api/v1/users/me")),
    Scenario("admin_users", "GET /api/v1/admin/users?page_size=50", "fitbud",
             lambda world: [Request("GET", "/api/v1/admin/users?page_size=50", world.admin.token)]),
    Scenario("client_detail", "GET /api/v1/clients/<id>", "fitbud",
             lambda world: [Request("GET", f"/api/v1/clients/{cid}", token)
                            for token, cid in _trainer_client_pairs(world)], Target(min_rps=900)),
    Scenario("progress", "GET /api/v1/clients/<id>/progress (90 days)", "fitbud", _progress,
             Target(min_rps=300, max_p99_ms=150)),
    Scenario("feed", "GET /api/v1/feed", "fitbud", _trainer_get("/api/v1/feed"), Target(min_rps=300, max_p99_ms=150)),
    Scenario("me_today", "GET /api/v1/me/today", "fitbud", _client_get("/api/v1/me/today"),
             Target(min_rps=300, max_p99_ms=150)),
    Scenario("sessions_week", "GET /api/v1/sessions (one week)", "fitbud", _sessions_week,
             Target(min_rps=300, max_p99_ms=150)),
    Scenario("stats_trainer", "GET /api/v1/stats/trainer", "fitbud", _trainer_get("/api/v1/stats/trainer"),
             Target(min_rps=300, max_p99_ms=150)),
    Scenario("workout_log_write", "POST /api/v1/me/workout-logs (5 x 4 sets)", "fitbud",
             lambda world: [Request("POST", "/api/v1/me/workout-logs", login.token, _workout_body(world))
                            for login in world.client_logins]),
]


# ---------------------------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------------------------


@dataclass
class Server:
    """A gunicorn this script started (and stops)."""

    name: str
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def base_url(self) -> str:
        """Where it listens (loopback only)."""
        return f"http://{HOST}:{self.port}"

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: children of the master process."""
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        if children.exists():
            return sorted(int(pid) for pid in children.read_text().split())
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with _ignore_vanished():
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == master:
                    found.append(int(stat.parent.name))
        return sorted(found)

    def stop(self) -> None:
        """SIGTERM the master (it stops its workers), then SIGKILL after 15 s."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def _ignore_vanished() -> contextlib.suppress:
    """Suppress errors from /proc entries of processes that ended while being read."""
    return contextlib.suppress(OSError, ValueError, IndexError)


def rss_kib(pid: int) -> int | None:
    """A process's resident memory (VmRSS, KiB), or None if it is gone."""
    with _ignore_vanished():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) != 0


def start_gunicorn(name: str, app_spec: str, port: int, workers: int, env: dict[str, str]) -> Server:
    """gunicorn with `workers` sync workers on 127.0.0.1:`port`; its output goes to bench/results/<name>.log."""
    if not _port_free(port):
        raise SystemExit(f"port {port} is in use; pick others with --port")
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    log_path = RUN_DIR / f"{name}.log"
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "sync",
        "--bind", f"{HOST}:{port}", "--backlog", "2048", "--timeout", "60", "--graceful-timeout", "10",
        "--log-level", "warning", app_spec,
    ]
    log = log_path.open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()  # the child holds its own descriptor
    return Server(name, port, process, log_path)


def wait_healthy(server: Server, timeout: float = 60.0) -> None:
    """Wait (bounded) until GET /healthz answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited at start-up; see {server.log_path}")
        try:
            with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise SystemExit(f"{server.name} did not answer /healthz within {timeout:.0f} s; see {server.log_path}")


def server_environment(args: argparse.Namespace, secret_key: str, jwt_secret: str) -> dict[str, str]:
    """Production settings for the bench: real secrets, the bench database and Redis, raised auth limit."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "TEST_"))}
    env.update({
        "FLASK_CONFIG": "production",
        "DATABASE_URL": args.database_url,
        "BENCH_DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": secret_key,
        "JWT_SECRET_KEY": jwt_secret,
        "FIELD_ENCRYPTION_KEYS": BENCH_FIELD_KEY,
        # The login scenario measures hashing, not the limiter; one load generator is one address.
        "AUTH_RATE_LIMIT": "100000/minute",
        # Tokens must outlive the run, soak included.
        "JWT_ACCESS_TOKEN_MINUTES": "600",
        # The bench sends no mail anyone reads: keep it in memory, a deliberate production waiver.
        "MAIL_BACKEND": "memory",
        "ALLOW_UNSAFE_PRODUCTION": "MAIL_BACKEND",
        "PYTHONPATH": str(ROOT),
    })
    if args.quiet_logs:
        env["LOG_LEVEL"] = "WARNING"
    if getattr(args, "response_cache_seconds", None) is not None:
        env["RESPONSE_CACHE_SECONDS"] = str(args.response_cache_seconds)
    if getattr(args, "auth_cache_seconds", None) is not None:
        env["AUTH_CACHE_SECONDS"] = str(args.auth_cache_seconds)
    return env


# ---------------------------------------------------------------------------------------------
# HTTP helpers (loopback only)
# ---------------------------------------------------------------------------------------------


def http_json(base_url: str, request: Request, timeout: float = 30.0) -> tuple[int, Any]:
    """Send one request with urllib; (status, decoded JSON body or None)."""
    if not base_url.startswith(f"http://{HOST}:"):
        raise ValueError("the benchmark only talks to 127.0.0.1")
    data = None if request.body is None else request.body_text.encode()
    headers = {"Content-Type": "application/json"}
    if request.token:
        headers["Authorization"] = f"Bearer {request.token}"
    prepared = urllib.request.Request(base_url + request.path, data=data, headers=headers, method=request.method)
    try:
        with urllib.request.urlopen(prepared, timeout=timeout) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        raw, status = error.read(), error.code
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, None


def log_in_everyone(server: Server, world: World) -> None:
    """Fill in every account's access token by logging in over HTTP (a few in parallel)."""
    accounts = [world.admin] + [t.login for t in world.trainers] + world.client_logins

    def log_in(login: Login) -> None:
        """One login; stores the access token on `login`."""
        status, body = http_json(server.base_url, Request(
            "POST", "/api/v1/auth/login", body={"email": login.email, "password": BENCH_PASSWORD}))
        if status != 200:
            raise SystemExit(f"login as {login.email} failed: {status} {body}")
        login.token = body["access_token"]

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(log_in, accounts))


# ---------------------------------------------------------------------------------------------
# In-process checks: is the route there, does it answer 2xx, how many SQL statements
# ---------------------------------------------------------------------------------------------


class InProcessApp:
    """Fitbud in this process (same settings as the servers) for route checks and statement counts."""

    def __init__(self, env: dict[str, str]) -> None:
        from config import load_config
        from fitbud import create_app

        settings = load_config("production", environ={**env, "LOG_LEVEL": "WARNING"})
        self.app = create_app(settings)
        self.client = self.app.test_client()

    def route_exists(self, request: Request) -> bool:
        """Whether some view answers this method and path (404/405 from routing mean: not merged yet)."""
        from werkzeug.exceptions import MethodNotAllowed, NotFound

        adapter = self.app.url_map.bind("localhost")
        try:
            adapter.match(request.path.split("?", 1)[0], method=request.method)
        except (NotFound, MethodNotAllowed):
            return False
        return True

    def measure(self, request: Request) -> tuple[int, int, str]:
        """(status, SQL statements, short body) of the request's second run (the first warms caches)."""
        from sqlalchemy import event

        from fitbud.extensions import db

        headers = {"Authorization": f"Bearer {request.token}"} if request.token else {}
        statements: list[str] = []

        def record(_conn, _cursor, statement, _params, _context, _many) -> None:
            """Count one statement sent to the database."""
            statements.append(statement)

        with self.app.app_context():
            engine = db.engine
        result = None
        for _attempt in range(2):
            statements.clear()
            event.listen(engine, "before_cursor_execute", record)
            try:
                result = self.client.open(request.path, method=request.method, headers=headers,
                                          data=request.body_text, content_type="application/json")
            finally:
                event.remove(engine, "before_cursor_execute", record)
        assert result is not None
        return result.status_code, len(statements), result.get_data(as_text=True)[:300]

    def close(self) -> None:
        """Release the in-process app's database connections."""
        from fitbud.extensions import db

        with self.app.app_context():
            db.engine.dispose()


# ---------------------------------------------------------------------------------------------
# wrk
# ---------------------------------------------------------------------------------------------


def _lua_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


LUA_TEMPLATE = """\
-- Generated by bench/load.py for scenario {name}: rotates through {count} prepared requests.
local specs = {{
{specs}
}}
local prepared = {{}}
local position = 0
local threads = {{}}
statuses = {{}}
pause_ms = {delay}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  for i, spec in ipairs(specs) do
    local headers = {{}}
    if spec[3] ~= "" then headers["Authorization"] = "Bearer " .. spec[3] end
    if spec[4] ~= "" then headers["Content-Type"] = "application/json" end
    prepared[i] = wrk.format(spec[1], spec[2], headers, spec[4] ~= "" and spec[4] or nil)
  end
  -- Threads start at different places so they do not send the same request in step.
  position = ((thread_number or 1) * 7919) % #prepared
end

function request()
  position = position % #prepared + 1
  return prepared[position]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
{delay_function}
function done(summary, latency, requests)
  local codes = {{}}
  for _, thread in ipairs(threads) do
    local counted = thread:get("statuses")
    for code, n in pairs(counted) do codes[#codes + 1] = string.format('"%d":%d', code, n) end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {{"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,"statuses":{{%s}}}}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    table.concat(codes, ",")))
end
"""

# Paced mode (soak): wait this long before each request on a connection; fractional ms are dithered.
LUA_DELAY = """
function delay()
  local whole = math.floor(pause_ms)
  if math.random() < pause_ms - whole then whole = whole + 1 end
  return whole
end
"""


def write_lua(name: str, requests: Sequence[Request], delay_ms: float | None = None) -> Path:
    """The wrk script for `requests` (in bench/results/, gitignored: it holds live tokens)."""
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    specs = ",\n".join(
        f"  {{{_lua_string(r.method)}, {_lua_string(r.path)}, {_lua_string(r.token or '')}, "
        f"{_lua_string(r.body_text or '')}}}"
        for r in requests
    )
    path = RUN_DIR / f"{name}{'-paced' if delay_ms is not None else ''}.lua"
    path.write_text(LUA_TEMPLATE.format(
        name=name, count=len(requests), specs=specs, delay=0 if delay_ms is None else f"{delay_ms:.3f}",
        delay_function=LUA_DELAY if delay_ms is not None else "",
    ))
    return path


@dataclass
class WrkResult:
    """One wrk run's figures."""

    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[int, int]
    socket_errors: int

    @property
    def rps(self) -> float:
        """Completed requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def non_2xx(self) -> int:
        """Responses outside 200-299."""
        return sum(n for code, n in self.statuses.items() if not 200 <= code < 300)

    @property
    def server_errors(self) -> int:
        """5xx responses."""
        return sum(n for code, n in self.statuses.items() if code >= 500)

    def status_note(self) -> str:
        """Non-2xx codes and counts, for the table."""
        bad = sorted((code, n) for code, n in self.statuses.items() if not 200 <= code < 300)
        return ", ".join(f"{n}x{code}" for code, n in bad)


def run_wrk(url: str, script: Path, seconds: int, threads: int, connections: int) -> WrkResult:
    """One wrk run against `url` (127.0.0.1 only), bounded by `seconds` plus a margin."""
    if not url.startswith(f"http://{HOST}:"):
        raise ValueError("the benchmark only loads 127.0.0.1")
    command = ["wrk", "-t", str(threads), "-c", str(max(connections, threads)), "-d", f"{seconds}s",
               "--timeout", "10s", "-s", str(script), url]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    match = re.search(r"^WRK_JSON (.*)$", completed.stdout, re.MULTILINE)
    if completed.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stdout[-500:]} {completed.stderr[-500:]}")
    data = json.loads(match.group(1))
    return WrkResult(
        requests=data["requests"], seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000, p90_ms=data["p90_us"] / 1000, p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        statuses={int(code): n for code, n in data["statuses"].items()},
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
    )


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What happened to one scenario."""

    scenario: Scenario
    state: str  # "measured", "missing", "failed"
    result: WrkResult | None = None
    statements: int | None = None
    note: str = ""
    verdict: str = "-"


def judge(outcome: Outcome, reference_rps: float | None) -> str:
    """Whether a measured scenario meets its target: 'meets', 'misses (...)' or '-' when it has none."""
    target, result = outcome.scenario.target, outcome.result
    if result is None or target == Target():
        return "-"
    misses = []
    if target.min_rps is not None and result.rps < target.min_rps:
        misses.append(f"{result.rps:.0f}/s < {target.min_rps:g}/s")
    if target.min_ratio is not None and reference_rps:
        ratio = result.rps / reference_rps
        if ratio < target.min_ratio:
            misses.append(f"{ratio:.2f}x < {target.min_ratio:g}x")
    if target.max_p99_ms is not None and result.p99_ms >= target.max_p99_ms:
        misses.append(f"p99 {result.p99_ms:.0f} ms")
    if result.non_2xx or result.socket_errors:
        misses.append("errors")
    return "misses (" + "; ".join(misses) + ")" if misses else "meets"


def run_scenarios(args, scenarios: Sequence[Scenario], world: World, servers: dict[str, Server],
                  local: InProcessApp) -> list[Outcome]:
    """Check, count statements for, warm up and measure each scenario in turn."""
    outcomes = []
    for scenario in scenarios:
        requests = scenario.make_requests(world)
        outcome = Outcome(scenario, "measured")
        outcomes.append(outcome)
        if not requests:
            outcome.state, outcome.note = "failed", "no requests could be made (no data for it?)"
            continue
        if scenario.server == "fitbud":
            if not local.route_exists(requests[0]):
                outcome.state, outcome.note = "missing", "route not on this branch"
                print(f"  {scenario.name}: missing (route not on this branch)", flush=True)
                continue
            status, statements, body = local.measure(requests[0])
            outcome.statements = statements
            if not 200 <= status < 300:
                outcome.state, outcome.note = "failed", f"probe answered {status}: {body}"
                print(f"  {scenario.name}: probe answered {status}: {body}", flush=True)
                continue
        else:
            status, _body = http_json(servers[scenario.server].base_url, requests[0])
            outcome.statements = 3  # by construction: auth, count, page (see reference_app.py)
            if not 200 <= status < 300:
                outcome.state, outcome.note = "failed", f"probe answered {status}"
                continue
        script = write_lua(scenario.name, requests)
        url = servers[scenario.server].base_url
        try:
            if args.warmup:
                run_wrk(url, script, args.warmup, args.threads, args.connections)
            outcome.result = run_wrk(url, script, args.duration, args.threads, args.connections)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            outcome.state, outcome.note = "failed", str(error)
            print(f"  {scenario.name}: {error}", flush=True)
            continue
        r = outcome.result
        print(f"  {scenario.name}: {r.rps:,.0f} req/s, p50 {r.p50_ms:.1f} ms, p99 {r.p99_ms:.1f} ms, "
              f"non-2xx {r.non_2xx}, socket errors {r.socket_errors}, SQL/request {outcome.statements}", flush=True)
    return outcomes


def headline_rounds(args, world: World, servers: dict[str, Server], local: InProcessApp) -> list[tuple[Outcome, ...]]:
    """Reference and Fitbud list alternately, `--rounds` times, so machine noise hits both alike."""
    pair = [s for s in SCENARIOS if s.name in (REFERENCE_SCENARIO, LIST_SCENARIO)]
    rounds = []
    for number in range(args.rounds):
        print(f"headline round {number + 1}/{args.rounds}", flush=True)
        rounds.append(tuple(run_scenarios(args, pair, world, servers, local)))
    return rounds


def merge_rounds(rounds: list[tuple[Outcome, ...]]) -> list[Outcome]:
    """One outcome per headline scenario: requests and time summed over rounds, latencies from the median round."""
    merged = []
    for position in range(len(rounds[0])):
        runs = [r[position] for r in rounds]
        measured = [o for o in runs if o.result is not None]
        if not measured:
            merged.append(runs[0])
            continue
        by_rps = sorted(measured, key=lambda o: o.result.rps)
        middle = by_rps[len(by_rps) // 2]
        statuses: dict[int, int] = {}
        for o in measured:
            for code, n in o.result.statuses.items():
                statuses[code] = statuses.get(code, 0) + n
        total = WrkResult(
            requests=sum(o.result.requests for o in measured), seconds=sum(o.result.seconds for o in measured),
            p50_ms=middle.result.p50_ms, p90_ms=middle.result.p90_ms, p99_ms=middle.result.p99_ms,
            max_ms=max(o.result.max_ms for o in measured), statuses=statuses,
            socket_errors=sum(o.result.socket_errors for o in measured),
        )
        rates = ", ".join(f"{o.result.rps:.0f}" for o in measured)
        merged.append(Outcome(middle.scenario, "measured", total, middle.statements,
                              note=f"{len(measured)} rounds: {rates} req/s"))
    return merged


# ---------------------------------------------------------------------------------------------
# Soak
# ---------------------------------------------------------------------------------------------


@dataclass
class SoakReport:
    """The soak's figures."""

    scenario: str
    minutes: int
    target_rps: float
    connections: int
    per_minute: list[WrkResult]
    rss_start_kib: dict[int, int]
    rss_end_kib: dict[int, int]
    workers_replaced: bool
    stand_in_for: str | None = None  # the scenario this one replaced (not merged yet)

    @property
    def achieved_rps(self) -> float:
        """Mean rate over the whole soak."""
        seconds = sum(r.seconds for r in self.per_minute)
        return sum(r.requests for r in self.per_minute) / seconds if seconds else 0.0

    @property
    def server_errors(self) -> int:
        """5xx over the whole soak."""
        return sum(r.server_errors for r in self.per_minute)

    @property
    def p99_drift(self) -> float:
        """Last minute's p99 relative to the first minute's."""
        first, last = self.per_minute[0].p99_ms, self.per_minute[-1].p99_ms
        return (last - first) / first if first else 0.0

    @property
    def rss_growth(self) -> float:
        """Growth of the workers' summed RSS from start to end."""
        start, end = sum(self.rss_start_kib.values()), sum(self.rss_end_kib.values())
        return (end - start) / start if start else 0.0


def soak(args, scenario: Scenario, max_rps: float, world: World, server: Server) -> SoakReport:
    """Hold half of `max_rps` on `scenario` for `args.soak` minutes, one wrk run per minute."""
    target = max_rps / 2
    connections = args.soak_connections
    requests = scenario.make_requests(world)
    # Each connection waits `pause` before each request: period = pause + latency = connections / target.
    pause_ms = max(0.0, connections / target * 1000 - 5)
    print(f"soak: {scenario.name} at {target:.0f} req/s (half of {max_rps:.0f}) for {args.soak} min, "
          f"{connections} connections", flush=True)
    for _step in range(3):  # calibrate the pause against the achieved rate (short runs, not counted)
        script = write_lua(scenario.name, requests, pause_ms)
        probe = run_wrk(server.base_url, script, 10, args.threads, connections)
        achieved = max(probe.rps, 1.0)
        pause_ms = max(0.0, pause_ms + connections * 1000 * (1 / target - 1 / achieved))
        print(f"  calibration: {achieved:.0f} req/s; pause now {pause_ms:.1f} ms", flush=True)
        if abs(achieved - target) / target < 0.03:
            break
    script = write_lua(scenario.name, requests, pause_ms)
    pids_start = server.worker_pids()
    rss_start = {pid: rss_kib(pid) or 0 for pid in pids_start}
    minutes = []
    for minute in range(args.soak):
        result = run_wrk(server.base_url, script, 60, args.threads, connections)
        minutes.append(result)
        print(f"  minute {minute + 1}/{args.soak}: {result.rps:.0f} req/s, p99 {result.p99_ms:.1f} ms, "
              f"5xx {result.server_errors}, RSS {sum((rss_kib(p) or 0) for p in pids_start) / 1024:.0f} MiB",
              flush=True)
    pids_end = server.worker_pids()
    rss_end = {pid: rss_kib(pid) or 0 for pid in pids_start}
    return SoakReport(scenario.name, args.soak, target, connections, minutes, rss_start, rss_end,
                      workers_replaced=pids_end != pids_start)


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def _run(command: Sequence[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=10, cwd=ROOT,
                              check=False).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine_facts(conninfo: str) -> dict[str, str]:
    """Machine, software and data-set facts for the results header."""
    cpu = "unknown"
    with _ignore_vanished():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with _ignore_vanished():
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    with psycopg.connect(conninfo) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
        sizes = dict(connection.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' AND relname = ANY(%s)",
            (["users", "clients", "workout_logs", "workout_sets", "body_metrics", "meal_logs", "activity_events",
              "training_sessions", "check_ins"],),
        ).fetchall())
        database_size = connection.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    # How fast this machine is right now (it may be shared): one argon2id verify at the configured cost.
    from argon2 import PasswordHasher

    from config import Config

    settings = Config()
    hasher = PasswordHasher(time_cost=settings.ARGON2_TIME_COST, memory_cost=settings.ARGON2_MEMORY_COST,
                            parallelism=settings.ARGON2_PARALLELISM)
    hashed = hasher.hash(BENCH_PASSWORD)
    started = time.perf_counter()
    for _ in range(10):
        hasher.verify(hashed, BENCH_PASSWORD)
    verify_ms = (time.perf_counter() - started) * 100
    commit = _run(["git", "rev-parse", "--short", "HEAD"]) or "unknown commit"
    dirty = bool(_run(["git", "status", "--porcelain", "--untracked-files=no"]))
    branch = _run(["git", "branch", "--show-current"]) or "no branch"
    return {
        "machine": f"{os.cpu_count()} CPUs ({cpu}), {memory} RAM, load average at start "
                   f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        "software": f"Python {platform.python_version()}, PostgreSQL {postgres}, "
                    f"{_run(['wrk', '--version']).split(' [')[0] or 'wrk'}",
        "commit": f"{commit}{' (uncommitted changes)' if dirty else ''} on {branch}",
        "data": "about " + ", ".join(f"{name} {count:,}" for name, count in sorted(sizes.items()))
                + f"; {database_size}",
        "calibration": f"one argon2id verify (m={settings.ARGON2_MEMORY_COST} KiB, t={settings.ARGON2_TIME_COST}, "
                       f"p={settings.ARGON2_PARALLELISM}) takes {verify_ms:.0f} ms on one thread at start",
    }


def format_section(args, facts: dict[str, str], outcomes: list[Outcome], headline: str,
                   soak_report: SoakReport | None) -> str:
    """The markdown section for this run."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    cache_seconds = getattr(args, "response_cache_seconds", None)
    auth_seconds = getattr(args, "auth_cache_seconds", None)
    lines = [
        f"## {now} · {args.source or facts['commit']} · {args.workers} sync workers",
        "",
        f"- Machine: {facts['machine']}",
        f"- Calibration: {facts['calibration']}; load average at end "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- Software: {facts['software']}",
        f"- Data: {facts['data']}",
        f"- Load: wrk {args.threads} threads, {args.connections} connections, {args.duration} s per scenario "
        f"after {args.warmup} s warm-up; headline pair alternated {args.rounds} times",
        "- Response cache: " + ("off (RESPONSE_CACHE_SECONDS=0): every request reads the database"
                                if cache_seconds == 0 else f"on (RESPONSE_CACHE_SECONDS={cache_seconds or 'default'})"),
        "- Token-check cache: " + ("off (AUTH_CACHE_SECONDS=0): every request checks its token in the database"
                                   if auth_seconds == 0 else f"on (AUTH_CACHE_SECONDS={auth_seconds or 'default'})"),
        f"- **Headline: {headline}**",
        "",
        "| scenario | endpoint | req/s | p50 ms | p99 ms | non-2xx | socket errors | SQL/request | target | verdict |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for o in outcomes:
        sql_count = "-" if o.statements is None else str(o.statements)
        if o.result is None:
            lines.append(f"| {o.scenario.name} | {o.scenario.label} | {o.state} | | | | | {sql_count} | "
                         f"{o.scenario.target.describe()} | {_cell(o.note) or o.state} |")
            continue
        r = o.result
        non_2xx = f"{r.non_2xx} ({r.status_note()})" if r.non_2xx else "0"
        lines.append(
            f"| {o.scenario.name} | {o.scenario.label} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {non_2xx} | "
            f"{r.socket_errors} | {sql_count} | {o.scenario.target.describe()} | {o.verdict} |"
        )
    notes = [o for o in outcomes if o.result is not None and o.note]
    if notes:
        lines.append("")
        lines.extend(f"- {o.scenario.name}: {o.note}" for o in notes)
    if soak_report is not None:
        s = soak_report
        first, last = s.per_minute[0], s.per_minute[-1]
        lines += [
            "",
            f"Soak on {s.scenario}"
            + (f" (standing in for {s.stand_in_for}, not on this branch)" if s.stand_in_for else "")
            + f": {s.minutes} min at a target of {s.target_rps:.0f} req/s "
            f"(achieved {s.achieved_rps:.0f} req/s, {s.connections} paced connections).",
            "",
            "| 5xx | socket errors | p99 first min | p99 last min | p99 drift | worker RSS start | worker RSS end | "
            "RSS growth | verdict |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
            f"| {s.server_errors} | {sum(r.socket_errors for r in s.per_minute)} | {first.p99_ms:.1f} ms | "
            f"{last.p99_ms:.1f} ms | {s.p99_drift:+.0%} | {sum(s.rss_start_kib.values()) / 1024:.0f} MiB | "
            f"{sum(s.rss_end_kib.values()) / 1024:.0f} MiB | {s.rss_growth:+.1%} | {soak_verdict(s)} |",
            "",
            "Per minute (req/s, p99 ms): " + ", ".join(f"{r.rps:.0f}/{r.p99_ms:.0f}" for r in s.per_minute),
        ]
        if s.workers_replaced:
            lines.append("\nWarning: gunicorn replaced workers during the soak (a crash or a timeout).")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:160]


def soak_verdict(report: SoakReport) -> str:
    """The issue's soak targets: no 5xx, p99 drift under 20 %, RSS growth under 10 %."""
    misses = []
    if report.server_errors:
        misses.append("5xx")
    if report.p99_drift >= 0.20:
        misses.append("p99 drift")
    if report.rss_growth >= 0.10:
        misses.append("memory growth")
    if report.workers_replaced:
        misses.append("workers replaced")
    return "misses (" + ", ".join(misses) + ")" if misses else "meets"


def write_results(section: str, path: Path = RESULTS_FILE) -> None:
    """Put this run's section at the top of RESULTS.md; earlier runs stay below it."""
    if path.exists():
        text = path.read_text()
    else:
        text = ("# Benchmark results\n\nOne section per `make bench` run (bench/load.py), newest first. "
                "bench/README.md says what is measured and how.\n\n" + RESULTS_MARKER + "\n")
    if RESULTS_MARKER not in text:
        text = text.rstrip("\n") + "\n\n" + RESULTS_MARKER + "\n"
    head, tail = text.split(RESULTS_MARKER, 1)
    earlier = "\n" + tail.lstrip("\n") if tail.strip() else ""
    path.write_text(head + RESULTS_MARKER + "\n\n" + section + earlier)


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="Fitbud load benchmark (see bench/README.md).")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers per app (default 4)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=None, help="wrk connections (default 2 x workers)")
    parser.add_argument("--duration", type=int, default=10, help="seconds measured per scenario (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load first (default 2)")
    parser.add_argument("--rounds", type=int, default=2, help="alternations of reference and Fitbud list")
    parser.add_argument("--scenarios", default="", help="comma-separated names to run (default: all); "
                        + ", ".join(s.name for s in SCENARIOS))
    parser.add_argument("--client-logins", type=int, default=3, help="client accounts logged in per trainer")
    parser.add_argument("--soak", type=int, nargs="?", const=10, default=None, metavar="MINUTES",
                        help="then soak the list endpoint at half its max rate (default 10 minutes)")
    parser.add_argument("--soak-connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=18080, help="Fitbud's port; the reference uses the next one")
    parser.add_argument("--quiet-logs", action="store_true", help="LOG_LEVEL=WARNING (no access log line)")
    parser.add_argument("--response-cache-seconds", type=int, default=None, metavar="S",
                        help="RESPONSE_CACHE_SECONDS for Fitbud (0: every request reads the database)")
    parser.add_argument("--auth-cache-seconds", type=int, default=None, metavar="S",
                        help="AUTH_CACHE_SECONDS for Fitbud (0: every request checks its token in the database)")
    parser.add_argument("--no-results", action="store_true", help="print the section instead of writing it")
    parser.add_argument("--results", type=Path, default=RESULTS_FILE, help="results file (default bench/RESULTS.md)")
    parser.add_argument("--source", default="", help="what code ran, for the header (default: git commit and branch)")
    args = parser.parse_args(argv)
    args.connections = args.connections or 2 * args.workers
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write the results."""
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print(WRK_INSTALL_HINT, file=sys.stderr)
        return 2
    wanted = {name.strip() for name in args.scenarios.split(",") if name.strip()}
    unknown = wanted - {s.name for s in SCENARIOS}
    if unknown:
        print(f"unknown scenario(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    conninfo = psycopg_conninfo(args.database_url)
    world = load_world(conninfo, args.client_logins)
    facts = machine_facts(conninfo)
    env = server_environment(args, secrets.token_urlsafe(32), secrets.token_urlsafe(48))
    with ExitStack() as stack:
        fitbud = start_gunicorn("fitbud", "wsgi:app", args.port, args.workers, env)
        stack.callback(fitbud.stop)
        reference = start_gunicorn("reference", "bench.reference_app:app", args.port + 1, args.workers, env)
        stack.callback(reference.stop)
        servers = {"fitbud": fitbud, "reference": reference}
        for server in servers.values():
            wait_healthy(server)
        print(f"servers up: Fitbud {fitbud.base_url}, reference {reference.base_url}; logging in", flush=True)
        log_in_everyone(fitbud, world)
        local = InProcessApp(env)
        stack.callback(local.close)

        selected = [s for s in SCENARIOS if not wanted or s.name in wanted]
        headline_pair = {REFERENCE_SCENARIO, LIST_SCENARIO}
        outcomes: list[Outcome] = []
        if headline_pair & {s.name for s in selected}:
            outcomes += merge_rounds(headline_rounds(args, world, servers, local))
        rest = [s for s in selected if s.name not in headline_pair]
        print("scenarios", flush=True)
        outcomes += run_scenarios(args, rest, world, servers, local)

        by_name = {o.scenario.name: o for o in outcomes}
        reference_outcome = by_name.get(REFERENCE_SCENARIO)
        reference_rps = reference_outcome.result.rps if reference_outcome and reference_outcome.result else None
        for outcome in outcomes:
            outcome.verdict = judge(outcome, reference_rps)
        list_outcome = by_name.get(LIST_SCENARIO)
        if list_outcome and list_outcome.result and reference_rps:
            headline = (f"Fitbud client list {list_outcome.result.rps:,.0f} req/s / reference {reference_rps:,.0f} "
                        f"req/s = {list_outcome.result.rps / reference_rps:.2f}x")
        elif reference_rps:
            headline = (f"n/a: Fitbud's client list is {list_outcome.state if list_outcome else 'not run'}; "
                        f"reference {reference_rps:,.0f} req/s")
        else:
            headline = "n/a: the reference was not run"
        print(headline, flush=True)

        soak_report = None
        if args.soak:
            soak_report = _soak_with_fallback(args, by_name, world, fitbud)
    section = format_section(args, facts, outcomes, headline, soak_report)
    if not args.no_results:
        write_results(section, args.results)
        print(f"results written to {args.results}")
    else:
        print(section)
    return 0


def _soak_with_fallback(args, by_name: dict[str, Outcome], world: World, fitbud: Server) -> SoakReport | None:
    """Soak the client list; while it is not merged, the admin user list stands in (said in the report)."""
    for name in (LIST_SCENARIO, "admin_users"):
        outcome = by_name.get(name)
        if outcome is not None and outcome.result is not None and outcome.result.rps > 0:
            if name != LIST_SCENARIO:
                print(f"soak: the client list was not measured; soaking {name} instead", flush=True)
            report = soak(args, outcome.scenario, outcome.result.rps, world, fitbud)
            report.stand_in_for = LIST_SCENARIO if name != LIST_SCENARIO else None
            return report
    print("soak skipped: neither the client list nor the admin user list was measured in this run", flush=True)
    return None


if __name__ == "__main__":
    sys.exit(main())
