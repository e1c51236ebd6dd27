"""GET /feed: the trainer's activity across their clients, newest first."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.blueprint import Blueprint
from fitbud.api.feed.schemas import FeedArgsSchema, FeedPageSchema
from fitbud.auth.roles import Role
from fitbud.services import feed

blp = Blueprint("feed", __name__, url_prefix="/feed", description="Your clients' activity")


@blp.route("")
class FeedViews(MethodView):
    @blp.login_required(Role.TRAINER)
    @blp.conditional
    @blp.cached_per_trainer("feed")
    @blp.arguments(FeedArgsSchema, location="query")
    @blp.response(200, FeedPageSchema)
    def get(self, args):
        """Workouts, meals, check-ins, records, streaks, missed sessions and messages; filter by client and type."""
        return feed.feed_page(
            current_user, args.get("before"), args["limit"], args.get("client_id"), args.get("type")
        )
