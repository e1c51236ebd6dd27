"""Form helpers for the web app's pages: labelled fields with their error next to them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import dash_bootstrap_components as dbc
from dash import Output, html

from fitbud.errors import DomainError

# Search boxes filter as the user types, once they pause this long (dbc.Input's debounce is in ms).
SEARCH_DEBOUNCE_MS = 300
# The API's EmailField is stricter; this catches typos before the service sees them.
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


FIELD_CLASS = "mb-3 fb-field"
INVALID_FIELD_CLASS = f"{FIELD_CLASS} fb-invalid"


def field(label: str, control: Any, control_id: str, hint: str | None = None) -> html.Div:
    """A label, its control and the place its error appears (`<control_id>-error`).

    The wrapper (`<control_id>-field`) carries the error state as a class, not the control: not
    every control has an `invalid` property (dropdowns and radio items don't), and Dash rejects
    a callback output the component lacks.
    """
    children: list[Any] = [dbc.Label(label, html_for=control_id), control]
    if hint:
        children.append(dbc.FormText(hint))
    children.append(dbc.FormFeedback(id=f"{control_id}-error", type="invalid"))
    return html.Div(children, id=f"{control_id}-field", className=FIELD_CLASS)


def error_outputs(control_ids: Iterable[str]) -> dict[str, Output]:
    """For each field: its state class and its error text, keyed "<id>-field.className" and "<id>-error.children".

    Spread them into a callback's dict `output=`; `error_values` returns the matching values.
    """
    outputs: dict[str, Output] = {}
    for control_id in control_ids:
        outputs[f"{control_id}-field.className"] = Output(f"{control_id}-field", "className")
        outputs[f"{control_id}-error.children"] = Output(f"{control_id}-error", "children")
    return outputs


# marshmallow's messages that don't say which field they are about, and what the form says instead.
GENERIC_MESSAGES = {
    "Missing data for required field.": "{name} is required.",
    "Field may not be null.": "{name} is required.",
    "Not a valid string.": "{name} must be text.",
    "Not a valid integer.": "{name} must be a whole number.",
    "Not a valid number.": "{name} must be a number.",
}


def named(message: Any, field_name: str) -> str:
    """A service's message for one field, naming the field where marshmallow's generic text doesn't."""
    text = str(message)
    template = GENERIC_MESSAGES.get(text)
    if template is None:
        return text
    return template.format(name=field_name.rsplit(".", 1)[-1].replace("_", " ").capitalize())


def error_values(errors: Mapping[str, Any] | None, fields: Mapping[str, str]) -> dict[str, Any]:
    """Values for `error_outputs(fields)`: `fields` maps control ids to the service's field names.

    Controls without an error are cleared, so `error_values({}, fields)` resets the form.
    """
    values: dict[str, Any] = {}
    for control_id, field_name in fields.items():
        messages = (errors or {}).get(field_name) or []
        if isinstance(messages, str):
            messages = [messages]
        text = " ".join(named(message, field_name) for message in messages)
        values[f"{control_id}-field.className"] = INVALID_FIELD_CLASS if text else FIELD_CLASS
        values[f"{control_id}-error.children"] = text
    return values


def problem(error: DomainError) -> html.Div:
    """A domain error as a readable message for the user (announced by screen readers)."""
    return html.Div(dbc.Alert(error.message, color="danger", className="py-2 mb-2"), role="alert")


def done(message: str) -> html.Div:
    """A success note (announced politely by screen readers)."""
    return html.Div(dbc.Alert(message, color="success", className="py-2 mb-2"), role="status")


def to_int(value: Any) -> int | None:
    """A whole number from a form or store value, or None (a checkbox's True is not 1)."""
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
