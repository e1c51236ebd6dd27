"""LeanSchema dumps exactly what marshmallow's own dump gives, for ORM objects, mappings and lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import marshmallow as ma
from flask_jwt_extended import current_user, verify_jwt_in_request
from marshmallow import fields

from fitbud.api.clients.schemas import ClientListItemSchema, ClientProfileSchema
from fitbud.api.lean_schema import LeanSchema
from fitbud.extensions import db
from fitbud.models import ClientGoal, Sex
from fitbud.services import clients
from tests.factories import ClientFactory


def _marshmallow_dump(schema: ma.Schema, obj, many: bool = False):
    """The reference: marshmallow's own per-field serialization of the same schema instance."""
    return ma.Schema._serialize(schema, obj, many=many)


def test_clients_dump_as_marshmallow_does_in_the_callers_units(app, trainer, trainer_headers):
    ClientFactory(trainer=trainer, with_login=True, goals=[ClientGoal.STRENGTH], height_cm=181.5, sex=Sex.MALE)
    ClientFactory(trainer=trainer, tags=["vip"], date_of_birth=date(1990, 5, 1), starting_weight_kg=None)
    trainer.unit_system = "imperial"
    db.session.commit()
    with app.test_request_context(headers=trainer_headers):
        verify_jwt_in_request()
        listed = db.session.execute(clients.list_clients(trainer)).all()
        schema = ClientListItemSchema(many=True)
        dumped = schema.dump(listed)
        assert dumped == _marshmallow_dump(schema, listed, many=True)
        assert dumped[0]["units"]["system"] == "imperial"
        detail = ClientProfileSchema()
        for client in listed:
            full = clients.get_client(trainer, client.id)
            assert detail.dump(full) == _marshmallow_dump(detail, full)


@dataclass
class _Row:
    name: str | None
    count: int | bool
    ratio: float | int | None
    flag: bool | None
    when: datetime | None
    nested: dict | None
    label: str = "x"
    count_text: int = 4


class _Inner(LeanSchema):
    a = fields.Integer()


class _Sample(LeanSchema):
    name = fields.String(allow_none=True)
    count = fields.Integer()
    count_text = fields.Integer(as_string=True)
    ratio = fields.Float(allow_none=True)
    flag = fields.Boolean(allow_none=True)
    when = fields.AwareDateTime(format="iso", default_timezone=UTC, allow_none=True)
    nested = fields.Nested(_Inner, allow_none=True)
    renamed = fields.String(attribute="label", data_key="Label")
    computed = fields.Function(lambda row: f"{getattr(row, 'name', None)}!")
    absent = fields.String(dump_default="default")
    absent_no_default = fields.String()


def test_values_of_other_types_go_through_the_fields_serializer():
    rows = [
        _Row("a", 3, 1, True, datetime(2026, 1, 2, 3, 4, tzinfo=UTC), {"a": "7"}),
        _Row(None, True, None, None, None, None),
        _Row("b", 0, 2.5, False, datetime(2026, 1, 2, tzinfo=UTC), {"a": 1}),
    ]
    schema = _Sample()
    assert schema.dump(rows, many=True) == _marshmallow_dump(schema, rows, many=True)
    assert schema.dump(rows[1]) == {
        "name": None, "count": 1, "count_text": "4", "ratio": None, "flag": None, "when": None,
        "nested": None, "Label": "x", "computed": "None!", "absent": "default",
    }


def test_mappings_use_marshmallows_lookup():
    mapping = {"name": "m", "count": 2, "ratio": 0.5, "flag": True, "when": None, "nested": {"a": 3}, "label": "y"}
    schema = _Sample()
    assert schema.dump(mapping) == _marshmallow_dump(schema, mapping)
    assert schema.dump(None) == _marshmallow_dump(schema, None)


def test_plain_dicts_dump_as_marshmallow_does_with_keys_missing_or_none():
    rows = [
        {"name": "m", "count": 2, "ratio": 0.5, "flag": True, "when": datetime(2026, 1, 2, tzinfo=UTC),
         "nested": {"a": "3"}, "label": "y", "count_text": 5},
        {"name": None, "count": True, "ratio": None},
        {},
    ]
    schema = _Sample()
    assert schema.dump(rows, many=True) == _marshmallow_dump(schema, rows, many=True)
    assert schema.dump(rows[2]) == {"computed": "None!", "absent": "default"}


def test_progress_dumps_as_marshmallow_does(http, client_record, trainer_headers, client_headers):
    from fitbud.api.progress.schemas import ProgressSchema
    from fitbud.services.progress import trainer_progress

    for days_ago, kg in ((9, 81.0), (3, 80.2), (0, 79.9)):
        day = (date.today() - timedelta(days=days_ago)).isoformat()
        logged = http.post("/api/v1/me/body-metrics", headers=client_headers,
                           json={"measured_on": day, "metric": "weight", "value": kg})
        assert logged.status_code == 201
    with http.application.test_request_context(headers=trainer_headers):
        verify_jwt_in_request()
        report = trainer_progress(current_user, client_record.id)
        schema = ProgressSchema()
        assert schema.dump(report) == _marshmallow_dump(schema, report)
        assert len(schema.dump(report)["weight"]) == 3


# Upstream code LeanSchema replaces or relies on, as of the pinned minor version (sha256 of the source).
UPSTREAM_FINGERPRINTS = {
    "Schema._serialize": "a7f7cb3e7de3bc41",
    "Schema.get_attribute": "677cb9479a1ab5a3",
    "Field.serialize": "0578e860c0a0f521",
    "utils.get_value": "d1fefa9585b256ed",
}


def _upstream_fingerprints() -> dict[str, str]:
    import hashlib
    import inspect

    from marshmallow import utils

    sources = {
        "Schema._serialize": ma.Schema._serialize,
        "Schema.get_attribute": ma.Schema.get_attribute,
        "Field.serialize": fields.Field.serialize,
        "utils.get_value": utils.get_value,
    }
    return {name: hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:16] for name, obj in sources.items()}


def test_marshmallow_is_the_minor_version_lean_schema_was_checked_against():
    import importlib.metadata
    import pathlib
    import tomllib

    from fitbud.api.lean_schema import TESTED_MARSHMALLOW

    installed = importlib.metadata.version("marshmallow")
    assert installed.split(".")[:2] == TESTED_MARSHMALLOW.split("."), (
        f"marshmallow {installed}: check fitbud/api/lean_schema.py against it before moving the pin"
    )
    project = tomllib.loads((pathlib.Path(__file__).parents[2] / "pyproject.toml").read_text())
    major, minor = TESTED_MARSHMALLOW.split(".")
    assert f"marshmallow>={major}.{minor},<{major}.{int(minor) + 1}" in project["project"]["dependencies"]


def test_the_upstream_code_lean_schema_stands_in_for_is_unchanged():
    assert _upstream_fingerprints() == UPSTREAM_FINGERPRINTS, (
        "marshmallow's serialization path changed: compare fitbud/api/lean_schema.py with it, then update these"
    )


def test_fields_still_say_whether_they_read_an_attribute():
    # LeanSchema reads the attribute itself only for fields that ask marshmallow to (Function and
    # Method fields set this False and go the full way).
    assert fields.Field._CHECK_ATTRIBUTE is True
    assert fields.Function._CHECK_ATTRIBUTE is False and fields.Method._CHECK_ATTRIBUTE is False
