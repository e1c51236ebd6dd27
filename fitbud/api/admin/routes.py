"""Admins manage accounts."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.admin.schemas import AdminUserUpdateSchema, UserQueryArgsSchema
from fitbud.api.blueprint import Blueprint
from fitbud.api.pagination import paginate
from fitbud.api.schemas import UserSchema
from fitbud.auth.roles import Role
from fitbud.services import accounts

blp = Blueprint("admin", __name__, url_prefix="/admin", description="Platform administration")


@blp.route("/users")
class AdminUserViews(MethodView):
    @blp.login_required(Role.ADMIN)
    @blp.arguments(UserQueryArgsSchema, location="query")
    @blp.response(200, UserSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Every account, newest first; filter by role, search by email or name."""
        statement = accounts.list_users(args.get("role"), args.get("q"))
        return paginate(statement, pagination_parameters)


@blp.route("/users/<int:user_id>")
class AdminUserByIdViews(MethodView):
    @blp.login_required(Role.ADMIN)
    @blp.arguments(AdminUserUpdateSchema)
    @blp.response(200, UserSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, data, user_id):
        """Deactivate (tokens stop working at once) or reactivate an account.

        Admins cannot deactivate themselves (422).
        """
        return accounts.set_user_active(user_id, data["is_active"], actor=current_user)
