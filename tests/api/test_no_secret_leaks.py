"""Walk every response of an account scenario: no password or hash; tokens only where issued."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask import request_finished

from tests.api.auth_flow import STRONG_PASSWORD, auth
from tests.factories import AdminFactory
from tests.helpers import DEFAULT_PASSWORD

NEW_PASSWORD = "glacier-mosaic-lantern-7"
JWT_LIKE = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")
TOKEN_ISSUING = {"/api/v1/auth/login", "/api/v1/auth/refresh"}


def _keys(value: Any, inside_errors: bool = False) -> Iterator[tuple[str, bool]]:
    """Every key in a JSON document, and whether it sits inside an error envelope's `errors`."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, inside_errors
            yield from _keys(item, inside_errors or key == "errors")
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item, inside_errors)


def _run_scenario(http, admin) -> None:
    admin_headers = auth(
        http.post(
            "/api/v1/auth/login", json={"email": admin.email, "password": DEFAULT_PASSWORD}
        ).json["access_token"]
    )
    http.post(
        "/api/v1/auth/register",
        json={"email": "coach@example.com", "password": STRONG_PASSWORD, "name": "Coach"},
    )
    http.post(
        "/api/v1/auth/register",
        json={"email": "weak@example.com", "password": "password1234", "name": "Weak"},
    )
    http.post("/api/v1/auth/login", json={"email": "coach@example.com", "password": "wrong-one-1"})
    pair = http.post(
        "/api/v1/auth/login", json={"email": "coach@example.com", "password": STRONG_PASSWORD}
    ).json
    rotated = http.post("/api/v1/auth/refresh", headers=auth(pair["refresh_token"])).json
    headers = auth(rotated["access_token"])
    http.get("/api/v1/users/me", headers=headers)
    http.patch(
        "/api/v1/users/me", headers=headers, json={"name": "Coach C", "timezone": "Asia/Tokyo"}
    )
    http.patch(
        "/api/v1/users/me",
        headers=headers,
        json={"current_password": "not-it-at-all", "new_password": NEW_PASSWORD},
    )
    http.patch(
        "/api/v1/users/me",
        headers=headers,
        json={"current_password": STRONG_PASSWORD, "new_password": NEW_PASSWORD},
    )
    coach_id = http.get("/api/v1/users/me", headers=headers).json["id"]
    http.get("/api/v1/admin/users", headers=admin_headers)
    http.get("/api/v1/admin/users", query_string={"q": "coach"}, headers=admin_headers)
    http.patch(f"/api/v1/admin/users/{coach_id}", headers=admin_headers, json={"is_active": False})
    http.patch(f"/api/v1/admin/users/{coach_id}", headers=admin_headers, json={"is_active": True})
    http.post("/api/v1/auth/refresh", headers=auth(pair["refresh_token"]))  # reused: 401
    http.post("/api/v1/auth/logout", headers=admin_headers)
    http.get("/api/v1/users/me", headers=admin_headers)  # after logout: 401


def test_scenario_responses_leak_no_password_hash_or_foreign_token(app, http):
    admin = AdminFactory()
    seen: list[tuple[str, int, str, Any]] = []

    def record(sender, response, **_extra):
        from flask import request

        seen.append(
            (
                request.path,
                response.status_code,
                response.get_data(as_text=True),
                response.get_json(silent=True),
            )
        )

    with request_finished.connected_to(record, app):
        _run_scenario(http, admin)

    assert len(seen) == 18
    assert {status for _, status, _, _ in seen} >= {200, 201, 204, 401, 422}
    issued: set[str] = set()
    for path, status, _, body in seen:
        if path in TOKEN_ISSUING and status == 200:
            issued |= {body["access_token"], body["refresh_token"]}
    assert issued

    for path, status, text, body in seen:
        where = f"{status} {path}"
        for key, inside_errors in _keys(body):
            # An error may name the field that was wrong ("password": ["too short"]); a payload
            # may never carry a key like password or password_hash.
            assert "password" not in key.lower() or inside_errors, where
        assert "$argon2" not in text, where
        for secret in (STRONG_PASSWORD, NEW_PASSWORD, DEFAULT_PASSWORD, "not-it-at-all"):
            assert secret not in text, where
        if not (path in TOKEN_ISSUING and status == 200):
            assert not JWT_LIKE.search(text), where
            assert not any(token in text for token in issued), where
        else:
            assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in", "user"}
