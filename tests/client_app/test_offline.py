"""Installable and offline-ready: the manifest, the service worker, the offline page, whose pages are cached."""

from __future__ import annotations

import json
import re

from fitbud.client_app.offline import OFFLINE_PAGES, USER_KEY_HEADER, user_key
from fitbud.extensions import db
from fitbud.models import User
from tests.client_app.helpers import login
from tests.factories import ClientFactory

WORKER_CONFIG = re.compile(r"^const CONFIG = (\{.*\});$", re.MULTILINE)


def worker_config(http) -> dict:
    script = http.get("/app/sw.js").get_data(as_text=True)
    return json.loads(WORKER_CONFIG.search(script).group(1))


def test_the_manifest_makes_the_app_installable(http):
    response = http.get("/app/manifest.webmanifest")
    manifest = json.loads(response.get_data(as_text=True))
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    assert manifest["start_url"] == "/app/" and manifest["scope"] == "/app/" and manifest["display"] == "standalone"
    assert manifest["name"] == "Fitbud" and manifest["theme_color"] == "#0f766e"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        image = http.get(icon["src"])
        assert image.status_code == 200 and image.mimetype == "image/png"
        assert image.data.startswith(b"\x89PNG")


def test_pages_link_the_manifest_and_the_icon(app_http):
    html = app_http.get("/app/").get_data(as_text=True)
    assert '<link rel="manifest" href="/app/manifest.webmanifest">' in html
    assert re.search(r'rel="apple-touch-icon" href="/app/static/icons/apple-touch-icon\.[0-9a-f]{10}\.png"', html)


def test_the_worker_is_served_at_the_app_root_without_a_login_and_never_from_a_stale_cache(http):
    response = http.get("/app/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")  # it may fetch the shell
    assert "addEventListener(\"fetch\"" in response.get_data(as_text=True)


def test_the_worker_precaches_every_fingerprinted_file_and_the_offline_page(http, app_http):
    config = worker_config(http)
    html = app_http.get("/app/").get_data(as_text=True)
    linked = set(re.findall(r'(?:href|src)="(/app/static/[^"]+)"', html))
    assert linked and linked <= set(config["shell"])
    assert "/app/offline" in config["shell"]
    for url in config["shell"]:
        assert http.get(url).status_code == 200, url


def test_the_worker_keeps_the_gym_pages_and_queues_the_client_writes(http):
    config = worker_config(http)
    assert config["pages"] == ["/app/", "/app/plan", "/app/progress", "/app/check-in", "/app/messages"]
    assert len(OFFLINE_PAGES) == len(config["pages"])
    queued = {"/app/workout", "/app/meals", "/app/progress/metrics", "/app/check-in", "/app/messages"}
    assert set(config["forms"]) == queued


def test_the_worker_version_changes_with_the_shell(make_app, http):
    first = worker_config(http)
    app = make_app()
    app.extensions["fitbud.client_app.assets"]["by_name"].pop("offline.js")
    second = worker_config(app.test_client())
    assert first["version"] != second["version"]


def test_the_offline_page_needs_no_login_and_holds_nothing_personal(http):
    response = http.get("/app/offline")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "You are offline" in html
    assert "data-user-key" not in html and USER_KEY_HEADER not in response.headers


def test_every_app_page_says_whose_it_is_without_giving_the_id(app_http, client_user):
    response = app_http.get("/app/")
    key = response.headers[USER_KEY_HEADER]
    html = response.get_data(as_text=True)
    assert f'data-user-key="{key}"' in html and key == user_key(client_user.id)
    assert str(client_user.id) != key and len(key) == 24
    assert 'data-source="network"' in html and re.search(r'data-rendered-at="\d{4}-\d\d-\d\dT', html)


def test_two_clients_get_different_keys(app, http, client_user):
    other = db.session.get(User, ClientFactory(with_login=True).user_id)
    login(http, other.email)
    assert http.get("/app/").headers[USER_KEY_HEADER] != user_key(client_user.id)


def test_every_write_a_client_makes_in_the_gym_can_wait_for_a_connection(app_http, workout_day, diet_day):
    today = app_http.get("/app/").get_data(as_text=True)
    progress = app_http.get("/app/progress").get_data(as_text=True)
    check_in = app_http.get("/app/check-in").get_data(as_text=True)
    messages = app_http.get("/app/messages").get_data(as_text=True)
    assert 'id="workout-form" data-workout-form data-offline="Workout"' in today
    assert 'data-offline="Meal"' in today
    assert progress.count("data-offline=") == 2
    assert 'data-offline="Check-in"' in check_in and 'data-offline="Message"' in messages


def test_logging_out_clears_what_the_browser_kept(app_http):
    form = app_http.get("/logout").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = app_http.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Clear-Site-Data"] == '"storage"'
