"""The client app without signal, in a real phone-sized browser with its service worker.

Offline is Playwright's offline mode plus aborting what the service worker itself fetches (its
requests are only visible to routes with PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS set when
the driver starts). Every flow is checked through the API: each entry made offline is stored
exactly once, however often the queue is replayed.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from fitbud.extensions import db
from fitbud.models import User
from tests.e2e.client_app_support import (
    PHONE,
    app_server,
    check_page,
    coached_client_with_a_workout_today,
    log_in,
)
from tests.factories import ClientFactory
from tests.helpers import bearer

pytestmark = pytest.mark.e2e
__all__ = ["app_server"]  # the fixture, imported so pytest finds it here


@pytest.fixture
def context(fresh_chromium):
    context = fresh_chromium.new_context(viewport=PHONE, has_touch=True, is_mobile=True, service_workers="allow")
    context.set_default_timeout(20_000)
    yield context
    context.close()


def _cut_service_worker(route) -> None:
    if route.request.service_worker:
        route.abort("internetdisconnected")
    else:
        route.continue_()


def go_offline(context) -> None:
    context.set_offline(True)
    context.route("**/*", _cut_service_worker)


def go_online(context) -> None:
    context.unroute("**/*", _cut_service_worker)
    context.set_offline(False)


def wait_until_controlled(page) -> None:
    """The service worker has installed (shell precached) and controls the page."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def waiting(page) -> list[str]:
    return page.locator("#offline-queue li").all_inner_texts()


def _tick_set(page, exercise: int, number: int, reps: str, load: str) -> None:
    prefix = f"#s-{exercise}-{number}"
    page.fill(f"{prefix}-reps", reps)
    page.fill(f"{prefix}-weight", load)
    page.click(f"label[for='s-{exercise}-{number}-done']")
    page.wait_for_selector("#rest-timer:not([hidden])")
    page.click("#rest-skip")
    page.wait_for_selector("#rest-timer", state="hidden")


def _client_login(client) -> User:
    return db.session.get(User, client.user_id)


def test_a_client_logs_a_workout_and_a_weight_offline_and_each_is_stored_once(app, app_server, context):
    _trainer, client, (squat, press) = coached_client_with_a_workout_today(name="Mia Offline")
    user = _client_login(client)
    page = context.new_page()
    log_in(page, app_server, user.email)
    wait_until_controlled(page)
    for path in ("/app/plan", "/app/progress", "/app/"):  # read once online: kept for offline
        page.goto(f"{app_server}{path}")
    page.get_by_role("heading", name="Squat and press").wait_for()

    go_offline(context)
    page.reload()
    page.get_by_role("heading", name="Squat and press").wait_for()
    assert "You are offline: this page is as it was on" in page.inner_text("#offline-banner")
    _tick_set(page, 0, 1, "5", "80")
    _tick_set(page, 0, 2, "4", "82.5")
    _tick_set(page, 1, 1, "8", "40")
    page.fill("#perceived_effort", "8")
    page.click("#finish-workout")
    page.wait_for_selector("#offline-queue li[data-queued='Workout']")
    assert "waiting to sync" in waiting(page)[0]

    page.goto(f"{app_server}/app/progress")
    page.get_by_role("heading", name="Log your weight").wait_for()
    page.fill("#weight-value", "71.8")
    page.click("#log-weight")
    page.wait_for_selector("#offline-queue li[data-queued='Weight']")
    check_page(page, "offline-progress-waiting")

    page.goto(f"{app_server}/app/")  # a reload of Today, still offline: the page and its queue
    page.get_by_role("heading", name="Squat and press").wait_for()
    assert [text.split(" ·")[0] for text in waiting(page)] == ["Workout", "Weight"]
    check_page(page, "offline-today-waiting")

    go_online(context)
    page.wait_for_selector("#offline-queue", state="hidden")
    assert "2 entries sent." in page.inner_text("#offline-queue-status")

    api = app.test_client()
    headers = bearer(user)
    (log,) = api.get("/api/v1/me/workout-logs", headers=headers).json
    sets = [(e["exercise_id"], s["reps"], s["weight"]) for e in log["exercises"] for s in e["sets"]]
    assert sets == [(squat.id, 5, 80.0), (squat.id, 4, 82.5), (press.id, 8, 40.0)]
    assert log["perceived_effort"] == 8
    weights = api.get("/api/v1/me/body-metrics", headers=headers, query_string={"metric": "weight"}).json
    assert [(w["value"], w["measured_on"]) for w in weights] == [(71.8, date.today().isoformat())]


