"""GET /admin/users (filter, search, pagination) and PATCH /admin/users/<id> (deactivate)."""

from __future__ import annotations

import json

import pytest

from tests.api.auth_flow import auth, login, me, refresh
from tests.factories import AdminFactory, ClientUserFactory, TrainerFactory
from tests.helpers import DEFAULT_PASSWORD, assert_error, count_statements

USERS = "/api/v1/admin/users"


def _pagination(response) -> dict:
    return json.loads(response.headers["X-Pagination"])


# --- list ---------------------------------------------------------------------------------------


def test_list_returns_every_account_newest_first(http, admin, admin_headers):
    trainer = TrainerFactory()
    client = ClientUserFactory()

    response = http.get(USERS, headers=admin_headers)

    assert response.status_code == 200
    assert [user["id"] for user in response.json] == [client.id, trainer.id, admin.id]
    assert all("password" not in key for user in response.json for key in user)


def test_list_filters_by_role(http, admin_headers):
    trainer = TrainerFactory()
    ClientUserFactory()

    response = http.get(USERS, query_string={"role": "trainer"}, headers=admin_headers)

    assert [user["id"] for user in response.json] == [trainer.id]


@pytest.mark.parametrize("query", ["JORDAN", "jordan@", "Lee"], ids=["name", "email", "surname"])
def test_list_searches_email_and_name_case_insensitively(http, admin_headers, query):
    wanted = TrainerFactory(email="jordan@example.com", name="Jordan Lee")
    TrainerFactory(email="other@example.com", name="Other Person")

    response = http.get(USERS, query_string={"q": query}, headers=admin_headers)

    assert [user["id"] for user in response.json] == [wanted.id]


def test_list_search_treats_wildcards_literally(http, admin_headers):
    wanted = TrainerFactory(email="first_last@example.com")
    TrainerFactory(email="firstXlast@example.com")

    response = http.get(USERS, query_string={"q": "first_last"}, headers=admin_headers)

    assert [user["id"] for user in response.json] == [wanted.id]


def test_list_combines_role_and_search(http, admin_headers):
    TrainerFactory(name="Robin Trainer")
    client = ClientUserFactory(name="Robin Client")

    response = http.get(USERS, query_string={"q": "robin", "role": "client"}, headers=admin_headers)

    assert [user["id"] for user in response.json] == [client.id]


def test_list_pagination_header_reports_total_pages_page_and_size(http, admin_headers):
    TrainerFactory.create_batch(4)  # 5 accounts with the admin

    response = http.get(USERS, query_string={"page": 2, "page_size": 2}, headers=admin_headers)

    assert len(response.json) == 2
    metadata = _pagination(response)
    assert {k: metadata[k] for k in ("total", "total_pages", "page", "page_size")} == {
        "total": 5,
        "total_pages": 3,
        "page": 2,
        "page_size": 2,
    }
    assert metadata["previous_page"] == 1
    assert metadata["next_page"] == 3


def test_list_page_size_defaults_to_20(http, admin_headers):
    TrainerFactory.create_batch(21)

    response = http.get(USERS, headers=admin_headers)

    assert len(response.json) == 20
    assert _pagination(response)["page_size"] == 20
    assert _pagination(response)["total_pages"] == 2


def test_list_page_past_the_end_is_empty_not_an_error(http, admin_headers):
    response = http.get(USERS, query_string={"page": 9}, headers=admin_headers)

    assert response.status_code == 200
    assert response.json == []
    assert _pagination(response)["page"] == 9
    assert _pagination(response)["total"] == 1


def test_list_page_size_of_100_is_allowed(http, admin_headers):
    response = http.get(USERS, query_string={"page_size": 100}, headers=admin_headers)

    assert response.status_code == 200


@pytest.mark.parametrize(
    "query, field",
    [
        ({"page_size": 101}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": "many"}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": "first"}, "page"),
        ({"role": "wizard"}, "role"),
        ({"q": ""}, "q"),
        ({"q": "x" * 101}, "q"),
    ],
    ids=[
        "size-over-100",
        "size-zero",
        "size-text",
        "page-zero",
        "page-text",
        "role-unknown",
        "q-empty",
        "q-long",
    ],
)
def test_list_bad_query_is_422(http, admin_headers, query, field):
    assert_error(http.get(USERS, query_string=query, headers=admin_headers), 422, field)


