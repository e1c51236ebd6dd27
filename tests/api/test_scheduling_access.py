"""Every scheduling and messaging endpoint refuses a missing token (401) and the wrong role (403)."""

import pytest

from tests.factories import ClientUserFactory, TrainerDayOffFactory, WorkingHoursFactory
from tests.helpers import assert_error, bearer

TRAINER_ONLY = [
    ("get", "/api/v1/sessions"),
    ("post", "/api/v1/sessions"),
    ("post", "/api/v1/sessions/series"),
    ("get", "/api/v1/sessions/series/1"),
    ("get", "/api/v1/sessions/1"),
    ("patch", "/api/v1/sessions/1"),
    ("post", "/api/v1/sessions/1/status"),
    ("get", "/api/v1/sessions/requests"),
    ("post", "/api/v1/sessions/requests/1/accept"),
    ("post", "/api/v1/sessions/requests/1/decline"),
    ("get", "/api/v1/trainers/me/working-hours"),
    ("post", "/api/v1/trainers/me/working-hours"),
    ("patch", "/api/v1/trainers/me/working-hours/1"),
    ("delete", "/api/v1/trainers/me/working-hours/1"),
    ("get", "/api/v1/trainers/me/days-off"),
    ("post", "/api/v1/trainers/me/days-off"),
    ("patch", "/api/v1/trainers/me/days-off/1"),
    ("delete", "/api/v1/trainers/me/days-off/1"),
    ("get", "/api/v1/trainers/me/availability"),
]
CLIENT_ONLY = [
    ("get", "/api/v1/me/sessions"),
    ("get", "/api/v1/me/sessions/1"),
    ("post", "/api/v1/me/sessions/1/cancel"),
    ("get", "/api/v1/me/sessions/requests"),
    ("post", "/api/v1/me/sessions/requests"),
    ("get", "/api/v1/me/availability"),
]
PARTICIPANTS = [
    ("get", "/api/v1/calendar/feed"),
    ("post", "/api/v1/calendar/feed/rotate"),
    ("get", "/api/v1/conversations"),
    ("post", "/api/v1/conversations"),
    ("get", "/api/v1/conversations/1"),
    ("get", "/api/v1/conversations/1/messages"),
    ("post", "/api/v1/conversations/1/messages"),
    ("post", "/api/v1/conversations/1/read"),
]


def _call(http, method, url, headers=None):
    kwargs = {"headers": headers or {}}
    if method in ("post", "patch"):
        kwargs["json"] = {}
    return getattr(http, method)(url, **kwargs)


@pytest.mark.parametrize(("method", "url"), TRAINER_ONLY + CLIENT_ONLY + PARTICIPANTS)
def test_no_token_is_401(http, method, url):
    response = _call(http, method, url)
    assert_error(response, 401, message="Authentication required")
    assert response.json["code"] == 401


@pytest.mark.parametrize(("method", "url"), TRAINER_ONLY)
@pytest.mark.parametrize("role_headers", ["client_headers", "admin_headers"])
def test_trainer_endpoints_refuse_other_roles(http, request, method, url, role_headers):
    assert_error(_call(http, method, url, request.getfixturevalue(role_headers)), 403, "role")


@pytest.mark.parametrize(("method", "url"), CLIENT_ONLY)
@pytest.mark.parametrize("role_headers", ["trainer_headers", "admin_headers"])
def test_client_endpoints_refuse_other_roles(http, request, method, url, role_headers):
    assert_error(_call(http, method, url, request.getfixturevalue(role_headers)), 403, "role")


@pytest.mark.parametrize(("method", "url"), PARTICIPANTS)
def test_participant_endpoints_refuse_admins(http, admin_headers, method, url):
    assert_error(_call(http, method, url, admin_headers), 403, "role")


# Bad input classes not covered by the domain test modules ---------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_time": "13:00", "end_time": "12:00"}, "end_time"),
        ({"weekday": -1}, "weekday"),
        ({"weekday": 0, "colour": "red"}, "colour"),
    ],
)
def test_bad_working_hours_changes_are_422(http, trainer, trainer_headers, body, field):
    hours = WorkingHoursFactory(trainer=trainer)
    response = http.patch(f"/api/v1/trainers/me/working-hours/{hours.id}", json=body, headers=trainer_headers)
    assert_error(response, 422, field)


def test_bad_days_off_range_is_422(http, trainer_headers):
    response = http.get("/api/v1/trainers/me/days-off", query_string={"from": "soon"}, headers=trainer_headers)
    assert_error(response, 422, "from")


def test_moving_a_day_off_onto_another_is_409(http, trainer, trainer_headers):
    from datetime import date

    TrainerDayOffFactory(trainer=trainer, on_date=date(2026, 5, 1))
    movable = TrainerDayOffFactory(trainer=trainer, on_date=date(2026, 5, 2))
    response = http.patch(f"/api/v1/trainers/me/days-off/{movable.id}", json={"on_date": "2026-05-01"},
                          headers=trainer_headers)
    assert_error(response, 409, "on_date")


def test_bad_client_availability_query_is_422(http, client_headers):
    query = {"from": "2026-05-01T00:00:00Z", "to": "2026-07-01T00:00:00Z"}
    assert_error(http.get("/api/v1/me/availability", query_string=query, headers=client_headers), 422, "to")


def test_requesting_without_a_trainer_is_404(http):
    loner = bearer(ClientUserFactory())
    body = {"starts_at": "2030-05-01T10:00:00Z"}
    assert_error(
        http.post("/api/v1/me/sessions/requests", json=body, headers=loner),
        404,
        message="You are not coached by a trainer on Fitbud",
    )
