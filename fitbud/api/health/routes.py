"""GET /healthz (the process answers) and GET /readyz (its dependencies answer too)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from fitbud.errors import ServiceUnavailableError
from fitbud.extensions import db, redis_store

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    """The process is alive."""
    return jsonify(status="ok")


@blp.get("/readyz")
def readyz():
    """The database, and Redis when configured, are reachable."""
    checks: dict[str, str] = {}
    failures: dict[str, list[str]] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # any driver error means "not ready"
        db.session.rollback()
        failures["database"] = [type(error).__name__]
    connection = redis_store.connection(current_app)
    if connection is not None:
        try:
            connection.ping()
            checks["redis"] = "ok"
        except Exception as error:
            failures["redis"] = [type(error).__name__]
    if failures:
        raise ServiceUnavailableError(
            "Not ready: " + ", ".join(sorted(failures)) + " unreachable.", errors=failures
        )
    return jsonify(status="ok", checks=checks)
