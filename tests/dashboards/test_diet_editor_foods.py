"""The diet editor and the food table: items named like a food get its values, and are saved as references."""

from __future__ import annotations

from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import Food
from tests.dashboards.helpers import UPDATE_URL, csrf_header, login
from tests.dashboards.test_plans_schedule import _dep, _sid, dumps, fields_of, save

ITEM = "days.0.meals.0.items.0"


def _diet(food: str, quantity: float, unit: str) -> dict:
    item = {"food": food, "quantity": quantity, "unit": unit, "kcal": 0, "protein": 0, "carbs": 0, "fat": 0}
    return {"days": [{"name": "Every day", "meals": [{"name": "Breakfast", "time": "08:00", "items": [item]}]}]}


def _values(food: str, quantity: float, unit: str) -> dict:
    return {f"{ITEM}.food": food, f"{ITEM}.quantity": quantity, f"{ITEM}.unit": unit} | {
        f"{ITEM}.{macro}": 0 for macro in ("kcal", "protein", "carbs", "fat")
    }


def _fill(http, values: dict, changed: str) -> dict:
    draft = {"plan_id": None, "kind": "diet", "version": None, "content": _diet("", 100, "g")}
    ids_state, value_state = fields_of(values)
    changed_id = next(dep["id"] for dep in ids_state if dep["id"]["path"] == changed)
    keys = [key for key in http.application.extensions["fitbud.dash"].callback_map if '"pe-f"}.value@' in key]
    assert len(keys) == 1, keys
    body = {
        "output": keys[0],
        "outputs": [{"id": dep["id"], "property": "value"} for dep in ids_state],
        "inputs": [value_state],
        "state": [ids_state, _dep("pe-draft", "data", draft)],
        "changedPropIds": [_sid(changed_id) + ".value"],
    }
    return http.post(UPDATE_URL, json=body, headers=csrf_header(http))


def _filled(response) -> dict:
    """The values the callback wrote, by field path."""
    assert response.status_code == 200, response.get_data(as_text=True)
    return {
        key.split('"path":"')[1].split('"')[0]: value["value"] for key, value in response.get_json()["response"].items()
    }


def test_naming_a_table_food_fills_its_values_for_the_quantity(http, trainer):
    login(http, trainer.email)

    response = _fill(http, _values("Rolled oats, dry", 60, "g"), f"{ITEM}.food")

    assert _filled(response) == {
        f"{ITEM}.kcal": 227.4,
        f"{ITEM}.protein": 7.9,
        f"{ITEM}.carbs": 40.6,
        f"{ITEM}.fat": 3.9,
    }


def test_a_quantity_in_servings_scales_from_the_serving(http, trainer):
    login(http, trainer.email)

    response = _fill(http, _values("Almonds", 2, "serving"), f"{ITEM}.quantity")

    assert _filled(response)[f"{ITEM}.kcal"] == 347.4


def test_a_name_not_in_the_table_changes_nothing(http, trainer):
    login(http, trainer.email)

    response = _fill(http, _values("Grandma's stew", 1, "g"), f"{ITEM}.food")

    assert response.status_code == 204


def test_saving_links_a_named_food_and_the_table_gives_its_values(http, trainer):
    login(http, trainer.email)
    draft = {"plan_id": None, "kind": "diet", "version": None, "content": _diet("rolled oats, DRY", 120, "g")}

    body = save(http, draft, _values("rolled oats, DRY", 120, "g") | {f"{ITEM}.kcal": 5}, name="Oats").get_json()

    item = body["response"]["pe-draft"]["data"]["content"]["days"][0]["meals"][0]["items"][0]
    oats = db.session.execute(select(Food.id).where(Food.slug == "rolled-oats-dry")).scalar_one()
    assert item["food_id"] == oats and item["food"] == "Rolled oats, dry" and item["kcal"] == 454.8
    assert "From the food table" in dumps(body["response"]["pe-form"])


def test_an_item_in_cups_stays_a_typed_item(http, trainer):
    login(http, trainer.email)
    draft = {"plan_id": None, "kind": "diet", "version": None, "content": _diet("Whole milk", 1, "cup")}
    values = _values("Whole milk", 1, "cup") | {f"{ITEM}.kcal": 150, f"{ITEM}.protein": 8}

    body = save(http, draft, values, name="Milk").get_json()

    item = body["response"]["pe-draft"]["data"]["content"]["days"][0]["meals"][0]["items"][0]
    assert "food_id" not in item and item["kcal"] == 150
