"""Dash callbacks on the hand-checked world: figures for the trainer's own clients, nothing else."""

import base64
import json

import numpy as np
import pytest

from dashboards.pages import client_progress as client_page
from dashboards.pages import overview as overview_page
from dashboards.pages import platform as platform_page
from fitbud.extensions import db
from tests.dashboards.helpers import call, login

OVERVIEW_INPUTS = [("ov-range", "start_date", "2026-02-23"), ("ov-range", "end_date", "2026-03-18")]
CLIENT_RANGE = [("cl-range", "start_date", "2026-02-23"), ("cl-range", "end_date", "2026-03-18")]


def outputs(ids):
    return [(output_id, "children") for output_id in ids]


def client_update(http, client_id):
    inputs = [("cl-client", "value", client_id), *CLIENT_RANGE]
    return call(http, outputs(client_page.OUTPUTS), inputs)


def values(field) -> list:
    """A trace's data: a list, or plotly's base64 typed array ({dtype, bdata}) decoded."""
    if isinstance(field, dict) and "bdata" in field:
        return np.frombuffer(base64.b64decode(field["bdata"]), dtype=field["dtype"]).tolist()
    return list(field)


def figure_of(component) -> dict:
    """The Plotly figure inside a callback's dcc.Graph output."""
    assert component["type"] == "Graph", component
    return component["props"]["figure"]


def test_overview_shows_kpis_charts_and_attention(http, world):
    login(http, world.trainer.email)
    response = call(http, outputs(overview_page.OUTPUTS), OVERVIEW_INPUTS)
    assert response.status_code == 200
    body = response.get_json()["response"]
    kpis = json.dumps(body["ov-kpis"]["children"])
    assert "72.9 %" in kpis and "50.0 %" in kpis and "+1 / -0 this month" in kpis
    growth = figure_of(body["ov-growth"]["children"])
    assert [trace["name"] for trace in growth["data"]] == ["New", "Churned", "Active"]
    sessions = figure_of(body["ov-sessions"]["children"])
    assert values(sessions["data"][0]["x"]) == [3, 1, 1, 1]
    attention = json.dumps(body["ov-attention"]["children"])
    assert attention.index("Ben") < attention.index("Ana") and "No log for 10 days" in attention
    assert "Xia" not in json.dumps(body)


def test_overview_explains_what_to_do_without_clients(http, world):
    login(http, world.admin.email)  # not a trainer: the callback does nothing
    assert call(http, outputs(overview_page.OUTPUTS), OVERVIEW_INPUTS).status_code == 204
    from tests.factories import TrainerFactory

    newcomer = TrainerFactory()
    http.delete_cookie("access_token_cookie")
    login(http, newcomer.email)
    body = call(http, outputs(overview_page.OUTPUTS), OVERVIEW_INPUTS).get_json()["response"]
    assert "No clients yet." in json.dumps(body["ov-kpis"])


def test_client_page_charts_the_trainers_own_client(http, world):
    login(http, world.trainer.email)
    body = client_update(http, world.ana.id).get_json()["response"]
    weight = figure_of(body["cl-weight"]["children"])
    assert values(weight["data"][0]["y"]) == [80.0, 79.6, 79.0, 78.8, 78.6]
    assert figure_of(body["cl-heatmap"]["children"])["data"][0]["type"] == "heatmap"
    assert values(figure_of(body["cl-volume"]["children"])["data"][0]["y"]) == [2200.0, 900.0, 2600.0, 1300.0]
    assert len(figure_of(body["cl-calories"]["children"])["data"]) == 2
    records = json.dumps(body["cl-records"]["children"])
    assert "Squat" in records and "128.3 kg" in records
    assert "-0.47 kg/wk" in json.dumps(body["cl-summary"]["children"])


def test_a_trainer_who_reads_imperial_sees_pounds_on_client_pages(http, world):
    world.trainer.unit_system = "imperial"
    db.session.commit()
    login(http, world.trainer.email)
    body = client_update(http, world.ana.id).get_json()["response"]
    weight = figure_of(body["cl-weight"]["children"])
    assert values(weight["data"][0]["y"])[0] == pytest.approx(176.37, abs=0.01)  # 80 kg
    assert weight["layout"]["yaxis"]["title"]["text"] == "lb"
    assert figure_of(body["cl-volume"]["children"])["layout"]["yaxis"]["title"]["text"] == "lb per week"
    records = json.dumps(body["cl-records"]["children"])
    assert "282.9 lb" in records and " kg" not in records  # 128.3 kg
    summary = json.dumps(body["cl-summary"]["children"])
    assert "lb/wk" in summary and " kg" not in summary


def test_client_page_explains_empty_charts(http, world):
    login(http, world.trainer.email)
    body = client_update(http, world.ben.id).get_json()["response"]
    assert "No workouts logged in this period." in json.dumps(body["cl-volume"]["children"])
    assert "Ask Ben to log meals" in json.dumps(body["cl-calories"]["children"])


