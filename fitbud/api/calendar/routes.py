"""Calendar feeds: get or rotate your secret address, and the .ics document behind it."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.blueprint import Blueprint
from fitbud.api.calendar.schemas import CalendarFeedSchema
from fitbud.auth.roles import Role
from fitbud.services import calendar_feed

blp = Blueprint("calendar", __name__, url_prefix="/calendar", description="Calendar subscriptions (iCalendar)")


@blp.route("/feed")
class CalendarFeedViews(MethodView):
    @blp.writes_on_read
    @blp.login_required(Role.TRAINER, Role.CLIENT)
    @blp.response(200, CalendarFeedSchema)
    def get(self):
        """Your calendar's secret address (created on first request)."""
        return calendar_feed.get_feed(current_user)


@blp.route("/feed/rotate")
class CalendarFeedRotateViews(MethodView):
    @blp.login_required(Role.TRAINER, Role.CLIENT)
    @blp.response(200, CalendarFeedSchema)
    def post(self):
        """Replace your calendar address; the old one stops working at once."""
        return calendar_feed.rotate_feed(current_user)


@blp.route("/<string:feed_token>.ics")
class CalendarDocumentViews(MethodView):
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(
        responses={
            "200": {
                "description": "An iCalendar (RFC 5545) document",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    )
    def get(self, feed_token):
        """Your sessions as iCalendar; the unguessable token is the only credential."""
        response = Response(calendar_feed.render_feed(feed_token), mimetype="text/calendar")
        response.headers["Content-Disposition"] = 'inline; filename="fitbud.ics"'
        response.headers["Cache-Control"] = "private, max-age=300"
        return response
