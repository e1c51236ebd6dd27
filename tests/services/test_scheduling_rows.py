"""Scheduling rows for the dashboard: the calendar's sessions, and the conflict preview on the booking's expansion."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from fitbud.errors import InvalidInputError, NotFoundError
from fitbud.services import scheduling
from fitbud.services.local_time import zone_named
from fitbud.services.recurrence import MAX_OCCURRENCES, to_local
from tests.factories import ClientFactory, TrainingSessionFactory
from tests.scheduling_helpers import NOW, set_timezone, utc


@pytest.fixture(autouse=True)
def clock():
    """Time stands still at NOW (a Monday, four weeks before London's spring DST change)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def london_trainer(trainer):
    set_timezone(trainer, tz="Europe/London")
    return trainer


def test_calendar_sessions_are_the_trainers_own_within_their_local_days(london_trainer, client_record, other_trainer):
    # 2026-03-30 is in BST: the local day starts at 23:00 UTC the evening before.
    inside = TrainingSessionFactory(client=client_record, starts_at=utc(2026, 3, 29, 23, 30))
    TrainingSessionFactory(client=client_record, starts_at=utc(2026, 3, 29, 21, 0))  # 22:00 local on the 29th
    TrainingSessionFactory(client=ClientFactory(trainer=other_trainer), starts_at=utc(2026, 3, 30, 9, 0))
    found = scheduling.calendar_sessions(london_trainer, date(2026, 3, 30), date(2026, 3, 31))
    assert [session.id for session in found] == [inside.id]
    assert found[0].client.name == client_record.name


def test_series_starts_keep_the_local_time_across_dst(london_trainer):
    rule, starts = scheduling.series_starts(london_trainer, utc(2026, 3, 23, 7), {"count": 3})
    assert rule.weekdays == ("MO",)
    assert [to_local(start, zone_named("Europe/London")).hour for start in starts] == [7, 7, 7]


def test_series_starts_refuse_a_rule_longer_than_a_series_may_hold(london_trainer):
    with pytest.raises(InvalidInputError) as raised:
        scheduling.series_starts(london_trainer, utc(2026, 3, 23, 7), {"count": MAX_OCCURRENCES + 1})
    assert "recurrence" in raised.value.errors


def test_preview_finds_a_clash_with_a_later_occurrence_of_the_series(london_trainer, client_record):
    # Third Monday of the series, at 07:00 London (BST by then): 06:00 UTC.
    clash = TrainingSessionFactory(client=client_record, starts_at=utc(2026, 4, 6, 6, 30))
    first = utc(2026, 3, 23, 7)
    once = scheduling.preview_conflicts(london_trainer, client_record.id, first, 60)
    weekly = scheduling.preview_conflicts(london_trainer, client_record.id, first, 60, {"count": 4, "weekdays": []})
    assert once == []
    assert [conflict["id"] for conflict in weekly] == [clash.id]


def test_preview_of_a_half_filled_form_is_empty(london_trainer, client_record):
    TrainingSessionFactory(client=client_record, starts_at=NOW + timedelta(days=1))
    at = NOW + timedelta(days=1)
    assert scheduling.preview_conflicts(london_trainer, None, at, 60) == []
    assert scheduling.preview_conflicts(london_trainer, client_record.id, None, 60) == []
    assert scheduling.preview_conflicts(london_trainer, client_record.id, at, None) == []
    assert scheduling.preview_conflicts(london_trainer, client_record.id, at, 60, {"count": 0}) == []
    assert scheduling.preview_conflicts(london_trainer, client_record.id, at, 60, {"count": 9999}) == []


def test_preview_for_another_trainers_client_is_not_found(london_trainer, other_trainer):
    theirs = ClientFactory(trainer=other_trainer)
    with pytest.raises(NotFoundError):
        scheduling.preview_conflicts(london_trainer, theirs.id, NOW + timedelta(days=1), 60)
