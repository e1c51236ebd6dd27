"""PostgreSQL can serve the main list queries from an index (EXPLAIN with sequential scans switched off).

Each entry of LIST_QUERIES builds the statement a list endpoint runs; the test EXPLAINs its page
query and its count query (what `fitbud.api.pagination.paginate` sends) with `enable_seqscan = off`,
so a plan that still reads the table sequentially means no index fits the query's filter or order.
Add a domain's list by appending a ListQuery. SQLite has no comparable planner switch: skipped there.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Select, func, select, text

from fitbud.auth.roles import Role
from fitbud.extensions import db
from fitbud.models import ActivityEvent, Client, User
from fitbud.services import accounts, body_metrics, progress, scheduling, workout_logs

# Literal ids and dates: the plan depends on the statement's shape, not on rows.
CLIENT_ID = 1
FIRST, LAST = date(2026, 1, 1), date(2026, 3, 31)
WEEK_START = datetime(2026, 3, 2, tzinfo=UTC)

SCAN_NODES = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan"}


@dataclass(frozen=True)
class ListQuery:
    """A list endpoint's statement, built for a trainer, and the table it must reach through an index.

    `missing_index` names an index the page query is known to lack: its case is a strict xfail, which
    turns into a failure (a reminder to drop the mark) once a migration adds the index.
    """

    name: str
    table: str
    build: Callable[[User], Select]
    missing_index: str | None = None


LIST_QUERIES = [
    ListQuery(
        "admin users, newest first",
        "users",
        lambda _trainer: accounts.list_users(None, None),
    ),
    ListQuery("admin users of one role", "users", lambda _trainer: accounts.list_users(Role.TRAINER, None)),
    ListQuery(
        "a trainer's clients by name",
        "clients",
        lambda trainer: select(Client)
        .where(Client.trainer_id == trainer.id, Client.archived_at.is_(None))
        .order_by(Client.name, Client.id),
    ),
    ListQuery(
        "a trainer's sessions in one week",
        "training_sessions",
        lambda trainer: scheduling.list_sessions(trainer, WEEK_START, WEEK_START + timedelta(days=7)),
    ),
    ListQuery(
        "a trainer's activity feed, newest first",
        "activity_events",
        lambda trainer: select(ActivityEvent, Client.name)
        .join(Client, Client.id == ActivityEvent.client_id)
        .where(ActivityEvent.trainer_id == trainer.id)
        .order_by(ActivityEvent.id.desc()),
    ),
    ListQuery(
        "a client's workout logs in a date range",
        "workout_logs",
        lambda trainer: workout_logs.client_logs(trainer, CLIENT_ID, FIRST, LAST),
    ),
    ListQuery(
        "a client's body metrics of one kind in a date range",
        "body_metrics",
        lambda trainer: body_metrics.client_metrics(trainer, CLIENT_ID, "weight", FIRST, LAST),
    ),
    ListQuery(
        "progress: a client's body metrics in the range",
        "body_metrics",
        lambda _trainer: progress.body_metrics_query(CLIENT_ID, FIRST, LAST),
    ),
    ListQuery(
        "progress: a client's training per day",
        "workout_logs",
        lambda _trainer: progress.daily_training_query(CLIENT_ID, FIRST, LAST),
    ),
    ListQuery(
        "progress: a client's calories per day",
        "meal_logs",
        lambda _trainer: progress.daily_kcal_query(CLIENT_ID, FIRST, LAST),
    ),
]


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def scans_of(statement: Select) -> list[dict[str, Any]]:
    """The scan nodes of the statement's plan (EXPLAIN FORMAT JSON), sequential scans switched off."""
    connection = db.session.connection()
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    compiled = statement.compile(dialect=connection.dialect)
    raw = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params).scalar_one()
    plan = (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]
    return [node for node in _nodes(plan) if node["Node Type"] in SCAN_NODES]


@pytest.fixture
def postgres(app):
    """Skip outside PostgreSQL: the planner switch and EXPLAIN's JSON are PostgreSQL's."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL (TEST_DATABASE_URL); this run uses SQLite")
    yield
    db.session.rollback()


def _page(statement: Select) -> Select:
    return statement.limit(50).offset(0)


def _count(statement: Select) -> Select:
    return select(func.count()).select_from(statement.order_by(None).subquery())


def _cases() -> Iterator[Any]:
    for query in LIST_QUERIES:
        for shape_name, shape in (("page", _page), ("count", _count)):
            marks = ()
            if shape is _page and query.missing_index:
                marks = pytest.mark.xfail(strict=True, reason=f"no index on {query.missing_index} yet")
            yield pytest.param(query, shape, id=f"{shape_name}-{query.name}", marks=marks)


@pytest.mark.postgres
@pytest.mark.parametrize(("query", "shape"), list(_cases()))
def test_list_query_reaches_its_table_through_an_index(postgres, trainer, query, shape):
    scans = scans_of(shape(query.build(trainer)))
    on_table = [node for node in scans if node.get("Relation Name") == query.table]
    described = [f"{node['Node Type']} {node.get('Index Name') or node.get('Relation Name', '')}" for node in scans]
    # A Bitmap Heap Scan is fed by a Bitmap Index Scan below it, so every kind but Seq Scan uses an index.
    assert on_table and all(node["Node Type"] != "Seq Scan" for node in on_table), (
        f"{query.name}: no index fits; the plan scans {described}"
    )
