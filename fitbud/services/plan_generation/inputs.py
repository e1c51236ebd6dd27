"""What a plan is generated from: the request, the client's profile, and injuries turned into restrictions.

The client's profile is read defensively, because the clients domain owns it. Attributes
expected on `Client`: `date_of_birth` (date), `sex` ("male" / "female" / other), `height_cm`,
`starting_weight_kg`, and `health_details` (a dict whose `injuries` is a list of strings or of
dicts with a `name`, `area` or `description`); the client's login `User.unit_system` gives the
units. Missing attributes simply mean the value is unknown.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select

from fitbud.errors import InvalidInputError
from fitbud.extensions import db
from fitbud.models import User
from fitbud.services.client_scope import trainer_client
from fitbud.services.dietary import DietaryNeeds, needs_from

GOALS = ("fat_loss", "muscle_gain", "strength", "endurance", "general_fitness")
EXPERIENCES = ("beginner", "intermediate", "advanced")
SEXES = ("male", "female", "other")
ACTIVITY_LEVELS = ("sedentary", "light", "moderate", "very_active", "extra_active")
UNIT_SYSTEMS = ("metric", "imperial")
# Plausible adult ranges; outside them the number is far more likely a typo or a unit mix-up.
BODY_LIMITS = {"age": (14, 100), "height_cm": (120.0, 230.0), "weight_kg": (30.0, 300.0)}
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class Body:
    """What the energy equations need; any field may be unknown."""

    sex: str | None = None
    age: int | None = None
    height_cm: float | None = None
    weight_kg: float | None = None
    activity_level: str | None = None

    @property
    def missing(self) -> list[str]:
        """Fields the diet cannot be computed without."""
        return [name for name in ("age", "height_cm", "weight_kg") if getattr(self, name) is None]


@dataclass(frozen=True)
class InjuryRule:
    """Words that identify an injury, and what a program should then spare."""

    name: str
    keywords: tuple[str, ...]
    avoid: tuple[str, ...]
    # Muscles not to load even as helpers (secondary muscles), where that is the safe reading.
    strict: tuple[str, ...]
    why: str


INJURY_RULES: tuple[InjuryRule, ...] = (
    InjuryRule(
        "knee",
        ("knee", "acl", "mcl", "pcl", "menisc", "patell"),
        ("squat", "lunge", "jump"),
        (),
        "deep loaded knee bending and landings; hinges, bridges and curls keep the legs working",
    ),
    InjuryRule(
        "lower back",
        (
            "lower back",
            "low back",
            "lumbar",
            "herniat",
            "slipped disc",
            "bulging disc",
            "sciatica",
            "back pain",
            "back injury",
            "spine",
            "spinal",
        ),
        ("lower_back", "olympic"),
        ("lower_back",),
        "anything that loads the lower back, even as a helper muscle",
    ),
    InjuryRule(
        "shoulder",
        ("shoulder", "rotator", "labrum", "impingement", "ac joint"),
        ("vertical_push", "front_delts", "side_delts"),
        (),
        "overhead pressing and shoulder-led lifts; rows and supported presses remain",
    ),
    InjuryRule(
        "elbow",
        ("elbow", "tennis", "golfer", "epicondyl"),
        ("biceps", "triceps", "forearms"),
        ("forearms",),
        "elbow isolation work and heavy gripping",
    ),
    InjuryRule(
        "wrist",
        ("wrist", "hand", "carpal", "thumb"),
        ("carry", "forearms"),
        ("forearms",),
        "loaded carries and heavy gripping",
    ),
    InjuryRule(
        "hip",
        ("hip",),
        ("lunge", "jump", "hip_flexors", "adductors"),
        (),
        "lunges, jumps and hip flexor or adductor work",
    ),
    InjuryRule(
        "ankle", ("ankle", "achilles", "foot", "plantar", "shin"), ("jump", "calves"), (), "jumps and calf loading"
    ),
    InjuryRule(
        "neck",
        ("neck", "cervical", "whiplash"),
        ("vertical_push", "traps"),
        ("traps",),
        "overhead pressing and trap loading",
    ),
    InjuryRule("hamstring", ("hamstring",), ("hamstrings",), (), "hamstring-led exercises"),
    InjuryRule("groin", ("groin", "adductor"), ("adductors",), (), "adductor-led exercises"),
    InjuryRule("chest", ("pec", "chest"), ("chest",), (), "chest-led pressing"),
    InjuryRule("calf", ("calf", "calves"), ("calves", "jump"), (), "calf raises and jumps"),
)


@dataclass(frozen=True)
class InjuryMatch:
    """One injury from the profile and the rules it matched (none: the trainer must review)."""

    text: str
    rules: tuple[InjuryRule, ...]


@dataclass(frozen=True)
class GenerationRequest:
    """Everything the generators work from, already validated and merged with the client's profile."""

    goal: str
    experience: str
    days_per_week: int
    session_minutes: int
    equipment: tuple[str, ...]
    requested_avoid: tuple[str, ...]
    weeks: int
    seed: int
    meals_per_day: int
    unit_system: str
    body: Body | None
    client_id: int | None = None
    injuries: tuple[InjuryMatch, ...] = ()
    profile_notes: tuple[str, ...] = field(default=())
    # The client's allergies, preferences and dislikes (and any the request adds): the diet's rules.
    dietary: DietaryNeeds = field(default_factory=DietaryNeeds)

    @property
    def avoid(self) -> tuple[str, ...]:
        """Requested restrictions plus those the client's injuries call for."""
        merged = list(self.requested_avoid)
        for injury in self.injuries:
            for rule in injury.rules:
                merged.extend(rule.avoid)
        return tuple(dict.fromkeys(merged))

    @property
    def strict_muscles(self) -> tuple[str, ...]:
        """Muscles no exercise may load at all, not even as a secondary muscle."""
        return tuple(dict.fromkeys(m for injury in self.injuries for rule in injury.rules for m in rule.strict))

    def for_provider(self) -> dict[str, Any]:
        """The inputs as the AI provider receives them (no names, ids or dates of birth)."""
        body = None
        if self.body is not None:
            names = ("sex", "age", "height_cm", "weight_kg", "activity_level")
            body = {name: getattr(self.body, name) for name in names}
        return {
            "goal": self.goal,
            "experience": self.experience,
            "days_per_week": self.days_per_week,
            "session_minutes": self.session_minutes,
            "equipment": list(self.equipment),
            "avoid": list(self.avoid),
            "avoid_even_as_secondary": list(self.strict_muscles),
            "weeks": self.weeks,
            "seed": self.seed,
            "meals_per_day": self.meals_per_day,
            "unit_system": self.unit_system,
            "body": body,
            "injuries": [injury.text for injury in self.injuries],
            # No diet may contain a food carrying one of these allergens, or break these preferences.
            "allergies": sorted(self.dietary.allergens),
            "other_allergies": list(self.dietary.unchecked_allergies),
            "dietary_preferences": sorted(self.dietary.diets),
            "dislikes": list(self.dietary.dislikes),
        }


