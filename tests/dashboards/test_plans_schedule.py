"""Callbacks of the plan editor and the scheduler: validation mapped to fields, live totals, conflicts, ownership."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from fitbud.extensions import db
from fitbud.models import PlanAssignment, PlanTemplate, SessionStatus, TrainingSession, utcnow
from tests.dashboards.helpers import UPDATE_URL, csrf_header, dispatch, login
from tests.factories import (
    ClientFactory,
    ExerciseFactory,
    PlanTemplateFactory,
    TrainingSessionFactory,
    WorkingHoursFactory,
    diet_content,
    workout_content,
)


def dumps(value: Any) -> str:
    """A response as readable text (curly quotes and dashes unescaped)."""
    return json.dumps(value, ensure_ascii=False)


def _key(http, fragment: str) -> str:
    """The callback-map key of the page callback whose outputs mention `fragment`.

    A second callback writing an output marks it "<id>.<prop>@<hash>": "pe-form.children@" is the
    save's, "..pe-form.children..." (its first output, unmarked) the structural edits'.
    """
    keys = [key for key in http.application.extensions["fitbud.dash"].callback_map if fragment in key]
    assert len(keys) == 1, keys
    return keys[0]


def _dep(component_id: Any, prop: str, value: Any = None) -> dict[str, Any]:
    return {"id": component_id, "property": prop, "value": value}


def post(http, fragment: str, outputs: list, inputs: list, state: list, changed: str):
    """One hand-made callback request, as Dash's renderer sends it (CSRF header included)."""
    body = {
        "output": _key(http, fragment),
        "outputs": outputs,
        "inputs": inputs,
        "state": state,
        "changedPropIds": [changed],
    }
    return http.post(UPDATE_URL, json=body, headers=csrf_header(http))


def _sid(component_id: dict[str, Any]) -> str:
    return json.dumps(dict(sorted(component_id.items())), separators=(",", ":"))


def fields_of(content_values: dict[str, Any]) -> tuple[list, list]:
    ids = [{"type": "pe-f", "path": path} for path in content_values]
    return [_dep(i, "id", i) for i in ids], [
        _dep(i, "value", v) for i, v in zip(ids, content_values.values(), strict=True)
    ]


REST_WEEK = {"weeks": [{"days": [{"name": "R", "rest": True}]}]}
EDIT_OUTPUTS = [
    {"id": "pe-form", "property": "children"},
    {"id": "pe-draft", "property": "data"},
    {"id": "pe-message", "property": "children"},
    {"id": "pe-title", "property": "children"},
    {"id": "pe-name", "property": "invalid"},
    {"id": "pe-name-error", "property": "children"},
    {"id": "pe-tags", "property": "invalid"},
    {"id": "pe-tags-error", "property": "children"},
]


def save(http, draft: dict[str, Any], values: dict[str, Any], name: str = "Strength A", tags: str = ""):
    ids_state, value_state = fields_of(values)
    return post(
        http,
        "pe-form.children@",
        EDIT_OUTPUTS,
        [_dep("pe-save", "n_clicks", 1)],
        [
            ids_state,
            value_state,
            _dep("pe-draft", "data", draft),
            _dep("pe-name", "value", name),
            _dep("pe-description", "value", ""),
            _dep("pe-tags", "value", tags),
        ],
        "pe-save.n_clicks",
    )


def item_values(exercise_ids: list[int], reps: Any = "8-12") -> dict[str, Any]:
    values: dict[str, Any] = {"weeks.0.name": "Week 1", "weeks.0.days.0.name": "Day 1"}
    for i, exercise_id in enumerate(exercise_ids):
        base = f"weeks.0.days.0.items.{i}"
        values |= {
            f"{base}.exercise_id": exercise_id,
            f"{base}.sets": 3,
            f"{base}.reps": reps,
            f"{base}.rest_seconds": 90,
            f"{base}.load.type": "kg",
            f"{base}.load.value": 40,
        }
    return values


