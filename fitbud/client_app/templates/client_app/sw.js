/* Fitbud's service worker (served at /app/sw.js by fitbud/client_app/offline.py).
 *
 * - install: precache the app shell (fingerprinted static files and the offline page), versioned;
 * - activate: drop the caches of other versions;
 * - app pages: network first; the last good copy of the pages in CONFIG.pages is kept and shown
 *   when the network fails, marked as coming from the cache (the page then says how old it is);
 * - static files: from the shell cache (their URLs change when their bytes do);
 * - a form post to one of CONFIG.forms that cannot reach the server is put in the offline queue
 *   (the IndexedDB store shared with static/offline.js) and the client is sent back to the page;
 * - a page of another user empties the page cache: nobody is shown someone else's data.
 */
"use strict";

const CONFIG = {{ config }};
const SHELL_CACHE = "fitbud-shell-" + CONFIG.version;
const PAGE_CACHE = "fitbud-pages-" + CONFIG.version;
const META_CACHE = "fitbud-meta";
const USER_KEY_URL = "/app/__offline-user-key";
const DB_NAME = "fitbud-offline";
const STORE = "queue";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(CONFIG.shell))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  const keep = new Set([SHELL_CACHE, PAGE_CACHE, META_CACHE]);
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("fitbud-") && !keep.has(name))
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && request.mode === "navigate" && url.pathname in CONFIG.forms) {
    event.respondWith(postOrQueue(request, url));
    return;
  }
  if (request.method !== "GET") { return; }
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (CONFIG.shell.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

async function page(request, url) {
  try {
    const response = await fetch(request);
    await remember(url, response);
    return response;
  } catch (offline) {
    const cached = await caches.open(PAGE_CACHE).then((cache) => cache.match(url.pathname));
    if (cached) { return markCached(cached); }
    const fallback = await caches.match(CONFIG.offline);
    return fallback || Response.error();
  }
}

// Keep a copy of a kept page, unless it belongs to someone else than the pages already kept.
async function remember(url, response) {
  const key = response.headers.get(CONFIG.userKeyHeader);
  if (!key) { return; }
  const known = await currentUserKey();
  if (known !== key) {
    await caches.delete(PAGE_CACHE);
    await setCurrentUserKey(key);
  }
  if (response.ok && !response.redirected && CONFIG.pages.includes(url.pathname) && !url.search) {
    const cache = await caches.open(PAGE_CACHE);
    await cache.put(url.pathname, response.clone());
  }
}

// The copy says it came from this phone, not from the server (offline.js shows its age).
async function markCached(response) {
  const html = (await response.text()).replace('data-source="network"', 'data-source="cache"');
  return new Response(html, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function postOrQueue(request, url) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (offline) {
    const userKey = await currentUserKey();
    const form = await copy.formData();
    if (!userKey) { return Response.error(); }
    await enqueue({
      userKey: userKey,
      action: url.pathname,
      label: CONFIG.forms[url.pathname],
      fields: Array.from(form.entries()).filter((pair) => typeof pair[1] === "string"),
      createdAt: new Date().toISOString(),
      state: "waiting",
      problem: "",
    });
    const back = new URL(request.referrer || "/app/", self.location.origin);
    back.searchParams.set("queued", "1");
    return Response.redirect(back.pathname + back.search, 303);
  }
}

async function currentUserKey() {
  const hit = await caches.open(META_CACHE).then((cache) => cache.match(USER_KEY_URL));
  return hit ? hit.text() : null;
}

async function setCurrentUserKey(key) {
  const cache = await caches.open(META_CACHE);
  await cache.put(USER_KEY_URL, new Response(key));
}

function enqueue(entry) {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const tx = opening.result.transaction(STORE, "readwrite");
      tx.objectStore(STORE).add(entry);
      tx.oncomplete = () => { opening.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  });
}
