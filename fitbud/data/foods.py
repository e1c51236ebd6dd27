"""The built-in food table: its vocabulary (allergens, diets, categories), its data file and its loader.

`foods.json` holds energy and macronutrients per 100 g of about 400 common foods, written by the
team from public food-composition tables (the file names them), with a typical serving, the
allergens each contains (the 14 that EU and UK food law names) and the dietary preferences it
suits. Like the exercise library, nothing here imports the ORM models: the data migration and
`flask fitbud load-foods` pass the table to `upsert_builtin_foods`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import sqlalchemy as sa

from fitbud.data.library import UpsertResult

# The 14 allergens of Regulation (EU) No 1169/2011, Annex II (and UK food law).
ALLERGENS: tuple[str, ...] = (
    "gluten", "crustaceans", "eggs", "fish", "peanuts", "soybeans", "milk", "tree_nuts",
    "celery", "mustard", "sesame", "sulphites", "lupin", "molluscs",
)
# Dietary preferences a food can suit (halal and kosher: the kind of food is permitted; a
# product's certification is the client's to check).
DIETS: tuple[str, ...] = (
    "vegetarian", "vegan", "pescatarian", "halal", "kosher", "lactose_free", "gluten_free",
)
CATEGORIES: tuple[str, ...] = (
    "grains", "bread", "legumes", "plant_protein", "nuts_seeds", "vegetables", "fruit", "dairy",
    "plant_milk", "eggs", "meat", "pork", "poultry", "fish", "shellfish", "fats_oils",
    "condiments", "snacks", "beverages", "prepared",
)
MACROS: tuple[str, ...] = ("kcal", "protein_g", "carbs_g", "fat_g")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATA_FILE = "foods.json"
REQUIRED_FIELDS = (
    "slug", "name", "category", "kcal", "protein_g", "carbs_g", "fat_g", "serving_g", "serving",
    "allergens", "diets",
)
# Alcohol (g per 100 g) only matters to the energy check: drinks carry it, nothing stores it.
OPTIONAL_FIELDS = ("alcohol_g",)
DATA_COLUMNS = REQUIRED_FIELDS[1:]
# Energy from the macros (4 kcal/g protein and carbohydrate, 9 kcal/g fat) must be near the
# stated energy: a typo in a value shows as a mismatch. Fibre and rounding explain the rest.
ENERGY_TOLERANCE_KCAL = 40
ENERGY_TOLERANCE_SHARE = 0.2


class FoodDataError(ValueError):
    """The built-in food file breaks the vocabulary, misses a field or states impossible values."""


def energy_from_macros(protein_g: float, carbs_g: float, fat_g: float, alcohol_g: float = 0) -> float:
    """Atwater's general factors: what the macros (and alcohol, 7 kcal/g) provide, in kcal."""
    return 4 * protein_g + 4 * carbs_g + 9 * fat_g + 7 * alcohol_g


def _problems(record: Mapping[str, Any]) -> list[str]:
    problems = [f"missing {name}" for name in REQUIRED_FIELDS if name not in record]
    if problems:
        return problems
    if not SLUG.match(record["slug"]):
        problems.append("slug must be lower-case words joined by hyphens")
    if not str(record["name"]).strip() or len(record["name"]) > 120:
        problems.append("name must be 1-120 characters")
    if record["category"] not in CATEGORIES:
        problems.append(f"category {record['category']!r} is not in the vocabulary")
    for field in ("allergens", "diets"):
        allowed = ALLERGENS if field == "allergens" else DIETS
        unknown = [value for value in record[field] if value not in allowed]
        if unknown:
            problems.append(f"{field} has values outside the vocabulary: {unknown}")
    if not 0 <= record["kcal"] <= 900 or any(not 0 <= record[m] <= 100 for m in MACROS[1:]):
        problems.append("energy must be 0-900 kcal and each macro 0-100 g per 100 g")
    elif record["protein_g"] + record["carbs_g"] + record["fat_g"] > 100.5:
        problems.append("macros add up to more than 100 g per 100 g")
    estimated = energy_from_macros(record["protein_g"], record["carbs_g"], record["fat_g"], record.get("alcohol_g", 0))
    if abs(estimated - record["kcal"]) > max(ENERGY_TOLERANCE_KCAL, ENERGY_TOLERANCE_SHARE * record["kcal"]):
        problems.append(f"energy {record['kcal']} kcal is far from the macros' {estimated:.0f} kcal")
    if not 0 < record["serving_g"] <= 2000:
        problems.append("serving_g must be above 0 and at most 2000")
    if "milk" in record["allergens"] and "vegan" in record["diets"]:
        problems.append("a food with milk cannot be vegan")
    if "gluten" in record["allergens"] and "gluten_free" in record["diets"]:
        problems.append("a food with gluten cannot be gluten-free")
    return problems


