"""GET /healthz and GET /readyz: liveness, and readiness naming the dependency that failed."""

from __future__ import annotations

import pytest

from tests.api.auth_flow import unused_local_port
from tests.helpers import assert_error


@pytest.fixture
def closed_port() -> int:
    """A local TCP port nothing listens on."""
    return unused_local_port()


def test_healthz_is_200(http):
    response = http.get("/healthz")

    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_checks_the_database(http):
    response = http.get("/readyz")

    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["checks"]["database"] == "ok"


def test_readyz_without_redis_configured_checks_only_the_database(make_app):
    app = make_app({"REDIS_URL": None})

    response = app.test_client().get("/readyz")

    assert response.json == {"status": "ok", "checks": {"database": "ok"}}


def test_readyz_checks_redis_when_configured(make_app, redis_url):
    app = make_app({"REDIS_URL": redis_url})

    response = app.test_client().get("/readyz")

    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok", "redis": "ok"}


def test_readyz_is_503_naming_redis_when_redis_is_down(make_app, closed_port):
    app = make_app({"REDIS_URL": f"redis://127.0.0.1:{closed_port}/0"})

    assert_error(app.test_client().get("/readyz"), 503, "redis", message="redis unreachable")


def test_readyz_is_503_naming_the_database_when_it_is_down(make_app, closed_port):
    app = make_app(
        {"SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://fitbud@127.0.0.1:{closed_port}/fitbud"}
    )

    assert_error(app.test_client().get("/readyz"), 503, "database", message="database unreachable")


def test_healthz_stays_200_when_dependencies_are_down(make_app, closed_port):
    app = make_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://fitbud@127.0.0.1:{closed_port}/fitbud",
            "REDIS_URL": f"redis://127.0.0.1:{closed_port}/0",
        }
    )

    assert app.test_client().get("/healthz").status_code == 200


def test_readyz_names_both_when_both_are_down(make_app, closed_port):
    app = make_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://fitbud@127.0.0.1:{closed_port}/fitbud",
            "REDIS_URL": f"redis://127.0.0.1:{closed_port}/0",
        }
    )

    assert_error(app.test_client().get("/readyz"), 503, ("database", "redis"))
