"""A client's account page: archive (after confirming) and restore, resend and revoke the invitation."""

import json

import pytest
from sqlalchemy import select

from fitbud.extensions import db
from fitbud.models import Client, ClientInvitation, utcnow
from fitbud.services import invitations
from tests.dashboards.helpers import dispatch, login
from tests.factories import ClientFactory


def act(http, client_id: int, op: str) -> dict:
    """Press a button of the page ("archived": OK in the archive confirmation)."""
    values = {"ca-client.data": client_id, "ca-changed.data": 0}
    if op == "archived":
        values["ca-confirm-archive.submit_n_clicks"] = 1
        trigger = "ca-confirm-archive.submit_n_clicks"
    else:
        button = {"type": "ca-act", "op": op}
        values['{"op":["ALL"],"type":"ca-act"}.n_clicks'] = [{"id": button, "property": "n_clicks", "value": 1}]
        trigger = json.dumps(dict(sorted(button.items())), separators=(",", ":")) + ".n_clicks"
    return dispatch(http, "ca-message.children", values, trigger)


def shown(http, client_id: int) -> str:
    values = {"ca-client.data": client_id, "ca-changed.data": 0}
    return json.dumps(dispatch(http, "ca-header.children", values, "ca-client.data"))


@pytest.fixture
def invited(trainer, app):
    """A client without a login and their open invitation."""
    client = ClientFactory(trainer=trainer, name="Ivy Invited")
    issued = invitations.issue(client)
    db.session.commit()
    return client, issued


def test_the_page_shows_the_open_invitation_with_resend_and_revoke(http, trainer, invited):
    client, _ = invited
    login(http, trainer.email)
    page = shown(http, client.id)
    assert "Ivy Invited" in page
    assert all(f'"op": "{op}"' in page for op in ("resend", "revoke", "archive"))


def test_archive_asks_first_then_archives_and_restore_brings_back(http, trainer, invited):
    client, _ = invited
    login(http, trainer.email)
    assert act(http, client.id, "archive")["ca-confirm-archive"]["displayed"] is True
    db.session.expire_all()
    assert db.session.get(Client, client.id).archived_at is None
    assert "archived" in json.dumps(act(http, client.id, "archived")["ca-message"])
    db.session.expire_all()
    assert db.session.get(Client, client.id).archived_at is not None
    assert invitations.open_invitation(client.id) is None  # archiving voids the link
    assert "restore" in shown(http, client.id)
    act(http, client.id, "restore")
    db.session.expire_all()
    assert db.session.get(Client, client.id).archived_at is None


def test_resend_mails_a_new_link_and_shows_none(http, trainer, invited, mail_outbox):
    client, issued = invited
    login(http, trainer.email)
    message = json.dumps(act(http, client.id, "resend")["ca-message"])
    assert client.email in message and "/invite/" not in message
    assert len(mail_outbox) == 1 and mail_outbox[0].to == client.email and issued.url not in mail_outbox[0].body


def test_revoke_stops_the_link(http, trainer, invited):
    client, _ = invited
    login(http, trainer.email)
    assert "revoked" in json.dumps(act(http, client.id, "revoke")["ca-message"])
    assert invitations.open_invitation(client.id) is None
    revoked = db.session.execute(select(ClientInvitation).where(ClientInvitation.client_id == client.id)).scalar_one()
    assert revoked.revoked_at is not None


def test_resend_to_an_archived_client_is_refused_with_the_reason(http, trainer):
    client = ClientFactory(trainer=trainer, archived_at=utcnow())
    login(http, trainer.email)
    assert "restore them first" in json.dumps(act(http, client.id, "resend")["ca-message"])


def test_another_trainers_client_is_not_found(http, trainer, other_trainer):
    client = ClientFactory(trainer=other_trainer)
    login(http, trainer.email)
    assert "No such client" in shown(http, client.id)
    assert "No such client" in json.dumps(act(http, client.id, "archived")["ca-message"])
    db.session.expire_all()
    assert db.session.get(Client, client.id).archived_at is None


def test_the_roster_lists_archived_clients_separately(http, trainer):
    ClientFactory(trainer=trainer, name="Current Carl")
    ClientFactory(trainer=trainer, name="Archived Anna", archived_at=utcnow())
    login(http, trainer.email)
    values = {"cs-sort.value": "name", "cs-invited.data": 0, "cs-search.value": ""}
    current = json.dumps(dispatch(http, "cs-table.children", {**values, "cs-archived.value": False}, "cs-search.value"))
    archived = json.dumps(dispatch(http, "cs-table.children", {**values, "cs-archived.value": True}, "cs-search.value"))
    assert "Current Carl" in current and "Archived Anna" not in current
    assert "Archived Anna" in archived and "/account" in archived and "Current Carl" not in archived
