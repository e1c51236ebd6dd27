"""The optional revenue source: billing plugs a provider in, analytics shows revenue when it exists.

A provider is `provider(trainer_id, start, end, zone) -> rows`, where rows (objects or mappings)
carry month ('YYYY-MM'), currency and amount in minor units, for payments with
start <= paid day < end, days and months counted in the trainer's timezone `zone`.
`fitbud.services.billing.monthly_revenue` has this shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, tzinfo
from typing import Any

from flask import Flask, current_app

RevenueProvider = Callable[[int, date, date, tzinfo], Iterable[Any]]

_EXTENSION_KEY = "fitbud.analytics.revenue_provider"


def set_revenue_provider(app: Flask, provider: RevenueProvider | None) -> None:
    """Make `provider` the app's revenue source (None: revenue is not shown)."""
    app.extensions[_EXTENSION_KEY] = provider


def revenue_provider() -> RevenueProvider | None:
    """The current app's revenue source, or None when billing is not installed."""
    return current_app.extensions.get(_EXTENSION_KEY)
