"""Generated diets never hold a food the client must not have; when that leaves too little, a 422 says so.

The property tests build diets straight from the rules (the food table loaded once) for every
allergen and dietary preference alone and for every pair of them, across goals, seeds, meal
counts and unit systems, and check each food against the table's own tags.
"""

from __future__ import annotations

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fitbud.data.foods import ALLERGENS, DIETS
from fitbud.errors import InvalidInputError
from fitbud.extensions import db
from fitbud.services.dietary import needs_from
from fitbud.services.plan_generation import generate_plan
from fitbud.services.plan_generation.diet import DietFood, build_diet, generator_slugs
from fitbud.services.plan_generation.inputs import GOALS, Body, GenerationRequest
from fitbud.services.plan_generation.service import builtin_diet_foods
from tests.factories import ClientFactory
from tests.helpers import assert_error
from tests.services.test_plan_providers import _workout_from

TERMS = [("allergy", allergen) for allergen in ALLERGENS] + [("diet", diet) for diet in DIETS]
BODIES = (
    Body(sex="female", age=45, height_cm=165, weight_kg=68),
    Body(sex="male", age=28, height_cm=183, weight_kg=86),
)
REQUEST = {
    "goal": "general_fitness",
    "experience": "beginner",
    "days_per_week": 3,
    "session_minutes": 45,
    "equipment": ["dumbbell", "bench"],
    "seed": 5,
    "weeks": 1,
    "body": {"sex": "female", "age": 35, "height_cm": 168, "weight_kg": 64},
}


def _request(terms, goal: str, seed: int, meals: int, unit_system: str = "metric") -> GenerationRequest:
    needs = needs_from([v for k, v in terms if k == "allergy"], [v for k, v in terms if k == "diet"])
    return GenerationRequest(
        goal=goal,
        experience="beginner",
        days_per_week=3 + seed % 3,
        session_minutes=60,
        equipment=(),
        requested_avoid=(),
        weeks=1,
        seed=seed,
        meals_per_day=meals,
        unit_system=unit_system,
        body=BODIES[seed % 2],
        dietary=needs,
    )


def _forbidden_items(content: dict, terms, table_by_id: dict[int, DietFood]) -> list[str]:
    """Items whose food carries one of the allergens or misses one of the diets, by the table's own tags."""
    allergens = {v for k, v in terms if k == "allergy"}
    diets = {v for k, v in terms if k == "diet"}
    bad = []
    for day in content["days"]:
        for meal in day["meals"]:
            for item in meal["items"]:
                food = table_by_id[item["food_id"]]  # every generated item names a food of the table
                if allergens & set(food.allergens) or not diets <= set(food.diets):
                    bad.append(f"{food.name} {food.allergens} {food.diets}")
    return bad


@pytest.fixture
def pool(app) -> dict[str, DietFood]:
    """The generator's foods of the table, by slug."""
    table = builtin_diet_foods()
    return {slug: table[slug] for slug in generator_slugs()}


def _build_all(pool, cases) -> tuple[int, list[str]]:
    by_id = {food.id: food for food in pool.values()}
    built, problems = 0, []
    for terms, goal, seed, meals, units in cases:
        try:
            draft = build_diet(_request(terms, goal, seed, meals, units), pool)
        except InvalidInputError:
            continue  # refusing is allowed; breaking a rule is not
        built += 1
        assert draft is not None
        bad = _forbidden_items(draft.content, terms, by_id)
        if bad:
            problems.append(f"{terms} {goal} seed {seed}: {bad}")
    return built, problems


def test_no_diet_for_any_single_allergen_or_preference_holds_a_forbidden_food(pool):
    cases = [
        ((term,), goal, seed, 2 + (seed + i) % 5, "imperial" if seed == 2 else "metric")
        for i, term in enumerate(TERMS)
        for goal in GOALS
        for seed in (1, 2)
    ]

    built, problems = _build_all(pool, cases)

    assert problems == []
    # One restriction alone always leaves enough: every one of these diets was built.
    assert built == len(cases)


