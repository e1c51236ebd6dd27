"""A trainer who signed up and never logged in: null last login in the admin stats, the Platform page and the report."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from dashboards.pages import platform as platform_page
from tests.dashboards.helpers import call, login
from tests.factories import TrainerFactory
from tests.helpers import bearer
from tests.reports_support import sheet_rows


@pytest.fixture
def newcomer(app):
    """A trainer who signed up and has never logged in, beside one who has (a column with both)."""
    TrainerFactory(name="Regular", last_login_at=datetime(2026, 3, 17, 12, tzinfo=UTC))
    return TrainerFactory(name="Never Seen", last_login_at=None)


def test_admin_stats_give_null_for_a_trainer_who_never_logged_in(http, newcomer, admin):
    response = http.get("/api/v1/admin/stats?weeks=4", headers=bearer(admin))

    assert response.status_code == 200, response.get_data(as_text=True)
    (row,) = [trainer for trainer in response.json["trainers"] if trainer["name"] == "Never Seen"]
    assert row["last_login_at"] is None


def test_the_platform_page_shows_never_for_a_trainer_who_never_logged_in(http, newcomer, admin):
    login(http, admin.email)

    response = call(http, [(output, "children") for output in platform_page.OUTPUTS], [("pf-weeks", "value", "4")])

    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    trainers = json.dumps(response.get_json()["response"]["pf-trainers"]["children"])
    assert "Never Seen" in trainers and "never" in trainers


def test_the_platform_report_finishes_with_a_trainer_who_never_logged_in(http, newcomer, admin, inline_jobs):
    report = http.post("/api/v1/reports", json={"type": "platform", "params": {"weeks": 4}}, headers=bearer(admin))

    assert report.status_code == 202 and report.json["status"] == "finished", report.get_data(as_text=True)
    download = http.get(report.json["download_url"], headers=bearer(admin))
    (row,) = [row for row in sheet_rows(download.data, "Trainers")[1:] if "Never Seen" in row]
    assert row[5] is None  # last_login_at: an empty cell, not a made-up date
