"""Form helpers for the web app's pages: labelled fields with their error next to them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import Output, html

from fitbud.errors import DomainError


def field(label: str, control: Any, control_id: str, hint: str | None = None) -> html.Div:
    """A label, its control and the place its error appears (`<control_id>-error`)."""
    children: list[Any] = [dbc.Label(label, html_for=control_id), control]
    if hint:
        children.append(dbc.FormText(hint))
    children.append(dbc.FormFeedback(id=f"{control_id}-error", type="invalid"))
    return html.Div(children, className="mb-3")


def error_outputs(control_ids: Sequence[str]) -> list[Output]:
    """For each control: its `invalid` flag and its error text, in that order."""
    outputs: list[Output] = []
    for control_id in control_ids:
        outputs += [Output(control_id, "invalid"), Output(f"{control_id}-error", "children")]
    return outputs


def error_values(errors: dict[str, Any], fields: dict[str, str]) -> list[Any]:
    """Values for `error_outputs`: `fields` maps control ids to the service's field names."""
    values: list[Any] = []
    for field_name in fields.values():
        messages = errors.get(field_name) or []
        if isinstance(messages, str):
            messages = [messages]
        text = " ".join(str(message) for message in messages)
        values += [bool(text), text]
    return values


def problem(error: DomainError) -> html.Div:
    """A domain error as a readable message for the user (announced by screen readers)."""
    return html.Div(dbc.Alert(error.message, color="danger", className="py-2 mb-2"), role="alert")


def done(message: str) -> html.Div:
    """A success note (announced politely by screen readers)."""
    return html.Div(dbc.Alert(message, color="success", className="py-2 mb-2"), role="status")
