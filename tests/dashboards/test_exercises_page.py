"""The exercise library page: filters, the custom-exercise dialog with the API's rules, delete."""

import json

from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import Exercise
from tests.dashboards.helpers import dispatch, login
from tests.factories import ExerciseFactory, PlanTemplateFactory, workout_content

FORM = {
    "ex-f-name.value": "Landmine Press",
    "ex-f-category.value": "strength",
    "ex-f-pattern.value": "vertical_push",
    "ex-f-primary.value": ["front_delts"],
    "ex-f-secondary.value": ["triceps"],
    "ex-f-equipment.value": "barbell",
    "ex-f-level.value": "beginner",
    "ex-f-tracking.value": "reps",
    "ex-f-instructions.value": "Press up and away.",
}


def listed(http, **filters) -> str:
    values = {f"ex-{name}.value": value for name, value in filters.items()}
    return json.dumps(dispatch(http, "ex-list.children", values, "ex-search.value"))


def save(http, editing=None, **changes):
    values = {**FORM, **changes, "ex-editing.data": editing, "ex-changed.data": 0, "ex-form-save.n_clicks": 1}
    return dispatch(http, "ex-form-message.children", values, "ex-form-save.n_clicks")


def test_the_library_filters_by_words_muscle_equipment_pattern_and_source(http, trainer, other_trainer):
    ExerciseFactory(owner=trainer, name="Zercher Hold", primary_muscles=["abs"], equipment="barbell")
    ExerciseFactory(owner=other_trainer, name="Zercher Secret")
    login(http, trainer.email)
    assert "Zercher Hold" in listed(http, search="zercher") and "Zercher Secret" not in listed(http, search="zercher")
    assert "Zercher Hold" in listed(http, search="zercher", muscle="abs", equipment="barbell", source="custom")
    assert "Zercher Hold" not in listed(http, search="zercher", muscle="chest")
    assert "Zercher Hold" not in listed(http, search="zercher", source="builtin")
    built_in = db.session.execute(select(Exercise).where(Exercise.owner_id.is_(None)).limit(1)).scalar_one()
    assert built_in.name in listed(http, search=built_in.name, pattern=built_in.movement_pattern)


def test_creating_a_custom_exercise_adds_it_to_the_library(http, trainer):
    login(http, trainer.email)
    body = save(http)
    assert body["ex-modal"]["is_open"] is False
    assert "added to your library" in json.dumps(body["ex-message"])
    row = db.session.execute(select(Exercise).where(Exercise.owner_id == trainer.id)).scalar_one()
    assert (row.name, row.movement_pattern, row.primary_muscles) == ("Landmine Press", "vertical_push", ["front_delts"])
    assert body["ex-selected"]["data"] == row.id


def test_a_missing_pattern_and_muscle_are_named_beside_their_fields(http, trainer):
    login(http, trainer.email)
    body = save(http, **{"ex-f-pattern.value": None, "ex-f-primary.value": []})
    assert body["ex-f-pattern-error"]["children"] == "Movement pattern is required."
    assert "fb-invalid" in body["ex-f-pattern-field"]["className"]
    assert body["ex-f-primary-error"]["children"]
    assert "ex-modal" not in body  # the dialog stays open with what was typed


def test_a_name_already_used_is_refused_beside_the_name(http, trainer):
    ExerciseFactory(owner=trainer, name="Landmine Press")
    login(http, trainer.email)
    assert save(http)["ex-f-name-error"]["children"] == "already used"


def test_editing_a_custom_exercise_saves_the_changes(http, trainer):
    own = ExerciseFactory(owner=trainer, name="Old Name")
    login(http, trainer.email)
    save(http, editing=own.id, **{"ex-f-name.value": "New Name"})
    db.session.expire_all()
    assert db.session.get(Exercise, own.id).name == "New Name"


def test_a_built_in_exercise_is_read_only(http, trainer):
    built_in = db.session.execute(select(Exercise).where(Exercise.owner_id.is_(None)).limit(1)).scalar_one()
    login(http, trainer.email)
    detail = json.dumps(dispatch(http, "ex-detail.children", {"ex-selected.data": built_in.id}, "ex-selected.data"))
    assert "can't be changed" in detail and "ex-edit" not in detail and "ex-delete" not in detail
    body = save(http, editing=built_in.id)
    assert "read-only" in json.dumps(body["ex-form-message"])
    db.session.expire_all()
    assert db.session.get(Exercise, built_in.id).name != "Landmine Press"


def test_an_exercise_in_a_plan_cannot_be_deleted_and_the_plan_is_named(http, trainer):
    own = ExerciseFactory(owner=trainer, name="Used Move")
    PlanTemplateFactory(trainer=trainer, name="Strength A", content=workout_content([own.id]))
    login(http, trainer.email)
    values = {"ex-confirm-delete.submit_n_clicks": 1, "ex-selected.data": own.id, "ex-changed.data": 0}
    body = dispatch(http, "ex-message.children", values, "ex-confirm-delete.submit_n_clicks")
    assert "in use" in json.dumps(body["ex-message"]) and "Strength A" in json.dumps(body["ex-message"])
    assert db.session.get(Exercise, own.id) is not None


def test_an_unused_custom_exercise_is_deleted(http, trainer):
    own = ExerciseFactory(owner=trainer, name="Spare Move")
    login(http, trainer.email)
    values = {"ex-confirm-delete.submit_n_clicks": 1, "ex-selected.data": own.id, "ex-changed.data": 0}
    body = dispatch(http, "ex-message.children", values, "ex-confirm-delete.submit_n_clicks")
    assert "deleted" in json.dumps(body["ex-message"]) and body["ex-selected"]["data"] is None
    db.session.expire_all()
    assert db.session.get(Exercise, own.id) is None


def test_opening_the_dialog_for_a_new_exercise_starts_blank(http, trainer):
    login(http, trainer.email)
    body = dispatch(http, "ex-modal.is_open", {"ex-new.n_clicks": 2}, "ex-new.n_clicks")
    assert body["ex-modal"]["is_open"] is True and body["ex-editing"]["data"] is None
    assert body["ex-f-name"]["value"] == "" and body["ex-f-primary"]["value"] == []
