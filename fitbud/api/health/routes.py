"""GET /healthz (the process answers) and GET /readyz (its dependencies answer too)."""

from __future__ import annotations

import logging

from flask import current_app
from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import text

from fitbud.api.blueprint import Blueprint
from fitbud.errors import ServiceUnavailableError
from fitbud.extensions import db, redis_store

logger = logging.getLogger("fitbud.health")

# Registered at the root (not under /api/v1): load balancers and orchestrators probe these paths.
blp = Blueprint("health", __name__, description="Liveness and readiness probes")


class HealthSchema(Schema):
    """The process is up."""

    status = fields.String(metadata={"example": "ok"})


class ReadinessSchema(Schema):
    """Every dependency answered."""

    status = fields.String(metadata={"example": "ok"})
    checks = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"example": {"database": "ok", "redis": "ok"}},
    )


@blp.route("/healthz")
class HealthView(MethodView):
    @blp.response(200, HealthSchema)
    def get(self):
        """The process is alive (no dependency is contacted)."""
        return {"status": "ok"}


@blp.route("/readyz")
class ReadinessView(MethodView):
    @blp.response(200, ReadinessSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self):
        """The database, and Redis when configured, answer; a 503 names what did not."""
        checks: dict[str, str] = {}
        failures: dict[str, list[str]] = {}
        try:
            db.session.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as error:  # any driver error means "not ready"
            db.session.rollback()
            logger.warning("readiness: database unreachable: %s", error)
            failures["database"] = [f"unreachable ({type(error).__name__})"]
        connection = redis_store.connection(current_app)
        if connection is not None:
            try:
                connection.ping()
                checks["redis"] = "ok"
            except Exception as error:
                logger.warning("readiness: redis unreachable: %s", error)
                failures["redis"] = [f"unreachable ({type(error).__name__})"]
        if failures:
            raise ServiceUnavailableError(
                "Not ready: " + ", ".join(sorted(failures)) + " unreachable.",
                errors=failures,
                headers={"Retry-After": str(current_app.config["OUTAGE_RETRY_AFTER"])},
            )
        return {"status": "ok", "checks": checks}
