"""The Plan page: the current and upcoming plans, week by week and day by day, with dates."""

from __future__ import annotations

from datetime import date, timedelta

from fitbud.extensions import db
from fitbud.models import PlanKind
from tests.factories import PlanAssignmentFactory


def _day(when: date) -> str:
    return f"{when:%a} {when.day} {when:%b}"


def test_the_plan_shows_each_day_of_the_week_with_its_date_and_exercises(app_http, workout_day, diet_day):
    html = app_http.get("/app/plan").get_data(as_text=True)
    today = date.today()
    assert "Strength" in html and "Back Squat: 2 × 5 · 100 kg" in html and "Plank: 1 × 45 s" in html
    assert _day(today) in html and _day(today + timedelta(days=1)) in html
    assert 'aria-current="date"' in html and "this week" in html
    assert "Lean" in html and "Breakfast" in html and "Oats" in html


def test_loads_follow_the_clients_units(app_http, workout_day, client_login):
    client_login.unit_system = "imperial"
    db.session.commit()
    assert "Back Squat: 2 × 5 · 220.5 lb" in app_http.get("/app/plan").get_data(as_text=True)


def test_a_later_repetition_shows_the_dates_of_the_current_cycle(app_http, workout_day):
    workout_day.start_date = date.today() - timedelta(days=15)  # one-week plan: third repetition
    db.session.commit()
    html = app_http.get("/app/plan").get_data(as_text=True)
    cycle = date.today() - timedelta(days=1)
    assert _day(cycle) in html and _day(date.today() - timedelta(days=15)) not in html


def test_an_upcoming_plan_is_listed_with_its_start(app_http, workout_day, client_record):
    start = date.today() + timedelta(days=10)
    PlanAssignmentFactory(
        client=client_record, kind=PlanKind.WORKOUT, name="Next block", content=workout_day.content, start_date=start
    )
    html = app_http.get("/app/plan").get_data(as_text=True)
    assert "Coming next" in html and "Next block" in html and f"from {start:%A} {start.day} {start:%B}" in html


def test_without_plans_the_page_says_so(app_http, client_record):
    html = app_http.get("/app/plan").get_data(as_text=True)
    assert "not given you a workout plan yet" in html and "not given you a diet plan yet" in html


def test_another_clients_plan_is_not_shown(app_http, workout_day):
    PlanAssignmentFactory(kind=PlanKind.WORKOUT, name="Someone else's block", content=workout_day.content)
    assert "Someone else" not in app_http.get("/app/plan").get_data(as_text=True)


def test_the_plan_is_in_the_navigation_and_marked_current(app_http, client_record):
    html = app_http.get("/app/plan").get_data(as_text=True)
    assert '<a href="/app/plan" aria-current="page">' in html


def test_the_plan_needs_a_client_login(http, trainer):
    assert http.get("/app/plan").status_code == 303
