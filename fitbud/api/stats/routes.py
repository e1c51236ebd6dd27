"""A trainer's KPIs with the monthly growth series, and the platform's figures for admins."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.blueprint import Blueprint
from fitbud.api.stats.schemas import (
    AdminStatsQueryArgsSchema,
    AdminStatsSchema,
    TrainerStatsQueryArgsSchema,
    TrainerStatsSchema,
)
from fitbud.auth.roles import Role
from fitbud.services import analytics

blp = Blueprint("stats", __name__, url_prefix="", description="Statistics for trainers and admins")


@blp.route("/stats/trainer")
class TrainerStatsView(MethodView):
    @blp.login_required(Role.TRAINER)
    # Not cached_per_trainer: the overview these figures come from is already kept in the
    # trainer's cache (services/analytics.overview_for, shared with the dashboard's Overview),
    # so a second copy of the same figures as a response body would only be dropped with it.
    @blp.arguments(TrainerStatsQueryArgsSchema, location="query", unknown=ma.RAISE)
    @blp.response(200, TrainerStatsSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def get(self, args):
        """Your KPIs and your clients' growth per month.

        Active clients, growth, sessions this week, adherence, check-ins awaiting a reply, and
        revenue when billing has payments.
        """
        return analytics.trainer_stats(current_user, args["months"], args.get("start"), args.get("end"))


@blp.route("/admin/stats")
class AdminStatsView(MethodView):
    @blp.login_required(Role.ADMIN)
    @blp.arguments(AdminStatsQueryArgsSchema, location="query", unknown=ma.RAISE)
    @blp.response(200, AdminStatsSchema)
    def get(self, args):
        """Trainers, clients, sign-ups per week, active users and report jobs by status."""
        return analytics.admin_stats(args["weeks"])
