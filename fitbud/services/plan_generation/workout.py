"""The rule-based workout draft: split, exercise choice, sets/reps/rest, progression and the time budget.

Pure: it works on the request and a library snapshot, and draws every random choice from one
`random.Random(seed)` in a fixed order, so the same inputs and seed give the same draft.

Time budget: a session is `WARMUP_SECONDS` of general warm-up, then for each exercise
`SETUP_SECONDS` to set up plus `sets x (work + rest)`, where work is reps x seconds per rep
(the tempo's digits, or `SECONDS_PER_REP`) or the duration, doubled for one-side-at-a-time
exercises. Every week of the block is checked against the minutes given.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fitbud.errors import InvalidInputError
from fitbud.services.exercises import LEVEL_RANK, LibraryExercise, excluded_by, rank_alternatives
from fitbud.services.plan_generation.inputs import GenerationRequest

WARMUP_SECONDS = 300
SETUP_SECONDS = 60
SECONDS_PER_REP = 3
# How far a random draw may move an exercise's score: enough to vary near-equal choices
# between seeds, never enough to beat a clearly better fit.
JITTER = 0.75
LABELS = {
    "fat_loss": "fat loss",
    "muscle_gain": "muscle gain",
    "strength": "strength",
    "endurance": "endurance",
    "general_fitness": "general fitness",
}


def words(value: str) -> str:
    """A vocabulary value as words ("horizontal_push" -> "horizontal push")."""
    return value.replace("_", " ")


# ---------------------------------------------------------------- time


# What a set with only a distance target is timed at (a 400 m run, a 50 m carry: a few minutes).
DISTANCE_SET_SECONDS = 180
# What an AMRAP set is timed at: a hard set of a dozen.
AMRAP_REPS_ESTIMATE = 12


def reps_high(reps: int | str) -> int:
    """The top of a rep prescription (8 -> 8, "8-12" -> 12, "AMRAP" -> a dozen)."""
    if isinstance(reps, int):
        return reps
    if str(reps).upper() == "AMRAP":
        return AMRAP_REPS_ESTIMATE
    return int(str(reps).split("-")[-1])


def seconds_per_rep(tempo: str | None) -> int:
    """A tempo's total seconds per rep ("3-0-1-0" -> 4; X, explosive, counts 1), else the default."""
    if not tempo:
        return SECONDS_PER_REP
    return max(1, sum(1 if part == "X" else int(part) for part in tempo.split("-")))


def estimate_item_seconds(item: dict[str, Any], unilateral: bool) -> int:
    """sets x (work + rest) of one plan item; work is doubled when each side is done in turn."""
    if "duration_seconds" in item:
        work = item["duration_seconds"]
    elif "reps" not in item:
        work = DISTANCE_SET_SECONDS  # a distance target: its time depends on the client
    else:
        work = reps_high(item["reps"]) * seconds_per_rep(item.get("tempo"))
    if unilateral:
        work *= 2
    return item["sets"] * (work + item.get("rest_seconds", 0))


def estimate_day_seconds(items: Iterable[dict[str, Any]], unilateral: dict[int, bool]) -> int:
    """A training day's length: warm-up, then set-up plus sets x (work + rest) per exercise."""
    return WARMUP_SECONDS + sum(
        SETUP_SECONDS + estimate_item_seconds(item, unilateral.get(item["exercise_id"], False)) for item in items
    )


# ---------------------------------------------------------------- split


@dataclass(frozen=True)
class Slot:
    """A place in a day: its role, the movement patterns that fill it, and fallbacks."""

    role: str  # main | secondary | accessory | core | conditioning
    patterns: tuple[str, ...]
    muscles: tuple[str, ...] = ()
    fallback: tuple[str, ...] = ()


def _slot(role: str, patterns: str, muscles: str = "", fallback: str = "") -> Slot:
    return Slot(role, tuple(patterns.split()), tuple(muscles.split()), tuple(fallback.split()))


def _iso(muscles: str) -> Slot:
    return _slot("accessory", "isolation", muscles)


