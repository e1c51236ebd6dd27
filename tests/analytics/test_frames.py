"""The pure frame -> frame functions, on small literal frames checked by hand."""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from fitbud.analytics import frames
from fitbud.analytics.frames import DONE, EXTRA, MISSED, REST, UPCOMING
from fitbud.analytics.planning import planned_days, planned_per_week, training_offsets
from fitbud.services.plan_content import workout_day_on


def test_month_starts_cover_both_ends():
    assert frames.month_starts(date(2026, 11, 30), date(2027, 2, 1)) == [
        "2026-11-01",
        "2026-12-01",
        "2027-01-01",
        "2027-02-01",
    ]


def test_week_starts_begin_on_monday():
    assert frames.week_starts(date(2026, 1, 7), date(2026, 1, 19)) == ["2026-01-05", "2026-01-12", "2026-01-19"]


def test_monthly_growth_accumulates_active_and_computes_growth():
    new = pd.DataFrame({"month": ["2026-01-01", "2026-03-01", "2025-12-01"], "count": [2, 3, 9]})
    churned = pd.DataFrame({"month": ["2026-02-01"], "count": [1]})
    growth = frames.monthly_growth(["2026-01-01", "2026-02-01", "2026-03-01"], new, churned, active_before=2)
    assert growth["new"].tolist() == [2, 0, 3]
    assert growth["churned"].tolist() == [0, 1, 1 - 1]
    assert growth["active"].tolist() == [4, 3, 6]
    assert growth["growth_pct"].tolist() == [100.0, -25.0, 100.0]


def test_monthly_growth_is_none_after_an_empty_month():
    new = pd.DataFrame({"month": ["2026-02-01"], "count": [1]})
    growth = frames.monthly_growth(["2026-01-01", "2026-02-01"], new, pd.DataFrame(columns=["month", "count"]), 0)
    assert growth["growth_pct"].tolist() == [None, None]


def test_weekly_adherence_caps_each_week_at_its_plan():
    planned = pd.DataFrame({"client_id": [1, 1, 2], "week": ["w1", "w2", "w1"], "planned": [3, 3, 2]})
    done = pd.DataFrame({"client_id": [1, 1, 3], "week": ["w1", "w2", "w1"], "done": [5, 1, 4]})
    result = frames.weekly_adherence(planned, done).set_index("client_id")
    # Client 1: week 1 counts 3 of 3 (two extra do not carry over), week 2 counts 1 of 3.
    assert result.loc[1, "matched"] == 4 and result.loc[1, "adherence"] == round(4 / 6 * 100, 1)
    assert result.loc[2, "adherence"] == 0.0
    assert result.loc[3, "adherence"] is None


def test_average_adherence_averages_exact_ratios_of_clients_with_a_plan():
    adherence = pd.DataFrame({"client_id": [1, 2, 3], "planned": [7, 0, 5], "matched": [6, 0, 3]})
    # (6/7 + 3/5) / 2 = 72.857...: from exact ratios, not from the rounded 85.7 and 60.0.
    assert frames.average_adherence(adherence) == 72.9
    assert frames.average_adherence(pd.DataFrame(columns=["client_id", "planned", "matched"])) is None


def test_adherence_histogram_puts_100_in_the_top_bucket():
    adherence = pd.DataFrame({"adherence": [0.0, 19.9, 20.0, 100.0, None, 85.0]})
    assert frames.adherence_histogram(adherence)["clients"].tolist() == [2, 1, 0, 0, 2]


def test_sessions_by_status_fills_missing_statuses():
    counts = pd.DataFrame({"status": ["completed", "no_show"], "count": [3, 1]})
    assert frames.sessions_by_status(counts) == {"scheduled": 0, "completed": 3, "no_show": 1, "cancelled": 0}