def new_workout_draft(exercise_ids: list[int]) -> dict[str, Any]:
    items = [{"exercise_id": e, "sets": 3, "reps": "8-12"} for e in exercise_ids]
    return {
        "plan_id": None,
        "kind": "workout",
        "version": None,
        "content": {"weeks": [{"name": "Week 1", "days": [{"name": "Day 1", "rest": False, "items": items}]}]},
    }


@pytest.fixture
def exercises(trainer):
    return [ExerciseFactory(owner=trainer, name=f"Move{i}") for i in range(3)]


def test_saving_a_workout_with_three_exercises_creates_the_plan(http, trainer, exercises):
    login(http, trainer.email)
    ids = [exercise.id for exercise in exercises]
    response = save(http, new_workout_draft(ids), item_values(ids))
    body = response.get_json()["response"]
    assert "Saved “Strength A” (version 1)" in dumps(body["pe-message"])
    plan = db.session.execute(select(PlanTemplate).where(PlanTemplate.trainer_id == trainer.id)).scalar_one()
    items = plan.content["weeks"][0]["days"][0]["items"]
    assert [item["exercise_id"] for item in items] == ids
    assert items[0]["load"] == {"type": "kg", "value": 40.0} and items[0]["reps"] == "8-12"
    assert body["pe-draft"]["data"]["plan_id"] == plan.id


def test_a_bad_rep_range_is_shown_next_to_its_field_and_nothing_is_saved(http, trainer, exercises):
    login(http, trainer.email)
    ids = [exercise.id for exercise in exercises]
    values = item_values(ids)
    values["weeks.0.days.0.items.1.reps"] = "12-8"
    body = save(http, new_workout_draft(ids), values).get_json()["response"]
    form = dumps(body["pe-form"]["children"])
    assert '"data-path": "weeks.0.days.0.items.1.reps"' in form
    assert "Must be a whole number, a range like" in form
    assert "Please fix the highlighted fields." in dumps(body["pe-message"])
    assert db.session.scalar(select(func.count(PlanTemplate.id))) == 0


def test_a_blank_name_is_shown_next_to_the_name_field(http, trainer, exercises):
    login(http, trainer.email)
    ids = [exercise.id for exercise in exercises]
    body = save(http, new_workout_draft(ids), item_values(ids), name="  ").get_json()["response"]
    assert body["pe-name"]["invalid"] is True and body["pe-name-error"]["children"]


def test_another_trainers_exercise_is_refused_at_its_field(http, trainer, other_trainer, exercises):
    login(http, trainer.email)
    theirs = ExerciseFactory(owner=other_trainer)
    ids = [exercises[0].id, theirs.id]
    body = save(http, new_workout_draft(ids), item_values(ids)).get_json()["response"]
    form = dumps(body["pe-form"]["children"])
    assert '"data-path": "weeks.0.days.0.items.1.exercise_id"' in form and "No such exercise in your library." in form


def test_a_forged_plan_id_changes_nothing_of_theirs(http, trainer, other_trainer, exercises):
    theirs = PlanTemplateFactory(trainer=other_trainer, name="Their plan", content=REST_WEEK)
    login(http, trainer.email)
    ids = [exercise.id for exercise in exercises]
    draft = new_workout_draft(ids) | {"plan_id": theirs.id, "version": theirs.version}
    body = save(http, draft, item_values(ids), name="Hijacked").get_json()["response"]
    assert "No such plan." in dumps(body["pe-message"])
    db.session.refresh(theirs)
    assert theirs.name == "Their plan" and theirs.version == 1


def test_editor_page_of_another_trainers_plan_shows_nothing_of_it(http, trainer, other_trainer):
    theirs = PlanTemplateFactory(trainer=other_trainer, name="Secret plan", content=REST_WEEK)
    login(http, trainer.email)
    response = post(
        http,
        "page.children",
        [
            {"id": "page", "property": "children"},
            {"id": "nav-links", "property": "children"},
            {"id": "nav-user", "property": "children"},
        ],
        [_dep("url", "pathname", f"/dashboard/plans/{theirs.id}"), _dep("url", "search", "")],
        [],
        "url.pathname",
    )
    page = dumps(response.get_json()["response"]["page"])
    assert "No such plan." in page and "Secret plan" not in page


