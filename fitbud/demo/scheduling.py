"""Demo scheduling and messaging: working hours, a month of sessions around today, conversations.

Each part is created once: running seed-demo again finds it and changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from fitbud.auth.roles import Role
from fitbud.extensions import db
from fitbud.models import (
    ActivityType,
    Client,
    Conversation,
    Message,
    SessionStatus,
    SessionType,
    TrainerDayOff,
    TrainingSession,
    User,
    WorkingHours,
    utcnow,
)
from fitbud.services import availability, scheduling
from fitbud.services.activity import record_activity
from fitbud.services.local_time import zone_of
from fitbud.services.recurrence import from_local, to_local

# (weekday, start, end) on the trainer's clock: mornings and evenings on weekdays, Saturday morning.
WORKING_HOURS = [(day, time(7), time(12)) for day in range(5)] + [
    (day, time(15), time(20)) for day in range(5)
] + [(5, time(8), time(12))]

# Per client (by position after the series client): local start time, type, where, and day offsets.
ONE_OFF_PLAN = [
    (time(9), SessionType.ONLINE, "https://meet.fitbud.demo/ben", (-20, -13, -6, 2, 9)),
    (time(10, 30), SessionType.IN_PERSON, "Riverside Gym, studio 2", (-19, -12, -5, 3, 10)),
    (time(16), SessionType.IN_PERSON, "Riverside Gym, main floor", (-18, -11, -4, 4, 11)),
    (time(18), SessionType.CHECK_IN_CALL, "https://meet.fitbud.demo/emma", (-17, -10, -3, 1, 8)),
]

CONVERSATIONS = [
    [
        ("client", 3, "Hi Sam! Thursday's session was tough, my legs are still sore."),
        ("trainer", 3, "That's the volume going up. Walk a bit today and keep the protein high."),
        ("client", 2, "Will do. Can we add some core work on Monday?"),
        ("trainer", 2, "Yes, I'll put planks and dead bugs at the end."),
        ("client", 0, "Great, see you Monday at 7!"),
    ],
    [
        ("trainer", 5, "Ben, how did the new running plan feel this week?"),
        ("client", 4, "Good overall. The intervals on Wednesday were brutal though."),
        ("trainer", 4, "Perfect, that's the point. Keep the easy runs really easy."),
    ],
    [
        ("client", 1, "I might be late on Thursday, my train gets in at 10:15."),
        ("trainer", 1, "No problem, we'll start at 10:45 and keep it to 45 minutes."),
        ("client", 0, "Thanks!"),
    ],
]


def _weekday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _seed_working_hours(trainer: User) -> None:
    has_hours = db.session.execute(
        select(func.count(WorkingHours.id)).where(WorkingHours.trainer_id == trainer.id)
    ).scalar_one()
    if not has_hours:
        for weekday, start, end in WORKING_HOURS:
            availability.add_working_hours(trainer, {"weekday": weekday, "start_time": start, "end_time": end})
    has_days_off = db.session.execute(
        select(func.count(TrainerDayOff.id)).where(TrainerDayOff.trainer_id == trainer.id)
    ).scalar_one()
    if not has_days_off:
        today = to_local(utcnow(), zone_of(trainer)).date()
        # A Saturday: sessions in the demo fall on weekdays, so the day off never clashes with one.
        saturday = today + timedelta(days=7 + (5 - today.weekday()) % 7)
        availability.add_day_off(trainer, {"on_date": saturday, "reason": "Coaching workshop"})


def _local(trainer: User, day: date, at: time) -> datetime:
    return from_local(datetime.combine(day, at), zone_of(trainer))


def _seed_sessions(trainer: User, clients: list[Client]) -> None:
    has_sessions = db.session.execute(
        select(func.count(TrainingSession.id)).where(TrainingSession.trainer_id == trainer.id)
    ).scalar_one()
    if has_sessions or not clients:
        return
    now = utcnow()
    today = to_local(now, zone_of(trainer)).date()
    # A weekly series with the first client: Mondays and Thursdays 07:00, three weeks back, three ahead.
    first_monday = today - timedelta(days=21)
    first_monday += timedelta(days=(7 - first_monday.weekday()) % 7)
    series = scheduling.create_series(
        trainer,
        {
            "client_id": clients[0].id,
            "starts_at": _local(trainer, first_monday, time(7)),
            "duration_minutes": 60,
            "type": SessionType.IN_PERSON,
            "location": "Riverside Gym, main floor",
            "notes": "Strength block: squat, press, pull.",
            "recurrence": {"weekdays": ["MO", "TH"], "interval": 1, "count": 12},
        },
    )
    past = [session.id for session in series.sessions if session.starts_at < now]
    for position, session_id in enumerate(past):
        status = SessionStatus.NO_SHOW if position == 2 else SessionStatus.COMPLETED
        scheduling.change_status(trainer, session_id, status)

    for client, (at, kind, where, offsets) in zip(clients[1:], ONE_OFF_PLAN, strict=False):
        for offset in offsets:
            day = _weekday_on_or_after(today + timedelta(days=offset))
            session = scheduling.create_session(
                trainer,
                {
                    "client_id": client.id,
                    "starts_at": _local(trainer, day, at),
                    "duration_minutes": 45 if kind == SessionType.CHECK_IN_CALL else 60,
                    "type": kind,
                    "location": None if where.startswith("https://") else where,
                    "meeting_url": where if where.startswith("https://") else None,
                    "allow_overlap": False,
                },
            )
            if session.starts_at < now:
                scheduling.change_status(trainer, session.id, SessionStatus.COMPLETED)
    _seed_request(trainer, clients)


def _seed_request(trainer: User, clients: list[Client]) -> None:
    # One client asks for an extra slot next week, waiting for the trainer's answer.
    if len(clients) < 3 or clients[2].user_id is None:
        return
    client_login = db.session.get(User, clients[2].user_id)
    now = utcnow()
    slots = availability.free_slots(trainer, now + timedelta(days=4), now + timedelta(days=8), 60)
    if slots:
        availability.request_session(
            client_login,
            {
                "starts_at": slots[len(slots) // 2][0],
                "duration_minutes": 60,
                "type": SessionType.IN_PERSON,
                "note": "Could we add an extra session before my race?",
            },
        )


def _seed_conversations(trainer: User, clients: list[Client]) -> None:
    now = utcnow()
    for client, script in zip(clients, CONVERSATIONS, strict=False):
        conversation = db.session.execute(
            select(Conversation).where(Conversation.trainer_id == trainer.id, Conversation.client_id == client.id)
        ).scalar_one_or_none()
        if conversation is None:
            conversation = Conversation(trainer_id=trainer.id, client_id=client.id, last_activity_at=now)
            db.session.add(conversation)
            db.session.flush()
        has_messages = db.session.execute(
            select(func.count(Message.id)).where(Message.conversation_id == conversation.id)
        ).scalar_one()
        if has_messages:
            continue
        messages = []
        for index, (side, days_ago, body) in enumerate(script):
            sent_at = now - timedelta(days=days_ago, hours=len(script) - index)
            from_trainer = side == "trainer"
            message = Message(
                conversation_id=conversation.id,
                sender_id=trainer.id if from_trainer else client.user_id,
                sender_role=Role.TRAINER if from_trainer else Role.CLIENT,
                body=body,
                created_at=sent_at,
            )
            db.session.add(message)
            db.session.flush()
            if not from_trainer:
                event = record_activity(
                    client,
                    ActivityType.MESSAGE_RECEIVED,
                    f"{client.name}: {body}",
                    {"conversation_id": conversation.id, "message_id": message.id},
                )
                event.occurred_at = sent_at
            messages.append(message)
        last = messages[-1]
        conversation.last_message_id = last.id
        conversation.last_activity_at = last.created_at
        # The client has read everything; the trainer has not read the client's latest message.
        conversation.client_last_read_id = last.id
        trainer_read = [m.id for m in messages if m.sender_role == Role.TRAINER]
        conversation.trainer_last_read_id = max(trainer_read) if trainer_read else 0
    db.session.commit()


def seed_scheduling(world) -> None:
    """Working hours and a day off, a month of past and upcoming sessions, and a few conversations."""
    trainer = world.trainer
    clients = list(world.clients)
    _seed_working_hours(trainer)
    _seed_sessions(trainer, clients)
    _seed_conversations(trainer, clients)
