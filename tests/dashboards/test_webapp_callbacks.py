"""The web app's callbacks: clients, invite, client profile, messages and profile, scoped to the trainer."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from dashboards.pages import client_detail
from dashboards.pages.client_detail import OVERVIEW_FIELDS, PROGRESS_IDS
from fitbud.extensions import db
from fitbud.models import Client, Food, Message, PlanAssignment, PlanKind, User
from fitbud.services.clients import get_client
from fitbud.services.plan_content import validate_content
from tests.dashboards.helpers import call, dispatch, duplicate_output, login
from tests.factories import ClientFactory, ConversationFactory, MessageFactory, PlanTemplateFactory
from tests.helpers import DEFAULT_PASSWORD, assert_error

TABLE_INPUTS = [("cs-sort", "value", "name"), ("cs-invited", "data", 0), ("cs-archived", "value", False)]
INVITE_OUTPUTS = [
    ("cs-invite-result", "children"),
    ("cs-invite-name-field", "className"),
    ("cs-invite-name-error", "children"),
    ("cs-invite-email-field", "className"),
    ("cs-invite-email-error", "children"),
    ("cs-invited", "data"),
    ("cs-invite-name", "value"),
    ("cs-invite-email", "value"),
]
LOAD_OUTPUTS = [
    ("cp-header", "children"),
    ("cp-goals", "value"),
    ("cp-allergies", "value"),
    ("cp-diets", "value"),
    *[(control_id, "value") for control_id in OVERVIEW_FIELDS],
    ("cp-sessions", "children"),
    ("cp-messages", "children"),
    ("cp-assign-plan", "options"),
    ("cp-assign-start", "value"),
]
SAVE_OUTPUTS = [("cp-overview-feedback", "children")] + [
    pair
    for control_id in OVERVIEW_FIELDS
    for pair in [(f"{control_id}-field", "className"), (f"{control_id}-error", "children")]
]
ASSIGN_OUTPUTS = [
    ("cp-assign-feedback", "children"),
    ("cp-assign-plan-field", "className"),
    ("cp-assign-plan-error", "children"),
    ("cp-assign-start-field", "className"),
    ("cp-assign-start-error", "children"),
    ("cp-changed", "data"),
]
PROFILE_FIELDS = ["pf-name", "pf-email", "pf-timezone", "pf-units", "pf-current-password", "pf-new-password"]
PROFILE_OUTPUTS = (
    [("pf-feedback", "children")]
    + [
        pair
        for control_id in PROFILE_FIELDS
        for pair in [(f"{control_id}-field", "className"), (f"{control_id}-error", "children")]
    ]
    + [("pf-current-password", "value"), ("pf-new-password", "value")]
)


@pytest.fixture
def roster(trainer, other_trainer):
    """Two clients of `trainer` and one of `other_trainer` (with private notes)."""
    ana = ClientFactory(trainer=trainer, name="Ana Own", goals=["strength"], with_login=True)
    ben = ClientFactory(trainer=trainer, name="Ben Own")
    xia = ClientFactory(trainer=other_trainer, name="Xia Theirs", private_notes="secret knee story")
    return ana, ben, xia


def body_of(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def table(http, search=""):
    return body_of(call(http, [("cs-table", "children")], [("cs-search", "value", search), *TABLE_INPUTS]))


def invite(http, name, email):
    return body_of(
        call(
            http,
            INVITE_OUTPUTS,
            [("cs-invite-submit", "n_clicks", 1)],
            state=[("cs-invite-name", "value", name), ("cs-invite-email", "value", email), ("cs-invited", "data", 0)],
        )
    )


def load_profile(http, client_id):
    return body_of(call(http, LOAD_OUTPUTS, [("cp-client", "data", client_id)]))


def save_overview(http, client_id, notes="new note"):
    state = [("cp-client", "data", client_id), ("cp-goals", "value", ["fat_loss"])]
    state += [("cp-allergies", "value", []), ("cp-diets", "value", [])]
    state += [(control_id, "value", notes if control_id == "cp-notes" else "") for control_id in OVERVIEW_FIELDS]
    return body_of(call(http, SAVE_OUTPUTS, [("cp-overview-save", "n_clicks", 1)], state=state))


def test_clients_table_lists_only_the_trainers_clients(http, trainer, roster):
    login(http, trainer.email)
    text = json.dumps(table(http))
    assert "Ana Own" in text and "Ben Own" in text and "Xia" not in text
    assert f"/dashboard/clients/{roster[0].id}" in text and "Strength" in text


def test_clients_table_search_and_empty_state(http, trainer, roster):
    login(http, trainer.email)
    text = json.dumps(table(http, "ben"))
    assert "Ben Own" in text and "Ana Own" not in text
    assert "No client matches" in json.dumps(table(http, "xia"))


def test_clients_table_explains_an_empty_roster(http, trainer):
    login(http, trainer.email)
    assert "No clients yet." in json.dumps(table(http))


def test_invite_creates_the_client_and_says_where_the_link_went(http, trainer):
    login(http, trainer.email)
    body = invite(http, "Cara New", "cara@example.com")
    shown = json.dumps(body["cs-invite-result"])
    # The link goes only to the client's mailbox: accepting it proves the address.
    assert "cara@example.com" in shown and "/invite/" not in shown
    assert body["cs-invited"]["data"] == 1
    assert (
        db.session.execute(select(Client.trainer_id).where(Client.email == "cara@example.com")).scalar() == trainer.id
    )


def test_invite_shows_bad_fields_next_to_them(http, trainer):
    login(http, trainer.email)
    body = invite(http, " ", "nope")
    assert "fb-invalid" in body["cs-invite-name-field"]["className"]
    assert "fb-invalid" in body["cs-invite-email-field"]["className"]
    assert "Enter an email address" in body["cs-invite-email-error"]["children"]


def test_invite_of_an_existing_client_email_is_shown_on_the_email_field(http, trainer, roster):
    login(http, trainer.email)
    body = invite(http, "Again", roster[1].email)
    assert body["cs-invite-email-error"]["children"] == "already one of your clients"
    assert "You already have a client with this email." in json.dumps(body["cs-invite-result"])


def test_profile_loads_the_trainers_own_client(http, trainer, roster):
    login(http, trainer.email)
    body = load_profile(http, roster[0].id)
    assert "Ana Own" in json.dumps(body["cp-header"]) and body["cp-goals"]["value"] == ["strength"]


@pytest.mark.parametrize("forged", ["theirs", "missing", "junk", "object"])
def test_profile_with_a_forged_client_id_returns_nothing_of_theirs(http, trainer, roster, forged):
    login(http, trainer.email)
    client_id = {"theirs": roster[2].id, "missing": 999999, "junk": "abc", "object": {"id": roster[2].id}}[forged]
    body = json.dumps(load_profile(http, client_id))
    assert "No such client." in body and "Xia" not in body and "secret knee" not in body


def test_saving_the_overview_keeps_notes_and_health(http, trainer, roster):
    login(http, trainer.email)
    state = [("cp-client", "data", roster[1].id), ("cp-goals", "value", ["fat_loss", "bogus"])]
    state += [("cp-allergies", "value", []), ("cp-diets", "value", [])]
    values = {"cp-notes": "Prefers mornings", "cp-health-injuries": "left knee\n\nshoulder", "cp-goal-notes": "10k"}
    state += [(control_id, "value", values.get(control_id, "")) for control_id in OVERVIEW_FIELDS]
    body = body_of(call(http, SAVE_OUTPUTS, [("cp-overview-save", "n_clicks", 1)], state=state))
    assert "Saved." in json.dumps(body["cp-overview-feedback"])
    reloaded = load_profile(http, roster[1].id)
    assert reloaded["cp-notes"]["value"] == "Prefers mornings"
    assert reloaded["cp-health-injuries"]["value"] == "left knee\nshoulder"
    assert reloaded["cp-goals"]["value"] == ["fat_loss"]


def test_saving_the_overview_keeps_allergies_and_preferences(http, trainer, roster):
    login(http, trainer.email)
    state = [("cp-client", "data", roster[1].id), ("cp-goals", "value", [])]
    state += [("cp-allergies", "value", ["peanuts", "bogus"]), ("cp-diets", "value", ["vegan"])]
    values = {"cp-other-allergies": "kiwi", "cp-dislikes": "olives"}
    state += [(control_id, "value", values.get(control_id, "")) for control_id in OVERVIEW_FIELDS]
    body = body_of(call(http, SAVE_OUTPUTS, [("cp-overview-save", "n_clicks", 1)], state=state))
    assert "Saved." in json.dumps(body["cp-overview-feedback"])
    reloaded = load_profile(http, roster[1].id)
    assert reloaded["cp-allergies"]["value"] == ["peanuts"] and reloaded["cp-diets"]["value"] == ["vegan"]
    assert reloaded["cp-other-allergies"]["value"] == "kiwi" and reloaded["cp-dislikes"]["value"] == "olives"


def test_saving_the_overview_of_someone_elses_client_changes_nothing(http, trainer, other_trainer, roster):
    login(http, trainer.email)
    body = save_overview(http, roster[2].id, notes="overwritten")
    assert "No such client." in json.dumps(body["cp-overview-feedback"])
    db.session.expire_all()
    assert get_client(other_trainer, roster[2].id).private_notes == "secret knee story"


def test_assigning_a_template_adds_it_to_the_plan_tab(http, trainer, roster):
    plan = PlanTemplateFactory(trainer=trainer, name="Strength A")
    login(http, trainer.email)
    state = [
        ("cp-client", "data", roster[0].id),
        ("cp-assign-plan", "value", str(plan.id)),
        ("cp-assign-start", "value", date.today().isoformat()),
        ("cp-changed", "data", 0),
        ("cp-assign-ack", "value", False),
    ]
    body = body_of(call(http, ASSIGN_OUTPUTS, [("cp-assign-submit", "n_clicks", 1)], state=state))
    assert "Strength A starts on" in json.dumps(body["cp-assign-feedback"])
    listed = body_of(
        call(http, [("cp-plan-list", "children")], [("cp-client", "data", roster[0].id), ("cp-changed", "data", 1)])
    )
    assert "Strength A" in json.dumps(listed)


def test_a_diet_with_the_clients_allergen_is_assigned_only_when_ticked(http, trainer, roster):
    client = ClientFactory(trainer=trainer, name="Allergic Al", dietary_details={"allergies": ["tree_nuts"]})
    almonds = db.session.execute(select(Food.id).where(Food.slug == "almonds")).scalar_one()
    item = {"food_id": almonds, "quantity": 30, "unit": "g"}
    content = {"days": [{"name": "D", "meals": [{"name": "M", "time": "10:00", "items": [item]}]}]}
    plan = PlanTemplateFactory(
        trainer=trainer, kind=PlanKind.DIET, content=validate_content(PlanKind.DIET, content, trainer.id)
    )
    login(http, trainer.email)
    state = [
        ("cp-client", "data", client.id),
        ("cp-assign-plan", "value", str(plan.id)),
        ("cp-assign-start", "value", date.today().isoformat()),
        ("cp-changed", "data", 0),
        ("cp-assign-ack", "value", False),
    ]
    refused = body_of(call(http, ASSIGN_OUTPUTS, [("cp-assign-submit", "n_clicks", 1)], state=state))
    state[4] = ("cp-assign-ack", "value", True)
    assigned = body_of(call(http, ASSIGN_OUTPUTS, [("cp-assign-submit", "n_clicks", 1)], state=state))
    assert "Almonds (tree nuts)" in json.dumps(refused["cp-assign-feedback"])
    assert "starts on" in json.dumps(assigned["cp-assign-feedback"])


def test_assigning_another_trainers_template_is_refused_next_to_the_field(http, trainer, other_trainer, roster):
    theirs = PlanTemplateFactory(trainer=other_trainer, name="Their plan")
    login(http, trainer.email)
    state = [
        ("cp-client", "data", roster[0].id),
        ("cp-assign-plan", "value", str(theirs.id)),
        ("cp-assign-start", "value", None),
        ("cp-changed", "data", 0),
        ("cp-assign-ack", "value", False),
    ]
    body = body_of(call(http, ASSIGN_OUTPUTS, [("cp-assign-submit", "n_clicks", 1)], state=state))
    assert "fb-invalid" in body["cp-assign-start-field"]["className"]
    state[2] = ("cp-assign-start", "value", date.today().isoformat())
    body = body_of(call(http, ASSIGN_OUTPUTS, [("cp-assign-submit", "n_clicks", 1)], state=state))
    assert body["cp-assign-plan-error"]["children"] == "not one of your plans"
    assert db.session.execute(select(PlanAssignment)).first() is None


def test_progress_tab_for_a_forged_client_shows_nothing(http, trainer, roster):
    login(http, trainer.email)
    inputs = [("cp-tabs", "active_tab", "progress"), ("cp-range", "start_date", None), ("cp-range", "end_date", None)]
    body = json.dumps(
        body_of(
            call(http, [(i, "children") for i in PROGRESS_IDS], inputs, state=[("cp-client", "data", roster[2].id)])
        )
    )
    assert "No such client." in body and '"Graph"' not in body
    assert client_detail.PAGE.in_nav is False


MSG_REFRESH = [("msg-list", "children"), ("msg-thread", "children")]
MSG_SEND = [("msg-feedback", "children"), ("msg-body", "value"), ("msg-sent", "data")]


def refresh(http, wanted):
    inputs = [("msg-poll", "n_intervals", 1), ("msg-sent", "data", 0), ("msg-open", "data", wanted)]
    return body_of(call(http, MSG_REFRESH, inputs))


def send(http, wanted, text):
    state = [("msg-body", "value", text), ("msg-open", "data", wanted), ("msg-sent", "data", 0)]
    return body_of(call(http, MSG_SEND, [("msg-send", "n_clicks", 1)], state=state))


def test_messages_list_unread_and_thread_then_mark_read(http, trainer):
    conversation = ConversationFactory(client__trainer=trainer, client__name="Dee")
    MessageFactory(conversation=conversation, body="How heavy on Monday?")
    login(http, trainer.email)
    listing = json.dumps(refresh(http, {"conversation": None, "client": None}))
    assert "Dee" in listing and '"1"' in listing  # one unread
    opened = refresh(http, {"conversation": str(conversation.id), "client": None})
    assert "How heavy on Monday?" in json.dumps(opened["msg-thread"])
    assert '"1"' not in json.dumps(refresh(http, {"conversation": str(conversation.id)})["msg-list"])


def test_sending_a_message_shows_it_in_the_thread(http, trainer):
    conversation = ConversationFactory(client__trainer=trainer)
    login(http, trainer.email)
    wanted = {"conversation": str(conversation.id)}
    sent = send(http, wanted, "  See you at 7  ")
    assert sent["msg-sent"]["data"] == 1 and sent["msg-body"]["value"] == ""
    assert "See you at 7" in json.dumps(refresh(http, wanted)["msg-thread"])


def test_a_blank_message_is_explained(http, trainer):
    conversation = ConversationFactory(client__trainer=trainer)
    login(http, trainer.email)
    assert "Write something first." in json.dumps(send(http, {"conversation": str(conversation.id)}, "   "))


def test_another_trainers_conversation_is_never_shown_or_written_to(http, trainer, other_trainer):
    theirs = ConversationFactory(client__trainer=other_trainer, client__name="Xia")
    MessageFactory(conversation=theirs, body="private to them")
    login(http, trainer.email)
    body = json.dumps(refresh(http, {"conversation": str(theirs.id)}))
    assert "No such conversation." in body and "private to them" not in body and "Xia" not in body
    assert "No such conversation." in json.dumps(send(http, {"conversation": str(theirs.id)}, "hi"))
    assert "No such client." in json.dumps(send(http, {"client": str(theirs.client_id)}, "hi"))
    assert db.session.execute(select(Message).where(Message.body == "hi")).first() is None


def test_write_to_a_client_starts_the_conversation(http, trainer, roster):
    login(http, trainer.email)
    send(http, {"client": str(roster[0].id)}, "Welcome aboard")
    assert "Welcome aboard" in json.dumps(load_profile(http, roster[0].id)["cp-messages"])


def save_profile(http, **values):
    defaults = {"pf-name": "T", "pf-email": "t@example.com", "pf-timezone": "UTC", "pf-units": "metric"}
    merged = {**defaults, **values}
    state = [(control_id, "value", merged.get(control_id)) for control_id in PROFILE_FIELDS]
    outputs = [*PROFILE_OUTPUTS, duplicate_output(http, "nav-user", "children")]
    return body_of(call(http, outputs, [("pf-save", "n_clicks", 1)], state=state))


def test_profile_saves_name_timezone_and_units(http, trainer):
    login(http, trainer.email)
    body = save_profile(http, **{"pf-name": "Renamed", "pf-email": trainer.email, "pf-timezone": "Europe/Paris"})
    assert "saved" in json.dumps(body["pf-feedback"])
    db.session.expire_all()
    user = db.session.get(User, trainer.id)
    assert (user.name, user.timezone) == ("Renamed", "Europe/Paris")


def test_profile_save_shows_the_new_name_in_the_top_bar_at_once(http, trainer):
    login(http, trainer.email)
    body = save_profile(http, **{"pf-name": "Brand New Name", "pf-email": trainer.email})
    assert "Brand New Name" in json.dumps(body["nav-user"]["children"])


def test_profile_needs_the_current_password_to_change_it(http, trainer):
    login(http, trainer.email)
    body = save_profile(http, **{"pf-email": trainer.email, "pf-new-password": "another-long-secret-9"})
    assert "fb-invalid" in body["pf-current-password-field"]["className"]
    assert body["pf-current-password-error"]["children"] == "required to change your email or password"


def test_profile_needs_the_current_password_to_change_the_email(http, trainer):
    login(http, trainer.email)
    refused = save_profile(http, **{"pf-email": "new-login@example.com"})
    assert refused["pf-current-password-error"]["children"] == "required to change your email or password"

    saved = save_profile(http, **{"pf-email": "new-login@example.com", "pf-current-password": DEFAULT_PASSWORD})
    assert "We sent a link to new-login@example.com" in json.dumps(saved["pf-feedback"])
    db.session.expire_all()
    # The new address becomes the login only once its link is used.
    assert db.session.get(User, trainer.id).pending_email == "new-login@example.com"
    assert db.session.get(User, trainer.id).email == trainer.email


def test_profile_shows_a_weak_new_password_and_a_bad_timezone_next_to_the_field(http, trainer):
    login(http, trainer.email)
    weak = save_profile(
        http, **{"pf-email": trainer.email, "pf-current-password": DEFAULT_PASSWORD, "pf-new-password": "short"}
    )
    assert "fb-invalid" in weak["pf-new-password-field"]["className"]
    zone = save_profile(http, **{"pf-email": trainer.email, "pf-timezone": "Mars/Base"})
    assert "fb-invalid" in zone["pf-timezone-field"]["className"]


def test_profile_refuses_an_email_already_taken(http, trainer, other_trainer):
    login(http, trainer.email)
    body = save_profile(http, **{"pf-email": other_trainer.email, "pf-current-password": DEFAULT_PASSWORD})
    assert body["pf-email-error"]["children"] == "already registered"


def test_profile_shows_the_calendar_feed_address_and_makes_a_new_one(http, trainer):
    login(http, trainer.email)
    first = dispatch(http, "pf-feed-url.value", {"pf-feed-rotate.n_clicks": 0}, "pf-feed-rotate.n_clicks")
    url = first["pf-feed-url"]["value"]
    assert url.endswith(".ics") and "/calendar/" in url
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    assert http.get(path).status_code == 200
    again = dispatch(http, "pf-feed-url.value", {"pf-feed-rotate.n_clicks": 0}, "pf-feed-rotate.n_clicks")
    assert again["pf-feed-url"]["value"] == url
    rotated = dispatch(http, "pf-feed-url.value", {"pf-feed-rotate.n_clicks": 1}, "pf-feed-rotate.n_clicks")
    assert rotated["pf-feed-url"]["value"] != url
    assert_error(http.get(path), 404, message="No such calendar")  # the old address stopped working
