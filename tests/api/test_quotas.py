"""Per-account quotas: report jobs on the shared queue and invitation emails; 429 with Retry-After beyond them."""

from __future__ import annotations

import json
import uuid

import pytest
from redis import Redis
from sqlalchemy import func, select

from config import ConfigurationError, DevelopmentConfig
from fitbud.extensions import db
from fitbud.models import Client, ClientInvitation, Report, ReportStatus, ReportType
from fitbud.services import quotas
from tests.dashboards.helpers import call
from tests.dashboards.helpers import login as browser_login
from tests.factories import ClientFactory
from tests.helpers import DEFAULT_PASSWORD, assert_error, assert_page_error, bearer

REPORTS = "/api/v1/reports"
CLIENTS = "/api/v1/clients"

pytestmark = pytest.mark.usefixtures("inline_jobs")


def _start_export(http, user, client_id: int):
    return http.post(REPORTS, json={"type": "client_export", "params": {"client_id": client_id}}, headers=bearer(user))


def _running(owner, report_type: ReportType, status: ReportStatus = ReportStatus.QUEUED) -> Report:
    report = Report(owner_id=owner.id, type=report_type, params={}, status=status, progress=0)
    db.session.add(report)
    db.session.commit()
    return report


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _invite(http, user, n: int):
    return http.post(CLIENTS, json={"email": f"invitee{n}@example.com", "name": f"Invitee {n}"}, headers=bearer(user))


# Reports: one running of a kind, and a quota -------------------------------------------------


@pytest.mark.parametrize("status", [ReportStatus.QUEUED, ReportStatus.STARTED])
def test_a_second_report_of_a_kind_while_one_runs_is_429(http, trainer, client_record, status):
    running = _running(trainer, ReportType.CLIENT_EXPORT, status)

    response = _start_export(http, trainer, client_record.id)

    body = assert_error(response, 429, "type")
    assert f"report {running.id}" in body["message"]
    assert int(response.headers["Retry-After"]) == quotas.RUNNING_REPORT_RETRY_AFTER
    assert _count(Report) == 1


def test_a_report_of_another_kind_may_run_beside_it(http, trainer, client_record):
    _running(trainer, ReportType.TRAINER_MONTHLY)

    response = _start_export(http, trainer, client_record.id)

    assert response.status_code == 202, response.json


def test_another_accounts_running_report_does_not_block(http, trainer, other_trainer, client_record):
    _running(other_trainer, ReportType.CLIENT_EXPORT)

    assert _start_export(http, trainer, client_record.id).status_code == 202


def test_finished_and_failed_reports_do_not_block_the_next(http, trainer, client_record):
    _running(trainer, ReportType.CLIENT_EXPORT, ReportStatus.FINISHED)
    _running(trainer, ReportType.CLIENT_EXPORT, ReportStatus.FAILED)

    assert _start_export(http, trainer, client_record.id).status_code == 202


def test_reports_beyond_the_quota_are_429_with_retry_after(http, app, trainer, client_record):
    app.config["REPORT_QUOTA"] = "2/hour"
    statuses = [_start_export(http, trainer, client_record.id).status_code for _ in range(2)]

    refused = _start_export(http, trainer, client_record.id)

    assert statuses == [202, 202]
    body = assert_error(refused, 429, message="as many reports as your account may")
    assert set(body) >= {"code", "status", "message", "errors"}
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert _count(Report) == 2


def test_the_report_quota_is_per_account(http, app, trainer, other_trainer, client_record):
    app.config["REPORT_QUOTA"] = "1/hour"
    _start_export(http, trainer, client_record.id)
    theirs = ClientFactory(trainer=other_trainer)

    assert _start_export(http, other_trainer, theirs.id).status_code == 202


def test_a_clients_data_export_from_the_app_beyond_the_quota_is_a_429_page(http, app, client_user):
    browser_login(http, client_user.email)
    app.config["REPORT_QUOTA"] = "1/hour"
    token = http.get_cookie("csrf_access_token").value
    assert http.post("/app/profile/export", data={"csrf_token": token}).status_code == 303

    refused = http.post("/app/profile/export", data={"csrf_token": token})

    assert_page_error(refused, 429, text="as many reports")
    assert "Retry-After" in refused.headers


def test_the_dashboard_reports_page_shows_a_running_report_as_an_alert(http, trainer):
    browser_login(http, trainer.email, DEFAULT_PASSWORD)
    running = _running(trainer, ReportType.TRAINER_MONTHLY, ReportStatus.STARTED)

    response = call(
        http,
        [("rp-message", "children"), ("rp-started", "data")],
        [("rp-start", "n_clicks", 1)],
        state=[
            ("rp-type", "value", "trainer_monthly"),
            ("rp-month", "value", "2026-02"),
            ("rp-format", "value", "csv"),
            ("rp-client", "value", None),
            ("rp-weeks", "value", "12"),
        ],
    )

    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()["response"]
    assert f"report {running.id}) is still running" in json.dumps(body["rp-message"])
    assert body["rp-started"]["data"] is None and _count(Report) == 1


# Invitations ---------------------------------------------------------------------------------


