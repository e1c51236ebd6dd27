"""The Progress page's figures in the client's units, and the words that describe each chart."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from markupsafe import Markup

from fitbud.client_app.charts import Series, bar_chart, line_chart
from fitbud.services.units import from_si, mass_unit, unit_label

RANGES = {"4w": ("4 weeks", 28), "3m": ("3 months", 91), "6m": ("6 months", 182), "1y": ("1 year", 364)}
DEFAULT_RANGE = "3m"
CALORIE_DAYS = 28
METRIC_NAMES = {
    "body_fat": "Body fat",
    "waist": "Waist",
    "chest": "Chest",
    "hips": "Hips",
    "arm": "Arm",
    "thigh": "Thigh",
    "neck": "Neck",
    "calf": "Calf",
}


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _day(value: date) -> str:
    return f"{value.day} {value:%b}"


def weight_chart(weight: list[dict[str, Any]], unit_system: str, last: date) -> dict[str, Any]:
    """The weight chart (weigh-ins and their 7-day average) with its table rows and description."""
    unit = mass_unit(unit_system)
    rows = [
        (
            row["date"],
            from_si("mass", row["weight_kg"], unit_system),
            from_si("mass", row["rolling_mean_kg"], unit_system),
        )
        for row in weight
    ]
    if not rows:
        return {"svg": Markup(""), "rows": [], "unit": unit, "summary": "No weigh-ins in this period yet."}
    latest_day, latest, mean = rows[-1]
    change = latest - rows[0][1]
    summary = (
        f"Latest {_fmt(latest)} {unit} on {_day(latest_day)}; 7-day average {_fmt(mean)} {unit}; "
        f"{'+' if change > 0 else ''}{_fmt(change)} {unit} since {_day(rows[0][0])}."
    )
    svg = line_chart(
        "chart-weight",
        "Weight",
        summary,
        [
            Series("Weigh-ins", [(d, w) for d, w, _m in rows], "series-main"),
            Series("7-day average", [(d, m) for d, _w, m in rows], "series-trend"),
        ],
        unit,
        rows[0][0],  # from the first weigh-in of the period: a new client's week is not a sliver
        last,
    )
    return {"svg": svg, "rows": [(d, _fmt(w), _fmt(m)) for d, w, m in reversed(rows)], "unit": unit, "summary": summary}


def measurement_charts(
    measurements: dict[str, list[dict[str, Any]]], unit_system: str, last: date
) -> list[dict[str, Any]]:
    """One small line chart per measurement that has values in the period."""
    charts = []
    for metric, points in measurements.items():
        if not points:
            continue
        kind = "percent" if metric == "body_fat" else "length"
        unit = unit_label(kind, unit_system)
        rows = [(point["date"], from_si(kind, point["value"], unit_system)) for point in points]
        name = METRIC_NAMES.get(metric, metric.replace("_", " ").capitalize())
        summary = f"{name}: latest {_fmt(rows[-1][1])} {unit} on {_day(rows[-1][0])}, {len(rows)} measurement(s)."
        charts.append(
            {
                "metric": metric,
                "name": name,
                "unit": unit,
                "summary": summary,
                "svg": line_chart(
                    f"chart-{metric}", name, summary, [Series(name, rows, "series-main")], unit, rows[0][0], last
                ),
                "rows": [(d, _fmt(v)) for d, v in reversed(rows)],
            }
        )
    return charts


def volume_chart(weekly: list[dict[str, Any]], unit_system: str) -> dict[str, Any]:
    """Weekly training volume (sum of reps × load) as bars."""
    unit = mass_unit(unit_system)
    rows = [(week["week_start"], from_si("mass", week["volume_kg"], unit_system), week["workouts"]) for week in weekly]
    total = sum(value for _w, value, _n in rows)
    summary = (
        f"{len(rows)} weeks; this week {_fmt(rows[-1][1])} {unit} in {rows[-1][2]} workout(s)."
        if rows
        else "No weeks in this period."
    )
    svg = (
        bar_chart(
            "chart-volume",
            "Weekly volume",
            summary,
            Series("Volume", [(w, v) for w, v, _n in rows], "series-main"),
            unit,
        )
        if total
        else Markup("")
    )
    return {"svg": svg, "rows": [(w, _fmt(v), n) for w, v, n in reversed(rows)], "unit": unit, "summary": summary}


def adherence_chart(weekly: list[dict[str, Any]]) -> dict[str, Any]:
    """The share of planned workouts done each week, as bars out of 100 %."""
    rows = [
        (
            week["week_start"],
            week["planned"],
            week["logged"],
            None if week.get("adherence") is None else round(100 * week["adherence"]),
        )
        for week in weekly
    ]
    planned = sum(p for _w, p, _l, _a in rows)
    done = sum(min(l_, p) for _w, p, l_, _a in rows)
    summary = (
        f"{done} of {planned} planned workouts done ({round(100 * done / planned)} %)."
        if planned
        else "No workouts were planned in this period."
    )
    svg = (
        bar_chart(
            "chart-adherence",
            "Workouts done as planned",
            summary,
            Series("Adherence", [(w, a) for w, _p, _l, a in rows], "series-main"),
            "%",
            maximum=100,
        )
        if planned
        else Markup("")
    )
    return {
        "svg": svg,
        "rows": [(w, p, l_, "–" if a is None else f"{a} %") for w, p, l_, a in reversed(rows)],
        "summary": summary,
    }


def calories_chart(daily: list[dict[str, Any]], last: date) -> dict[str, Any]:
    """The last four weeks' calories eaten, each day against its target."""
    since = last - timedelta(days=CALORIE_DAYS - 1)
    rows = [(day["date"], day["kcal"], day["target_kcal"]) for day in daily if day["date"] >= since]
    logged = [(d, k, t) for d, k, t in rows if k]
    if logged:
        average = sum(k for _d, k, _t in logged) / len(logged)
        summary = f"{len(logged)} days logged in the last {CALORIE_DAYS}; average {_fmt(average)} kcal"
        targets = [t for _d, _k, t in logged if t]
        summary += f" against a target of {_fmt(sum(targets) / len(targets))} kcal." if targets else "."
    else:
        summary = f"No meals logged in the last {CALORIE_DAYS} days."
    svg = (
        bar_chart(
            "chart-calories",
            "Calories against target",
            summary,
            Series("Eaten", [(d, k) for d, k, _t in rows], "series-main"),
            "kcal",
            target=Series("Target", [(d, t) for d, _k, t in rows], "series-target"),
        )
        if logged
        else Markup("")
    )
    return {"svg": svg, "rows": [(d, _fmt(k), _fmt(t)) for d, k, t in reversed(logged)], "summary": summary}