def test_no_diet_for_any_pair_of_restrictions_holds_a_forbidden_food(pool):
    pairs = list(itertools.combinations(TERMS, 2))
    # Each pair under two goals (every goal comes round), each case its own seed and meal count.
    cases = [
        (pair, GOALS[(i + g) % len(GOALS)], i + g, 2 + (i + g) % 5, "imperial" if (i + g) % 7 == 0 else "metric")
        for i, pair in enumerate(pairs)
        for g in (0, 2)
    ]

    built, problems = _build_all(pool, cases)

    assert problems == []
    assert built >= 0.9 * len(cases), f"only {built} of {len(cases)} cases gave a diet"


# Vegan, and every plant protein of the generator's foods ruled out by an allergy or a dislike.
NO_PROTEIN_LEFT = {
    "allergies": ["soybeans", "gluten", "lupin"],
    "dietary_preferences": ["vegan"],
    "dislikes": "lentils, chickpeas, pea protein",
}


def test_too_many_restrictions_answer_422_saying_what_is_impossible(pool):
    request = _request([], "muscle_gain", 1, 4)
    needs = needs_from(
        NO_PROTEIN_LEFT["allergies"], NO_PROTEIN_LEFT["dietary_preferences"], dislikes=NO_PROTEIN_LEFT["dislikes"]
    )

    with pytest.raises(InvalidInputError) as refused:
        build_diet(GenerationRequest(**{**request.__dict__, "dietary": needs}), pool)

    message = refused.value.errors["diet"][0]
    assert message.startswith("No diet: with the client's allergies: gluten, soybeans, lupin; preferences: vegan")
    assert "g protein instead of" in message


def test_the_explanations_name_the_foods_left_out_and_why(pool):
    draft = build_diet(_request([("allergy", "peanuts"), ("diet", "vegetarian")], "fat_loss", 3, 4), pool)

    messages = [e["message"] for e in draft.explanations if e["topic"] == "dietary"]
    assert any(m.startswith("Left out (contains peanuts (allergy)): Peanut butter, smooth") for m in messages)
    assert any(m.startswith("Left out (not vegetarian):") and "Chicken breast" in m for m in messages)


def test_a_dislike_is_left_out_too(pool):
    needs = needs_from(dislikes="banana, tofu")
    request = _request([], "general_fitness", 4, 5)
    draft = build_diet(GenerationRequest(**{**request.__dict__, "dietary": needs}), pool)

    names = [item["food"] for meal in draft.content["days"][0]["meals"] for item in meal["items"]]
    assert not [name for name in names if "banana" in name.lower() or "tofu" in name.lower()]


def test_a_peanut_allergy_typed_in_the_health_details_keeps_peanuts_out(trainer):
    # The issue's report: "Peanuts" in the health details' allergies, and peanut butter in the diet.
    client = ClientFactory(
        trainer=trainer, health_details={"injuries": [], "conditions": [], "medications": [], "allergies": ["Peanuts"]}
    )
    for seed in range(6):
        result = generate_plan(trainer, {**REQUEST, "client_id": client.id, "seed": seed})
        names = {item["food"] for meal in result["diet"]["content"]["days"][0]["meals"] for item in meal["items"]}
        assert not [name for name in names if "peanut" in name.lower()]
    assert result["inputs"]["allergies"] == ["peanuts"]


def test_the_profiles_preferences_apply_and_the_request_may_add_allergies(trainer):
    client = ClientFactory(trainer=trainer, dietary_details={"dietary_preferences": ["vegan"]})

    result = generate_plan(trainer, {**REQUEST, "client_id": client.id, "allergies": ["soybeans"]})

    assert result["inputs"]["dietary_preferences"] == ["vegan"] and result["inputs"]["allergies"] == ["soybeans"]
    ids = {item["food_id"] for meal in result["diet"]["content"]["days"][0]["meals"] for item in meal["items"]}
    table = {food.id: food for food in builtin_diet_foods().values()}
    assert all("vegan" in table[i].diets and "soybeans" not in table[i].allergens for i in ids)


def test_the_api_answers_422_when_the_restrictions_leave_too_little(http, trainer, trainer_headers):
    client = ClientFactory(trainer=trainer, dietary_details=NO_PROTEIN_LEFT)

    response = http.post("/api/v1/plans/generate", json={**REQUEST, "client_id": client.id}, headers=trainer_headers)

    body = assert_error(response, 422, "diet")
    assert "g protein instead of" in body["errors"]["diet"][0]


# ---------------------------------------------------------------- the AI provider