def test_list_uses_the_same_few_statements_for_5_and_50_users(http, admin_headers):
    TrainerFactory.create_batch(4)
    with count_statements() as few:
        http.get(USERS, query_string={"page_size": 100}, headers=admin_headers)
    TrainerFactory.create_batch(45)
    with count_statements() as many:
        response = http.get(USERS, query_string={"page_size": 100}, headers=admin_headers)

    assert len(response.json) == 50
    assert few.count == many.count <= 4


@pytest.mark.parametrize("role_headers", ["trainer_headers", "client_headers"])
def test_list_for_non_admins_is_403(http, request, role_headers):
    assert_error(http.get(USERS, headers=request.getfixturevalue(role_headers)), 403, "role")


def test_list_without_token_is_401(http):
    assert_error(http.get(USERS), 401, message="Authentication required")


# --- deactivate / reactivate ------------------------------------------------------------------


def _set_active(http, headers, user_id, is_active):
    return http.patch(f"{USERS}/{user_id}", headers=headers, json={"is_active": is_active})


def test_deactivate_returns_the_inactive_user(http, admin_headers, trainer):
    response = _set_active(http, admin_headers, trainer.id, False)

    assert response.status_code == 200
    assert response.json["id"] == trainer.id
    assert response.json["is_active"] is False


def test_deactivated_users_tokens_stop_working_at_once(http, admin_headers, trainer):
    pair = login(http, trainer.email, DEFAULT_PASSWORD)

    _set_active(http, admin_headers, trainer.id, False)

    assert_error(me(http, pair["access_token"]), 401, message="Token has been revoked")
    assert_error(refresh(http, pair["refresh_token"]), 401, message="Token has been revoked")


def test_deactivated_user_cannot_log_in(http, admin_headers, trainer):
    _set_active(http, admin_headers, trainer.id, False)

    response = http.post(
        "/api/v1/auth/login", json={"email": trainer.email, "password": DEFAULT_PASSWORD}
    )

    assert_error(response, 401, message="This account has been deactivated")


def test_reactivated_user_can_log_in_but_old_sessions_stay_dead(http, admin_headers, trainer):
    old = login(http, trainer.email, DEFAULT_PASSWORD)
    _set_active(http, admin_headers, trainer.id, False)

    response = _set_active(http, admin_headers, trainer.id, True)

    assert response.json["is_active"] is True
    assert me(http, login(http, trainer.email, DEFAULT_PASSWORD)["access_token"]).status_code == 200
    assert_error(me(http, old["access_token"]), 401, message="Token has been revoked")


def test_admin_can_deactivate_another_admin(http, admin_headers):
    other = AdminFactory()

    assert _set_active(http, admin_headers, other.id, False).json["is_active"] is False


def test_admin_cannot_deactivate_themselves(http, admin, admin_headers):
    assert_error(_set_active(http, admin_headers, admin.id, False), 422, "is_active")
    assert http.get("/api/v1/users/me", headers=admin_headers).status_code == 200


def test_deactivate_unknown_user_is_404(http, admin_headers):
    assert_error(_set_active(http, admin_headers, 999_999, False), 404, message="No such user")


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "is_active"),
        ({"is_active": "maybe"}, "is_active"),
        ({"is_active": None}, "is_active"),
        ({"is_active": False, "role": "admin"}, "role"),
    ],
    ids=["missing", "wrong-type", "null", "unknown-field"],
)
def test_patch_user_bad_input_is_422(http, admin_headers, trainer, payload, field):
    response = http.patch(f"{USERS}/{trainer.id}", headers=admin_headers, json=payload)

    assert_error(response, 422, field)


@pytest.mark.parametrize("role_headers", ["trainer_headers", "client_headers"])
def test_patch_user_for_non_admins_is_403(http, request, role_headers, other_trainer):
    headers = request.getfixturevalue(role_headers)

    assert_error(_set_active(http, headers, other_trainer.id, False), 403, "role")
    assert other_trainer.is_active is True


def test_patch_user_without_token_is_401(http, trainer):
    assert_error(http.patch(f"{USERS}/{trainer.id}", json={"is_active": False}), 401, message="Authentication required")


def test_role_is_read_from_the_account_not_the_token(http, trainer):
    """A token minted while the user was an admin loses its power once the role changes."""
    from fitbud.auth.roles import Role
    from fitbud.extensions import db

    promoted = AdminFactory()
    pair = login(http, promoted.email, DEFAULT_PASSWORD)
    promoted.role = Role.TRAINER
    db.session.commit()

    assert_error(http.get(USERS, headers=auth(pair["access_token"])), 403, "role")