def validate_records(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The records as plain dicts, or FoodDataError naming every bad record and duplicate."""
    cleaned, seen_slugs, seen_names, errors = [], set(), set(), []
    for index, record in enumerate(records):
        problems = _problems(record)
        if record.get("slug") in seen_slugs:
            problems.append("duplicate slug")
        if str(record.get("name", "")).strip().lower() in seen_names:
            problems.append("duplicate name")
        seen_slugs.add(record.get("slug"))
        seen_names.add(str(record.get("name", "")).strip().lower())
        if problems:
            errors.append(f"#{index} ({record.get('slug')}): {'; '.join(problems)}")
        cleaned.append({name: record[name] for name in REQUIRED_FIELDS + OPTIONAL_FIELDS if name in record})
    if errors:
        raise FoodDataError("Built-in food data is invalid: " + " | ".join(errors))
    return cleaned


@lru_cache(maxsize=1)
def _loaded() -> tuple[tuple[dict[str, Any], ...], tuple[str, ...], str]:
    raw = resources.files("fitbud.data").joinpath(DATA_FILE).read_bytes()
    document = json.loads(raw)
    return tuple(validate_records(document["foods"])), tuple(document["sources"]), hashlib.sha256(raw).hexdigest()[:16]


def builtin_foods() -> list[dict[str, Any]]:
    """The validated built-in foods from the versioned data file (fresh copies)."""
    return [dict(record, allergens=list(record["allergens"]), diets=list(record["diets"])) for record in _loaded()[0]]


def sources() -> list[str]:
    """The food-composition tables the values come from."""
    return list(_loaded()[1])


def upsert_builtin_foods(
    connection: sa.Connection, table: sa.Table, records: Iterable[Mapping[str, Any]] | None = None
) -> UpsertResult:
    """Insert missing built-in foods and update changed ones, matched by slug; again changes nothing.

    Foods that left the data file are kept: diet plans may still name them.
    """
    rows = validate_records(builtin_foods() if records is None else records)
    columns = [name for name in DATA_COLUMNS if name in table.c]
    existing = {
        row.slug: row
        for row in connection.execute(
            sa.select(table.c.id, table.c.slug, *[table.c[name] for name in columns]).where(
                table.c.owner_id.is_(None), table.c.slug.is_not(None)
            )
        )
    }
    inserts, updated, unchanged = [], 0, 0
    for record in rows:
        values = {name: record[name] for name in columns}
        current = existing.get(record["slug"])
        if current is None:
            inserts.append({"slug": record["slug"], "owner_id": None, **values})
            continue
        changed = {name: value for name, value in values.items() if getattr(current, name) != value}
        if not changed:
            unchanged += 1
            continue
        if "updated_at" in table.c:
            changed["updated_at"] = sa.func.now()
        connection.execute(sa.update(table).where(table.c.id == current.id).values(**changed))
        updated += 1
    if inserts:
        connection.execute(sa.insert(table), inserts)
    return UpsertResult(inserted=len(inserts), updated=updated, unchanged=unchanged)
