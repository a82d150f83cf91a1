/* Sending the finished logs kept on the phone. Each is posted to the API with its idempotency key, so
   sending again after a lost answer saves nothing twice; the CSRF token is read from its cookie at
   the moment of sending, so a token that changed while the log waited is no obstacle. A log waits
   (and is never dropped) while the network is down or the person is signed out; only logs of the
   person signed in now are sent. */

import { cookie, dequeue, outbox } from './storage.js';

/* -> {sent: n, waiting: n, status: 'sent' | 'offline' | 'signin' | 'refused', problems: [...]} */
export async function flush(person, csrfCookie = 'csrftoken') {
  const mine = outbox().filter((log) => String(log.person) === String(person));
  const result = { sent: 0, waiting: mine.length, status: 'sent', problems: [] };
  for (const log of mine) {
    let res;
    try {
      res = await fetch(log.url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'Content-Type': 'application/json', Accept: 'application/json',
          'Idempotency-Key': log.key, 'X-CSRFToken': cookie(csrfCookie),
        },
        body: JSON.stringify(log.body),
      });
    } catch (_) {
      result.status = 'offline';
      return result;
    }
    if (res.status === 200 || res.status === 201) {
      dequeue(log.key);
      result.sent += 1;
      result.waiting -= 1;
    } else if (res.status === 401 || res.status === 403) {
      result.status = 'signin';
      return result;
    } else if (res.status === 422) {
      // The server will never take this log as it is: it is given back to the player's form.
      dequeue(log.key);
      result.waiting -= 1;
      result.status = 'refused';
      let body = null;
      try {
        body = await res.json();
      } catch (_) { /* no details */ }
      result.problems.push({ log, detail: body && Array.isArray(body.detail) ? body.detail : [] });
    } else {
      result.status = 'offline'; // the server is there but not answering (503 during an outage)
      return result;
    }
  }
  return result;
}
