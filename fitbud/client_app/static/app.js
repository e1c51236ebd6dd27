/* Fitbud client app: small enhancements on top of pages that work without JavaScript. */
(function () {
  "use strict";

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  // htmx requests send the double-submit CSRF value from the cookie (always the newest token).
  document.addEventListener("htmx:configRequest", function (event) {
    var token = cookie("csrf_access_token");
    if (token) { event.detail.headers["X-CSRF-TOKEN"] = token; }
  });
  // A plain form posted after the login was renewed in another tab carries the newest value too.
  document.addEventListener("submit", function (event) {
    var field = event.target.querySelector("input[name=csrf_token][data-jwt-csrf]");
    var token = cookie("csrf_access_token");
    if (field && token) { field.value = token; }
  }, true);

  // A message that appeared after a submit (saved, or a form's errors) gets the focus, so it is read out.
  function focusMessage(root) {
    var message = (root || document).querySelector("[data-autofocus]");
    if (message) { message.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusMessage(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusMessage(event.detail.target.parentNode || document); });

  // Rest timer: ticking a set as done starts the exercise's rest; "Skip rest" ends it.
  var timer = null;
  function restTimer() {
    var box = document.getElementById("rest-timer");
    if (!box) { return null; }
    return { box: box, left: document.getElementById("rest-left"), status: document.getElementById("rest-status") };
  }
  function stopRest(announce) {
    var parts = restTimer();
    if (timer) { clearInterval(timer); timer = null; }
    if (parts) {
      parts.box.hidden = true;
      if (announce) { parts.status.textContent = "Rest over: next set."; }
    }
  }
  function startRest(seconds) {
    var parts = restTimer();
    if (!parts || !seconds) { return; }
    stopRest(false);
    var ends = Date.now() + seconds * 1000;
    function show() {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      parts.left.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) { stopRest(true); if (navigator.vibrate) { navigator.vibrate(200); } }
    }
    parts.status.textContent = "Rest " + seconds + " seconds.";
    parts.box.hidden = false;
    show();
    timer = setInterval(show, 250);
  }
  document.addEventListener("click", function (event) {
    if (event.target && event.target.id === "rest-skip") { stopRest(true); }
  });

  // The workout in progress survives a reload or a lost connection: kept in this browser until finished.
  function workoutForm() { return document.querySelector("[data-workout-form]"); }
  function save(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden") { return; }
      values[el.name] = el.type === "checkbox" ? el.checked : el.value;
    });
    try { localStorage.setItem(form.dataset.storageKey, JSON.stringify(values)); } catch (e) { /* private mode */ }
  }
  function restore(form) {
    if (form.querySelector("[aria-invalid=true]")) { return; }  // the server's answer wins
    var raw = null;
    try { raw = localStorage.getItem(form.dataset.storageKey); } catch (e) { return; }
    if (!raw) { return; }
    var values = JSON.parse(raw);
    Object.keys(values).forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (!el || el.type === "hidden") { return; }
      if (el.type === "checkbox") { el.checked = !!values[name]; } else { el.value = values[name]; }
    });
  }
  // While a workout is open, keep the login alive (the server renews a half-spent token).
  function keepAlive(url) {
    setInterval(function () {
      if (document.visibilityState === "visible") { fetch(url, { credentials: "same-origin" }); }
    }, 4 * 60 * 1000);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = workoutForm();
    if (!form) { return; }
    if (form.dataset.keepAlive) { keepAlive(form.dataset.keepAlive); }
    if (document.getElementById("done")) {
      try { localStorage.removeItem(form.dataset.storageKey); } catch (e) { /* ignore */ }
    } else {
      restore(form);
    }
    form.addEventListener("input", function () { save(form); });
    form.addEventListener("change", function (event) {
      save(form);
      var box = event.target;
      if (box.classList.contains("set-done") && box.checked) {
        var row = box.closest("[data-rest]");
        startRest(row ? parseInt(row.dataset.rest, 10) : 0);
      }
    });
  });
})();
