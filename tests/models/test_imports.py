"""Imported data: an activity is stored once per source id, and a row deleted by hand takes its tracking row."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from fitbud.extensions import db
from fitbud.models import ImportedRow
from tests.factories import ActivityLogFactory, DataImportFactory


def test_the_same_source_id_is_stored_once_per_client(client_record):
    ActivityLogFactory(client=client_record, source="fit", source_id="2026-01-05T07:00:00Z:running")
    with pytest.raises(IntegrityError):
        ActivityLogFactory(client=client_record, source="fit", source_id="2026-01-05T07:00:00Z:running")


def test_deleting_an_imported_activity_deletes_its_tracking_row(client_record):
    activity = ActivityLogFactory(client=client_record)
    data_import = DataImportFactory(client=client_record)
    db.session.add(
        ImportedRow(
            import_id=data_import.id, client_id=client_record.id, source_key="fit:x", activity_log_id=activity.id
        )
    )
    db.session.commit()
    db.session.delete(activity)
    db.session.commit()
    assert db.session.execute(select(func.count()).select_from(ImportedRow)).scalar_one() == 0
