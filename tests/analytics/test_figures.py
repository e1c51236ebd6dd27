"""Every figure on the hand-checked data set (tests/analytics/world.py).

The suite runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL: the same expected values
are asserted on both, so the two databases are shown to give the same numbers.
"""

from datetime import date
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from fitbud.analytics.admin import platform_stats
from fitbud.analytics.frames import DONE, EXTRA, MISSED, REST, UPCOMING
from fitbud.analytics.queries import read_frame, truncate, workout_patterns
from fitbud.analytics.sql import period_start
from fitbud.analytics.trainer import trainer_overview
from fitbud.extensions import db
from fitbud.models import Report, ReportStatus, ReportType, TrainingSession, WorkoutLog
from fitbud.services.progress import client_page
from tests.analytics.world import FIRST, TODAY
from tests.helpers import count_statements

UTC_ZONE = ZoneInfo("UTC")


@pytest.fixture
def overview(world):
    return trainer_overview(world.trainer.id, TODAY, UTC_ZONE, FIRST, TODAY, months=3)


@pytest.fixture
def ana(world):
    return client_page(world.trainer, world.ana.id, FIRST, TODAY)


def test_week_and_month_truncation_agree_across_databases(world):
    from sqlalchemy import select

    week = truncate(WorkoutLog.performed_on, "week")
    month = truncate(WorkoutLog.performed_on, "month")
    rows = read_frame(
        select(week, month).where(WorkoutLog.client_id == world.ana.id).order_by(WorkoutLog.performed_on),
        ["week", "month"],
    )
    assert rows["week"].tolist() == [
        "2026-02-23",
        "2026-02-23",
        "2026-03-02",
        "2026-03-09",
        "2026-03-09",
        "2026-03-09",
        "2026-03-16",
    ]
    assert rows["month"].tolist() == ["2026-02-01"] * 2 + ["2026-03-01"] * 5


def test_timestamps_truncate_in_utc(world):
    from sqlalchemy import select

    # 03-22 23:30 UTC is a Sunday: still the week of Monday 03-16; 03-23 00:30 starts the next.
    day = truncate(TrainingSession.starts_at, "day")
    week = truncate(TrainingSession.starts_at, "week")
    rows = read_frame(
        select(day, week)
        .where(TrainingSession.starts_at >= world.trainer.created_at)
        .order_by(TrainingSession.starts_at),
        ["day", "week"],
    )
    assert rows.iloc[-3:].to_dict("records") == [
        {"day": "2026-03-20", "week": "2026-03-16"},
        {"day": "2026-03-22", "week": "2026-03-16"},
        {"day": "2026-03-23", "week": "2026-03-23"},
    ]


def test_unknown_unit_and_dialect_are_refused():
    with pytest.raises(ValueError):
        period_start(WorkoutLog.performed_on, "year", "sqlite")
    with pytest.raises(ValueError):
        period_start(WorkoutLog.performed_on, "week", "mysql")


def test_kpis(overview):
    assert overview.kpis == {
        "active_clients": 3,
        "new_this_month": 1,
        "churned_this_month": 0,
        "growth_pct": 50.0,
        "sessions_this_week": {"scheduled": 3, "completed": 1, "no_show": 1, "cancelled": 1},
        "average_adherence": 72.9,
        "checkins_awaiting_reply": 3,
        "revenue_this_month": None,
    }


def test_months_of_growth_are_the_trainers(world):
    from datetime import UTC, datetime

    from tests.factories import ClientFactory

    # 03:00 UTC on 1 March is still 28 February, 22:00, in New York.
    ClientFactory(trainer=world.trainer, created_at=datetime(2026, 3, 1, 3, 0, tzinfo=UTC))

    def new_per_month(zone):
        growth = trainer_overview(world.trainer.id, TODAY, zone, FIRST, TODAY, months=3).growth
        return dict(zip(growth["month"], growth["new"], strict=True))

    assert new_per_month(UTC_ZONE) == {"2026-01-01": 1, "2026-02-01": 1, "2026-03-01": 2}
    assert new_per_month(ZoneInfo("America/New_York")) == {"2026-01-01": 1, "2026-02-01": 2, "2026-03-01": 1}


