"""Pieces that show one client, drawn by several pages: status badge, goals, progress tiles and charts, a thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import Output, html

from dashboards.components import empty, graph, kpi, local_time, number, table
from fitbud.analytics import figures
from fitbud.analytics.client import ClientCharts
from fitbud.errors import DomainError, NotFoundError
from fitbud.models import Client, Message, User
from fitbud.services import units

# The progress view's parts, in display order: a page's output ids are "<prefix>-<part>".
PROGRESS_PARTS = ("summary", "weight", "measurements", "volume", "heatmap", "calories", "records")


def progress_ids(prefix: str) -> list[str]:
    """The output ids of one page's progress view ("cl" -> ["cl-summary", "cl-weight", ...])."""
    return [f"{prefix}-{part}" for part in PROGRESS_PARTS]


def progress_outputs(prefix: str) -> dict[str, Output]:
    """A callback's dict outputs for one page's progress view, keyed by part (`progress_figures`' keys)."""
    return {part: Output(f"{prefix}-{part}", "children") for part in PROGRESS_PARTS}


def status_of(client: Client) -> tuple[str, str]:
    """A client's status for the roster and its badge colour."""
    if client.archived_at is not None:
        return "archived", "secondary"
    if client.user_id is None:
        return "invited", "info"
    if not client.is_active:
        return "paused", "warning"
    return "active", "success"


def goal_label(goal: str) -> str:
    """'fat_loss' -> 'Fat loss'."""
    return goal.replace("_", " ").capitalize()


class Mass:
    """Masses as the viewer reads them: their unit and how many of it make a kilogram."""

    def __init__(self, unit_system: str):
        self.unit = units.mass_unit(unit_system)
        self.per_kg = units.from_si_mass(1.0, unit_system, decimals=None)

    def show(self, kg: Any, digits: int = 1, suffix: str = "") -> str:
        """A mass in kilograms (or None) shown in the viewer's unit."""
        value = None if kg is None or kg != kg else kg * self.per_kg
        return number(value, digits, f" {self.unit}{suffix}")


def _summary(progress: ClientCharts, mass: Mass) -> list[Any]:
    trend = progress.trend
    slope = trend["slope_kg_per_week"]
    adherence = progress.adherence
    return [
        kpi("Latest weight", mass.show(trend["latest_kg"])),
        kpi("Trend", mass.show(slope, 2, "/wk") if slope is not None else "—", "last 4 weeks"),
        kpi("Change in period", mass.show(trend["change_kg"])),
        kpi(
            "Adherence",
            number(adherence["adherence"], 1, " %"),
            f"{adherence['matched']} of {adherence['planned']} planned workouts",
        ),
    ]


def _records(frame, mass: Mass) -> Any:
    if frame.empty:
        return empty("No records yet.", "Records appear once the client logs sets with weights.")
    rows = [
        (
            row.exercise,
            mass.show(row.heaviest_kg),
            f"{row.heaviest_on:%d %b %Y}",
            mass.show(row.best_e1rm_kg),
        )
        for row in frame.itertuples(index=False)
    ]
    return table(rows, ["Exercise", "Heaviest", "On", "Est. 1RM"], "cl-records-table")


def progress_figures(progress: ClientCharts, unit_system: str = "metric") -> dict[str, Any]:
    """The summary tiles and each chart (or its empty state), keyed by PROGRESS_PARTS, in the viewer's units."""
    name = progress.name
    widen = "or widen the period."
    mass = Mass(unit_system)
    weight = figures.weight_figure(progress.weight, progress.trend, mass.unit, mass.per_kg)
    return {
        "summary": _summary(progress, mass),
        "weight": graph(weight, "cl-weight-graph")
        if not progress.weight.empty
        else empty("No weigh-ins in this period.", f"Ask {name} to log their weight, {widen}"),
        "measurements": graph(figures.measurements_figure(progress.measurements), "cl-measurements-graph")
        if not progress.measurements.empty
        else empty("No measurements in this period.", f"Ask {name} to add waist or hip measurements, {widen}"),
        "volume": graph(figures.volume_figure(progress.weekly_volume, mass.unit, mass.per_kg), "cl-volume-graph")
        if progress.weekly_volume["workouts"].sum()
        else empty("No workouts logged in this period.", f"{name}'s logged workouts will show here, {widen}"),
        "heatmap": graph(figures.heatmap_figure(progress.heatmap), "cl-heatmap-graph")
        if progress.adherence["planned"] or progress.weekly_volume["workouts"].sum()
        else empty("No workout plan in this period.", f"Assign a workout plan to {name} to track adherence."),
        "calories": graph(figures.calories_figure(progress.calories), "cl-calories-graph")
        if progress.calories["kcal"].notna().any()
        else empty("No meals logged in this period.", f"Ask {name} to log meals, or assign a diet plan with targets."),
        "records": _records(progress.records, mass),
    }


def progress_problem(not_found_hint: str) -> Callable[[DomainError], Any]:
    """How a progress view shows a domain error (a `page_callback` renderer): an empty state with a hint.

    Not found means a forged or foreign client id; anything else is the period (its end before
    its start, or too long).
    """

    def render(error: DomainError) -> Any:
        hint = not_found_hint if isinstance(error, NotFoundError) else "Pick a start date before the end date."
        return dbc.Col(empty(error.message, hint))

    return render


def thread(user: User, newest_first: Sequence[Message]) -> list[Any]:
    """Message bubbles, oldest at the top, the viewer's own on the right."""
    if not newest_first:
        return [empty("No messages yet.", "Say hello below.")]
    bubbles = []
    for message in reversed(newest_first):
        mine = message.sender_role == user.role
        bubbles.append(
            html.Div(
                [
                    html.Div(message.body),
                    html.Div(
                        ("You · " if mine else "") + local_time(message.created_at, user), className="fb-bubble-meta"
                    ),
                ],
                className="fb-bubble " + ("fb-bubble-mine" if mine else "fb-bubble-theirs"),
            )
        )
    return bubbles
