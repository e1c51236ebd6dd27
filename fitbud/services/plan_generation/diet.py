"""The rule-based diet draft: energy by Mifflin-St Jeor, macros by goal, foods spread across the meals.

Energy: BMR = 10 x kg + 6.25 x cm - 5 x age + 5 (men) or - 161 (women); for anyone else the
midpoint (-78). BMR x activity factor = maintenance; the goal adjusts it (never below BMR).
Protein is grams per kg of body weight, fat a share of the energy, carbohydrate the rest.
Each meal gets a share of every macro, met with a protein, a carbohydrate and a fat food whose
amounts solve the meal's three targets (non-negative least squares), rounded to kitchen steps.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from typing import Any

import numpy as np

from fitbud.services.plan_generation.inputs import Body, GenerationRequest

ACTIVITY_FACTORS = {"sedentary": 1.2, "light": 1.375, "moderate": 1.55, "very_active": 1.725, "extra_active": 1.9}
ACTIVITY_WORDS = {
    "sedentary": "sedentary",
    "light": "light activity",
    "moderate": "moderate activity",
    "very_active": "very active",
    "extra_active": "extra active",
}
GOAL_ENERGY = {"fat_loss": -0.20, "muscle_gain": 0.10, "strength": 0.05, "endurance": 0.05, "general_fitness": 0.0}
PROTEIN_PER_KG = {"fat_loss": 2.0, "muscle_gain": 1.8, "strength": 1.8, "endurance": 1.4, "general_fitness": 1.6}
FAT_SHARE = {"fat_loss": 0.25, "muscle_gain": 0.25, "strength": 0.30, "endurance": 0.20, "general_fitness": 0.30}
SEX_CONSTANT = {"male": 5.0, "female": -161.0}
UNKNOWN_SEX_CONSTANT = -78.0  # midway between the two, when sex is other or unknown
# Above this BMI, protein is set on the weight at this BMI: fat mass needs no extra protein.
PROTEIN_BMI_CAP = 30.0
KCAL_PER_GRAM = {"protein": 4, "carbs": 4, "fat": 9}
GRAMS_PER_OUNCE = 28.35
GRAMS_PER_TABLESPOON_OIL = 13.5


def activity_level_for(days_per_week: int) -> str:
    """The activity level the training days suggest (2-3: light, 4-5: moderate, 6: very active)."""
    if days_per_week <= 3:
        return "light"
    return "moderate" if days_per_week <= 5 else "very_active"


def mifflin_st_jeor(sex: str | None, weight_kg: float, height_cm: float, age: int) -> float:
    """Resting energy (kcal/day) by the Mifflin-St Jeor equation."""
    return 10 * weight_kg + 6.25 * height_cm - 5 * age + SEX_CONSTANT.get(sex or "", UNKNOWN_SEX_CONSTANT)


@dataclass(frozen=True)
class Targets:
    """A day's energy and macro targets, with the steps that led there."""

    bmr: float
    activity_level: str
    factor: float
    maintenance: float
    kcal: float
    protein: float
    fat: float
    carbs: float
    protein_weight_kg: float
    floored: bool


def targets_for(body: Body, goal: str, days_per_week: int) -> Targets:
    """Energy and macros for a body and goal (body must have age, height and weight)."""
    weight_kg, height_cm, age = body.weight_kg, body.height_cm, body.age
    if weight_kg is None or height_cm is None or age is None:
        raise ValueError(f"The diet's energy needs the body's {', '.join(body.missing)}.")
    bmr = mifflin_st_jeor(body.sex, weight_kg, height_cm, age)
    level = body.activity_level or activity_level_for(days_per_week)
    factor = ACTIVITY_FACTORS[level]
    maintenance = bmr * factor
    kcal = maintenance * (1 + GOAL_ENERGY[goal])
    floored = kcal < bmr
    kcal = max(kcal, bmr)
    height_m = height_cm / 100
    protein_weight = min(weight_kg, PROTEIN_BMI_CAP * height_m * height_m)
    protein = PROTEIN_PER_KG[goal] * protein_weight
    fat = kcal * FAT_SHARE[goal] / 9
    carbs = max(0.0, (kcal - protein * 4 - fat * 9) / 4)
    return Targets(bmr, level, factor, maintenance, kcal, protein, fat, carbs, protein_weight, floored)


# ---------------------------------------------------------------- foods


