"""Kill, stop and stall each process under load; afterwards every acknowledged write is stored once
and no read is stale.

Each test is bounded (fixed numbers of requests, deadlines on every wait) and leaves the stack
running for the next one. The stored truth is read straight from PostgreSQL.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import requests

from faults.conftest import Api
from faults.stack import Stack, alive, children, wait_until
from tests.factories.plans import diet_content
from tests.scheduling_helpers import session_payload

OUTAGE = (requests.ConnectionError, requests.Timeout)


def stored_clients(stack: Stack, tag: str) -> dict[str, int]:
    rows = stack.postgres.rows("SELECT name, count(*) FROM clients WHERE name LIKE %s GROUP BY name", f"{tag}%")
    return dict(rows)


def stored_plans(stack: Stack, tag: str) -> dict[str, int]:
    rows = stack.postgres.rows("SELECT name, count(*) FROM plan_templates WHERE name LIKE %s GROUP BY name", f"{tag}%")
    return dict(rows)


def report_row(stack: Stack, report_id: int) -> dict:
    (row,) = stack.postgres.rows("SELECT status, progress, attempts, error FROM reports WHERE id = %s", report_id)
    return dict(zip(("status", "progress", "attempts", "error"), row, strict=True))


def start_report(api: Api) -> int:
    response = api.post("/api/v1/reports", {"type": "trainer_monthly", "params": {"month": "2026-02"}})
    assert response.status_code == 202, response.text
    return response.json()["id"]


def create_with_retries(api: Api, name: str, key: str, attempts: int = 40) -> int:
    """POST a plan with an Idempotency-Key, retrying the same key until it is answered 201; the tries."""
    body = {"kind": "diet", "name": name, "content": diet_content()}
    for attempt in range(1, attempts + 1):
        try:
            response = api.post("/api/v1/plans", body, key=key, timeout=10)
            if response.status_code == 201:
                return attempt
        except OUTAGE:
            pass
        time.sleep(0.25)
    raise AssertionError(f"{name}: never acknowledged after {attempts} tries with one Idempotency-Key")


def _killing_web_workers(stack: Stack, times: int = 3, every: float = 0.6):
    """A thread that SIGKILLs every gunicorn worker `times` times, `every` seconds apart; set the event to stop it."""
    done = threading.Event()

    def killer() -> None:
        for _ in range(times):
            if done.wait(every):
                return
            stack.kill_web_workers()

    thread = threading.Thread(target=killer)
    thread.start()
    return done, thread


@pytest.mark.short
def test_killed_web_workers_store_each_acknowledged_write_once(stack: Stack, api: Api, tag: str):
    """Writes without a key run 4 at a time while every gunicorn worker is SIGKILLed, three times over."""
    acknowledged: list[str] = []
    unanswered: list[str] = []

    def write(index: int) -> None:
        name = f"{tag}-c{index:03d}"
        try:
            response = api.new_client(name, timeout=10)
        except OUTAGE:
            unanswered.append(name)
            return
        (acknowledged if response.status_code == 201 else unanswered).append(name)

    done, chaos = _killing_web_workers(stack)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, range(40)))
    done.set()
    chaos.join()
    stack.wait_web_ready()

    clients = stored_clients(stack, tag)
    assert acknowledged, "no write was acknowledged"
    assert all(clients.get(name) == 1 for name in acknowledged), {n: clients.get(n) for n in acknowledged}
    assert all(clients.get(name, 0) <= 1 for name in unanswered), clients


@pytest.mark.short
def test_killed_web_workers_with_an_idempotency_key_store_each_write_exactly_once(stack: Stack, api: Api, tag: str):
    """Writes with a key, retried with the same key until answered, while every worker is killed three times.

    The guarantee of the idempotency store (faults-writes, issue 19): whatever point a worker dies
    at, a retry with the same key either replays the stored answer or performs the write once;
    never a key stuck "in progress" (409 for ever) and never a second row.
    """
    done, chaos = _killing_web_workers(stack)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda index: create_with_retries(api, f"{tag}-p{index:03d}", str(uuid.uuid4())), range(20)))
    done.set()
    chaos.join()
    stack.wait_web_ready()

    assert stored_plans(stack, tag) == {f"{tag}-p{index:03d}": 1 for index in range(20)}


@pytest.mark.short
def test_a_redis_stall_loses_no_logout_and_serves_no_stale_list(stack: Stack, api: Api, tag: str):
    leaving = api.login()
    created = api.new_client(f"{tag}-before")
    assert created.status_code == 201, created.text
    client_id = created.json()["client"]["id"]
    for _ in range(6):  # both web workers cache the login check and the list
        assert api.get("/api/v1/users/me", token=leaving).status_code == 200
        assert api.client_names(tag) == [f"{tag}-before"]

    stack.redis.stall()
    try:
        logout = api.post("/api/v1/auth/logout", token=leaving, timeout=10)
        renamed = requests.patch(f"{stack.base}/api/v1/clients/{client_id}", json={"name": f"{tag}-renamed"},
                                 headers=api.headers(), timeout=10)
        during = api.get(f"/api/v1/clients?q={tag}", timeout=10)
        time.sleep(1.5)
    finally:
        stack.redis.resume()

    assert logout.status_code == 204, logout.text
    assert renamed.status_code == 200, renamed.text
    assert during.status_code == 200, during.text
    for _ in range(12):  # Redis answers again, with every key it had
        assert api.get("/api/v1/users/me", token=leaving).status_code == 401
        assert api.client_names(tag) == [f"{tag}-renamed"]


def test_a_redis_restart_with_its_data_during_writes_and_reads(stack: Stack, api: Api, tag: str):
    acknowledged: list[str] = []
    stop = threading.Event()

    def writer() -> None:
        for index in range(40):
            if stop.is_set():
                return
            name = f"{tag}-{index:03d}"
            try:
                if api.new_client(name, timeout=10).status_code == 201:
                    acknowledged.append(name)
            except OUTAGE:
                pass
            time.sleep(0.1)

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(1)
    stack.redis.stop()
    time.sleep(2)
    stack.redis.start()
    thread.join(timeout=60)
    stop.set()

    clients = stored_clients(stack, tag)
    assert acknowledged and all(clients.get(name) == 1 for name in acknowledged), clients
    assert all(count == 1 for count in clients.values()), clients
    extra = f"{tag}-after"
    assert api.new_client(extra).status_code == 201
    for _ in range(6):
        shown = api.get(f"/api/v1/clients?q={extra}").json()
        rows = shown["items"] if isinstance(shown, dict) and "items" in shown else shown
        assert [row["name"] for row in rows] == [extra]


@pytest.mark.short
def test_a_stalled_postgres_fails_requests_fast_and_recovers(stack: Stack, api: Api, tag: str):
    stack.postgres.stall()
    try:
        started = time.monotonic()
        ready = requests.get(stack.base + "/readyz", timeout=15)
        readyz_seconds = time.monotonic() - started
        started = time.monotonic()
        write = api.new_client(f"{tag}-stalled", timeout=15)
        write_seconds = time.monotonic() - started
    finally:
        stack.postgres.resume()

    assert ready.status_code == 503 and readyz_seconds < 6, (ready.status_code, readyz_seconds)
    assert write.status_code == 503 and write_seconds < 8, (write.status_code, write_seconds)
    assert int(write.headers["Retry-After"]) > 0
    wait_until(lambda: api.new_client(f"{tag}-after").status_code == 201, 20, "a write after the stall")
    assert stored_clients(stack, tag) == {f"{tag}-after": 1}


def test_a_stopped_postgres_answers_503_and_recovers_without_restarts(stack: Stack, api: Api, tag: str):
    web_workers = stack.web_workers()
    stack.postgres.stop()
    try:
        down = api.new_client(f"{tag}-down", timeout=15)
    finally:
        stack.postgres.start()

    assert down.status_code == 503 and int(down.headers["Retry-After"]) > 0, down.text
    wait_until(lambda: api.new_client(f"{tag}-up").status_code == 201, 20, "a write after the restart")
    assert stored_clients(stack, tag) == {f"{tag}-up": 1}
    assert stack.web_workers() == web_workers  # recovered in place


def test_a_report_whose_worker_was_killed_is_retried_and_finishes_unopened(stack: Stack, api: Api):
    report_id = start_report(api)
    wait_until(lambda: report_row(stack, report_id)["progress"] > 0, 30, "the report started")

    stack.worker.kill_all()  # the worker, its work horse and its scheduler
    stack.worker.start()

    # Nobody reads the report through the API: the worker's periodic check settles it.
    wait_until(lambda: report_row(stack, report_id)["status"] == "finished", 60, "the report finished", every=0.5)
    assert report_row(stack, report_id)["attempts"] == 2


def test_a_report_whose_database_stopped_mid_job_is_settled_without_anyone_opening_it(stack: Stack, api: Api):
    """The report can write neither its progress nor its failure while PostgreSQL is down: once it
    is back the report must not stay "started". Here the outage outlasts the stack's two 1-second
    retries, so it fails, and says the database was unavailable (not "the worker stopped the job")."""
    worker_pid = stack.worker.pid
    report_id = start_report(api)
    wait_until(lambda: report_row(stack, report_id)["progress"] > 0, 30, "the report started")

    stack.postgres.stop()
    time.sleep(3)  # the outage: the job's next progress writes fail
    stack.postgres.start()

    wait_until(
        lambda: report_row(stack, report_id)["status"] in ("finished", "failed"), 90, "the report settled", every=0.5
    )
    row = report_row(stack, report_id)
    assert row["status"] == "finished" or row["error"].startswith("The database was unavailable"), row
    assert alive(worker_pid), "the worker exited when PostgreSQL went away"
    after = start_report(api)
    wait_until(lambda: report_row(stack, after)["status"] == "finished", 60, "a report after the outage", every=0.5)


def test_a_report_whose_job_vanished_from_redis_is_queued_again(stack: Stack, api: Api):
    stack.worker.terminate()
    report_id = start_report(api)
    stack.redis.command("FLUSHALL")  # Redis lost its data: the queued job is gone
    stack.worker.start()

    wait_until(lambda: report_row(stack, report_id)["status"] == "finished", 60, "the report finished", every=0.5)


def test_the_worker_outlives_a_redis_restart_mid_report(stack: Stack, api: Api):
    worker_pid = stack.worker.pid
    report_id = start_report(api)
    wait_until(lambda: report_row(stack, report_id)["progress"] > 0, 30, "the report started")

    stack.redis.stop()
    time.sleep(3)
    stack.redis.start()

    wait_until(lambda: report_row(stack, report_id)["status"] == "finished", 60, "the report finished", every=0.5)
    assert alive(worker_pid), "python -m workers exited when Redis went away"
    after = start_report(api)
    wait_until(lambda: report_row(stack, after)["status"] == "finished", 60, "a report after the restart", every=0.5)


def test_a_dead_scheduler_is_restarted_within_a_heartbeat(stack: Stack):
    def scheduler() -> int | None:
        found = children(stack.worker.pid)  # idle: the scheduler is the worker's only child
        return found[0] if len(found) == 1 else None

    # A scheduler killed with its worker holds its lock until it expires (61 s): then the next
    # heartbeat starts one.
    wait_until(lambda: scheduler() is not None, 100, "the scheduler is running", every=0.5)
    dead = scheduler()
    assert dead is not None
    os.kill(dead, 9)

    wait_until(lambda: scheduler() not in (None, dead), 45, "a new scheduler process", every=0.5)


def test_writes_with_redis_down_are_answered_and_their_mail_and_reminders_go_out_once(stack: Stack, api: Api, tag: str):
    """Side effects after a commit: a write made while Redis is stopped is stored and answered, its mail
    waits in the outbox and goes out once when Redis is back; a session's reminder comes from the
    sessions table, whether Redis was down when it was booked or lost its data afterwards.
    """
    kept = api.new_client(f"{tag}-kept")
    assert kept.status_code == 201, kept.text
    # Due in under a minute: the 60-minute reminder of a session starting in 60 min 40 s.
    starts_at = (datetime.now(UTC) + timedelta(minutes=60, seconds=40)).replace(microsecond=0).isoformat()
    booked_up = api.post("/api/v1/sessions", session_payload(kept.json()["client"]["id"], starts_at))
    assert booked_up.status_code == 201, booked_up.text
    stack.redis.command("FLUSHALL")  # Redis lost its data: the reminder job it held is gone

    stack.redis.stop()
    try:
        invited = api.new_client(f"{tag}-down", timeout=15)
        booked_down = (
            api.post(
                "/api/v1/sessions",
                session_payload(invited.json()["client"]["id"], starts_at, allow_overlap=True),
                timeout=15,
            )
            if invited.status_code == 201
            else None
        )
        waiting = stack.postgres.rows("SELECT count(*) FROM outbox_messages")[0][0]
    finally:
        stack.redis.start()

    assert invited.status_code == 201, invited.text
    assert booked_down is not None and booked_down.status_code == 201, booked_down and booked_down.text
    assert waiting >= 1, "the invitation's mail should wait in the outbox while Redis is down"
    down_email, kept_email = f"{tag}-down@example.com", f"{tag}-kept@example.com"
    session_ids = (booked_up.json()["id"], booked_down.json()["id"])

    def delivered_reminders() -> int:
        rows = stack.postgres.rows(
            "SELECT count(*) FROM session_reminders WHERE delivered AND offset_minutes = 60 AND session_id = ANY(%s)",
            list(session_ids),
        )
        return rows[0][0]

    # The worker's periodic pass (every PERIODIC_INTERVAL_SECONDS, 60 by default) hands the mail over
    # and sends the reminders that fell due.
    wait_until(lambda: any(to == down_email for to, _ in stack.sent_mail()), 150, "the invitation sent", every=1)
    wait_until(lambda: delivered_reminders() == 2, 150, "both reminders sent", every=1)
    wait_until(lambda: stack.postgres.rows("SELECT count(*) FROM outbox_messages")[0][0] == 0, 60, "outbox empty")
    sent = stack.sent_mail()
    invitations = [subject for to, subject in sent if to == down_email and "invited you" in subject]
    reminders = {
        email: [s for to, s in sent if to == email and s.startswith("Reminder")] for email in (kept_email, down_email)
    }
    assert len(invitations) == 1, sent
    assert {email: len(found) for email, found in reminders.items()} == {kept_email: 1, down_email: 1}, sent
