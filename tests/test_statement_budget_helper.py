"""The statement-budget helper itself: it passes a list with a fixed number of queries and catches N+1s."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import User
from tests.factories import UserFactory
from tests.helpers import assert_same_statement_count

ADMIN_USERS = "/api/v1/admin/users?page_size=50"


def _make_users(count: int) -> None:
    UserFactory.create_batch(count)


def test_admin_user_list_runs_the_same_statements_at_5_and_50_users(http, admin_headers):
    statements = assert_same_statement_count(http, _make_users, ADMIN_USERS, admin_headers)
    assert statements == 2  # auth, then the page with its total


def test_helper_fails_when_a_list_queries_once_per_row(make_app, admin_headers):
    # Routes can only be added before an app's first request, so this one gets its own app.
    app = make_app()

    @app.get("/test-only/users-one-query-each")
    def users_one_query_each():
        ids = db.session.execute(select(User.id)).scalars().all()
        return [db.session.get(User, user_id).email for user_id in ids]

    with app.app_context(), pytest.raises(AssertionError, match="a query per row"):
        assert_same_statement_count(
            app.test_client(), _make_users, "/test-only/users-one-query-each", admin_headers
        )


def test_helper_fails_when_the_count_is_over_budget(http, admin_headers):
    with pytest.raises(AssertionError, match="more than 1"):
        assert_same_statement_count(http, _make_users, ADMIN_USERS, admin_headers, at_most=1)


def test_helper_fails_when_the_page_is_too_short_to_show_every_row(http, admin_headers):
    with pytest.raises(AssertionError, match="widen its page_size"):
        assert_same_statement_count(http, _make_users, "/api/v1/admin/users?page_size=10", admin_headers)
