"""Service reads the dashboard pages call instead of running SQL: rows, scoped to the caller."""

from datetime import UTC, date, datetime, timedelta

import pytest

from fitbud.errors import NotFoundError
from fitbud.extensions import db
from fitbud.models import Report, ReportStatus, ReportType, utcnow
from fitbud.services import assignments, clients, messaging, plans, reports, scheduling
from tests.factories import (
    ClientFactory,
    ConversationFactory,
    MessageFactory,
    PlanTemplateFactory,
    TrainingSessionFactory,
)


def test_conversation_with_client_finds_the_trainers_own_conversation(trainer):
    conversation = ConversationFactory(client=ClientFactory(trainer=trainer, with_login=True))
    found = messaging.conversation_with_client(trainer, conversation.client_id)
    assert found.id == conversation.id


def test_conversation_with_client_is_none_before_anyone_writes(trainer):
    client = ClientFactory(trainer=trainer, with_login=True)
    assert messaging.conversation_with_client(trainer, client.id) is None


def test_conversation_with_client_never_returns_another_trainers(trainer, other_trainer):
    theirs = ConversationFactory(client=ClientFactory(trainer=other_trainer, with_login=True))
    assert messaging.conversation_with_client(trainer, theirs.client_id) is None


def test_recent_conversations_lists_only_the_callers_with_unread_counts(trainer, other_trainer):
    own = ConversationFactory(client=ClientFactory(trainer=trainer, with_login=True))
    MessageFactory(conversation=own)
    ConversationFactory(client=ClientFactory(trainer=other_trainer, with_login=True))
    rows = messaging.recent_conversations(trainer)
    assert [(row.id, row.unread_count) for row in rows] == [(own.id, 1)]


def test_mark_all_read_reads_up_to_the_last_message(trainer):
    conversation = ConversationFactory(client=ClientFactory(trainer=trainer, with_login=True))
    MessageFactory(conversation=conversation)
    last = MessageFactory(conversation=conversation)
    read = messaging.mark_all_read(trainer, conversation.id)
    assert read.trainer_last_read_id == last.id and read.unread_count == 0


def test_mark_all_read_of_an_empty_conversation_changes_nothing(trainer):
    conversation = ConversationFactory(client=ClientFactory(trainer=trainer, with_login=True))
    assert messaging.mark_all_read(trainer, conversation.id).trainer_last_read_id == 0


def test_recent_reports_are_the_users_own_newest_first(trainer, other_trainer):
    def report(owner):
        row = Report(owner_id=owner.id, type=ReportType.TRAINER_MONTHLY, params={}, status=ReportStatus.QUEUED)
        db.session.add(row)
        db.session.commit()
        return row.id

    first, second = report(trainer), report(trainer)
    report(other_trainer)
    assert [row.id for row in reports.recent_reports(trainer)] == [second, first]
    assert [row.id for row in reports.recent_reports(trainer, limit=1)] == [second]


def test_client_rows_are_the_trainers_current_clients_searched_and_sorted(trainer, other_trainer):
    ClientFactory(trainer=trainer, name="Bea Row")
    ClientFactory(trainer=trainer, name="Abe Row")
    ClientFactory(trainer=trainer, name="Cy Gone", archived_at=utcnow())
    ClientFactory(trainer=other_trainer, name="Al Theirs")
    assert [row.name for row in clients.client_rows(trainer)] == ["Abe Row", "Bea Row"]
    assert [row.name for row in clients.client_rows(trainer, sort="-name")] == ["Bea Row", "Abe Row"]
    assert [row.name for row in clients.client_rows(trainer, search="bea")] == ["Bea Row"]


def test_assignment_history_is_newest_first_and_only_for_own_clients(trainer, other_trainer):
    client = ClientFactory(trainer=trainer)
    template = PlanTemplateFactory(trainer=trainer)
    first = assignments.assign_plan(trainer, client.id, template.id, date.today() + timedelta(days=2))
    second = assignments.assign_plan(trainer, client.id, template.id, date.today() + timedelta(days=30))
    assert [row.id for row in assignments.assignment_history(trainer, client.id)] == [second.id, first.id]
    with pytest.raises(NotFoundError):
        assignments.assignment_history(other_trainer, client.id)


def test_client_sessions_are_one_clients_in_the_window(trainer, other_trainer):
    client, other = ClientFactory(trainer=trainer), ClientFactory(trainer=trainer)
    start = datetime(2026, 4, 6, 9, tzinfo=UTC)
    inside = TrainingSessionFactory(trainer=trainer, client=client, starts_at=start + timedelta(days=1))
    TrainingSessionFactory(trainer=trainer, client=client, starts_at=start + timedelta(days=40))
    TrainingSessionFactory(trainer=trainer, client=other, starts_at=start + timedelta(days=2))
    found = scheduling.client_sessions(trainer, client.id, start, start + timedelta(days=30))
    assert [row.id for row in found] == [inside.id]
    assert scheduling.client_sessions(other_trainer, client.id, start, start + timedelta(days=30)) == []


def test_find_plans_sorts_by_name_and_lists_all_without_a_limit(trainer):
    for name in ("Zed", "Amy", "Max"):
        PlanTemplateFactory(trainer=trainer, name=name)
    assert [plan.name for plan in plans.find_plans(trainer, sort="name", limit=None)] == ["Amy", "Max", "Zed"]