def test_structural_actions_add_and_reorder_items(http, trainer, exercises):
    login(http, trainer.email)
    ids = [exercise.id for exercise in exercises[:2]]
    ids_state, value_state = fields_of(item_values(ids))
    action = {"op": "down", "path": "weeks.0.days.0.items.0", "type": "pe-act"}
    body = post(
        http,
        "..pe-form.children...",
        EDIT_OUTPUTS,
        [[_dep(action, "n_clicks", 1)]],
        [ids_state, value_state, _dep("pe-draft", "data", new_workout_draft(ids))],
        _sid(action) + ".n_clicks",
    ).get_json()["response"]
    items = body["pe-draft"]["data"]["content"]["weeks"][0]["days"][0]["items"]
    assert [item["exercise_id"] for item in items] == list(reversed(ids))


def test_diet_totals_follow_what_the_trainer_types(http, trainer):
    login(http, trainer.email)
    content = diet_content()
    draft = {"plan_id": None, "kind": "diet", "version": None, "content": content}
    values = {
        "days.0.meals.0.items.0.kcal": 300,
        "days.0.meals.0.items.0.protein": 20.5,
        "days.0.meals.1.items.0.kcal": 250,
        "days.0.meals.1.items.0.protein": "",
    }
    ids_state, value_state = fields_of(values)
    day_id = {"type": "pe-day-total", "day": 0}
    meal_ids = [{"type": "pe-meal-total", "day": 0, "meal": m} for m in range(len(content["days"][0]["meals"]))]
    body = post(
        http,
        "pe-day-total",
        [[{"id": day_id, "property": "children"}], [{"id": i, "property": "children"} for i in meal_ids]],
        [value_state],
        [ids_state, _dep("pe-draft", "data", draft)],
        _sid(ids_state[0]["id"]) + ".value",
    ).get_json()["response"]
    meal_zero = content["days"][0]["meals"][0]["items"][1:]
    extra_kcal = sum(item["kcal"] for item in meal_zero)
    expected_meal_kcal = 300 + extra_kcal
    labels = body[_sid(meal_ids[0])]["children"]
    assert labels.startswith(f"{expected_meal_kcal:g} kcal")
    day_label = body[_sid(day_id)]["children"]
    assert day_label.startswith("Day: ") and "kcal" in day_label


def day_label_for(http, content: dict[str, Any], values: dict[str, Any]) -> str:
    draft = {"plan_id": None, "kind": "diet", "version": None, "content": content}
    ids_state, value_state = fields_of(values)
    day_id = {"type": "pe-day-total", "day": 0}
    body = post(
        http,
        "pe-day-total",
        [[{"id": day_id, "property": "children"}], []],
        [value_state],
        [ids_state, _dep("pe-draft", "data", draft)],
        _sid(ids_state[0]["id"]) + ".value",
    ).get_json()["response"]
    return body[_sid(day_id)]["children"]


def test_the_editor_saves_amrap_time_and_distance_targets(http, trainer, exercises):
    login(http, trainer.email)
    ids = [exercise.id for exercise in exercises]
    values = item_values(ids, reps="amrap")
    values["weeks.0.days.0.items.1.reps"] = ""
    values["weeks.0.days.0.items.1.duration_seconds"] = 45
    values["weeks.0.days.0.items.2.reps"] = ""
    values["weeks.0.days.0.items.2.distance_m"] = 400
    draft = new_workout_draft(ids)
    for item in draft["content"]["weeks"][0]["days"][0]["items"][1:]:
        del item["reps"]
    body = save(http, draft, values).get_json()["response"]
    assert "Saved" in dumps(body["pe-message"])
    items = body["pe-draft"]["data"]["content"]["weeks"][0]["days"][0]["items"]
    assert [items[0]["reps"], items[1]["duration_seconds"], items[2]["distance_m"]] == ["AMRAP", 45, 400]
    assert "reps" not in items[1] and "reps" not in items[2]