def test_attention_list_names_each_reason_and_skips_fine_clients():
    today = date(2026, 3, 20)
    clients = pd.DataFrame({"client_id": [1, 2, 3, 4], "name": ["Ann", "Bob", "Cid", "Dee"]})
    last_log = pd.DataFrame(
        {"client_id": [1, 2, 4], "last_log": [date(2026, 3, 19), date(2026, 3, 10), date(2026, 3, 18)]}
    )
    missed = pd.DataFrame({"client_id": [4], "missed": [2]})
    unanswered = pd.DataFrame({"client_id": [2], "unanswered": [1], "oldest": [date(2026, 3, 9)]})
    result = frames.attention_list(clients, last_log, missed, unanswered, today)
    assert result["name"].tolist() == ["Bob", "Cid", "Dee"]
    assert result.iloc[0]["reasons"] == ["No log for 10 days", "1 check-in awaiting reply"]
    assert result.iloc[1]["reasons"] == ["No logs yet"]
    assert result.iloc[2]["reasons"] == ["Missed 2 sessions"]


def test_weight_trend_gives_latest_change_and_slope():
    days = [date(2026, 1, 1), date(2026, 1, 8), date(2026, 1, 15)]
    series = pd.DataFrame({"day": days, "weight_kg": [90.0, 89.0, 88.0]})
    trend = frames.weight_trend(series, today=date(2026, 1, 15))
    assert trend == {"latest_kg": 88.0, "change_kg": -2.0, "slope_kg_per_week": -1.0}


def test_weight_trend_needs_two_weigh_ins_days_apart_for_a_slope():
    series = pd.DataFrame({"day": [date(2026, 1, 1), date(2026, 1, 2)], "weight_kg": [80.0, 81.0]})
    assert frames.weight_trend(series, today=date(2026, 1, 2))["slope_kg_per_week"] is None


def test_fill_weeks_adds_zero_weeks():
    frame = pd.DataFrame({"week": ["2026-01-12"], "volume_kg": [500.0]})
    filled = frames.fill_weeks(frame, ["2026-01-05", "2026-01-12"], ["volume_kg"])
    assert filled["volume_kg"].tolist() == [0.0, 500.0]


def test_adherence_heatmap_codes_each_day():
    first, last, today = date(2026, 1, 5), date(2026, 1, 11), date(2026, 1, 8)
    planned = [date(2026, 1, 5), date(2026, 1, 7), date(2026, 1, 9)]
    done = [date(2026, 1, 5), date(2026, 1, 6)]
    grid = frames.adherence_heatmap(planned, done, first, last, today)
    assert grid.loc["2026-01-05"].tolist() == [DONE, EXTRA, MISSED, REST, UPCOMING, REST, REST]


def test_adherence_heatmap_leaves_days_outside_the_range_empty():
    grid = frames.adherence_heatmap([], [], date(2026, 1, 7), date(2026, 1, 7), date(2026, 1, 7))
    assert np.isnan(grid.loc["2026-01-05", "Mon"]) and grid.loc["2026-01-05", "Wed"] == REST


def test_records_in_period_ignore_first_attempts():
    bests = pd.DataFrame(
        {
            "client_id": [1, 1, 1, 2],
            "exercise_id": [10, 11, 12, 10],
            "best_before": [100.0, None, 50.0, 80.0],
            "best_in_period": [105.0, 60.0, 50.0, None],
        }
    )
    assert frames.records_in_period(bests).set_index("client_id")["records"].to_dict() == {1: 1, 2: 0}


def test_weight_change_uses_first_and_last_weigh_in():
    weights = pd.DataFrame(
        {
            "client_id": [1, 1, 1],
            "day": [date(2026, 1, 9), date(2026, 1, 1), date(2026, 1, 5)],
            "weight_kg": [78.5, 80.0, 79.0],
        }
    )
    assert frames.weight_change(weights).iloc[0].tolist() == [1, 80.0, 78.5, -1.5]


