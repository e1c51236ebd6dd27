"""What a client sees of what their trainer entered: the health details yes, the private notes never.

The decision (SECURITY.md, "Health details and private notes"): health details describe the client
and are theirs to read and correct (GET/PATCH /api/v1/me/profile); private notes are the trainer's
own working notes and reach no page or answer a client can open.
"""

from __future__ import annotations

import pytest

from tests.helpers import bearer

NOTE = "Private-note-8c1f: thinks the client is overtraining"
INJURY = "Injury-3b7e: left rotator cuff strain"
MEDICATION = "Medication-51aa: ibuprofen as needed"


@pytest.fixture
def entered_by_trainer(http, trainer_headers, client_record):
    """The trainer writes a private note and health details through the API."""
    response = http.patch(
        f"/api/v1/clients/{client_record.id}",
        json={"private_notes": NOTE, "health": {"injuries": [INJURY], "medications": [MEDICATION]}},
        headers=trainer_headers,
    )
    assert response.status_code == 200
    assert response.json["private_notes"] == NOTE
    return client_record


def _client_get_routes(app, prefix: str) -> list[str]:
    """Every GET route under `prefix` that takes no URL argument."""
    return sorted(
        {
            rule.rule
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith(prefix) and "GET" in rule.methods and not rule.arguments
        }
    )


@pytest.mark.usefixtures("entered_by_trainer")
def test_the_client_sees_the_health_details_their_trainer_entered(http, client_headers):
    profile = http.get("/api/v1/me/profile", headers=client_headers)

    assert profile.status_code == 200
    assert profile.json["health"]["injuries"] == [INJURY]
    assert profile.json["health"]["medications"] == [MEDICATION]


@pytest.mark.usefixtures("entered_by_trainer")
def test_the_client_may_correct_the_health_details_and_the_trainer_sees_the_correction(
    http, client_headers, trainer_headers, client_record
):
    corrected = http.patch("/api/v1/me/profile", json={"health": {"injuries": []}}, headers=client_headers)
    trainer_view = http.get(f"/api/v1/clients/{client_record.id}", headers=trainer_headers)

    assert corrected.status_code == 200 and corrected.json["health"]["injuries"] == []
    assert trainer_view.json["health"]["injuries"] == [] and trainer_view.json["private_notes"] == NOTE


@pytest.mark.usefixtures("entered_by_trainer")
def test_no_api_answer_a_client_can_get_holds_the_private_notes(app, http, client_headers):
    routes = _client_get_routes(app, "/api/v1/me")
    assert "/api/v1/me/profile" in routes and len(routes) >= 10

    for route in routes:
        response = http.get(route, headers=client_headers)
        assert response.status_code != 500, route  # billing answers 503 without Stripe
        assert NOTE not in response.get_data(as_text=True), route
        assert "private_notes" not in response.get_data(as_text=True), route


@pytest.mark.usefixtures("entered_by_trainer")
def test_no_client_app_page_holds_the_private_notes(app, http, client_user):
    http.set_cookie("access_token_cookie", bearer(client_user)["Authorization"].removeprefix("Bearer "))
    routes = _client_get_routes(app, "/app/")
    assert {"/app/", "/app/profile", "/app/plan"} <= set(routes)

    statuses = {}
    for route in routes:
        response = http.get(route)
        statuses[route] = response.status_code
        assert NOTE not in response.get_data(as_text=True), route
    assert statuses["/app/"] == statuses["/app/profile"] == statuses["/app/plan"] == 200