def test_a_day_more_than_ten_percent_off_the_energy_target_is_flagged(http, trainer):
    login(http, trainer.email)
    content = {
        "days": [
            {
                "name": "D",
                "meals": [
                    {
                        "name": "M",
                        "time": "08:00",
                        "items": [
                            {
                                "food": "Oats",
                                "quantity": 100,
                                "unit": "g",
                                "kcal": 1000,
                                "protein": 10,
                                "carbs": 60,
                                "fat": 7,
                            }
                        ],
                    }
                ],
            }
        ],
        "targets": {"kcal": 2000},
    }
    over = day_label_for(http, content, {"days.0.meals.0.items.0.kcal": 2300})
    under = day_label_for(http, content, {"days.0.meals.0.items.0.kcal": 1700})
    within = day_label_for(http, content, {"days.0.meals.0.items.0.kcal": 2150})
    assert "15 % above the 2000 kcal target" in over and "15 % below the 2000 kcal target" in under
    assert "⚠" not in within
    no_target = day_label_for(http, {"days": content["days"]}, {"days.0.meals.0.items.0.kcal": 5000})
    assert "⚠" not in no_target


def test_plan_list_shows_own_plans_and_refuses_to_duplicate_theirs(http, trainer, other_trainer):
    mine = PlanTemplateFactory(trainer=trainer, name="Mine", content=REST_WEEK)
    theirs = PlanTemplateFactory(trainer=other_trainer, name="Theirs", content=REST_WEEK)
    login(http, trainer.email)

    def act(button: dict[str, Any]):
        duplicates = [_dep(button, "n_clicks", 1)] if button["type"] == "pl-dup" else []
        archives = [_dep(button, "n_clicks", 1)] if button["type"] == "pl-arch" else []
        return post(
            http,
            "pl-message.children",
            [{"id": "pl-message", "property": "children"}, {"id": "pl-changed", "property": "data"}],
            [duplicates, archives],
            [_dep("pl-changed", "data", 0), _dep("pl-archived", "value", False)],
            _sid(button) + ".n_clicks",
        ).get_json()["response"]

    def listed() -> str:
        inputs = [("pl-search", "value", ""), ("pl-kind", "value", ""), ("pl-archived", "value", False)]
        return dumps(
            post(
                http,
                "pl-list.children",
                {"id": "pl-list", "property": "children"},
                [_dep(i, p, v) for i, p, v in inputs] + [_dep("pl-changed", "data", 1)],
                [],
                "pl-changed.data",
            ).get_json()["response"]
        )

    assert "No such plan." in dumps(act({"id": theirs.id, "type": "pl-dup"}))
    assert "Mine" in listed() and "Theirs" not in listed()
    assert db.session.scalar(select(func.count(PlanTemplate.id))) == 2
    act({"id": mine.id, "type": "pl-arch"})
    db.session.refresh(mine)
    assert mine.archived_at is not None and "No plans yet." in listed()


def assign(http, plan_id, client_id, *, dirty=False, values=None, name="Strength A"):
    """Assign from the editor; `values` are the form's fields ({path: value}), `dirty` the browser's flag."""
    ids_state, value_state = fields_of(values or {})
    draft = {"plan_id": plan_id, "kind": "workout", "version": 1, "content": {"weeks": []}}
    if values:
        draft = new_workout_draft([v for k, v in values.items() if k.endswith("exercise_id")]) | {
            "plan_id": plan_id,
            "version": 1,
        }
    body = {
        "pe-assign.n_clicks": 1,
        '{"path":["ALL"],"type":"pe-f"}.id': ids_state,
        '{"path":["ALL"],"type":"pe-f"}.value': value_state,
        "pe-draft.data": draft,
        "pe-assign-client.value": str(client_id),
        "pe-assign-start.value": utcnow().date().isoformat(),
        "pe-dirty.data": dirty,
        "pe-name.value": name,
        "pe-description.value": "",
        "pe-tags.value": "",
    }
    return dispatch(http, "pe-assign-message.children", body, "pe-assign.n_clicks")


