"""The plans page's callbacks, one responsibility each: act on a listed plan, list the plans,
restructure the draft, save it, total a diet as it is typed, and assign the plan to a client.

Callbacks with several outputs name them (dict `output=`) and return dicts; every callback runs
through `page_callback`, which resolves the trainer and shows a service's refusal as an alert.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc

from dashboards.auth import PREFIX
from dashboards.forms import to_int
from dashboards.page_callback import page_callback
from dashboards.pages.plans.draft import (
    apply_action,
    content_errors,
    draft_of,
    energy_warning,
    field_values,
    kind_of,
    live_totals,
    macro_label,
    merge,
    save_plan,
    split_tags,
)
from dashboards.pages.plans.forms import exercise_options, render_form
from dashboards.pages.plans.layout import plan_table
from fitbud.auth.roles import Role
from fitbud.errors import ConflictError, InvalidInputError, NotFoundError
from fitbud.models import PlanKind, User
from fitbud.services import assignments, plans
from fitbud.services.dietary import label

LIST_LIMIT = 200
with_alert = page_callback(Role.TRAINER, alert="message")


def _clicked() -> None:
    """Go on only for a real click (a re-drawn button reports n_clicks None)."""
    if not ctx.triggered or not ctx.triggered[0]["value"]:
        raise dash.exceptions.PreventUpdate


# The list ---------------------------------------------------------------------------------


def act_on_plan(trainer: User, *, changed: Any, archived: Any, **_clicks: Any) -> dict[str, Any]:
    """Duplicate a listed plan, or archive (restore) it; the list then redraws."""
    _clicked()
    trigger = ctx.triggered_id
    plan_id = to_int(trigger.get("id")) or 0
    if trigger["type"] == "pl-dup":
        copy = plans.duplicate_plan(trainer, plan_id)
        message = dbc.Alert(
            ["Duplicated as ", dcc.Link(copy.name, href=f"{PREFIX}plans/{copy.id}"), "."],
            color="success",
            dismissable=True,
        )
    else:
        plan = plans.update_plan(trainer, plan_id, {"archived": not archived})
        verb = "archived" if plan.archived_at is not None else "restored"
        message = dbc.Alert(f"“{plan.name}” {verb}.", color="success", dismissable=True)
    return {"message": message, "changed": (changed or 0) + 1}


def plan_list(trainer: User, *, search: Any, kind: Any, archived: Any, changed: Any) -> Any:
    """The trainer's current (or archived) plans matching the search and kind."""
    archived = bool(archived)
    rows = plans.find_plans(
        trainer,
        kind=PlanKind(kind) if kind in ("workout", "diet") else None,
        search=search or None,
        archived=archived,
        limit=LIST_LIMIT,
    )
    return plan_table(rows, archived)


# The editor -------------------------------------------------------------------------------

_EDITOR = {
    "form": Output("pe-form", "children"),
    "draft": Output("pe-draft", "data"),
    "message": Output("pe-message", "children"),
    "title": Output("pe-title", "children"),
    "name_invalid": Output("pe-name", "invalid"),
    "name_error": Output("pe-name-error", "children"),
    "tags_invalid": Output("pe-tags", "invalid"),
    "tags_error": Output("pe-tags-error", "children"),
}
_NO_META_ERRORS = {"name_invalid": False, "name_error": None, "tags_invalid": False, "tags_error": None}


def _form_state() -> dict[str, State]:
    """The editor's inputs and draft; a new dict per callback, as Dash merges the inputs into it."""
    return {
        "ids": State({"type": "pe-f", "path": ALL}, "id"),
        "values": State({"type": "pe-f", "path": ALL}, "value"),
        "draft": State("pe-draft", "data"),
    }


def _editing(
    trainer: User, draft: Any, ids: list[Any], values: list[Any]
) -> tuple[PlanKind, dict[str, Any], list[dict[str, Any]]]:
    """The draft's kind, its content with the form's values written in, and the exercise picker's options."""
    kind = kind_of(draft)
    if kind is None:
        raise dash.exceptions.PreventUpdate
    content = merge(draft.get("content") or {}, field_values(ids, values))
    return kind, content, exercise_options(trainer) if kind is PlanKind.WORKOUT else []


