"""Plotly figures from analytics frames: plain figures, no Dash, readable from phone to laptop."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from fitbud.analytics.frames import DONE, EXTRA, HEATMAP_LABELS, MISSED, REST, UPCOMING

PALETTE = ["#1f4e79", "#2e86de", "#10ac84", "#ee5253", "#ff9f43", "#8395a7"]
STATUS_COLOURS = {"scheduled": "#2e86de", "completed": "#10ac84", "no_show": "#ee5253", "cancelled": "#8395a7"}


def _base(figure: go.Figure, y_title: str | None = None, height: int = 320) -> go.Figure:
    """Shared look: small margins, legend on top, no title (the card names the chart)."""
    figure.update_layout(
        template="plotly_white",
        height=height,
        autosize=True,
        margin={"l": 48, "r": 12, "t": 28, "b": 40},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        font={"size": 12},
        hovermode="x unified",
    )
    if y_title:
        figure.update_yaxes(title_text=y_title, title_standoff=6)
    # Let plotly thin out tick labels on narrow screens instead of overlapping them.
    figure.update_xaxes(automargin=True, nticks=8)
    return figure


def growth_figure(growth: pd.DataFrame) -> go.Figure:
    """Clients gained and lost per month (bars) and clients at each month's end (line)."""
    months = pd.to_datetime(growth["month"])
    figure = go.Figure()
    figure.add_bar(x=months, y=growth["new"], name="New", marker_color=PALETTE[2])
    figure.add_bar(
        x=months,
        y=-growth["churned"],
        name="Churned",
        marker_color=PALETTE[3],
        customdata=growth["churned"],
        hovertemplate="%{customdata}",
    )
    figure.add_scatter(
        x=months, y=growth["active"], name="Active", mode="lines+markers", line={"color": PALETTE[0], "width": 3}
    )
    figure.update_layout(barmode="relative")
    figure.update_xaxes(dtick="M1", tickformat="%b %y")
    if int(growth["active"].max() if len(growth) else 0) <= 6:
        figure.update_yaxes(dtick=1)
    return _base(figure, "Clients")


def sessions_figure(counts: dict[str, int]) -> go.Figure:
    """Sessions this week by status."""
    labels = [status.replace("_", "-") for status in counts]
    figure = go.Figure(
        go.Bar(
            x=list(counts.values()),
            y=labels,
            orientation="h",
            text=list(counts.values()),
            textposition="auto",
            marker_color=[STATUS_COLOURS[status] for status in counts],
        )
    )
    figure.update_yaxes(autorange="reversed")
    if max(counts.values(), default=0) <= 6:
        figure.update_xaxes(dtick=1)
    figure = _base(figure, height=240)
    figure.update_layout(hovermode="closest")
    return figure


def adherence_figure(histogram: pd.DataFrame) -> go.Figure:
    """How many clients fall in each adherence bucket."""
    colours = [PALETTE[3], PALETTE[4], "#feca57", PALETTE[1], PALETTE[2]]
    figure = go.Figure(
        go.Bar(
            x=histogram["bucket"],
            y=histogram["clients"],
            marker_color=colours,
            text=histogram["clients"],
            textposition="auto",
        )
    )
    if int(histogram["clients"].max()) <= 6:
        figure.update_yaxes(dtick=1)
    figure = _base(figure, "Clients")
    figure.update_layout(hovermode="closest")
    return figure


def weight_figure(weight: pd.DataFrame, trend: dict[str, Any], unit: str = "kg", per_kg: float = 1.0) -> go.Figure:
    """Weigh-ins and their 7-day rolling mean, in `unit` (`per_kg` of it make a kilogram)."""
    days = pd.to_datetime(weight["day"])
    figure = go.Figure()
    figure.add_scatter(
        x=days,
        y=weight["weight_kg"] * per_kg,
        name="Weigh-in",
        mode="markers",
        marker={"color": PALETTE[1], "size": 7, "opacity": 0.7},
    )
    figure.add_scatter(
        x=days,
        y=weight["rolling_kg"] * per_kg,
        name="7-day average",
        mode="lines",
        line={"color": PALETTE[0], "width": 3},
    )
    return _base(figure, unit)


