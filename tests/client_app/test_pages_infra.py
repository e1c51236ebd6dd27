"""What every browser page gets: HTML error pages, fingerprinted cached static files, compression."""

from __future__ import annotations

import re

import brotli

from fitbud.client_app.assets import fingerprinted_name
from tests.helpers import assert_error, assert_page_error


def test_an_unknown_browser_path_gets_an_html_404_page(http):
    response = http.get("/no/such/page", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert_page_error(response, 404, text="Page not found")


def test_an_unknown_app_path_gets_the_html_404_page_too(http):
    response = http.get("/app/no-such-section")
    assert_page_error(response, 404, text="Page not found")


def test_api_paths_keep_the_json_envelope(http):
    response = http.get("/api/v1/no-such-endpoint", headers={"Accept": "text/html"})
    assert_error(response, 404, message="The requested URL was not found")


def test_a_request_that_prefers_json_keeps_the_envelope(http):
    response = http.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.get_json()["code"] == 404


def test_a_request_that_does_not_ask_for_html_keeps_the_envelope(http):
    assert http.get("/no/such/page", headers={"Accept": "*/*"}).get_json()["code"] == 404


def test_an_unexpected_error_on_a_browser_path_is_an_html_500_page_without_a_traceback(make_app):
    app = make_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "Something went wrong" in html and "secret internals" not in html


def test_pages_link_fingerprinted_static_files(app_http):
    html = app_http.get("/app/").get_data(as_text=True)
    css = re.search(r'href="(/app/static/app\.[0-9a-f]{10}\.css)"', html)
    htmx = re.search(r'src="(/app/static/vendor/htmx-2\.0\.11\.min\.[0-9a-f]{10}\.js)"', html)
    assert css and htmx and "cdn" not in html.lower()


def test_a_fingerprinted_file_is_cached_for_a_year(app_http, http):
    html = app_http.get("/app/").get_data(as_text=True)
    url = re.search(r'href="(/app/static/app\.[0-9a-f]{10}\.css)"', html).group(1)
    response = http.get(url)
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_stale_fingerprint_is_a_404(http):
    assert_page_error(http.get("/app/static/app.0000000000.css"), 404, text="Page not found")


def test_the_fingerprint_changes_with_the_content():
    assert fingerprinted_name("a/app.css", b"one") != fingerprinted_name("a/app.css", b"two")
    assert re.fullmatch(r"a/app\.[0-9a-f]{10}\.css", fingerprinted_name("a/app.css", b"one"))


def test_pages_are_compressed_with_brotli_when_the_browser_accepts_it(app_http):
    plain = app_http.get("/app/")
    response = app_http.get("/app/", headers={"Accept-Encoding": "br, gzip"})
    assert response.headers["Content-Encoding"] == "br" and "Accept-Encoding" in response.headers["Vary"]
    assert len(response.data) < len(plain.data) / 3
    assert brotli.decompress(response.data).startswith(b"<!doctype html>")


def test_static_files_are_compressed_with_gzip_for_older_browsers(app_http, http):
    html = app_http.get("/app/").get_data(as_text=True)
    url = re.search(r'src="(/app/static/vendor/htmx[^"]+)"', html).group(1)
    response = http.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip" and len(response.data) < 20_000


def test_app_pages_are_never_stored_by_caches(app_http):
    assert app_http.get("/app/").headers["Cache-Control"] == "private, no-store"


def test_the_navigation_shows_the_messages_section_with_its_unread_badge(make_app, trainer, client_record):
    from tests.client_app.helpers import login
    from tests.factories import ConversationFactory, MessageFactory

    app = make_app()
    conversation = ConversationFactory(client=client_record)
    MessageFactory(conversation=conversation, from_trainer=True)
    MessageFactory(conversation=conversation, from_trainer=True)
    MessageFactory(conversation=conversation)  # the client's own message is not unread
    browser = app.test_client()
    login(browser, client_record.email)
    html = browser.get("/app/").get_data(as_text=True)
    assert re.search(
        r'href="/app/messages"[^<]*>.*?<span class="badge"[^>]*>.*?2<span class="visually-hidden"> unread', html, re.S
    )


def test_sections_that_do_not_exist_yet_are_not_in_the_navigation(app, app_http):
    from fitbud.client_app.layout import SECTIONS

    html = app_http.get("/app/").get_data(as_text=True)
    assert 'href="/app/"' in html and 'class="badge"' not in html
    # Pages land one at a time: each section is listed exactly when its endpoint exists.
    for label, endpoint, _icon in SECTIONS:
        assert (f">{label}</" in html) == (endpoint in app.view_functions), label
