"""The exercise library: who sees which exercises, custom exercises, the cache, and alternatives.

Everyone sees the built-in library; a trainer also sees their own custom exercises, and a
client sees their trainer's. The library is small (a few hundred rows), so the unit that is
cached is a whole scope: the built-ins once, and each trainer's custom exercises, in the
versioned cache of services/library_cache.py, which the commit of any change to an exercise row
drops (services/cache_invalidation.py). Lists, look-ups, alternatives and the plan generator all
read that cached snapshot, and filter and page it in memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, cast

from flask import current_app
from sqlalchemy import ColumnElement, Table, func, or_, select
from sqlalchemy.exc import IntegrityError

from fitbud.auth.roles import Role
from fitbud.data.library import (
    LEVELS,
    UpsertResult,
    data_fingerprint,
    upsert_builtin_exercises,
)
from fitbud.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from fitbud.extensions import db
from fitbud.models import Client, Exercise, PlanAssignment, PlanKind, PlanTemplate, User, WorkoutSet
from fitbud.services import cache_invalidation, library_cache
from fitbud.services.versioned_cache import lookup_together

# A trainer's custom library is cached and filtered in memory; this keeps it small.
MAX_CUSTOM_EXERCISES = 1000
# Equipment nobody has to own.
ALWAYS_AVAILABLE = frozenset({"bodyweight"})
EDITABLE_FIELDS = (
    "name",
    "category",
    "movement_pattern",
    "primary_muscles",
    "secondary_muscles",
    "equipment",
    "extra_equipment",
    "level",
    "tracking",
    "unilateral",
    "instructions",
)


def visible_to(trainer_id: int) -> ColumnElement[bool]:
    """The built-in library plus this trainer's own custom exercises."""
    return or_(Exercise.owner_id.is_(None), Exercise.owner_id == trainer_id)


def unknown_exercise_ids(trainer_id: int, exercise_ids: Iterable[int]) -> set[int]:
    """Which of `exercise_ids` are not in the trainer's library."""
    wanted = set(exercise_ids)
    if not wanted:
        return set()
    found = db.session.execute(select(Exercise.id).where(Exercise.id.in_(wanted), visible_to(trainer_id))).scalars()
    return wanted - set(found)


