/* Fitbud client app offline: registers the service worker, keeps the writes made without a
 * connection in a queue (IndexedDB) and sends them, in the order they were made, once it is back.
 *
 * A queued entry is a form post as it was made: its action, its fields (with the Idempotency-Key
 * the form was rendered with) and whose it is (the page's data-user-key). Sending it again is
 * safe: the server stores one result per key and answers a replay with it. How the answer settles
 * an entry (classify):
 *   - success (the form's redirect to its page): the entry is removed;
 *   - 400/403/404/409/422: the server refused it; the entry stays with the reason until the
 *     client fixes it (Edit puts it back in its form) or discards it; the next entries go on;
 *   - the login page (the login ended): sending stops, the page asks the client to log in; the
 *     queue goes on when the app next opens logged in;
 *   - no answer, 429 or 5xx: sending stops and is tried again later, the order kept.
 */
(function () {
  "use strict";

  const DB_NAME = "fitbud-offline";
  const STORE = "queue";
  const LOGIN_PATH = "/login";
  const RETRY_SECONDS = 30;
  const REFUSED = new Set([400, 403, 404, 409, 422]);

  // ---- storage: IndexedDB in the app; tests give a memory store with the same methods ----

  function indexedDbStore() {
    let opening = null;
    function open() {
      if (!opening) {
        opening = new Promise((resolve, reject) => {
          const request = indexedDB.open(DB_NAME, 1);
          request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      }
      return opening;
    }
    function run(mode, work) {
      return open().then((db) => new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const request = work(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(request.result);
        tx.onerror = () => reject(tx.error);
      }));
    }
    return {
      add: (entry) => run("readwrite", (store) => store.add(entry)),
      all: () => run("readonly", (store) => store.getAll()),
      put: (entry) => run("readwrite", (store) => store.put(entry)),
      remove: (id) => run("readwrite", (store) => store.delete(id)),
      clear: () => run("readwrite", (store) => store.clear()),
    };
  }

  function memoryStore() {
    let rows = [];
    let next = 1;
    const copy = (row) => JSON.parse(JSON.stringify(row));
    return {
      add: (entry) => { const row = Object.assign(copy(entry), { id: next++ }); rows.push(row); return Promise.resolve(row.id); },
      all: () => Promise.resolve(rows.map(copy)),
      put: (entry) => { rows = rows.map((row) => (row.id === entry.id ? copy(entry) : row)); return Promise.resolve(entry.id); },
      remove: (id) => { rows = rows.filter((row) => row.id !== id); return Promise.resolve(); },
      clear: () => { rows = []; return Promise.resolve(); },
    };
  }

  // ---- the queue ----

  // What the server's answer to a replayed form post means for the entry.
  async function classify(response) {
    const path = new URL(response.url || "/", location.href).pathname;
    if (response.status === 401 || (response.redirected && path === LOGIN_PATH)) { return { kind: "login" }; }
    if (response.ok) { return { kind: "done" }; }
    if (REFUSED.has(response.status)) {
      return { kind: "refused", status: response.status, problem: await problemIn(response) };
    }
    return { kind: "later", status: response.status };
  }

  // The form's own messages from the page the server answered with.
  async function problemIn(response) {
    let doc = null;
    try { doc = new DOMParser().parseFromString(await response.text(), "text/html"); } catch (error) { doc = null; }
    const messages = [];
    if (doc) {
      doc.querySelectorAll(".alert-error, .field-error, .error-message").forEach((node) => {
        const field = node.closest(".field");
        const label = field && field.querySelector("label");
        const text = node.textContent.trim();
        if (text) { messages.push(label && node.classList.contains("field-error") ? label.textContent.trim() + ": " + text : text); }
      });
    }
    return messages.join(" ") || "The server refused this (" + response.status + ").";
  }

  function cookie(name) {
    const match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  // Post an entry as its form would, with the login's current CSRF value.
  async function postForm(entry) {
    const body = new URLSearchParams();
    const csrf = cookie("csrf_access_token");
    entry.fields.forEach(([name, value]) => body.append(name, name === "csrf_token" && csrf ? csrf : value));
    const response = await fetch(entry.action, { method: "POST", body: body, credentials: "same-origin" });
    return classify(response);
  }

  function createQueue(options) {
    const store = options.store;
    const send = options.send || postForm;
    const userKey = options.userKey;
    let running = null;

    async function entries() {
      return (await store.all()).filter((entry) => entry.userKey === userKey).sort((a, b) => a.id - b.id);
    }

    function add(action, label, fields) {
      return store.add({
        userKey: userKey, action: action, label: label, fields: fields,
        createdAt: new Date().toISOString(), state: "waiting", problem: "",
      });
    }

    async function sendWaiting() {
      const report = { sent: 0, refused: 0, stopped: null };
      for (const entry of await entries()) {
        if (entry.state !== "waiting") { continue; }
        let outcome;
        try {
          outcome = await send(entry);
        } catch (noConnection) {
          report.stopped = "offline";
          break;
        }
        if (outcome.kind === "done") {
          await store.remove(entry.id);
          report.sent += 1;
        } else if (outcome.kind === "refused") {
          entry.state = "refused";
          entry.status = outcome.status;
          entry.problem = outcome.problem;
          await store.put(entry);
          report.refused += 1;
        } else {
          report.stopped = outcome.kind;  // "login" or "later": keep the order, stop here
          break;
        }
      }
      return report;
    }

    // One replay at a time, across tabs too where the browser has Web Locks.
    function flush() {
      if (!running) {
        const work = navigator.locks ? navigator.locks.request("fitbud-offline-queue", sendWaiting) : sendWaiting();
        running = Promise.resolve(work).finally(() => { running = null; });
      }
      return running;
    }

    return {
      add: add,
      entries: entries,
      flush: flush,
      discard: (id) => store.remove(id),
      clear: () => store.clear(),
    };
  }

  window.FitbudOffline = { createQueue: createQueue, memoryStore: memoryStore, classify: classify };

  // ---- the page ----

  const root = document.documentElement;
  const userKey = root.dataset.userKey;
  if (!userKey) { return; }  // logged-out pages: nothing to queue or send

  if ("serviceWorker" in navigator && root.dataset.worker) {
    navigator.serviceWorker.register(root.dataset.worker, { scope: root.dataset.workerScope }).catch(() => {});
  }

  const queue = createQueue({ store: indexedDbStore(), userKey: userKey });
  let retryTimer = null;
  let unsent = 0;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach((key) => node.setAttribute(key, attrs[key]));
    if (text) { node.textContent = text; }
    return node;
  }

  function timeOf(iso) {
    return new Date(iso).toLocaleString([], { weekday: "short", hour: "2-digit", minute: "2-digit" });
  }

  function formFor(action) {
    return Array.from(document.querySelectorAll("form[data-offline]")).find((form) => new URL(form.action).pathname === action);
  }

  function say(text) {
    const status = document.getElementById("offline-queue-status");
    if (status) { status.textContent = text; }
  }

  async function render() {
    const box = document.getElementById("offline-queue");
    if (!box) { return; }
    const list = box.querySelector("ul");
    const entries = await queue.entries();
    list.replaceChildren();
    entries.forEach((entry) => {
      const item = el("li", { "class": "queued queued-" + entry.state, "data-queued": entry.label });
      item.append(el("strong", {}, entry.label), document.createTextNode(" · " + timeOf(entry.createdAt) + " · "));
      if (entry.state === "waiting") {
        item.append(el("span", { "class": "queued-state" }, "waiting to sync"));
      } else {
        item.append(el("span", { "class": "queued-state" }, "not sent: " + entry.problem));
        const actions = el("span", { "class": "button-row" });
        if (formFor(entry.action)) {
          const edit = el("button", { type: "button", "class": "button", "data-edit": entry.id }, "Edit");
          actions.append(edit);
        }
        actions.append(el("button", { type: "button", "class": "button", "data-discard": entry.id }, "Discard"));
        item.append(actions);
      }
      list.append(item);
    });
    box.hidden = entries.length === 0;
    unsent = entries.length;
  }

  function showOfflineState() {
    const banner = document.getElementById("offline-banner");
    if (!banner) { return; }
    const fromCache = root.dataset.source === "cache";
    if (fromCache || !navigator.onLine) {
      banner.textContent = (fromCache ? "You are offline: this page is as it was on " + timeOf(root.dataset.renderedAt) + ". " : "You are offline. ")
        + "What you log is kept on this phone and sent when you are back online.";
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  async function sync() {
    if (!navigator.onLine) { return; }
    const report = await queue.flush();
    if (report.stopped === "login") {
      say("Log in again to send what is waiting: it is kept on this phone until then.");
      const box = document.getElementById("offline-queue");
      if (box && !box.querySelector("[data-login]")) {
        box.append(el("a", { href: LOGIN_PATH + "?next=" + encodeURIComponent(location.pathname), "class": "button", "data-login": "" }, "Log in"));
      }
    } else if (report.stopped) {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(sync, RETRY_SECONDS * 1000);
    } else if (report.sent) {
      say(report.sent + (report.sent === 1 ? " entry" : " entries") + " sent.");
    }
    if (report.refused) { say("The server refused " + report.refused + ": see below."); }
    await render();
  }

  // Take the form's post into the queue, and make the form ready for the next one.
  async function keep(form) {
    const fields = Array.from(new FormData(form).entries()).filter((pair) => typeof pair[1] === "string");
    await queue.add(new URL(form.action).pathname, form.dataset.offline, fields);
    if (form.dataset.storageKey) {
      try { localStorage.removeItem(form.dataset.storageKey); } catch (error) { /* private mode */ }
    }
    const key = form.elements.namedItem("idempotency_key");
    form.reset();
    if (key) { key.value = crypto.randomUUID(); }
    say(form.dataset.offline + " kept on this phone: it is sent when you are back online.");
    await render();
  }

  // Offline, a queued form is kept instead of posted (before htmx or the browser sees the submit).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form[data-offline]") || navigator.onLine) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    keep(form);
  }, true);
  // An htmx post that got no answer (the connection dropped on the way) is kept too.
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt && event.detail.elt.closest("form[data-offline]");
    if (form) { keep(form); }
  });

  document.addEventListener("click", async (event) => {
    const target = event.target;
    if (target.matches("[data-discard]")) {
      await queue.discard(Number(target.dataset.discard));
      say("Discarded.");
      await render();
    } else if (target.matches("[data-edit]")) {
      const id = Number(target.dataset.edit);
      const entry = (await queue.entries()).find((row) => row.id === id);
      const form = entry && formFor(entry.action);
      if (!form) { return; }
      entry.fields.forEach(([name, value]) => {
        const input = form.elements.namedItem(name);
        if (!input || name === "csrf_token") { return; }
        if (input.type === "checkbox") { input.checked = true; } else { input.value = value; }
      });
      await queue.discard(id);
      await render();
      form.scrollIntoView();
      const first = form.querySelector("input:not([type=hidden]), textarea, select");
      if (first) { first.focus(); }
      say("Back in the form: correct it and send it again.");
    }
  });
  // Logging out forgets this phone's copy; what has not been sent would be lost: ask first.
  document.addEventListener("click", (event) => {
    if (!event.target.closest("a[data-logout]") || !unsent) { return; }
    const question = unsent + (unsent === 1 ? " entry has" : " entries have") + " not been sent yet and will be lost. Log out anyway?";
    if (!window.confirm(question)) { event.preventDefault(); }
  });

  window.addEventListener("online", () => { showOfflineState(); sync(); });
  window.addEventListener("offline", showOfflineState);
  document.addEventListener("DOMContentLoaded", () => {
    showOfflineState();
    render().then(sync);
  });
  window.FitbudOffline.queue = queue;
  window.FitbudOffline.sync = sync;
})();
