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



MUTATORS = {"append", "add", "clear", "extend", "insert", "pop", "popitem", "remove", "setdefault", "update"}


def _state_kept(path: Path) -> set[str]:
    """Module-level names that a function writes to (item assignment, a mutating method, `global`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module_names = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    written: set[str] = set()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        local = {arg.arg for arg in function.args.args + function.args.kwonlyargs}
        for node in ast.walk(function):
            if isinstance(node, ast.Global):
                written.update(node.names)
            elif isinstance(node, ast.Assign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        local.add(target.id)
                    elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                        written.add(target.value.id)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in MUTATORS
                and isinstance(node.func.value, ast.Name)
            ):
                written.add(node.func.value.id)
        written -= local
    return written & module_names


@pytest.mark.parametrize("path", MODULES, ids=[path.stem for path in MODULES])
def test_no_analytics_module_keeps_state_between_calls(path):
    # A module-level dict a function fills is a cache or a registry: it belongs to the service
    # layer, which owns caching (services/versioned_cache.py) and the process's memos.
    assert not _state_kept(path), f"{path.name} writes to module-level {sorted(_state_kept(path))}"
