"""Schema names in the document are unique as SDK generators see them, so no model is dropped or shadowed."""

from __future__ import annotations

import pytest

# Names openapi-python-client gives its own classes: a model of the same name shadows them.
GENERATOR_NAMES = {"Client", "AuthenticatedClient", "Response", "Unset", "File", "Errors"}


@pytest.fixture
def schemas(http) -> dict[str, dict]:
    return http.get("/api/openapi.json").json["components"]["schemas"]


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def test_no_schema_takes_a_name_sdk_generators_use(schemas):
    assert GENERATOR_NAMES & set(schemas) == set()


def test_no_inline_object_property_is_named_like_a_schema(schemas):
    # A generator names an inline object property <Schema><Property>: it must not be a schema's name.
    clashes = []
    for name, schema in schemas.items():
        for prop, definition in schema.get("properties", {}).items():
            inline_object = definition.get("type") == "object" and "$ref" not in definition
            if inline_object and f"{name}{_pascal(prop)}" in schemas:
                clashes.append(f"{name}.{prop}")

    assert clashes == []


def test_check_in_measurements_are_one_schema_in_and_out(schemas):
    assert schemas["CheckIn"]["properties"]["measurements"] == {"$ref": "#/components/schemas/CheckInMeasurements"}