def test_monthly_growth_counts_new_churned_and_active(overview):
    assert overview.growth.to_dict("records") == [
        {"month": "2026-01-01", "new": 1, "churned": 0, "net": 1, "active": 2, "growth_pct": 100.0},
        {"month": "2026-02-01", "new": 1, "churned": 1, "net": 0, "active": 2, "growth_pct": 0.0},
        {"month": "2026-03-01", "new": 1, "churned": 0, "net": 1, "active": 3, "growth_pct": 50.0},
    ]


def test_adherence_per_client_and_distribution(overview):
    assert overview.adherence[["name", "planned", "done", "matched", "adherence"]].to_dict("records") == [
        {"name": "Ana", "planned": 7, "done": 7, "matched": 6, "adherence": 85.7},
        {"name": "Dan", "planned": 5, "done": 3, "matched": 3, "adherence": 60.0},
    ]
    assert overview.adherence_histogram["clients"].tolist() == [0, 0, 0, 1, 1]


def test_clients_needing_attention(overview):
    rows = overview.attention[["name", "last_log", "days_quiet", "reasons"]].to_dict("records")
    assert rows == [
        {
            "name": "Ben",
            "last_log": date(2026, 3, 8),
            "days_quiet": 10,
            "reasons": ["No log for 10 days", "Missed 1 session", "2 check-ins awaiting reply"],
        },
        {"name": "Ana", "last_log": date(2026, 3, 16), "days_quiet": 2, "reasons": ["1 check-in awaiting reply"]},
    ]


def test_sessions_week_follows_the_trainers_timezone(world):
    # In Tokyo (UTC+9) the week ends Sun 03-22 15:00 UTC, so 03-22 23:30 UTC is next week's.
    overview = trainer_overview(world.trainer.id, TODAY, ZoneInfo("Asia/Tokyo"), FIRST, TODAY, months=3)
    assert overview.sessions_week == {"scheduled": 2, "completed": 1, "no_show": 1, "cancelled": 1}


def test_revenue_appears_only_with_a_provider_that_has_payments(world):
    def provider(trainer_id, start, end, zone):
        assert (trainer_id, start, end, zone) == (world.trainer.id, date(2026, 1, 1), date(2026, 3, 19), UTC_ZONE)
        return [
            {"month": "2026-03", "currency": "eur", "amount": 12000},
            {"month": "2026-02", "currency": "eur", "amount": 5000},
        ]

    overview = trainer_overview(world.trainer.id, TODAY, UTC_ZONE, FIRST, TODAY, months=3, revenue_provider=provider)
    assert overview.kpis["revenue_this_month"] == {"EUR": 120.0}
    assert overview.revenue["amount"].tolist() == [50.0, 120.0]
    empty = trainer_overview(world.trainer.id, TODAY, UTC_ZONE, FIRST, TODAY, months=3, revenue_provider=lambda *_: [])
    assert empty.kpis["revenue_this_month"] is None


def test_weight_rolling_mean_and_trend(ana):
    assert ana.weight.to_dict("list") == {
        "day": [date(2026, 2, 23), date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 14), date(2026, 3, 16)],
        "weight_kg": [80.0, 79.6, 79.0, 78.8, 78.6],
        "rolling_kg": [80.0, 79.6, 79.0, 78.9, 78.7],
    }
    # Least squares over x = 0,7,14,19,21 days: slope -20.2 / 302.8 kg/day = -0.467 kg/week.
    assert ana.trend == {"latest_kg": 78.6, "change_kg": -1.4, "slope_kg_per_week": -0.47}


def test_measurements_exclude_weight(ana):
    assert ana.measurements.to_dict("records") == [
        {"day": date(2026, 2, 23), "metric": "waist", "value": 90.0},
        {"day": date(2026, 3, 16), "metric": "waist", "value": 88.5},
    ]


def test_weekly_volume(ana):
    assert ana.weekly_volume.to_dict("records") == [
        {"week": "2026-02-23", "workouts": 2, "volume_kg": 2200.0, "sets": 22},
        {"week": "2026-03-02", "workouts": 1, "volume_kg": 900.0, "sets": 9},
        {"week": "2026-03-09", "workouts": 3, "volume_kg": 2600.0, "sets": 26},
        {"week": "2026-03-16", "workouts": 1, "volume_kg": 1300.0, "sets": 13},
    ]


