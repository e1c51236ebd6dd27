"""Ownership on every endpoint of clients, plans and assignments.

Another trainer gets 404 for a client, plan or assignment that is not theirs (nothing leaks,
nothing changes); a client login gets 404 on every endpoint that names a client (their own record
included, so no id leaks) and 403 on the other trainer endpoints; no token gets 401.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from fitbud.extensions import db
from fitbud.models import Client, ClientInvitation, PlanAssignment, PlanTemplate, User
from tests.factories import (
    ClientFactory,
    ExerciseFactory,
    PlanAssignmentFactory,
    PlanTemplateFactory,
    workout_content,
)
from tests.helpers import assert_error, bearer

pytestmark = pytest.mark.usefixtures("mail_outbox")

START = date.today().isoformat()


@pytest.fixture
def world(trainer, other_trainer, client_record):
    """Trainer A's client (with login), an invited client, a plan and an assignment; B's own plan."""
    exercise = ExerciseFactory(owner=trainer)
    plan = PlanTemplateFactory(trainer=trainer, content=workout_content([exercise.id]))
    assignment = PlanAssignmentFactory(client=client_record, plan=plan)
    invited = ClientFactory(trainer=trainer, name="Invited Only")
    foreign_plan = PlanTemplateFactory(trainer=other_trainer)
    return {
        "cid": client_record.id,
        "name": client_record.name,
        "invited": invited.id,
        "pid": plan.id,
        "aid": assignment.id,
        "foreign_pid": foreign_plan.id,
    }


# (method, url template, json body): every endpoint that names a client, plan or assignment.
ENDPOINTS = [
    ("get", "/api/v1/clients/{cid}", None),
    ("patch", "/api/v1/clients/{cid}", {"is_active": False}),
    ("delete", "/api/v1/clients/{cid}", None),
    ("delete", "/api/v1/clients/{cid}?purge=true", {"confirm_name": "{name}"}),
    ("post", "/api/v1/clients/{invited}/invitation", None),
    ("get", "/api/v1/clients/{cid}/assignments", None),
    ("post", "/api/v1/clients/{cid}/assignments", {"plan_id": "{foreign_pid}", "start_date": START}),
    ("get", "/api/v1/clients/{cid}/assignments/{aid}", None),
    ("post", "/api/v1/clients/{cid}/assignments/{aid}/end", {}),
    ("get", "/api/v1/plans/{pid}", None),
    ("patch", "/api/v1/plans/{pid}", {"name": "Hijacked"}),
    ("delete", "/api/v1/plans/{pid}", None),
    ("post", "/api/v1/plans/{pid}/duplicate", {}),
]
IDS = [f"{method} {url}" for method, url, _ in ENDPOINTS]


def _fill(template, world):
    if isinstance(template, str):
        value = template.format(**world)
        return int(value) if template.startswith("{") and value.isdigit() else value
    if isinstance(template, dict):
        return {key: _fill(value, world) for key, value in template.items()}
    return template


def _call(http, method, url, body, world, headers):
    kwargs = {"headers": headers}
    if body is not None:
        kwargs["json"] = _fill(body, world)
    return getattr(http, method)(_fill(url, world), **kwargs)


def _snapshot():
    db.session.expire_all()
    clients = db.session.execute(
        select(Client.id, Client.is_active, Client.archived_at).order_by(Client.id)
    ).all()
    plans = db.session.execute(select(PlanTemplate.id, PlanTemplate.name, PlanTemplate.version)).all()
    assignments = db.session.execute(select(PlanAssignment.id, PlanAssignment.end_date)).all()
    invitations = db.session.execute(select(func.count()).select_from(ClientInvitation)).scalar_one()
    return clients, sorted(plans), sorted(assignments), invitations


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS, ids=IDS)
def test_other_trainer_gets_not_found_and_changes_nothing(http, world, other_trainer_headers, method, url, body):
    before = _snapshot()
    response = _call(http, method, url, body, world, other_trainer_headers)
    # The innermost object the URL names is what the other trainer is told does not exist.
    missing = "assignment" if "{aid}" in url else "plan" if "{pid}" in url else "client"
    assert_error(response, 404, message=f"No such {missing}")
    assert _snapshot() == before


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS, ids=IDS)
def test_client_login_gets_no_access_and_changes_nothing(http, world, client_headers, method, url, body):
    before = _snapshot()
    response = _call(http, method, url, body, world, client_headers)
    assert response.status_code == (404 if url.startswith("/api/v1/clients/{") else 403)
    assert _snapshot() == before


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS, ids=IDS)
def test_no_token_gets_unauthorized(http, world, method, url, body):
    assert_error(_call(http, method, url, body, world, {}), 401, message="Authentication required")


def test_other_trainer_lists_see_nothing_of_mine(http, world, other_trainer_headers):
    assert http.get("/api/v1/clients", headers=other_trainer_headers).json == []
    plans = http.get("/api/v1/plans", headers=other_trainer_headers).json
    assert [plan["id"] for plan in plans] == [world["foreign_pid"]]


def test_assigning_my_plan_to_another_trainers_client_is_not_found(http, world, other_trainer_headers):
    response = http.post(
        f"/api/v1/clients/{world['cid']}/assignments",
        json={"plan_id": world["pid"], "start_date": START},
        headers=other_trainer_headers,
    )
    assert_error(response, 404, message="No such client")


def test_assigning_another_trainers_plan_to_my_client_is_invalid(http, world, trainer_headers):
    before = _snapshot()
    response = http.post(
        f"/api/v1/clients/{world['cid']}/assignments",
        json={"plan_id": world["foreign_pid"], "start_date": START},
        headers=trainer_headers,
    )
    assert_error(response, 422, "plan_id")
    assert _snapshot() == before


def test_client_of_another_trainer_sees_only_their_own_plan(http, world, other_trainer):
    theirs = ClientFactory(trainer=other_trainer, with_login=True)
    headers = bearer(db.session.get(User, theirs.user_id))
    assert http.get("/api/v1/me/plan", headers=headers).json["workout"] is None
    assert http.get("/api/v1/me/profile", headers=headers).json["id"] == theirs.id
