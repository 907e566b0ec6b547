// Writing on a bad connection. The story editor's form, as Wagtail's
// autosave would send it, is kept in this browser (localStorage) from each
// change until the server has it; when the connection drops the editor
// says so, and when it returns the autosave goes again. A reload without
// a connection finds the editor in the cache (offline-worker.js) and the
// kept draft here, sent as soon as the connection is back, then the
// editor reloads with it. Signing out clears both (Clear-Site-Data).
const hoituOfflineDrafts = (script) => {
  const form = document.querySelector('form[data-controller~="w-autosave"]');
  if (!script || !form || !window.localStorage) return;
  const words = script.dataset;
  // One key per person and story: a browser shared by two people (one of
  // them signed out by the idle timeout) never sends one's draft as the other's.
  const account = document.querySelector('meta[name="hoitu-account"]');
  if (!account || !account.content) return;
  const key = () => `hoitu-draft:${account.content}:${new URL(form.action, window.location.href).pathname}`;
  const pendingAtLoad = window.localStorage.getItem(key());

  const banner = document.createElement('div');
  banner.className = 'hoitu-offline';
  banner.setAttribute('role', 'status');
  banner.hidden = true;
  document.body.append(banner);
  const say = (text) => {
    banner.textContent = text;
    banner.hidden = !text;
  };

  // What the form holds now, files left out (an upload waits for the network).
  const entriesOf = (formData) => Array.from(formData).filter(([, value]) => typeof value === 'string');
  let changes = 0;
  let changesAtSave = -1;
  const keep = (formData) => {
    try {
      window.localStorage.setItem(key(), JSON.stringify({ at: Date.now(), entries: entriesOf(formData) }));
    } catch (error) {
      say(words.fullText); // the browser's storage is full or refused
    }
  };

  let keepSoon = null;
  const changed = () => {
    changes += 1;
    window.clearTimeout(keepSoon);
    keepSoon = window.setTimeout(() => keep(new FormData(form)), 300);
  };
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);

  document.addEventListener('w-autosave:save', (event) => {
    changesAtSave = changes;
    if (event.detail && event.detail.formData) keep(event.detail.formData);
  });
  document.addEventListener('w-autosave:success', () => {
    // Saved, unless the reporter typed on while it went.
    if (changes === changesAtSave) window.localStorage.removeItem(key());
    if (navigator.onLine) say('');
  });
  document.addEventListener('w-autosave:error', (event) => {
    if (event.detail && event.detail.type === 'network_error') say(words.offlineText);
  });

  const autosave = () => {
    const app = window.wagtail && window.wagtail.app;
    const controller = app && app.getControllerForElementAndIdentifier(form, 'w-autosave');
    if (controller) controller.save();
  };

  // A draft kept before this page was loaded (a reload without a
  // connection, or a tab closed while offline): sent as it was, with this
  // page's CSRF token, then the editor shows it.
  const sendKept = async () => {
    const kept = JSON.parse(window.localStorage.getItem(key()) || 'null');
    if (!kept) return;
    const body = new FormData();
    kept.entries.forEach(([name, value]) => body.append(name, value));
    const token = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (token) body.set('csrfmiddlewaretoken', token.value);
    say(words.sendingText);
    let answer = null;
    try {
      const response = await fetch(form.action, { method: 'POST', body, headers: { Accept: 'application/json' } });
      answer = await response.json();
    } catch (error) {
      say(words.keptText);
      return;
    }
    if (answer && answer.success) {
      window.localStorage.removeItem(key());
      window.location.reload();
    } else {
      say(`${words.refusedText} ${(answer && answer.error_message) || ''}`.trim());
      const drop = document.createElement('button');
      drop.type = 'button';
      drop.className = 'button button-small button-secondary';
      drop.textContent = words.dropLabel;
      drop.addEventListener('click', () => {
        window.localStorage.removeItem(key());
        say('');
      });
      banner.append(' ', drop);
    }
  };

  window.addEventListener('offline', () => say(words.offlineText));
  window.addEventListener('online', () => {
    if (pendingAtLoad) sendKept();
    else {
      say('');
      autosave();
    }
  });
  if (pendingAtLoad) {
    if (navigator.onLine) sendKept();
    else say(words.keptText);
  } else if (!navigator.onLine) {
    say(words.offlineText);
  }

  // The worker keeps the editor and its files as they load, for a reload
  // without a connection; it answers from them only then.
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register(words.workerUrl, { scope: words.workerScope }).catch(() => null);
  }
};
// Wagtail puts the editor's scripts before its form.
document.addEventListener('DOMContentLoaded', hoituOfflineDrafts.bind(null, document.currentScript));
