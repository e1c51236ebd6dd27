"""Working without signal: the web app manifest, the service worker and the offline page.

The service worker (`templates/client_app/sw.js`) is served at `/app/sw.js` so that its scope is
the whole app. It precaches the app shell (every fingerprinted static file and `/app/offline`)
at install, keeps the last copy of the pages a client reads in the gym (`OFFLINE_PAGES`), and
hands a form post that cannot reach the server to the queue in `static/offline.js`. These three
addresses hold nothing personal, so they are outside the login guard: the browser fetches the
worker again in the background, logged in or not.

Whose pages are cached: every app page carries an opaque key of its user (`USER_KEY_HEADER`, and
`data-user-key` in the page); the worker empties the page cache when the key changes, and the
queue shows and sends only the current user's entries. Logging out clears all of it
(`Clear-Site-Data`, set by the logout view).
"""

from __future__ import annotations

import hashlib
import hmac
import json

from flask import Blueprint, Response, current_app, g, make_response, render_template, url_for

from fitbud.client_app.assets import EXTENSION_KEY, asset_url

USER_KEY_HEADER = "X-Fitbud-User-Key"
WORKER_PATH = "/app/sw.js"
MANIFEST_PATH = "/app/manifest.webmanifest"
OFFLINE_PATH = "/app/offline"
PUBLIC_PATHS = frozenset({WORKER_PATH, MANIFEST_PATH, OFFLINE_PATH})
# The pages kept for reading offline (their last fetched copy); each is also where its forms live.
OFFLINE_PAGES = (
    "client_app.today",
    "client_app.plan",
    "client_app.progress",
    "client_app.check_in",
    "client_app.messages",
)
# The writes a client can make offline: form action -> what the waiting entry is called.
QUEUED_FORMS = {
    "client_app.finish_workout": "Workout",
    "client_app.log_meal": "Meal",
    "client_app.log_metric": "Body measurement",
    "client_app.submit_check_in": "Check-in",
    "client_app.send_message": "Message",
}
WORKER_POLICY = "default-src 'self'; base-uri 'none'; frame-ancestors 'none'"
THEME_COLOUR = "#0f766e"
ICONS = (
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/icon-maskable-512.png", "512x512", "maskable"),
)


def user_key(user_id: int) -> str:
    """An opaque, stable name for a user in their browser's storage (not their id)."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"app-user:{user_id}".encode(), hashlib.sha256).hexdigest()[:24]


def manifest() -> Response:
    """The web app manifest: what "Add to home screen" installs."""
    body = {
        "name": "Fitbud",
        "short_name": "Fitbud",
        "description": "Your workouts, meals and check-ins, from your trainer.",
        "id": url_for("client_app.today"),
        "start_url": url_for("client_app.today"),
        "scope": url_for("client_app.today"),
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": asset_url(name), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for name, sizes, purpose in ICONS
        ],
    }
    response = make_response(json.dumps(body, indent=1))
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _worker_config() -> dict:
    """What the worker needs: its version, the shell to precache, the pages and forms it handles."""
    assets = current_app.extensions[EXTENSION_KEY]["by_name"]
    shell = sorted(asset_url(name) for name in assets)
    pages = [url_for(endpoint) for endpoint in OFFLINE_PAGES if endpoint in current_app.view_functions]
    forms = {url_for(endpoint): label for endpoint, label in QUEUED_FORMS.items()}
    fingerprints = "\n".join([*shell, *pages, *forms, render_template("client_app/sw.js", config="{}")])
    return {
        "version": hashlib.sha256(fingerprints.encode()).hexdigest()[:12],
        "shell": [*shell, OFFLINE_PATH],
        "pages": pages,
        "forms": forms,
        "offline": OFFLINE_PATH,
        "userKeyHeader": USER_KEY_HEADER,
    }


def service_worker() -> Response:
    """The service worker script, with this release's shell list and version baked in."""
    config = current_app.extensions.setdefault("fitbud.client_app.worker", {})
    if "body" not in config:
        config["body"] = render_template("client_app/sw.js", config=json.dumps(_worker_config()))
    response = make_response(config["body"])
    response.mimetype = "text/javascript"
    # Browsers check the worker for updates; it must never come from a stale HTTP cache.
    response.headers["Cache-Control"] = "no-cache"
    # A worker runs under its script's policy: it fetches the shell and pages from Fitbud only.
    response.headers["Content-Security-Policy"] = WORKER_POLICY
    return response


def offline_page() -> Response:
    """What an app page that was never opened shows without a connection (precached, no user data)."""
    response = make_response(render_template("client_app/offline.html"))
    response.headers["Cache-Control"] = "no-cache"
    return response


def tag_user(response: Response) -> Response:
    """after_request: say whose page this is, so the worker never shows it to someone else."""
    user = g.get("app_user")
    if user is not None:
        response.headers[USER_KEY_HEADER] = user_key(user.id)
    return response


def init_offline(bp: Blueprint) -> None:
    """The manifest, worker and offline page routes, and the user tag on every page."""
    bp.add_url_rule(MANIFEST_PATH, "manifest", manifest)
    bp.add_url_rule(WORKER_PATH, "service_worker", service_worker)
    bp.add_url_rule(OFFLINE_PATH, "offline", offline_page)
    bp.after_request(tag_user)
