"""The plan generator page: inputs (a client's profile picked up), the draft with reasons, save and open."""

import json
import re
from datetime import date

from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import PlanKind, PlanTemplate
from fitbud.services import clients
from tests.dashboards.helpers import dispatch, login
from tests.factories import ClientFactory

FORM = {
    "gen-client.value": "",
    "gen-goal.value": "strength",
    "gen-experience.value": "intermediate",
    "gen-days.value": "3",
    "gen-minutes.value": 60,
    "gen-weeks.value": 4,
    "gen-meals.value": "4",
    "gen-equipment.value": ["barbell", "bench", "dumbbell"],
    "gen-avoid.value": [],
    "gen-sex.value": "male",
    "gen-age.value": 30,
    "gen-height.value": 180,
    "gen-weight.value": 80,
    "gen-activity.value": "",
}


def generate(http, **changes) -> dict:
    values = {**FORM, **changes, "gen-generate.n_clicks": 1}
    return dispatch(http, "gen-result.children", values, "gen-generate.n_clicks")


def save(http, request: dict, button: str = "gen-save") -> dict:
    values = {f"{button}.n_clicks": 1, "gen-request.data": request}
    return dispatch(http, "gen-saved.children", values, f"{button}.n_clicks")


def _templates(trainer) -> list[PlanTemplate]:
    return list(db.session.execute(select(PlanTemplate).where(PlanTemplate.trainer_id == trainer.id)).scalars())


def test_a_draft_shows_the_workout_the_diet_and_the_reasons_and_stores_nothing(http, trainer):
    login(http, trainer.email)
    body = generate(http)
    shown = json.dumps(body["gen-result"], ensure_ascii=False)
    assert "gen-workout-table" in shown and "Targets:" in shown and "gen-reasons" in shown
    assert re.search(r"~\d+ min", shown)  # each training day says how long it takes
    assert body["gen-save"]["disabled"] is False and body["gen-request"]["data"]["seed"] >= 0
    assert _templates(trainer) == []


def test_saving_stores_the_same_draft_as_templates(http, trainer):
    login(http, trainer.email)
    request = generate(http)["gen-request"]["data"]
    body = save(http, request)
    assert "Saved as your templates" in json.dumps(body["gen-saved"])
    saved = {plan.kind: plan for plan in _templates(trainer)}
    assert set(saved) == {PlanKind.WORKOUT, PlanKind.DIET} and saved[PlanKind.WORKOUT].source == "generated"
    again = generate(http, **{"gen-client.value": ""})  # a new draft does not touch the saved ones
    assert again["gen-request"]["data"] and len(_templates(trainer)) == 2


def test_save_and_open_goes_to_the_editor_of_the_saved_workout(http, trainer):
    login(http, trainer.email)
    request = generate(http)["gen-request"]["data"]
    body = save(http, request, "gen-open")
    workout = next(plan for plan in _templates(trainer) if plan.kind is PlanKind.WORKOUT)
    assert body["url"]["pathname"] == f"/dashboard/plans/{workout.id}"


def test_a_clients_profile_fills_in_the_goal_body_and_injuries(http, trainer):
    client = ClientFactory(
        trainer=trainer,
        goals=["fat_loss"],
        sex="female",
        height_cm=165,
        starting_weight_kg=70,
        date_of_birth=date(1990, 5, 1),
    )
    clients.update_client(trainer, client.id, {"health": {"injuries": ["old knee injury"]}})
    login(http, trainer.email)
    picked = dispatch(http, "gen-profile.children", {"gen-client.value": str(client.id)}, "gen-client.value")
    note = json.dumps(picked["gen-profile"], ensure_ascii=False)
    assert picked["gen-goal"]["value"] == "fat_loss"
    assert "height 165 cm" in note and "old knee injury" in note and "Squat" in note
    body = generate(
        http,
        **{
            "gen-client.value": str(client.id),
            "gen-sex.value": "",
            "gen-age.value": None,
            "gen-height.value": None,
            "gen-weight.value": None,
        },
    )
    assert body["gen-request"]["data"]["client_id"] == client.id
    assert "client's profile" in json.dumps(body["gen-result"], ensure_ascii=False)


def test_bad_inputs_are_named_beside_their_fields(http, trainer):
    login(http, trainer.email)
    body = generate(http, **{"gen-minutes.value": 5, "gen-age.value": 7})
    assert "fb-invalid" in body["gen-minutes-field"]["className"]
    assert "fb-invalid" in body["gen-age-field"]["className"]
    assert _templates(trainer) == []


def test_another_trainers_client_is_not_found(http, trainer, other_trainer):
    theirs = ClientFactory(trainer=other_trainer)
    login(http, trainer.email)
    body = generate(http, **{"gen-client.value": str(theirs.id)})
    assert "fb-invalid" in body["gen-client-field"]["className"]
    assert "gen-result" not in body  # no draft for someone else's client
