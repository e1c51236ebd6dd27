"""Where a scenario's time goes, in this process: milliseconds per request and a cProfile of them.

    python -m bench.profile clients_list feed --requests 300 [--cprofile 25] [--sort tottime]

Runs the load benchmark's scenarios (bench/load.py, same requests and production settings, the
bench database and Redis) through the Flask test client, with no HTTP server or load generator,
so a change to one code path shows up here in seconds. The figure is the median of five batches,
each cycling through the scenario's rotated requests. Needs the data from bench/build_data.py.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import secrets
import statistics
import sys
import time
from collections.abc import Sequence

from bench.build_data import BENCH_PASSWORD, DEFAULT_DATABASE_URL
from bench.load import (
    DEFAULT_REDIS_URL,
    SCENARIOS,
    InProcessApp,
    Request,
    load_world,
    psycopg_conninfo,
    server_environment,
)


def _log_in(local: InProcessApp, world) -> None:
    accounts = [world.admin] + [t.login for t in world.trainers] + world.client_logins
    for login in accounts:
        response = local.client.post("/api/v1/auth/login", json={"email": login.email, "password": BENCH_PASSWORD})
        if response.status_code != 200:
            raise SystemExit(f"login as {login.email} failed: {response.status_code} {response.get_json()}")
        login.token = response.get_json()["access_token"]


def _send(local: InProcessApp, request: Request):
    headers = {"Authorization": f"Bearer {request.token}"} if request.token else {}
    return local.client.open(request.path, method=request.method, headers=headers, data=request.body_text,
                             content_type="application/json")


def _batch_ms(local: InProcessApp, requests: Sequence[Request], count: int) -> float:
    started = time.perf_counter()
    for i in range(count):
        _send(local, requests[i % len(requests)])
    return (time.perf_counter() - started) * 1000 / count


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="+", choices=[s.name for s in SCENARIOS if s.server == "fitbud"])
    parser.add_argument("--requests", type=int, default=200, help="requests per batch (five batches)")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="print the top N functions")
    parser.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--client-logins", type=int, default=3)
    parser.add_argument("--quiet-logs", action="store_true", default=True)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    world = load_world(psycopg_conninfo(args.database_url), args.client_logins)
    local = InProcessApp(server_environment(args, secrets.token_urlsafe(32), secrets.token_urlsafe(48)))
    try:
        _log_in(local, world)
        by_name = {s.name: s for s in SCENARIOS}
        for name in args.scenarios:
            requests = by_name[name].make_requests(world)
            status, statements, body = local.measure(requests[0])
            if status >= 300:
                print(f"{name}: answered {status}: {body}")
                continue
            _batch_ms(local, requests, args.requests)  # warm caches and prepared statements
            batches = [_batch_ms(local, requests, args.requests) for _ in range(5)]
            print(f"{name}: {statistics.median(batches):.2f} ms/request (min {min(batches):.2f}), "
                  f"{statements} SQL statements", flush=True)
            if args.cprofile:
                profiler = cProfile.Profile()
                profiler.runcall(_batch_ms, local, requests, args.requests)
                pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.cprofile)
    finally:
        local.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