class DietProvider:
    """A fake AI provider answering a valid workout and the diet the test sets; it records what it got."""

    def __init__(self) -> None:
        self.diet: dict | None = None
        self.received: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):
                pass

            def do_POST(self):  # noqa: N802 - http.server's naming
                payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.received.append(payload)
                body = json.dumps({"workout": _workout_from(payload), "diet": server.diet}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def ai(app):
    """The fake provider, with the app pointed at it."""
    with DietProvider() as server:
        app.config.update(
            PLAN_AI_URL=f"http://127.0.0.1:{server.httpd.server_address[1]}/plan",
            PLAN_AI_TIMEOUT_SECONDS=2,
            PLAN_AI_MAX_RESPONSE_BYTES=200_000,
        )
        yield server


def _slug_id(slug: str) -> int:
    return builtin_diet_foods()[slug].id


def _ai_diet(*slugs: str) -> dict:
    items = [{"food_id": _slug_id(slug), "quantity": 100, "unit": "g"} for slug in slugs]
    return {"days": [{"name": "AI day", "meals": [{"name": "Lunch", "time": "12:00", "items": items}]}]}


@pytest.fixture
def allergic_client(trainer):
    """A client allergic to peanuts who eats vegetarian."""
    return ClientFactory(
        trainer=trainer, dietary_details={"allergies": ["peanuts"], "dietary_preferences": ["vegetarian"]}
    )


def test_the_provider_receives_the_allergies_preferences_and_only_allowed_foods(trainer, ai, allergic_client):
    generate_plan(trainer, {**REQUEST, "client_id": allergic_client.id})

    sent = ai.received[0]
    assert sent["request"]["allergies"] == ["peanuts"] and sent["request"]["dietary_preferences"] == ["vegetarian"]
    offered = {food["name"] for food in sent["foods"]}
    assert "Peanut butter, smooth" not in offered and "Chicken breast, grilled, skinless" not in offered
    assert "Rolled oats, dry" in offered
    assert "client_id" not in sent["request"] and db.session.get(
        type(allergic_client), allergic_client.id
    ).name not in json.dumps(sent)


def test_an_ai_diet_with_a_forbidden_food_is_rejected_for_the_rules_draft(trainer, ai, allergic_client):
    ai.diet = _ai_diet("rolled-oats-dry", "peanut-butter-smooth")

    result = generate_plan(trainer, {**REQUEST, "client_id": allergic_client.id})

    assert result["source"] == "rules"
    assert "Peanut butter, smooth (contains peanuts (allergy))" in result["fallback_reason"]
    assert any(result["fallback_reason"] in e["message"] for e in result["explanations"] if e["topic"] == "provider")
    names = {item["food"] for meal in result["diet"]["content"]["days"][0]["meals"] for item in meal["items"]}
    assert "Peanut butter, smooth" not in names


def test_an_ai_diet_breaking_a_preference_is_rejected(trainer, ai, allergic_client):
    ai.diet = _ai_diet("chicken-breast-grilled-skinless")

    result = generate_plan(trainer, {**REQUEST, "client_id": allergic_client.id})

    assert result["source"] == "rules" and "(not vegetarian)" in result["fallback_reason"]


def test_an_ai_diet_with_foods_outside_the_table_is_rejected_when_the_client_has_restrictions(
    trainer, ai, allergic_client
):
    ai.diet = {
        "days": [
            {
                "name": "AI day",
                "meals": [
                    {
                        "name": "Lunch",
                        "time": "12:00",
                        "items": [
                            {
                                "food": "Satay sauce",
                                "quantity": 50,
                                "unit": "g",
                                "kcal": 200,
                                "protein": 6,
                                "carbs": 8,
                                "fat": 16,
                            }
                        ],
                    }
                ],
            }
        ]
    }

    result = generate_plan(trainer, {**REQUEST, "client_id": allergic_client.id})

    assert result["source"] == "rules" and "not from the food table" in result["fallback_reason"]


def test_an_ai_diet_of_allowed_foods_is_used(trainer, ai, allergic_client):
    ai.diet = _ai_diet("rolled-oats-dry", "greek-yogurt-plain-0-fat")

    result = generate_plan(trainer, {**REQUEST, "client_id": allergic_client.id})

    assert result["source"] == "ai" and result["fallback_reason"] is None
    items = result["diet"]["content"]["days"][0]["meals"][0]["items"]
    assert [item["kcal"] for item in items] == [379.0, 59.0]
