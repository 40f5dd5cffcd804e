// The service worker of 网格通: keeps the app shell on the phone so that /m/ opens offline.
// API answers are not cached here (the app keeps its own copies in IndexedDB, per account).
// Bump VERSION whenever a file of the shell changes.
const VERSION = 'wangge-m-v4';
const SHELL = [
  '/m/',
  '/m/app.css',
  '/m/house.css',
  '/m/manifest.webmanifest',
  '/m/icons/icon.svg',
  '/m/icons/icon-192.png',
  '/m/icons/icon-512.png',
  '/m/js/app.js',
  '/m/js/api.js',
  '/m/js/db.js',
  '/m/js/dom.js',
  '/lib/dom.js',
  '/m/js/format.js',
  '/m/js/outbox.js',
  '/m/js/today.js',
  '/m/js/report.js',
  '/m/js/photos.js',
  '/m/js/position.js',
  '/m/js/mine.js',
  '/m/js/event.js',
  '/m/js/house.js',
  '/m/js/person.js',
  '/m/js/sync.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: 'reload' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('wangge-m-') && name !== VERSION) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// A new version waits until the app asks for it (the 有新版本 chip), so that a page never mixes two versions.
self.addEventListener('message', (event) => {
  if (event.data === 'skipWaiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !(url.pathname.startsWith('/m/') || url.pathname.startsWith('/lib/')) || url.pathname === '/m/sw.js') return;
  // The shell from the phone; anything else under /m/ from the network (kept for next time).
  const key = request.mode === 'navigate' ? '/m/' : request;
  event.respondWith((async () => {
    const cache = await caches.open(VERSION);
    const hit = await cache.match(key, { ignoreSearch: true });
    if (hit) return hit;
    const response = await fetch(request);
    if (response.ok && request.mode !== 'navigate') cache.put(request, response.clone());
    return response;
  })());
});