def test_assigning_works_for_own_clients_only(http, trainer, other_trainer, client_record, exercises):
    plan = PlanTemplateFactory(trainer=trainer, content=workout_content([e.id for e in exercises]))
    their_client = ClientFactory(trainer=other_trainer)
    their_plan = PlanTemplateFactory(trainer=other_trainer, content=REST_WEEK)
    login(http, trainer.email)
    assert "No such client." in dumps(assign(http, plan.id, their_client.id))
    assert "No such plan." in dumps(assign(http, their_plan.id, client_record.id))
    assert "Assigned" in dumps(assign(http, plan.id, client_record.id))
    assert db.session.scalar(select(func.count(PlanAssignment.id))) == 1


def test_assign_saves_unsaved_edits_first_so_the_client_gets_what_is_on_screen(http, trainer, client_record, exercises):
    ids = [exercise.id for exercise in exercises]
    plan = PlanTemplateFactory(trainer=trainer, name="Strength A", content=workout_content(ids))
    login(http, trainer.email)
    edited = item_values(ids, reps="5")
    body = assign(http, plan.id, client_record.id, dirty=True, values=edited)
    assert "saved first (version 2)" in dumps(body["pe-assign-message"])
    assert body["pe-draft"]["data"]["version"] == 2 and body["pe-draft"]["data"]["dirty"] is False
    given = db.session.execute(select(PlanAssignment)).scalar_one()
    assert given.content["weeks"][0]["days"][0]["items"][0]["reps"] == 5


def test_assign_refuses_edits_that_cannot_be_saved(http, trainer, client_record, exercises):
    ids = [exercise.id for exercise in exercises]
    plan = PlanTemplateFactory(trainer=trainer, content=workout_content(ids))
    login(http, trainer.email)
    body = assign(http, plan.id, client_record.id, dirty=True, values=item_values(ids, reps="lots"))
    assert "Not assigned" in dumps(body["pe-assign-message"])
    assert db.session.scalar(select(func.count(PlanAssignment.id))) == 0


def test_assign_of_a_new_plan_saves_it_first(http, trainer, client_record, exercises):
    ids = [exercise.id for exercise in exercises]
    login(http, trainer.email)
    body = assign(http, None, client_record.id, values=item_values(ids), name="Fresh Plan")
    plan = db.session.execute(select(PlanTemplate).where(PlanTemplate.trainer_id == trainer.id)).scalar_one()
    assert body["pe-draft"]["data"]["plan_id"] == plan.id and body["pe-title"]["children"] == "Fresh Plan"
    assert db.session.scalar(select(func.count(PlanAssignment.id))) == 1


# Scheduler --------------------------------------------------------------------------------

CONFLICT_INPUTS = ("sc-client", "sc-date", "sc-time", "sc-duration", "sc-repeat", "sc-weekdays", "sc-count")


def preview(http, client_id, starts_at, repeat=False, count=4):
    values = [str(client_id), starts_at.date().isoformat(), f"{starts_at:%H:%M}", 60, repeat, [], count]
    return post(
        http,
        "sc-conflicts",
        [{"id": "sc-conflicts", "property": "children"}, {"id": "sc-repeat-fields", "property": "style"}],
        [_dep(i, "value", v) for i, v in zip(CONFLICT_INPUTS, values, strict=True)],
        [],
        "sc-client.value",
    ).get_json()["response"]


SAVE_OUTPUTS = [
    {"id": i, "property": p}
    for i, p in [
        ("sc-create-modal", "is_open"),
        ("sc-create-message", "children"),
        ("sc-anyway", "value"),
        ("sc-client-error", "children"),
        ("sc-start-error", "children"),
        ("sc-duration-error", "children"),
        ("sc-location-error", "children"),
        ("sc-recurrence-error", "children"),
        ("sc-changed", "data"),
    ]
]


def book(http, client_id, starts_at, *, repeat=False, count=4, anyway=False, duration=60):
    state = [
        ("sc-client", str(client_id)),
        ("sc-date", starts_at.date().isoformat()),
        ("sc-time", f"{starts_at:%H:%M}"),
        ("sc-duration", duration),
        ("sc-type", "in_person"),
        ("sc-location", "Gym"),
        ("sc-repeat", repeat),
        ("sc-weekdays", []),
        ("sc-count", count),
        ("sc-anyway", anyway),
        ("sc-changed", 0),
    ]
    return post(
        http,
        "sc-create-modal.is_open@",
        SAVE_OUTPUTS,
        [_dep("sc-create-save", "n_clicks", 1)],
        [_dep(i, "value" if i != "sc-changed" else "data", v) for i, v in state],
        "sc-create-save.n_clicks",
    ).get_json()["response"]


