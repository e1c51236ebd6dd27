"""What the dashboard's browser tests share: logging a trainer or admin in through the one login form."""

from __future__ import annotations

from tests.helpers import DEFAULT_PASSWORD


def log_in_dashboard(page, base: str, email: str, password: str = DEFAULT_PASSWORD) -> None:
    """Log in through /login and wait until the dashboard's first page has its content."""
    page.goto(f"{base}/login?next=/dashboard/")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/dashboard/")
    page.wait_for_selector("#page > *")