def _mentions(text: str, keyword: str) -> bool:
    # Keywords match at the start of a word, so "pec" finds "pectoral" but not "specific".
    return re.search(r"\b" + re.escape(keyword), text) is not None


def match_injuries(injuries: list[str]) -> tuple[InjuryMatch, ...]:
    """Each injury with the rules whose keywords it mentions."""
    matches = []
    for text in injuries:
        lowered = text.lower()
        rules = tuple(rule for rule in INJURY_RULES if any(_mentions(lowered, word) for word in rule.keywords))
        matches.append(InjuryMatch(text, rules))
    return tuple(matches)


def _injury_texts(health: Any) -> list[str]:
    if isinstance(health, str):
        try:
            health = json.loads(health)
        except ValueError:
            return []
    if not isinstance(health, dict):
        return []
    injuries = health.get("injuries") or []
    if isinstance(injuries, str):
        injuries = [injuries]
    texts = []
    for injury in injuries if isinstance(injuries, list) else []:
        if isinstance(injury, dict):
            parts = [str(injury[key]) for key in ("name", "area", "description", "notes") if injury.get(key)]
            text = " - ".join(parts)
        else:
            text = str(injury)
        if text.strip():
            texts.append(text.strip()[:200])
    return texts


def _age_on(born: Any, today: date) -> int | None:
    if not isinstance(born, date):
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _as_float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class ClientProfile:
    """The parts of a client's profile the generator uses."""

    body: Body
    injuries: list[str]
    unit_system: str | None
    dietary: DietaryNeeds = field(default_factory=DietaryNeeds)


def _dietary_needs(client: Any) -> DietaryNeeds:
    details = getattr(client, "dietary_details", None)
    details = details if isinstance(details, dict) else {}
    health = getattr(client, "health_details", None)
    health_allergies = health.get("allergies") if isinstance(health, dict) else None

    def texts(value: Any) -> list[str]:
        return [str(item) for item in value] if isinstance(value, list) else []

    return needs_from(
        texts(details.get("allergies")),
        texts(details.get("dietary_preferences")),
        str(details.get("other_allergies") or ""),
        str(details.get("dislikes") or ""),
        texts(health_allergies),
    )