def sessions_count() -> int:
    return db.session.scalar(select(func.count(TrainingSession.id)))


def test_an_overlap_is_shown_before_saving_and_booked_only_when_asked(http, trainer, client_record):
    existing = TrainingSessionFactory(client=client_record)
    login(http, trainer.email)
    at = existing.starts_at + timedelta(minutes=30)
    shown = dumps(preview(http, client_record.id, at))
    assert "Overlaps 1 other session(s)" in shown and sessions_count() == 1
    refused = book(http, client_record.id, at)
    assert "overlaps other sessions" in dumps(refused["sc-create-message"]) and sessions_count() == 1
    booked = book(http, client_record.id, at, anyway=True)
    assert booked["sc-create-modal"]["is_open"] is False and sessions_count() == 2


def test_a_weekly_series_is_booked_and_appears_on_the_calendar(http, trainer, client_record):
    login(http, trainer.email)
    start = (utcnow() + timedelta(days=1)).replace(hour=7, minute=0, second=0, microsecond=0)
    assert book(http, client_record.id, start, repeat=True, count=4)["sc-changed"]["data"] == 1
    sessions = db.session.execute(select(TrainingSession)).scalars().all()
    assert len(sessions) == 4 and len({s.series_id for s in sessions}) == 1
    body = post(
        http,
        "sc-calendar",
        [{"id": "sc-calendar", "property": "children"}, {"id": "sc-range-title", "property": "children"}],
        [
            _dep("sc-anchor", "data", start.date().isoformat()),
            _dep("sc-view", "value", "month"),
            _dep("sc-changed", "data", 1),
        ],
        [],
        "sc-anchor.data",
    ).get_json()["response"]
    calendar = dumps(body["sc-calendar"])
    assert calendar.count(f"07:00 {client_record.name}") >= 3


def test_booking_errors_are_shown_next_to_their_fields(http, trainer, client_record):
    login(http, trainer.email)
    body = book(http, client_record.id, utcnow() + timedelta(days=1), duration=2)
    assert body["sc-duration-error"]["children"] and body["sc-create-modal"]["is_open"] is True
    assert sessions_count() == 0


def test_booking_for_another_trainers_client_is_refused(http, trainer, other_trainer):
    their_client = ClientFactory(trainer=other_trainer)
    login(http, trainer.email)
    body = book(http, their_client.id, utcnow() + timedelta(days=1))
    assert body["sc-client-error"]["children"] == "Pick one of your clients." and sessions_count() == 0
    assert "No such client." in dumps(preview(http, their_client.id, utcnow() + timedelta(days=1)))


SESSION_OUTPUTS = [
    {"id": i, "property": p}
    for i, p in [
        ("sc-sess-id", "data"),
        ("sc-sess-info", "children"),
        ("sc-sess-message", "children"),
        ("sc-changed", "data"),
    ]
]


def session_action(http, session_id, button, scope="this"):
    buttons = ["sc-move", "sc-cancel", "sc-complete", "sc-noshow"]
    return post(
        http,
        "sc-sess-info.children@",
        SESSION_OUTPUTS,
        [_dep(b, "n_clicks", 1 if b == button else None) for b in buttons],
        [
            _dep("sc-sess-id", "data", session_id),
            _dep("sc-move-date", "value", None),
            _dep("sc-move-time", "value", None),
            _dep("sc-move-anyway", "value", False),
            _dep("sc-scope", "value", scope),
            _dep("sc-reason", "value", "ill"),
            _dep("sc-changed", "data", 0),
        ],
        f"{button}.n_clicks",
    ).get_json()["response"]


