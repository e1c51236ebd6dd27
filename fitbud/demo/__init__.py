"""Demo data: a trainer with a handful of clients and their history, for trying Fitbud out."""

from __future__ import annotations

from collections.abc import Callable

from fitbud.demo.accounts import DEMO_LOGINS, seed_accounts
from fitbud.demo.exercises import seed_exercises

__all__ = ["DEMO_LOGINS", "seed_demo"]


def seed_demo(progress: Callable[[int], None] = lambda _step: None) -> None:
    """Create the demo data once; running it again changes nothing.

    Each domain's seeding step reports its share of the 100 progress points.
    """
    world = seed_accounts()
    seed_exercises(world)
    progress(100)
    return world