def measurements_figure(measurements: pd.DataFrame) -> go.Figure:
    """One line per body measurement."""
    figure = go.Figure()
    for index, (metric, group) in enumerate(measurements.groupby("metric", sort=True)):
        figure.add_scatter(
            x=pd.to_datetime(group["day"]),
            y=group["value"],
            name=metric.replace("_", " "),
            mode="lines+markers",
            line={"color": PALETTE[index % len(PALETTE)]},
        )
    figure.update_layout(showlegend=True)
    return _base(figure, "cm / %")


def volume_figure(weekly: pd.DataFrame, unit: str = "kg", per_kg: float = 1.0) -> go.Figure:
    """Training volume per week in `unit` (`per_kg` of it make a kilogram), with workouts in the hover."""
    figure = go.Figure(
        go.Bar(
            x=pd.to_datetime(weekly["week"]),
            y=weekly["volume_kg"] * per_kg,
            name="Volume",
            marker_color=PALETTE[1],
            customdata=weekly[["workouts", "sets"]].to_numpy(),
            hovertemplate=f"%{{y:,.0f}} {unit}<br>%{{customdata[0]}} workouts, %{{customdata[1]}} sets<extra></extra>",
        )
    )
    figure.update_xaxes(tickformat="%d %b")
    return _base(figure, f"{unit} per week")


def heatmap_figure(grid: pd.DataFrame) -> go.Figure:
    """Weeks down, weekdays across: done, extra, missed, planned and rest days in colour."""
    codes = [MISSED, REST, UPCOMING, EXTRA, DONE]
    colours = ["#ee5253", "#eef0f4", "#c8d6e5", "#54a0ff", "#10ac84"]
    # A discrete scale: category i fills the band [i/n, (i+1)/n] of the colour axis.
    count = len(codes)
    scale = [[position, colour] for i, colour in enumerate(colours) for position in (i / count, (i + 1) / count)]
    index_of = {code: i for i, code in enumerate(codes)}
    z = grid.apply(lambda column: column.map(lambda value: float("nan") if pd.isna(value) else index_of[int(value)]))
    labels = grid.apply(lambda column: column.map(lambda value: "" if pd.isna(value) else HEATMAP_LABELS[int(value)]))
    figure = go.Figure(
        go.Heatmap(
            z=z.to_numpy(dtype="float64"),
            x=list(grid.columns),
            y=[f"w/c {week[5:]}" for week in grid.index],
            zmin=-0.5,
            zmax=count - 0.5,
            colorscale=scale,
            showscale=False,
            text=labels.to_numpy(),
            hovertemplate="%{y} %{x}: %{text}<extra></extra>",
            xgap=3,
            ygap=3,
        )
    )
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(side="top", nticks=7)
    height = max(200, min(620, 60 + 26 * len(grid)))
    figure = _base(figure, height=height)
    figure.update_layout(hovermode="closest", margin={"l": 72, "r": 8, "t": 36, "b": 8})
    return figure


def calories_figure(calories: pd.DataFrame) -> go.Figure:
    """Daily kcal eaten (bars) against the plan's target (line)."""
    days = pd.to_datetime(calories["day"])
    figure = go.Figure()
    figure.add_bar(x=days, y=calories["kcal"], name="Eaten", marker_color=PALETTE[4])
    if calories["target_kcal"].notna().any():
        figure.add_scatter(
            x=days,
            y=calories["target_kcal"],
            name="Target",
            mode="lines",
            line={"color": PALETTE[0], "width": 2, "dash": "dot"},
            connectgaps=False,
        )
    return _base(figure, "kcal")


def signups_figure(signups: pd.DataFrame) -> go.Figure:
    """Accounts created per week, by role."""
    weeks = pd.to_datetime(signups["week"])
    figure = go.Figure()
    for index, role in enumerate(("trainer", "client", "admin")):
        if role in signups:
            figure.add_bar(x=weeks, y=signups[role], name=role.title() + "s", marker_color=PALETTE[index])
    figure.update_layout(barmode="stack")
    return _base(figure, "Sign-ups")


def active_clients_figure(weekly: pd.DataFrame) -> go.Figure:
    """Clients who logged something, per week."""
    figure = go.Figure(
        go.Scatter(
            x=pd.to_datetime(weekly["week"]),
            y=weekly["clients"],
            mode="lines+markers",
            fill="tozeroy",
            line={"color": PALETTE[1], "width": 3},
            name="Clients logging",
        )
    )
    return _base(figure, "Clients")
