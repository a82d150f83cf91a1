/* On every page of a signed-in person: installs the service worker (the app shell and today's
   session offline), sends the finished sessions kept on the phone when the connection is back, and
   asks before signing out would delete one not sent yet, or a session finished but not saved. */

import { flush } from './outbox.js';
import { anyProgress, outbox } from './storage.js';

const person = document.body.dataset.person;

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => { /* the app works without it */ });
}

function notice(text, link) {
  let box = document.getElementById('outbox-notice');
  if (!box) {
    box = document.createElement('p');
    box.id = 'outbox-notice';
    box.className = 'notice';
    box.setAttribute('role', 'status');
    const main = document.getElementById('main');
    if (main) main.prepend(box);
  }
  box.textContent = text;
  if (link) {
    const a = document.createElement('a');
    a.href = link.href;
    a.textContent = link.text;
    box.append(' ', a);
  }
}

async function send() {
  if (!person || !outbox().some((log) => String(log.person) === person)) return;
  const result = await flush(person);
  if (result.sent && result.status === 'sent') notice(`Your finished session was saved (${result.sent} log${result.sent === 1 ? '' : 's'}).`);
  else if (result.status === 'signin') notice('A finished session is kept on this phone: sign in again to save it.', { href: '/signin/', text: 'Sign in' });
  else if (result.status === 'offline') notice('A finished session is kept on this phone and will be saved when the connection is back.');
}

if (person) send();
window.addEventListener('online', send);

/* What signing out would delete from this phone, in words, or null: Clear-Site-Data clears what the
   site keeps on the device, the outbox and a session in progress with it. */
function wouldLose() {
  if (!person) return null;
  if (outbox().some((log) => String(log.person) === person)) {
    return 'A finished session is not saved yet: it is sent when you are online and signed in.';
  }
  const kept = anyProgress();
  if (kept && String(kept.scope).startsWith(`${person}:`)) {
    // A walk-through's find: a session finished but not saved (its summary still open) went silently.
    return kept.screen === 'summary'
      ? 'You finished a session but have not saved it: open it again and press "Save and finish".'
      : 'A session in progress is kept on this phone, so you can carry on where you were.';
  }
  return null;
}

document.querySelectorAll('form.signout').forEach((form) => form.addEventListener('submit', (ev) => {
  const lost = wouldLose();
  if (lost === null) return;
  if (!window.confirm(`${lost} Signing out now deletes it from this phone. Sign out anyway?`)) ev.preventDefault();
}));
