"""API test helpers: drive auth like a real client, find a dead port (the error envelope: tests.helpers)."""

from __future__ import annotations

import socket

from flask.testing import FlaskClient

STRONG_PASSWORD = "plum-orbit-canvas-42"


def auth(token: str) -> dict[str, str]:
    """Authorization header for a raw token (access or refresh)."""
    return {"Authorization": f"Bearer {token}"}


def register(http: FlaskClient, email: str, password: str = STRONG_PASSWORD, name: str = "Coach"):
    """POST /auth/register; returns the response."""
    return http.post(
        "/api/v1/auth/register", json={"email": email, "password": password, "name": name}
    )


def login(http: FlaskClient, email: str, password: str) -> dict:
    """Log in and return the token pair, failing the test if login does not succeed."""
    response = http.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.json
    return response.json


def refresh(http: FlaskClient, refresh_token: str):
    """POST /auth/refresh with `refresh_token`; returns the response."""
    return http.post("/api/v1/auth/refresh", headers=auth(refresh_token))


def me(http: FlaskClient, access_token: str):
    """GET /users/me with `access_token`; returns the response."""
    return http.get("/api/v1/users/me", headers=auth(access_token))


def unused_local_port() -> int:
    """A local TCP port nothing listens on (bound, then released): a dependency that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
