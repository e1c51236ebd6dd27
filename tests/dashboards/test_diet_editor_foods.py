"""The diet editor and the food table: items named like a food get its values, and are saved as references."""

from __future__ import annotations

from sqlalchemy import select

from dashboards.pages.plans.forms import FOOD_NAMES_ID
from dashboards.pages.plans.layout import editor_layout
from fitbud.extensions import db
from fitbud.models import Food, PlanAssignment, PlanKind, utcnow
from fitbud.services.plan_content import validate_content
from tests.dashboards.helpers import dispatch, login
from tests.dashboards.test_plans_schedule import _dep, _sid, dumps, fields_of, post, save
from tests.factories import ClientFactory, PlanTemplateFactory

ITEM = "days.0.meals.0.items.0"


def _diet(food: str, quantity: float, unit: str) -> dict:
    item = {"food": food, "quantity": quantity, "unit": unit, "kcal": 0, "protein": 0, "carbs": 0, "fat": 0}
    return {"days": [{"name": "Every day", "meals": [{"name": "Breakfast", "time": "08:00", "items": [item]}]}]}


def _values(food: str, quantity: float, unit: str) -> dict:
    return {f"{ITEM}.food": food, f"{ITEM}.quantity": quantity, f"{ITEM}.unit": unit} | {
        f"{ITEM}.{macro}": 0 for macro in ("kcal", "protein", "carbs", "fat")
    }


def _suggestions(trainer) -> dict[str, dict]:
    """The diet editor's food suggestions: name -> the option's data attributes."""
    layout = editor_layout(trainer, "new", {"kind": "diet"})
    datalist = next(node for node in _walk(layout) if getattr(node, "id", None) == FOOD_NAMES_ID)
    return {option.value: option.to_plotly_json()["props"] for option in datalist.children}


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        yield from _walk(child)


def test_the_editor_offers_each_table_food_with_its_values_per_100_g_and_serving(trainer):
    suggestions = _suggestions(trainer)
    oats = db.session.execute(select(Food).where(Food.name == "Rolled oats, dry")).scalar_one()

    # The browser computes an item's values from these, as the server's item_values does on save.
    assert (
        suggestions["Rolled oats, dry"]["data-per100g"]
        == f"{oats.kcal:g},{oats.protein_g:g},{oats.carbs_g:g},{oats.fat_g:g}"
    )
    assert suggestions["Rolled oats, dry"]["data-serving-g"] == f"{oats.serving_g:g}"


def test_a_workout_editor_carries_no_food_suggestions(trainer):
    layout = editor_layout(trainer, "new", {"kind": "workout"})
    datalist = next(node for node in _walk(layout) if getattr(node, "id", None) == FOOD_NAMES_ID)

    assert datalist.children == []


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


# ---------------------------------------------------------------- the client's allergens


def _warnings(http, client_id, items: list[dict]) -> dict:
    content = {"days": [{"name": "D", "meals": [{"name": "M", "time": "08:00", "items": items}]}]}
    draft = {"plan_id": None, "kind": "diet", "version": None, "content": content}
    values = {f"days.0.meals.0.items.{i}.food": item["food"] for i, item in enumerate(items)}
    ids_state, value_state = fields_of(values)
    outputs = [
        [
            {"id": {"type": "pe-allergy", "path": f"days.0.meals.0.items.{i}"}, "property": "children"}
            for i in range(len(items))
        ],
        {"id": "pe-allergy-summary", "property": "children"},
    ]
    response = post(
        http,
        "pe-allergy-summary",
        outputs,
        [_dep("pe-assign-client", "value", str(client_id)), value_state],
        [ids_state, _dep("pe-draft", "data", draft)],
        "pe-assign-client.value",
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def _typed(name: str) -> dict:
    return {"food": name, "quantity": 1, "unit": "portion", "kcal": 100, "protein": 1, "carbs": 1, "fat": 1}


def test_the_editor_warns_beside_each_item_the_chosen_client_is_allergic_to(http, trainer):
    client = ClientFactory(trainer=trainer, dietary_details={"allergies": ["peanuts", "milk"]})
    login(http, trainer.email)

    body = _warnings(http, client.id, [_typed("Peanut butter, smooth"), _typed("Apple"), _typed("Milk pudding")])

    item = lambda i: body[_sid({"type": "pe-allergy", "path": f"days.0.meals.0.items.{i}"})]["children"]  # noqa: E731
    assert item(0) == "⚠ The client is allergic: contains peanuts."
    assert item(1) is None
    # A typed food not in the table: its name is all there is to go on.
    assert item(2).startswith("⚠ Check this food: its name suggests milk")
    assert "1 food(s) carry the client's allergens" in body["pe-allergy-summary"]["children"]


def test_no_warning_for_another_trainers_client(http, trainer, other_trainer):
    theirs = ClientFactory(trainer=other_trainer, dietary_details={"allergies": ["peanuts"]})
    login(http, trainer.email)

    body = _warnings(http, theirs.id, [_typed("Peanut butter, smooth")])

    assert body[_sid({"type": "pe-allergy", "path": "days.0.meals.0.items.0"})]["children"] is None


def _assign_diet(http, plan_id, client_id, acknowledge):
    body = {
        "pe-assign.n_clicks": 1,
        "pe-draft.data": {"plan_id": plan_id, "kind": "diet", "version": 1, "content": {}},
        "pe-assign-client.value": str(client_id),
        "pe-assign-start.value": utcnow().date().isoformat(),
        "pe-assign-ack.value": acknowledge,
        "pe-dirty.data": False,
        "pe-name.value": "Snacks",
    }
    return dispatch(http, "pe-assign-message.children", body, "pe-assign.n_clicks")


def test_assigning_from_the_editor_needs_the_acknowledgement_box(http, trainer):
    client = ClientFactory(trainer=trainer, dietary_details={"allergies": ["peanuts"]})
    peanut = db.session.execute(select(Food.id).where(Food.slug == "peanut-butter-smooth")).scalar_one()
    content = {
        "days": [
            {
                "name": "D",
                "meals": [{"name": "M", "time": "08:00", "items": [{"food_id": peanut, "quantity": 30, "unit": "g"}]}],
            }
        ]
    }
    plan = PlanTemplateFactory(
        trainer=trainer, kind=PlanKind.DIET, content=validate_content(PlanKind.DIET, content, trainer.id)
    )
    login(http, trainer.email)

    refused = _assign_diet(http, plan.id, client.id, False)
    assigned = _assign_diet(http, plan.id, client.id, True)

    assert "Not assigned: the client is allergic to Peanut butter, smooth (peanuts)" in dumps(
        refused["pe-assign-message"]
    )
    assert "Assigned" in dumps(assigned["pe-assign-message"])
    acknowledged = db.session.execute(select(PlanAssignment.acknowledged_allergens)).scalar_one()
    assert acknowledged == [{"food": "Peanut butter, smooth", "allergens": ["peanuts"]}]
