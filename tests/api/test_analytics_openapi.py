"""The stats and report endpoints are documented in a valid OpenAPI document."""

from openapi_spec_validator import validate


def test_openapi_documents_stats_and_reports(http):
    spec = http.get("/api/openapi.json").get_json()
    validate(spec)
    for path in ("/api/v1/stats/trainer", "/api/v1/admin/stats", "/api/v1/reports", "/api/v1/reports/{report_id}",
                 "/api/v1/reports/{report_id}/download"):
        assert path in spec["paths"]
    post = spec["paths"]["/api/v1/reports"]["post"]
    assert "202" in post["responses"] and post["security"] == [{"bearerAuth": []}]
