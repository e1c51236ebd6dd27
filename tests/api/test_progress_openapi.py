"""The progress, logs and feed endpoints are documented in a valid OpenAPI document."""

from openapi_spec_validator import validate


def test_openapi_document_is_valid_and_lists_progress_endpoints(http):
    spec = http.get("/api/openapi.json").json
    validate(spec)
    for path in (
        "/api/v1/me/workout-logs",
        "/api/v1/me/body-metrics/import",
        "/api/v1/me/streaks",
        "/api/v1/me/progress",
        "/api/v1/clients/{client_id}/progress",
        "/api/v1/clients/{client_id}/records",
        "/api/v1/clients/{client_id}/check-ins/{check_in_id}/reply",
        "/api/v1/feed",
    ):
        assert path in spec["paths"], path
    create = spec["paths"]["/api/v1/me/workout-logs"]["post"]
    assert {"$ref": "#/components/parameters/IdempotencyKey"} in create["parameters"]
    assert spec["components"]["parameters"]["IdempotencyKey"]["name"] == "Idempotency-Key"


def test_my_progress_is_documented_like_the_trainers(http):
    spec = http.get("/api/openapi.json").json
    mine = spec["paths"]["/api/v1/me/progress"]["get"]
    theirs = spec["paths"]["/api/v1/clients/{client_id}/progress"]["get"]
    query = {p["name"] for p in mine["parameters"] if p["in"] == "query"}
    assert query == {p["name"] for p in theirs["parameters"] if p["in"] == "query"} == {"from", "to"}
    assert mine["responses"]["200"]["content"] == theirs["responses"]["200"]["content"]
    assert {"401", "403", "404"} <= set(mine["responses"])
