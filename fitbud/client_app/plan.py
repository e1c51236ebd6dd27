"""Plan: the client's current and upcoming workout and diet plans, week by week and day by day."""

from __future__ import annotations

from flask import Response, make_response, render_template

from fitbud.client_app import bp
from fitbud.client_app.plan_view import diet_days, workout_weeks
from fitbud.client_app.session import app_user
from fitbud.models import PlanKind
from fitbud.services import assignments


@bp.get("/app/plan")
def plan() -> Response:
    """What the client follows now and what comes next, laid out with dates in their timezone."""
    user = app_user()
    mine = assignments.my_plan(user)
    today = assignments.today_for(user)["date"]

    def shown(assignment):
        if assignment.kind is PlanKind.WORKOUT:
            return {
                "assignment": assignment,
                "weeks": workout_weeks(assignment, mine.exercises, today, user.unit_system),
            }
        return {"assignment": assignment, "days": diet_days(assignment, today)}

    return make_response(
        render_template(
            "client_app/plan.html",
            today=today,
            workout=shown(mine.workout) if mine.workout else None,
            diet=shown(mine.diet) if mine.diet else None,
            upcoming=[shown(assignment) for assignment in mine.upcoming],
        )
    )