@dataclass(frozen=True)
class LibraryExercise:
    """An exercise as the library serves it: a plain, cacheable copy of the row."""

    id: int
    slug: str | None
    owner_id: int | None
    name: str
    category: str
    movement_pattern: str | None
    primary_muscles: tuple[str, ...]
    secondary_muscles: tuple[str, ...]
    equipment: str
    extra_equipment: tuple[str, ...]
    level: str
    tracking: str
    unilateral: bool
    instructions: str
    created_at: datetime
    updated_at: datetime

    @property
    def is_builtin(self) -> bool:
        """Built-in exercises belong to nobody and are read-only."""
        return self.owner_id is None

    @property
    def needs(self) -> frozenset[str]:
        """Every piece of equipment the exercise needs."""
        return frozenset((self.equipment, *self.extra_equipment)) - ALWAYS_AVAILABLE

    def usable_with(self, equipment: Iterable[str]) -> bool:
        """Whether someone who has `equipment` (bodyweight is implied) can do it."""
        return self.needs <= set(equipment)

    @classmethod
    def from_row(cls, row: Exercise) -> LibraryExercise:
        """Copy an ORM row."""
        return cls(
            id=row.id,
            slug=row.slug,
            owner_id=row.owner_id,
            name=row.name,
            category=row.category,
            movement_pattern=row.movement_pattern,
            primary_muscles=tuple(row.primary_muscles or ()),
            secondary_muscles=tuple(row.secondary_muscles or ()),
            equipment=row.equipment,
            extra_equipment=tuple(row.extra_equipment or ()),
            level=row.level,
            tracking=row.tracking,
            unilateral=bool(row.unilateral),
            instructions=row.instructions or "",
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@dataclass(frozen=True)
class Library:
    """The exercises one viewer may use, sorted by name."""

    exercises: tuple[LibraryExercise, ...]

    def by_id(self) -> dict[int, LibraryExercise]:
        """The exercises keyed by id."""
        return {exercise.id: exercise for exercise in self.exercises}

    def get(self, exercise_id: int) -> LibraryExercise:
        """One exercise of this library, or a 404."""
        found = self.by_id().get(exercise_id)
        if found is None:
            raise NotFoundError("Exercise not found.")
        return found


# ---------------------------------------------------------------- cache


def _load(where: ColumnElement[bool]) -> tuple[LibraryExercise, ...]:
    rows = db.session.execute(select(Exercise).where(where)).scalars()
    return tuple(LibraryExercise.from_row(row) for row in rows)


# Cached entries are pickled LibraryExercise tuples: a change to its fields changes the keys,
# so a deploy never unpickles entries of the old shape.
CACHE_FORMAT = hashlib.sha256(",".join(f.name for f in fields(LibraryExercise)).encode()).hexdigest()[:8]


def _snapshots(trainer_id: int | None) -> tuple[LibraryExercise, ...]:
    """The built-ins and the trainer's custom exercises, from services/library_cache.py (one round trip)."""
    # The data file's hash is in the built-ins' key, so a deploy with a new file never serves the old one.
    scopes: list[tuple[int, ColumnElement[bool], tuple[str, ...]]] = [
        (library_cache.BUILTINS, Exercise.owner_id.is_(None), (CACHE_FORMAT, data_fingerprint()))
    ]
    if trainer_id is not None:
        scopes.append((trainer_id, Exercise.owner_id == trainer_id, (CACHE_FORMAT,)))
    found = lookup_together(*(library_cache.wanted(owner, "library", *parts) for owner, _, parts in scopes))
    timeout = current_app.config["EXERCISE_CACHE_SECONDS"]
    snapshot: list[LibraryExercise] = []
    for (_, where, _), lookup in zip(scopes, found, strict=True):
        exercises = lookup.value
        if exercises is None:
            exercises = _load(where)
            library_cache.store(lookup, exercises, timeout)
        snapshot.extend(exercises)
    return tuple(snapshot)


def library_for_trainer(trainer_id: int | None) -> Library:
    """The built-ins plus the custom exercises of `trainer_id` (None: built-ins only)."""
    return Library(tuple(sorted(_snapshots(trainer_id), key=lambda e: (e.name.lower(), e.id))))


def trainer_scope(user: User) -> int | None:
    """Whose custom exercises `user` sees: their own (trainer), their trainer's (client), none (admin)."""
    if user.role is Role.TRAINER:
        return user.id
    if user.role is Role.CLIENT:
        return db.session.execute(select(Client.trainer_id).where(Client.user_id == user.id)).scalar_one_or_none()
    return None


def library_for(user: User) -> Library:
    """The library `user` may see."""
    return library_for_trainer(trainer_scope(user))


# ---------------------------------------------------------------- reading


def _matches(exercise: LibraryExercise, filters: dict[str, Any]) -> bool:
    words = filters.get("q", "").lower().split()
    name = exercise.name.lower()
    checks = (
        all(word in name for word in words),
        not filters.get("muscle") or bool(set(filters["muscle"]) & set(exercise.primary_muscles)),
        not filters.get("equipment") or exercise.equipment in filters["equipment"],
        not filters.get("category") or exercise.category in filters["category"],
        not filters.get("movement_pattern") or exercise.movement_pattern in filters["movement_pattern"],
        not filters.get("level") or exercise.level in filters["level"],
        filters.get("source") in (None, "builtin" if exercise.is_builtin else "custom"),
    )
    return all(checks)


def search(user: User, filters: dict[str, Any]) -> list[LibraryExercise]:
    """The visible exercises matching every filter given, by name.

    `q`: words that must all appear in the name; `muscle`, `equipment`, `category`,
    `movement_pattern`, `level`: any of the listed values (muscle: a primary muscle);
    `source`: builtin or custom.
    """
    return [exercise for exercise in library_for(user).exercises if _matches(exercise, filters)]


def get_exercise(user: User, exercise_id: int) -> LibraryExercise:
    """One exercise `user` may see, or a 404."""
    return library_for(user).get(exercise_id)


# ---------------------------------------------------------------- custom exercises


def _own_row(trainer: User, exercise_id: int) -> Exercise:
    row = db.session.execute(
        select(Exercise).where(Exercise.id == exercise_id, visible_to(trainer.id))
    ).scalar_one_or_none()
    if row is None:
        raise NotFoundError("Exercise not found.")
    if row.is_builtin:
        raise PermissionDeniedError(
            "Built-in exercises are read-only; create a custom exercise to change one.",
            errors={"exercise_id": ["built-in exercise"]},
        )
    return row


def _name_taken(trainer_id: int, name: str, except_id: int | None = None) -> bool:
    statement = select(Exercise.id).where(Exercise.owner_id == trainer_id, func.lower(Exercise.name) == name.lower())
    if except_id is not None:
        statement = statement.where(Exercise.id != except_id)
    return db.session.execute(statement.limit(1)).first() is not None


def _duplicate_name() -> ConflictError:
    return ConflictError("You already have a custom exercise with this name.", errors={"name": ["already used"]})


def _check_muscles(primary: Sequence[str], secondary: Sequence[str]) -> None:
    both = sorted(set(primary) & set(secondary))
    if both:
        raise InvalidInputError(
            "A muscle cannot be both primary and secondary.",
            errors={"secondary_muscles": [f"also listed as primary: {', '.join(both)}"]},
        )


def _commit_change() -> None:
    # The commit drops the trainer's cached library (services/cache_invalidation.py).
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise _duplicate_name() from None


def create_custom(trainer: User, data: dict[str, Any]) -> LibraryExercise:
    """Add a custom exercise to the trainer's library."""
    _check_muscles(data["primary_muscles"], data.get("secondary_muscles", []))
    if _name_taken(trainer.id, data["name"]):
        raise _duplicate_name()
    count = db.session.execute(
        select(func.count()).select_from(Exercise).where(Exercise.owner_id == trainer.id)
    ).scalar_one()
    if count >= MAX_CUSTOM_EXERCISES:
        raise ConflictError(
            f"You have reached the limit of {MAX_CUSTOM_EXERCISES} custom exercises; delete unused ones first."
        )
    row = Exercise(owner_id=trainer.id, slug=None, **{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    db.session.add(row)
    _commit_change()
    return LibraryExercise.from_row(row)


def update_custom(trainer: User, exercise_id: int, changes: dict[str, Any]) -> LibraryExercise:
    """Change one of the trainer's custom exercises (built-ins: 403; others': 404)."""
    row = _own_row(trainer, exercise_id)
    _check_muscles(
        changes.get("primary_muscles", row.primary_muscles),
        changes.get("secondary_muscles", row.secondary_muscles),
    )
    if "name" in changes and _name_taken(trainer.id, changes["name"], except_id=row.id):
        raise _duplicate_name()
    for field, value in changes.items():
        if field in EDITABLE_FIELDS:
            setattr(row, field, value)
    _commit_change()
    return LibraryExercise.from_row(row)


def _content_exercise_ids(content: Any) -> set[int]:
    # Tolerant walk: stored content was validated, but an empty snapshot may lack keys.
    found: set[int] = set()
    for week in (content or {}).get("weeks", []) or []:
        for day in week.get("days", []) or []:
            for item in day.get("items", []) or []:
                if isinstance(item.get("exercise_id"), int):
                    found.add(item["exercise_id"])
    return found


def exercise_usage(trainer_id: int, exercise_id: int) -> dict[str, Any]:
    """Where an exercise is used: the trainer's workout templates, assignments, and logged sets."""
    templates = db.session.execute(
        select(PlanTemplate.name, PlanTemplate.content).where(
            PlanTemplate.trainer_id == trainer_id, PlanTemplate.kind == PlanKind.WORKOUT
        )
    ).all()
    assignments = db.session.execute(
        select(PlanAssignment.name, PlanAssignment.content).where(
            PlanAssignment.trainer_id == trainer_id, PlanAssignment.kind == PlanKind.WORKOUT
        )
    ).all()
    logged_sets = db.session.execute(
        select(func.count()).select_from(WorkoutSet).where(WorkoutSet.exercise_id == exercise_id)
    ).scalar_one()
    return {
        "plans": sorted({name for name, content in templates if exercise_id in _content_exercise_ids(content)}),
        "assignments": sum(1 for _, content in assignments if exercise_id in _content_exercise_ids(content)),
        "logged_sets": logged_sets,
    }


def delete_custom(trainer: User, exercise_id: int) -> None:
    """Delete a custom exercise; one that plans, assignments or logs use is a 409 naming them."""
    row = _own_row(trainer, exercise_id)
    usage = exercise_usage(trainer.id, row.id)
    if usage["plans"] or usage["assignments"] or usage["logged_sets"]:
        errors = {}
        if usage["plans"]:
            errors["plans"] = usage["plans"]
        if usage["assignments"]:
            errors["assignments"] = [f"used by {usage['assignments']} assigned plan(s)"]
        if usage["logged_sets"]:
            errors["logged_sets"] = [f"logged in {usage['logged_sets']} set(s)"]
        raise ConflictError(
            "This exercise is in use; remove it from these plans first (logged workouts keep it).",
            errors=errors,
        )
    db.session.delete(row)
    _commit_change()


# ---------------------------------------------------------------- alternatives

LEVEL_RANK = {level: index for index, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class Alternative:
    """A replacement exercise, how close it is (0-1), and why it was chosen."""

    exercise: LibraryExercise
    score: float
    reason: str


# Equipment that takes external load in small steps, so it can stand in for a loaded lift.
LOADABLE = frozenset({"barbell", "ez_bar", "trap_bar", "dumbbell", "kettlebell", "machine", "cable", "sled"})


def _loadable(exercise: LibraryExercise) -> bool:
    return exercise.equipment in LOADABLE


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 1.0


def _words(values: Iterable[str]) -> str:
    return ", ".join(value.replace("_", " ") for value in values)


def excluded_by(exercise: LibraryExercise, avoid: Iterable[str]) -> list[str]:
    """What in `avoid` rules the exercise out: its pattern, or a primary muscle."""
    avoid = set(avoid)
    hits = [exercise.movement_pattern] if exercise.movement_pattern in avoid else []
    return hits + [muscle for muscle in exercise.primary_muscles if muscle in avoid]


def rank_alternatives(
    original: LibraryExercise,
    candidates: Iterable[LibraryExercise],
    equipment: Iterable[str] | None = None,
    avoid: Iterable[str] = (),
) -> list[Alternative]:
    """Exercises with the same movement pattern that share a primary muscle, closest first.

    `equipment` (when given) limits them to what can be done with it (bodyweight is implied);
    `avoid` (muscles or patterns) removes those that load them as a primary muscle or pattern,
    and ranks lower those that work an avoided muscle as a secondary one. Ties break by name.
    """
    avoid = set(avoid)
    available = None if equipment is None else set(equipment)
    ranked = []
    for candidate in candidates:
        if candidate.id == original.id:
            continue
        if original.movement_pattern is not None and candidate.movement_pattern != original.movement_pattern:
            continue
        shared = [m for m in original.primary_muscles if m in candidate.primary_muscles]
        if not shared or excluded_by(candidate, avoid):
            continue
        if available is not None and not candidate.usable_with(available):
            continue
        level_gap = abs(LEVEL_RANK.get(candidate.level, 1) - LEVEL_RANK.get(original.level, 1))
        strained = [m for m in candidate.secondary_muscles if m in avoid]
        # Weights sum to 1: muscles matter most, then how the exercise is loaded and done.
        score = (
            0.45 * _jaccard(original.primary_muscles, candidate.primary_muscles)
            + 0.1 * _jaccard(original.secondary_muscles, candidate.secondary_muscles)
            + 0.1 * (candidate.category == original.category)
            + 0.1 * (1 - level_gap / 2)
            + 0.1 * (_loadable(candidate) == _loadable(original))
            + 0.05 * (candidate.equipment == original.equipment)
            + 0.05 * (candidate.tracking == original.tracking)
            + 0.05 * (candidate.unilateral == original.unilateral)
            - 0.15 * bool(strained)
        )
        pattern = (original.movement_pattern or "").replace("_", " ")
        parts = [
            f"same {pattern} pattern" if pattern else "no pattern on the original",
            f"trains the same {_words(shared)}",
        ]
        extra = [m for m in candidate.primary_muscles if m not in original.primary_muscles]
        if extra:
            parts.append(f"also works {_words(extra)}")
        missing = [m for m in original.primary_muscles if m not in candidate.primary_muscles]
        if missing:
            parts.append(f"less {_words(missing)}")
        if candidate.equipment != original.equipment:
            parts.append(f"uses {_words([candidate.equipment])} instead of {_words([original.equipment])}")
        if level_gap:
            parts.append(f"{candidate.level} level")
        if strained:
            parts.append(f"still works {_words(strained)} as a secondary muscle")
        reason = "; ".join(parts)
        ranked.append(Alternative(candidate, round(max(score, 0.0), 3), reason[0].upper() + reason[1:] + "."))
    ranked.sort(key=lambda alt: (-alt.score, alt.exercise.name.lower(), alt.exercise.id))
    return ranked


def alternatives(
    user: User, exercise_id: int, equipment: Iterable[str] | None, avoid: Iterable[str], limit: int
) -> list[Alternative]:
    """Ranked replacements for one visible exercise from the viewer's own library."""
    library = library_for(user)
    original = library.get(exercise_id)
    return rank_alternatives(original, library.exercises, equipment, avoid)[:limit]


def reload_builtin_library() -> UpsertResult:
    """Upsert the built-ins from the data file (as the migration does) and refresh their cache."""
    result = upsert_builtin_exercises(db.session.connection(), cast(Table, Exercise.__table__))
    # A bulk upsert is invisible to the flush: name the library it changed.
    cache_invalidation.mark_libraries_changed(db.session(), [library_cache.BUILTINS])
    db.session.commit()
    return result