DAY_TEMPLATES: dict[str, tuple[str, tuple[Slot, ...]]] = {
    "full_a": (
        "Full body A",
        (
            _slot("main", "squat", fallback="lunge"),
            _slot("main", "horizontal_push", fallback="vertical_push"),
            _slot("main", "horizontal_pull", fallback="vertical_pull"),
            _slot("secondary", "hinge"),
            _slot("core", "core", fallback="rotation"),
            _iso("side_delts"),
            _iso("biceps"),
            _slot("core", "carry"),
        ),
    ),
    "full_b": (
        "Full body B",
        (
            _slot("main", "hinge"),
            _slot("main", "vertical_push", fallback="horizontal_push"),
            _slot("main", "vertical_pull", fallback="horizontal_pull"),
            _slot("secondary", "lunge", fallback="squat"),
            _slot("core", "rotation", fallback="core"),
            _iso("triceps"),
            _iso("calves"),
            _iso("rear_delts"),
        ),
    ),
    "full_c": (
        "Full body C",
        (
            _slot("main", "lunge", fallback="squat"),
            _slot("main", "horizontal_push", fallback="vertical_push"),
            _slot("secondary", "vertical_pull", fallback="horizontal_pull"),
            _slot("secondary", "hinge"),
            _slot("core", "core", fallback="rotation"),
            _iso("hamstrings"),
            _iso("rear_delts"),
            _iso("biceps triceps"),
        ),
    ),
    "upper_a": (
        "Upper A",
        (
            _slot("main", "horizontal_push", fallback="vertical_push"),
            _slot("main", "horizontal_pull", fallback="vertical_pull"),
            _slot("secondary", "vertical_push"),
            _slot("secondary", "vertical_pull", fallback="horizontal_pull"),
            _iso("side_delts"),
            _iso("biceps"),
            _iso("triceps"),
            _iso("rear_delts"),
        ),
    ),
    "upper_b": (
        "Upper B",
        (
            _slot("main", "vertical_pull", fallback="horizontal_pull"),
            _slot("main", "vertical_push", fallback="horizontal_push"),
            _slot("secondary", "horizontal_push"),
            _slot("secondary", "horizontal_pull"),
            _iso("chest"),
            _iso("rear_delts"),
            _iso("triceps"),
            _iso("biceps"),
        ),
    ),
    "lower_a": (
        "Lower A",
        (
            _slot("main", "squat", fallback="lunge"),
            _slot("secondary", "hinge"),
            _slot("secondary", "lunge"),
            _iso("hamstrings"),
            _iso("calves"),
            _slot("core", "core", fallback="rotation"),
            _iso("quadriceps"),
        ),
    ),
    "lower_b": (
        "Lower B",
        (
            _slot("main", "hinge"),
            _slot("secondary", "squat", fallback="lunge"),
            _slot("secondary", "lunge"),
            _iso("quadriceps"),
            _iso("glutes abductors"),
            _iso("calves"),
            _slot("core", "rotation", fallback="core"),
        ),
    ),
    "push_a": (
        "Push A",
        (
            _slot("main", "horizontal_push", fallback="vertical_push"),
            _slot("secondary", "vertical_push"),
            _slot("secondary", "horizontal_push"),
            _iso("side_delts"),
            _iso("triceps"),
            _iso("chest"),
            _slot("core", "core", fallback="rotation"),
        ),
    ),
    "pull_a": (
        "Pull A",
        (
            _slot("main", "vertical_pull", fallback="horizontal_pull"),
            _slot("secondary", "horizontal_pull"),
            _slot("secondary", "horizontal_pull vertical_pull"),
            _iso("rear_delts"),
            _iso("biceps"),
            _iso("traps forearms"),
            _slot("core", "carry", fallback="core"),
        ),
    ),
    "legs_a": (
        "Legs A",
        (
            _slot("main", "squat", fallback="lunge"),
            _slot("secondary", "hinge"),
            _slot("secondary", "lunge"),
            _iso("quadriceps"),
            _iso("hamstrings"),
            _iso("calves"),
            _slot("core", "core", fallback="rotation"),
        ),
    ),
    "push_b": (
        "Push B",
        (
            _slot("main", "vertical_push", fallback="horizontal_push"),
            _slot("secondary", "horizontal_push"),
            _slot("secondary", "vertical_push horizontal_push"),
            _iso("side_delts"),
            _iso("triceps"),
            _iso("chest"),
            _slot("core", "rotation", fallback="core"),
        ),
    ),
    "pull_b": (
        "Pull B",
        (
            _slot("main", "horizontal_pull", fallback="vertical_pull"),
            _slot("secondary", "vertical_pull"),
            _slot("secondary", "horizontal_pull"),
            _iso("rear_delts"),
            _iso("biceps"),
            _iso("lats"),
            _slot("core", "core", fallback="rotation"),
        ),
    ),
    "legs_b": (
        "Legs B",
        (
            _slot("main", "hinge"),
            _slot("secondary", "squat", fallback="lunge"),
            _slot("secondary", "lunge"),
            _iso("hamstrings"),
            _iso("glutes abductors"),
            _iso("calves"),
            _slot("core", "rotation", fallback="core"),
        ),
    ),
}

SPLITS: dict[int, tuple[str, tuple[str, ...], tuple[int, ...], str]] = {
    # days: (split name, day templates, weekday offsets 0-6, why)
    2: (
        "full body",
        ("full_a", "full_b"),
        (0, 3),
        "two full-body days train every muscle twice a week, the minimum for steady progress",
    ),
    3: (
        "full body",
        ("full_a", "full_b", "full_c"),
        (0, 2, 4),
        "three full-body days hit each muscle three times a week with a rest day between sessions",
    ),
    4: (
        "upper/lower",
        ("upper_a", "lower_a", "upper_b", "lower_b"),
        (0, 1, 3, 4),
        "an upper/lower split trains each half twice a week and lets it recover while the other works",
    ),
    5: (
        "push/pull/legs + upper/lower",
        ("push_a", "pull_a", "legs_a", "upper_b", "lower_b"),
        (0, 1, 2, 4, 5),
        "push, pull and legs, then upper and lower, reach every muscle twice a week in five shorter sessions",
    ),
    6: (
        "push/pull/legs",
        ("push_a", "pull_a", "legs_a", "push_b", "pull_b", "legs_b"),
        (0, 1, 2, 3, 4, 5),
        "push/pull/legs twice over trains each muscle twice a week with one full rest day",
    ),
}
# Five-day splits name their days without the A/B, since each appears once.
FIVE_DAY_NAMES = {"push_a": "Push", "pull_a": "Pull", "legs_a": "Legs", "upper_b": "Upper", "lower_b": "Lower"}


# ---------------------------------------------------------------- prescriptions


@dataclass(frozen=True)
class Rx:
    """Sets, rep range, rest, load type, starting intensity and its weekly step, rep step."""

    sets: int
    reps: tuple[int, int]
    rest: int
    load: str
    base: float
    step: float
    rep_step: int = 0  # > 0: reps rise week to week ("reps" progression); 0: intensity rises