def restructure(trainer: User, *, ids: list[Any], values: list[Any], draft: Any, **_clicks: Any) -> dict[str, Any]:
    """Add, remove or move a week, day, meal or item, or make a day a rest day (nothing is saved)."""
    _clicked()
    kind, content, exercises = _editing(trainer, draft, ids, values)
    trigger = ctx.triggered_id
    content = apply_action(content, kind, str(trigger.get("op")), str(trigger.get("path")))
    return {
        "form": render_form(kind, content, {}, exercises),
        # A structural edit is an unsaved edit even where every remaining field equals the saved one.
        "draft": {**draft, "content": content, "dirty": True},
        "message": None,
        "title": dash.no_update,
        **_NO_META_ERRORS,
    }


def save(trainer: User, *, ids: list[Any], values: list[Any], draft: Any, **meta: Any) -> dict[str, Any]:
    """Save the draft through the plans service; its 422s land next to their fields."""
    _clicked()
    kind, content, exercises = _editing(trainer, draft, ids, values)
    meta = {"name": meta["name"], "description": meta["description"], "tags": split_tags(meta["tags"])}
    try:
        plan = save_plan(trainer, draft, content, meta)
    except InvalidInputError as error:
        # Not the wrapper's alert: each message goes beside the field it is about.
        errors = content_errors(error.errors or {})
        name_errors = errors.get("meta.name")
        tag_errors = errors.get("meta.tags") or [
            message for key, messages in errors.items() if key.startswith("meta.tags.") for message in messages
        ]
        alert = dbc.Alert(error.message if not errors else "Please fix the highlighted fields.", color="danger")
        return {
            "form": render_form(kind, content, errors, exercises),
            "draft": {**draft, "content": content},
            "message": alert,
            "title": dash.no_update,
            "name_invalid": bool(name_errors),
            "name_error": " ".join(name_errors or []),
            "tags_invalid": bool(tag_errors),
            "tags_error": " ".join(tag_errors or []),
        }
    note = dbc.Alert(f"Saved “{plan.name}” (version {plan.version}).", color="success")
    return {
        "form": render_form(kind, plan.content, {}, exercises),
        "draft": draft_of(plan),
        "message": note,
        "title": plan.name,
        **_NO_META_ERRORS,
    }


def totals(trainer: User, *, values: list[Any], ids: list[Any], draft: Any) -> dict[str, list[str]]:
    """A diet's per-day and per-meal macro totals, as the trainer types (blank or bad numbers count as 0)."""
    if kind_of(draft) is not PlanKind.DIET:
        raise dash.exceptions.PreventUpdate
    content = merge(draft.get("content") or {}, field_values(ids, values))
    days = live_totals(content)["days"]
    day_labels = []
    for output in ctx.outputs_grouping["days"]:
        index = output["id"]["day"]
        if index >= len(days):
            day_labels.append("")
            continue
        label = f"Day: {macro_label(days[index]['totals'])}"
        warning = energy_warning(days[index]["totals"]["kcal"], content.get("targets"))
        day_labels.append(f"{label} · ⚠ {warning}" if warning else label)
    meal_labels = []
    for output in ctx.outputs_grouping["meals"]:
        d, m = output["id"]["day"], output["id"]["meal"]
        meals = days[d]["meals"] if d < len(days) else []
        meal_labels.append(macro_label(meals[m]) if m < len(meals) else "")
    return {"days": day_labels, "meals": meal_labels}


