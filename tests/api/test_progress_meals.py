"""Meal logs (items or quick entries) and a day's nutrition against the diet's targets."""

from datetime import timedelta

import pytest

from fitbud.extensions import db
from fitbud.models import ActivityEvent, ActivityType, MealLog, PlanKind
from tests.api.progress_support import count_rows, days_ago, idempotent, today
from tests.factories import ClientFactory, MealLogFactory, PlanAssignmentFactory, diet_content
from tests.helpers import assert_error, count_statements

URL = "/api/v1/me/meal-logs"
ITEMS = [
    {"food": "Rice", "quantity": 150, "unit": "g", "kcal": 195, "protein_g": 4, "carbs_g": 42, "fat_g": 0.5},
    {"food": "Salmon", "quantity": 120, "unit": "g", "kcal": 250, "protein_g": 25, "carbs_g": 0, "fat_g": 16},
]


def _items_body(**extra):
    return {"eaten_on": today().isoformat(), "meal_name": "Lunch", "items": ITEMS, **extra}


def _quick_body(**extra):
    return {"eaten_on": today().isoformat(), "meal_name": "Snack", "kcal": 250, "protein_g": 20, **extra}


def test_itemised_meal_totals_its_items(http, client_headers, client_record):
    response = http.post(URL, json=_items_body(), headers=client_headers)
    assert response.status_code == 201, response.json
    assert (response.json["kcal"], response.json["protein_g"], response.json["fat_g"]) == (445, 29, 16.5)
    assert response.json["items"][0]["food"] == "Rice"


def test_quick_entry_defaults_missing_macros_to_zero(http, client_headers, client_record):
    response = http.post(URL, json=_quick_body(), headers=client_headers)
    assert response.status_code == 201, response.json
    assert (response.json["kcal"], response.json["protein_g"], response.json["carbs_g"]) == (250, 20, 0)
    assert response.json["items"] == []


def test_meal_goes_to_trainer_feed(http, client_headers, client_record):
    http.post(URL, json=_quick_body(), headers=client_headers)
    event = db.session.query(ActivityEvent).one()
    assert event.type is ActivityType.MEAL_LOGGED and "Snack" in event.summary


def test_items_and_quick_entry_together_is_422(http, client_headers, client_record):
    response = http.post(URL, json=_items_body(kcal=100), headers=client_headers)
    assert_error(response, 422, "items")


def test_meal_without_items_or_kcal_is_422(http, client_headers, client_record):
    body = {"eaten_on": today().isoformat(), "meal_name": "Dinner"}
    response = http.post(URL, json=body, headers=client_headers)
    assert_error(response, 422, "kcal")


def test_missing_meal_name_is_422(http, client_headers, client_record):
    body = _quick_body()
    del body["meal_name"]
    response = http.post(URL, json=body, headers=client_headers)
    assert_error(response, 422, "meal_name")


def test_negative_kcal_is_422(http, client_headers, client_record):
    response = http.post(URL, json=_quick_body(kcal=-5), headers=client_headers)
    assert_error(response, 422, "kcal")


def test_item_with_wrong_type_is_422_with_path(http, client_headers, client_record):
    items = [dict(ITEMS[0]), {**ITEMS[1], "protein_g": "lots"}]
    response = http.post(URL, json=_items_body(items=items), headers=client_headers)
    assert_error(response, 422, "items.1.protein_g")
    assert "items.1.protein_g" in response.json["errors"]


def test_unknown_field_is_422(http, client_headers, client_record):
    assert_error(http.post(URL, json=_quick_body(fibre_g=5), headers=client_headers), 422, "fibre_g")


def test_date_after_tomorrow_is_422(http, client_headers, client_record):
    body = _quick_body(eaten_on=(today() + timedelta(days=2)).isoformat())
    response = http.post(URL, json=body, headers=client_headers)
    assert_error(response, 422, "eaten_on")


def test_no_token_is_401_and_trainer_is_403(http, trainer_headers):
    assert_error(http.post(URL, json=_quick_body()), 401, message="Authentication required")
    assert_error(http.get(URL, headers=trainer_headers), 403, "role")


def test_other_clients_meal_is_404(http, client_headers, trainer):
    foreign = MealLogFactory(client=ClientFactory(trainer=trainer))
    assert_error(http.get(f"{URL}/{foreign.id}", headers=client_headers), 404, message="No such meal log")
    assert_error(
        http.patch(f"{URL}/{foreign.id}", json={"notes": "x"}, headers=client_headers), 404, message="No such meal log"
    )
    assert_error(http.delete(f"{URL}/{foreign.id}", headers=client_headers), 404, message="No such meal log")


def test_patch_switches_items_to_quick_entry(http, client_headers, client_record):
    created = http.post(URL, json=_items_body(), headers=client_headers).json
    response = http.patch(f"{URL}/{created['id']}", json={"kcal": 300}, headers=client_headers)
    assert response.status_code == 200, response.json
    assert response.json["items"] == [] and response.json["kcal"] == 300 and response.json["protein_g"] == 0


def test_patch_quick_macro_keeps_other_values(http, client_headers, client_record):
    created = http.post(URL, json=_quick_body(), headers=client_headers).json
    response = http.patch(f"{URL}/{created['id']}", json={"fat_g": 9}, headers=client_headers)
    assert (response.json["kcal"], response.json["protein_g"], response.json["fat_g"]) == (250, 20, 9)