def test_pivot_counts_fills_every_row_and_column():
    counts = pd.DataFrame({"week": ["w2"], "role": ["trainer"], "count": [2]})
    table = frames.pivot_counts(counts, "week", "role", ["w1", "w2"], ["trainer", "client"])
    assert table.to_dict("records") == [
        {"week": "w1", "trainer": 0, "client": 0},
        {"week": "w2", "trainer": 2, "client": 0},
    ]


@dataclass(frozen=True, slots=True)
class _Row:
    month: str
    currency: str
    amount: int
    package_id: int | None = None


def test_revenue_frame_sums_packages_per_currency_and_converts_cents():
    rows = [
        _Row("2026-01", "eur", 5000, 1),
        _Row("2026-01", "EUR", 2550, 2),
        {"month": "2026-02", "currency": "usd", "amount": 100},
    ]
    result = frames.revenue_frame(rows)
    assert result.to_dict("records") == [
        {"month": "2026-01-01", "currency": "EUR", "amount": 75.5},
        {"month": "2026-02-01", "currency": "USD", "amount": 1.0},
    ]


def test_planned_days_match_the_calendar_rules():
    content = {
        "weeks": [
            {"days": [{"name": "A"}, {"name": "rest", "rest": True}, {"name": "B"}]},
            {"days": [{"name": "C"}]},
        ]
    }
    start, first, last = date(2026, 1, 5), date(2026, 1, 1), date(2026, 2, 28)
    assignments = pd.DataFrame({"client_id": [7], "start_date": [start], "end_date": [None], "content": [content]})
    # The Today view's rule, day by day: the plan's day on that date is a training day.
    expected = [
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if (day := workout_day_on(content, start, first + timedelta(days=n))) is not None and not day.get("rest")
    ]
    assert planned_days(assignments, first, last)["day"].tolist() == expected
    assert training_offsets(content)[0] == 14


def test_planned_days_stop_at_the_assignment_end_and_count_overlaps_once():
    content = {"weeks": [{"days": [{"name": "A"}, {"name": "B"}]}]}
    assignments = pd.DataFrame(
        {
            "client_id": [1, 1],
            "start_date": [date(2026, 1, 5), date(2026, 1, 5)],
            "end_date": [date(2026, 1, 12), None],
            "content": [content, content],
        }
    )
    planned = planned_days(assignments, date(2026, 1, 1), date(2026, 1, 13))
    assert planned["day"].tolist() == [date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 12), date(2026, 1, 13)]
    assert planned_per_week(planned).to_dict("records") == [
        {"client_id": 1, "week": "2026-01-05", "planned": 2},
        {"client_id": 1, "week": "2026-01-12", "planned": 2},
    ]


def test_adherence_of_one_client_matches_within_weeks():
    planned = [date(2026, 1, 5), date(2026, 1, 7), date(2026, 1, 12)]
    done = [date(2026, 1, 6), date(2026, 1, 8), date(2026, 1, 9), date(2026, 1, 20)]
    assert frames.adherence_of(planned, done) == {"planned": 3, "done": 4, "matched": 2, "adherence": 66.7}
    assert frames.adherence_of([], done)["adherence"] is None


def test_planned_week_counts_equal_counting_the_planned_days():
    from fitbud.analytics.planning import planned_week_counts

    content = {
        "weeks": [{"days": [{"name": "A"}, {"name": "r", "rest": True}, {"name": "B"}]}, {"days": [{"name": "C"}]}]
    }
    assignments = pd.DataFrame(
        {
            "client_id": [3, 3, 9],
            "start_date": [date(2026, 1, 5), date(2026, 1, 7), date(2026, 1, 1)],
            "end_date": [None, date(2026, 1, 20), None],
            "content": [content, content, content],
        }
    )
    first, last = date(2026, 1, 3), date(2026, 2, 15)
    expected = planned_per_week(planned_days(assignments, first, last))
    assert planned_week_counts(assignments, first, last).to_dict("records") == expected.to_dict("records")
