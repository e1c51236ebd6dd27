"""Small server-side SVG charts for the Progress page: no charts library, nothing for the browser to run.

Each chart is an <svg role="img"> with a <title> and a <desc> that says what it shows in words
(the latest value, the trend); the page puts the numbers in a table beside it as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 360, 170
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 12, 26


@dataclass(frozen=True)
class Series:
    """One line or set of bars: (x label date, value) points, a name for the legend and a CSS class."""

    name: str
    points: Sequence[tuple[date, float | None]]
    css: str


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _day(value: date) -> str:
    return f"{value.day} {value:%b}"


def _bounds(values: list[float], floor_zero: bool) -> tuple[float, float]:
    low, high = min(values), max(values)
    if floor_zero:
        low = min(0.0, low)
    if high == low:
        high, low = high + 1, low - (0 if floor_zero else 1)
    pad = (high - low) * 0.08
    return (low if floor_zero else low - pad), high + pad


def _frame(
    chart_id: str, title: str, description: str, low: float, high: float, unit: str, first: date, last: date
) -> list[str]:
    bottom = HEIGHT - BOTTOM
    return [
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}"/>',
        f'<line class="grid" x1="{LEFT}" y1="{TOP}" x2="{WIDTH - RIGHT}" y2="{TOP}"/>',
        f'<text class="tick" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{escape(_fmt(high))}</text>',
        f'<text class="tick" x="{LEFT - 6}" y="{bottom}" text-anchor="end">{escape(_fmt(low))}</text>',
        f'<text class="tick" x="{LEFT - 6}" y="{(TOP + bottom) / 2 + 4}" text-anchor="end">{escape(unit)}</text>',
        f'<text class="tick" x="{LEFT}" y="{HEIGHT - 8}">{escape(_day(first))}</text>',
        f'<text class="tick" x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end">{escape(_day(last))}</text>',
    ]


def line_chart(
    chart_id: str, title: str, description: str, series: Sequence[Series], unit: str, first: date, last: date
) -> Markup:
    """Lines over dates in [first, last]; each point of the first series also gets a dot."""
    values = [value for line in series for _day_, value in line.points if value is not None]
    if not values:
        return Markup("")
    low, high = _bounds(values, floor_zero=False)
    span = max(1, (last - first).days)
    bottom = HEIGHT - BOTTOM

    def x(day: date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span

    def y(value: float) -> float:
        return bottom - (bottom - TOP) * (value - low) / (high - low)

    parts = _frame(chart_id, title, description, low, high, unit, first, last)
    for index, line in enumerate(series):
        shown = [(day, value) for day, value in line.points if value is not None]
        if not shown:
            continue
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(day):.1f},{y(value):.1f}" for i, (day, value) in enumerate(shown))
        parts.append(f'<path class="line {line.css}" d="{path}"/>')
        if index == 0:
            parts.extend(
                f'<circle class="dot {line.css}" cx="{x(day):.1f}" cy="{y(value):.1f}" r="2.5"/>'
                for day, value in shown
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: Series,
    unit: str,
    target: Series | None = None,
    maximum: float | None = None,
) -> Markup:
    """One bar per point (weeks or days), with an optional target drawn as a line of ticks."""
    points = list(bars.points)
    if not points:
        return Markup("")
    values = [value or 0.0 for _day_, value in points]
    targets = [value for _day_, value in (target.points if target else []) if value is not None]
    low, high = _bounds(values + targets + ([maximum] if maximum is not None else []), floor_zero=True)
    if maximum is not None:
        high = maximum
    bottom = HEIGHT - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(points)

    def y(value: float) -> float:
        return bottom - (bottom - TOP) * (value - low) / (high - low)

    parts = _frame(chart_id, title, description, low, high, unit, points[0][0], points[-1][0])
    for index, (_when, value) in enumerate(points):
        if not value:
            continue
        top = y(value)
        parts.append(
            f'<rect class="bar {bars.css}" x="{LEFT + index * slot + slot * 0.15:.1f}" y="{top:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{bottom - top:.1f}"/>'
        )
    if target is not None:
        lookup = dict(target.points)
        for index, (day, _value) in enumerate(points):
            aimed = lookup.get(day)
            if aimed is not None:
                parts.append(
                    f'<line class="target {target.css}" x1="{LEFT + index * slot:.1f}" y1="{y(aimed):.1f}" '
                    f'x2="{LEFT + (index + 1) * slot:.1f}" y2="{y(aimed):.1f}"/>'
                )
    parts.append("</svg>")
    return Markup("".join(parts))
