"""/me/...: a client logs workouts, meals, check-ins and body metrics, and reads their own progress."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_jwt_extended import current_user
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from fitbud.api.blueprint import Blueprint
from fitbud.api.logs.schemas import (
    BodyMetricCreateSchema,
    BodyMetricListArgsSchema,
    BodyMetricSchema,
    BodyMetricUpdateSchema,
    CheckInCreateSchema,
    CheckInSchema,
    CheckInUpdateSchema,
    DateRangeArgsSchema,
    DayArgsSchema,
    ImportResultSchema,
    MealLogCreateSchema,
    MealLogSchema,
    MealLogUpdateSchema,
    NutritionDaySchema,
    PersonalRecordSchema,
    StreaksSchema,
    WorkoutLogCreateSchema,
    WorkoutLogSchema,
    WorkoutLogUpdateSchema,
)
from fitbud.api.pagination import paginate
from fitbud.api.progress.schemas import ProgressArgsSchema, ProgressSchema
from fitbud.auth.roles import Role
from fitbud.ext.smorest import PAYLOAD_TOO_LARGE
from fitbud.services import body_metrics, check_ins, meal_logs, progress, records, streaks, workout_logs
from fitbud.services.client_scope import own_client

blp = Blueprint("logs", __name__, url_prefix="/me", description="Your workout, meal, check-in and body logs")


@blp.route("/workout-logs")
class WorkoutLogViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.arguments(DateRangeArgsSchema, location="query")
    @blp.response(200, WorkoutLogSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Your workouts, newest first."""
        return paginate(workout_logs.own_logs(current_user, args.get("first"), args.get("last")), pagination_parameters)

    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.arguments(WorkoutLogCreateSchema)
    @blp.response(201, WorkoutLogSchema)
    def post(self, data):
        """Log a workout; weights and distances in your units."""
        return workout_logs.create(current_user, data)


@blp.route("/workout-logs/<int:log_id>")
class WorkoutLogByIdViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.response(200, WorkoutLogSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, log_id):
        """One of your workouts."""
        return workout_logs.get_own(current_user, log_id)

    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.arguments(WorkoutLogUpdateSchema)
    @blp.response(200, WorkoutLogSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, data, log_id):
        """Change a workout; `exercises` replaces all its sets."""
        return workout_logs.update(current_user, log_id, data)

    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, log_id):
        """Delete a workout."""
        workout_logs.delete(current_user, log_id)


