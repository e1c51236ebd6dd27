"""Helpers for dashboard tests: browser-style login and hand-made Dash callback requests."""

from __future__ import annotations

import re
from typing import Any

from tests.helpers import DEFAULT_PASSWORD

UPDATE_URL = "/dashboard/_dash-update-component"


def login(http, email: str, password: str = DEFAULT_PASSWORD, next_url: str = "/dashboard/"):
    """Log in through the HTML form, as a browser would; the test client keeps the cookies."""
    page = http.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return http.post("/login", data={"email": email, "password": password, "csrf_token": token, "next": next_url})


def csrf_header(http) -> dict[str, str]:
    """The double-submit header Dash's renderer sends: the csrf_access_token cookie's value."""
    return {"X-CSRF-TOKEN": http.get_cookie("csrf_access_token").value}


def callback_body(outputs: list[tuple[str, str]], inputs: list[tuple[str, str, Any]], state=()) -> dict[str, Any]:
    """The JSON body Dash's renderer POSTs to _dash-update-component for one callback."""
    if len(outputs) == 1:
        output = f"{outputs[0][0]}.{outputs[0][1]}"
        outputs_field: Any = {"id": outputs[0][0], "property": outputs[0][1]}
    else:
        output = ".." + "...".join(f"{i}.{p}" for i, p in outputs) + ".."
        # An allow_duplicate output is named "<prop>@<hash>" in the callback's key only.
        outputs_field = [{"id": i, "property": p.split("@")[0]} for i, p in outputs]
    return {
        "output": output,
        "outputs": outputs_field,
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
    }


def call(http, outputs, inputs, state=(), headers: dict[str, str] | None = None):
    """POST one callback with the CSRF header (unless `headers` replaces it)."""
    return http.post(
        UPDATE_URL,
        json=callback_body(outputs, inputs, state),
        headers=csrf_header(http) if headers is None else headers,
    )


def duplicate_output(http, component_id: str, prop: str) -> tuple[str, str]:
    """(id, "<prop>@<hash>") of the one allow_duplicate output on component_id.prop, as Dash keys it."""
    fragment = f"{component_id}.{prop}@"
    keys = [key for key in http.application.extensions["fitbud.dash"].callback_map if fragment in key]
    assert len(keys) == 1, keys
    marked = keys[0].split(fragment, 1)[1].split(".", 1)[0]
    return component_id, f"{prop}@{marked}"


def dispatch(http, first_output: str, values: dict[str, Any], trigger: str) -> dict[str, Any]:
    """Run the callback whose first output is `first_output` ("ex-list.children"), as the renderer would.

    The request is built from the callback's own registration: `values` gives each input and
    state by "<id>.<property>" (missing ones are None); `trigger` is the one that changed. The
    response's body is returned (a 204, nothing updated, returns {}).
    """
    callback_map = http.application.extensions["fitbud.dash"].callback_map
    keys = [key for key in callback_map if key.removeprefix("..").split("@")[0].split("...")[0] == first_output]
    assert len(keys) == 1, keys
    key = keys[0]
    spec = callback_map[key]
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1].split("@")[0]} for part in parts
    ]

    def filled(items: list[dict[str, Any]]) -> list[Any]:
        # A wildcard (ALL) input takes the list of matched components as given: [{"id", "property", "value"}].
        return [
            values.get(f"{item['id']}.{item['property']}", [])
            if item["id"].startswith("{")
            else {**item, "value": values.get(f"{item['id']}.{item['property']}")}
            for item in items
        ]

    body = {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": filled(spec["inputs"]),
        "state": filled(spec["state"]),
        "changedPropIds": [trigger],
    }
    response = http.post(UPDATE_URL, json=body, headers=csrf_header(http))
    if response.status_code == 204:
        return {}
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]
