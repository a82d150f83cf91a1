/* SI Joint Coach service worker (served at /sw.js, scope /). It keeps:
   - the app shell (styles, the player's modules, the icon), cached on install;
   - today's session only: the last session page opened (/session/...) and the drawings it asked for.
   Nothing else a signed-in person sees is cached: every other page goes to the network (without it,
   a short page says so and links to today's session when one is kept). Signing out
   clears all of it (the server sends Clear-Site-Data). */
const SHELL_CACHE = 'sij-shell-{{ version }}';
const TODAY_CACHE = 'sij-today';
const SHELL = {{ shell|safe }};

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('sij-shell-') && k !== SHELL_CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

const isSession = (url) => /^\/session\/(today|\d+)\/$/.test(url.pathname);
const isPicture = (url) => url.pathname.startsWith('/pictures/');
const today = () => new Date().toISOString().slice(0, 10);

/* A session page fetched now replaces the one kept before (and its day's drawings, from another day). */
async function keepSession(request, response) {
  const cache = await caches.open(TODAY_CACHE);
  const kept = await cache.keys();
  const day = today();
  await Promise.all(kept.filter((r) => isSession(new URL(r.url)) || r.headers.get('x-sij-day') !== day)
    .map((r) => cache.delete(r)));
  await cache.put(new Request(request.url, { headers: { 'x-sij-day': day } }), response);
}

async function keepPicture(request, response) {
  const cache = await caches.open(TODAY_CACHE);
  await cache.put(new Request(request.url, { headers: { 'x-sij-day': today() } }), response);
}

async function sessionPage(request) {
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) await keepSession(request, response.clone());
    return response;
  } catch (err) {
    const kept = await caches.match(request.url, { cacheName: TODAY_CACHE });
    if (kept) return kept;
    throw err;
  }
}

async function picture(request) {
  const kept = await caches.match(request.url, { cacheName: TODAY_CACHE });
  if (kept) return kept;
  const response = await fetch(request);
  // Only the session player's drawings are kept (it fetches them; a page's <img> does not).
  if (response.ok && request.destination === '') await keepPicture(request, response.clone());
  return response;
}

/* Any other page without the connection: say so, and point to today's session if one is kept. */
async function offline() {
  const cache = await caches.open(TODAY_CACHE);
  const kept = (await cache.keys()).map((r) => new URL(r.url)).find(isSession);
  const link = kept ? `<p><a class="button" href="${kept.pathname}">Carry on with today's session</a>: it is kept on this phone.</p>` : '';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline · SI Joint Coach</title>
<link rel="stylesheet" href="${SHELL[0]}"></head><body><main id="main"><h1>You are offline</h1>
<p>This page needs the connection; try again when you are back online.</p>${link}</main></body></html>`;
  return new Response(html, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

async function page(request) {
  try {
    return await fetch(request);
  } catch (err) {
    return offline();
  }
}

async function shell(request) {
  const kept = await caches.match(request.url, { cacheName: SHELL_CACHE });
  return kept || fetch(request);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') event.respondWith(isSession(url) ? sessionPage(request) : page(request));
  else if (isPicture(url)) event.respondWith(picture(request));
  else if (SHELL.includes(url.pathname)) event.respondWith(shell(request));
});
