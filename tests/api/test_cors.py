"""CORS: only the origins in CORS_ORIGINS may call the API from a browser; by default none may."""

from __future__ import annotations

import pytest

from config import ConfigurationError, load_config
from fitbud import create_app

APP_ORIGIN = "https://app.example.com"


@pytest.fixture
def cors_http(app):
    """A client of an app that lets APP_ORIGIN in (its own app: CORS is set up when the app is built)."""
    allowed = create_app({**app.config, "CORS_ORIGINS": [APP_ORIGIN]})
    return allowed.test_client()


def test_by_default_no_origin_gets_a_cors_header(http):
    response = http.get("/healthz", headers={"Origin": APP_ORIGIN})

    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_listed_origin_may_read_the_api_and_its_headers(cors_http):
    response = cors_http.get("/api/v1/users/me", headers={"Origin": APP_ORIGIN})

    assert response.status_code == 401  # status-only: any answer will do; its CORS headers are the point
    assert response.headers["Access-Control-Allow-Origin"] == APP_ORIGIN
    assert "X-Pagination" in response.headers["Access-Control-Expose-Headers"]


def test_a_preflight_from_a_listed_origin_allows_the_token_and_idempotency_headers(cors_http):
    response = cors_http.options(
        "/api/v1/me/check-ins",
        headers={
            "Origin": APP_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type, Idempotency-Key",
        },
    )

    assert response.status_code == 200
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert {"authorization", "content-type", "idempotency-key"} <= {h.strip() for h in allowed.split(",")}


def test_another_origin_is_not_let_in(cors_http):
    response = cors_http.get("/api/v1/users/me", headers={"Origin": "https://evil.example.com"})

    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_origins_are_read_from_the_environment():
    settings = load_config("testing", {"CORS_ORIGINS": "https://a.example.com, https://b.example.com/"})

    assert settings.CORS_ORIGINS == ["https://a.example.com", "https://b.example.com"]


def test_a_cors_origin_that_is_not_an_origin_is_refused():
    with pytest.raises(ConfigurationError, match="CORS_ORIGINS"):
        load_config("testing", {"CORS_ORIGINS": "*"}).validate()
