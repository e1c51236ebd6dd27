"""Cold start: CPU seconds until gunicorn's workers are ready, with and without preload_app.

    python -m bench.cold_start [--workers 2] [--rounds 3]

For each mode it starts gunicorn on an empty SQLite database (in a temporary folder), waits until
every worker answers, then kills all workers at once (SIGKILL, as an OOM killer or a crash would)
and waits until the replacements answer again. It reports the CPU seconds (user + system, from
/proc) the master spent before its workers were ready, each worker spent until it was ready, and
the seconds the service was down after the kill. Linux only (it reads /proc). Not part of CI.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def wait_ready(master: int, workers: int, port: int, timeout: float = 120) -> list[int]:
    """The worker pids once `workers` of them run and their CPU has settled (each is idle: booted)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = children(master)
        if len(pids) == workers and answers(port):
            before = {pid: cpu_seconds(pid) for pid in pids}
            time.sleep(0.5)
            if all(cpu_seconds(pid) - before[pid] < 0.02 for pid in pids) and children(master) == pids:
                return pids
        time.sleep(0.1)
    raise TimeoutError("gunicorn's workers did not become ready")


def measure(preload: bool, workers: int, port: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "gunicorn.conf.py"
        config.write_text((ROOT / "gunicorn.conf.py").read_text() if preload else "")
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/cold.db",
            "FLASK_CONFIG": "development",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("REDIS_URL", None)
        command = [sys.executable, "-m", "gunicorn", "-c", str(config), "--workers", str(workers),
                   "--bind", f"127.0.0.1:{port}", "wsgi:app"]
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            first = wait_ready(server.pid, workers, port)
            master_cpu = cpu_seconds(server.pid)
            first_cpu = [cpu_seconds(pid) for pid in first]
            killed_at = time.monotonic()
            for pid in first:
                os.kill(pid, signal.SIGKILL)
            while not answers(port):
                time.sleep(0.02)
            down = time.monotonic() - killed_at
            second = wait_ready(server.pid, workers, port)
            second_cpu = [cpu_seconds(pid) for pid in second]
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    return {
        "master": master_cpu,
        "first_worker": max(first_cpu),
        "replacement_worker": max(second_cpu),
        "down_seconds": down,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cold_start", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=18190)
    args = parser.parse_args(argv)
    print(f"{'mode':<12} {'master CPU s':>12} {'worker CPU s':>12} {'replacement CPU s':>18} {'down s':>7}")
    for preload in (False, True):
        runs = [measure(preload, args.workers, args.port) for _ in range(args.rounds)]
        median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        mode = "preload" if preload else "no preload"
        print(f"{mode:<12} {median['master']:>12.2f} {median['first_worker']:>12.2f} "
              f"{median['replacement_worker']:>18.2f} {median['down_seconds']:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
