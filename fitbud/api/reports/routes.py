"""Start a report job, follow its status and progress, download the finished file."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_jwt_extended import current_user

from fitbud.api.blueprint import Blueprint
from fitbud.api.pagination import paginate
from fitbud.api.reports.schemas import ReportCreateSchema, ReportSchema
from fitbud.ext.smorest import TOO_MANY_REQUESTS
from fitbud.services import reports

blp = Blueprint("reports", __name__, url_prefix="/reports", description="Report jobs and their files")


@blp.route("")
class ReportViews(MethodView):
    @blp.login_required()
    @blp.conditional
    @blp.response(200, ReportSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Your reports, newest first (admins see everyone's)."""
        return paginate(reports.reports_query(current_user), pagination_parameters)

    @blp.login_required()
    @blp.idempotent
    @blp.arguments(ReportCreateSchema)
    @blp.response(202, ReportSchema)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(429, response=TOO_MANY_REQUESTS)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def post(self, data):
        """Start a report; it runs in a worker (or at once without Redis). Poll its status.

        429 (with Retry-After) while a report of the same type of yours is still queued or
        running, or beyond your account's quota (REPORT_QUOTA).
        """
        return reports.start_report(current_user, data["type"], data["params"])


@blp.route("/<int:report_id>")
class ReportByIdViews(MethodView):
    @blp.writes_on_read
    @blp.login_required()
    @blp.conditional
    @blp.response(200, ReportSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, report_id):
        """Status (queued, started, finished, failed), progress % and error text of your report."""
        return reports.get_report(current_user, report_id)


@blp.route("/<int:report_id>/download")
class ReportDownloadView(MethodView):
    @blp.writes_on_read
    @blp.login_required()
    @blp.response(200, {"type": "string", "format": "binary"}, content_type="application/octet-stream")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def get(self, report_id):
        """The finished report's file (CSV, XLSX or zip)."""
        file_name, content_type, content = reports.report_file(current_user, report_id)
        return Response(
            content,
            mimetype=content_type,
            headers={
                "Content-Disposition": f'attachment; filename="{file_name}"',
                "Cache-Control": "private, no-store",
            },
        )