def test_a_forged_session_id_cancels_nothing_of_theirs(http, trainer, other_trainer):
    their_client = ClientFactory(trainer=other_trainer, with_login=True, name="Zed Theirs")
    theirs = TrainingSessionFactory(client=their_client)
    login(http, trainer.email)
    body = dumps(session_action(http, theirs.id, "sc-cancel"))
    assert "No such session." in body and "Zed Theirs" not in body
    db.session.refresh(theirs)
    assert theirs.status is SessionStatus.SCHEDULED


def test_statuses_change_through_the_service_rules(http, trainer, client_record):
    upcoming = TrainingSessionFactory(client=client_record)
    past = TrainingSessionFactory(
        client=client_record,
        starts_at=utcnow() - timedelta(days=1, hours=3),
        ends_at=utcnow() - timedelta(days=1, hours=2),
    )
    login(http, trainer.email)
    assert "only once it has started" in dumps(session_action(http, upcoming.id, "sc-complete"))
    assert "Marked no show." in dumps(session_action(http, past.id, "sc-noshow"))
    assert "Marked cancelled." in dumps(session_action(http, upcoming.id, "sc-cancel"))
    db.session.refresh(upcoming)
    db.session.refresh(past)
    assert upcoming.status is SessionStatus.CANCELLED and upcoming.cancellation_reason == "ill"
    assert past.status is SessionStatus.NO_SHOW


def test_working_hours_are_added_and_validated(http, trainer):
    login(http, trainer.email)

    def add(start, end):
        return post(
            http,
            "sc-hours-list",
            [
                {"id": "sc-hours-list", "property": "children"},
                {"id": "sc-h-message", "property": "children"},
                {"id": "sc-changed", "property": "data"},
            ],
            [_dep("sc-h-add", "n_clicks", 1), []],
            [
                _dep("sc-h-weekday", "value", "1"),
                _dep("sc-h-start", "value", start),
                _dep("sc-h-end", "value", end),
                _dep("sc-changed", "data", 0),
            ],
            "sc-h-add.n_clicks",
        ).get_json()["response"]

    assert "Tue 09:00–12:00" in dumps(add("09:00", "12:00"))
    assert "The end must be after the start." in dumps(add("15:00", "14:00"))
    assert "overlap" in dumps(add("11:00", "13:00"))


def test_a_draft_of_an_unknown_kind_does_nothing(http, trainer):
    login(http, trainer.email)
    assert save(http, {"plan_id": None, "kind": "yoga", "content": {}}, {}).status_code == 204
    assert db.session.scalar(select(func.count(PlanTemplate.id))) == 0


OPEN_OUTPUTS = [
    {"id": i, "property": p}
    for i, p in [
        ("sc-create-modal", "is_open"),
        ("sc-create-message", "children"),
        ("sc-anyway", "value"),
        ("sc-client-error", "children"),
        ("sc-start-error", "children"),
        ("sc-duration-error", "children"),
        ("sc-location-error", "children"),
        ("sc-recurrence-error", "children"),
        ("sc-date", "value"),
        ("sc-time", "value"),
        ("sc-client", "options"),
        ("sc-client", "value"),
        ("sc-duration", "value"),
        ("sc-type", "value"),
        ("sc-location", "value"),
        ("sc-repeat", "value"),
        ("sc-weekdays", "value"),
        ("sc-count", "value"),
    ]
]


def test_a_slot_opens_the_booking_form_at_its_time_with_the_trainers_clients(
    http, trainer, other_trainer, client_record
):
    ClientFactory(trainer=other_trainer, name="Zed Theirs")
    login(http, trainer.email)
    slot = {"type": "sc-slot", "at": "2026-03-30T07:00"}
    body = post(
        http,
        "..sc-create-modal.is_open...",
        OPEN_OUTPUTS,
        [[_dep(slot, "n_clicks", 1)], _dep("sc-new", "n_clicks", None), _dep("sc-create-close", "n_clicks", None)],
        [],
        _sid(slot) + ".n_clicks",
    ).get_json()["response"]
    assert body["sc-create-modal"]["is_open"] is True and body["sc-anyway"]["value"] is False
    assert (body["sc-date"]["value"], body["sc-time"]["value"]) == ("2026-03-30", "07:00")
    assert body["sc-client"]["options"] == [{"label": client_record.name, "value": client_record.id}]


