"""The food table: who sees which foods, search by allergen and diet, trainers' own foods, macro scaling.

Everyone sees the built-in foods; a trainer also sees their own foods, and a client sees their
trainer's (like custom exercises). Energy and macros are stored per 100 g; `macros_for` gives
them for a quantity, which is how diet plan items that name a food compute theirs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.exc import IntegrityError

from fitbud.data.foods import MACROS, upsert_builtin_foods
from fitbud.data.library import UpsertResult
from fitbud.errors import ConflictError, NotFoundError, PermissionDeniedError
from fitbud.extensions import db
from fitbud.models import Food, User
from fitbud.services.exercises import trainer_scope

# An ounce as kitchens and the diet generator count it (the avoirdupois ounce is 28.3495 g).
GRAMS_PER_OUNCE = 28.35
# A trainer's own foods are listed with the built-ins; this keeps the table a trainer adds small.
MAX_OWN_FOODS = 2000
EDITABLE_FIELDS = (
    "name",
    "category",
    "kcal",
    "protein_g",
    "carbs_g",
    "fat_g",
    "serving_g",
    "serving",
    "allergens",
    "diets",
)


def visible_to(trainer_id: int | None) -> ColumnElement[bool]:
    """Foods a trainer's world sees: the built-ins and that trainer's own."""
    if trainer_id is None:
        return Food.owner_id.is_(None)
    return or_(Food.owner_id.is_(None), Food.owner_id == trainer_id)


def search(user: User, filters: dict[str, Any]) -> Select[Food]:
    """The visible foods matching every filter given, by name.

    `q`: words that must all appear in the name; `allergen_free`: contains none of these
    allergens; `diet`: suits every one of these diets; `category`: any of these; `source`:
    builtin or own.
    """
    statement = select(Food).where(visible_to(trainer_scope(user)))
    for word in filters.get("q", "").lower().split():
        statement = statement.where(func.lower(Food.name).contains(word, autoescape=True))
    if filters.get("category"):
        statement = statement.where(Food.category.in_(filters["category"]))
    if filters.get("source") == "builtin":
        statement = statement.where(Food.owner_id.is_(None))
    elif filters.get("source") == "own":
        statement = statement.where(Food.owner_id.is_not(None))
    # Allergens and diets are short JSON lists: the candidates are narrowed in SQL by the other
    # filters and checked here, which works the same on SQLite and PostgreSQL.
    if filters.get("allergen_free") or filters.get("diet"):
        ids = [
            food.id
            for food in db.session.execute(statement).scalars()
            if suits(food, filters.get("allergen_free", ()), filters.get("diet", ()))
        ]
        statement = select(Food).where(Food.id.in_(ids))
    return statement.order_by(func.lower(Food.name), Food.id)


def suits(food: Food, allergen_free: Iterable[str], diets: Iterable[str]) -> bool:
    """Whether `food` contains none of `allergen_free` and suits every one of `diets`."""
    return not set(allergen_free) & set(food.allergens) and set(diets) <= set(food.diets)


def get_food(user: User, food_id: int) -> Food:
    """One food `user` may see, or a 404."""
    food = db.session.execute(
        select(Food).where(Food.id == food_id, visible_to(trainer_scope(user)))
    ).scalar_one_or_none()
    if food is None:
        raise NotFoundError("Food not found.")
    return food


def foods_by_id(trainer_id: int | None, food_ids: Iterable[int]) -> dict[int, Food]:
    """Those of `food_ids` the trainer's world sees (built-ins and their own), by id; others are left out."""
    wanted = set(food_ids)
    if not wanted:
        return {}
    rows = db.session.execute(select(Food).where(Food.id.in_(wanted), visible_to(trainer_id))).scalars()
    return {food.id: food for food in rows}


