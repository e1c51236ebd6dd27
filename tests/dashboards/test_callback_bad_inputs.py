"""Every dashboard callback answers inputs of the wrong type with a 4xx (or no update), never a 500.

One test per class of forged input, each walking every callback Dash has registered, run by a
user of a role the callback admits (page_callback's `roles`): the renderer never sends these, a
forged request does, and the one wrapper (dashboards/page_callback.py) answers it.
"""

from __future__ import annotations

from typing import Any

import pytest

from fitbud.auth.roles import Role
from tests.dashboards.helpers import UPDATE_URL, csrf_header, login
from tests.helpers import assert_envelope, assert_error

WRONG_VALUES = {
    "object": {"$where": [1, {"a": None}]},
    "list": [["x"], 2, None],
    "huge-integer": 10**20,
    "text": "not-a-number\x01",
}


def _requests(callback_map: dict[str, Any], value: Any) -> list[tuple[str, dict[str, Any], frozenset]]:
    """(key, body, roles) of each callback with every input and state set to `value`."""
    found = []
    for key, spec in callback_map.items():
        if not spec["inputs"] or "callback" not in spec:
            continue  # computed in the browser: tests below send it to the server all the same
        parts = key.strip(".").split("...") if key.startswith("..") else [key]
        outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1].split("@")[0]} for p in parts]

        def filled(items):
            return [
                [{"id": {"index": 1}, "property": item["property"], "value": value}]
                if item["id"].startswith("{")
                else {**item, "value": value}
                for item in items
            ]

        body = {
            "output": key,
            "outputs": outputs if key.startswith("..") else outputs[0],
            "inputs": filled(spec["inputs"]),
            "state": filled(spec["state"]),
            "changedPropIds": [f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"],
        }
        roles = getattr(spec.get("callback"), "roles", frozenset({Role.TRAINER}))
        found.append((key, body, roles))
    return found


@pytest.mark.parametrize("value", list(WRONG_VALUES.values()), ids=list(WRONG_VALUES))
def test_a_wrong_type_in_every_callback_input_is_never_a_500(http, trainer, admin, value):
    callback_map = http.application.extensions["fitbud.dash"].callback_map
    users = {Role.TRAINER: trainer, Role.ADMIN: admin}  # the dashboards' roles
    failures, visited = [], 0
    for role, user in users.items():
        http.delete_cookie("access_token_cookie")
        login(http, user.email)
        for key, body, roles in _requests(callback_map, value):
            if role not in roles or (role is Role.ADMIN and Role.TRAINER in roles):
                continue  # each callback once: by a trainer when it admits trainers, else by an admin
            visited += 1
            response = http.post(UPDATE_URL, json=body, headers=csrf_header(http))
            if response.status_code >= 500:
                failures.append(f"{key}: {response.status_code} {response.get_data(as_text=True)[:200]}")
            elif response.status_code >= 400:
                try:
                    assert_envelope(response)
                except AssertionError as error:
                    failures.append(f"{key}: {str(error)[:200]}")
    assert visited > 20, "the walk reached too few callbacks"
    assert not failures, "\n".join(failures)


def test_a_request_for_an_output_no_server_callback_answers_is_400(http, trainer):
    callback_map = http.application.extensions["fitbud.dash"].callback_map
    in_the_browser = next(key for key, spec in callback_map.items() if "callback" not in spec)
    login(http, trainer.email)

    for output in (in_the_browser, "no-such.children"):
        body = {"output": output, "outputs": {"id": "x", "property": "children"}, "inputs": [], "state": []}
        response = http.post(UPDATE_URL, json=body, headers=csrf_header(http))

        assert_error(response, 400, message="No callback of this page answers that output")


def test_outputs_that_differ_from_the_callbacks_are_400(http, trainer):
    callback_map = http.application.extensions["fitbud.dash"].callback_map
    key, spec = next(
        (key, spec)
        for key, spec in callback_map.items()
        if not key.startswith("..") and "callback" in spec and spec["inputs"]
    )
    login(http, trainer.email)
    body = {
        "output": key,
        "outputs": {"id": "another-output", "property": "children"},
        "inputs": [{**item, "value": None} for item in spec["inputs"]],
        "state": [{**item, "value": None} for item in spec["state"]],
        "changedPropIds": [],
    }

    response = http.post(UPDATE_URL, json=body, headers=csrf_header(http))

    assert_error(response, 400, message="does not match the callback")
