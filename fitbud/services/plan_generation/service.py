"""Generating a draft: inputs -> rules draft -> (optional) AI draft, validated -> response, optionally saved.

The rule-based draft is always made first: it is the fallback, it decides whether the request
is possible at all (422 otherwise), and it carries the diet when the AI gives none. An AI
answer is used only when it passes every check a rules draft passes: the plan content schema,
the number of weeks and training days, exercises the equipment and restrictions allow, and
sessions that fit the minutes. Nothing is stored unless `save` is asked for, and only validated
content is.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from flask import current_app
from marshmallow import fields, validate
from sqlalchemy import select

from fitbud.errors import InvalidInputError
from fitbud.extensions import db
from fitbud.models import Food, PlanKind, PlanTemplate, User
from fitbud.services.exercises import LibraryExercise, library_for_trainer
from fitbud.services.foods import foods_by_id
from fitbud.services.plan_content import diet_items, validate_content
from fitbud.services.plan_generation.diet import DietFood, allowed_foods, generator_slugs
from fitbud.services.plan_generation.inputs import GenerationRequest, build_request
from fitbud.services.plan_generation.providers import (
    HttpProvider,
    ProviderError,
    RawAnswer,
    RulesDraft,
    RulesProvider,
)
from fitbud.services.plan_generation.workout import (
    allowed_exercises,
    estimate_day_seconds,
)

logger = logging.getLogger("fitbud.plan_generation")
GENERATED_SOURCE = "generated"
# Explanation topics of the rules draft that describe what Fitbud enforced on any draft.
ENFORCED_TOPICS = ("equipment", "restrictions", "injury", "dietary")


def configured_provider() -> HttpProvider | None:
    """The HTTP provider when PLAN_AI_URL is set, else None (rules only)."""
    config = current_app.config
    if not config.get("PLAN_AI_URL"):
        return None
    return HttpProvider(
        config["PLAN_AI_URL"],
        config.get("PLAN_AI_API_KEY"),
        float(config["PLAN_AI_TIMEOUT_SECONDS"]),
        int(config["PLAN_AI_MAX_RESPONSE_BYTES"]),
    )


class _ExplanationSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    topic = fields.String(load_default="ai", validate=validate.Length(min=1, max=40))
    path = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    message = fields.String(required=True, validate=validate.Length(min=1, max=500))


def _explanations(raw: Any) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > 200:
        raise ProviderError("the AI provider's explanations are not a list of at most 200 entries")
    normalised = [{"message": entry} if isinstance(entry, str) else entry for entry in raw]
    if not all(isinstance(entry, dict) for entry in normalised):
        raise ProviderError("the AI provider's explanations are neither text nor objects")
    try:
        return _ExplanationSchema(many=True).load(normalised)
    except ma.ValidationError:
        raise ProviderError("the AI provider's explanations are malformed") from None


def _schema_problem(error: InvalidInputError) -> str:
    details = "; ".join(f"{path}: {' '.join(messages)}" for path, messages in list(error.errors.items())[:3])
    return details or error.message


def _session_minutes(content: dict[str, Any], library: dict[int, LibraryExercise]) -> list[dict[str, Any]]:
    sessions = []
    for w, week in enumerate(content["weeks"]):
        for d, day in enumerate(week["days"]):
            if day.get("rest"):
                continue
            unilateral = {i["exercise_id"]: library[i["exercise_id"]].unilateral for i in day["items"]}
            seconds = estimate_day_seconds(day["items"], unilateral)
            sessions.append({"week": w, "day": d, "name": day["name"], "estimated_minutes": math.ceil(seconds / 60)})
    return sessions


@dataclass
class Accepted:
    """An external answer that passed every check."""

    workout: dict[str, Any]
    diet: dict[str, Any] | None
    explanations: list[dict[str, Any]]
    sessions: list[dict[str, Any]]


def builtin_diet_foods() -> dict[str, DietFood]:
    """The built-in food table as the generator uses it, by slug."""
    rows = db.session.execute(select(Food).where(Food.owner_id.is_(None), Food.slug.is_not(None))).scalars()
    return {
        food.slug: DietFood(
            id=food.id,
            slug=food.slug,
            name=food.name,
            kcal=food.kcal,
            protein=food.protein_g,
            carbs=food.carbs_g,
            fat=food.fat_g,
            serving_g=food.serving_g,
            category=food.category,
            allergens=tuple(food.allergens),
            diets=tuple(food.diets),
        )
        for food in rows
        if food.slug is not None
    }


def _check_diet_foods(diet: dict[str, Any], request: GenerationRequest, trainer_id: int) -> None:
    """ProviderError when the AI provider's diet holds a food the client must not have (or one Fitbud cannot check)."""
    needs = request.dietary
    if needs.is_empty:
        return
    items = [item for _, item in diet_items(diet)]
    unchecked = sorted({item["food"] for item in items if "food_id" not in item})
    if unchecked:
        raise ProviderError(
            "the AI provider's diet has foods that are not from the food table, so they cannot be checked against "
            "the client's allergies and preferences: " + ", ".join(unchecked[:10])
        )
    foods = foods_by_id(trainer_id, {item["food_id"] for item in items})
    forbidden = {}
    for item in items:
        food = foods.get(item["food_id"])
        reason = needs.why_not(food) if food is not None else None
        if food is not None and reason is not None:
            forbidden[food.name] = reason
    if forbidden:
        raise ProviderError(
            "the AI provider's diet contains foods the client must not have: "
            + "; ".join(f"{name} ({reason})" for name, reason in sorted(forbidden.items()))
        )