def foods_named(trainer_id: int | None, names: Iterable[str]) -> dict[str, Food]:
    """The visible foods whose name is one of `names` (any case), by lower-cased name; the trainer's own win."""
    wanted = {name.strip().lower() for name in names if isinstance(name, str) and name.strip()}
    if not wanted:
        return {}
    rows = db.session.execute(
        select(Food).where(func.lower(Food.name).in_(wanted), visible_to(trainer_id)).order_by(Food.owner_id.is_(None))
    ).scalars()
    found: dict[str, Food] = {}
    for food in rows:
        found.setdefault(food.name.lower(), food)
    return found


def food_names(trainer_id: int | None) -> list[str]:
    """Every food name the trainer's world sees, sorted (the diet editor suggests them)."""
    statement = select(Food.name).where(visible_to(trainer_id)).order_by(func.lower(Food.name))
    return list(dict.fromkeys(db.session.execute(statement).scalars()))


def food_suggestions(trainer_id: int | None) -> list[Food]:
    """The foods the trainer's world sees, one per name, sorted: the diet editor offers them with
    their values, so a named food's energy and macros follow its quantity in the browser."""
    statement = select(Food).where(visible_to(trainer_id)).order_by(func.lower(Food.name), Food.id)
    return list({food.name: food for food in reversed(db.session.execute(statement).scalars().all())}.values())[::-1]


def food_grams(food: Food, quantity: float, unit: str) -> float:
    """The grams `quantity` of `unit` ("g", "oz" or "serving": the food's typical serving) stand for."""
    if unit == "serving":
        return quantity * food.serving_g
    return quantity * GRAMS_PER_OUNCE if unit == "oz" else quantity


def macros_for(food: Food, grams: float) -> dict[str, float]:
    """Energy and macros of `grams` of `food`, rounded to 0.1."""
    return {name: round(getattr(food, name) * grams / 100, 1) for name in MACROS}


def _own_row(trainer: User, food_id: int) -> Food:
    food = get_food(trainer, food_id)
    if food.is_builtin:
        raise PermissionDeniedError(
            "Built-in foods are read-only; add your own food to change one.", errors={"food_id": ["built-in food"]}
        )
    return food


def _duplicate_name() -> ConflictError:
    return ConflictError("You already have a food with this name.", errors={"name": ["already used"]})


def _name_taken(trainer_id: int, name: str, except_id: int | None = None) -> bool:
    statement = select(Food.id).where(Food.owner_id == trainer_id, func.lower(Food.name) == name.lower())
    if except_id is not None:
        statement = statement.where(Food.id != except_id)
    return db.session.execute(statement.limit(1)).first() is not None


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise _duplicate_name() from None


def create_own(trainer: User, data: dict[str, Any]) -> Food:
    """Add a food to the trainer's table."""
    if _name_taken(trainer.id, data["name"]):
        raise _duplicate_name()
    count = db.session.execute(select(func.count()).select_from(Food).where(Food.owner_id == trainer.id)).scalar_one()
    if count >= MAX_OWN_FOODS:
        raise ConflictError(f"You have reached the limit of {MAX_OWN_FOODS} foods; delete unused ones first.")
    food = Food(owner_id=trainer.id, slug=None, **{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    db.session.add(food)
    _commit()
    return food


def update_own(trainer: User, food_id: int, changes: dict[str, Any]) -> Food:
    """Change one of the trainer's foods (built-ins: 403; others': 404)."""
    food = _own_row(trainer, food_id)
    if "name" in changes and _name_taken(trainer.id, changes["name"], except_id=food.id):
        raise _duplicate_name()
    for field, value in changes.items():
        if field in EDITABLE_FIELDS:
            setattr(food, field, value)
    _commit()
    return food


def delete_own(trainer: User, food_id: int) -> None:
    """Delete one of the trainer's foods; plans that named it keep their own copy of its values."""
    food = _own_row(trainer, food_id)
    db.session.delete(food)
    db.session.commit()


def reload_builtin_foods() -> UpsertResult:
    """Load the built-in food table again from its data file (upsert by slug)."""
    result = upsert_builtin_foods(db.session.connection(), Food.__table__)  # type: ignore[arg-type]
    db.session.commit()
    return result