def profile_from_client(client: Any, unit_system: str | None, today: date) -> ClientProfile:
    """The generator's view of a client row (any object: missing attributes mean unknown)."""
    sex = getattr(client, "sex", None)
    sex = str(getattr(sex, "value", sex)).lower() if sex is not None else None
    body = Body(
        sex=sex if sex in SEXES else None,
        age=_age_on(getattr(client, "date_of_birth", None), today),
        height_cm=_as_float(getattr(client, "height_cm", None)),
        weight_kg=_as_float(getattr(client, "starting_weight_kg", None)),
    )
    return ClientProfile(
        body, _injury_texts(getattr(client, "health_details", None)), unit_system, _dietary_needs(client)
    )


def load_client_profile(trainer: User, client_id: int, today: date) -> ClientProfile:
    """The trainer's client's body data, injuries and units; another trainer's client is a 404."""
    # Health details are deferred (and encrypted); `private` asks for them.
    client = trainer_client(trainer, client_id, private=True, field="client_id")
    unit_system = None
    if client.user_id is not None:
        unit_system = db.session.execute(select(User.unit_system).where(User.id == client.user_id)).scalar_one_or_none()
    return profile_from_client(client, unit_system, today)


def _check_body(body: Body, source: dict[str, str]) -> None:
    errors: dict[str, list[str]] = {}
    for name, (low, high) in BODY_LIMITS.items():
        value = getattr(body, name)
        if value is not None and not low <= value <= high:
            unit = {"age": "years", "height_cm": "cm", "weight_kg": "kg"}[name]
            where = source.get(name, f"body.{name}")
            if where == "client_id":
                message = (
                    f"The client's profile gives {name.replace('_', ' ')} {value:g} {unit}, outside the "
                    f"plausible {low:g}-{high:g} {unit}; correct the profile or pass body.{name}."
                )
            else:
                message = f"Must be between {low:g} and {high:g} {unit}."
            errors.setdefault(where, []).append(message)
    if errors:
        raise InvalidInputError("Body data is outside plausible ranges.", errors=errors)


def build_request(trainer: User, data: dict[str, Any], today: date) -> GenerationRequest:
    """Validated inputs merged with the client's profile (explicit body values win over the profile)."""
    notes: list[str] = []
    body_input = data.get("body") or {}
    body = Body(**{key: body_input.get(key) for key in ("sex", "age", "height_cm", "weight_kg", "activity_level")})
    source = {name: "body." + name for name in BODY_LIMITS}
    injuries: tuple[InjuryMatch, ...] = ()
    unit_system = data.get("unit_system")
    client_id = data.get("client_id")
    dietary = needs_from(data.get("allergies") or (), data.get("dietary_preferences") or ())
    if client_id is not None:
        profile = load_client_profile(trainer, client_id, today)
        merged = {}
        for name in ("sex", "age", "height_cm", "weight_kg"):
            if getattr(body, name) is None and getattr(profile.body, name) is not None:
                merged[name] = getattr(profile.body, name)
                source[name] = "client_id"
        body = replace(body, **merged)
        if merged:
            notes.append("From the client's profile: " + ", ".join(name.replace("_", " ") for name in merged) + ".")
        injuries = match_injuries(profile.injuries)
        # The request may add restrictions, never lift the client's.
        dietary = replace(
            profile.dietary,
            allergens=profile.dietary.allergens | dietary.allergens,
            diets=profile.dietary.diets | dietary.diets,
        )
        if unit_system is None and profile.unit_system in UNIT_SYSTEMS:
            unit_system = profile.unit_system
            notes.append(f"Units follow the client's setting ({unit_system}).")
    _check_body(body, source)
    if unit_system is None:
        unit_system = trainer.unit_system if trainer.unit_system in UNIT_SYSTEMS else "metric"
    has_body = any(getattr(body, name) is not None for name in ("sex", "age", "height_cm", "weight_kg"))
    seed = data.get("seed")
    return GenerationRequest(
        goal=data["goal"],
        experience=data["experience"],
        days_per_week=data["days_per_week"],
        session_minutes=data["session_minutes"],
        equipment=tuple(sorted(set(data.get("equipment") or ()) | {"bodyweight"})),
        requested_avoid=tuple(dict.fromkeys(data.get("avoid") or ())),
        weeks=data.get("weeks", 4),
        seed=secrets.randbelow(MAX_SEED) if seed is None else seed,
        meals_per_day=data.get("meals_per_day", 4),
        unit_system=unit_system,
        body=body if has_body else None,
        client_id=client_id,
        injuries=injuries,
        profile_notes=tuple(notes),
        dietary=dietary,
    )
