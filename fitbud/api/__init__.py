"""The versioned REST API: one flask-smorest blueprint per domain, all under /api/v1."""

from __future__ import annotations

API_PREFIX = "/api/v1"


def register_blueprints() -> None:
    """Attach every domain's blueprint to the Api (imported here to keep start-up explicit)."""
    from fitbud.api.admin.routes import blp as admin_blp
    from fitbud.api.auth.routes import blp as auth_blp
    from fitbud.api.exercises.routes import blp as exercises_blp
    from fitbud.api.generator.routes import blp as generator_blp
    from fitbud.api.users.routes import blp as users_blp
    from fitbud.extensions import api

    for blueprint in (auth_blp, users_blp, admin_blp, exercises_blp, generator_blp):
        api.register_blueprint(blueprint, url_prefix=f"{API_PREFIX}{blueprint.url_prefix or ''}")
