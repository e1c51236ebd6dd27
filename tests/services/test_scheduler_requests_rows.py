"""What the scheduler lists: requests (pending first, then the latest decided) and days off coming up."""

from __future__ import annotations

from datetime import timedelta

from fitbud.models import RequestStatus, utcnow
from fitbud.services import availability
from tests.factories import ClientFactory, SessionRequestFactory, TrainerDayOffFactory


def test_pending_come_first_then_the_latest_decided(trainer, other_trainer):
    client = ClientFactory(trainer=trainer, with_login=True)
    early = SessionRequestFactory(client=client, status=RequestStatus.DECLINED, decided_at=utcnow() - timedelta(days=2))
    late = SessionRequestFactory(client=client, status=RequestStatus.ACCEPTED, decided_at=utcnow())
    pending = SessionRequestFactory(client=client)

    assert [r.id for r in availability.requests_for(trainer, None)] == [pending.id, late.id, early.id]
    assert [r.id for r in availability.requests_for(trainer, RequestStatus.PENDING)] == [pending.id]
    assert availability.requests_for(other_trainer, None) == []


def test_days_off_from_a_day_leave_the_past_out(trainer):
    today = utcnow().date()
    TrainerDayOffFactory(trainer=trainer, on_date=today - timedelta(days=1))
    coming = TrainerDayOffFactory(trainer=trainer, on_date=today + timedelta(days=3))

    assert [d.id for d in availability.days_off_from(trainer, today)] == [coming.id]
