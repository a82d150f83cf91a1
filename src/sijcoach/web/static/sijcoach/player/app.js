/* On every page of a signed-in person: installs the service worker (the app shell and today's
   session offline), sends the finished sessions kept on the phone when the connection is back, and
   asks before signing out would delete one that is not sent yet. */

import { flush } from './outbox.js';
import { outbox } from './storage.js';

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

/* Signing out clears what the site keeps on this device (Clear-Site-Data), the outbox with it. */
document.querySelectorAll('form.signout').forEach((form) => form.addEventListener('submit', (ev) => {
  if (!person || !outbox().some((log) => String(log.person) === person)) return;
  const sure = window.confirm('A finished session is not saved yet: it is sent when you are online and signed in. '
    + 'Signing out now deletes it from this phone. Sign out anyway?');
  if (!sure) ev.preventDefault();
}));