RX: dict[str, dict[str, Rx]] = {
    "strength": {
        "main": Rx(4, (3, 5), 180, "percent_1rm", 75.0, 2.5),
        "secondary": Rx(3, (6, 8), 120, "rpe", 7.0, 0.5),
        "accessory": Rx(3, (8, 12), 75, "rpe", 7.5, 0.5),
        "core": Rx(3, (8, 12), 60, "rpe", 7.0, 0.5),
    },
    "muscle_gain": {
        "main": Rx(4, (6, 10), 120, "rpe", 7.0, 0.5),
        "secondary": Rx(3, (8, 12), 90, "rpe", 8.0, 0.0, 2),
        "accessory": Rx(3, (10, 15), 60, "rpe", 8.0, 0.0, 2),
        "core": Rx(3, (10, 15), 45, "rpe", 7.0, 0.0, 2),
    },
    "fat_loss": {
        "main": Rx(3, (8, 12), 90, "rpe", 7.0, 0.5),
        "secondary": Rx(3, (10, 12), 60, "rpe", 7.5, 0.0, 1),
        "accessory": Rx(3, (12, 15), 45, "rpe", 8.0, 0.0, 1),
        "core": Rx(3, (12, 15), 30, "rpe", 7.0, 0.0, 1),
    },
    "endurance": {
        "main": Rx(3, (12, 15), 60, "rpe", 6.5, 0.0, 1),
        "secondary": Rx(3, (15, 20), 45, "rpe", 7.0, 0.0, 2),
        "accessory": Rx(2, (15, 20), 30, "rpe", 7.0, 0.0, 2),
        "core": Rx(2, (15, 20), 30, "rpe", 7.0, 0.0, 2),
    },
    "general_fitness": {
        "main": Rx(3, (8, 10), 120, "rpe", 7.0, 0.5),
        "secondary": Rx(3, (10, 12), 90, "rpe", 7.0, 0.0, 1),
        "accessory": Rx(3, (12, 15), 60, "rpe", 7.5, 0.0, 1),
        "core": Rx(3, (10, 15), 45, "rpe", 7.0, 0.0, 1),
    },
}
# Seconds a timed exercise (plank, carry) starts at, by experience; +5 s a week.
HOLD_SECONDS = {"beginner": 30, "intermediate": 40, "advanced": 50}
HOLD_STEP = 5
PERCENT_CAP, RPE_CAP = 90.0, 9.5
DELOAD_SET_SHARE = 0.6


def prescription(goal: str, experience: str, role: str, exercise: LibraryExercise) -> Rx:
    """The goal's prescription for a role, adjusted for experience and the exercise's loading."""
    rx = RX[goal][role]
    sets, base, load = rx.sets, rx.base, rx.load
    if load == "percent_1rm" and (experience == "beginner" or exercise.equipment not in ("barbell", "trap_bar")):
        # %1RM needs a known one-rep max on a barbell lift; RPE works for everyone else.
        load, base, step = "rpe", 7.0, 0.5
    else:
        step = rx.step
    if experience == "beginner":
        sets = max(2, sets - 1) if role in ("main", "secondary") else sets
        base = base - 1.0 if load == "rpe" else base
    elif experience == "advanced" and role == "main":
        sets += 1
        base = base + (0.5 if load == "rpe" else 2.5)
    return Rx(sets, rx.reps, rx.rest, load, base, step, rx.rep_step)


@dataclass(frozen=True)
class Conditioning:
    """A conditioning finisher: intervals (rounds of work/rest) or steady minutes."""

    kind: str
    work: int
    rest: int
    minimum: int
    target: int
    rpe: float


def conditioning_for(goal: str, experience: str) -> Conditioning | None:
    """The conditioning a goal calls for (None: strength and muscle gain keep sessions for lifting)."""
    if goal == "endurance":
        minutes = {"beginner": 15, "intermediate": 20, "advanced": 25}[experience]
        return Conditioning("steady", 60, 0, 8, minutes, 6.0)
    if goal == "fat_loss":
        work, rest = (20, 40) if experience == "beginner" else (30, 30)
        rounds = {"beginner": 6, "intermediate": 8, "advanced": 10}[experience]
        return Conditioning("intervals", work, rest, 4, rounds, 8.0)
    if goal == "general_fitness":
        return Conditioning("intervals", 30, 30, 4, 6, 7.0)
    return None


# ---------------------------------------------------------------- weeks


def week_phases(weeks: int) -> list[tuple[int, bool]]:
    """Per week: (progression step, deload?). Blocks of 4+ weeks end light; long ones deload every 4th week."""
    deloads: set[int] = set()
    if weeks >= 4:
        deloads.add(weeks - 1)
        # A deload mid-way only when at least three build weeks follow it.
        deloads.update(w for w in range(3, weeks - 1, 4) if weeks - 1 - w >= 3)
    phases, position, block = [], 0, 0
    for w in range(weeks):
        if w in deloads:
            phases.append((0, True))
            position, block = 0, block + 1
        else:
            # Each new block starts a step above the last block's start.
            phases.append((position + block, False))
            position += 1
    return phases


# ---------------------------------------------------------------- selection

EQUIPMENT_PREFERENCE = {
    "strength_main": {
        "barbell": 3.0,
        "trap_bar": 3.0,
        "pull_up_bar": 2.5,
        "dip_bars": 2.0,
        "dumbbell": 2.0,
        "kettlebell": 1.5,
        "machine": 1.5,
        "cable": 1.5,
        "bodyweight": 0.5,
    },
    "main": {
        "barbell": 2.5,
        "trap_bar": 2.5,
        "dumbbell": 2.5,
        "pull_up_bar": 2.5,
        "kettlebell": 2.0,
        "machine": 2.0,
        "cable": 2.0,
        "dip_bars": 2.0,
        "bodyweight": 1.5,
        "suspension_trainer": 1.5,
        "band": 1.0,
    },
    "accessory": {
        "dumbbell": 2.5,
        "cable": 2.5,
        "machine": 2.5,
        "ez_bar": 2.0,
        "kettlebell": 2.0,
        "barbell": 1.5,
        "bodyweight": 1.5,
        "band": 1.5,
    },
    "conditioning": {"cardio_machine": 2.5, "jump_rope": 2.0, "bodyweight": 1.5},
}