def test_patch_replacing_items_without_kcal_is_422(http, client_headers, client_record):
    created = http.post(URL, json=_items_body(), headers=client_headers).json
    response = http.patch(f"{URL}/{created['id']}", json={"protein_g": 10}, headers=client_headers)
    assert_error(response, 422, "kcal")


def test_delete(http, client_headers, client_record):
    created = http.post(URL, json=_quick_body(), headers=client_headers).json
    assert http.delete(f"{URL}/{created['id']}", headers=client_headers).status_code == 204
    assert count_rows(MealLog) == 0


def test_list_filters_by_date(http, client_headers, client_record):
    MealLogFactory(client=client_record, eaten_on=days_ago(3))
    recent = MealLogFactory(client=client_record, eaten_on=days_ago(1))
    response = http.get(f"{URL}?from={days_ago(2).isoformat()}&to={today().isoformat()}", headers=client_headers)
    assert [meal["id"] for meal in response.json] == [recent.id]


@pytest.mark.parametrize("meals", [5, 50])
def test_list_statement_count_does_not_grow(http, client_headers, client_record, meals):
    for n in range(meals):
        MealLogFactory(client=client_record, eaten_on=days_ago(n % 10))
    with count_statements() as counter:
        response = http.get(f"{URL}?page_size=100", headers=client_headers)
    assert len(response.json) == meals and counter.count == 2  # token, page with its total


def test_retry_returns_first_meal_and_stores_nothing(http, client_headers, client_record):
    headers = idempotent(client_headers, "meal-1")
    first = http.post(URL, json=_quick_body(), headers=headers)
    retry = http.post(URL, json=_quick_body(), headers=headers)
    assert retry.status_code == 201 and retry.json == first.json
    assert count_rows(MealLog) == 1


def test_same_key_other_meal_is_409(http, client_headers, client_record):
    headers = idempotent(client_headers, "meal-2")
    http.post(URL, json=_quick_body(), headers=headers)
    assert_error(http.post(URL, json=_quick_body(kcal=999), headers=headers), 409, "Idempotency-Key")


# Nutrition ------------------------------------------------------------------------------------


def test_nutrition_day_against_diet_targets(http, client_headers, client_record):
    PlanAssignmentFactory(client=client_record, kind=PlanKind.DIET, content=diet_content(), start_date=days_ago(10))
    http.post(URL, json=_items_body(), headers=client_headers)
    http.post(URL, json=_quick_body(), headers=client_headers)
    response = http.get(f"/api/v1/me/nutrition?date={today().isoformat()}", headers=client_headers)
    assert response.status_code == 200, response.json
    day = response.json
    assert day["totals"]["kcal"] == 695 and day["targets"]["kcal"] == 630
    assert day["remaining"]["kcal"] == -65 and day["targets"]["protein_g"] == 72
    assert len(day["meals"]) == 2


def test_nutrition_uses_explicit_diet_targets(http, client_headers, client_record):
    content = {**diet_content(), "targets": {"kcal": 2200, "protein": 150}}
    PlanAssignmentFactory(client=client_record, kind=PlanKind.DIET, content=content, start_date=days_ago(1))
    day = http.get("/api/v1/me/nutrition", headers=client_headers).json
    assert day["targets"] == {"kcal": 2200, "protein_g": 150}
    assert day["totals"]["kcal"] == 0


def test_nutrition_without_diet_has_no_targets(http, client_headers, client_record):
    day = http.get("/api/v1/me/nutrition", headers=client_headers).json
    assert day["date"] == today().isoformat()
    assert day["targets"] is None and day["remaining"] is None


def test_nutrition_ignores_ended_diet(http, client_headers, client_record):
    PlanAssignmentFactory(
        client=client_record, kind=PlanKind.DIET, content=diet_content(), start_date=days_ago(10), end_date=days_ago(1)
    )
    assert http.get("/api/v1/me/nutrition", headers=client_headers).json["targets"] is None


def test_nutrition_bad_date_is_422(http, client_headers, client_record):
    assert_error(http.get("/api/v1/me/nutrition?date=yesterday", headers=client_headers), 422, "date")


# Trainer --------------------------------------------------------------------------------------


def test_trainer_reads_meals_and_nutrition(http, trainer_headers, client_record):
    meal = MealLogFactory(client=client_record)
    base = f"/api/v1/clients/{client_record.id}"
    assert [m["id"] for m in http.get(f"{base}/meal-logs", headers=trainer_headers).json] == [meal.id]
    assert http.get(f"{base}/meal-logs/{meal.id}", headers=trainer_headers).status_code == 200
    nutrition = http.get(f"{base}/nutrition?date={meal.eaten_on.isoformat()}", headers=trainer_headers)
    assert nutrition.json["totals"]["kcal"] == 600


def test_other_trainer_gets_404_for_meals(http, other_trainer_headers, client_record):
    meal = MealLogFactory(client=client_record)
    base = f"/api/v1/clients/{client_record.id}"
    assert_error(http.get(f"{base}/meal-logs", headers=other_trainer_headers), 404, message="No such client")
    assert_error(
        http.get(f"{base}/meal-logs/{meal.id}", headers=other_trainer_headers), 404, message="No such meal log"
    )
    assert_error(http.get(f"{base}/nutrition", headers=other_trainer_headers), 404, message="No such client")
