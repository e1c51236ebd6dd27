"""The dashboard's page registry and router: which page a path shows, for which role.

Dash's own `use_pages` keeps one registry per process; Fitbud builds a Dash app per Flask app
(the tests build many), so pages live in this explicit list and register on each app. Only this
module imports the pages; pages import neither the router nor each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboards.page import Page, match
from dashboards.pages import (
    account,
    activity,
    admin_users,
    billing,
    check_ins,
    client_account,
    client_detail,
    client_progress,
    client_roster,
    exercises,
    generator,
    messages,
    overview,
    plans,
    platform,
    reports,
    schedule,
)
from fitbud.auth.roles import Role


def pages() -> list[Page]:
    """Every page, in navbar order."""
    return [
        *[overview.PAGE, client_roster.PAGE, client_detail.PAGE, client_account.PAGE],
        *[messages.PAGE, client_progress.PAGE],
        *[check_ins.PAGE, activity.PAGE],
        *[plans.PAGE, generator.PAGE, exercises.PAGE, schedule.PAGE, billing.PAGE],
        *[platform.PAGE, admin_users.PAGE, reports.PAGE, account.PAGE],
    ]


def pages_for(role: Role | None) -> list[Page]:
    """The pages a role may open."""
    return [page for page in pages() if role in page.roles]


@dataclass(frozen=True)
class Route:
    """The page a path resolved to and the segments its path template captured."""

    page: Page
    captured: dict[str, str]


def resolve(path: str, role: Role | None) -> Route | None:
    """The page at `path` (relative, no outer slashes) for this role; the role's first page for "".

    A template without placeholders wins over one with them, so "plans/new" could never be
    shadowed by "plans/<plan_id>" if both existed.
    """
    allowed = pages_for(role)
    candidates = [(page, template) for page in allowed for template in page.templates]
    candidates.sort(key=lambda pair: "<" in pair[1])  # stable: exact templates first, page order kept
    for page, template in candidates:
        captured = match(template, path)
        if captured is not None:
            return Route(page, captured)
    if path == "" and allowed:
        return Route(allowed[0], {})
    return None
