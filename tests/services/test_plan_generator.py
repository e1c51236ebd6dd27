"""The rule-based generator: every goal x experience x days draft is valid, restricted, timed and explained."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest

from fitbud.errors import InvalidInputError, NotFoundError
from fitbud.models import PlanKind
from fitbud.services.exercises import library_for_trainer
from fitbud.services.plan_content import diet_totals, validate_content
from fitbud.services.plan_generation import generate_plan
from fitbud.services.plan_generation.diet import mifflin_st_jeor, targets_for
from fitbud.services.plan_generation.inputs import Body, match_injuries, profile_from_client
from fitbud.services.plan_generation.workout import week_phases
from tests.factories import ClientFactory, ExerciseFactory

GOALS = ("fat_loss", "muscle_gain", "strength", "endurance", "general_fitness")
EXPERIENCES = ("beginner", "intermediate", "advanced")
DAYS = (2, 3, 4, 5, 6)
GYM = ["barbell", "dumbbell", "bench", "cable", "machine", "pull_up_bar", "kettlebell", "cardio_machine"]


def _request(**overrides) -> dict:
    body = {"goal": "muscle_gain", "experience": "intermediate", "days_per_week": 3, "session_minutes": 60,
            "equipment": GYM, "avoid": [], "seed": 42}
    body.update(overrides)
    return body


def _items(content: dict):
    for week in content["weeks"]:
        for day in week["days"]:
            yield from day["items"]


def _seconds(item: dict, unilateral: bool) -> int:
    """The documented formula, written out again: sets x (work + rest), work doubled per side."""
    if "duration_seconds" in item:
        work = item["duration_seconds"]
    else:
        reps = item["reps"] if isinstance(item["reps"], int) else int(item["reps"].split("-")[1])
        per_rep = sum(1 if c == "X" else int(c) for c in item["tempo"].split("-")) if "tempo" in item else 3
        work = reps * per_rep
    return item["sets"] * (work * (2 if unilateral else 1) + item.get("rest_seconds", 0))


def _longest_session_minutes(content: dict, library: dict) -> float:
    longest = 0
    for week in content["weeks"]:
        for day in week["days"]:
            if day.get("rest"):
                continue
            seconds = 300 + sum(60 + _seconds(i, library[i["exercise_id"]].unilateral) for i in day["items"])
            longest = max(longest, seconds)
    return longest / 60


# ---------------------------------------------------------------- every combination


@pytest.mark.parametrize(("goal", "experience", "days"), list(itertools.product(GOALS, EXPERIENCES, DAYS)))
def test_every_combination_gives_a_valid_timed_plan(trainer, goal, experience, days):
    minutes = 30 + 10 * days  # vary the budget too
    result = generate_plan(trainer, _request(goal=goal, experience=experience, days_per_week=days,
                                             session_minutes=minutes, weeks=5))
    content = result["workout"]["content"]
    assert validate_content(PlanKind.WORKOUT, content, trainer.id) == content
    assert len(content["weeks"]) == 5
    for week in content["weeks"]:
        assert len(week["days"]) == 7
        assert sum(1 for day in week["days"] if not day["rest"]) == days
    library = library_for_trainer(trainer.id).by_id()
    assert _longest_session_minutes(content, library) <= minutes
    levels = {"beginner": 0, "intermediate": 1, "advanced": 2}
    assert all(levels[library[i["exercise_id"]].level] <= levels[experience] + 1 for i in _items(content))
    assert result["source"] == "rules" and result["fallback_reason"] is None
    assert result["explanations"]


# ---------------------------------------------------------------- determinism


def test_same_inputs_and_seed_give_the_same_draft(trainer):
    first = generate_plan(trainer, _request(seed=7))
    second = generate_plan(trainer, _request(seed=7))
    assert first["workout"] == second["workout"] and first["explanations"] == second["explanations"]


def test_another_seed_varies_the_draft(trainer):
    drafts = {str(generate_plan(trainer, _request(seed=seed))["workout"]["content"]) for seed in range(5)}
    assert len(drafts) > 1


def test_missing_seed_is_drawn_and_returned(trainer):
    result = generate_plan(trainer, _request(seed=None))
    again = generate_plan(trainer, _request(seed=result["seed"]))
    assert again["workout"] == result["workout"]


# ---------------------------------------------------------------- split and progression


@pytest.mark.parametrize(
    ("days", "names"),
    [
        (2, {"Full body A", "Full body B"}),
        (4, {"Upper A", "Lower A", "Upper B", "Lower B"}),
        (5, {"Push", "Pull", "Legs", "Upper", "Lower"}),
        (6, {"Push A", "Pull A", "Legs A", "Push B", "Pull B", "Legs B"}),
    ],
)
def test_split_suits_the_days(trainer, days, names):
    content = generate_plan(trainer, _request(days_per_week=days))["workout"]["content"]
    assert {d["name"] for d in content["weeks"][0]["days"] if not d["rest"]} == names


def test_last_week_of_a_four_week_block_is_a_deload(trainer):
    content = generate_plan(trainer, _request(goal="strength", weeks=4))["workout"]["content"]
    assert content["weeks"][3]["name"] == "Week 4 (deload)"
    main = [week["days"][0]["items"][0] for week in content["weeks"]]
    loads = [item["load"]["value"] for item in main]
    assert loads[0] < loads[1] < loads[2]  # load rises across the build weeks
    assert loads[3] < loads[0] and main[3]["sets"] < main[2]["sets"]


def test_reps_rise_across_weeks_for_muscle_gain_accessories(trainer):
    content = generate_plan(trainer, _request(goal="muscle_gain", session_minutes=90, weeks=3))["workout"]["content"]
    positions = [(d, i) for d, day in enumerate(content["weeks"][0]["days"]) if not day["rest"]
                 for i, item in enumerate(day["items"]) if isinstance(item.get("reps"), int)]
    d, i = positions[0]
    reps = [week["days"][d]["items"][i]["reps"] for week in content["weeks"]]
    assert reps == sorted(reps) and reps[0] < reps[-1]
    assert all("(deload)" not in week["name"] for week in content["weeks"])  # blocks under 4 weeks: no deload


@pytest.mark.parametrize(("weeks", "deloads"), [(3, []), (4, [3]), (6, [5]), (8, [3, 7]), (12, [3, 7, 11])])
def test_deload_weeks(weeks, deloads):
    assert [w for w, (_, deload) in enumerate(week_phases(weeks)) if deload] == deloads


# ---------------------------------------------------------------- equipment, restrictions, time


@pytest.mark.parametrize("equipment", [[], ["dumbbell"], ["band", "pull_up_bar"], ["kettlebell"]])
def test_only_available_equipment_is_used(trainer, equipment):
    result = generate_plan(trainer, _request(equipment=equipment, days_per_week=3))
    library = library_for_trainer(trainer.id).by_id()
    for item in _items(result["workout"]["content"]):
        exercise = library[item["exercise_id"]]
        assert exercise.needs <= set(equipment), exercise.name


@pytest.mark.parametrize("avoid", [["squat", "lunge"], ["lower_back"], ["chest", "vertical_push"], ["hinge", "jump"]])
def test_avoided_patterns_and_muscles_are_spared(trainer, avoid):
    result = generate_plan(trainer, _request(avoid=avoid, days_per_week=4))
    library = library_for_trainer(trainer.id).by_id()
    for item in _items(result["workout"]["content"]):
        exercise = library[item["exercise_id"]]
        assert exercise.movement_pattern not in avoid
        assert not set(exercise.primary_muscles) & set(avoid)


def test_swapped_exercise_is_explained(trainer):
    result = generate_plan(trainer, _request(avoid=["lower_back"], days_per_week=4, goal="strength"))
    swaps = [e["message"] for e in result["explanations"] if "replaces" in e["message"]]
    assert swaps and "lower back" in swaps[0]


@pytest.mark.parametrize("minutes", [20, 35, 75, 120])
def test_sessions_fit_the_minutes(trainer, minutes):
    result = generate_plan(trainer, _request(session_minutes=minutes, goal="strength", experience="advanced"))
    library = library_for_trainer(trainer.id).by_id()
    assert _longest_session_minutes(result["workout"]["content"], library) <= minutes
    assert max(s["estimated_minutes"] for s in result["sessions"]) <= minutes


def test_longer_sessions_hold_more_work(trainer):
    short = generate_plan(trainer, _request(session_minutes=30))["workout"]["content"]
    long = generate_plan(trainer, _request(session_minutes=90))["workout"]["content"]
    assert sum(i["sets"] for i in _items(long)) > sum(i["sets"] for i in _items(short))


def test_custom_exercises_can_be_chosen(trainer):
    custom = ExerciseFactory(owner=trainer, name="Coach Sled Squat", movement_pattern="squat", equipment="sled",
                             primary_muscles=["quadriceps", "glutes"], secondary_muscles=[], level="beginner")
    result = generate_plan(trainer, _request(equipment=["sled"], avoid=["lunge"], days_per_week=2))
    assert custom.id in {i["exercise_id"] for i in _items(result["workout"]["content"])}


def test_impossible_restrictions_are_422_saying_what_to_change(trainer):
    avoid = ["squat", "hinge", "lunge", "isolation", "core", "rotation", "carry", "cardio"]
    with pytest.raises(InvalidInputError) as raised:
        generate_plan(trainer, _request(days_per_week=6, avoid=avoid, goal="endurance"))
    assert "Legs" in raised.value.message
    assert "avoid" in raised.value.errors and "Remove one of" in raised.value.errors["avoid"][0]


def test_missing_equipment_is_422_saying_what_to_add(trainer):
    with pytest.raises(InvalidInputError) as raised:
        generate_plan(trainer, _request(equipment=[], days_per_week=6,
                                        avoid=["horizontal_push", "vertical_push", "core", "rotation", "isolation",
                                               "cardio"]))
    assert "equipment" in raised.value.errors


# ---------------------------------------------------------------- injuries and the client's profile


def test_injuries_map_to_patterns_and_muscles():
    knee, back, unknown = match_injuries(["Left knee: ACL reconstruction 2023", "Lumbar disc herniation", "Tinnitus"])
    assert {"squat", "lunge", "jump"} <= set(knee.rules[0].avoid)
    assert "lower_back" in back.rules[0].strict
    assert unknown.rules == ()


def test_keywords_match_word_starts_only():
    assert match_injuries(["specific discomfort"])[0].rules == ()


def test_profile_is_read_defensively_from_any_client_shape():
    from datetime import date

    client = SimpleNamespace(date_of_birth=date(1990, 6, 15), sex=SimpleNamespace(value="FEMALE"), height_cm="170",
                             starting_weight_kg=65, health_details={"injuries": ["sore shoulder", {"area": "knee"}]})
    profile = profile_from_client(client, "imperial", date(2026, 6, 14))
    assert profile.body == Body(sex="female", age=35, height_cm=170.0, weight_kg=65.0)
    assert profile.injuries == ["sore shoulder", "knee"]
    bare = profile_from_client(SimpleNamespace(), None, date(2026, 1, 1))
    assert bare.body == Body() and bare.injuries == []


def test_injuries_from_the_profile_are_spared_and_explained(trainer, monkeypatch):
    from fitbud.services.plan_generation import inputs

    client = ClientFactory(trainer=trainer)
    real = inputs.profile_from_client

    def with_injury(row, unit_system, today):
        assert row.id == client.id
        return real(SimpleNamespace(health_details={"injuries": ["Right knee pain"]}), unit_system, today)

    monkeypatch.setattr(inputs, "profile_from_client", with_injury)
    result = generate_plan(trainer, _request(client_id=client.id, days_per_week=4))
    library = library_for_trainer(trainer.id).by_id()
    assert not {library[i["exercise_id"]].movement_pattern for i in _items(result["workout"]["content"])} & {
        "squat", "lunge", "jump"}
    assert any("Right knee pain" in e["message"] for e in result["explanations"] if e["topic"] == "injury")
    assert set(result["inputs"]["avoid"]) >= {"squat", "lunge", "jump"}


def test_another_trainers_client_is_404(trainer, other_trainer):
    theirs = ClientFactory(trainer=other_trainer)
    with pytest.raises(NotFoundError):
        generate_plan(trainer, _request(client_id=theirs.id))


def test_client_units_come_from_their_login(trainer):
    from fitbud.extensions import db
    from fitbud.models import User

    client = ClientFactory(trainer=trainer, with_login=True)
    db.session.get(User, client.user_id).unit_system = "imperial"
    db.session.commit()
    result = generate_plan(trainer, _request(client_id=client.id, body={"sex": "male", "age": 40, "height_cm": 175,
                                                                        "weight_kg": 82}))
    assert result["inputs"]["unit_system"] == "imperial"
    units = {i["unit"] for meal in result["diet"]["content"]["days"][0]["meals"] for i in meal["items"]}
    assert units <= {"oz", "serving"}  # oils by the tablespoon: the table's serving


def test_implausible_profile_weight_is_422_naming_the_profile(trainer, monkeypatch):
    from fitbud.services.plan_generation import inputs

    client = ClientFactory(trainer=trainer)
    monkeypatch.setattr(inputs, "profile_from_client", lambda row, units, today: inputs.ClientProfile(
        Body(sex="male", age=30, height_cm=180, weight_kg=8.0), [], None))
    with pytest.raises(InvalidInputError) as raised:
        generate_plan(trainer, _request(client_id=client.id))
    assert "client_id" in raised.value.errors and "weight kg 8" in raised.value.errors["client_id"][0]


# ---------------------------------------------------------------- diet


def test_mifflin_st_jeor_reference_man():
    # 10 x 80 + 6.25 x 180 - 5 x 30 + 5 = 1780
    assert mifflin_st_jeor("male", 80, 180, 30) == pytest.approx(1780)
    t = targets_for(Body(sex="male", age=30, height_cm=180, weight_kg=80), "muscle_gain", 3)
    assert t.factor == 1.375
    assert t.kcal == pytest.approx(1780 * 1.375 * 1.10)  # 2692.25
    assert t.protein == pytest.approx(144)  # 1.8 g x 80 kg
    assert t.fat == pytest.approx(2692.25 * 0.25 / 9)  # 74.8 g
    assert t.carbs == pytest.approx((2692.25 - 144 * 4 - 2692.25 * 0.25) / 4)  # 360.8 g


def test_mifflin_st_jeor_reference_woman():
    # 10 x 68 + 6.25 x 165 - 5 x 45 - 161 = 1325.25
    assert mifflin_st_jeor("female", 68, 165, 45) == pytest.approx(1325.25)
    t = targets_for(Body(sex="female", age=45, height_cm=165, weight_kg=68), "fat_loss", 4)
    assert t.factor == 1.55
    assert t.kcal == pytest.approx(1325.25 * 1.55 * 0.80)  # 1643.31
    assert t.protein == pytest.approx(136)  # 2.0 g x 68 kg
    assert t.fat == pytest.approx(1643.31 * 0.25 / 9, abs=0.01)  # 45.6 g
    assert t.carbs == pytest.approx((1643.31 - 136 * 4 - 1643.31 * 0.25) / 4, abs=0.01)  # 172.1 g


def test_deficit_never_goes_below_resting_energy():
    t = targets_for(Body(sex="female", age=60, height_cm=155, weight_kg=50, activity_level="sedentary"), "fat_loss", 2)
    assert t.kcal == pytest.approx(t.bmr) and t.floored


def test_protein_uses_a_capped_weight_above_bmi_30():
    t = targets_for(Body(sex="male", age=40, height_cm=170, weight_kg=120), "general_fitness", 3)
    assert t.protein == pytest.approx(1.6 * 30 * 1.7 * 1.7)


@pytest.mark.parametrize("meals", [2, 3, 4, 5, 6])
def test_diet_draft_is_valid_and_meets_its_targets(trainer, meals):
    result = generate_plan(trainer, _request(goal="fat_loss", days_per_week=4, meals_per_day=meals,
                                             body={"sex": "female", "age": 45, "height_cm": 165, "weight_kg": 68}))
    content = result["diet"]["content"]
    assert validate_content(PlanKind.DIET, content, trainer.id) == content
    assert content["targets"] == {"kcal": 1643, "protein": 136, "carbs": 172, "fat": 46}
    totals = diet_totals(content)[0]
    assert len(content["days"][0]["meals"]) == meals
    assert totals["totals"]["kcal"] == pytest.approx(1643, rel=0.04)
    assert totals["totals"]["protein"] == pytest.approx(136, rel=0.08)


def test_no_diet_without_body_data(trainer):
    assert generate_plan(trainer, _request())["diet"] is None


def test_partial_body_data_says_what_is_missing(trainer):
    result = generate_plan(trainer, _request(body={"weight_kg": 70}))
    assert result["diet"] is None
    assert any("age, height cm unknown" in e["message"] for e in result["explanations"])


def test_save_stores_validated_templates_marked_generated(trainer):
    from fitbud.extensions import db
    from fitbud.models import PlanTemplate

    result = generate_plan(trainer, _request(body={"sex": "male", "age": 30, "height_cm": 180, "weight_kg": 80}),
                           save=True)
    workout = db.session.get(PlanTemplate, result["saved"]["workout_plan_id"])
    diet = db.session.get(PlanTemplate, result["saved"]["diet_plan_id"])
    assert (workout.source, diet.source) == ("generated", "generated")
    assert (workout.kind, diet.kind) == (PlanKind.WORKOUT, PlanKind.DIET)
    assert workout.trainer_id == trainer.id and workout.content == result["workout"]["content"]
