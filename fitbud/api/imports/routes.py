"""/me/imports and /clients/<id>/imports: upload another app's file, follow it, undo it; the trainer sees them."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_jwt_extended import current_user
from werkzeug.exceptions import UnsupportedMediaType

from fitbud.api.blueprint import Blueprint
from fitbud.api.imports.schemas import (
    ActivityLogSchema,
    ExerciseNameMappingSchema,
    ExerciseNameMappingsUpdateSchema,
    ImportSchema,
)
from fitbud.api.logs.schemas import DateRangeArgsSchema
from fitbud.api.pagination import paginate
from fitbud.auth.roles import Role
from fitbud.errors import InvalidInputError
from fitbud.ext.smorest import PAYLOAD_TOO_LARGE
from fitbud.models import ImportStatus
from fitbud.services import imports

blp = Blueprint("imports", __name__, url_prefix="/me", description="Bring in your other apps' and devices' files")
client_blp = Blueprint(
    "client_imports", __name__, url_prefix="/clients", description="Your clients' imports and their exercise names"
)

# Room for the multipart envelope around the file (boundaries, part headers, the form field).
MULTIPART_OVERHEAD = 64 * 1024
UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "Apple Health export.zip, a .fit or .gpx file, or a Strong or Hevy CSV",
                    },
                    "skip_unmatched": {
                        "type": "boolean",
                        "default": False,
                        "description": "Import a strength CSV without the sets of exercises the library lacks",
                    },
                },
            }
        }
    },
}


def _flag(raw: str | None) -> bool:
    value = (raw or "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise InvalidInputError("skip_unmatched must be true or false.", errors={"skip_unmatched": ["Not a boolean."]})


@blp.route("/imports")
class ImportViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.response(200, ImportSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Your imports, newest first."""
        return paginate(imports.own_imports(current_user), pagination_parameters)

    @blp.login_required(Role.CLIENT)
    @blp.doc(requestBody=UPLOAD_BODY)
    @blp.response(201, ImportSchema)
    @blp.alt_response(202, schema=ImportSchema, description="Queued: a large file is read in a job; poll the import")
    @blp.alt_response(413, response=PAYLOAD_TOO_LARGE)
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self):
        """Import a file: all of it or nothing, and nothing twice (a record already stored is counted, not added).

        201 with the result when read at once; 202 when queued (poll `GET /me/imports/<id>`). A file
        that cannot be read is a 422 naming the line or record; nothing is written.
        """
        # Flask's MAX_CONTENT_LENGTH suits JSON bodies; an export can be hundreds of megabytes.
        request.max_content_length = current_app.config["IMPORT_MAX_BYTES"] + MULTIPART_OVERHEAD
        if request.mimetype != "multipart/form-data":
            raise UnsupportedMediaType("Send multipart/form-data with the file in a part named 'file'.")
        upload = request.files.get("file")
        if upload is None:
            raise InvalidInputError("Send the file in the multipart part named 'file'.", errors={"file": ["Missing."]})
        record = imports.start_import(
            current_user, upload.stream, upload.filename or "", skip_unmatched=_flag(request.form.get("skip_unmatched"))
        )
        if record.status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            return record, 202
        return record


@blp.route("/imports/<int:import_id>")
class ImportByIdViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.response(200, ImportSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, import_id):
        """One of your imports: status, progress, counts, unmatched exercise names, error."""
        return imports.get_own(current_user, import_id)


@blp.route("/imports/<int:import_id>/undo")
class ImportUndoViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.response(200, ImportSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, import_id):
        """Remove exactly what this import added (what was already there stays)."""
        return imports.undo_import(current_user, import_id)


@blp.route("/activities")
class ActivityViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.arguments(DateRangeArgsSchema, location="query")
    @blp.response(200, ActivityLogSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Your activities (runs, rides, walks...), newest first; distances in your units."""
        statement = imports.own_activities(current_user, args.get("first"), args.get("last"))
        return paginate(statement, pagination_parameters)


@blp.route("/exercise-mappings")
class ExerciseMappingViews(MethodView):
    @blp.login_required(Role.CLIENT)
    @blp.response(200, ExerciseNameMappingSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """The exercise names from other apps you mapped to the library."""
        return paginate(imports.own_mappings(current_user), pagination_parameters)

    @blp.login_required(Role.CLIENT)
    @blp.arguments(ExerciseNameMappingsUpdateSchema)
    @blp.response(200, ExerciseNameMappingSchema(many=True))
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def put(self, data):
        """Remember what names stand for (exercise_id null forgets one); the next import uses them."""
        return imports.set_own_mappings(current_user, data["mappings"])


@client_blp.route("/<int:client_id>/imports")
class ClientImportViews(MethodView):
    @client_blp.login_required(Role.TRAINER)
    @client_blp.response(200, ImportSchema(many=True))
    @client_blp.alt_response(404, response="NOT_FOUND")
    @client_blp.paginate()
    def get(self, client_id, pagination_parameters):
        """A client's imports and their source, newest first."""
        return paginate(imports.client_imports(current_user, client_id), pagination_parameters)


@client_blp.route("/<int:client_id>/imports/<int:import_id>")
class ClientImportByIdViews(MethodView):
    @client_blp.login_required(Role.TRAINER)
    @client_blp.response(200, ImportSchema)
    @client_blp.alt_response(404, response="NOT_FOUND")
    def get(self, client_id, import_id):
        """One of a client's imports."""
        return imports.get_for_trainer(current_user, client_id, import_id)


@client_blp.route("/<int:client_id>/activities")
class ClientActivityViews(MethodView):
    @client_blp.login_required(Role.TRAINER)
    @client_blp.arguments(DateRangeArgsSchema, location="query")
    @client_blp.response(200, ActivityLogSchema(many=True))
    @client_blp.alt_response(404, response="NOT_FOUND")
    @client_blp.paginate()
    def get(self, args, client_id, pagination_parameters):
        """A client's activities (runs, rides, walks...), newest first; distances in your units."""
        statement = imports.client_activities(current_user, client_id, args.get("first"), args.get("last"))
        return paginate(statement, pagination_parameters)


@client_blp.route("/<int:client_id>/exercise-mappings")
class ClientExerciseMappingViews(MethodView):
    @client_blp.login_required(Role.TRAINER)
    @client_blp.response(200, ExerciseNameMappingSchema(many=True))
    @client_blp.alt_response(404, response="NOT_FOUND")
    @client_blp.paginate()
    def get(self, client_id, pagination_parameters):
        """A client's exercise names from other apps, mapped to your library."""
        return paginate(imports.client_mappings(current_user, client_id), pagination_parameters)

    @client_blp.login_required(Role.TRAINER)
    @client_blp.arguments(ExerciseNameMappingsUpdateSchema)
    @client_blp.response(200, ExerciseNameMappingSchema(many=True))
    @client_blp.alt_response(404, response="NOT_FOUND")
    @client_blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def put(self, data, client_id):
        """Map a client's unmatched exercise names for them (exercise_id null forgets one)."""
        return imports.set_client_mappings(current_user, client_id, data["mappings"])
