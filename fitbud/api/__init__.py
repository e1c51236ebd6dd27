"""The versioned REST API: one flask-smorest blueprint per domain, all under /api/v1."""

from __future__ import annotations

from flask import Flask

API_PREFIX = "/api/v1"


def register_blueprints(app: Flask) -> None:
    """Attach every domain's blueprint to the Api (imported here to keep start-up explicit)."""
    from fitbud.api import idempotent
    from fitbud.api.admin.routes import blp as admin_blp
    from fitbud.api.assignments.routes import blp as assignments_blp
    from fitbud.api.auth.routes import blp as auth_blp
    from fitbud.api.availability.routes import blp as availability_blp
    from fitbud.api.billing.routes import blp as billing_blp
    from fitbud.api.billing.routes import client_subscription_blp
    from fitbud.api.billing.routes import me_blp as billing_me_blp
    from fitbud.api.calendar.routes import blp as calendar_blp
    from fitbud.api.client_portal.routes import blp as client_portal_blp
    from fitbud.api.clients.routes import blp as clients_blp
    from fitbud.api.conversations.routes import blp as conversations_blp
    from fitbud.api.enums import SHARED_ENUMS
    from fitbud.api.examples import ALWAYS_COMPLETE_ANSWERS, REQUEST_EXAMPLES, SCHEMA_RULES
    from fitbud.api.exercises.routes import blp as exercises_blp
    from fitbud.api.feed.routes import blp as feed_blp
    from fitbud.api.foods.routes import blp as foods_blp
    from fitbud.api.generator.routes import blp as generator_blp
    from fitbud.api.imports.routes import blp as imports_blp
    from fitbud.api.imports.routes import client_blp as client_imports_blp
    from fitbud.api.invitations.routes import blp as invitations_blp
    from fitbud.api.logs.routes import blp as logs_blp
    from fitbud.api.my_sessions.routes import blp as my_sessions_blp
    from fitbud.api.operation_ids import OPERATION_ID_OVERRIDES
    from fitbud.api.plans.routes import blp as plans_blp
    from fitbud.api.progress.routes import blp as progress_blp
    from fitbud.api.reports.routes import blp as reports_blp
    from fitbud.api.sessions.routes import blp as sessions_blp
    from fitbud.api.stats.routes import blp as stats_blp
    from fitbud.api.users.routes import blp as users_blp
    from fitbud.api.workout_comments.routes import blp as workout_comments_blp
    from fitbud.extensions import api

    blueprints = (
        # accounts
        auth_blp,
        invitations_blp,
        users_blp,
        admin_blp,
        # coaching
        clients_blp,
        exercises_blp,
        foods_blp,
        plans_blp,
        generator_blp,
        assignments_blp,
        client_portal_blp,
        # progress
        logs_blp,
        progress_blp,
        workout_comments_blp,
        feed_blp,
        imports_blp,
        client_imports_blp,
        # scheduling and messaging
        sessions_blp,
        my_sessions_blp,
        availability_blp,
        calendar_blp,
        conversations_blp,
        # analytics
        stats_blp,
        reports_blp,
        # billing
        billing_blp,
        billing_me_blp,
        client_subscription_blp,
    )
    api.name_operations(OPERATION_ID_OVERRIDES)
    api.name_enums(SHARED_ENUMS)
    api.give_examples(REQUEST_EXAMPLES, ALWAYS_COMPLETE_ANSWERS, SCHEMA_RULES)
    idempotent.register_components(api.spec, app.config["IDEMPOTENCY_KEY_TTL_HOURS"])
    for blueprint in blueprints:
        api.register_blueprint(blueprint, url_prefix=f"{API_PREFIX}{blueprint.url_prefix or ''}")