@dataclass(frozen=True)
class Food:
    """A food and its protein, carbohydrate and fat per 100 g (USDA-style averages)."""

    name: str
    protein: float
    carbs: float
    fat: float
    oil: bool = False


F = Food
BREAKFAST = {
    "protein": (
        F("Greek yogurt, 0% fat", 10.3, 3.6, 0.4),
        F("Eggs", 12.6, 0.7, 9.5),
        F("Cottage cheese", 11.1, 3.4, 2.3),
    ),
    "carbs": (F("Rolled oats", 13.2, 67.7, 6.5), F("Wholegrain bread", 12.5, 43.1, 3.5)),
    "fat": (F("Almonds", 21.2, 21.6, 49.9), F("Peanut butter", 22.5, 22.3, 51.4), F("Walnuts", 15.2, 13.7, 65.2)),
    "fixed": ((F("Blueberries", 0.7, 14.5, 0.3), 100),),
}
MAIN_MEAL = {
    "protein": (
        F("Chicken breast, cooked", 31.0, 0.0, 3.6),
        F("Tuna, canned in water", 25.5, 0.0, 0.8),
        F("Firm tofu", 17.3, 2.8, 8.7),
        F("Salmon, cooked", 22.1, 0.0, 12.4),
        F("Lean beef mince 5%, cooked", 26.1, 0.0, 8.0),
        F("Turkey breast, cooked", 29.0, 0.0, 1.0),
    ),
    "carbs": (
        F("White rice, cooked", 2.7, 28.2, 0.3),
        F("Potatoes, boiled", 1.9, 20.1, 0.1),
        F("Wholewheat pasta, cooked", 5.5, 26.5, 1.1),
        F("Sweet potato, baked", 2.0, 20.7, 0.2),
        F("Quinoa, cooked", 4.4, 21.3, 1.9),
    ),
    "fat": (F("Olive oil", 0.0, 0.0, 100.0, oil=True), F("Avocado", 2.0, 8.5, 14.7)),
    "fixed": ((F("Broccoli", 2.8, 6.6, 0.4), 150), (F("Mixed salad", 1.2, 3.0, 0.2), 100)),
}
SNACK = {
    "protein": (
        F("Greek yogurt, 0% fat", 10.3, 3.6, 0.4),
        F("Cottage cheese", 11.1, 3.4, 2.3),
        F("Whey protein powder", 78.0, 8.0, 6.0),
    ),
    "carbs": (F("Banana", 1.1, 22.8, 0.3), F("Apple", 0.3, 13.8, 0.2), F("Rice cakes", 8.0, 81.0, 2.8)),
    "fat": (F("Almonds", 21.2, 21.6, 49.9), F("Peanut butter", 22.5, 22.3, 51.4)),
    "fixed": (),
}
# Meals by count: (name, time, kind, share of the day's macros).
MEAL_PLANS: dict[int, tuple[tuple[str, str, dict, float], ...]] = {
    2: (("Brunch", "10:30", BREAKFAST, 0.45), ("Dinner", "18:30", MAIN_MEAL, 0.55)),
    3: (
        ("Breakfast", "07:30", BREAKFAST, 0.30),
        ("Lunch", "12:30", MAIN_MEAL, 0.35),
        ("Dinner", "19:00", MAIN_MEAL, 0.35),
    ),
    4: (
        ("Breakfast", "07:30", BREAKFAST, 0.25),
        ("Lunch", "12:30", MAIN_MEAL, 0.30),
        ("Afternoon snack", "16:00", SNACK, 0.15),
        ("Dinner", "19:30", MAIN_MEAL, 0.30),
    ),
    5: (
        ("Breakfast", "07:30", BREAKFAST, 0.22),
        ("Morning snack", "10:30", SNACK, 0.12),
        ("Lunch", "13:00", MAIN_MEAL, 0.28),
        ("Afternoon snack", "16:00", SNACK, 0.12),
        ("Dinner", "19:30", MAIN_MEAL, 0.26),
    ),
    6: (
        ("Breakfast", "07:00", BREAKFAST, 0.20),
        ("Morning snack", "10:00", SNACK, 0.10),
        ("Lunch", "12:30", MAIN_MEAL, 0.25),
        ("Afternoon snack", "15:30", SNACK, 0.10),
        ("Dinner", "18:30", MAIN_MEAL, 0.25),
        ("Evening snack", "21:00", SNACK, 0.10),
    ),
}


