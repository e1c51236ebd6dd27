"""Factories for sessions, working hours, days off and slot requests."""

from __future__ import annotations

from datetime import time, timedelta

import factory

from fitbud.models import (
    RequestStatus,
    SessionRequest,
    SessionStatus,
    SessionType,
    TrainerDayOff,
    TrainingSession,
    WorkingHours,
    utcnow,
)
from tests.factories.accounts import ClientFactory, TrainerFactory
from tests.factories.base import BaseFactory


def _next_full_hour(days: int = 2):
    return (utcnow() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)


class TrainingSessionFactory(BaseFactory):
    """A scheduled one-hour session two days ahead, between a client and their trainer."""

    class Meta:
        model = TrainingSession

    client = factory.SubFactory(ClientFactory, with_login=True)
    trainer_id = factory.LazyAttribute(lambda o: o.client.trainer_id)
    starts_at = factory.LazyFunction(_next_full_hour)
    duration_minutes = 60
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=o.duration_minutes))
    type = SessionType.IN_PERSON
    status = SessionStatus.SCHEDULED
    location = "Main gym"
    notes = ""
    scheduled_at = factory.LazyFunction(utcnow)
    revision = 0
    reminder_job_ids = factory.LazyFunction(list)


class WorkingHoursFactory(BaseFactory):
    """Monday 09:00-17:00 on the trainer's clock."""

    class Meta:
        model = WorkingHours
        exclude = ("trainer",)

    trainer = factory.SubFactory(TrainerFactory)
    trainer_id = factory.SelfAttribute("trainer.id")
    weekday = 0
    start_time = time(9, 0)
    end_time = time(17, 0)


class TrainerDayOffFactory(BaseFactory):
    """A whole day off a week ahead."""

    class Meta:
        model = TrainerDayOff
        exclude = ("trainer",)

    trainer = factory.SubFactory(TrainerFactory)
    trainer_id = factory.SelfAttribute("trainer.id")
    on_date = factory.LazyFunction(lambda: (utcnow() + timedelta(days=7)).date())
    start_time = None
    end_time = None
    reason = "Holiday"


class SessionRequestFactory(BaseFactory):
    """A pending request for an hour three days ahead."""

    class Meta:
        model = SessionRequest

    client = factory.SubFactory(ClientFactory, with_login=True)
    trainer_id = factory.LazyAttribute(lambda o: o.client.trainer_id)
    starts_at = factory.LazyFunction(lambda: _next_full_hour(days=3))
    duration_minutes = 60
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=o.duration_minutes))
    type = SessionType.IN_PERSON
    note = ""
    status = RequestStatus.PENDING
