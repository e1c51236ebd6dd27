"""Every test that expects a 4xx also names why (habit 17): a status-only 4xx assertion in tests/ fails here.

A test asserting `response.status_code == 422` alone passes for any 422, including one for a field
other than the one its name is about. Use `assert_error(response, 422, "field.path")` (or
`message=...`) from tests/helpers.py for the JSON envelope, `assert_page_error(response, 422,
"field")` (or `text=...`) for an HTML page. For the rare justified case, put `# status-only: <why>`
on the assertion (or on a comment line right above it).
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent
MARKER = "# status-only:"


def _is_4xx(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and 400 <= node.value < 500


def _expects_4xx(node: ast.Compare) -> bool:
    """`x.status_code == 404`, `404 == x.status_code` or `x.status_code in (401, 403)`."""
    sides = [node.left, *node.comparators]
    if not any(isinstance(side, ast.Attribute) and side.attr == "status_code" for side in sides):
        return False
    if not all(isinstance(op, ast.Eq | ast.In) for op in node.ops):
        return False
    for side in sides:
        if _is_4xx(side):
            return True
        if isinstance(side, ast.Tuple | ast.List | ast.Set) and any(_is_4xx(element) for element in side.elts):
            return True
    return False


def _names_no_reason(node: ast.Call) -> bool:
    """`assert_error(response, 422)` or `assert_page_error(response, 422)` naming neither a field nor a reason."""
    helper = isinstance(node.func, ast.Name) and node.func.id in ("assert_error", "assert_page_error")
    return helper and len(node.args) < 3 and not any(k.arg in ("field", "message", "text") for k in node.keywords)


def status_only_assertions(source: str) -> list[int]:
    """Line numbers of 4xx assertions in `source` that do not say why, unless marked `# status-only: <why>`."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Compare) and _expects_4xx(node)) or (
            isinstance(node, ast.Call) and _names_no_reason(node)
        ):
            span = lines[node.lineno - 1 : node.end_lineno]
            above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            if above.startswith("#"):  # a comment line right above the assertion counts as its own
                span.append(above)
            if not any(MARKER in line and line.split(MARKER, 1)[1].strip() for line in span):
                found.append(node.lineno)
    return sorted(set(found))


def test_every_4xx_assertion_in_the_tests_names_the_field_or_reason():
    offenders = [
        f"{path.relative_to(TESTS.parent)}:{line}"
        for path in sorted(TESTS.rglob("*.py"))
        for line in status_only_assertions(path.read_text(encoding="utf-8"))
    ]

    assert not offenders, (
        "these assertions check only a 4xx status; use assert_error(response, status, field or message=...) "
        "or assert_page_error(response, status, field or text=...) from tests/helpers.py, "
        f"or mark a justified case `{MARKER} <why>`:\n" + "\n".join(offenders)
    )


def test_the_check_finds_status_only_forms_and_lets_named_ones_through():
    source = "\n".join(
        [
            "assert response.status_code == 422",
            "assert http.get(url).status_code == 404",
            "assert 409 == response.status_code",
            "assert response.status_code in (401, 403)",
            "assert response.status_code == 422 and count == 0",
            "assert_error(response, 422)",
            "body = assert_error(response, 422)",
            "assert_error(response, 422, 'exercises.0.sets')",
            "assert_error(response, 404, message='No such client')",
            "assert_error(response, 422, field='name')",
            "assert_page_error(response, 422, 'email')",
            "assert response.status_code == 200",
            "assert response.status_code == 503",
            "assert response.status_code != 404",
            "assert page.status_code == 401  # status-only: an HTML page, its text is checked below",
            "assert page.status_code == 401  # status-only:",
            "assert_page_error(response, 422)",
            "# status-only: a form page; the message is checked in its HTML",
            "assert page.status_code == 400 and 'expired' in page.text",
            "# a comment that is not the marker",
            "assert page.status_code == 400",
        ]
    )

    assert status_only_assertions(source) == [1, 2, 3, 4, 5, 6, 7, 16, 17, 21]
