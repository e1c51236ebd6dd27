"""Plan assignments: immutable snapshots, the one-active-per-kind rule, history and ending."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import PlanAssignment, PlanKind, utcnow
from fitbud.services.local_time import local_today
from tests.factories import (
    ClientFactory,
    ExerciseFactory,
    PlanAssignmentFactory,
    PlanTemplateFactory,
    diet_content,
    workout_content,
)
from tests.helpers import assert_envelope, assert_error

TODAY = utcnow().date()


@pytest.fixture
def workout_plan(trainer):
    """A one-week workout template of the trainer's."""
    exercise = ExerciseFactory(owner=trainer)
    return PlanTemplateFactory(trainer=trainer, name="Strength", content=workout_content([exercise.id]), version=3)


@pytest.fixture
def diet_plan(trainer):
    """A diet template of the trainer's."""
    return PlanTemplateFactory(trainer=trainer, name="Lean", kind=PlanKind.DIET, content=diet_content())


def _url(client_id, suffix=""):
    return f"/api/v1/clients/{client_id}/assignments{suffix}"


def _assign(http, headers, client_id, plan_id, start=TODAY):
    return http.post(_url(client_id), json={"plan_id": plan_id, "start_date": start.isoformat()}, headers=headers)


def _assignments(client_id):
    db.session.expire_all()
    return db.session.execute(
        select(PlanAssignment).where(PlanAssignment.client_id == client_id).order_by(PlanAssignment.id)
    ).scalars().all()


# --- assigning ----------------------------------------------------------------------------


def test_assign_snapshots_content_and_version(http, trainer_headers, client_record, workout_plan):
    response = _assign(http, trainer_headers, client_record.id, workout_plan.id)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["plan_id"] == workout_plan.id and body["plan_version"] == 3 and body["kind"] == "workout"
    assert body["content"] == workout_plan.content and body["name"] == "Strength"
    assert body["status"] == "active" and body["end_date"] is None


def test_diet_assignment_carries_totals(http, trainer_headers, client_record, diet_plan):
    body = _assign(http, trainer_headers, client_record.id, diet_plan.id).json
    assert body["totals"][0]["totals"]["kcal"] == 630.0


def test_future_start_is_scheduled(http, trainer_headers, client_record, workout_plan):
    body = _assign(http, trainer_headers, client_record.id, workout_plan.id, TODAY + timedelta(days=7)).json
    assert body["status"] == "scheduled"


def test_template_edits_do_not_change_the_snapshot(http, trainer, trainer_headers, client_record, workout_plan):
    assignment = _assign(http, trainer_headers, client_record.id, workout_plan.id).json
    exercise = ExerciseFactory(owner=trainer)
    new_content = workout_content([exercise.id], weeks=3)
    edited = http.patch(f"/api/v1/plans/{workout_plan.id}", json={"content": new_content}, headers=trainer_headers)
    assert edited.status_code == 200
    after = http.get(_url(client_record.id, f"/{assignment['id']}"), headers=trainer_headers).json
    assert after["content"] == assignment["content"] and after["plan_version"] == 3


def test_deleting_the_template_keeps_the_snapshot(http, trainer_headers, client_record, workout_plan):
    assignment = _assign(http, trainer_headers, client_record.id, workout_plan.id).json
    assert http.delete(f"/api/v1/plans/{workout_plan.id}", headers=trainer_headers).status_code == 200
    after = http.get(_url(client_record.id, f"/{assignment['id']}"), headers=trainer_headers).json
    assert after["content"] == assignment["content"]


@pytest.mark.parametrize("method", ["patch", "put"])
def test_editing_an_assignment_is_refused(http, trainer_headers, client_record, workout_plan, method):
    assignment = _assign(http, trainer_headers, client_record.id, workout_plan.id).json
    response = getattr(http, method)(
        _url(client_record.id, f"/{assignment['id']}"), json={"content": {"weeks": []}}, headers=trainer_headers
    )
    assert_error(response, 405, message="The method is not allowed for the requested URL")
    assert_envelope(response)
    assert _assignments(client_record.id)[0].content == workout_plan.content


def test_changing_a_snapshot_in_code_is_refused(client_record, workout_plan):
    assignment = PlanAssignmentFactory(client=client_record, plan=workout_plan)
    assignment.content = {"weeks": []}
    with pytest.raises(ValueError, match="immutable"):
        db.session.commit()
    db.session.rollback()


def test_new_assignment_ends_the_previous_of_the_same_kind(http, trainer_headers, client_record, workout_plan, trainer):
    first = _assign(http, trainer_headers, client_record.id, workout_plan.id, TODAY - timedelta(days=10)).json
    second_plan = PlanTemplateFactory(trainer=trainer, content=workout_plan.content)
    second = _assign(http, trainer_headers, client_record.id, second_plan.id, TODAY).json
    rows = {row.id: row for row in _assignments(client_record.id)}
    assert rows[first["id"]].end_date == TODAY - timedelta(days=1)
    assert rows[second["id"]].end_date is None