# The muscles that should lead each compound pattern's main and second lifts.
PATTERN_FOCUS = {
    "squat": ("quadriceps",),
    "hinge": ("hamstrings", "glutes"),
    "lunge": ("quadriceps", "glutes"),
    "horizontal_push": ("chest",),
    "vertical_push": ("front_delts",),
    "horizontal_pull": ("lats", "upper_back"),
    "vertical_pull": ("lats",),
}


def _preference(goal: str, role: str, exercise: LibraryExercise, experience: str) -> float:
    if role == "conditioning":
        table = EQUIPMENT_PREFERENCE["conditioning"]
    elif role == "main":
        table = EQUIPMENT_PREFERENCE["strength_main" if goal == "strength" else "main"]
    else:
        table = EQUIPMENT_PREFERENCE["accessory"] if role != "secondary" else EQUIPMENT_PREFERENCE["main"]
    score = table.get(exercise.equipment, 1.0)
    if experience == "beginner" and role in ("main", "secondary") and exercise.equipment in ("machine", "dumbbell"):
        score += 0.5  # easier to learn and to stop safely
    return score


def _categories(goal: str, role: str) -> set[str]:
    if role == "conditioning":
        return {"cardio"}
    if role == "core":
        return {"core", "strength"}
    if role in ("main", "secondary") and goal in ("fat_loss", "endurance", "general_fitness"):
        return {"strength", "power"}
    return {"strength"}


