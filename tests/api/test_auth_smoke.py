"""The account basics: sign up, log in, and use the token."""


def test_register_login_and_me(http):
    created = http.post(
        "/api/v1/auth/register",
        json={"email": " Coach@Example.COM ", "password": "a-long-enough-secret", "name": "Coach"},
    )
    assert created.status_code == 201, created.json
    assert created.json["email"] == "coach@example.com"
    assert "password" not in created.json and "password_hash" not in created.json

    login = http.post(
        "/api/v1/auth/login", json={"email": "coach@example.com", "password": "a-long-enough-secret"}
    )
    assert login.status_code == 200
    assert login.json["token_type"] == "Bearer"
    me = http.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {login.json['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json["role"] == "trainer"


def test_unknown_route_uses_error_envelope(http):
    response = http.get("/api/v1/nope")
    assert response.status_code == 404
    assert set(response.json) == {"code", "status", "message", "errors"}


def test_admin_list_paginates(http, admin_headers, trainer):
    response = http.get("/api/v1/admin/users?page_size=1", headers=admin_headers)
    assert response.status_code == 200
    assert len(response.json) == 1
    assert '"page_size": 1' in response.headers["X-Pagination"]
