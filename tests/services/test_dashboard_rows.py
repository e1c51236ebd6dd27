"""Service reads the dashboard pages call instead of running SQL: rows, scoped to the caller."""

from fitbud.models import Report, ReportStatus, ReportType
from fitbud.services import messaging, reports
from tests.factories import ClientFactory, ConversationFactory, MessageFactory


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
    from fitbud.extensions import db

    def report(owner):
        row = Report(owner_id=owner.id, type=ReportType.TRAINER_MONTHLY, params={}, status=ReportStatus.QUEUED)
        db.session.add(row)
        db.session.commit()
        return row.id

    first, second = report(trainer), report(trainer)
    report(other_trainer)
    assert [row.id for row in reports.recent_reports(trainer)] == [second, first]
    assert [row.id for row in reports.recent_reports(trainer, limit=1)] == [second]
