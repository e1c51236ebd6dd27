"""Output schemas that dump long lists cheaply: the same fields and JSON, less marshmallow plumbing per value.

marshmallow serializes each value through Field.serialize -> get_value -> Schema.get_attribute ->
utils.get_value -> _serialize: five calls for what is usually `getattr` and, for a str, int, bool or
float, nothing else. A 50-row page of 18 fields is ~900 such chains, and was most of the client
list's time. `LeanSchema` plans each field once per schema instance and then, per value, reads the
attribute and either passes it through (a plain field whose value already has the output type),
calls the field's own `_serialize` (dates, enums, nested schemas, unit conversions), or - for
anything it cannot prove equivalent (Function/Method fields, dotted attributes, missing values,
a schema with its own `get_attribute`) - falls back to marshmallow's full path. The output is
therefore marshmallow's output; tests/api/test_lean_schema.py compares the two.

It overrides a private method (Schema._serialize) and relies on marshmallow's per-field path
(Field.serialize, Field._CHECK_ATTRIBUTE, Schema.get_attribute, utils.get_value) staying what it
was, so pyproject.toml pins marshmallow to the minor version below and
tests/api/test_lean_schema.py fails when any of that upstream code changes: read the new code,
check LeanSchema against it, then update the pin and the fingerprints there. It stays because it
beats the noise: 0.3-0.7 ms on a 50-row page (bench/overrides.py, bench/RESULTS.md 2026-12-07).
"""

from __future__ import annotations

import functools
from typing import Any

import marshmallow as ma
from marshmallow import fields, missing
from sqlalchemy import Row

# Field classes (exactly these, not subclasses that may override _serialize) whose _serialize
# returns a value of one of these types, and None, unchanged.
_PASS_THROUGH: dict[type[fields.Field], tuple[type, ...]] = {
    fields.String: (str,),
    fields.Integer: (int,),
    fields.Float: (float,),
    fields.Boolean: (bool,),
    fields.Raw: (str, int, float, bool),
}
# The marshmallow minor version this module was checked against (pyproject.toml pins it).
TESTED_MARSHMALLOW = "4.4"
_FULL = 0  # marshmallow's Field.serialize
_CALL = 1  # getattr, then the field's _serialize
_PASS = 2  # getattr; the value itself when of the pass-through types, else the field's _serialize


def _plan_for(field: fields.Field) -> tuple[int, tuple[type, ...]]:
    if not field._CHECK_ATTRIBUTE or (field.attribute and "." in field.attribute):
        return _FULL, ()
    passing = _PASS_THROUGH.get(type(field))
    if passing is not None and not getattr(field, "as_string", False):
        return _PASS, passing
    return _CALL, ()


class LeanSchema(ma.Schema):
    """An output schema whose dump skips marshmallow's per-value indirections (same output)."""

    _lean_plan: list[tuple[str, str, str, fields.Field, int, tuple[type, ...]]] | None = None

    def _plan(self) -> list[tuple[str, str, str, fields.Field, int, tuple[type, ...]]]:
        plan = self._lean_plan
        if plan is None:
            own_accessor = type(self).get_attribute is not ma.Schema.get_attribute
            plan = []
            for attr_name, field in self.dump_fields.items():
                kind, passing = (_FULL, ()) if own_accessor else _plan_for(field)
                out_key = field.data_key if field.data_key is not None else attr_name
                plan.append((attr_name, out_key, field.attribute or attr_name, field, kind, passing))
            self._lean_plan = plan
        return plan

    def _serialize(self, obj: Any, *, many: bool = False):
        if obj is None:
            return super()._serialize(obj, many=many)
        plan = self._plan()
        if many:
            return [self._one(item, plan) for item in obj]
        return self._one(obj, plan)

    def _one(self, obj: Any, plan) -> dict[str, Any]:
        if type(obj) is dict:
            # A plain dict: marshmallow reads obj[key] first, which is what .get does when present.
            read = obj.get
        elif isinstance(obj, Row) or not hasattr(type(obj), "__getitem__"):
            # Objects by attribute. (A SQLAlchemy Row is a sequence, but its columns are attributes.)
            read = functools.partial(getattr, obj)
        else:
            # Other mappings and sequences: marshmallow's own key-then-attribute lookup.
            return super()._serialize(obj, many=False)
        result = self.dict_class()
        for attr_name, out_key, key, field, kind, passing in plan:
            if kind == _FULL:
                value = field.serialize(attr_name, obj, accessor=self.get_attribute)
                if value is missing:
                    continue
            else:
                value = read(key, missing)
                if value is missing:
                    value = field.serialize(attr_name, obj, accessor=self.get_attribute)
                    if value is missing:
                        continue
                elif kind == _CALL or not (value is None or type(value) in passing):
                    value = field._serialize(value, attr_name, obj)
            result[out_key] = value
        return result
