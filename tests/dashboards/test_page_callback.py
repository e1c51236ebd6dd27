"""page_callback: the user comes first, other roles and no user change nothing, domain errors become alerts."""

import json
from types import SimpleNamespace

import dash
import pytest
from dash import Input, Output, State, html
from flask import Flask, g

from dashboards.forms import error_outputs
from dashboards.page_callback import page_callback
from fitbud.auth.roles import Role
from fitbud.errors import ConflictError, InvalidInputError

FIELDS = {"t-name": "name"}


def make_server(user):
    """A bare Flask + Dash app whose requests carry `user` as the dashboard user (no database)."""
    server = Flask(__name__)
    server.testing = True

    @server.before_request
    def who():
        g.dashboard_user = user

    app = dash.Dash(__name__, server=server)
    app.layout = html.Div(
        [
            html.Button(id="t-go"),
            html.Div(id="t-alert"),
            html.Div(id="t-chart"),
            html.Div(id="t-name-error"),
            html.Div(id="t-name-field"),
        ]
    )
    seen = {}

    @app.callback(
        output={
            "alert": Output("t-alert", "children"),
            **error_outputs(FIELDS),
            "chart": Output("t-chart", "children"),
        },
        inputs={"clicks": Input("t-go", "n_clicks"), "what": State("t-go", "title")},
    )
    @page_callback(Role.TRAINER, alert="alert", fields=FIELDS, render=lambda error: f"! {error.message}")
    def form(user, clicks, what):
        seen["user"] = user
        if what == "invalid":
            raise InvalidInputError("Fix the name.", {"name": ["Too long."]})
        return {"alert": "ok", "t-name-field.className": "", "t-name-error.children": "", "chart": f"chart {clicks}"}

    @app.callback(
        output={"alert": Output("t-alert", "title"), "chart": Output("t-chart", "title")},
        inputs={"clicks": Input("t-go", "className")},
    )
    @page_callback(Role.TRAINER, Role.ADMIN, alert="alert", others=None)
    def clears(user, clicks):
        raise ConflictError("Busy.")

    @app.callback(Output("t-chart", "className"), Input("t-go", "style"))
    @page_callback(Role.TRAINER, alert="t-chart", render=lambda error: error.message)
    def single(user, style):
        raise ConflictError("Single busy.")

    @app.callback(Output("t-alert", "className"), Input("t-go", "accessKey"))
    @page_callback(Role.TRAINER)
    def no_alert(user, key):
        raise ConflictError("Nowhere to show it.")

    return server, seen


def post(server, outputs, inputs, state=()):
    many = len(outputs) > 1
    output = ".." + "...".join(f"{i}.{p}" for i, p in outputs) + ".." if many else f"{outputs[0][0]}.{outputs[0][1]}"
    body = {
        "output": output,
        "outputs": [{"id": i, "property": p} for i, p in outputs]
        if many
        else {"id": outputs[0][0], "property": outputs[0][1]},
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
    }
    return server.test_client().post("/_dash-update-component", json=body)


FORM_OUTPUTS = [
    ("t-alert", "children"),
    ("t-name-field", "className"),
    ("t-name-error", "children"),
    ("t-chart", "children"),
]
TRAINER = SimpleNamespace(role=Role.TRAINER, name="T")


def form(server, what=None):
    return post(server, FORM_OUTPUTS, [("t-go", "n_clicks", 2)], [("t-go", "title", what)])


def test_the_callback_gets_the_user_first_and_its_own_arguments_after():
    server, seen = make_server(TRAINER)
    response = form(server)
    assert response.status_code == 200
    assert response.get_json()["response"]["t-chart"] == {"children": "chart 2"}
    assert seen["user"] is TRAINER


@pytest.mark.parametrize("user", [None, SimpleNamespace(role=Role.ADMIN), SimpleNamespace(role=Role.CLIENT)])
def test_no_user_or_another_role_updates_nothing(user):
    server, seen = make_server(user)
    assert form(server).status_code == 204
    assert "user" not in seen


def test_a_domain_error_shows_in_the_alert_and_its_fields_and_leaves_other_outputs():
    server, _ = make_server(TRAINER)
    body = form(server, "invalid").get_json()["response"]
    assert body["t-alert"] == {"children": "! Fix the name."}
    assert body["t-name-field"] == {"className": "mb-3 fb-field fb-invalid"}
    assert body["t-name-error"] == {"children": "Too long."}
    assert "t-chart" not in body  # no update


def test_others_none_clears_the_outputs_besides_the_alert():
    server, _ = make_server(TRAINER)
    response = post(server, [("t-alert", "title"), ("t-chart", "title")], [("t-go", "className", "x")])
    body = response.get_json()["response"]
    assert body["t-chart"] == {"title": None}
    alert = body["t-alert"]["title"]  # forms.problem: a danger Alert announced by screen readers
    assert alert["props"]["role"] == "alert" and "Busy." in json.dumps(alert)


def test_a_single_output_callback_gets_the_rendered_alert():
    server, _ = make_server(TRAINER)
    response = post(server, [("t-chart", "className")], [("t-go", "style", {})])
    assert response.get_json()["response"]["t-chart"] == {"className": "Single busy."}


def test_without_an_alert_output_the_domain_error_propagates():
    server, _ = make_server(TRAINER)
    with pytest.raises(ConflictError, match="Nowhere to show it"):
        post(server, [("t-alert", "className")], [("t-go", "accessKey", "k")])


def test_roles_are_required():
    with pytest.raises(TypeError, match="roles"):
        page_callback()
