"""fitbud/ext/smorest.py overrides three private hooks of flask-smorest's Api: pinned, and checked here.

STYLE.md habit 15: an override of a library's private method is pinned to the minor version it was
checked against, with a test that fails when upstream changes what it overrides or stops calling it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import inspect
import pathlib
import tomllib

import flask_smorest

from fitbud.ext.smorest import TESTED_FLASK_SMOREST

# sha256 (first 16 hex digits) of each overridden method's source at the pinned minor version.
UPSTREAM_FINGERPRINTS = {
    "_register_error_handlers": "bcbaa7a1c939c434",
    "_register_responses": "42ac780261644c27",
    "_register_pagination_header": "9ab8194a5ee639f7",
}


def _callers_of(hook: str) -> list[str]:
    return [cls.__name__ for cls in flask_smorest.Api.__mro__[:-1] if f"self.{hook}(" in inspect.getsource(cls)]


def test_flask_smorest_is_the_minor_version_the_overrides_were_checked_against():
    installed = importlib.metadata.version("flask-smorest")
    assert installed.split(".")[:2] == TESTED_FLASK_SMOREST.split("."), (
        f"flask-smorest {installed}: check fitbud/ext/smorest.py against it before moving the pin"
    )
    project = tomllib.loads((pathlib.Path(__file__).parents[2] / "pyproject.toml").read_text())
    major, minor = TESTED_FLASK_SMOREST.split(".")
    assert f"flask-smorest>={major}.{minor},<{major}.{int(minor) + 1}" in project["project"]["dependencies"]


def test_the_overridden_hooks_are_unchanged_upstream():
    found = {
        name: hashlib.sha256(inspect.getsource(getattr(flask_smorest.Api, name)).encode()).hexdigest()[:16]
        for name in UPSTREAM_FINGERPRINTS
    }
    assert found == UPSTREAM_FINGERPRINTS, "flask-smorest changed a hook fitbud/ext/smorest.py overrides: review it"


def test_upstream_still_calls_each_overridden_hook():
    for hook in UPSTREAM_FINGERPRINTS:
        assert _callers_of(hook), f"flask-smorest no longer calls {hook}: the override in fitbud/ext/smorest.py is dead"