def test_adherence_heatmap_and_summary(ana):
    grid = ana.heatmap
    assert grid.loc["2026-03-02"].tolist() == [MISSED, EXTRA, MISSED, REST, REST, REST, REST]
    assert grid.loc["2026-03-16"].tolist()[:3] == [DONE, REST, UPCOMING]
    assert np.isnan(grid.loc["2026-03-16", "Thu"])
    assert ana.adherence == {"planned": 7, "done": 7, "matched": 6, "adherence": 85.7}


def test_calories_against_the_diet_target(ana):
    by_day = ana.calories.set_index("day")
    assert len(by_day) == 19  # 02-28 (no diet yet) and every day of the diet from 03-01
    assert by_day.loc[date(2026, 2, 28)].tolist() == [2500.0, None, None]
    assert by_day.loc[date(2026, 3, 15)].tolist() == [2100.0, 2000.0, 100.0]
    assert by_day.loc[date(2026, 3, 16)].tolist() == [1800.0, 2000.0, -200.0]
    assert by_day.loc[date(2026, 3, 17)].tolist() == [None, 2000.0, None]


def test_personal_records_are_the_apis(ana):
    # The records of /clients/<id>/records: the heaviest set (more reps win a tie of weight, so
    # 110 x 5 on 03-16 beats 110 x 2 on 03-09) and the best Epley e1RM, 110 x (1 + 5/30) = 128.33;
    # bench 80 x (1 + 8/30) = 101.33.
    assert ana.records.to_dict("records") == [
        {
            "exercise": "Squat",
            "heaviest_kg": 110.0,
            "heaviest_on": date(2026, 3, 16),
            "best_e1rm_kg": 128.3,
            "best_e1rm_on": date(2026, 3, 16),
        },
        {
            "exercise": "Bench press",
            "heaviest_kg": 80.0,
            "heaviest_on": date(2026, 2, 25),
            "best_e1rm_kg": 101.3,
            "best_e1rm_on": date(2026, 2, 25),
        },
    ]


def test_platform_stats(world):
    db.session.add_all(
        [
            Report(owner_id=world.trainer.id, type=ReportType.TRAINER_MONTHLY, status=ReportStatus.FINISHED),
            Report(owner_id=world.trainer.id, type=ReportType.TRAINER_MONTHLY, status=ReportStatus.FAILED),
            Report(owner_id=world.admin.id, type=ReportType.PLATFORM, status=ReportStatus.FINISHED),
        ]
    )
    db.session.commit()
    stats = platform_stats(TODAY, weeks=4)
    assert stats.totals == {
        "trainers": 2,
        "active_trainers": 2,
        "clients": 5,
        "active_clients": 4,
        "users_active_7d": 2,
        "users_active_30d": 2,
    }
    assert stats.signups.to_dict("records")[1] == {"week": "2026-03-02", "admin": 0, "trainer": 1, "client": 0}
    assert stats.weekly_active_clients["clients"].tolist() == [2, 3, 3, 3]
    assert stats.reports_by_status == {"queued": 0, "started": 0, "finished": 2, "failed": 1}
    assert stats.trainers[["name", "clients", "active_clients"]].to_dict("records") == [
        {"name": "Trainer T", "clients": 4, "active_clients": 3},
        {"name": "Trainer O", "clients": 1, "active_clients": 1},
    ]


def test_known_patterns_are_filled_once_and_reused_without_reading_contents(world):
    known: dict = {}
    first = workout_patterns(None, FIRST, TODAY, trainer_id=world.trainer.id, known_patterns=known)
    assert len(known) == len(first) > 0
    with count_statements() as statements:
        again = workout_patterns(None, FIRST, TODAY, trainer_id=world.trainer.id, known_patterns=known)
    assert statements.count == 1  # the assignment rows only: no plan content is read again
    assert again[["cycle", "offsets"]].equals(first[["cycle", "offsets"]])
