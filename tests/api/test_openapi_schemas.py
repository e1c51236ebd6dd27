"""Schema names in the document are unique as SDK generators see them, so no model is dropped or shadowed."""

from __future__ import annotations

import re

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


def _inline_enums(node, where=""):
    """(place, values) of every enum that is not itself a components schema."""
    if isinstance(node, dict):
        if "enum" in node and not re.fullmatch(r"/components/schemas/[^/]+", where):
            yield where, frozenset(value for value in node["enum"] if value is not None)
        for key, value in node.items():
            yield from _inline_enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _inline_enums(value, f"{where}/{index}")


def test_each_set_of_values_used_twice_is_declared_once_as_a_schema(http):
    places: dict[frozenset, list[str]] = {}
    for where, values in _inline_enums(http.get("/api/openapi.json").json):
        places.setdefault(values, []).append(where)

    assert [found for found in places.values() if len(found) > 1] == []


def test_a_shared_enum_is_referred_to_and_keeps_null_on_the_property(schemas):
    assert schemas["Sex"] == {"type": "string", "enum": ["female", "male", "other"]}
    assert schemas["ClientProfile"]["properties"]["sex"] == {
        "allOf": [{"$ref": "#/components/schemas/Sex"}],
        "nullable": True,
    }


@pytest.mark.parametrize("text", ["07:30", "7:30", "23:59", "00:00", "24:00", "07:60", "07:30:00", "0730", ""])
def test_the_documented_time_pattern_accepts_exactly_what_the_server_parses(schemas, text):
    import marshmallow as ma

    from fitbud.services.inputs import ClockTime

    pattern = schemas["WorkingHoursCreate"]["properties"]["start_time"]["pattern"]
    try:
        ClockTime().deserialize(text)
        parsed = True
    except ma.ValidationError:
        parsed = False

    assert bool(re.search(pattern, text)) == parsed


def test_lists_that_refuse_repeats_say_so(schemas):
    assert schemas["FoodCreate"]["properties"]["allergens"]["uniqueItems"] is True
    assert schemas["ClientCreate"]["properties"]["allergies"]["uniqueItems"] is True