def test_one_active_per_kind_workout_and_diet_coexist(http, trainer_headers, client_record, workout_plan, diet_plan):
    _assign(http, trainer_headers, client_record.id, workout_plan.id)
    _assign(http, trainer_headers, client_record.id, diet_plan.id)
    active = [row for row in _assignments(client_record.id) if row.is_active_on(TODAY)]
    assert sorted(row.kind.value for row in active) == ["diet", "workout"]


def test_repeated_assignments_never_overlap(http, trainer_headers, client_record, workout_plan):
    starts = [TODAY - timedelta(days=20), TODAY + timedelta(days=5), TODAY - timedelta(days=3), TODAY]
    for start in starts:
        assert _assign(http, trainer_headers, client_record.id, workout_plan.id, start).status_code == 201
    rows = _assignments(client_record.id)
    for day_offset in range(-25, 30):
        day = TODAY + timedelta(days=day_offset)
        assert sum(row.is_active_on(day) for row in rows) <= 1, day
    assert [row.is_active_on(TODAY) for row in rows] == [False, False, False, True]


def test_replacing_a_scheduled_assignment_cancels_it(http, trainer_headers, client_record, workout_plan):
    scheduled = _assign(http, trainer_headers, client_record.id, workout_plan.id, TODAY + timedelta(days=7)).json
    _assign(http, trainer_headers, client_record.id, workout_plan.id, TODAY)
    history = http.get(_url(client_record.id), headers=trainer_headers).json
    assert {a["id"]: a["status"] for a in history}[scheduled["id"]] == "cancelled"


def test_other_trainers_plan_is_invalid(http, trainer_headers, client_record, other_trainer):
    foreign = PlanTemplateFactory(trainer=other_trainer)
    response = _assign(http, trainer_headers, client_record.id, foreign.id)
    assert_error(response, 422, "plan_id")


def test_archived_plan_cannot_be_assigned(http, trainer_headers, client_record, trainer):
    plan = PlanTemplateFactory(trainer=trainer, archived_at=utcnow())
    assert_error(_assign(http, trainer_headers, client_record.id, plan.id), 409, "plan_id")


def test_archived_client_cannot_be_given_a_plan(http, trainer_headers, trainer, workout_plan):
    client = ClientFactory(trainer=trainer, archived_at=utcnow())
    assert_error(_assign(http, trainer_headers, client.id, workout_plan.id), 409, "client")


def test_start_more_than_a_year_away_is_invalid(http, trainer_headers, client_record, workout_plan):
    response = _assign(http, trainer_headers, client_record.id, workout_plan.id, TODAY + timedelta(days=400))
    assert_error(response, 422, "start_date")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_date": "2026-01-01"}, "plan_id"),
        ({"plan_id": 1}, "start_date"),
        ({"plan_id": "one", "start_date": "2026-01-01"}, "plan_id"),
        ({"plan_id": 1, "start_date": "soon"}, "start_date"),
        ({"plan_id": 1, "start_date": "2026-01-01", "content": {}}, "content"),
        ({"plan_id": 0, "start_date": "2026-01-01"}, "plan_id"),
    ],
)
def test_assign_rejects_bad_body(http, trainer_headers, client_record, body, field):
    response = http.post(_url(client_record.id), json=body, headers=trainer_headers)
    assert_error(response, 422, field)


def test_assign_to_unknown_client_is_not_found(http, trainer_headers, workout_plan):
    assert_error(_assign(http, trainer_headers, 999999, workout_plan.id), 404, message="No such client")


# --- history ------------------------------------------------------------------------------


def test_history_lists_newest_first_without_content(http, trainer_headers, client_record, workout_plan, diet_plan):
    _assign(http, trainer_headers, client_record.id, workout_plan.id, TODAY - timedelta(days=30))
    _assign(http, trainer_headers, client_record.id, diet_plan.id, TODAY - timedelta(days=10))
    _assign(http, trainer_headers, client_record.id, workout_plan.id, TODAY)
    response = http.get(_url(client_record.id), headers=trainer_headers)
    assert response.status_code == 200
    assert [(a["kind"], a["status"]) for a in response.json] == [
        ("workout", "active"),
        ("diet", "active"),
        ("workout", "ended"),
    ]
    assert "content" not in response.json[0]


