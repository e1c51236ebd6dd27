"""No N+1 queries: the client and plan lists run the same few statements at 5 and at 50 rows."""

from __future__ import annotations

import pytest

from fitbud.models import PlanKind, utcnow
from tests.factories import ClientFactory, PlanAssignmentFactory, PlanTemplateFactory, diet_content
from tests.helpers import count_statements

MAX_STATEMENTS = 4  # auth (1) + count (1) + page (1), with one to spare


def _count(http, url, headers) -> tuple[int, int]:
    with count_statements() as counter:
        response = http.get(url, headers=headers)
    assert response.status_code == 200
    return counter.count, len(response.json)


def _fill_clients(trainer, n):
    for i in range(n):
        ClientFactory(
            trainer=trainer, with_login=i % 2 == 0, goals=["strength"], tags=["a"],
            last_activity_at=utcnow() if i % 3 else None,
        )


def _fill_plans(trainer, n):
    for i in range(n):
        if i % 2:
            PlanTemplateFactory(trainer=trainer, tags=["strength"])
        else:
            PlanTemplateFactory(trainer=trainer, kind=PlanKind.DIET, content=diet_content(), tags=["cut"])


@pytest.mark.parametrize(
    ("url", "fill"),
    [
        ("/api/v1/clients?page_size=50", _fill_clients),
        ("/api/v1/clients?page_size=50&goal=strength&q=client&sort=-last_activity", _fill_clients),
        ("/api/v1/plans?page_size=50", _fill_plans),
        ("/api/v1/plans?page_size=50&tag=strength&kind=workout&q=plan&sort=name", _fill_plans),
    ],
)
def test_list_statement_count_does_not_grow_with_rows(http, trainer, trainer_headers, url, fill):
    fill(trainer, 5)
    few, few_rows = _count(http, url, trainer_headers)
    fill(trainer, 45)
    many, many_rows = _count(http, url, trainer_headers)
    assert many_rows > few_rows
    assert few == many <= MAX_STATEMENTS


def test_assignment_history_statement_count_does_not_grow_with_rows(http, client_record, trainer_headers):
    url = f"/api/v1/clients/{client_record.id}/assignments?page_size=50"
    for _ in range(5):
        PlanAssignmentFactory(client=client_record)
    few, _rows = _count(http, url, trainer_headers)
    for _ in range(45):
        PlanAssignmentFactory(client=client_record)
    many, rows = _count(http, url, trainer_headers)
    assert rows == 50
    assert few == many <= MAX_STATEMENTS  # auth, the client, count, page
