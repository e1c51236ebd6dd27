"""What the dashboard's files cost on the wire: compressed, fingerprinted ones cached for a year; a favicon."""

import re

from dashboards.public import ASSETS_DIR
from tests.dashboards.helpers import login

BROTLI = {"Accept-Encoding": "gzip, br"}


def _dashboard_urls(http) -> list[str]:
    html = http.get("/dashboard/").get_data(as_text=True)
    return re.findall(r'(?:src|href)="(/dashboard/[^"]+\.(?:js|css)[^"]*)"', html)


def test_fingerprinted_dashboard_files_are_compressed_and_cached_for_a_year(http, trainer):
    login(http, trainer.email)
    urls = _dashboard_urls(http)
    assert any("/assets/" in url for url in urls) and any("_dash-component-suites" in url for url in urls)
    for url in urls:
        response = http.get(url, headers=BROTLI)
        assert response.status_code == 200, url
        assert response.headers.get("Content-Encoding") == "br", url
        assert "max-age=31536000" in response.headers.get("Cache-Control", ""), url


def test_an_asset_without_its_fingerprint_is_not_cached_for_long(http, trainer):
    login(http, trainer.email)
    with http.get("/dashboard/assets/fitbud.css") as response:  # streamed from the file: close it
        assert response.status_code == 200
        assert "max-age=31536000" not in response.headers.get("Cache-Control", "")


def test_favicon_is_served_to_every_page_and_the_dashboard(http, trainer):
    icon = (ASSETS_DIR / "favicon.ico").read_bytes()
    with http.get("/favicon.ico") as public:
        assert public.status_code == 200 and public.data == icon
        assert public.mimetype == "image/vnd.microsoft.icon"
        assert "max-age=86400" in public.headers["Cache-Control"]
    login(http, trainer.email)
    linked = re.search(
        r'<link rel="icon" type="image/x-icon" href="([^"]+)"', http.get("/dashboard/").get_data(as_text=True)
    )
    assert linked.group(1).startswith("/dashboard/assets/favicon.ico?m=")
    with http.get(linked.group(1)) as dashboard_icon:
        assert dashboard_icon.data == icon
