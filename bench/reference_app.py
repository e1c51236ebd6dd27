"""The benchmark's yardstick: a bare Flask + SQLAlchemy Core app serving the trainer's client page.

It answers `GET /api/v1/clients?page=&page_size=` like Fitbud does, so the load run can measure
both in the same minute on the same machine, and report Fitbud's list throughput as a multiple
of this one's.

What it does, per request (the same work class as Fitbud's list):
- verifies the Bearer access token's HS256 signature and expiry with PyJWT (same secret as Fitbud,
  so tokens from Fitbud's login work here) and that it is an access token;
- one indexed query for the token's login session joined to its user (revoked session, inactive
  user and another subject are 401, a role other than trainer is 403), as Fitbud's token check does;
- one count and one page query (owner-scoped, archived clients left out, ordered by name then id,
  LIMIT/OFFSET), as `fitbud.api.pagination.paginate` does: 3 statements in all;
- writes the same JSON fields as Fitbud's client list item (optional profile columns are included
  when the schema has them), timestamps in ISO 8601 with offset, height and weight in the caller's
  units, and the X-Pagination header with the same keys.

What it does not do (the framework extras Fitbud pays for, which the comparison is meant to price):
no marshmallow/webargs parsing or schema dumping, no flask-smorest or OpenAPI machinery, no
flask-jwt-extended callbacks, no Flask-SQLAlchemy session or ORM objects (rows are tuples), no
rate-limit check, no request-id or access-log line, no connection pre-ping, no error envelope
beyond a minimal JSON body. Strict query validation is reduced to page/page_size bounds.

Settings (environment): BENCH_DATABASE_URL (SQLAlchemy URL), JWT_SECRET_KEY.
Serve with: gunicorn --workers 4 bench.reference_app:app
"""

from __future__ import annotations

import json
import math
import os
import uuid
from datetime import UTC, date, datetime

import jwt
from flask import Flask, Response, request
from sqlalchemy import Engine, create_engine, inspect, text

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
KG_PER_LB = 0.45359237
CM_PER_INCH = 2.54
# Columns of Fitbud's client list item that arrive with the clients domain; read when present.
OPTIONAL_COLUMNS = ("goals", "goal_notes", "date_of_birth", "sex", "height_cm", "starting_weight_kg", "tags")
BASE_COLUMNS = ("id", "email", "name", "timezone", "created_at", "updated_at", "is_active", "archived_at",
                "last_activity_at", "user_id")

AUTH_SQL = text(
    "SELECT u.id, u.role, u.is_active, u.unit_system, s.revoked_at "
    "FROM auth_sessions AS s JOIN users AS u ON u.id = s.user_id WHERE s.id = :sid"
)
COUNT_SQL = text("SELECT count(*) FROM clients WHERE trainer_id = :trainer_id AND archived_at IS NULL")


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def _error(status: int, message: str) -> Response:
    # Fitbud's error envelope, request id included, so the two apps answer alike.
    request_id = uuid.uuid4().hex
    body = json.dumps({"code": status, "status": "Unauthorized" if status == 401 else "Forbidden",
                       "message": message, "errors": {}, "request_id": request_id})
    return Response(body, status=status, mimetype="application/json", headers={"X-Request-ID": request_id})


def create_reference_app(database_url: str, jwt_secret: str) -> Flask:
    """The reference app bound to a database and the JWT secret Fitbud signs tokens with."""
    engine: Engine = create_engine(database_url, pool_size=5, max_overflow=5)
    present = {column["name"] for column in inspect(engine).get_columns("clients")}
    optional = [name for name in OPTIONAL_COLUMNS if name in present]
    columns = [*BASE_COLUMNS, *optional]
    page_sql = text(
        f"SELECT {', '.join(columns)} FROM clients WHERE trainer_id = :trainer_id AND archived_at IS NULL "
        "ORDER BY name, id LIMIT :limit OFFSET :offset"
    )
    app = Flask(__name__)
    # Kept so whoever made the app can release its connections (tests do).
    app.extensions["reference_engine"] = engine

    @app.get("/healthz")
    def healthz() -> Response:
        """The process answers (the load run waits for this)."""
        return Response('{"status":"ok"}', mimetype="application/json")

    @app.get("/api/v1/clients")
    def clients() -> Response:
        """The calling trainer's clients, one page, as Fitbud's list serves them."""
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return _error(401, "Authentication required.")
        try:
            claims = jwt.decode(header[7:], jwt_secret, algorithms=["HS256"])
        except jwt.InvalidTokenError:
            return _error(401, "Invalid token.")
        if claims.get("type") != "access" or "sid" not in claims:
            return _error(401, "Invalid token.")
        try:
            page = int(request.args.get("page", 1))
            page_size = int(request.args.get("page_size", DEFAULT_PAGE_SIZE))
        except ValueError:
            return Response('{"code":422,"message":"page and page_size are integers"}', status=422,
                            mimetype="application/json")
        if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
            return Response('{"code":422,"message":"page or page_size out of range"}', status=422,
                            mimetype="application/json")
        with engine.connect() as connection:
            caller = connection.execute(AUTH_SQL, {"sid": claims["sid"]}).first()
            if (caller is None or str(caller.id) != str(claims.get("sub")) or not caller.is_active
                    or caller.revoked_at is not None):
                return _error(401, "Token has been revoked.")
            if caller.role != "trainer":
                return _error(403, "Your account's role may not do this.")
            total = connection.execute(COUNT_SQL, {"trainer_id": caller.id}).scalar_one()
            rows = connection.execute(
                page_sql, {"trainer_id": caller.id, "limit": page_size, "offset": (page - 1) * page_size}
            ).all()
        imperial = caller.unit_system == "imperial"
        units = {"system": "imperial", "mass": "lb", "length": "in"} if imperial else {
            "system": "metric", "mass": "kg", "length": "cm"}
        items = []
        for row in rows:
            item = {
                "id": row.id,
                "email": row.email,
                "name": row.name,
                "timezone": row.timezone,
                "units": units,
                "created_at": _iso(row.created_at),
                "updated_at": _iso(row.updated_at),
                "is_active": row.is_active,
                "archived_at": _iso(row.archived_at),
                "last_activity_at": _iso(row.last_activity_at),
                "has_login": row.user_id is not None,
            }
            mapping = row._mapping
            for name in optional:
                value = mapping[name]
                if name == "height_cm":
                    item["height"] = None if value is None else round(value / CM_PER_INCH if imperial else value, 1)
                elif name == "starting_weight_kg":
                    item["starting_weight"] = (None if value is None
                                               else round(value / KG_PER_LB if imperial else value, 1))
                else:
                    item[name] = _iso(value) if isinstance(value, date) else value
            items.append(item)
        last_page = max(1, math.ceil(total / page_size))
        pagination = {"total": total, "total_pages": last_page, "first_page": 1, "last_page": last_page,
                      "page": page, "page_size": page_size}
        if page > 1:
            pagination["previous_page"] = page - 1
        if page < last_page:
            pagination["next_page"] = page + 1
        return Response(json.dumps(items), mimetype="application/json",
                        headers={"X-Pagination": json.dumps(pagination)})

    return app


def _from_environment() -> Flask | None:
    url = os.environ.get("BENCH_DATABASE_URL")
    secret = os.environ.get("JWT_SECRET_KEY")
    if not url or not secret:
        return None
    return create_reference_app(url, secret)


# gunicorn's `bench.reference_app:app`; None when imported without settings (tests, linters).
app = _from_environment()
