"""The client app shows the trainer's comments on the client's logged workouts."""

from __future__ import annotations

from datetime import date, timedelta

from fitbud.services import workout_comments
from tests.factories import WorkoutLogFactory


def test_progress_lists_recent_workouts_with_the_trainers_comments(app_http, trainer, client_record):
    log = WorkoutLogFactory(
        client=client_record, performed_on=date.today() - timedelta(days=2), sets_done=4, sets_planned=5,
        notes="Knee felt fine",
    )
    workout_comments.add_comment(trainer, log.id, "Lovely work <b>today</b>")

    html = app_http.get("/app/progress").get_data(as_text=True)

    section = html[html.index('id="workouts"'):html.index('id="records-heading"')]
    assert "4 sets of 5 planned" in section and "Knee felt fine" in section
    assert "Your trainer:</span> Lovely work &lt;b&gt;today&lt;/b&gt;" in section


def test_progress_says_where_workouts_will_show_before_any(app_http, client_record):
    html = app_http.get("/app/progress").get_data(as_text=True)

    assert "Your logged workouts, and your trainer" in html and "comments on them, will show here." in html


def test_today_shows_the_comment_on_todays_workout(app_http, trainer, client_record, workout_day):
    log = WorkoutLogFactory(client=client_record, performed_on=date.today(), sets_done=3)
    workout_comments.add_comment(trainer, log.id, "Good pace")

    html = app_http.get("/app/").get_data(as_text=True)

    assert "You logged a workout today: 3 sets" in html and "Your trainer:</span> Good pace" in html