def test_the_booking_form_opens_blank_so_a_repeat_from_the_last_booking_does_not_stick(http, trainer):
    login(http, trainer.email)
    body = post(
        http,
        "..sc-create-modal.is_open...",
        OPEN_OUTPUTS,
        [[], _dep("sc-new", "n_clicks", 3), _dep("sc-create-close", "n_clicks", None)],
        [],
        "sc-new.n_clicks",
    ).get_json()["response"]
    assert body["sc-repeat"]["value"] is False and body["sc-weekdays"]["value"] == []
    assert body["sc-client"]["value"] is None and body["sc-count"]["value"] == 8
    assert (body["sc-duration"]["value"], body["sc-location"]["value"]) == (60, "")


def test_a_booking_in_the_past_is_booked_only_once_confirmed(http, trainer, client_record):
    login(http, trainer.email)
    yesterday = (utcnow() - timedelta(days=1)).replace(second=0, microsecond=0)
    assert "In the past" in dumps(preview(http, client_record.id, yesterday))
    refused = book(http, client_record.id, yesterday)
    assert "Book anyway" in dumps(refused["sc-create-message"]) and sessions_count() == 0
    assert refused["sc-create-modal"]["is_open"] is True
    booked = book(http, client_record.id, yesterday, anyway=True)
    assert booked["sc-create-modal"]["is_open"] is False and sessions_count() == 1


def test_a_booking_outside_working_hours_warns_like_an_overlap(http, trainer, client_record):
    tomorrow = (utcnow() + timedelta(days=1)).date()
    WorkingHoursFactory(trainer=trainer, weekday=tomorrow.weekday(), start_time=time(9), end_time=time(17))
    login(http, trainer.email)
    early = datetime.combine(tomorrow, time(6), tzinfo=UTC)  # the trainer's zone is UTC
    inside = datetime.combine(tomorrow, time(10), tzinfo=UTC)
    assert "Outside your working hours" in dumps(preview(http, client_record.id, early))
    assert "Outside your working hours" not in dumps(preview(http, client_record.id, inside))
    assert "Book anyway" in dumps(book(http, client_record.id, early)["sc-create-message"]) and sessions_count() == 0
    assert book(http, client_record.id, inside)["sc-create-modal"]["is_open"] is False and sessions_count() == 1


def test_a_forged_session_chip_opens_no_such_session(http, trainer, other_trainer):
    theirs = TrainingSessionFactory(client=ClientFactory(trainer=other_trainer, with_login=True, name="Zed Theirs"))
    login(http, trainer.email)
    chip = {"type": "sc-sess", "id": theirs.id}
    outputs = [
        {"id": i, "property": p}
        for i, p in [
            ("sc-sess-modal", "is_open"),
            ("sc-sess-id", "data"),
            ("sc-sess-info", "children"),
            ("sc-sess-message", "children"),
            ("sc-move-date", "value"),
            ("sc-move-time", "value"),
        ]
    ]
    body = post(
        http,
        "..sc-sess-modal.is_open...",
        outputs,
        [[_dep(chip, "n_clicks", 1)], _dep("sc-sess-close", "n_clicks", None)],
        [],
        _sid(chip) + ".n_clicks",
    ).get_json()["response"]
    assert body["sc-sess-id"]["data"] is None
    assert "No such session." in dumps(body) and "Zed Theirs" not in dumps(body)


def test_an_admin_gets_nothing_from_the_trainers_pages(http, admin, client_record):
    login(http, admin.email)
    at = utcnow() + timedelta(days=1)
    values = [str(client_record.id), at.date().isoformat(), f"{at:%H:%M}", 60, False, [], 4]
    response = post(
        http,
        "sc-conflicts",
        [{"id": "sc-conflicts", "property": "children"}, {"id": "sc-repeat-fields", "property": "style"}],
        [_dep(i, "value", v) for i, v in zip(CONFLICT_INPUTS, values, strict=True)],
        [],
        "sc-client.value",
    )
    assert response.status_code == 204