@pytest.mark.parametrize("forged", ["xia", "999999", "abc", "{}"])
def test_a_forged_client_id_returns_nothing_of_theirs(http, world, forged):
    login(http, world.trainer.email)
    client_id = {"xia": world.xia.id, "999999": 999999, "abc": "abc", "{}": {"id": world.xia.id}}[forged]
    response = client_update(http, client_id)
    assert response.status_code == 200
    body = json.dumps(response.get_json()["response"])
    assert "No such client." in body
    assert "Xia" not in body and "60.0" not in body and '"Graph"' not in body


def test_client_picker_lists_only_own_clients(http, world):
    login(http, world.trainer.email)
    response = call(
        http,
        [("cl-client", "options"), ("cl-client", "value")],
        [("url", "pathname", "/dashboard/client")],
        state=[("cl-client", "value", world.xia.id)],
    )
    body = response.get_json()["response"]
    assert [option["label"] for option in body["cl-client"]["options"]] == ["Ana", "Ben", "Dan"]
    assert body["cl-client"]["value"] == world.ana.id  # the forged preselection is replaced


def test_platform_page_for_admins_only(http, world):
    login(http, world.admin.email)
    body = call(http, outputs(platform_page.OUTPUTS), [("pf-weeks", "value", "4")]).get_json()["response"]
    assert values(figure_of(body["pf-active"]["children"])["data"][0]["y"]) == [2, 3, 3, 3]
    assert "Trainer T" in json.dumps(body["pf-trainers"]["children"])
    http.delete_cookie("access_token_cookie")
    login(http, world.trainer.email)
    assert call(http, outputs(platform_page.OUTPUTS), [("pf-weeks", "value", "4")]).status_code == 204


def test_reports_page_starts_a_report_and_lists_it_with_a_download_link(http, world, inline_jobs):
    login(http, world.trainer.email)
    started = call(
        http,
        [("rp-message", "children"), ("rp-started", "data")],
        [("rp-start", "n_clicks", 1)],
        state=[
            ("rp-type", "value", "trainer_monthly"),
            ("rp-month", "value", "2026-02"),
            ("rp-format", "value", "csv"),
            ("rp-client", "value", None),
            ("rp-weeks", "value", "12"),
        ],
    ).get_json()["response"]
    report_id = started["rp-started"]["data"]
    assert "started" in json.dumps(started["rp-message"])
    listed = call(
        http,
        [("rp-list", "children"), ("rp-poll", "disabled")],
        [("rp-poll", "n_intervals", 1), ("rp-started", "data", report_id)],
    ).get_json()["response"]
    assert f"/api/v1/reports/{report_id}/download" in json.dumps(listed["rp-list"]["children"])
    assert listed["rp-poll"]["disabled"] is True
    assert "February 2026" in json.dumps(listed["rp-list"]["children"])
    assert '"CSV"' in json.dumps(listed["rp-list"]["children"])  # the format chosen
    download = http.get(f"/api/v1/reports/{report_id}/download")  # the browser's cookie is enough for GET
    assert download.status_code == 200 and download.data.startswith(b"client_id,client")


def test_reports_page_reports_bad_requests(http, world, inline_jobs):
    login(http, world.trainer.email)
    started = call(
        http,
        [("rp-message", "children"), ("rp-started", "data")],
        [("rp-start", "n_clicks", 1)],
        state=[
            ("rp-type", "value", "client_export"),
            ("rp-month", "value", None),
            ("rp-format", "value", None),
            ("rp-client", "value", world.xia.id),
            ("rp-weeks", "value", "12"),
        ],
    ).get_json()["response"]
    assert "No such client." in json.dumps(started["rp-message"]) and started["rp-started"]["data"] is None


def test_the_reports_form_shows_only_the_fields_of_the_chosen_type(http, world):
    login(http, world.trainer.email)
    cols = [(f"rp-{name}-col", "style") for name in ("month", "format", "client", "weeks")]
    for kind, shown in [
        ("trainer_monthly", [True, True, False, False]),
        ("client_export", [False, False, True, False]),
    ]:
        body = call(http, cols, [("rp-type", "value", kind)]).get_json()["response"]
        assert [body[col]["style"] is None for col, _ in cols] == shown


def test_a_client_export_is_listed_with_the_clients_name_and_its_format(http, world, inline_jobs):
    login(http, world.trainer.email)
    client = world.ana
    call(
        http,
        [("rp-message", "children"), ("rp-started", "data")],
        [("rp-start", "n_clicks", 1)],
        state=[
            ("rp-type", "value", "client_export"),
            ("rp-month", "value", None),
            ("rp-format", "value", None),
            ("rp-client", "value", client.id),
            ("rp-weeks", "value", "12"),
        ],
    )
    listed = call(
        http,
        [("rp-list", "children"), ("rp-poll", "disabled")],
        [("rp-poll", "n_intervals", 1), ("rp-started", "data", None)],
    )
    shown = json.dumps(listed.get_json()["response"]["rp-list"]["children"])
    assert client.name in shown and "CSV files (zip)" in shown and f"client {client.id}" not in shown
