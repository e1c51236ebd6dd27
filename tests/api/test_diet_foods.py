"""Diet plan items that name a food of the table: energy and macros computed from it, rescaled with the quantity."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import Food
from tests.factories import FoodFactory
from tests.helpers import assert_error

URL = "/api/v1/plans"


def _food_id(slug: str) -> int:
    return db.session.execute(select(Food.id).where(Food.slug == slug)).scalar_one()


def _diet(items: list[dict]) -> dict:
    return {"days": [{"name": "Every day", "meals": [{"name": "Breakfast", "time": "08:00", "items": items}]}]}


def _create(http, headers, items: list[dict]):
    return http.post(URL, json={"kind": "diet", "name": "Food table diet", "content": _diet(items)}, headers=headers)


def _items(response) -> list[dict]:
    return response.json["content"]["days"][0]["meals"][0]["items"]


# Per 100 g (fitbud/data/foods.json): oats 379 kcal, 13.2 P, 67.7 C, 6.5 F; almonds 579 kcal,
# 21.2 P, 21.6 C, 49.9 F, a 30 g serving; whole milk 61 kcal, 3.2 P, 4.8 C, 3.3 F.
@pytest.mark.parametrize(
    ("slug", "quantity", "unit", "expected"),
    [
        # 60 g: x 0.6
        ("rolled-oats-dry", 60, "g", {"kcal": 227.4, "protein": 7.9, "carbs": 40.6, "fat": 3.9}),
        # 2 servings = 60 g: x 0.6
        ("almonds", 2, "serving", {"kcal": 347.4, "protein": 12.7, "carbs": 13.0, "fat": 29.9}),
        # 200 g: x 2
        ("whole-milk", 200, "g", {"kcal": 122.0, "protein": 6.4, "carbs": 9.6, "fat": 6.6}),
    ],
)
def test_an_items_energy_and_macros_come_from_the_food_table(http, trainer_headers, slug, quantity, unit, expected):
    response = _create(http, trainer_headers, [{"food_id": _food_id(slug), "quantity": quantity, "unit": unit}])

    assert response.status_code == 201, response.json
    item = _items(response)[0]
    assert {macro: item[macro] for macro in expected} == expected
    assert item["food"] == db.session.get(Food, _food_id(slug)).name


def test_changing_the_quantity_rescales_the_macros(http, trainer_headers):
    oats = {"food_id": _food_id("rolled-oats-dry"), "quantity": 60, "unit": "g"}
    plan = _create(http, trainer_headers, [oats]).json

    response = http.patch(
        f"{URL}/{plan['id']}", json={"content": _diet([{**oats, "quantity": 120, "kcal": 1}])}, headers=trainer_headers
    )

    assert response.status_code == 200
    # Twice the grams, twice the values; a kcal sent with the item does not override the table.
    assert {k: _items(response)[0][k] for k in ("kcal", "protein", "carbs", "fat")} == {
        "kcal": 454.8,
        "protein": 15.8,
        "carbs": 81.2,
        "fat": 7.8,
    }


def test_items_without_a_food_keep_their_own_values(http, trainer_headers):
    typed = {
        "food": "Grandma's stew",
        "quantity": 1,
        "unit": "bowl",
        "kcal": 450,
        "protein": 30,
        "carbs": 40,
        "fat": 15,
    }
    milk = {"food_id": _food_id("whole-milk"), "quantity": 200, "unit": "g"}

    response = _create(http, trainer_headers, [typed, milk])

    assert response.status_code == 201
    assert _items(response)[0] == typed
    assert response.json["totals"][0]["totals"]["kcal"] == 572.0


def test_the_trainers_own_food_may_be_named(http, trainer, trainer_headers):
    food = FoodFactory(owner=trainer, kcal=150, protein_g=8, carbs_g=20, fat_g=4, serving_g=250)

    response = _create(http, trainer_headers, [{"food_id": food.id, "quantity": 1, "unit": "serving"}])

    assert response.status_code == 201
    assert _items(response)[0]["kcal"] == 375.0


def test_an_unknown_food_is_refused(http, trainer_headers):
    response = _create(http, trainer_headers, [{"food_id": 999999, "quantity": 100, "unit": "g"}])

    assert_error(response, 422, "content.days.0.meals.0.items.0.food_id")


def test_another_trainers_food_is_refused(http, trainer_headers, other_trainer):
    theirs = FoodFactory(owner=other_trainer)

    response = _create(http, trainer_headers, [{"food_id": theirs.id, "quantity": 100, "unit": "g"}])

    assert_error(response, 422, "content.days.0.meals.0.items.0.food_id")


def test_a_food_item_in_cups_is_refused(http, trainer_headers):
    response = _create(http, trainer_headers, [{"food_id": _food_id("whole-milk"), "quantity": 1, "unit": "cup"}])

    assert_error(response, 422, "content.days.0.meals.0.items.0.unit")


def test_an_item_without_a_food_must_give_its_values(http, trainer_headers):
    response = _create(http, trainer_headers, [{"food": "Stew", "quantity": 1, "unit": "bowl", "kcal": 400}])

    assert_error(
        response,
        422,
        (
            "content.days.0.meals.0.items.0.protein",
            "content.days.0.meals.0.items.0.carbs",
            "content.days.0.meals.0.items.0.fat",
        ),
    )


def test_a_food_id_that_is_not_a_number_is_refused(http, trainer_headers):
    response = _create(http, trainer_headers, [{"food_id": "12", "quantity": 100, "unit": "g"}])

    assert_error(response, 422, "content.days.0.meals.0.items.0.food_id")