def test_a_replay_whose_answer_was_lost_stores_nothing_twice(app, app_server, context):
    _trainer, client, _exercises = coached_client_with_a_workout_today()
    user = _client_login(client)
    page = context.new_page()
    log_in(page, app_server, user.email)
    wait_until_controlled(page)

    go_offline(context)
    page.fill("#meal_name", "Post-workout shake")
    page.fill("#kcal", "320")
    page.fill("#protein_g", "40")
    page.click("#log-meal")
    page.wait_for_selector("#offline-queue li[data-queued='Meal']")
    assert page.input_value("#meal_name") == ""  # the form is ready for the next meal

    # Back online, the first attempt reaches the server, which stores the meal, but its answer
    # never arrives (the connection drops): the entry stays and is sent again.
    attempts = []

    def drop_the_answer(route):
        attempts.append(route.request.post_data)
        if len(attempts) == 1:
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/app/meals", drop_the_answer)
    go_online(context)
    page.wait_for_function("() => navigator.onLine")
    for _attempt in range(3):  # the replay runs again and again (reconnects, app starts)
        page.evaluate("() => window.FitbudOffline.sync()")
    page.wait_for_selector("#offline-queue", state="hidden")
    assert len(attempts) >= 2 and len(set(attempts)) == 1  # the same post, with the same key

    meals = app.test_client().get("/api/v1/me/meal-logs", headers=bearer(user)).json
    assert [(m["meal_name"], m["kcal"]) for m in meals] == [("Post-workout shake", 320.0)]


def test_an_entry_the_server_refuses_waits_to_be_fixed_or_discarded(app, app_server, context):
    _trainer, client, _exercises = coached_client_with_a_workout_today()
    user = _client_login(client)
    page = context.new_page()
    log_in(page, app_server, user.email)
    wait_until_controlled(page)
    page.goto(f"{app_server}/app/progress")
    page.get_by_role("heading", name="Log your weight").wait_for()

    go_offline(context)
    page.fill("#weight-value", "7000")  # not a body weight: the server answers 422
    page.click("#log-weight")
    page.wait_for_selector("#offline-queue li[data-queued='Weight']")
    go_online(context)
    page.wait_for_selector("#offline-queue li.queued-refused")
    assert re.search(r"not sent: .*Weight", page.inner_text("#offline-queue li"))
    check_page(page, "offline-refused")

    page.click("#offline-queue [data-edit]")  # back into its form, to correct and send again
    page.wait_for_selector("#offline-queue", state="hidden")
    assert page.input_value("#weight-value") == "7000"
    page.fill("#weight-value", "70.5")
    page.click("#log-weight")
    page.wait_for_url(re.compile(r".*/app/progress\?logged=weight#weight$"))
    weights = app.test_client().get("/api/v1/me/body-metrics", headers=bearer(user)).json
    assert [w["value"] for w in weights] == [70.5]


