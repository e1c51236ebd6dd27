"""What a client's diet must respect: their allergens, dietary preferences and dislikes, and which foods break them.

One home for the rule "may this client be given this food": the plan generator, the diet
assignment check, the diet editor's warning and the meal-log flag all ask `DietaryNeeds`.
Allergens come from the structured list (the 14 of `fitbud.data.foods.ALLERGENS`) and also from
free text (the profile's `other_allergies` and the health details' `allergies`) where a word names
one of the 14 ("Peanuts", "shellfish"): an allergy typed in the wrong box still protects the client.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from fitbud.data.foods import ALLERGENS, DIETS
from fitbud.models import Client
from fitbud.models.client import DIETARY_KEYS
from fitbud.services.foods import foods_by_id, foods_named
from fitbud.services.plan_content import diet_items

MAX_FREE_TEXT = 500
# Words in free text that name one of the 14 allergens (matched as whole words, plural too).
ALLERGEN_WORDS: dict[str, tuple[str, ...]] = {
    "gluten": ("gluten", "wheat", "barley", "rye", "spelt", "coeliac", "celiac", "cereal"),
    "crustaceans": ("crustacean", "shellfish", "shrimp", "prawn", "crab", "lobster", "crayfish", "langoustine"),
    "eggs": ("egg",),
    "fish": ("fish",),
    "peanuts": ("peanut", "groundnut"),
    "soybeans": ("soy", "soya", "soybean", "tofu", "edamame"),
    "milk": ("milk", "dairy", "lactose", "casein", "whey"),
    "tree_nuts": (
        "nut",
        "tree nut",
        "almond",
        "hazelnut",
        "walnut",
        "cashew",
        "pecan",
        "pistachio",
        "macadamia",
        "brazil nut",
    ),
    "celery": ("celery", "celeriac"),
    "mustard": ("mustard",),
    "sesame": ("sesame", "tahini"),
    "sulphites": ("sulphite", "sulfite", "sulphur dioxide", "sulfur dioxide"),
    "lupin": ("lupin", "lupine"),
    "molluscs": (
        "mollusc",
        "mollusk",
        "shellfish",
        "mussel",
        "oyster",
        "clam",
        "squid",
        "octopus",
        "scallop",
        "snail",
        "calamari",
    ),
}
LABELS = {
    "tree_nuts": "tree nuts",
    "lactose_free": "lactose-free",
    "gluten_free": "gluten-free",
}


def label(term: str) -> str:
    """A vocabulary value as people write it ("tree_nuts" -> "tree nuts")."""
    return LABELS.get(term, term.replace("_", " "))


def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"\b" + re.escape(word.lower()) + r"(?:s|es)?\b")


_ALLERGEN_PATTERNS = {allergen: [_word_pattern(word) for word in words] for allergen, words in ALLERGEN_WORDS.items()}


def allergens_named_in(text: str) -> set[str]:
    """The allergens of the 14 that free text names ("peanuts and shellfish" -> peanuts, crustaceans, molluscs)."""
    lowered = text.lower()
    # "peanut" is not a tree nut, nor is "nutmeg" or "coconut": take peanut mentions out first.
    without_peanuts = re.sub(r"\b(?:pea|ground)nuts?\b", " ", lowered)
    found = set()
    for allergen, patterns in _ALLERGEN_PATTERNS.items():
        haystack = without_peanuts if allergen == "tree_nuts" else lowered
        if any(pattern.search(haystack) for pattern in patterns):
            found.add(allergen)
    return found


def empty_dietary() -> dict[str, Any]:
    """Dietary details with nothing recorded."""
    return {"allergies": [], "other_allergies": "", "dietary_preferences": [], "dislikes": ""}


def dietary_of(client: Client) -> dict[str, Any]:
    """The client's dietary details, every key present (the client row must have them loaded)."""
    return {**empty_dietary(), **(client.dietary_details or {})}


def merged_dietary(client: Client, changes: dict[str, Any]) -> dict[str, Any]:
    """The dietary details after `changes` (only the keys given change), in vocabulary order."""
    merged = dietary_of(client)
    for key in DIETARY_KEYS:
        if key not in changes:
            continue
        value = changes[key]
        if key == "allergies":
            merged[key] = [allergen for allergen in ALLERGENS if allergen in set(value or ())]
        elif key == "dietary_preferences":
            merged[key] = [diet for diet in DIETS if diet in set(value or ())]
        else:
            merged[key] = (value or "").strip()
    return merged


def _terms(text: str) -> list[str]:
    return [term.strip().lower() for term in re.split(r"[,;\n]+", text) if term.strip()]


class FoodLike(Protocol):
    """Anything with a food's name, allergens and diets (a Food row, a generator candidate)."""

    @property
    def name(self) -> str: ...

    @property
    def allergens(self) -> Any: ...

    @property
    def diets(self) -> Any: ...


