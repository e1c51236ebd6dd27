"""Meal logs naming foods of the table: their values, and a food with the client's allergen flagged in the feed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import Client, Food, utcnow
from tests.factories import FoodFactory
from tests.helpers import assert_error

URL = "/api/v1/me/meal-logs"


def _food_id(slug: str) -> int:
    return db.session.execute(select(Food.id).where(Food.slug == slug)).scalar_one()


def _meal(*items: dict) -> dict:
    return {"eaten_on": utcnow().date().isoformat(), "meal_name": "Snack", "items": list(items)}


@pytest.fixture
def allergic(client_record) -> Client:
    """The logged-in client, allergic to peanuts."""
    client_record.dietary_details = {"allergies": ["peanuts"]}
    db.session.commit()
    return client_record


def _newest_event(http, trainer_headers) -> dict:
    return http.get("/api/v1/feed?limit=1", headers=trainer_headers).json["items"][0]


@pytest.mark.usefixtures("allergic")
def test_a_food_with_the_clients_allergen_is_logged_and_flagged_in_the_feed(http, client_headers, trainer_headers):
    peanut_butter = {"food_id": _food_id("peanut-butter-smooth"), "quantity": 30, "unit": "g"}

    response = http.post(URL, json=_meal(peanut_butter), headers=client_headers)

    assert response.status_code == 201, response.json
    # 588 kcal, 25.1 g protein per 100 g, x 0.3.
    item = response.json["items"][0]
    assert (item["food"], item["kcal"], item["protein_g"]) == ("Peanut butter, smooth", 176.4, 7.5)
    event = _newest_event(http, trainer_headers)
    assert event["type"] == "meal_logged" and event["summary"].startswith("⚠ Allergen:")
    assert event["payload"]["allergen_foods"] == ["Peanut butter, smooth (peanuts)"]


@pytest.mark.usefixtures("allergic")
def test_a_typed_food_named_like_a_table_food_is_flagged_too(http, client_headers, trainer_headers):
    typed = {"food": "peanut butter, smooth", "quantity": 1, "unit": "tbsp", "kcal": 95}

    http.post(URL, json=_meal(typed), headers=client_headers)

    assert _newest_event(http, trainer_headers)["payload"]["allergen_foods"] == ["Peanut butter, smooth (peanuts)"]


@pytest.mark.usefixtures("allergic")
def test_a_meal_without_the_allergen_is_not_flagged(http, client_headers, trainer_headers):
    http.post(URL, json=_meal({"food_id": _food_id("apple"), "quantity": 1, "unit": "serving"}), headers=client_headers)

    event = _newest_event(http, trainer_headers)
    assert "allergen_foods" not in event["payload"] and not event["summary"].startswith("⚠")


@pytest.mark.usefixtures("allergic")
def test_an_edit_that_adds_the_allergen_is_flagged(http, client_headers, trainer_headers):
    apple = {"food_id": _food_id("apple"), "quantity": 150, "unit": "g"}
    logged = http.post(URL, json=_meal(apple), headers=client_headers).json
    peanuts = {"food_id": _food_id("peanuts-dry-roasted"), "quantity": 20, "unit": "g"}

    changed = http.patch(f"{URL}/{logged['id']}", json={"items": [apple, peanuts]}, headers=client_headers)

    assert changed.status_code == 200, changed.json
    event = _newest_event(http, trainer_headers)
    assert event["summary"].startswith("⚠ Allergen:") and "changed Snack" in event["summary"]
    assert event["payload"]["allergen_foods"] == [f"{changed.json['items'][1]['food']} (peanuts)"]


def test_an_unknown_food_is_refused(http, client_headers, client_record):
    response = http.post(URL, json=_meal({"food_id": 999999, "quantity": 30, "unit": "g"}), headers=client_headers)

    assert_error(response, 422, "items.0.food_id")


def test_another_trainers_own_food_is_refused(http, client_headers, client_record, other_trainer):
    theirs = FoodFactory(owner=other_trainer)

    response = http.post(URL, json=_meal({"food_id": theirs.id, "quantity": 30, "unit": "g"}), headers=client_headers)

    assert_error(response, 422, "items.0.food_id")


def test_a_food_item_needs_its_quantity(http, client_headers, client_record):
    response = http.post(URL, json=_meal({"food_id": _food_id("apple"), "unit": "g"}), headers=client_headers)

    assert_error(response, 422, "items.0.quantity")


def test_a_typed_item_still_needs_its_name_and_energy(http, client_headers, client_record):
    response = http.post(URL, json=_meal({"quantity": 1, "unit": "bowl"}), headers=client_headers)

    assert_error(response, 422, ("items.0.food", "items.0.kcal"))
