"""Assigning a diet with foods carrying the client's allergens: a 409 naming them, unless acknowledged and recorded."""

from __future__ import annotations

from sqlalchemy import select, text

from fitbud.extensions import db
from fitbud.models import Food, PlanAssignment, PlanKind, utcnow
from fitbud.services.plan_content import validate_content
from tests.factories import ClientFactory, ExerciseFactory, PlanTemplateFactory, workout_content
from tests.helpers import assert_error

TODAY = utcnow().date()


def _food_id(slug: str) -> int:
    return db.session.execute(select(Food.id).where(Food.slug == slug)).scalar_one()


def _diet_plan(trainer, items: list[dict]):
    content = {"days": [{"name": "Every day", "meals": [{"name": "Snack", "time": "16:00", "items": items}]}]}
    return PlanTemplateFactory(
        trainer=trainer, kind=PlanKind.DIET, name="Snacks", content=validate_content(PlanKind.DIET, content, trainer.id)
    )


def _assign(http, headers, client_id, plan_id, **extra):
    body = {"plan_id": plan_id, "start_date": TODAY.isoformat(), **extra}
    return http.post(f"/api/v1/clients/{client_id}/assignments", json=body, headers=headers)


def _peanut_snack(trainer):
    return _diet_plan(
        trainer,
        [
            {"food_id": _food_id("peanut-butter-smooth"), "quantity": 30, "unit": "g"},
            {"food_id": _food_id("apple"), "quantity": 150, "unit": "g"},
        ],
    )


def _assignments(client_id) -> list[PlanAssignment]:
    db.session.expire_all()
    return list(db.session.execute(select(PlanAssignment).where(PlanAssignment.client_id == client_id)).scalars())


def test_a_diet_with_the_clients_allergen_is_refused_naming_the_food(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer, dietary_details={"allergies": ["peanuts"]})

    response = _assign(http, trainer_headers, client.id, _peanut_snack(trainer).id)

    body = assert_error(response, 409, "acknowledge_allergens")
    assert body["errors"]["acknowledge_allergens"] == ["Peanut butter, smooth (peanuts)"]
    assert "Peanut butter, smooth (peanuts)" in body["message"]
    assert _assignments(client.id) == []


def test_an_acknowledged_allergen_is_assigned_and_recorded(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer, dietary_details={"allergies": ["peanuts", "milk"]})

    response = _assign(http, trainer_headers, client.id, _peanut_snack(trainer).id, acknowledge_allergens=True)

    assert response.status_code == 201, response.json
    assert response.json["acknowledged_allergens"] == [{"food": "Peanut butter, smooth", "allergens": ["peanuts"]}]
    assert response.json["allergens_acknowledged_at"] is not None
    (stored,) = _assignments(client.id)
    assert stored.acknowledged_allergens == [{"food": "Peanut butter, smooth", "allergens": ["peanuts"]}]
    raw = db.session.execute(
        text("SELECT acknowledged_allergens FROM plan_assignments WHERE id = :id"), {"id": stored.id}
    ).scalar_one()
    assert "peanut" not in raw.lower()  # encrypted, like the client's health details


def test_a_client_without_the_allergen_gets_the_diet_with_nothing_recorded(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer, dietary_details={"allergies": ["fish"]})

    response = _assign(http, trainer_headers, client.id, _peanut_snack(trainer).id, acknowledge_allergens=True)

    assert response.status_code == 201
    assert response.json["acknowledged_allergens"] is None and response.json["allergens_acknowledged_at"] is None


def test_an_allergy_typed_in_the_health_details_counts(http, trainer, trainer_headers):
    client = ClientFactory(
        trainer=trainer,
        health_details={"injuries": [], "conditions": [], "medications": [], "allergies": ["Peanuts (severe)"]},
    )

    response = _assign(http, trainer_headers, client.id, _peanut_snack(trainer).id)

    assert_error(response, 409, "acknowledge_allergens")


def test_a_typed_item_named_like_a_table_food_is_checked_as_that_food(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer, dietary_details={"allergies": ["tree_nuts"]})
    typed = {"food": "almonds", "quantity": 1, "unit": "handful", "kcal": 170, "protein": 6, "carbs": 6, "fat": 15}

    response = _assign(http, trainer_headers, client.id, _diet_plan(trainer, [typed]).id)

    body = assert_error(response, 409, "acknowledge_allergens")
    assert body["errors"]["acknowledge_allergens"] == ["Almonds (tree nuts)"]


def test_a_workout_is_never_checked_for_allergens(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer, dietary_details={"allergies": ["peanuts"]})
    workout = PlanTemplateFactory(trainer=trainer, content=workout_content([ExerciseFactory(owner=trainer).id]))

    response = _assign(http, trainer_headers, client.id, workout.id)

    assert response.status_code == 201


def test_acknowledge_allergens_must_be_a_boolean(http, trainer, trainer_headers, client_record):
    response = _assign(http, trainer_headers, client_record.id, _peanut_snack(trainer).id, acknowledge_allergens="sure")

    assert_error(response, 422, "acknowledge_allergens")
