"""/workout-logs/<id>/comments: the trainer comments on a client's logged workout; both read them."""

from __future__ import annotations

from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.blueprint import Blueprint
from fitbud.api.logs.schemas import WorkoutCommentCreateSchema, WorkoutCommentSchema
from fitbud.api.pagination import paginate
from fitbud.auth.roles import Role
from fitbud.services import workout_comments

blp = Blueprint("workout_comments", __name__, url_prefix="/workout-logs", description="Comments on logged workouts")


@blp.route("/<int:log_id>/comments")
class WorkoutCommentViews(MethodView):
    @blp.login_required(Role.TRAINER, Role.CLIENT)
    @blp.response(200, WorkoutCommentSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.paginate()
    def get(self, log_id, pagination_parameters):
        """The comments on a workout, oldest first: your client's (trainer) or your own (client).

        Anyone else's workout is a 404, as if it did not exist.
        """
        if current_user.role is Role.TRAINER:
            statement = workout_comments.trainer_comments(current_user, log_id)
        else:
            statement = workout_comments.own_comments(current_user, log_id)
        return paginate(statement, pagination_parameters)

    @blp.login_required(Role.TRAINER)
    @blp.idempotent
    @blp.arguments(WorkoutCommentCreateSchema)
    @blp.response(201, WorkoutCommentSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data, log_id):
        """Comment on one of your client's logged workouts; they see it with the workout.

        Only the client's trainer may comment: another trainer's client's workout is a 404.
        """
        return workout_comments.add_comment(current_user, log_id, data["body"])