def accept_answer(
    answer: RawAnswer, request: GenerationRequest, library: list[LibraryExercise], trainer_id: int
) -> Accepted:
    """The provider's answer once it passes the checks a rules draft passes, else ProviderError."""
    try:
        workout = validate_content(PlanKind.WORKOUT, answer.workout, trainer_id, field="workout")
    except InvalidInputError as error:
        raise ProviderError(f"the AI provider's workout fails the plan schema ({_schema_problem(error)})") from None
    if len(workout["weeks"]) != request.weeks:
        raise ProviderError(f"the AI provider's workout has {len(workout['weeks'])} weeks, not {request.weeks}")
    for w, week in enumerate(workout["weeks"]):
        training = sum(1 for day in week["days"] if not day.get("rest"))
        if training != request.days_per_week:
            raise ProviderError(
                f"week {w + 1} of the AI provider's workout has {training} training days, not {request.days_per_week}"
            )
    allowed = {exercise.id: exercise for exercise in allowed_exercises(request, library)}
    ruled_out = sorted(
        {
            item["exercise_id"]
            for week in workout["weeks"]
            for day in week["days"]
            for item in day["items"]
            if item["exercise_id"] not in allowed
        }
    )
    if ruled_out:
        names = {exercise.id: exercise.name for exercise in library}
        raise ProviderError(
            "the AI provider's workout uses exercises the equipment or restrictions rule out: "
            + ", ".join(names.get(i, str(i)) for i in ruled_out)
        )
    sessions = _session_minutes(workout, allowed)
    too_long = [s for s in sessions if s["estimated_minutes"] > request.session_minutes]
    if too_long:
        first = too_long[0]
        raise ProviderError(
            f"the AI provider's {first['name']} (week {first['week'] + 1}) takes about "
            f"{first['estimated_minutes']} minutes, more than {request.session_minutes}"
        )
    diet = None
    if answer.diet is not None:
        try:
            diet = validate_content(PlanKind.DIET, answer.diet, trainer_id, field="diet")
        except InvalidInputError as error:
            raise ProviderError(f"the AI provider's diet fails the plan schema ({_schema_problem(error)})") from None
        _check_diet_foods(diet, request, trainer_id)
    return Accepted(workout, diet, _explanations(answer.explanations), sessions)


def _template(kind: PlanKind, name: str, description: str, tags: list[str], content: dict) -> dict[str, Any]:
    return {"kind": kind.value, "name": name[:120], "description": description, "tags": tags, "content": content}


def _inputs(request: GenerationRequest) -> dict[str, Any]:
    summary = request.for_provider()
    summary["client_id"] = request.client_id
    return summary


def _rules_result(draft: RulesDraft, request: GenerationRequest, trainer_id: int) -> dict[str, Any]:
    workout, diet = draft.workout, draft.diet
    explanations = [{"topic": "profile", "path": None, "message": note} for note in request.profile_notes]
    explanations += workout.explanations
    result = {
        "workout": _template(
            PlanKind.WORKOUT,
            workout.name,
            workout.description,
            workout.tags,
            validate_content(PlanKind.WORKOUT, workout.content, trainer_id, field="workout.content"),
        ),
        "diet": None,
        "sessions": workout.sessions,
        "explanations": explanations,
    }
    if diet is not None:
        result["diet"] = _template(
            PlanKind.DIET,
            diet.name,
            diet.description,
            diet.tags,
            validate_content(PlanKind.DIET, diet.content, trainer_id, field="diet.content"),
        )
        explanations += diet.explanations
    elif request.body is not None:
        missing = ", ".join(name.replace("_", " ") for name in request.body.missing)
        explanations.append(
            {
                "topic": "diet",
                "path": "diet",
                "message": f"No diet draft: {missing} unknown. Add it to the profile or the request.",
            }
        )
    return result


