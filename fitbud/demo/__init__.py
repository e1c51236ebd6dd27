"""Demo data: a trainer with a handful of clients and their history, for trying Fitbud out."""

from __future__ import annotations

from collections.abc import Callable

from fitbud.demo.accounts import DEMO_LOGINS, DemoWorld, seed_accounts
from fitbud.demo.analytics import seed_analytics
from fitbud.demo.billing import seed_billing
from fitbud.demo.exercises import seed_exercises
from fitbud.demo.plans import seed_plans
from fitbud.demo.progress import seed_progress
from fitbud.demo.scheduling import seed_scheduling

__all__ = ["DEMO_LOGINS", "seed_demo"]

# Each domain's step, in dependency order, with its share of the progress bar.
SEED_STEPS: list[tuple[Callable[[DemoWorld], object], int]] = [
    (seed_plans, 15),
    (seed_exercises, 5),
    (seed_scheduling, 15),
    (seed_progress, 35),
    (seed_billing, 10),
    # Last: dashboard history only for clients no earlier step gave logs to.
    (seed_analytics, 5),
]


def seed_demo(progress: Callable[[int], None] = lambda _step: None) -> DemoWorld:
    """Create the demo data once; running it again changes nothing."""
    world = seed_accounts()
    remaining = 100 - sum(weight for _step, weight in SEED_STEPS)
    progress(remaining)
    for step, weight in SEED_STEPS:
        step(world)
        progress(weight)
    return world
