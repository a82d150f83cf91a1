/* What the player keeps on the phone (localStorage): the session in progress, so a reload, Back or a
   discarded tab carries on where it was, and the finished logs not yet sent (the outbox), each with
   the idempotency key made when its session started, so the server saves each once. */

const PROGRESS = 'sijcoach.player.progress';
const OUTBOX = 'sijcoach.outbox';

function read(key, dflt) {
  try {
    const v = JSON.parse(window.localStorage.getItem(key));
    return v === null ? dflt : v;
  } catch (_) {
    return dflt;
  }
}

function write(key, value) {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch (_) {
    return false;
  }
}

export function newKey() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/* The session in progress for `scope` (a person, a day and which session), or null. */
export function loadProgress(scope) {
  const saved = read(PROGRESS, null);
  return saved && saved.scope === scope ? saved : null;
}

/* The session in progress kept on this phone, whoever's and whichever it is, or null. */
export function anyProgress() {
  return read(PROGRESS, null);
}

export function saveProgress(progress) {
  return write(PROGRESS, progress);
}

export function clearProgress(scope) {
  const saved = read(PROGRESS, null);
  if (!saved || saved.scope === scope) write(PROGRESS, null);
}

export function outbox() {
  const list = read(OUTBOX, []);
  return Array.isArray(list) ? list : [];
}

/* Adds logs ({person, key, url, body}) to the outbox; a key already there is not added twice. */
export function enqueue(logs) {
  const list = outbox();
  for (const log of logs) if (!list.some((x) => x.key === log.key)) list.push(log);
  return write(OUTBOX, list);
}

export function dequeue(key) {
  write(OUTBOX, outbox().filter((x) => x.key !== key));
}

export function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return '';
}
