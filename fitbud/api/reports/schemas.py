"""Request and response shapes of the report endpoints."""

from __future__ import annotations

import marshmallow as ma
from flask import url_for
from marshmallow import fields

from fitbud.api.schemas import StrictSchema, Timestamp
from fitbud.models import ReportStatus, ReportType


class ReportCreateSchema(StrictSchema):
    """Which report to build and its parameters.

    trainer_monthly (trainers): {"month": "YYYY-MM" (default: last month), "format": "xlsx"|"csv"};
    client_export (trainers for their clients, admins, clients for themselves): {"client_id": int};
    platform (admins): {"weeks": 1-104 (default 12)}.
    """

    type = fields.Enum(ReportType, by_value=True, required=True)
    params = fields.Dict(keys=fields.String(), load_default=dict)


class ReportSchema(ma.Schema):
    """A report and where its job is."""

    id = fields.Integer(dump_only=True)
    type = fields.Enum(ReportType, by_value=True, dump_only=True)
    params = fields.Dict(dump_only=True)
    status = fields.Enum(ReportStatus, by_value=True, dump_only=True)
    progress = fields.Integer(dump_only=True, metadata={"description": "0-100"})
    error = fields.String(dump_only=True, allow_none=True, metadata={"description": "Why it failed, in words"})
    attempts = fields.Integer(dump_only=True)
    created_at = Timestamp(dump_only=True)
    started_at = Timestamp(dump_only=True, allow_none=True)
    finished_at = Timestamp(dump_only=True, allow_none=True)
    file_name = fields.String(dump_only=True, allow_none=True)
    content_type = fields.String(dump_only=True, allow_none=True)
    file_size = fields.Integer(dump_only=True, allow_none=True)
    download_url = fields.Method("_download_url", dump_only=True, allow_none=True)

    def _download_url(self, report) -> str | None:
        if report.status is not ReportStatus.FINISHED:
            return None
        return url_for("reports.ReportDownloadView", report_id=report.id)
