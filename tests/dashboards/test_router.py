"""The router: path templates, roles, and imports that point one way inside dashboards/."""

import ast
from pathlib import Path

import pytest

from dashboards.page import match
from dashboards.router import pages, resolve
from fitbud.auth.roles import Role

PAGES_DIR = Path(__file__).resolve().parents[2] / "dashboards" / "pages"


@pytest.mark.parametrize(
    ("template", "path", "captured"),
    [
        ("", "", {}),
        ("clients", "clients", {}),
        ("clients/<client_id>", "clients/12", {"client_id": "12"}),
        ("clients/<client_id>", "clients", None),
        ("clients/<client_id>", "clients/12/more", None),
        ("clients", "client", None),
        ("plans/<plan_id>", "plans/new", {"plan_id": "new"}),
    ],
)
def test_a_template_captures_its_segments(template, path, captured):
    assert match(template, path) == captured


@pytest.mark.parametrize(
    ("path", "name", "captured"),
    [
        ("", "Overview", {}),
        ("clients", "Clients", {}),
        ("clients/7", "Client profile", {"client_id": "7"}),
        ("plans", "Plans", {}),
        ("plans/new", "Plans", {"plan_id": "new"}),
        ("profile", "Profile", {}),
    ],
)
def test_a_trainer_path_resolves_to_its_page(path, name, captured):
    route = resolve(path, Role.TRAINER)
    assert (route.page.name, route.captured) == (name, captured)


def test_pages_outside_the_role_do_not_resolve():
    assert resolve("platform", Role.TRAINER) is None
    assert resolve("clients/7", Role.ADMIN) is None
    assert resolve("", Role.ADMIN).page.name == "Platform"  # the role's first page
    assert resolve("nowhere", Role.TRAINER) is None
    assert resolve("", None) is None


def test_every_page_module_has_one_page_in_the_registry():
    modules = {path.stem for path in PAGES_DIR.glob("*.py") if path.stem != "__init__"}
    modules |= {path.name for path in PAGES_DIR.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    registered = {page.register_callbacks.__module__.split(".")[2] for page in pages()}
    assert registered == modules


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


PAGE_FILES = sorted(PAGES_DIR.rglob("*.py"))


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda path: path.relative_to(PAGES_DIR).as_posix())
def test_pages_import_neither_the_router_nor_other_pages(path):
    package = path.relative_to(PAGES_DIR).parts[0].removesuffix(".py")
    own = f"dashboards.pages.{package}"
    imports = _imports(path)
    assert "dashboards.router" not in imports
    others = {name for name in imports if name.startswith("dashboards.pages.") and not name.startswith(own)}
    assert not others
