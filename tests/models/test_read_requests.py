"""A GET or HEAD reads in autocommit (no BEGIN, no ROLLBACK); it may write only when its view says so."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.views import MethodView
from sqlalchemy import event, select, update

from fitbud.ext.orm_session import ReadRequestWroteError, writes_on_read
from fitbud.extensions import db
from fitbud.models import User
from tests.helpers import assert_error


class _RenamingView(MethodView):
    """A GET that writes and says so."""

    @writes_on_read
    def get(self, user_id: int):
        db.session.get(User, user_id).name = "Renamed by a GET"
        db.session.commit()
        return {"renamed": user_id}


@pytest.fixture
def probe_app(make_app) -> Flask:
    """An app with a few probe views, built before its first request (Flask refuses routes after it)."""
    app = make_app()

    @app.route("/probe/read/<int:user_id>", methods=["GET", "POST"])
    def read(user_id: int):
        return {"name": db.session.scalar(select(User.name).where(User.id == user_id))}

    @app.get("/probe/flush/<int:user_id>")
    def write_through_the_unit_of_work(user_id: int):
        db.session.get(User, user_id).name = "Renamed by a GET"
        db.session.commit()
        return {}

    @app.get("/probe/update/<int:user_id>")
    def write_with_an_update_statement(user_id: int):
        db.session.execute(update(User).where(User.id == user_id).values(name="Renamed by a GET"))
        db.session.commit()
        return {}

    app.add_url_rule("/probe/marked/<int:user_id>", view_func=_RenamingView.as_view("probe_marked"))
    return app


@pytest.fixture
def isolation_levels(probe_app) -> list[str]:
    """The isolation level of every statement the probe app runs, in order."""
    seen: list[str] = []
    with probe_app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _record(connection, _cursor, _statement, _parameters, _context, _executemany):
        seen.append(connection.get_execution_options().get("isolation_level", "default"))

    yield seen
    event.remove(engine, "before_cursor_execute", _record)


@pytest.fixture
def user(app) -> User:
    from tests.factories import TrainerFactory

    user = TrainerFactory(name="Original Name")
    db.session.commit()
    return user


def _name_of(user_id: int) -> str:
    db.session.rollback()  # see what the other app committed
    return db.session.scalar(select(User.name).where(User.id == user_id))


def _refusal(caplog) -> str:
    """The logged ReadRequestWroteError (a programming error: the client gets the plain 500 envelope)."""
    errors = [record.exc_info[1] for record in caplog.records if record.exc_info]
    assert [type(error) for error in errors] == [ReadRequestWroteError]
    return str(errors[0])


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_read_request_runs_its_statements_in_autocommit(probe_app, isolation_levels, user, method):
    response = probe_app.test_client().open(f"/probe/read/{user.id}", method=method)

    assert response.status_code == 200
    assert isolation_levels and set(isolation_levels) == {"AUTOCOMMIT"}


def test_a_post_runs_in_a_transaction(probe_app, isolation_levels, user):
    response = probe_app.test_client().post(f"/probe/read/{user.id}")

    assert response.status_code == 200
    assert isolation_levels and "AUTOCOMMIT" not in isolation_levels


def test_a_get_that_changes_an_object_is_refused_and_changes_nothing(probe_app, user, caplog):
    response = probe_app.test_client().get(f"/probe/flush/{user.id}")

    assert_error(response, 500, message="An unexpected error occurred")
    assert _refusal(caplog).endswith(f"GET /probe/flush/{user.id} tried to write User; a read request must not write.")
    assert _name_of(user.id) == "Original Name"


def test_a_get_that_runs_an_update_statement_is_refused_and_changes_nothing(probe_app, user, caplog):
    response = probe_app.test_client().get(f"/probe/update/{user.id}")

    assert_error(response, 500, message="An unexpected error occurred")
    assert _refusal(caplog).endswith(f"GET /probe/update/{user.id} ran an UPDATE; a read request must not write.")
    assert _name_of(user.id) == "Original Name"


def test_a_get_marked_as_writing_commits_in_a_transaction(probe_app, isolation_levels, user):
    response = probe_app.test_client().get(f"/probe/marked/{user.id}")

    assert response.status_code == 200
    assert "AUTOCOMMIT" not in isolation_levels
    assert _name_of(user.id) == "Renamed by a GET"


def test_a_read_outside_any_request_keeps_its_transaction(app, user):
    db.session.execute(select(User.id)).all()

    assert db.session.connection().get_execution_options().get("isolation_level") != "AUTOCOMMIT"


def test_a_read_sharing_a_session_mid_transaction_keeps_its_connection(probe_app, isolation_levels, user):
    with probe_app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(name="Not yet committed"))
        try:
            # A GET served by this session while its transaction is open reads on the same
            # connection, so it sees the uncommitted row; a fresh session's GET is in autocommit.
            response = probe_app.test_client().get(f"/probe/read/{user.id}")
            assert response.get_json() == {"name": "Not yet committed"}
            assert "AUTOCOMMIT" not in isolation_levels
        finally:
            db.session.rollback()
        isolation_levels.clear()
        assert probe_app.test_client().get(f"/probe/read/{user.id}").get_json() == {"name": "Original Name"}
        assert set(isolation_levels) == {"AUTOCOMMIT"}
