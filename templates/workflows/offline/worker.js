// The story editor when the connection drops (workflows/static/workflows/
// offline-drafts.js keeps the draft): each editor page and the files it
// loads are copied into the cache as they pass, so that a reload without a
// connection shows the editor and its kept draft instead of the browser's
// "no connection" page. Online, every request goes to the network first.
const CACHE = '{{ cache_name }}';
const STATIC_URL = '{{ static_url }}';
// The other admin files an editor page loads (Wagtail's script strings).
const EDITOR_FILES = ['/admin/jsi18n/'];

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) =>
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('hoitu-editor-') && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  ),
);

const kept = (request, url) =>
  request.mode === 'navigate' ||
  url.pathname.startsWith(STATIC_URL) ||
  EDITOR_FILES.includes(url.pathname);

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || !kept(request, url)) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      })
      .catch(async (error) => {
        const cache = await caches.open(CACHE);
        const found = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
        if (found) return found;
        throw error;
      }),
  );
});