def test_logging_out_empties_the_caches_and_another_client_sees_nothing_of_the_last(app, app_server, context):
    _trainer, client, _exercises = coached_client_with_a_workout_today(name="First Client")
    first = _client_login(client)
    second = db.session.get(User, ClientFactory(with_login=True, name="Second Client").user_id)
    page = context.new_page()
    log_in(page, app_server, first.email)
    wait_until_controlled(page)
    page.goto(f"{app_server}/app/plan")
    page.goto(f"{app_server}/app/")
    go_offline(context)
    page.fill("#meal_name", "Unsent lunch")
    page.fill("#kcal", "500")
    page.click("#log-meal")
    page.wait_for_selector("#offline-queue li[data-queued='Meal']")
    assert page.evaluate("() => caches.keys()")  # pages and shell kept on the phone
    go_online(context)
    page.wait_for_selector("#offline-queue", state="hidden")

    page.goto(f"{app_server}/app/profile")
    page.click("#log-out")
    page.wait_for_url(f"{app_server}/logout")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/login\?logged_out=1"))
    assert page.evaluate("() => caches.keys()") == []
    assert page.evaluate("() => navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0

    log_in(page, app_server, second.email)
    wait_until_controlled(page)
    assert waiting(page) == []
    go_offline(context)
    page.goto(f"{app_server}/app/plan")  # never opened by this client: nothing of the first one
    page.get_by_role("heading", name="You are offline").wait_for()
    assert "First Client" not in page.inner_text("body")


def test_a_new_login_on_the_same_phone_never_sees_the_last_clients_pages(app, app_server, context):
    _trainer, client, _exercises = coached_client_with_a_workout_today(name="Kept Apart")
    first = _client_login(client)
    second = db.session.get(User, ClientFactory(with_login=True, name="Next Person").user_id)
    page = context.new_page()
    log_in(page, app_server, first.email)
    wait_until_controlled(page)
    page.goto(f"{app_server}/app/plan")
    page.goto(f"{app_server}/app/")
    context.clear_cookies()  # the login ended without a logout (expired, or cleared by the browser)

    log_in(page, app_server, second.email)
    go_offline(context)
    page.goto(f"{app_server}/app/plan")
    page.get_by_role("heading", name="You are offline").wait_for()
    page.goto(f"{app_server}/app/")
    assert "Squat and press" not in page.inner_text("body") and "Kept Apart" not in page.inner_text("body")


QUEUE_SCENARIO = """async () => {
  const answers = {
    "/a": [{kind: "done"}],
    "/b": [{kind: "refused", status: 422, problem: "Weight: Must be between 20 and 400."}],
    "/c": [{kind: "later", status: 503}, {kind: "done"}],
    "/d": [{kind: "login"}, {kind: "done"}],
    "/e": [{kind: "refused", status: 409, problem: "Already logged."}],
  };
  const sent = [];
  const send = async (entry) => { sent.push(entry.action); return answers[entry.action].shift(); };
  const store = FitbudOffline.memoryStore();
  const mine = FitbudOffline.createQueue({store, send, userKey: "me"});
  const theirs = FitbudOffline.createQueue({store, send, userKey: "someone-else"});
  for (const action of ["/a", "/b", "/c", "/d", "/e"]) { await mine.add(action, action, [["x", "1"]]); }
  await theirs.add("/theirs", "theirs", []);
  const rounds = [];
  for (let round = 0; round < 3; round++) {
    const report = await mine.flush();
    rounds.push({report, left: (await mine.entries()).map((e) => [e.action, e.state, e.problem])});
  }
  return {sent, rounds, theirs: (await theirs.entries()).map((e) => e.action)};
}"""


def test_the_queue_sends_in_order_and_settles_each_answer(app_server, context):
    page = context.new_page()
    page.goto(f"{app_server}/app/offline")
    result = page.evaluate(QUEUE_SCENARIO)
    # Round 1: /a done, /b refused (kept, the rest go on), /c answered 503: stop, keep the order.
    # Round 2: /c done, /d says log in: stop. Round 3: /d done, /e refused.
    assert result["sent"] == ["/a", "/b", "/c", "/c", "/d", "/d", "/e"]
    first, second, third = result["rounds"]
    assert first["report"] == {"sent": 1, "refused": 1, "stopped": "later"}
    assert first["left"] == [
        ["/b", "refused", "Weight: Must be between 20 and 400."],
        ["/c", "waiting", ""],
        ["/d", "waiting", ""],
        ["/e", "waiting", ""],
    ]
    assert second["report"] == {"sent": 1, "refused": 0, "stopped": "login"}
    assert third["report"] == {"sent": 1, "refused": 1, "stopped": None}
    assert third["left"] == [
        ["/b", "refused", "Weight: Must be between 20 and 400."],
        ["/e", "refused", "Already logged."],
    ]
    assert result["theirs"] == ["/theirs"]  # another user's entries are never sent or shown


CLASSIFY_SCENARIO = """async () => {
  const answer = (status, url, redirected, body) => {
    const response = new Response(body || "", {status});
    Object.defineProperty(response, "url", {value: url});
    Object.defineProperty(response, "redirected", {value: redirected});
    return FitbudOffline.classify(response);
  };
  const page = '<div class="alert alert-error">Please correct the fields marked below.</div>' +
    '<div class="field"><label for="w">Weight</label><p class="field-error">Must be between 20 and 400.</p></div>';
  return {
    saved: await answer(200, location.origin + "/app/progress?logged=weight", true),
    login: await answer(200, location.origin + "/login?next=/app/", true),
    unauthorised: await answer(401, location.origin + "/app/meals", false),
    invalid: await answer(422, location.origin + "/app/progress/metrics", false, page),
    conflict: await answer(409, location.origin + "/app/meals", false, "<p class='alert-error'>Used already.</p>"),
    busy: await answer(503, location.origin + "/app/meals", false),
    limited: await answer(429, location.origin + "/app/meals", false),
  };
}"""


def test_the_servers_answers_are_read_as_done_refused_login_or_later(app_server, context):
    page = context.new_page()
    page.goto(f"{app_server}/app/offline")
    result = page.evaluate(CLASSIFY_SCENARIO)
    assert result["saved"] == {"kind": "done"}
    assert result["login"] == {"kind": "login"} and result["unauthorised"] == {"kind": "login"}
    assert result["invalid"] == {
        "kind": "refused",
        "status": 422,
        "problem": "Please correct the fields marked below. Weight: Must be between 20 and 400.",
    }
    assert result["conflict"] == {"kind": "refused", "status": 409, "problem": "Used already."}
    assert result["busy"] == {"kind": "later", "status": 503} and result["limited"] == {"kind": "later", "status": 429}
