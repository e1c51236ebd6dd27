"""A small page router: each page declares its path, who may open it, its layout and callbacks.

Dash's own `use_pages` keeps one registry per process; Fitbud builds a Dash app per Flask app
(the tests build many), so pages live in this explicit list and register on each app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dash

from fitbud.auth.roles import Role


@dataclass(frozen=True)
class Page:
    """One dashboard page."""

    path: str  # relative to /dashboard/, e.g. "" or "client"
    name: str
    roles: frozenset[Role]
    layout: Callable[[dict[str, str]], Any]  # query parameters -> components
    register_callbacks: Callable[[dash.Dash], None]
    # False: reachable by URL (e.g. a client's profile) but not listed in the navbar.
    in_nav: bool = True
    # Also serves deeper paths ("plans/12"); the page reads the rest from params["subpath"].
    subpaths: bool = False


def pages() -> list[Page]:
    """Every page, in navbar order (imported here so page modules load with the dashboards)."""
    from dashboards.pages import (
        client,
        client_profile,
        clients,
        messages,
        overview,
        plans,
        platform,
        profile,
        reports,
        schedule,
    )

    return [
        *[overview.PAGE, clients.PAGE, client_profile.PAGE, messages.PAGE, client.PAGE],
        *[plans.PAGE, schedule.PAGE, platform.PAGE, reports.PAGE, profile.PAGE],
    ]


def pages_for(role: Role | None) -> list[Page]:
    """The pages a role may open."""
    return [page for page in pages() if role in page.roles]


def resolve(path: str, role: Role | None) -> Page | None:
    """The page at `path` (relative, no slashes) for this role; the role's first page for "".

    A page path ending in "/*" (e.g. "clients/*") takes one more segment, read from params["path"].
    """
    allowed = pages_for(role)
    for page in allowed:
        if page.path == path:
            return page
        if page.path.endswith("/*") and path.startswith(page.path[:-1]) and "/" not in path[len(page.path) - 1 :]:
            return page
    if path == "" and allowed:
        return allowed[0]
    head = path.split("/", 1)[0]
    for page in allowed:
        if page.subpaths and page.path == head:
            return page
    return None
