"""Helpers for client app tests: a browser-style login and the CSRF value a page's forms carry."""

from __future__ import annotations

import re

from tests.helpers import DEFAULT_PASSWORD


def form_value(html: str, name: str) -> str:
    """The value of the first hidden input called `name` in a page."""
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} field in the page"
    return match.group(1)


def login(http, email: str, password: str = DEFAULT_PASSWORD, next_url: str = ""):
    """Log in through the one HTML login form, as a browser would; the test client keeps the cookies."""
    token = form_value(http.get("/login").get_data(as_text=True), "csrf_token")
    return http.post("/login", data={"email": email, "password": password, "csrf_token": token, "next": next_url})


def csrf(http) -> str:
    """The double-submit value of the current login (what the app's forms put in csrf_token)."""
    return http.get_cookie("csrf_access_token").value
