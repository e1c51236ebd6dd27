"""Logs never carry notes, health details, capability tokens, invitation links or passwords."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from redis import Redis
from rq.job import Job

from fitbud import mail
from fitbud.extensions import db
from fitbud.jobs import SEND_EMAIL, enqueue
from fitbud.logging import RequestIdFilter, json_formatter
from fitbud.models import Client
from fitbud.services import invitations
from tests.client_app.helpers import form_value
from tests.factories import ClientFactory
from tests.helpers import assert_error, bearer, mailed_link_token

NOTE = "Secret-note-5d1e: going through a divorce"
INJURY = "Secret-injury-c2a9: torn meniscus"
PASSWORD = "a-long-enough-secret-7"


class _Lines(logging.Handler):
    """Every line Fitbud logs, as production writes it (JSON with every extra field)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(json_formatter())
        self.lines: list[str] = []
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def app_log(app) -> Iterator[_Lines]:
    """What Fitbud logs during the test, rendered as production's JSON lines."""
    fitbud_logger = logging.getLogger("fitbud")
    lines = _Lines()
    lines.addFilter(RequestIdFilter())
    fitbud_logger.addHandler(lines)
    yield lines
    fitbud_logger.removeHandler(lines)


@pytest.mark.usefixtures("mail_outbox")
def test_a_value_that_fails_to_encrypt_is_not_written_in_clear_to_the_error_log(
    app, http, trainer_headers, app_log, monkeypatch
):
    # The reported case: the keys cannot encrypt (a bad key in the list), the INSERT fails while
    # binding its parameters, and SQLAlchemy's error message used to list them all in clear.
    monkeypatch.setitem(app.config, "FIELD_ENCRYPTION_KEYS", ["not-a-fernet-key"])

    response = http.post(
        "/api/v1/clients",
        json={"email": "s@example.com", "name": "Secret", "private_notes": NOTE, "health": {"injuries": [INJURY]}},
        headers=trainer_headers,
    )

    assert_error(response, 500, message="An unexpected error occurred; it has been logged.")
    assert "unhandled error" in app_log.text and "StatementError" in app_log.text
    assert "divorce" not in app_log.text and "meniscus" not in app_log.text
    assert "SQL parameters hidden" in app_log.text


def test_sql_errors_of_every_engine_hide_their_parameters(app):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True
    assert db.engine.hide_parameters is True


def test_the_access_log_never_shows_a_calendar_feed_token(http, trainer_headers, app_log):
    feed_path = urlparse(http.get("/api/v1/calendar/feed", headers=trainer_headers).json["url"]).path
    token = feed_path.rsplit("/", 1)[1].removesuffix(".ics")

    assert http.get(feed_path).status_code == 200

    (logged,) = [record for record in app_log.records if record.name == "fitbud.access" and ".ics" in record.path]
    assert logged.path == "/api/v1/calendar/[token].ics"
    assert '"path": "/api/v1/calendar/feed"' in app_log.text  # the lines do carry paths
    assert token not in app_log.text


def test_the_access_log_never_shows_an_invitation_token(http, trainer, app_log):
    client = ClientFactory(trainer=trainer)
    token = invitations.issue(client).token
    db.session.commit()

    page = http.get(f"/invite/{token}")
    form = {"csrf_token": form_value(page.get_data(as_text=True), "csrf_token")}
    accepted = http.post(f"/invite/{token}", data={**form, "password": PASSWORD, "password_confirm": PASSWORD})

    assert page.status_code == 200 and accepted.status_code == 303, accepted.get_data(as_text=True)
    paths = [record.path for record in app_log.records if record.name == "fitbud.access"]
    assert paths == ["/invite/[token]", "/invite/[token]"]
    assert token not in app_log.text and PASSWORD not in app_log.text


def _link_paths_logged(app_log, path: str) -> list[str]:
    return [record.path for record in app_log.records if record.name == "fitbud.access" and path in record.path]


def test_the_access_log_never_shows_a_password_reset_link(http, client_user, mail_outbox, app_log):
    http.post("/api/v1/auth/forgot-password", json={"email": client_user.email})
    token = mailed_link_token(client_user.email, "/reset-password/")

    assert http.get(f"/reset-password/{token}").status_code == 200

    assert _link_paths_logged(app_log, "/reset-password/") == ["/reset-password/[token]"]
    assert token not in app_log.text


def test_the_access_log_never_shows_an_email_confirmation_link(http, unverified_trainer, mail_outbox, app_log):
    http.post("/api/v1/auth/resend-verification", headers=bearer(unverified_trainer))
    token = mailed_link_token(unverified_trainer.email, "/verify-email/")

    assert http.get(f"/verify-email/{token}").status_code == 200

    assert _link_paths_logged(app_log, "/verify-email/") == ["/verify-email/[token]"]
    assert token not in app_log.text


def test_an_unknown_path_is_logged_as_asked(http, app_log):
    http.get("/no/such/page")

    assert [record.path for record in app_log.records if record.name == "fitbud.access"] == ["/no/such/page"]


@pytest.mark.usefixtures("mail_outbox")
def test_the_console_mail_backend_in_production_logs_no_body_and_no_link(
    app, http, trainer_headers, app_log, monkeypatch
):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "console")
    mail.init_app(app)

    created = http.post("/api/v1/clients", json={"email": "new@example.com", "name": "New"}, headers=trainer_headers)

    assert created.status_code == 201
    (sent,) = [line for line in app_log.lines if "mail to new@example.com" in line]
    assert "body not logged in production" in sent
    assert "/invite/" not in app_log.text and "http" not in sent


@pytest.mark.usefixtures("mail_outbox")
def test_the_console_mail_backend_in_development_shows_the_link(app, http, trainer_headers, app_log, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "development")
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "console")
    mail.init_app(app)

    http.post("/api/v1/clients", json={"email": "new@example.com", "name": "New"}, headers=trainer_headers)

    assert "http://fitbud.test/invite/" in app_log.text


def test_an_email_job_is_described_by_its_name_not_its_body(app, redis_url, monkeypatch):
    # RQ's worker logs the description of every job it takes; by default that is the call with
    # its arguments, here the body with the invitation link.
    connection = Redis.from_url(redis_url)
    monkeypatch.setitem(app.extensions, "fitbud.redis", connection)
    body = "Open http://fitbud.test/invite/SECRET-TOKEN to start."
    try:
        started = enqueue(SEND_EMAIL, "a@example.com", "Welcome", body, queue="test-log-secrets")
        job = Job.fetch(started.id, connection=connection)
        assert job.description == SEND_EMAIL
        job.delete()
    finally:
        connection.close()


def test_private_notes_never_appear_in_a_log_line_of_an_ordinary_request(
    http, trainer_headers, client_record, app_log
):
    changed = http.patch(
        f"/api/v1/clients/{client_record.id}",
        json={"private_notes": NOTE, "health": {"injuries": [INJURY]}},
        headers=trainer_headers,
    )

    assert changed.status_code == 200
    assert db.session.get(Client, client_record.id) is not None
    assert NOTE not in app_log.text and INJURY not in app_log.text


def test_gunicorn_writes_no_access_log_of_its_own_where_fitbud_starts_it():
    # gunicorn's access log would print every path (tokens included); the app writes its own.
    root = Path(__file__).resolve().parents[2]
    for name in ("Dockerfile", "Makefile", "compose.yaml"):
        text = (root / name).read_text()
        assert "gunicorn" in text or name == "compose.yaml"
        assert "--access-logfile" not in text and "accesslog" not in text, name
