"""seed-demo's scheduling step: a realistic month around today, and nothing new on a second run."""

from sqlalchemy import func, select

from fitbud.demo import seed_demo
from fitbud.extensions import db
from fitbud.models import (
    ActivityEvent,
    Conversation,
    Message,
    SessionRequest,
    SessionSeries,
    SessionStatus,
    TrainerDayOff,
    TrainingSession,
    WorkingHours,
    utcnow,
)

COUNTED = (WorkingHours, TrainerDayOff, SessionSeries, TrainingSession, SessionRequest, Conversation, Message,
           ActivityEvent)


def _counts():
    return {model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in COUNTED}


def test_seed_demo_adds_a_month_of_sessions_and_conversations_once(app, demo_world, monkeypatch):
    monkeypatch.setitem(app.extensions, "fitbud.redis", None)
    first = _counts()
    seed_demo()
    assert _counts() == first
    now = utcnow()
    sessions = db.session.execute(select(TrainingSession)).scalars().all()
    statuses = {session.status for session in sessions if session.starts_at < now}
    assert statuses == {SessionStatus.COMPLETED, SessionStatus.NO_SHOW}
    assert sum(session.status == SessionStatus.NO_SHOW for session in sessions) == 1
    assert any(session.starts_at > now for session in sessions)
    assert first["SessionSeries"] == 1 and first["Conversation"] == 3 and first["Message"] >= 9
    assert first["WorkingHours"] == 11 and first["TrainerDayOff"] == 1
