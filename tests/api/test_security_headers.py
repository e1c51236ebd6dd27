"""Security headers, set in one place (fitbud/security_headers.py), on pages, API answers and errors."""

from __future__ import annotations

import pytest

from fitbud import create_app
from fitbud.security_headers import inline_script_hashes, script_hash
from tests.factories import ClientFactory
from tests.helpers import assert_error, bearer
from tests.test_production_refusals import _production

EVERY_KIND = ["/login", "/api/docs", "/api/redoc", "/api/openapi.json", "/healthz", "/no/such/page", "/app/"]


@pytest.mark.parametrize("path", EVERY_KIND)
def test_every_response_refuses_framing_and_sniffing_and_keeps_the_referrer_home(http, path):
    response = http.get(path)

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/login", "/api/docs", "/api/redoc"])
def test_pages_load_scripts_only_from_fitbud(http, path):
    policy = http.get(path).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))

    assert directives["default-src"] == "'self'"
    assert directives["script-src"].split()[0] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
    assert directives["connect-src"] == "'self'"


def test_the_swagger_page_allows_exactly_its_own_inline_script(http):
    response = http.get("/api/docs")
    (inline,) = inline_script_hashes(response.get_data(as_text=True))

    assert f"script-src 'self' {inline};" in response.headers["Content-Security-Policy"]


def test_the_dashboard_allows_dashs_inline_scripts_and_no_other(app, http, trainer):
    dash_app = app.extensions["fitbud.dash"]
    http.set_cookie("access_token_cookie", bearer(trainer)["Authorization"].removeprefix("Bearer "))

    page = http.get("/dashboard/")

    assert page.status_code == 200 and page.mimetype == "text/html"
    allowed = page.headers["Content-Security-Policy"].split("script-src ", 1)[1].split(";", 1)[0].split()
    assert allowed == ["'self'", *dash_app.csp_hashes()]
    assert set(inline_script_hashes(page.get_data(as_text=True))) <= set(allowed)


def test_api_answers_get_a_policy_that_allows_nothing(http):
    assert http.get("/healthz").headers["Content-Security-Policy"].startswith("default-src 'none';")


def test_script_hash_is_the_csp_sha256_of_the_text():
    # echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
    assert script_hash("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"


def test_json_data_blocks_and_commented_out_scripts_are_not_counted_as_scripts():
    html = (
        '<script id="c" type="application/json">{"a": 1}</script><script>go()</script><script src="/x.js"></script>'
        "<!--[if IE]><script>alert('old browser')</script><![endif]-->"
    )

    assert inline_script_hashes(html) == [script_hash("go()")]


def test_a_trainers_view_of_a_client_profile_is_never_stored(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer)

    response = http.get(f"/api/v1/clients/{client.id}", headers=trainer_headers)

    assert response.status_code == 200 and "health" in response.json
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_clients_own_profile_is_never_stored(http, client_headers):
    response = http.get("/api/v1/me/profile", headers=client_headers)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_an_authenticated_error_is_never_stored_either(http, trainer_headers):
    response = http.get("/api/v1/clients/999999", headers=trainer_headers)

    assert_error(response, 404, message="No such client")
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_cookie_authenticated_page_is_never_stored(http, trainer):
    http.set_cookie("access_token_cookie", bearer(trainer)["Authorization"].removeprefix("Bearer "))

    assert http.get("/dashboard/").headers["Cache-Control"] == "private, no-store"


def test_anonymous_public_answers_keep_their_own_caching(http):
    assert "Cache-Control" not in http.get("/healthz").headers


def test_no_hsts_outside_production(http):
    assert "Strict-Transport-Security" not in http.get("/healthz").headers


def test_the_flask_session_cookie_is_same_site_and_http_only(http):
    cookies = http.get("/login").headers.getlist("Set-Cookie")
    (session,) = [cookie for cookie in cookies if cookie.startswith("session=")]

    assert "SameSite=Lax" in session and "HttpOnly" in session
    assert "Secure" not in session  # plain http outside production


@pytest.fixture
def production_http(tmp_path):
    """A client of an app with production settings (on a SQLite file, named as a deliberate waiver)."""
    settings = _production(
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.db'}",
        REDIS_URL=None,
        ALLOW_UNSAFE_PRODUCTION="DATABASE_URL,REDIS_URL",
    )
    return create_app(settings).test_client()


def test_production_sends_hsts_and_a_secure_session_cookie(production_http):
    response = production_http.get("/login")
    (session,) = [cookie for cookie in response.headers.getlist("Set-Cookie") if cookie.startswith("session=")]

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Secure" in session and "SameSite=Lax" in session and "HttpOnly" in session


def test_static_files_keep_their_own_caching_for_a_logged_in_browser(app, http, trainer):
    http.set_cookie("access_token_cookie", bearer(trainer)["Authorization"].removeprefix("Bearer "))
    graph = "/dashboard/_dash-component-suites/dash/dcc/async-graph.js"
    docs = "/static/openapi/redoc/redoc.standalone.js"

    responses = {path: http.get(path) for path in (graph, docs)}
    for response in responses.values():
        response.close()

    assert responses[graph].status_code == 200 and responses[docs].status_code == 200
    assert "no-store" not in responses[graph].headers.get("Cache-Control", ""), responses[graph].headers
    assert "no-store" not in responses[docs].headers.get("Cache-Control", "")