@blp.route("/meal-logs")
class MealLogViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.arguments(DateRangeArgsSchema, location="query")
    @blp.response(200, MealLogSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Your meals, newest first."""
        return paginate(meal_logs.own_logs(current_user, args.get("first"), args.get("last")), pagination_parameters)

    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.arguments(MealLogCreateSchema)
    @blp.response(201, MealLogSchema)
    def post(self, data):
        """Log a meal: items, or a quick entry of kcal and macros."""
        return meal_logs.create(current_user, data)


@blp.route("/meal-logs/<int:log_id>")
class MealLogByIdViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.response(200, MealLogSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, log_id):
        """One of your meals."""
        return meal_logs.get_own(current_user, log_id)

    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.arguments(MealLogUpdateSchema)
    @blp.response(200, MealLogSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, data, log_id):
        """Change a meal."""
        return meal_logs.update(current_user, log_id, data)

    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, log_id):
        """Delete a meal."""
        meal_logs.delete(current_user, log_id)


@blp.route("/nutrition")
class NutritionViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.arguments(DayArgsSchema, location="query")
    @blp.response(200, NutritionDaySchema)
    def get(self, args):
        """A day's meals and totals against your diet's targets (default: today)."""
        return meal_logs.nutrition_day(own_client(current_user), args.get("date"))


@blp.route("/check-ins")
class CheckInViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.arguments(DateRangeArgsSchema, location="query")
    @blp.response(200, CheckInSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Your check-ins, newest first."""
        return paginate(
            check_ins.own_check_ins(current_user, args.get("first"), args.get("last")), pagination_parameters
        )

    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.arguments(CheckInCreateSchema)
    @blp.response(201, CheckInSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Submit a check-in (one per day)."""
        return check_ins.create(current_user, data)


@blp.route("/check-ins/<int:check_in_id>")
class CheckInByIdViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.response(200, CheckInSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, check_in_id):
        """One of your check-ins, with your trainer's reply."""
        return check_ins.get_own(current_user, check_in_id)

    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.arguments(CheckInUpdateSchema)
    @blp.response(200, CheckInSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, data, check_in_id):
        """Change a check-in."""
        return check_ins.update(current_user, check_in_id, data)

    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, check_in_id):
        """Delete a check-in."""
        check_ins.delete(current_user, check_in_id)


@blp.route("/body-metrics")
class BodyMetricViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.arguments(BodyMetricListArgsSchema, location="query")
    @blp.response(200, BodyMetricSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Your body metrics, newest first; filter by metric and date."""
        statement = body_metrics.own_metrics(current_user, args.get("metric"), args.get("first"), args.get("last"))
        return paginate(statement, pagination_parameters)

    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.arguments(BodyMetricCreateSchema)
    @blp.response(201, BodyMetricSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Record a metric for a day (one value per metric and day)."""
        return body_metrics.create(current_user, data)


@blp.route("/body-metrics/<int:metric_id>")
class BodyMetricByIdViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.response(200, BodyMetricSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, metric_id):
        """One of your body metrics."""
        return body_metrics.get_own(current_user, metric_id)

    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.arguments(BodyMetricUpdateSchema)
    @blp.response(200, BodyMetricSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, data, metric_id):
        """Change a body metric's value or day."""
        return body_metrics.update(current_user, metric_id, data)

    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, metric_id):
        """Delete a body metric."""
        body_metrics.delete(current_user, metric_id)


def _uploaded_csv() -> bytes:
    """The CSV bytes of a text/csv body or a multipart `file` part, within the size limit."""
    limit = current_app.config["BODY_METRICS_IMPORT_MAX_BYTES"]
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise UnsupportedMediaType("Send the CSV as the multipart part named 'file'.")
        data = upload.stream.read(limit + 1)
    elif request.mimetype in ("text/csv", "text/plain", "application/csv"):
        data = request.get_data(cache=True)
    else:
        raise UnsupportedMediaType("Send text/csv, or multipart/form-data with a 'file' part.")
    if len(data) > limit:
        raise RequestEntityTooLarge(f"The CSV may be at most {limit} bytes.")
    return data


@blp.route("/body-metrics/import")
class BodyMetricImportViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.idempotent
    @blp.doc(
        requestBody={
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}, "example": "date,metric,value\n2026-01-05,weight,81.2\n"},
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
                },
            },
        }
    )
    @blp.response(201, ImportResultSchema)
    @blp.alt_response(413, response=PAYLOAD_TOO_LARGE)
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self):
        """Import history from a CSV of date,metric,value (your units): every row stored, or none.

        Any bad row rejects the file with a 422 listing `rows.<line>.<column>` and the reason.
        """
        return body_metrics.import_csv(
            current_user, _uploaded_csv(), current_app.config["BODY_METRICS_IMPORT_MAX_ROWS"]
        )


@blp.route("/streaks")
class StreakViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.response(200, StreaksSchema)
    def get(self):
        """Your current and longest streak of days with any log (in your timezone)."""
        return streaks.client_streaks(own_client(current_user))


@blp.route("/progress")
class ProgressViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.cached_per_trainer("progress")
    @blp.arguments(ProgressArgsSchema, location="query")
    @blp.response(200, ProgressSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """Your weight trend (7-day mean), measurements, weekly volume and adherence, calories, streaks.

        The same figures your trainer sees at /clients/{client_id}/progress, in your units.
        """
        return progress.my_progress(current_user, args.get("first"), args.get("last"))


@blp.route("/records")
class RecordViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.response(200, PersonalRecordSchema(many=True))
    def get(self):
        """Your personal records per exercise: heaviest set and best estimated 1RM."""
        return records.personal_records(own_client(current_user).id)
