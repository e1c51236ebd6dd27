"""The rule-based diet draft: energy by Mifflin-St Jeor, macros by goal, foods spread across the meals.

Energy: BMR = 10 x kg + 6.25 x cm - 5 x age + 5 (men) or - 161 (women); for anyone else the
midpoint (-78). BMR x activity factor = maintenance; the goal adjusts it (never below BMR).
Protein is grams per kg of body weight, fat a share of the energy, carbohydrate the rest.
Each meal gets a share of every macro, met with a protein, a carbohydrate and a fat food of the
food table whose amounts solve the meal's three targets (non-negative least squares), rounded to
kitchen steps. Foods carrying one of the client's allergens, breaking a dietary preference or
named in their dislikes are never candidates; the explanations list what was left out and why,
and a day the remaining foods cannot bring near the targets is refused (422), never bent.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

import numpy as np

from fitbud.errors import InvalidInputError
from fitbud.services.dietary import DietaryNeeds
from fitbud.services.foods import GRAMS_PER_OUNCE
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
class DietFood:
    """A food of the table as the generator uses it: per 100 g, with its allergens and diets."""

    id: int
    slug: str
    name: str
    kcal: float
    protein: float
    carbs: float
    fat: float
    serving_g: float
    category: str
    allergens: tuple[str, ...] = ()
    diets: tuple[str, ...] = ()

    @property
    def oil(self) -> bool:
        """Oils are measured by the spoon, not weighed, in imperial kitchens."""
        return self.category == "fats_oils"


# What each kind of meal is built from: built-in foods by slug, per role. Each role lists foods
# for most diets and allergies (plant, dairy, egg, fish, meat; gluten-free grains; seeds besides
# nuts), so a client's restrictions leave something to choose from; the fixed foods come with it.
MealKind = dict[str, Any]  # role -> slugs; "fixed" -> ((slug, grams), ...)
BREAKFAST: MealKind = {
    "protein": (
        "greek-yogurt-plain-0-fat",
        "egg-whole-boiled",
        "cottage-cheese",
        "skyr-plain",
        "tofu-firm",
        "soy-yogurt-plain",
        "egg-white",
        "pea-protein-powder",
    ),
    "carbs": (
        "rolled-oats-dry",
        "wholemeal-bread",
        "rye-bread",
        "puffed-rice-cereal",
        "rice-cakes",
        "corn-tortilla",
        "banana",
    ),
    "fat": (
        "almonds",
        "peanut-butter-smooth",
        "walnuts",
        "sunflower-seeds",
        "pumpkin-seeds",
        "avocado",
        "chia-seeds",
        "hemp-seeds-hulled",
    ),
    "fixed": (("blueberries", 100),),
}
MAIN_MEAL: MealKind = {
    "protein": (
        "chicken-breast-grilled-skinless",
        "tuna-canned-in-water-drained",
        "tofu-firm",
        "salmon-fillet-baked",
        "beef-mince-5-fat-cooked",
        "turkey-breast-roasted",
        "cod-fillet-baked",
        "prawns-cooked",
        "tempeh",
        "seitan",
        "lupini-beans-cooked",
        "mycoprotein-mince",
        "lentils-green-or-brown-cooked",
        "chickpeas-cooked",
        "pork-tenderloin-roasted",
        "lamb-leg-roasted-lean",
        "egg-whole-boiled",
        "cottage-cheese",
    ),
    "carbs": (
        "white-rice-cooked",
        "potato-boiled",
        "wholewheat-pasta-cooked",
        "sweet-potato-baked",
        "quinoa-cooked",
        "basmati-rice-cooked",
        "buckwheat-groats-cooked",
        "couscous-cooked",
    ),
    "fat": ("olive-oil", "rapeseed-oil", "avocado", "pumpkin-seeds"),
    "fixed": (("broccoli-boiled", 150), ("mixed-salad-leaves", 100)),
}
SNACK: MealKind = {
    "protein": (
        "greek-yogurt-plain-0-fat",
        "cottage-cheese",
        "whey-protein-powder",
        "skyr-plain",
        "pea-protein-powder",
        "edamame-shelled-cooked",
        "egg-whole-boiled",
        "soy-yogurt-plain",
    ),
    "carbs": ("banana", "apple", "rice-cakes", "dates-dried"),
    "fat": ("almonds", "peanut-butter-smooth", "pumpkin-seeds", "sunflower-seeds", "walnuts"),
    "fixed": (),
}
ROLES = ("protein", "carbs", "fat")
MEAL_KINDS = (BREAKFAST, MAIN_MEAL, SNACK)


def generator_slugs() -> set[str]:
    """Every built-in food a generated diet may use (before the client's restrictions)."""
    slugs: set[str] = set()
    for kind in MEAL_KINDS:
        for role in ROLES:
            slugs.update(kind[role])
        slugs.update(slug for slug, _grams in kind["fixed"])
    return slugs


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


def _macros(food: DietFood, grams: float) -> dict[str, float]:
    protein, carbs, fat = (
        round(food.protein * grams / 100, 1),
        round(food.carbs * grams / 100, 1),
        round(food.fat * grams / 100, 1),
    )
    # The table's energy, as the saved item will have it (plan_content recomputes every item that
    # names a food): with fibre it is below the macros' Atwater sum, and the fit must say so.
    return {"kcal": round(food.kcal * grams / 100, 1), "protein": protein, "carbs": carbs, "fat": fat}


def _per_gram(food: DietFood) -> np.ndarray:
    return np.array([food.protein, food.carbs, food.fat, food.kcal]) / 100


def _solve(foods: list[DietFood], target: np.ndarray) -> list[float]:
    """Non-negative grams of each food that best meet (protein, carbs, fat, kcal): a tiny active-set NNLS.

    Each target's error counts relative to its size, as `_miss` judges it: the table's energy is
    a target of its own (fibre makes it differ from what the macros alone would say).
    """
    weights = np.maximum(target, np.array([5.0, 5.0, 5.0, 50.0]))
    matrix = np.array([_per_gram(f) for f in foods]).T / weights[:, None]
    scaled = target / weights
    active = list(range(len(foods)))
    grams = np.zeros(len(foods))
    while active:
        solution, *_ = np.linalg.lstsq(matrix[:, active], scaled, rcond=None)
        if (solution >= 0).all():
            grams[:] = 0
            grams[active] = solution
            return grams.tolist()
        active.pop(int(np.argmin(solution)))
    return grams.tolist()


def _quantity(food: DietFood, grams: float, unit_system: str) -> tuple[float, str, float]:
    """(quantity, unit, grams it stands for), rounded to a step a kitchen can measure.

    Units are ones a food of the table can be given in (plan_content.FOOD_UNITS): grams, ounces,
    or for oils in imperial kitchens the table's serving (a tablespoon), in half steps.
    """
    if unit_system == "imperial":
        if food.oil:
            servings = round(grams / food.serving_g * 2) / 2
            return servings, "serving", servings * food.serving_g
        ounces = round(grams / GRAMS_PER_OUNCE * 4) / 4
        return ounces, "oz", ounces * GRAMS_PER_OUNCE
    rounded = float(round(grams / 5) * 5)
    return rounded, "g", rounded


def _item(food: DietFood, grams: float, unit_system: str) -> tuple[dict[str, Any], float] | None:
    quantity, unit, real_grams = _quantity(food, grams, unit_system)
    if quantity <= 0:
        return None
    item = {"food_id": food.id, "food": food.name, "quantity": quantity, "unit": unit, **_macros(food, real_grams)}
    return item, real_grams


def _sized(
    foods: list[DietFood], fixed: list[tuple[DietFood, float]], wanted: np.ndarray, unit_system: str
) -> list[dict]:
    items, remaining = [], wanted.copy()
    for food, grams in fixed:
        made = _item(food, grams, unit_system)
        if made is None:
            continue
        items.append(made[0])
        remaining -= _per_gram(food) * made[1]
    for food, grams in zip(foods, _solve(foods, np.maximum(remaining, 0)), strict=True):
        made = _item(food, grams, unit_system)
        if made is not None:  # None: the other foods already cover this macro
            items.append(made[0])
    return items


def _miss(items: list[dict], wanted: np.ndarray) -> float:
    """The largest relative miss over protein, carbohydrate, fat and kcal."""
    got = np.array([sum(item[m] for item in items) for m in ("protein", "carbs", "fat", "kcal")])
    misses = np.abs(got - wanted) / np.maximum(wanted, np.array([5.0, 5.0, 5.0, 50.0]))
    return float(misses.max())


# A meal is accepted once every macro and the energy are within this share of their targets.
MEAL_TOLERANCE = 0.05
# At most this many food combinations are sized per meal (in a seeded order): enough for variety
# and a close fit, and a bound on the time when restrictions make a close fit impossible.
MAX_COMBINATIONS = 60
# A day the allowed foods cannot bring this close to the energy and protein targets is refused
# (422) rather than handed out: a diet that misses them by more is not the diet the numbers say.
DAY_ENERGY_TOLERANCE = 0.10
DAY_PROTEIN_SHORTFALL = 0.15


@dataclass(frozen=True)
class MealFoods:
    """What one kind of meal may be built from once the client's restrictions are applied."""

    roles: dict[str, list[DietFood]]
    fixed: list[tuple[DietFood, float]]

    @property
    def empty(self) -> bool:
        """Nothing at all is left to build the meal from."""
        return not any(self.roles.values())


def meal_foods(kind: dict, allowed: dict[str, DietFood]) -> MealFoods:
    """The allowed foods of a meal kind, per role, in the kind's order."""
    roles = {role: [allowed[slug] for slug in kind[role] if slug in allowed] for role in ROLES}
    fixed = [(allowed[slug], grams) for slug, grams in kind["fixed"] if slug in allowed]
    return MealFoods(roles, fixed)


def _combinations(pools: list[list[DietFood]], rng: random.Random) -> list[list[DietFood]]:
    """Up to MAX_COMBINATIONS distinct picks of one food per pool, in a seeded order.

    Sampled by index rather than listed: the main meal has hundreds of combinations, and listing
    and shuffling them all was most of a diet's time.
    """
    total = math.prod(len(pool) for pool in pools)
    picks = []
    for index in rng.sample(range(total), min(total, MAX_COMBINATIONS)):
        chosen = []
        for pool in pools:
            index, position = divmod(index, len(pool))
            chosen.append(pool[position])
        picks.append(list(dict.fromkeys(chosen)))  # a food in two roles (avocado) is sized once
    return picks


def _meal_items(foods: MealFoods, share: float, targets: Targets, rng: random.Random, unit_system: str) -> list[dict]:
    """A protein, a carbohydrate and a fat food (plus the meal's fixed foods) sized to the meal's share.

    Combinations are tried in a seeded order; the first within tolerance wins (variety), else
    the closest (a food rich in two macros cannot always meet three targets). A role with no food
    left is skipped: the other foods then carry its macro.
    """
    wanted = np.array([targets.protein, targets.carbs, targets.fat, targets.kcal]) * share
    pools = [pool for pool in (foods.roles[role] for role in ROLES) if pool]
    best, best_miss = None, float("inf")
    for chosen in _combinations(pools, rng):
        items = _sized(chosen, foods.fixed, wanted, unit_system)
        miss = _miss(items, wanted)
        if miss <= MEAL_TOLERANCE:
            return items
        if miss < best_miss:
            best, best_miss = items, miss
    assert best is not None  # the caller refuses a meal with no food left
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


# Names listed in one explanation before "and N more".
NAMES_SHOWN = 12


def _names(foods: list[DietFood]) -> str:
    names = [food.name for food in foods]
    if len(names) > NAMES_SHOWN:
        return ", ".join(names[:NAMES_SHOWN]) + f" and {len(names) - NAMES_SHOWN} more"
    return ", ".join(names)


def allowed_foods(foods: dict[str, DietFood], needs: DietaryNeeds) -> tuple[dict[str, DietFood], dict[str, list]]:
    """(the foods the client may be given, by slug; the others grouped by why not, in table order)."""
    allowed: dict[str, DietFood] = {}
    left_out: dict[str, list[DietFood]] = {}
    for slug, food in foods.items():
        reason = needs.why_not(food)
        if reason is None:
            allowed[slug] = food
        else:
            left_out.setdefault(reason, []).append(food)
    return allowed, left_out


def _dietary_explanations(needs: DietaryNeeds, left_out: dict[str, list[DietFood]]) -> list[dict[str, Any]]:
    explanations: list[dict[str, Any]] = []
    if needs.is_empty and not needs.unchecked_allergies:
        return explanations
    if not needs.is_empty:
        _explain(explanations, "dietary", f"Every food respects the client's {needs.describe()}.")
    for reason, foods in left_out.items():
        _explain(explanations, "dietary", f"Left out ({reason}): {_names(foods)}.")
    for text in needs.unchecked_allergies:
        _explain(
            explanations,
            "dietary",
            f'The allergy "{text}" names none of the 14 allergens the food table tags: check every food '
            f"of this diet against it yourself.",
        )
    return explanations


def _impossible(message: str) -> InvalidInputError:
    return InvalidInputError(message, errors={"diet": [message]})


def _check_day(meals: list[dict[str, Any]], targets: Targets, needs: DietaryNeeds) -> None:
    """Refuse (422) a day the allowed foods cannot bring near the energy and protein targets."""
    items = [item for meal in meals for item in meal["items"]]
    kcal = sum(item["kcal"] for item in items)
    protein = sum(item["protein"] for item in items)
    problems = []
    if abs(kcal - targets.kcal) > DAY_ENERGY_TOLERANCE * targets.kcal:
        problems.append(f"{kcal:.0f} kcal instead of {targets.kcal:.0f}")
    if protein < (1 - DAY_PROTEIN_SHORTFALL) * targets.protein:
        problems.append(f"{protein:.0f} g protein instead of {targets.protein:.0f} g")
    if problems:
        raise _impossible(
            f"No diet: with the client's {needs.describe()}, the foods left reach only {' and '.join(problems)} "
            f"a day. Write this diet by hand, or review the restrictions."
        )


def build_diet(request: GenerationRequest, foods: dict[str, DietFood]) -> DietDraft | None:
    """The diet draft when age, height and weight are known; None otherwise.

    `foods` are the generator's foods of the table by slug (see `generator_slugs`); none that
    carries a client's allergen or breaks a preference is ever used. When too few are left to
    meet the targets, InvalidInputError (422) says what is impossible.
    """
    body = request.body
    if body is None or body.missing:
        return None
    targets = targets_for(body, request.goal, request.days_per_week)
    weight_kg = body.weight_kg
    assert weight_kg is not None  # targets_for refuses a body without one
    needs = request.dietary
    allowed, left_out = allowed_foods(foods, needs)
    # A separate stream from the workout's, so food choices never shift exercise choices.
    rng = random.Random(f"diet:{request.seed}")
    meals = []
    for name, time, kind, share in MEAL_PLANS[request.meals_per_day]:
        available = meal_foods(kind, allowed)
        if available.empty:
            raise _impossible(
                f"No diet: with the client's {needs.describe()}, no food of the table is left for {name.lower()}. "
                f"Write this diet by hand, or review the restrictions."
            )
        meals.append(
            {"name": name, "time": time, "items": _meal_items(available, share, targets, rng, request.unit_system)}
        )
    _check_day(meals, targets, needs)
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
        f"{request.meals_per_day} meals: {shares}; each meal's foods, from the food table, are sized to its "
        f"share of every macro, in {'ounces' if request.unit_system == 'imperial' else 'grams'}. Swap foods "
        f"freely for equivalents the client may eat.",
    )
    explanations += _dietary_explanations(needs, left_out)
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
