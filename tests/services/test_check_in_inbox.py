"""The trainer's check-ins inbox: unanswered first, the check-in before each, the Overview's count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fitbud.errors import InvalidInputError
from fitbud.models import utcnow
from fitbud.services import analytics, check_ins
from tests.factories import CheckInFactory, ClientFactory


def _day(n: int) -> date:
    return date.today() - timedelta(days=n)


@pytest.fixture
def history(trainer):
    """Ann: two check-ins (the newer unanswered); Ben: one answered; an archived client's unanswered one."""
    ann = ClientFactory(trainer=trainer, name="Ann")
    ben = ClientFactory(trainer=trainer, name="Ben")
    gone = ClientFactory(trainer=trainer, name="Gone", archived_at=utcnow())
    older = CheckInFactory(client=ann, submitted_on=_day(8), weight_kg=82.0, replied_at=utcnow(), trainer_comment="ok")
    newer = CheckInFactory(client=ann, submitted_on=_day(1), weight_kg=81.0, measurements_cm={"waist": 84})
    answered = CheckInFactory(client=ben, submitted_on=_day(2), replied_at=utcnow(), trainer_comment="Good")
    archived = CheckInFactory(client=gone, submitted_on=_day(3))
    return {"ann": ann, "ben": ben, "older": older, "newer": newer, "answered": answered, "archived": archived}


def test_to_answer_lists_current_clients_unanswered_with_the_check_in_before(trainer, history):
    page = check_ins.inbox(trainer, "unanswered")

    assert [item.check_in.id for item in page.items] == [history["newer"].id]
    assert page.items[0].client_name == "Ann" and page.items[0].previous.id == history["older"].id
    assert page.total == 1


def test_to_answer_counts_what_the_overview_counts(trainer, history):
    overview = analytics.overview_for(trainer, None, None)

    assert overview.kpis["checkins_awaiting_reply"] == check_ins.inbox(trainer, "unanswered").total


def test_all_puts_unanswered_first_then_newest(trainer, history):
    ids = [item.check_in.id for item in check_ins.inbox(trainer, "all").items]

    assert ids == [history["newer"].id, history["archived"].id, history["answered"].id, history["older"].id]


def test_answered_per_client(trainer, history):
    page = check_ins.inbox(trainer, "answered", client_id=history["ann"].id)

    assert [item.check_in.id for item in page.items] == [history["older"].id]
    assert page.items[0].previous is None


def test_pages_hold_the_total(trainer, history):
    second = check_ins.inbox(trainer, "all", page=2, size=3)

    assert [item.check_in.id for item in second.items] == [history["older"].id] and second.total == 4


def test_another_trainer_sees_none_of_them(other_trainer, history):
    assert check_ins.inbox(other_trainer, "all").items == []
    assert check_ins.clients_with_check_ins(other_trainer) == []


def test_the_client_filter_lists_everyone_who_checked_in(trainer, history):
    assert [name for _id, name in check_ins.clients_with_check_ins(trainer)] == ["Ann", "Ben", "Gone"]


def test_a_blank_reply_names_the_comment(trainer, history):
    with pytest.raises(InvalidInputError) as raised:
        check_ins.reply(trainer, history["ann"].id, history["newer"].id, "   ")

    assert raised.value.errors == {"comment": ["Write a reply."]}
