"""The benchmark's reference app serves the trainer's client page as Fitbud does (PostgreSQL only)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from bench.reference_app import create_reference_app
from fitbud.extensions import db
from fitbud.models import utcnow
from tests.factories import ClientFactory, ClientUserFactory
from tests.helpers import assert_error, bearer

PAGE = "/api/v1/clients?page_size=50"


@pytest.fixture
def reference(app, database_url) -> Iterator[FlaskClient]:
    """The reference app on the test database, signing keys shared with Fitbud."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the reference app is the PostgreSQL benchmark's; this run uses SQLite")
    reference_app = create_reference_app(database_url, app.config["JWT_SECRET_KEY"])
    yield reference_app.test_client()
    reference_app.extensions["reference_engine"].dispose()


@pytest.fixture
def roster(trainer, other_trainer):
    """Three clients of `trainer` (one archived) and one of another trainer."""
    ClientFactory(trainer=trainer, name="Bea Stone", with_login=True)
    ClientFactory(trainer=trainer, name="Al Moss")
    ClientFactory(trainer=trainer, name="Cy Archived", archived_at=utcnow())
    ClientFactory(trainer=other_trainer, name="Not Yours")


def test_reference_lists_own_unarchived_clients_by_name(reference, roster, trainer_headers):
    response = reference.get(PAGE, headers=trainer_headers)
    assert response.status_code == 200
    assert [item["name"] for item in response.json] == ["Al Moss", "Bea Stone"]
    assert [item["has_login"] for item in response.json] == [False, True]
    assert json.loads(response.headers["X-Pagination"])["total"] == 2


def test_reference_needs_a_token(reference):
    assert_error(reference.get(PAGE), 401, message="Authentication required")


def test_reference_refuses_a_revoked_token(reference, trainer, trainer_headers):
    from fitbud.services.accounts import revoke_user_sessions

    revoke_user_sessions(trainer.id, "test")
    assert_error(reference.get(PAGE, headers=trainer_headers), 401, message="Token has been revoked")


def test_reference_refuses_clients(reference):
    assert_error(reference.get(PAGE, headers=bearer(ClientUserFactory())), 403, message="role may not do this")


def test_reference_page_equals_fitbuds_client_list(app, http, reference, roster, trainer_headers):
    if not any(rule.rule == "/api/v1/clients" and "GET" in rule.methods for rule in app.url_map.iter_rules()):
        pytest.skip("Fitbud's client list is not on this branch yet")
    fitbud = http.get(PAGE, headers=trainer_headers)
    ours = reference.get(PAGE, headers=trainer_headers)
    assert fitbud.status_code == ours.status_code == 200
    assert ours.json == fitbud.json
    assert json.loads(ours.headers["X-Pagination"]) == json.loads(fitbud.headers["X-Pagination"])


def test_reference_imperial_caller_gets_imperial_units(reference, trainer):
    trainer.unit_system = "imperial"
    db.session.commit()
    ClientFactory(trainer=trainer)
    response = reference.get(PAGE, headers=bearer(trainer))
    assert response.json[0]["units"] == {"system": "imperial", "mass": "lb", "length": "in"}
