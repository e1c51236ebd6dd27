"""Fitbud's dashboards: a Dash app mounted at /dashboard/ on the Flask server, behind the login."""

from __future__ import annotations

from pathlib import Path

import dash
from flask import Flask

from dashboards import callback_requests
from dashboards.auth import PREFIX, init_guard
from dashboards.caching import init_caching
from fitbud.security_headers import allow_inline_scripts

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
EXTENSION_KEY = "fitbud.dash"


def init_dashboards(server: Flask) -> dash.Dash:
    """Mount a new Dash app on `server` (one per Flask app: never a module-level instance)."""
    from dashboards.account_links import bp as links_bp
    from dashboards.layout import register_routing, shell, validation_layout
    from dashboards.login import bp as login_bp
    from dashboards.public import bp as public_bp
    from dashboards.router import pages

    server.register_blueprint(login_bp)
    server.register_blueprint(public_bp)
    server.register_blueprint(links_bp)
    # The guard must be registered before Dash's own before_request hooks, so it runs first.
    init_guard(server)
    callback_requests.init_app(server)
    init_caching(server)
    config = server.config
    app = dash.Dash(
        __name__,
        server=server,
        url_base_pathname=PREFIX,
        assets_folder=str(ASSETS_DIR),
        title="Fitbud",
        update_title=None,
        serve_locally=True,
        # Dash's renderer echoes this cookie in this header on every request: the double-submit
        # CSRF check flask-jwt-extended applies to cookie-authenticated POSTs.
        csrf_token_name=config.get("JWT_ACCESS_CSRF_COOKIE_NAME", "csrf_access_token"),
        csrf_header_name=config.get("JWT_ACCESS_CSRF_HEADER_NAME", "X-CSRF-TOKEN"),
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    # Screen readers pick their voice from the page's language; Dash's own page names none.
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    app.layout = shell
    app.validation_layout = validation_layout()
    register_routing(app)
    for page in pages():
        page.register_callbacks(app)
    # The page's Content-Security-Policy lets Dash's own inline scripts (the renderer's start)
    # run, and no other.
    allow_inline_scripts(server, PREFIX, app.csp_hashes())
    server.extensions[EXTENSION_KEY] = app
    return app