def test_history_filters_by_kind_and_paginates(http, trainer_headers, client_record, workout_plan, diet_plan):
    _assign(http, trainer_headers, client_record.id, workout_plan.id, TODAY - timedelta(days=30))
    _assign(http, trainer_headers, client_record.id, diet_plan.id, TODAY - timedelta(days=10))
    _assign(http, trainer_headers, client_record.id, workout_plan.id, TODAY)
    response = http.get(_url(client_record.id, "?kind=workout&page_size=1&page=2"), headers=trainer_headers)
    assert [a["status"] for a in response.json] == ["ended"]
    assert '"total": 2' in response.headers["X-Pagination"]


def test_history_rejects_bad_kind(http, trainer_headers, client_record):
    assert_error(http.get(_url(client_record.id, "?kind=yoga"), headers=trainer_headers), 422, "kind")


def test_history_of_unknown_client_is_not_found(http, trainer_headers):
    assert_error(http.get(_url(999999), headers=trainer_headers), 404, message="No such client")


def test_unknown_assignment_is_not_found(http, trainer_headers, client_record):
    assert_error(
        http.get(_url(client_record.id, "/999999"), headers=trainer_headers), 404, message="No such assignment"
    )


def test_assignment_of_another_client_is_not_found_under_this_client(http, trainer, trainer_headers, client_record):
    other_client = ClientFactory(trainer=trainer)
    assignment = PlanAssignmentFactory(client=other_client)
    assert_error(
        http.get(_url(client_record.id, f"/{assignment.id}"), headers=trainer_headers),
        404,
        message="No such assignment",
    )


# --- ending -------------------------------------------------------------------------------


def test_end_defaults_to_today_in_the_clients_timezone(http, trainer_headers, client_record, workout_plan):
    assignment = _assign(http, trainer_headers, client_record.id, workout_plan.id, TODAY - timedelta(days=5)).json
    response = http.post(_url(client_record.id, f"/{assignment['id']}/end"), json={}, headers=trainer_headers)
    assert response.status_code == 200
    assert response.json["end_date"] == local_today(client_record).isoformat()


def test_end_on_a_given_date(http, trainer_headers, client_record, workout_plan):
    assignment = _assign(http, trainer_headers, client_record.id, workout_plan.id, TODAY - timedelta(days=5)).json
    end = TODAY - timedelta(days=1)
    response = http.post(
        _url(client_record.id, f"/{assignment['id']}/end"), json={"end_date": end.isoformat()}, headers=trainer_headers
    )
    assert response.json["end_date"] == end.isoformat() and response.json["status"] == "ended"


def test_ending_a_scheduled_assignment_cancels_it(http, trainer_headers, client_record, workout_plan):
    assignment = _assign(http, trainer_headers, client_record.id, workout_plan.id, TODAY + timedelta(days=3)).json
    response = http.post(_url(client_record.id, f"/{assignment['id']}/end"), json={}, headers=trainer_headers)
    assert response.json["status"] == "cancelled"


def test_ending_an_ended_assignment_is_conflict(http, trainer_headers, client_record, workout_plan):
    assignment = _assign(http, trainer_headers, client_record.id, workout_plan.id, TODAY - timedelta(days=5)).json
    end = (TODAY - timedelta(days=1)).isoformat()
    url = _url(client_record.id, f"/{assignment['id']}/end")
    assert http.post(url, json={"end_date": end}, headers=trainer_headers).status_code == 200
    assert_error(http.post(url, json={"end_date": end}, headers=trainer_headers), 409, "end_date")


@pytest.mark.parametrize(
    ("body", "field"),
    [({"end_date": "tomorrow"}, "end_date"), ({"end_date": None}, "end_date"), ({"reason": "x"}, "reason")],
)
def test_end_rejects_bad_body(http, trainer_headers, client_record, body, field):
    assignment = PlanAssignmentFactory(client=client_record)
    url = _url(client_record.id, f"/{assignment.id}/end")
    assert_error(http.post(url, json=body, headers=trainer_headers), 422, field)


def test_end_unknown_assignment_is_not_found(http, trainer_headers, client_record):
    assert_error(
        http.post(_url(client_record.id, "/999999/end"), json={}, headers=trainer_headers),
        404,
        message="No such assignment",
    )


def test_retried_assignment_with_the_same_idempotency_key_assigns_once(
    http, trainer_headers, client_record, workout_plan
):
    headers = {**trainer_headers, "Idempotency-Key": "assign-1"}
    first = _assign(http, headers, client_record.id, workout_plan.id)
    retry = _assign(http, headers, client_record.id, workout_plan.id)
    assert first.status_code == retry.status_code == 201
    assert retry.json["id"] == first.json["id"] and retry.headers["Idempotent-Replayed"] == "true"
    rows = _assignments(client_record.id)
    assert len(rows) == 1 and rows[0].end_date is None