def allergy_warnings(trainer: User, *, client_id: Any, values: list[Any], ids: list[Any], draft: Any) -> dict[str, Any]:
    """Beside each diet item, the allergens of the client picked under "Assign to a client" it carries."""
    item_outputs = ctx.outputs_grouping["items"]
    blank = {"items": [None] * len(item_outputs), "summary": None}
    client = to_int(client_id)
    if kind_of(draft) is not PlanKind.DIET or client is None:
        return blank
    content = merge(draft.get("content") or {}, field_values(ids, values))
    try:
        conflicts = {c.path: c for c in assignments.client_allergen_conflicts(trainer, client, content)}
    except NotFoundError:
        return blank  # not one of the trainer's clients: nothing of theirs to show
    messages = []
    for output in item_outputs:
        conflict = conflicts.get(output["id"]["path"])
        if conflict is None:
            messages.append(None)
        elif conflict.certain:
            messages.append(f"⚠ The client is allergic: contains {', '.join(label(a) for a in conflict.allergens)}.")
        else:
            messages.append(
                f"⚠ Check this food: its name suggests {', '.join(label(a) for a in conflict.allergens)}, "
                "which the client is allergic to."
            )
    certain = [c for c in conflicts.values() if c.certain]
    summary = (
        f"⚠ {len(certain)} food(s) carry the client's allergens: assigning needs your acknowledgement below."
        if certain
        else None
    )
    return {"items": messages, "summary": summary}


def assign(
    trainer: User,
    *,
    clicks: Any,
    client_id: Any,
    start: Any,
    draft: Any,
    dirty: Any,
    ids: list[Any],
    values: list[Any],
    acknowledge: Any = False,
    **meta: Any,
) -> dict[str, Any]:
    """Give the plan as it is on screen to a client: unsaved edits are saved first (or nothing is assigned)."""
    if not clicks:
        raise dash.exceptions.PreventUpdate
    client = to_int(client_id)
    if client is None:
        return {
            "message": dbc.Alert("Pick a client.", color="danger"),
            "draft": dash.no_update,
            "title": dash.no_update,
        }
    try:
        start_date = date.fromisoformat(start or "")
    except ValueError:
        return {
            "message": dbc.Alert("Give a start date.", color="danger"),
            "draft": dash.no_update,
            "title": dash.no_update,
        }
    plan_id = to_int((draft or {}).get("plan_id"))
    saved_draft, title, saved_note = dash.no_update, dash.no_update, ""
    if plan_id is None or dirty is True:
        kind, content, _exercises = _editing(trainer, draft, ids, values)
        meta = {"name": meta["name"], "description": meta["description"], "tags": split_tags(meta["tags"])}
        try:
            plan = save_plan(trainer, draft, content, meta)
        except InvalidInputError:
            refusal = "Not assigned: your edits can't be saved yet. Press Save plan to see what to fix."
            return {"message": dbc.Alert(refusal, color="danger"), "draft": dash.no_update, "title": dash.no_update}
        plan_id, saved_draft, title = plan.id, draft_of(plan), plan.name
        saved_note = f" Your edits were saved first (version {plan.version})."
    try:
        assignment = assignments.assign_plan(
            trainer, client, plan_id, start_date, acknowledge_allergens=acknowledge is True
        )
    except ConflictError as error:
        foods = (error.errors or {}).get("acknowledge_allergens")
        if not foods:
            raise
        refusal = (
            f"Not assigned: the client is allergic to {'; '.join(foods)}. "
            "Change them, or tick the box to assign anyway."
        )
        return {"message": dbc.Alert(refusal, color="danger"), "draft": saved_draft, "title": title}
    note = f"Assigned “{assignment.name}” to {assignment.client.name} from {assignment.start_date:%d %b %Y}."
    return {"message": dbc.Alert(note + saved_note, color="success"), "draft": saved_draft, "title": title}