@dataclass(frozen=True)
class DietaryNeeds:
    """The rules a client's food must follow; empty needs allow every food."""

    allergens: frozenset[str] = frozenset()
    diets: frozenset[str] = frozenset()
    dislikes: tuple[str, ...] = ()
    # Allergy text naming none of the 14: no food tag can check it, so the trainer must.
    unchecked_allergies: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        """Nothing to respect."""
        return not (self.allergens or self.diets or self.dislikes)

    def allergens_in(self, food: FoodLike) -> list[str]:
        """The client's allergens this food carries, in vocabulary order."""
        carried = set(food.allergens or ())
        return [allergen for allergen in ALLERGENS if allergen in self.allergens and allergen in carried]

    def diets_broken_by(self, food: FoodLike) -> list[str]:
        """The client's dietary preferences this food does not suit."""
        suited = set(food.diets or ())
        return [diet for diet in DIETS if diet in self.diets and diet not in suited]

    def dislikes_in(self, food: FoodLike) -> list[str]:
        """The client's dislikes the food's name mentions."""
        name = food.name.lower()
        return [term for term in self.dislikes if _word_pattern(term.removesuffix("s")).search(name)]

    def why_not(self, food: FoodLike) -> str | None:
        """Why the client may not be given this food ("contains peanuts (allergy)"), or None when it may."""
        reasons = [f"contains {label(allergen)} (allergy)" for allergen in self.allergens_in(food)]
        reasons += [f"not {label(diet)}" for diet in self.diets_broken_by(food)]
        reasons += [f"disliked ({term})" for term in self.dislikes_in(food)]
        return "; ".join(reasons) or None

    def describe(self) -> str:
        """The needs in a sentence's words: "allergies: peanuts, milk; preferences: vegetarian"."""
        parts = []
        if self.allergens:
            parts.append("allergies: " + ", ".join(label(a) for a in ALLERGENS if a in self.allergens))
        if self.diets:
            parts.append("preferences: " + ", ".join(label(d) for d in DIETS if d in self.diets))
        if self.dislikes:
            parts.append("dislikes: " + ", ".join(self.dislikes))
        return "; ".join(parts) or "no allergies or preferences"


def needs_from(
    allergies: Iterable[str] = (),
    dietary_preferences: Iterable[str] = (),
    other_allergies: str = "",
    dislikes: str = "",
    health_allergies: Iterable[str] = (),
) -> DietaryNeeds:
    """Needs from the profile's parts (free-text allergies that name one of the 14 count as that allergen)."""
    allergens = {allergen for allergen in allergies if allergen in ALLERGENS}
    unchecked = []
    for text in [*_terms(other_allergies), *(str(item) for item in health_allergies)]:
        named = allergens_named_in(text)
        allergens |= named
        if not named and text.strip():
            unchecked.append(text.strip())
    return DietaryNeeds(
        allergens=frozenset(allergens),
        diets=frozenset(diet for diet in dietary_preferences if diet in DIETS),
        dislikes=tuple(dict.fromkeys(_terms(dislikes))),
        unchecked_allergies=tuple(dict.fromkeys(unchecked)),
    )


def needs_of(client: Client) -> DietaryNeeds:
    """What the client's food must respect (the row must have dietary and health details loaded)."""
    details = dietary_of(client)
    health = client.health_details or {}
    return needs_from(
        details["allergies"],
        details["dietary_preferences"],
        details["other_allergies"],
        details["dislikes"],
        health.get("allergies") or (),
    )


@dataclass(frozen=True)
class AllergenConflict:
    """A diet item carrying some of the client's allergens.

    `certain`: the item is a food of the table (by id, or named exactly like one) whose tags carry
    them; otherwise only its typed name suggests them ("Peanut sauce"), which warns but proves nothing.
    """

    path: str
    food: str
    allergens: tuple[str, ...]
    certain: bool

    def describe(self) -> str:
        """"Peanut butter, smooth (peanuts)"."""
        return f"{self.food} ({', '.join(label(a) for a in self.allergens)})"


def allergen_conflicts(
    trainer_id: int, content: dict[str, Any], needs: DietaryNeeds, *, by_name: bool = False
) -> list[AllergenConflict]:
    """The diet's items that carry one of the client's allergens, in the diet's order.

    Items naming a food of the table (food_id, or exactly its name) are judged by its tags; with
    `by_name`, other items are also judged by the allergens their typed name mentions.
    """
    if not needs.allergens:
        return []
    items = diet_items(content)
    by_id = foods_by_id(trainer_id, [item["food_id"] for _, item in items if isinstance(item.get("food_id"), int)])
    named = foods_named(trainer_id, [item["food"] for _, item in items if isinstance(item.get("food"), str)])
    conflicts = []
    for path, item in items:
        name: str = item["food"] if isinstance(item.get("food"), str) else ""
        food = by_id.get(item["food_id"]) if isinstance(item.get("food_id"), int) else None
        food = food or named.get(name.strip().lower())
        if food is not None:
            carried = needs.allergens_in(food)
            if carried:
                conflicts.append(AllergenConflict(path, food.name, tuple(carried), True))
        elif by_name and name:
            suggested = [a for a in ALLERGENS if a in needs.allergens and a in allergens_named_in(name)]
            if suggested:
                conflicts.append(AllergenConflict(path, name, tuple(suggested), False))
    return conflicts
