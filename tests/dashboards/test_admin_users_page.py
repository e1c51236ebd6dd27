"""The admins' users page: search, role filter, deactivate and reactivate (sessions end at once)."""

import json

from fitbud.extensions import db
from fitbud.models import User
from tests.dashboards.helpers import dispatch, login
from tests.factories import TrainerFactory


def users_table(http, search="", role="") -> str:
    values = {"au-search.value": search, "au-role.value": role, "au-changed.data": 0}
    return json.dumps(dispatch(http, "au-table.children", values, "au-search.value"))


def toggle(http, user_id: int, to: str):
    clicked = [{"id": {"type": "au-toggle", "id": user_id, "to": to}, "property": "n_clicks", "value": 1}]
    values = {'{"id":["ALL"],"to":["ALL"],"type":"au-toggle"}.n_clicks': clicked, "au-changed.data": 0}
    trigger = json.dumps({"id": user_id, "to": to, "type": "au-toggle"}, separators=(",", ":")) + ".n_clicks"
    return dispatch(http, "au-message.children", values, trigger)


def test_admins_search_accounts_and_filter_them_by_role(http, admin, trainer, client_user):
    login(http, admin.email)
    assert trainer.email in users_table(http, search=trainer.email[:6])
    assert trainer.email in users_table(http, role="trainer")
    assert trainer.email not in users_table(http, role="client")
    assert "No account matches" in users_table(http, search="nobody-like-this")


def test_an_admin_deactivates_and_reactivates_a_trainer(http, admin):
    coach = TrainerFactory(name="Coach Off")
    login(http, admin.email)
    body = toggle(http, coach.id, "off")
    assert "deactivated" in json.dumps(body["au-message"])
    db.session.expire_all()
    assert db.session.get(User, coach.id).is_active is False
    toggle(http, coach.id, "on")
    db.session.expire_all()
    assert db.session.get(User, coach.id).is_active is True


def test_an_admin_cannot_deactivate_themselves(http, admin):
    login(http, admin.email)
    body = toggle(http, admin.id, "off")
    assert "cannot deactivate your own account" in json.dumps(body["au-message"])
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_active is True


def test_trainers_cannot_use_the_users_page(http, trainer, other_trainer):
    login(http, trainer.email)
    assert toggle(http, other_trainer.id, "off") == {}
    db.session.expire_all()
    assert db.session.get(User, other_trainer.id).is_active is True
