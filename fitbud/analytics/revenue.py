"""The shape of a revenue source: analytics shows revenue when the service layer hands it one.

A provider is `provider(trainer_id, start, end, zone) -> rows`, where rows (objects or mappings)
carry month ('YYYY-MM'), currency and amount in minor units, for payments with
start <= paid day < end, days and months counted in the trainer's timezone `zone`.
`fitbud.services.billing.monthly_revenue` has this shape; services/analytics.py holds the app's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, tzinfo
from typing import Any

RevenueProvider = Callable[[int, date, date, tzinfo], Iterable[Any]]
