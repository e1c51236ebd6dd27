"""The food table API: the built-in foods, search by allergen and diet, trainers' own foods, scaling."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from fitbud.data.foods import ALLERGENS, DIETS, FoodDataError, builtin_foods, validate_records
from fitbud.extensions import db
from fitbud.models import Food
from fitbud.services.foods import macros_for
from tests.factories import FoodFactory
from tests.helpers import assert_error

URL = "/api/v1/foods"


def _builtin(slug: str) -> Food:
    return db.session.execute(select(Food).where(Food.slug == slug)).scalar_one()


def _new(**overrides) -> dict:
    body = {
        "name": "Coach's overnight oats",
        "category": "prepared",
        "kcal": 150,
        "protein_g": 8,
        "carbs_g": 20,
        "fat_g": 4,
        "serving_g": 250,
        "serving": "1 jar",
        "allergens": ["gluten", "milk"],
        "diets": ["vegetarian"],
    }
    body.update(overrides)
    return body


def _every_page(http, headers, query: str = "") -> list[dict]:
    foods, page = [], 1
    while True:
        response = http.get(f"{URL}?page_size=100&page={page}{query}", headers=headers)
        assert response.status_code == 200
        foods += response.json
        if len(response.json) < 100:
            return foods
        page += 1


# ---------------------------------------------------------------- the built-in table


def test_the_built_in_table_has_over_300_foods_each_with_macros_serving_and_tags():
    foods = builtin_foods()
    assert len(foods) >= 300
    assert {allergen for food in foods for allergen in food["allergens"]} == set(ALLERGENS)
    assert {diet for food in foods for diet in food["diets"]} == set(DIETS)


def test_the_data_file_names_its_sources(http, trainer_headers):
    sources = http.get(f"{URL}/vocabulary", headers=trainer_headers).json["sources"]
    assert any("FoodData Central" in source for source in sources) and any("CoFID" in source for source in sources)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"kcal": 900, "protein_g": 1, "carbs_g": 1, "fat_g": 1}, "far from the macros"),
        ({"allergens": ["milk"], "diets": ["vegan"]}, "cannot be vegan"),
        ({"allergens": ["nuts"]}, "outside the vocabulary"),
        ({"protein_g": 60, "carbs_g": 30, "fat_g": 20, "kcal": 540}, "more than 100 g"),
    ],
)
def test_a_data_file_record_that_breaks_a_rule_is_refused(change, problem):
    record = dict(builtin_foods()[0], **change)
    with pytest.raises(FoodDataError, match=problem):
        validate_records([record])


def test_the_migration_loaded_every_built_in(app):
    count = db.session.execute(select(db.func.count()).select_from(Food).where(Food.owner_id.is_(None))).scalar_one()
    assert count == len(builtin_foods())


def test_loading_the_table_again_changes_nothing(runner):
    result = runner.invoke(args=["fitbud", "load-foods"])
    assert result.exit_code == 0 and "0 added, 0 updated" in result.output


# ---------------------------------------------------------------- search


def test_list_is_paginated_and_sorted_by_name(http, client_headers):
    response = http.get(f"{URL}?page_size=10", headers=client_headers)
    names = [food["name"] for food in response.json]
    assert response.status_code == 200 and len(names) == 10 and names == sorted(names, key=str.lower)
    assert json.loads(response.headers["X-Pagination"])["total"] == len(builtin_foods())


def test_search_by_words_in_the_name(http, trainer_headers):
    names = [food["name"] for food in http.get(f"{URL}?q=peanut butter", headers=trainer_headers).json]
    assert names == ["Peanut butter, smooth"]


def test_allergen_free_leaves_out_every_food_with_any_of_those_allergens(http, trainer_headers):
    foods = _every_page(http, trainer_headers, "&allergen_free=peanuts,tree_nuts")
    names = {food["name"] for food in foods}
    assert "Peanut butter, smooth" not in names and "Almonds" not in names and "Trail mix" not in names
    assert "Banana" in names
    assert not any({"peanuts", "tree_nuts"} & set(food["allergens"]) for food in foods)


def test_diet_keeps_only_foods_suiting_every_diet_given(http, trainer_headers):
    foods = _every_page(http, trainer_headers, "&diet=vegan,gluten_free")
    names = {food["name"] for food in foods}
    assert "Tofu, firm" in names and "Chicken breast, grilled, skinless" not in names and "Seitan" not in names
    assert all({"vegan", "gluten_free"} <= set(food["diets"]) for food in foods)


def test_a_client_sees_their_trainers_foods_and_nobody_elses(http, trainer, other_trainer, client_headers):
    FoodFactory(owner=trainer, name="Trainer's protein porridge")
    FoodFactory(owner=other_trainer, name="Someone else's porridge")
    names = [food["name"] for food in http.get(f"{URL}?q=porridge&source=own", headers=client_headers).json]
    assert names == ["Trainer's protein porridge"]


# ---------------------------------------------------------------- a trainer's own foods


def test_a_trainer_adds_a_food_and_finds_it(http, trainer_headers):
    response = http.post(URL, json=_new(), headers=trainer_headers)
    assert response.status_code == 201 and response.json["is_builtin"] is False
    found = http.get(f"{URL}?q=overnight&source=own", headers=trainer_headers).json
    assert [food["id"] for food in found] == [response.json["id"]]


def test_a_second_food_of_the_same_name_is_a_conflict(http, trainer_headers):
    http.post(URL, json=_new(), headers=trainer_headers)
    response = http.post(URL, json=_new(name="COACH'S OVERNIGHT OATS"), headers=trainer_headers)
    assert_error(response, 409, "name")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kcal": -1}, "kcal"),
        ({"protein_g": 101}, "protein_g"),
        ({"category": "sweets"}, "category"),
        ({"allergens": ["nuts"]}, "allergens"),
        ({"diets": ["vegan", "vegan"]}, "diets"),
        ({"name": "   "}, "name"),
        ({"protein_g": 50, "carbs_g": 40, "fat_g": 20}, "fat_g"),
        ({"colour": "beige"}, "colour"),
    ],
)
def test_a_bad_food_is_a_422_naming_the_field(http, trainer_headers, change, field):
    assert_error(http.post(URL, json=_new(**change), headers=trainer_headers), 422, field)


def test_clients_and_admins_cannot_add_foods(http, client_headers, admin_headers):
    assert_error(http.post(URL, json=_new(), headers=client_headers), 403, "role")
    assert_error(http.post(URL, json=_new(), headers=admin_headers), 403, "role")


def test_without_a_login_the_table_is_closed(http):
    assert_error(http.get(URL), 401, message="token")


def test_a_trainer_changes_and_deletes_their_food(http, trainer, trainer_headers):
    food = FoodFactory(owner=trainer)
    response = http.patch(f"{URL}/{food.id}", json={"kcal": 210, "allergens": ["sesame"]}, headers=trainer_headers)
    assert response.status_code == 200 and response.json["kcal"] == 210 and response.json["allergens"] == ["sesame"]
    assert http.delete(f"{URL}/{food.id}", headers=trainer_headers).status_code == 204
    assert_error(http.get(f"{URL}/{food.id}", headers=trainer_headers), 404, message="food not found")


def test_an_empty_change_is_a_422(http, trainer, trainer_headers):
    food = FoodFactory(owner=trainer)
    assert_error(http.patch(f"{URL}/{food.id}", json={}, headers=trainer_headers), 422, "_schema")


def test_built_in_foods_are_read_only(http, trainer_headers):
    food = _builtin("banana")
    assert_error(http.patch(f"{URL}/{food.id}", json={"kcal": 1}, headers=trainer_headers), 403, "food_id")
    assert_error(http.delete(f"{URL}/{food.id}", headers=trainer_headers), 403, "food_id")


def test_another_trainers_food_is_not_found(http, other_trainer, trainer_headers):
    food = FoodFactory(owner=other_trainer)
    assert_error(http.get(f"{URL}/{food.id}", headers=trainer_headers), 404, message="food not found")
    change = http.patch(f"{URL}/{food.id}", json={"kcal": 1}, headers=trainer_headers)
    assert_error(change, 404, message="food not found")
    assert_error(http.delete(f"{URL}/{food.id}", headers=trainer_headers), 404, message="food not found")


def test_an_unknown_food_is_a_404(http, trainer_headers):
    assert_error(http.get(f"{URL}/999999", headers=trainer_headers), 404, message="food not found")


# ---------------------------------------------------------------- scaling


@pytest.mark.parametrize(
    ("slug", "grams", "expected"),
    [
        # Hand-computed from the per-100 g values: value × grams / 100, rounded to 0.1.
        ("rolled-oats-dry", 40, {"kcal": 151.6, "protein_g": 5.3, "carbs_g": 27.1, "fat_g": 2.6}),
        ("chicken-breast-grilled-skinless", 150, {"kcal": 247.5, "protein_g": 46.5, "carbs_g": 0.0, "fat_g": 5.4}),
        ("peanut-butter-smooth", 32, {"kcal": 188.2, "protein_g": 8.0, "carbs_g": 6.4, "fat_g": 16.1}),
    ],
)
def test_energy_and_macros_scale_with_the_quantity(app, slug, grams, expected):
    assert macros_for(_builtin(slug), grams) == expected
