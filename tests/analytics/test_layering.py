"""analytics/ stays pure: only queries.py talks to the database, and nothing reads Flask or imports a service."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import fitbud.analytics

ANALYTICS = Path(fitbud.analytics.__file__).parent
MODULES = sorted(path for path in ANALYTICS.glob("*.py") if path.name != "__init__.py")


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=[path.stem for path in MODULES])
def test_no_analytics_module_imports_flask_or_a_service(path):
    bad = {name for name in _imported(path) if name.split(".")[0] == "flask" or name.startswith("fitbud.services")}
    assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", MODULES, ids=[path.stem for path in MODULES])
def test_only_the_query_module_reaches_the_database(path):
    reaches = "fitbud.extensions" in _imported(path) or "db.session" in path.read_text(encoding="utf-8")
    assert reaches == (path.name == "queries.py"), f"{path.name} {'runs' if reaches else 'does not run'} SQL"
