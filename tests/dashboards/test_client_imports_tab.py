"""The client page's Imports tab: each import with its source; another trainer's client shows nothing."""

from __future__ import annotations

import json

from fitbud.models import ImportFormat
from tests.dashboards.helpers import call, login
from tests.factories import ActivityLogFactory, ClientFactory, DataImportFactory

OUTPUTS = [("cp-imports", "children")]


def _tab(http, client_id, tab="imports"):
    response = call(http, OUTPUTS, [("cp-tabs", "active_tab", tab)], state=[("cp-client", "data", client_id)])
    return response


def test_the_imports_tab_lists_each_import_with_its_source(http, trainer, client_record):
    DataImportFactory(client=client_record, format=ImportFormat.APPLE_HEALTH, file_name="export.zip", added=120)
    login(http, trainer.email)
    body = json.dumps(_tab(http, client_record.id).get_json()["response"])
    assert "Apple Health" in body and "export.zip" in body and "120" in body


def test_a_client_without_imports_is_explained(http, trainer, client_record):
    login(http, trainer.email)
    assert "has not imported anything yet" in json.dumps(_tab(http, client_record.id).get_json()["response"])


def test_another_trainers_client_shows_no_imports(http, trainer, other_trainer):
    theirs = ClientFactory(trainer=other_trainer)
    DataImportFactory(client=theirs, file_name="secret-ride.gpx")
    login(http, trainer.email)
    body = json.dumps(_tab(http, theirs.id).get_json()["response"])
    assert "No such client." in body and "secret-ride" not in body


def test_the_tab_is_drawn_only_when_opened(http, trainer, client_record):
    login(http, trainer.email)
    assert _tab(http, client_record.id, tab="overview").status_code == 204


def test_the_imports_tab_lists_the_latest_activities(http, trainer, client_record):
    DataImportFactory(client=client_record, format=ImportFormat.FIT, file_name="ride.fit")
    ActivityLogFactory(client=client_record, sport="cycling", duration_seconds=3600, distance_m=30000.0)
    login(http, trainer.email)
    body = json.dumps(_tab(http, client_record.id).get_json()["response"])
    assert "Latest activities" in body and "Cycling" in body and "30.0 km" in body