def _macros(food: Food, grams: float) -> dict[str, float]:
    protein, carbs, fat = (
        round(food.protein * grams / 100, 1),
        round(food.carbs * grams / 100, 1),
        round(food.fat * grams / 100, 1),
    )
    # kcal from the macros (Atwater factors), so a meal's numbers always add up.
    return {"kcal": round(protein * 4 + carbs * 4 + fat * 9, 1), "protein": protein, "carbs": carbs, "fat": fat}


def _solve(foods: list[Food], target: np.ndarray) -> list[float]:
    """Non-negative grams of each food that best meet (protein, carbs, fat): a tiny active-set NNLS."""
    matrix = np.array([[f.protein, f.carbs, f.fat] for f in foods]).T / 100
    active = list(range(len(foods)))
    grams = np.zeros(len(foods))
    while active:
        solution, *_ = np.linalg.lstsq(matrix[:, active], target, rcond=None)
        if (solution >= 0).all():
            grams[:] = 0
            grams[active] = solution
            return grams.tolist()
        active.pop(int(np.argmin(solution)))
    return grams.tolist()


def _quantity(food: Food, grams: float, unit_system: str) -> tuple[float, str, float]:
    """(quantity, unit, grams it stands for), rounded to a step a kitchen can measure."""
    if unit_system == "imperial":
        if food.oil:
            tablespoons = round(grams / GRAMS_PER_TABLESPOON_OIL * 2) / 2
            return tablespoons, "tbsp", tablespoons * GRAMS_PER_TABLESPOON_OIL
        ounces = round(grams / GRAMS_PER_OUNCE * 4) / 4
        return ounces, "oz", ounces * GRAMS_PER_OUNCE
    rounded = float(round(grams / 5) * 5)
    return rounded, "g", rounded


def _sized(foods: list[Food], fixed: tuple, wanted: np.ndarray, unit_system: str) -> list[dict]:
    items, remaining = [], wanted.copy()
    for food, grams in fixed:
        quantity, unit, real_grams = _quantity(food, grams, unit_system)
        items.append({"food": food.name, "quantity": quantity, "unit": unit, **_macros(food, real_grams)})
        remaining -= np.array([food.protein, food.carbs, food.fat]) * real_grams / 100
    for food, grams in zip(foods, _solve(foods, np.maximum(remaining, 0)), strict=True):
        quantity, unit, real_grams = _quantity(food, grams, unit_system)
        if quantity <= 0:
            continue  # the other foods already cover this macro
        items.append({"food": food.name, "quantity": quantity, "unit": unit, **_macros(food, real_grams)})
    return items


def _miss(items: list[dict], wanted: np.ndarray) -> float:
    """The largest relative miss over kcal, protein, carbohydrate and fat."""
    got = np.array([sum(item[m] for item in items) for m in ("protein", "carbs", "fat")])
    kcal_wanted = float(wanted @ np.array([4, 4, 9]))
    kcal_got = sum(item["kcal"] for item in items)
    misses = np.abs(got - wanted) / np.maximum(wanted, 5.0)
    return max(float(misses.max()), abs(kcal_got - kcal_wanted) / kcal_wanted)


# A meal is accepted once every macro and the energy are within this share of their targets.
MEAL_TOLERANCE = 0.05


def _meal_items(kind: dict, share: float, targets: Targets, rng: random.Random, unit_system: str) -> list[dict]:
    """A protein, a carbohydrate and a fat food (plus the meal's fixed foods) sized to the meal's share.

    Combinations are tried in a seeded order; the first within tolerance wins (variety), else
    the closest (a food rich in two macros cannot always meet three targets).
    """
    wanted = np.array([targets.protein * share, targets.carbs * share, targets.fat * share])
    combinations = [list(c) for c in itertools.product(kind["protein"], kind["carbs"], kind["fat"])]
    rng.shuffle(combinations)
    best, best_miss = None, float("inf")
    for foods in combinations:
        items = _sized(foods, kind["fixed"], wanted, unit_system)
        miss = _miss(items, wanted)
        if miss <= MEAL_TOLERANCE:
            return items
        if miss < best_miss:
            best, best_miss = items, miss
    assert best is not None  # every meal kind lists at least one food of each macro
    return best


