"""A trainer's weekly working hours, days off, and the free slots they leave."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.availability.schemas import (
    AvailabilityQueryArgsSchema,
    AvailabilitySchema,
    DayOffCreateSchema,
    DayOffQueryArgsSchema,
    DayOffSchema,
    DayOffUpdateSchema,
    WorkingHoursCreateSchema,
    WorkingHoursSchema,
    WorkingHoursUpdateSchema,
)
from fitbud.api.blueprint import Blueprint
from fitbud.api.pagination import paginate
from fitbud.auth.roles import Role
from fitbud.services import availability

blp = Blueprint(
    "availability", __name__, url_prefix="/trainers/me", description="Your working hours, days off and free slots"
)


@blp.route("/working-hours")
class WorkingHoursViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.response(200, WorkingHoursSchema(many=True))
    def get(self):
        """Your weekly working hours (your timezone), Monday first."""
        return availability.list_working_hours(current_user)

    @blp.login_required(Role.TRAINER)
    @blp.arguments(WorkingHoursCreateSchema)
    @blp.response(201, WorkingHoursSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Add an interval (409 when it overlaps one on the same weekday)."""
        return availability.add_working_hours(current_user, data)


@blp.route("/working-hours/<int:hours_id>")
class WorkingHoursByIdViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(WorkingHoursUpdateSchema)
    @blp.response(200, WorkingHoursSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, data, hours_id):
        """Change an interval."""
        return availability.update_working_hours(current_user, hours_id, data)

    @blp.login_required(Role.TRAINER)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, hours_id):
        """Remove an interval."""
        availability.delete_working_hours(current_user, hours_id)


@blp.route("/days-off")
class DaysOffViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(DayOffQueryArgsSchema, location="query")
    @blp.response(200, DayOffSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Your days off, by date."""
        return paginate(
            availability.list_days_off(current_user, args.get("start"), args.get("end")), pagination_parameters
        )

    @blp.login_required(Role.TRAINER)
    @blp.arguments(DayOffCreateSchema)
    @blp.response(201, DayOffSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Take a day off, or part of one (409 when it overlaps another)."""
        return availability.add_day_off(current_user, data)


@blp.route("/days-off/<int:day_off_id>")
class DayOffByIdViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(DayOffUpdateSchema)
    @blp.response(200, DayOffSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, data, day_off_id):
        """Change a day off."""
        return availability.update_day_off(current_user, day_off_id, data)

    @blp.login_required(Role.TRAINER)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, day_off_id):
        """Remove a day off."""
        availability.delete_day_off(current_user, day_off_id)


@blp.route("/availability")
class AvailabilityViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.arguments(AvailabilityQueryArgsSchema, location="query")
    @blp.response(200, AvailabilitySchema)
    def get(self, args):
        """Your free slots of `length` minutes between `from` and `to` (at most 31 days)."""
        return availability.trainer_availability(current_user, args["start"], args["end"], args["length"])