def register_callbacks(app: dash.Dash) -> None:
    """Wire each callback to its components."""
    app.callback(
        output={"message": Output("pl-message", "children"), "changed": Output("pl-changed", "data")},
        inputs={
            "duplicates": Input({"type": "pl-dup", "id": ALL}, "n_clicks"),
            "archives": Input({"type": "pl-arch", "id": ALL}, "n_clicks"),
        },
        state={"changed": State("pl-changed", "data"), "archived": State("pl-archived", "value")},
        prevent_initial_call=True,
    )(with_alert(act_on_plan))
    app.callback(
        Output("pl-list", "children"),
        inputs={
            "search": Input("pl-search", "value"),
            "kind": Input("pl-kind", "value"),
            "archived": Input("pl-archived", "value"),
            "changed": Input("pl-changed", "data"),
        },
    )(page_callback(Role.TRAINER)(plan_list))
    app.callback(
        output=_EDITOR,
        inputs={"actions": Input({"type": "pe-act", "op": ALL, "path": ALL}, "n_clicks")},
        state=_form_state(),
        prevent_initial_call=True,
    )(page_callback(Role.TRAINER)(restructure))
    app.callback(
        output={
            name: Output(out.component_id, out.component_property, allow_duplicate=True)
            for name, out in _EDITOR.items()
        },
        inputs={"save": Input("pe-save", "n_clicks")},
        state={
            **_form_state(),
            "name": State("pe-name", "value"),
            "description": State("pe-description", "value"),
            "tags": State("pe-tags", "value"),
        },
        prevent_initial_call=True,
    )(with_alert(save))
    app.callback(
        output={
            "days": Output({"type": "pe-day-total", "day": ALL}, "children"),
            "meals": Output({"type": "pe-meal-total", "day": ALL, "meal": ALL}, "children"),
        },
        inputs={"values": Input({"type": "pe-f", "path": ALL}, "value")},
        state={"ids": State({"type": "pe-f", "path": ALL}, "id"), "draft": State("pe-draft", "data")},
    )(page_callback(Role.TRAINER)(totals))
    app.callback(
        output={
            "items": Output({"type": "pe-allergy", "path": ALL}, "children"),
            "summary": Output("pe-allergy-summary", "children"),
        },
        inputs={
            "client_id": Input("pe-assign-client", "value"),
            "values": Input({"type": "pe-f", "path": ALL}, "value"),
        },
        state={"ids": State({"type": "pe-f", "path": ALL}, "id"), "draft": State("pe-draft", "data")},
    )(page_callback(Role.TRAINER)(allergy_warnings))
    app.callback(
        output={
            "message": Output("pe-assign-message", "children"),
            "draft": Output("pe-draft", "data", allow_duplicate=True),
            "title": Output("pe-title", "children", allow_duplicate=True),
        },
        inputs={"clicks": Input("pe-assign", "n_clicks")},
        state={
            **_form_state(),
            "client_id": State("pe-assign-client", "value"),
            "start": State("pe-assign-start", "value"),
            "dirty": State("pe-dirty", "data"),
            "acknowledge": State("pe-assign-ack", "value"),
            "name": State("pe-name", "value"),
            "description": State("pe-description", "value"),
            "tags": State("pe-tags", "value"),
        },
        prevent_initial_call=True,
    )(page_callback(Role.TRAINER, alert="message")(assign))
    # In the browser: whether the fields differ from the saved plan (for Assign and for leaving
    # the page, see assets/unsaved.js), and the address of a new plan once it is saved.
    app.clientside_callback(
        """function(values, name, description, tags, draft, ids) {
            return window.fitbudPlanDirty(draft, ids, values, {name: name, description: description, tags: tags});
        }""",
        Output("pe-dirty", "data"),
        Input({"type": "pe-f", "path": ALL}, "value"),
        Input("pe-name", "value"),
        Input("pe-description", "value"),
        Input("pe-tags", "value"),
        Input("pe-draft", "data"),
        State({"type": "pe-f", "path": ALL}, "id"),
    )
    # In the browser, as the trainer types: a food's macros follow its quantity, a table food's from
    # the table's values per 100 g (see assets/unsaved.js); saving recomputes them on the server.
    app.clientside_callback(
        "function(values, draft, ids, quantities) { return window.fitbudScaleMacros(values, draft, ids, quantities); }",
        Output({"type": "pe-f", "path": ALL}, "value"),
        Output("pe-quantities", "data"),
        Input({"type": "pe-f", "path": ALL}, "value"),
        Input("pe-draft", "data"),
        State({"type": "pe-f", "path": ALL}, "id"),
        State("pe-quantities", "data"),
    )
    app.clientside_callback(
        "function(draft) { return window.fitbudPlanAddress(draft, " + json.dumps(PREFIX) + "); }",
        Output("pe-url-synced", "data"),
        Input("pe-draft", "data"),
    )