def test_invitations_beyond_the_quota_are_429_and_change_nothing(http, app, trainer, mail_outbox):
    app.config["INVITATION_QUOTA"] = "2/day"
    statuses = [_invite(http, trainer, n).status_code for n in range(2)]

    refused = _invite(http, trainer, 3)

    assert statuses == [201, 201]
    assert_error(refused, 429, message="as many invitations as your account may")
    assert 0 < int(refused.headers["Retry-After"]) <= 86400
    assert _count(Client) == 2 and _count(ClientInvitation) == 2 and len(mail_outbox) == 2


def test_resending_an_invitation_spends_the_same_quota(http, app, trainer, mail_outbox):
    app.config["INVITATION_QUOTA"] = "2/day"
    client_id = _invite(http, trainer, 1).json["client"]["id"]
    assert http.post(f"{CLIENTS}/{client_id}/invitation", headers=bearer(trainer)).status_code in (200, 201)

    refused = http.post(f"{CLIENTS}/{client_id}/invitation", headers=bearer(trainer))

    assert_error(refused, 429, message="as many invitations")
    assert len(mail_outbox) == 2


def test_purging_the_invited_clients_does_not_give_the_quota_back(http, app, trainer):
    app.config["INVITATION_QUOTA"] = "1/day"
    created = _invite(http, trainer, 1).json["client"]
    purged = http.delete(
        f"{CLIENTS}/{created['id']}?purge=true", json={"confirm_name": created["name"]}, headers=bearer(trainer)
    )
    assert purged.status_code == 204, purged.json

    assert_error(_invite(http, trainer, 2), 429, message="as many invitations")


def test_the_invitation_quota_is_per_account(http, app, trainer, other_trainer):
    app.config["INVITATION_QUOTA"] = "1/day"
    _invite(http, trainer, 1)

    assert _invite(http, other_trainer, 2).status_code == 201


def test_the_quota_hook_decides_per_account(http, app, monkeypatch, trainer, other_trainer):
    # What a stricter rule for some accounts (unconfirmed sign-ups) plugs into.
    strict = {trainer.id}
    monkeypatch.setattr(quotas, "invitation_quota_for", lambda user: "1/day" if user.id in strict else "1000/day")
    _invite(http, trainer, 1)
    _invite(http, other_trainer, 2)

    assert_error(_invite(http, trainer, 3), 429, message="as many invitations")
    assert _invite(http, other_trainer, 4).status_code == 201


def test_the_dashboard_roster_shows_the_quota_as_an_alert(http, app, trainer):
    browser_login(http, trainer.email, DEFAULT_PASSWORD)
    app.config["INVITATION_QUOTA"] = "1/day"
    _invite(http, trainer, 1)
    outputs = [
        ("cs-invite-result", "children"),
        ("cs-invite-name-field", "className"),
        ("cs-invite-name-error", "children"),
        ("cs-invite-email-field", "className"),
        ("cs-invite-email-error", "children"),
        ("cs-invited", "data"),
        ("cs-invite-name", "value"),
        ("cs-invite-email", "value"),
    ]

    response = call(
        http,
        outputs,
        [("cs-invite-submit", "n_clicks", 1)],
        state=[
            ("cs-invite-name", "value", "Late Invitee"),
            ("cs-invite-email", "value", "late@example.com"),
            ("cs-invited", "data", 0),
        ],
    )

    assert response.status_code == 200, response.get_data(as_text=True)
    assert "as many invitations" in json.dumps(response.get_json()["response"]["cs-invite-result"])
    assert _count(Client) == 1


# Settings ------------------------------------------------------------------------------------


def test_quota_defaults_are_sane():
    settings = DevelopmentConfig(environ={})
    assert settings.REPORT_QUOTA == "20/hour;60/day"
    assert settings.INVITATION_QUOTA == "20/hour;50/day"
    assert settings.INVITATION_QUOTA_UNVERIFIED == "5/day"


@pytest.mark.parametrize("name", ["REPORT_QUOTA", "INVITATION_QUOTA", "INVITATION_QUOTA_UNVERIFIED"])
def test_a_quota_that_cannot_be_parsed_is_refused(name):
    with pytest.raises(ConfigurationError, match=name):
        DevelopmentConfig(environ={name: "lots"}).validate()


# With Redis, every process shares the counts ------------------------------------------------


def test_quotas_are_counted_in_redis_across_processes(make_app, trainer, redis_url):
    # Two apps (two processes) counting in one Redis: the second sees the first's invitation.
    tag = uuid.uuid4().hex
    settings = {"RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_KEY_PREFIX": f"quota-{tag}", "INVITATION_QUOTA": "1/day"}
    first, second = make_app(settings).test_client(), make_app(settings).test_client()
    redis = Redis.from_url(redis_url)
    try:
        statuses = [_invite(http, trainer, n).status_code for n, http in enumerate((first, second))]
        stored = redis.keys(f"*quota-{tag}*")
    finally:
        for key in redis.scan_iter(f"*quota-{tag}*"):
            redis.delete(key)

    assert statuses == [201, 429]
    assert stored
