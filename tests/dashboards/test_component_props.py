"""Every callback reads and writes properties its components have.

Dash's renderer checks each output against the component's props in the browser and logs
`Property "invalid" ... was used with component ID ...` to the console when it is missing (a
RadioItems has no `invalid`); the server never sees it, so this test walks the callbacks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from dash.development.base_component import Component

from dashboards import EXTENSION_KEY

WILDCARDS = ("ALL", "MATCH", "ALLSMALLER")


def _components(root: Any) -> Iterator[Component]:
    if isinstance(root, Component):
        yield root
        for name in ("children", "label"):
            child = getattr(root, name, None)
            if isinstance(child, (list, tuple)):
                for item in child:
                    yield from _components(item)
            elif child is not None:
                yield from _components(child)


def _split(output: str) -> list[tuple[str, str]]:
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    # An output with allow_duplicate=True carries "@<hash>" after its property.
    return [tuple(part.split("@", 1)[0].rsplit(".", 1)) for part in parts]  # type: ignore[misc]


def _matches(wanted: Any, given: Any) -> bool:
    if isinstance(wanted, str) or not isinstance(given, dict):
        return wanted == given
    return set(wanted) == set(given) and all(
        value == given[key] or (isinstance(value, list) and value and value[0] in WILDCARDS)
        for key, value in wanted.items()
    )


def _has_prop(component: Component, prop: str) -> bool:
    if prop in component._prop_names:
        return True
    return any(prop.startswith(prefix) for prefix in getattr(component, "_valid_wildcard_attributes", []))


def test_every_callback_property_exists_on_its_component(app):
    dash_app = app.extensions[EXTENSION_KEY]
    with app.test_request_context():
        components = list(_components(dash_app.validation_layout))
    problems = []
    checked = 0
    for callback in dash_app._callback_list:
        uses = _split(callback["output"])
        uses += [(item["id"], item["property"]) for item in callback["inputs"] + callback["state"]]
        for raw_id, prop in uses:
            wanted = json.loads(raw_id) if isinstance(raw_id, str) and raw_id.startswith("{") else raw_id
            found = [component for component in components if _matches(wanted, getattr(component, "id", None))]
            for component in found:
                checked += 1
                if not _has_prop(component, prop):
                    problems.append(f"{raw_id}.{prop} on {type(component).__name__}")
    assert checked > 100
    assert not problems, "callbacks use properties their components lack:\n" + "\n".join(sorted(set(problems)))


def test_every_plain_callback_id_is_in_the_validation_layout(app):
    # A callback on a plain id no page has makes Dash's renderer log "ID not found in layout" on
    # every page (the exercise library's Delete once listened to "ex-delete", while its buttons
    # carry pattern ids). Pattern ids are left out: their components are rendered by callbacks.
    dash_app = app.extensions[EXTENSION_KEY]
    with app.test_request_context():
        ids = {
            component.id
            for component in _components(dash_app.validation_layout)
            if isinstance(getattr(component, "id", None), str)
        }
    missing = set()
    for callback in dash_app._callback_list:
        uses = _split(callback["output"])
        uses += [(item["id"], item["property"]) for item in callback["inputs"] + callback["state"]]
        missing |= {raw_id for raw_id, _prop in uses if not raw_id.startswith("{") and raw_id not in ids}
    assert not missing, "callbacks use ids no page's layout has:\n" + "\n".join(sorted(missing))
