"""Every API endpoint refuses a query parameter it does not declare (422), and accepts those it does."""

from __future__ import annotations

import re

import pytest

from fitbud.api.query_params import _declared_names, operation_of
from tests.factories import ClientFactory
from tests.helpers import assert_envelope, assert_error

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/clients?pagesize=50",  # paginated, with its own arguments
        "/api/v1/clients/{client_id}?expand=plans",  # no query arguments at all
        "/api/v1/sessions?from=2026-03-02T00:00:00Z&to=2026-03-09T00:00:00Z&clientId=1",  # arguments and paging
        "/api/v1/feed?limit=5&since=yesterday",  # cursor paging
        "/api/v1/users/me?_=1733345000",
    ],
    ids=["list", "detail", "sessions", "feed", "cache-buster"],
)
def test_an_unknown_query_parameter_is_422_naming_it(http, trainer, trainer_headers, url):
    client = ClientFactory(trainer=trainer)

    response = http.get(url.format(client_id=client.id), headers=trainer_headers)

    (name,) = assert_envelope(response, 422)["errors"]
    assert f"{name}=" in url and assert_error(response, 422, name)["errors"] == {name: ["Unknown field."]}


def test_declared_parameters_still_work(http, trainer, trainer_headers):
    ClientFactory.create_batch(3, trainer=trainer)

    listed = http.get("/api/v1/clients?page=1&page_size=2&sort=name&is_active=true", headers=trainer_headers)
    week = http.get("/api/v1/sessions?from=2026-03-02T00:00:00Z&to=2026-03-09T00:00:00Z&page_size=5",
                    headers=trainer_headers)

    assert listed.status_code == 200 and len(listed.json) == 2
    assert week.status_code == 200, week.json


def test_routes_outside_the_api_are_left_alone(http):
    assert http.get("/login?next=/dashboard/&utm_source=mail").status_code == 200


def test_what_the_check_accepts_is_exactly_what_the_document_lists(app, http):
    spec = http.get("/api/openapi.json").json
    checked = 0
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = operation_of(rule.endpoint, method)
            declared = _declared_names(operation) if operation is not None else None
            if declared is None:
                continue
            documented = spec["paths"][path][method.lower()].get("parameters", [])
            # ($ref parameters are headers: the Idempotency-Key.)
            assert declared == {p["name"] for p in documented if p.get("in") == "query"}, (path, method)
            checked += 1
    assert checked > 50


def test_a_query_parameter_of_an_idempotent_operation_is_read(http, trainer_headers):
    # An idempotent operation also lists the shared Idempotency-Key parameter, by name.
    body = {"goal": "general_fitness", "experience": "beginner", "days_per_week": 3, "session_minutes": 45}

    response = http.post("/api/v1/plans/generate?save=false", json=body, headers=trainer_headers)

    assert response.status_code == 200, response.get_data(as_text=True)[:300]