@dataclass
class DietDraft:
    """The diet content, its targets, and what explains it."""

    name: str
    description: str
    tags: list[str]
    content: dict[str, Any]
    explanations: list[dict[str, Any]]
    targets: Targets


def _explain(explanations: list[dict[str, Any]], topic: str, message: str) -> None:
    explanations.append({"topic": topic, "path": "diet", "message": message})


def _weight_text(kg: float, unit_system: str) -> str:
    return f"{kg:g} kg ({kg / 0.45359237:.0f} lb)" if unit_system == "imperial" else f"{kg:g} kg"


def build_diet(request: GenerationRequest) -> DietDraft | None:
    """The diet draft when age, height and weight are known; None otherwise."""
    body = request.body
    if body is None or body.missing:
        return None
    targets = targets_for(body, request.goal, request.days_per_week)
    weight_kg = body.weight_kg
    assert weight_kg is not None  # targets_for refuses a body without one
    # A separate stream from the workout's, so food choices never shift exercise choices.
    rng = random.Random(f"diet:{request.seed}")
    meals = []
    for name, time, kind, share in MEAL_PLANS[request.meals_per_day]:
        meals.append({"name": name, "time": time, "items": _meal_items(kind, share, targets, rng, request.unit_system)})
    content = {
        "days": [{"name": "Every day", "meals": meals}],
        "targets": {
            "kcal": round(targets.kcal),
            "protein": round(targets.protein),
            "carbs": round(targets.carbs),
            "fat": round(targets.fat),
        },
    }
    explanations: list[dict[str, Any]] = []
    sex_text = {"male": "+ 5 (male)", "female": "- 161 (female)"}.get(
        body.sex or "", "- 78 (midpoint: sex not given as male or female)"
    )
    _explain(
        explanations,
        "energy",
        f"Resting energy (Mifflin-St Jeor): 10 x {_weight_text(weight_kg, request.unit_system)} + 6.25 x "
        f"{body.height_cm:g} cm - 5 x {body.age} years {sex_text} = {targets.bmr:.0f} kcal.",
    )
    activity_source = "given" if body.activity_level else f"from {request.days_per_week} training days a week"
    _explain(
        explanations,
        "energy",
        f"x {targets.factor} for {ACTIVITY_WORDS[targets.activity_level]} ({activity_source}) = "
        f"{targets.maintenance:.0f} kcal to maintain weight.",
    )
    change = GOAL_ENERGY[request.goal]
    goal_text = (
        "no change for general fitness" if change == 0 else f"{change:+.0%} for {request.goal.replace('_', ' ')}"
    )
    message = f"Target: {goal_text} = {targets.kcal:.0f} kcal a day."
    if targets.floored:
        message += " Raised to the resting energy: a deficit below it costs muscle and is hard to sustain."
    _explain(explanations, "energy", message)
    protein_text = (
        f"{PROTEIN_PER_KG[request.goal]} g per kg x {targets.protein_weight_kg:.1f} kg = {targets.protein:.0f} g"
    )
    if targets.protein_weight_kg < weight_kg:
        protein_text += f" (weight at a BMI of {PROTEIN_BMI_CAP:g}: extra fat mass needs no extra protein)"
    _explain(explanations, "macros", f"Protein: {protein_text}.")
    _explain(
        explanations,
        "macros",
        f"Fat: {FAT_SHARE[request.goal]:.0%} of energy = {targets.fat:.0f} g; carbohydrate: the rest, "
        f"{targets.carbs:.0f} g.",
    )
    shares = ", ".join(f"{name.lower()} {share:.0%}" for name, _, _, share in MEAL_PLANS[request.meals_per_day])
    _explain(
        explanations,
        "meals",
        f"{request.meals_per_day} meals: {shares}; each meal's foods are sized to its share of every macro, "
        f"in {'ounces' if request.unit_system == 'imperial' else 'grams'}. Swap foods freely for equivalents.",
    )
    goal = request.goal.replace("_", " ")
    return DietDraft(
        name=f"Diet draft: {goal}, {round(targets.kcal)} kcal",
        description=(
            f"{round(targets.kcal)} kcal, {round(targets.protein)} g protein, {round(targets.carbs)} g "
            f"carbohydrate, {round(targets.fat)} g fat a day. Generated by rules; review before assigning."
        ),
        tags=["generated", request.goal, "diet"],
        content=content,
        explanations=explanations,
        targets=targets,
    )
