"""Shared input shapes: a bad input is a 422 whose errors name each field by its dotted path."""

from __future__ import annotations

import pytest

from fitbud.errors import InvalidInputError
from fitbud.services import inputs


def test_nested_errors_are_keyed_by_dotted_path():
    payload = {
        "client_id": 1,
        "starts_at": "2026-03-02T09:00:00+00:00",
        "duration_minutes": 2,
        "type": "in_person",
        "recurrence": {"count": 0},
    }
    with pytest.raises(InvalidInputError) as raised:
        inputs.load(inputs.SeriesCreateSchema, payload)
    assert set(raised.value.errors) == {"duration_minutes", "recurrence.count"}


def test_the_message_lists_the_bad_fields_in_words():
    with pytest.raises(InvalidInputError) as raised:
        inputs.load(inputs.WorkingHoursCreateSchema, {"weekday": 1, "start_time": "9am", "end_time": "17:00"})
    assert raised.value.message == "start time: Not a valid time."


def test_a_good_input_is_loaded_into_python_values():
    data = inputs.load(inputs.PlanCreateSchema, {"kind": "diet", "name": "  Cut  ", "tags": ["a"], "content": {}})
    assert data["name"] == "Cut" and data["kind"].value == "diet"


def test_a_blank_tag_is_named_by_its_index():
    with pytest.raises(InvalidInputError) as raised:
        inputs.load(inputs.PlanUpdateSchema, {"tags": ["ok", " "]})
    assert raised.value.errors == {"tags.1": ["Must not be blank."]}


def test_out_of_range_names_each_value_the_database_or_the_calendar_cannot_take():
    from datetime import date

    from fitbud.services.inputs import out_of_range

    loaded = {"page": 2**31, "items": [{"weight": float("inf")}, {"on": date(1, 1, 1)}], "ok": 2**31 - 1}

    assert out_of_range(loaded, {"page": "page_number"}) == {
        "page_number": ["Must be between -2147483648 and 2147483647."],
        "items.0.weight": ["Must be a finite number."],
        "items.1.on": ["Must be between 1900-01-01 and 2200-12-31."],
    }


def test_out_of_range_looks_at_a_loaded_objects_public_attributes_once_even_in_a_cycle():
    from fitbud.services.inputs import out_of_range

    class Loaded:
        def __init__(self):
            self.page = 10**20
            self.me = self
            self._private = 10**20

    assert out_of_range(Loaded()) == {"page": ["Must be between -2147483648 and 2147483647."]}