@dataclass
class Choice:
    """An exercise picked for a slot, and the reasons the trainer will read."""

    slot: Slot
    exercise: LibraryExercise
    pattern: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class Selector:
    """Picks exercises for slots from the usable library, remembering the week's choices."""

    request: GenerationRequest
    library: Sequence[LibraryExercise]
    rng: random.Random
    used_this_week: Counter = field(default_factory=Counter)
    by_pattern: dict[str, list[LibraryExercise]] = field(default_factory=dict)
    _restrictions: dict[int, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Index the usable exercises once; every slot only looks at its own patterns.
        for exercise in self.library:
            pattern = exercise.movement_pattern
            if pattern is not None and self.usable(exercise):
                self.by_pattern.setdefault(pattern, []).append(exercise)

    def usable(self, exercise: LibraryExercise) -> bool:
        """Has a pattern, and the equipment it needs is available."""
        return exercise.movement_pattern is not None and exercise.usable_with(self.request.equipment)

    def restriction(self, exercise: LibraryExercise) -> list[str]:
        """Why the request's restrictions rule the exercise out (empty: allowed)."""
        if exercise.id not in self._restrictions:
            hits = excluded_by(exercise, self.request.avoid)
            strict = self.request.strict_muscles
            hits += [
                m for m in (*exercise.primary_muscles, *exercise.secondary_muscles) if m in strict and m not in hits
            ]
            self._restrictions[exercise.id] = hits
        return list(self._restrictions[exercise.id])

    def allowed(self, exercise: LibraryExercise) -> bool:
        """Usable and not ruled out by the restrictions."""
        return self.usable(exercise) and not self.restriction(exercise)

    def _pool(self, slot: Slot, patterns: tuple[str, ...], max_level: int, taken: set[int]) -> list[LibraryExercise]:
        categories = _categories(self.request.goal, slot.role)
        candidates = [exercise for pattern in patterns for exercise in self.by_pattern.get(pattern, ())]
        # Library order (by name), whatever the order of the patterns.
        candidates.sort(key=lambda exercise: (exercise.name.lower(), exercise.id))
        return [
            exercise
            for exercise in candidates
            if exercise.id not in taken
            and exercise.category in categories
            and LEVEL_RANK.get(exercise.level, 0) <= max_level
            and (not slot.muscles or set(exercise.primary_muscles) & set(slot.muscles))
            and not (slot.role in ("main", "secondary") and exercise.tracking == "time")
        ]

    def _score(self, exercise: LibraryExercise, slot: Slot, jitter: dict[int, float]) -> float:
        request = self.request
        score = _preference(request.goal, slot.role, exercise, request.experience)
        if self.used_this_week[exercise.id]:
            score -= 2.5  # variety across the week's days when there is a choice
        if set(exercise.secondary_muscles) & set(request.avoid):
            score -= 1.5
        if exercise.unilateral and slot.role == "main":
            score -= 0.75  # main lifts load best with both sides at once
        if slot.muscles and exercise.primary_muscles[0] in slot.muscles:
            score += 0.5
        if slot.role in ("main", "secondary") and exercise.primary_muscles[0] in PATTERN_FOCUS.get(
            exercise.movement_pattern or "", ()
        ):
            score += 0.75  # a bench press, not a close-grip press, leads the horizontal push
        return score + jitter[exercise.id]

    def choose(self, slot: Slot, taken: set[int]) -> Choice | str:
        """The best exercise for the slot, or why there is none."""
        experience_rank = LEVEL_RANK[self.request.experience]
        for patterns in (slot.patterns, slot.fallback):
            if not patterns:
                continue
            for max_level in (experience_rank, experience_rank + 1):
                pool = self._pool(slot, patterns, max_level, taken)
                if not pool:
                    continue
                # One draw per candidate, in library order, whether or not it is allowed.
                jitter = {exercise.id: self.rng.random() * JITTER for exercise in pool}
                allowed = [exercise for exercise in pool if not self.restriction(exercise)]
                if not allowed:
                    continue
                choice = self._pick(slot, pool, allowed, jitter)
                if patterns is slot.fallback:
                    choice.reasons.append(
                        f"no {' or '.join(map(words, slot.patterns))} exercise fits the equipment and restrictions, "
                        f"so this slot uses a {words(choice.pattern)} exercise"
                    )
                if max_level > experience_rank:
                    choice.reasons.append(
                        f"no {self.request.experience} option fits, so this is a {choice.exercise.level} exercise: "
                        "coach it closely or regress it"
                    )
                return choice
        return self._why_empty(slot, taken)

    def _pick(self, slot: Slot, pool, allowed, jitter) -> Choice:
        def key(exercise):
            return (-self._score(exercise, slot, jitter), exercise.name.lower(), exercise.id)

        best_any = min(pool, key=key)
        if best_any in allowed:
            chosen = min(allowed, key=key)
            return Choice(slot, chosen, chosen.movement_pattern)
        # The natural pick is ruled out: take its closest alternative (same pattern and muscles).
        reasons = self._restriction_text(best_any)
        alternatives = rank_alternatives(best_any, allowed, avoid=self.request.avoid)
        if alternatives:
            chosen = min((alt.exercise for alt in alternatives[:3]), key=key)
            reason = next(alt.reason for alt in alternatives if alt.exercise.id == chosen.id)
            text = f"replaces {best_any.name} ({reasons}): {reason[0].lower()}{reason[1:-1]}"
        else:
            chosen = min(allowed, key=key)
            text = f"replaces {best_any.name} ({reasons}); nothing closer fits"
        return Choice(slot, chosen, chosen.movement_pattern, [text])

    def _restriction_text(self, exercise: LibraryExercise) -> str:
        hits = self.restriction(exercise)
        sources = []
        for hit in hits:
            injury = next(
                (i.text for i in self.request.injuries for rule in i.rules if hit in rule.avoid or hit in rule.strict),
                None,
            )
            sources.append(f"{words(hit)}, for the client's '{injury}'" if injury else f"{words(hit)} is to be spared")
        return "; ".join(sources)

    def _why_empty(self, slot: Slot, taken: set[int]) -> str:
        patterns = slot.patterns + slot.fallback
        candidates = [
            exercise
            for exercise in self.library
            if exercise.movement_pattern in patterns
            and exercise.category in _categories(self.request.goal, slot.role)
            and (not slot.muscles or set(exercise.primary_muscles) & set(slot.muscles))
        ]
        if not any(self.usable(exercise) for exercise in candidates):
            return "needs equipment that is not available"
        if all(self.restriction(exercise) for exercise in candidates if self.usable(exercise)):
            return "every option is ruled out by the restrictions"
        return "its options are already used in this session"


# ---------------------------------------------------------------- items


@dataclass(eq=False)
class Planned:
    """A chosen exercise with its prescription and the amount the time budget allows."""

    choice: Choice
    rx: Rx | None
    conditioning: Conditioning | None
    amount: int  # sets; rounds for intervals; minutes for steady conditioning
    minimum: int
    target: int
    tempo: str | None = None
    group: str | None = None
    group_first: bool = False
    experience: str = "beginner"

    @property
    def exercise(self) -> LibraryExercise:
        return self.choice.exercise

    def item(self, position: int, deload: bool, last_position: int) -> dict[str, Any]:
        """The content item for one week."""
        if self.conditioning is not None:
            return self._conditioning_item(position, deload, last_position)
        rx, exercise = self.rx, self.exercise
        assert rx is not None  # a lifting item always has its prescription (see _planned)
        sets = max(1, round(self.amount * DELOAD_SET_SHARE)) if deload else self.amount
        low, high = rx.reps
        rest = 15 if self.group and self.group_first else rx.rest
        item: dict[str, Any] = {"exercise_id": exercise.id, "sets": sets, "rest_seconds": rest}
        if exercise.tracking == "time":
            base = HOLD_SECONDS[self.experience]
            item["duration_seconds"] = base if deload else base + HOLD_STEP * position
        elif deload:
            item["reps"] = low
        elif rx.rep_step:
            item["reps"] = min(low + rx.rep_step * position, high)
        else:
            item["reps"] = f"{low}-{high}"
        if deload:
            # Lighter, but still real work: RPE 5 is the floor of a useful set.
            value = rx.base - 10.0 if rx.load == "percent_1rm" else max(5.0, rx.base - 1.5)
        else:
            value = min(rx.base + rx.step * position, PERCENT_CAP if rx.load == "percent_1rm" else RPE_CAP)
        item["load"] = {"type": rx.load, "value": round(value, 1)}
        if self.tempo and "reps" in item:
            item["tempo"] = self.tempo
        if self.group:
            item["group"] = self.group
        notes = self.notes(deload)
        if notes:
            item["notes"] = notes
        return item

    def notes(self, deload: bool) -> str:
        """Short coaching notes for the item."""
        parts = []
        if self.choice.slot.role == "main" and not deload:
            parts.append("Main lift: 2-3 lighter ramp-up sets first.")
        if self.rx and self.rx.load == "percent_1rm":
            parts.append("% of your current one-rep max.")
        if self.exercise.unilateral:
            parts.append("Reps or time are per side.")
        if self.group and self.group_first:
            parts.append("Superset: go straight to the next exercise, then rest.")
        if deload:
            parts.append("Deload week: lighter and fewer sets; leave the gym fresh.")
        return " ".join(parts)

    def _conditioning_item(self, position: int, deload: bool, last_position: int) -> dict[str, Any]:
        c = self.conditioning
        assert c is not None  # only conditioning items come here
        item: dict[str, Any] = {"exercise_id": self.exercise.id, "load": {"type": "rpe", "value": c.rpe}}
        if c.kind == "steady":
            # Build up to the budgeted minutes by the block's last build week, 2 minutes a step.
            minutes = max(c.minimum, self.amount - 2 * max(0, last_position - position))
            if deload:
                minutes = max(c.minimum, round(self.amount * DELOAD_SET_SHARE))
            item.update(
                sets=1,
                duration_seconds=minutes * 60,
                rest_seconds=0,
                notes="Steady pace: you can still talk in short sentences.",
            )
        else:
            rounds = max(2, round(self.amount * DELOAD_SET_SHARE)) if deload else self.amount
            # Intervals progress by resting less: 5 s less each week, never under half the work.
            rest = c.rest if deload else max(c.work // 2, c.rest - 5 * position)
            item.update(
                sets=rounds,
                duration_seconds=c.work,
                rest_seconds=rest,
                notes=f"Intervals: {c.work} s hard, then rest; hold the same output every round.",
            )
        if deload:
            item["notes"] += " Deload week: easier."
        return item


# ---------------------------------------------------------------- the draft


@dataclass
class WorkoutDraft:
    """The workout content and what explains it."""

    name: str
    description: str
    tags: list[str]
    content: dict[str, Any]
    explanations: list[dict[str, Any]]
    sessions: list[dict[str, Any]]
    split: str


def _explain(explanations: list[dict[str, Any]], topic: str, message: str, path: str | None = None) -> None:
    explanations.append({"topic": topic, "path": path, "message": message})


class Builder:
    """Builds one workout draft for a request."""

    def __init__(self, request: GenerationRequest, library: Sequence[LibraryExercise]) -> None:
        self.request = request
        self.rng = random.Random(request.seed)
        self.selector = Selector(request, library, self.rng)
        self.phases = week_phases(request.weeks)
        self.explanations: list[dict[str, Any]] = []
        self.conditioning = conditioning_for(request.goal, request.experience)

    # -- selection and fitting

    def _plan_week(self, templates: Sequence[str]) -> list[tuple[list[Planned], list[str]]]:
        """Per day: its chosen exercises in slot order, and the slots nothing could fill.

        Slots are filled role by role across the whole week (every main lift before any second
        lift), so the best exercise for a main lift is never spent on a lesser slot of an
        earlier day.
        """
        day_slots = []
        for template in templates:
            slots = list(DAY_TEMPLATES[template][1])
            if self.conditioning is not None:
                slots.append(Slot("conditioning", ("cardio",)))
            day_slots.append(slots)
        chosen: list[dict[int, Planned]] = [{} for _ in templates]
        gaps: list[list[str]] = [[] for _ in templates]
        taken: list[set[int]] = [set() for _ in templates]
        for role in ("main", "secondary", "core", "accessory", "conditioning"):
            for day, slots in enumerate(day_slots):
                for index, slot in enumerate(slots):
                    if slot.role != role:
                        continue
                    outcome = self.selector.choose(slot, taken[day])
                    if isinstance(outcome, str):
                        muscles = f" ({', '.join(map(words, slot.muscles))})" if slot.muscles else ""
                        gaps[day].append(f"{'/'.join(map(words, slot.patterns))}{muscles}: {outcome}")
                        continue
                    taken[day].add(outcome.exercise.id)
                    self.selector.used_this_week[outcome.exercise.id] += 1
                    chosen[day][index] = self._planned(outcome)
        return [
            ([by_slot[i] for i in sorted(by_slot)], day_gaps) for by_slot, day_gaps in zip(chosen, gaps, strict=True)
        ]

    def _planned(self, choice: Choice) -> Planned:
        if choice.slot.role == "conditioning":
            c = self.conditioning
            assert c is not None  # a conditioning slot exists only when the goal calls for conditioning
            return Planned(choice, None, c, c.minimum, c.minimum, c.target, experience=self.request.experience)
        rx = prescription(self.request.goal, self.request.experience, choice.slot.role, choice.exercise)
        tempo = "3-0-1-0" if self.request.goal == "muscle_gain" and choice.slot.role == "accessory" else None
        return Planned(
            choice, rx, None, min(2, rx.sets), min(2, rx.sets), rx.sets, tempo=tempo, experience=self.request.experience
        )

    def _last_position(self) -> int:
        return max((position for position, deload in self.phases if not deload), default=0)

    def _cost(self, planned: Planned) -> int:
        """The item's worst week: set-up plus sets x (work + rest)."""
        last = self._last_position()
        return SETUP_SECONDS + max(
            estimate_item_seconds(planned.item(position, deload, last), planned.exercise.unilateral)
            for position, deload in self.phases
        )

    def _priority(self, planned: Planned) -> int:
        """Lower fills first: main lifts, then what the goal needs most, accessories last."""
        role = planned.choice.slot.role
        if role == "conditioning":
            # Endurance work is the goal itself; for fat loss it is the next most useful minutes.
            return {"endurance": 1, "fat_loss": 3}.get(self.request.goal, 5)
        return {"main": 0, "secondary": 2, "core": 4, "accessory": 6}[role]

    def _fit(self, planned: list[Planned], chosen: list[Planned]) -> list[Planned]:
        """Fill the minutes tier by tier: each tier at its minimum, then grown to target, then the next.

        Full work on the main lifts beats a little of everything when time is short.
        """
        budget = self.request.session_minutes * 60 - WARMUP_SECONDS
        used = sum(self._cost(p) for p in chosen)
        for tier in sorted({self._priority(p) for p in planned}):
            members = [p for p in planned if self._priority(p) == tier]
            for candidate in members:
                if candidate in chosen:
                    continue
                candidate.amount = candidate.minimum
                cost = self._cost(candidate)
                if used + cost <= budget:
                    chosen.append(candidate)
                    used += cost
            grew = True
            while grew:
                grew = False
                for candidate in (p for p in members if p in chosen and p.amount < p.target):
                    before = self._cost(candidate)
                    candidate.amount += 1
                    after = self._cost(candidate)
                    if used - before + after <= budget:
                        used += after - before
                        grew = True
                    else:
                        candidate.amount -= 1
        return sorted(chosen, key=planned.index)

    def _pair_supersets(self, items: list[Planned]) -> None:
        if self.request.goal not in ("fat_loss", "endurance"):
            return
        labels = iter("BCDEFGH")
        pending = None
        for planned in items:
            if planned.choice.slot.role != "accessory":
                pending = None
                continue
            if pending is None:
                pending = planned
                continue
            label = next(labels)
            pending.group, pending.group_first = label, True
            planned.group = label
            pending = None

    # -- output

    def build(self) -> WorkoutDraft:
        request = self.request
        split_name, templates, offsets, why = SPLITS[request.days_per_week]
        days: list[tuple[str, list[Planned]]] = []
        empty_days = []
        for template, (planned, gaps) in zip(templates, self._plan_week(templates), strict=True):
            name = FIVE_DAY_NAMES[template] if request.days_per_week == 5 else DAY_TEMPLATES[template][0]
            chosen = self._fit(planned, [])
            self._pair_supersets(chosen)
            chosen = self._fit(planned, chosen)  # supersets free time: try what did not fit
            if not chosen:
                empty_days.append((name, template, gaps))
            days.append((name, chosen))
            day_index = offsets[templates.index(template)]
            for gap in gaps:
                _explain(
                    self.explanations,
                    "gap",
                    f"{name}: no exercise for {gap}.",
                    f"workout.content.weeks.*.days.{day_index}",
                )
            left_out = [p.exercise.name for p in planned if p not in chosen]
            if left_out:
                _explain(
                    self.explanations,
                    "time",
                    f"{name}: left out to fit {request.session_minutes} minutes: {', '.join(left_out)}.",
                    f"workout.content.weeks.*.days.{day_index}",
                )
        if empty_days:
            raise impossible(request, self.selector, empty_days)
        content, sessions = self._content(days, offsets)
        self._explain_plan(split_name, why, offsets, days)
        goal = LABELS[request.goal]
        return WorkoutDraft(
            name=f"{goal.capitalize()}: {request.days_per_week}-day {split_name}, {request.weeks} weeks"[:120],
            description=(
                f"Draft for {goal}, {request.experience}, {request.days_per_week} days a week, "
                f"{request.session_minutes}-minute sessions. Generated by rules (seed {request.seed}); "
                "review before assigning."
            ),
            tags=["generated", request.goal, split_name],
            content=content,
            explanations=self.explanations,
            sessions=sessions,
            split=split_name,
        )

    def _content(self, days, offsets) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        last = self._last_position()
        weeks, sessions = [], []
        for w, (position, deload) in enumerate(self.phases):
            week_days: list[dict[str, Any]] = [{"name": "Rest", "rest": True} for _ in range(7)]
            for (name, planned), offset in zip(days, offsets, strict=True):
                items = [p.item(position, deload, last) for p in planned]
                week_days[offset] = {"name": name, "rest": False, "items": items}
                seconds = estimate_day_seconds(items, {p.exercise.id: p.exercise.unilateral for p in planned})
                sessions.append({"week": w, "day": offset, "name": name, "estimated_minutes": math.ceil(seconds / 60)})
            label = f"Week {w + 1}" + (" (deload)" if deload else "")
            weeks.append({"name": label, "days": week_days})
        return {"weeks": weeks}, sessions

    def _explain_plan(self, split_name, why, offsets, days) -> None:
        request, ex = self.request, self.explanations
        _explain(ex, "split", f"{request.days_per_week} days a week: {split_name}, because {why}.")
        _explain(
            ex,
            "schedule",
            "Training on days "
            + ", ".join(str(o + 1) for o in offsets)
            + " of each week, with rest days between where the week allows.",
        )
        equipment = [e for e in request.equipment if e != "bodyweight"]
        _explain(
            ex,
            "equipment",
            "Only exercises possible with "
            + (", ".join(map(words, equipment)) + " and bodyweight" if equipment else "bodyweight alone")
            + " were considered.",
        )
        if request.avoid:
            _explain(
                ex,
                "restrictions",
                "Exercises whose movement pattern or primary muscles are "
                + ", ".join(map(words, request.avoid))
                + " were left out; those that only use them as helpers "
                "were ranked lower.",
            )
        for injury in request.injuries:
            if injury.rules:
                for rule in injury.rules:
                    _explain(
                        ex,
                        "injury",
                        f"Client injury '{injury.text}': sparing {rule.why} "
                        f"(avoiding {', '.join(map(words, rule.avoid))}).",
                    )
            else:
                _explain(ex, "injury", f"Client injury '{injury.text}' matches no rule: review every exercise for it.")
        _explain(ex, "prescription", self._prescription_text())
        _explain(ex, "progression", self._progression_text())
        if any(deload for _, deload in self.phases):
            weeks = [str(w + 1) for w, (_, deload) in enumerate(self.phases) if deload]
            _explain(
                ex,
                "deload",
                f"Week {', '.join(weeks)}: deload, about 40% fewer sets at lower effort, "
                "to recover and consolidate before the next block.",
            )
        for (name, planned), offset in zip(days, offsets, strict=True):
            for i, p in enumerate(planned):
                role = {
                    "main": "main lift",
                    "secondary": "second lift",
                    "accessory": "accessory",
                    "core": "trunk work",
                    "conditioning": "conditioning",
                }[p.choice.slot.role]
                message = (
                    f"{name}: {p.exercise.name} as the {role} for {words(p.choice.pattern)}, "
                    f"with {words(p.exercise.equipment)} ({p.exercise.level})"
                )
                if p.choice.reasons:
                    message += "; " + "; ".join(p.choice.reasons)
                _explain(ex, "exercise", message + ".", f"workout.content.weeks.*.days.{offset}.items.{i}")
        last = self._last_position()
        for (name, planned), offset in zip(days, offsets, strict=True):
            worst = max(
                estimate_day_seconds(
                    [p.item(pos, deload, last) for p in planned],
                    {p.exercise.id: p.exercise.unilateral for p in planned},
                )
                for pos, deload in self.phases
            )
            _explain(
                ex,
                "time",
                f"{name}: about {math.ceil(worst / 60)} of {request.session_minutes} minutes "
                f"at its longest week ({WARMUP_SECONDS // 60} min warm-up, {SETUP_SECONDS} s set-up per "
                "exercise, and sets x (work + rest)).",
                f"workout.content.weeks.*.days.{offset}",
            )

    def _prescription_text(self) -> str:
        request = self.request
        main, accessory = RX[request.goal]["main"], RX[request.goal]["accessory"]
        text = (
            f"For {LABELS[request.goal]}: main lifts {main.sets} x {main.reps[0]}-{main.reps[1]} with "
            f"{main.rest} s rest, accessories {accessory.sets} x {accessory.reps[0]}-{accessory.reps[1]} with "
            f"{accessory.rest} s rest"
        )
        if request.experience == "beginner":
            text += "; as a beginner, one set fewer on the big lifts and effort kept at RPE 6-7 while technique settles"
        elif request.experience == "advanced":
            text += "; as an advanced lifter, one more set on the main lift and a higher starting effort"
        if self.request.goal in ("fat_loss", "endurance"):
            text += "; accessories are paired into supersets to do more work per minute"
        if self.conditioning is not None:
            c = self.conditioning
            text += (
                "; steady conditioning closes each session"
                if c.kind == "steady"
                else f"; intervals ({c.work} s on) close each session"
            )
        return text + "."

    def _progression_text(self) -> str:
        goal = self.request.goal
        if goal == "strength":
            return (
                "Load rises each week (+2.5% of 1RM on barbell main lifts, +0.5 RPE elsewhere) while reps stay "
                "low, the classic linear progression for strength."
            )
        if goal == "muscle_gain":
            return (
                "Main lifts get heavier (+0.5 RPE a week); accessories add 2 reps a week within their range "
                "(double progression): add load once the top of the range is reached."
            )
        return (
            "Reps rise week to week within each range, main lifts get slightly heavier, and conditioning "
            "rests shorten or sessions lengthen: a gentle, steady overload."
        )


def impossible(request: GenerationRequest, selector: Selector, empty_days) -> InvalidInputError:
    """A 422 saying which days cannot be filled and what to change."""
    blocked_patterns: set[str] = set()
    blockers: Counter = Counter()
    missing_equipment: Counter = Counter()
    for _, template, _ in empty_days:
        for slot in DAY_TEMPLATES[template][1]:
            blocked_patterns.update(slot.patterns + slot.fallback)
    for exercise in selector.library:
        if exercise.movement_pattern not in blocked_patterns or exercise.movement_pattern is None:
            continue
        hits = selector.restriction(exercise)
        if selector.usable(exercise):
            blockers.update(hits)
        elif not hits:
            missing_equipment.update(exercise.needs - set(request.equipment))
    names = ", ".join(name for name, _, _ in empty_days)
    errors: dict[str, list[str]] = {}
    if blockers:
        values = [value for value, _ in blockers.most_common(5)]
        message = "Remove one of these to allow exercises: " + ", ".join(map(words, values)) + "."
        from_injuries = sorted(
            {
                injury.text
                for injury in request.injuries
                for rule in injury.rules
                if set(rule.avoid + rule.strict) & set(values)
            }
        )
        if from_injuries:
            message += " Some come from the client's injuries (" + "; ".join(from_injuries) + ")."
        errors["avoid"] = [message]
    if missing_equipment:
        errors["equipment"] = [
            "Add one of: " + ", ".join(words(value) for value, _ in missing_equipment.most_common(5)) + "."
        ]
    if request.days_per_week > 2:
        errors.setdefault("days_per_week", ["Or train fewer days so the split needs fewer kinds of session."])
    return InvalidInputError(
        f"No exercise in your library fits {names} with this equipment and these restrictions.", errors=errors
    )


def build_workout(request: GenerationRequest, library: Sequence[LibraryExercise]) -> WorkoutDraft:
    """The rule-based workout draft for a request, or a 422 when no exercise can fill a day."""
    return Builder(request, library).build()


def allowed_exercises(request: GenerationRequest, library: Sequence[LibraryExercise]) -> list[LibraryExercise]:
    """The exercises a draft for `request` may use (equipment available, restrictions respected)."""
    selector = Selector(request, library, random.Random(0))
    return [exercise for exercise in library if selector.allowed(exercise)]
