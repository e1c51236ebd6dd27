"""Pages hold no data access: no SQLAlchemy, no `db`, no API schemas; they call services that return rows."""

import ast
from pathlib import Path

import pytest

PAGES_DIR = Path(__file__).resolve().parents[2] / "dashboards" / "pages"
FORBIDDEN = ("sqlalchemy", "fitbud.extensions", "fitbud.api")
PAGE_FILES = sorted(PAGES_DIR.rglob("*.py"))


def _imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
    return modules


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda path: path.relative_to(PAGES_DIR).as_posix())
def test_a_page_imports_no_data_access(path):
    found = {m for m in _imported_modules(path) if any(m == f or m.startswith(f"{f}.") for f in FORBIDDEN)}
    assert not found, f"{path.name} imports {sorted(found)}: call a service that returns rows instead"
