"""/clients/<id>/...: the trainer reads (never edits) a client's logs, progress and records."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user
from sqlalchemy import Select

from fitbud.api.blueprint import Blueprint
from fitbud.api.logs.schemas import (
    BodyMetricListArgsSchema,
    BodyMetricSchema,
    CheckInReplySchema,
    CheckInSchema,
    DateRangeArgsSchema,
    DayArgsSchema,
    MealLogSchema,
    NutritionDaySchema,
    PersonalRecordSchema,
    WorkoutLogSchema,
)
from fitbud.api.pagination import paginate
from fitbud.api.progress.schemas import CheckInListArgsSchema, ProgressArgsSchema, ProgressSchema
from fitbud.auth.roles import Role
from fitbud.services import body_metrics, check_ins, meal_logs, progress, records, workout_logs
from fitbud.services.client_scope import trainer_client

blp = Blueprint("progress", __name__, url_prefix="/clients", description="Your clients' logs and progress")


def _client_page(statement: Select, pagination_parameters: Any, client_id: int) -> list[Any]:
    """A page of a client's rows; an empty page means no rows, or a client that is not yours (404).

    The list statements are already scoped to the trainer, so the ownership check only costs
    a query when the page is empty.
    """
    rows = paginate(statement, pagination_parameters)
    if not rows:
        trainer_client(current_user, client_id)
    return rows


@blp.route("/<int:client_id>/workout-logs")
class ClientWorkoutLogViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(DateRangeArgsSchema, location="query")
    @blp.response(200, WorkoutLogSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.paginate()
    def get(self, args, client_id, pagination_parameters):
        """A client's workouts, newest first."""
        statement = workout_logs.client_logs(current_user, client_id, args.get("first"), args.get("last"))
        return _client_page(statement, pagination_parameters, client_id)


@blp.route("/<int:client_id>/workout-logs/<int:log_id>")
class ClientWorkoutLogByIdViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.response(200, WorkoutLogSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, client_id, log_id):
        """One of a client's workouts."""
        return workout_logs.get_for_trainer(current_user, client_id, log_id)


@blp.route("/<int:client_id>/meal-logs")
class ClientMealLogViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(DateRangeArgsSchema, location="query")
    @blp.response(200, MealLogSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.paginate()
    def get(self, args, client_id, pagination_parameters):
        """A client's meals, newest first."""
        statement = meal_logs.client_logs(current_user, client_id, args.get("first"), args.get("last"))
        return _client_page(statement, pagination_parameters, client_id)


@blp.route("/<int:client_id>/meal-logs/<int:log_id>")
class ClientMealLogByIdViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.response(200, MealLogSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, client_id, log_id):
        """One of a client's meals."""
        return meal_logs.get_for_trainer(current_user, client_id, log_id)


@blp.route("/<int:client_id>/nutrition")
class ClientNutritionViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(DayArgsSchema, location="query")
    @blp.response(200, NutritionDaySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, client_id):
        """A client's meals and totals of a day against their diet (default: their today)."""
        return meal_logs.nutrition_day(trainer_client(current_user, client_id), args.get("date"))


@blp.route("/<int:client_id>/check-ins")
class ClientCheckInViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(CheckInListArgsSchema, location="query")
    @blp.response(200, CheckInSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.paginate()
    def get(self, args, client_id, pagination_parameters):
        """A client's check-ins, newest first; `replied=false` lists those awaiting your reply."""
        statement = check_ins.client_check_ins(
            current_user, client_id, args.get("first"), args.get("last"), args.get("replied")
        )
        return _client_page(statement, pagination_parameters, client_id)


@blp.route("/<int:client_id>/check-ins/<int:check_in_id>")
class ClientCheckInByIdViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.response(200, CheckInSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, client_id, check_in_id):
        """One of a client's check-ins."""
        return check_ins.get_for_trainer(current_user, client_id, check_in_id)


@blp.route("/<int:client_id>/check-ins/<int:check_in_id>/reply")
class ClientCheckInReplyViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.idempotent
    @blp.arguments(CheckInReplySchema)
    @blp.response(200, CheckInSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data, client_id, check_in_id):
        """Reply to a check-in with a comment (a new reply replaces the previous one)."""
        return check_ins.reply(current_user, client_id, check_in_id, data["comment"])


@blp.route("/<int:client_id>/body-metrics")
class ClientBodyMetricViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(BodyMetricListArgsSchema, location="query")
    @blp.response(200, BodyMetricSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.paginate()
    def get(self, args, client_id, pagination_parameters):
        """A client's body metrics, newest first; filter by metric and date."""
        statement = body_metrics.client_metrics(
            current_user, client_id, args.get("metric"), args.get("first"), args.get("last")
        )
        return _client_page(statement, pagination_parameters, client_id)


@blp.route("/<int:client_id>/body-metrics/<int:metric_id>")
class ClientBodyMetricByIdViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.response(200, BodyMetricSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, client_id, metric_id):
        """One of a client's body metrics."""
        return body_metrics.get_for_trainer(current_user, client_id, metric_id)


@blp.route("/<int:client_id>/progress")
class ClientProgressViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.cached_per_trainer("progress")
    @blp.arguments(ProgressArgsSchema, location="query")
    @blp.response(200, ProgressSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, client_id):
        """Weight trend (7-day mean), measurements, weekly volume and adherence, calories, streaks."""
        return progress.trainer_progress(current_user, client_id, args.get("first"), args.get("last"))


@blp.route("/<int:client_id>/records")
class ClientRecordViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.response(200, PersonalRecordSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, client_id):
        """A client's personal records per exercise: heaviest set and best estimated 1RM (Epley)."""
        return records.personal_records(trainer_client(current_user, client_id).id)
