"""The client's mobile web app: Jinja pages under /app/, the invitation page and billing returns.

One blueprint at the same layer as the API and the dashboards: its views parse forms, call
services and render templates; they never call the HTTP API and hold no business rule.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("client_app", __name__, template_folder="templates")

PREFIX = "/app/"


def _set_up_blueprint() -> None:
    """Attach the pages and hooks to the blueprint, once per process (every app registers the same one)."""
    if bp._got_registered_once or getattr(bp, "_fitbud_set_up", False):
        return
    # The page modules attach their routes to `bp` when imported.
    from fitbud.client_app import (  # noqa: F401
        assets,
        billing,
        check_in,
        imports,
        invite,
        layout,
        messages,
        offline,
        plan,
        profile,
        progress,
        session,
        sessions,
        today,
    )

    session.init_guard(bp)
    layout.init_layout(bp)
    assets.init_routes(bp)
    offline.init_offline(bp)
    bp._fitbud_set_up = True  # type: ignore[attr-defined]


def init_client_app(app: Flask) -> None:
    """Register the client app's pages, static files and HTML error pages on `app`."""
    from fitbud.client_app import assets, errors

    _set_up_blueprint()
    assets.init_assets(app)
    app.register_blueprint(bp)
    errors.init_error_pages(app)
