"""What a dashboard page declares: its path template, who may open it, its layout and its callbacks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dash

from fitbud.auth.roles import Role


@dataclass(frozen=True)
class Page:
    """One dashboard page.

    `path` is a template relative to /dashboard/: "" and "clients" match themselves,
    "clients/<client_id>" matches "clients/12" and hands the layout {"client_id": "12"}. A page
    that also serves deeper paths lists their templates in `more_paths` (the plans list at
    "plans", a plan's editor at "plans/<plan_id>").
    """

    path: str
    name: str
    roles: frozenset[Role]
    # The URL's query parameters and the path template's segments -> components.
    layout: Callable[[dict[str, str]], Any]
    register_callbacks: Callable[[dash.Dash], None]
    # False: reachable by URL (e.g. a client's profile) but not listed in the navbar.
    in_nav: bool = True
    more_paths: tuple[str, ...] = ()
    # Every component the page can show, for Dash's validation layout; None: layout({}).
    validation_layout: Callable[[], Any] | None = None

    @property
    def templates(self) -> tuple[str, ...]:
        """Every path template this page serves, its own first."""
        return (self.path, *self.more_paths)

    def components(self) -> Any:
        """Every component this page can show (Dash checks callbacks against them)."""
        return self.validation_layout() if self.validation_layout is not None else self.layout({})


def match(template: str, path: str) -> dict[str, str] | None:
    """The segments a path template captures from `path` (both relative, no outer slashes), or None.

    >>> match("clients/<client_id>", "clients/12")
    {'client_id': '12'}
    """
    wanted = template.split("/") if template else []
    given = path.split("/") if path else []
    if len(wanted) != len(given):
        return None
    captured: dict[str, str] = {}
    for pattern, segment in zip(wanted, given, strict=True):
        if pattern.startswith("<") and pattern.endswith(">"):
            if not segment:
                return None
            captured[pattern[1:-1]] = segment
        elif pattern != segment:
            return None
    return captured
