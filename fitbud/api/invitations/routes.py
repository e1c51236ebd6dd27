"""A client accepts their trainer's invitation: their login is created and they are signed in."""

from __future__ import annotations

from flask.views import MethodView

from fitbud.api.blueprint import Blueprint
from fitbud.api.invitations.schemas import AcceptedInvitationSchema, AcceptInvitationSchema
from fitbud.auth.limits import limit_auth_by_ip
from fitbud.services import invitations

blp = Blueprint("invitations", __name__, url_prefix="/auth", description="Client invitations")


@blp.route("/accept-invite")
class AcceptInvitationViews(MethodView):
    @limit_auth_by_ip
    @blp.arguments(AcceptInvitationSchema)
    @blp.response(201, AcceptedInvitationSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(410, response="GONE")
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, data):
        """Create your client login from the invitation link and sign in.

        Unknown link: 404. Used, replaced or expired link: 410. Email already registered: 409.
        """
        return invitations.accept(data["token"], data["password"], data.get("name"))