def _ai_result(accepted: Accepted, rules: dict[str, Any], request: GenerationRequest) -> dict[str, Any]:
    workout = rules["workout"]
    explanations = [e for e in rules["explanations"] if e["topic"] in ENFORCED_TOPICS or e["topic"] == "profile"]
    explanations += accepted.explanations
    explanations.append(
        {
            "topic": "provider",
            "path": None,
            "message": "Drafted by the AI provider and checked by Fitbud: plan schema, weeks and training days, "
            "equipment and restrictions, session length, and the diet's foods against the client's "
            "allergies and preferences.",
        }
    )
    diet = rules["diet"]
    if accepted.diet is not None:
        diet = _template(
            PlanKind.DIET,
            "AI diet draft",
            "Drafted by the AI provider; review before assigning.",
            ["generated", request.goal, "diet"],
            accepted.diet,
        )
    elif diet is not None:
        explanations += [e for e in rules["explanations"] if e.get("path") == "diet" and e not in explanations]
    return {
        "workout": _template(
            PlanKind.WORKOUT,
            "AI " + workout["name"],
            workout["description"].replace("Generated by rules", "Drafted by the AI provider"),
            workout["tags"],
            accepted.workout,
        ),
        "diet": diet,
        "sessions": accepted.sessions,
        "explanations": explanations,
    }


def save_generated_templates(trainer: User, workout: dict[str, Any], diet: dict[str, Any] | None) -> dict[str, Any]:
    """Store the drafts as the trainer's templates marked source=generated (validated again), in one commit."""
    rows = {}
    for key, draft in (("workout_plan_id", workout), ("diet_plan_id", diet)):
        if draft is None:
            continue
        kind = PlanKind(draft["kind"])
        row = PlanTemplate(
            trainer_id=trainer.id,
            kind=kind,
            name=draft["name"],
            description=draft["description"],
            tags=list(draft["tags"]),
            content=validate_content(kind, draft["content"], trainer.id),
            version=1,
            source=GENERATED_SOURCE,
        )
        db.session.add(row)
        rows[key] = row
    db.session.commit()
    return {
        "workout_plan_id": rows["workout_plan_id"].id,
        "diet_plan_id": rows["diet_plan_id"].id if "diet_plan_id" in rows else None,
    }


def generate_plan(trainer: User, data: dict[str, Any], save: bool = False) -> dict[str, Any]:
    """A draft workout (and diet when body data is known) with explanations; stored only when `save`."""
    request = build_request(trainer, data, datetime.now(UTC).date())
    library = list(library_for_trainer(trainer.id).exercises)
    table = builtin_diet_foods()
    pool = {slug: table[slug] for slug in sorted(generator_slugs()) if slug in table}
    rules = _rules_result(RulesProvider().generate(request, library, pool), request, trainer.id)
    result, source, fallback_reason = rules, "rules", None
    provider = configured_provider()
    if provider is not None:
        try:
            allowed, _left_out = allowed_foods(table, request.dietary)
            answer = provider.generate(request, allowed_exercises(request, library), list(allowed.values()))
            result = _ai_result(accept_answer(answer, request, library, trainer.id), rules, request)
            source = "ai"
        except ProviderError as error:
            fallback_reason = error.reason
            logger.warning("plan provider fell back to rules: %s", error.reason)
        except Exception:
            # The provider is optional: a fault in talking to it must not cost the trainer the draft.
            logger.exception("plan provider failed unexpectedly; falling back to rules")
            db.session.rollback()
            fallback_reason = "the AI provider failed unexpectedly"
        if fallback_reason:
            result["explanations"].append(
                {
                    "topic": "provider",
                    "path": None,
                    "message": f"The AI provider was not used ({fallback_reason}); this is the rule-based draft.",
                }
            )
    saved = save_generated_templates(trainer, result["workout"], result["diet"]) if save else None
    return {
        "source": source,
        "fallback_reason": fallback_reason,
        "seed": request.seed,
        "inputs": _inputs(request),
        **result,
        "saved": saved,
    }
