"""The versioned REST API: one flask-smorest blueprint per domain, all under /api/v1."""

from __future__ import annotations

API_PREFIX = "/api/v1"


def register_blueprints() -> None:
    """Attach every domain's blueprint to the Api (imported here to keep start-up explicit)."""
    from fitbud.api.admin.routes import blp as admin_blp
    from fitbud.api.auth.routes import blp as auth_blp
    from fitbud.api.availability.routes import blp as availability_blp
    from fitbud.api.calendar.routes import blp as calendar_blp
    from fitbud.api.conversations.routes import blp as conversations_blp
    from fitbud.api.my_sessions.routes import blp as my_sessions_blp
    from fitbud.api.sessions.routes import blp as sessions_blp
    from fitbud.api.users.routes import blp as users_blp
    from fitbud.extensions import api

    for blueprint in (
        auth_blp,
        users_blp,
        admin_blp,
        sessions_blp,
        my_sessions_blp,
        availability_blp,
        calendar_blp,
        conversations_blp,
    ):
        api.register_blueprint(blueprint, url_prefix=f"{API_PREFIX}{blueprint.url_prefix or ''}")
