/* "This hurts": the dialog (in the page from the start) asks how much, 0-10, and asks the API what to
   do (POST /api/v1/me/pain). Without the network it answers itself: 6 or more stops the exercise and
   offers the alternative the server sent ahead with the session, or ends the session when another
   exercise already hurt 6 or more in it; less may go on gently. */

import { button, clear, el, radioGroup, setText, show } from './dom.js';
import { cookie } from './storage.js';

export const SWAP_PAIN = 6; // the engine's (engine/adaptation.py): stop the exercise
const SETTLE_PAIN = 4;

/* The answer without the server: the same thresholds as the engine's, in the player's own words.
   `hurtEarlier`: the names of the exercises that already hurt 6 or more in this session. */
export function answerOffline(item, pain, hurtEarlier = []) {
  if (pain < SETTLE_PAIN) {
    return { verdict: 'carry_on', message: `${pain}/10 is acceptable: carry on, and stop if it climbs.`, source: '' };
  }
  if (pain < SWAP_PAIN) {
    return { verdict: 'watch', source: '',
      message: `${pain}/10 is acceptable only if it settles by tomorrow morning. Go on gently; stop if it reaches 6.` };
  }
  if (hurtEarlier.length) {
    return { verdict: 'end', source: '', offline: true,
      message: `Stop the session here: ${item.name} hurt ${pain}/10, and ${hurtEarlier.join(' and ')} hurt 6/10 or more `
        + 'earlier in it. Rest rather than start another exercise, save the session, and tell a doctor or '
        + 'physiotherapist (or your coach) if the pain has not settled by tomorrow morning.' };
  }
  const ahead = item.instead || {};
  if (ahead.verdict === 'end') {  // the server's own answer ends the session (a fracture not yet ruled out)
    return { verdict: 'end', message: ahead.message, source: ahead.source || '', offline: true };
  }
  const repl = ahead.replacement && ahead.replacement.exercise ? ahead.replacement : null;
  const message = repl
    ? `Stop ${item.name}: ${pain}/10 is too much. ${repl.name} trains the same muscles: do it instead.`
    : `Stop ${item.name}: ${pain}/10 is too much. Leave it out today, and tell a doctor or physiotherapist `
      + '(or your coach) if it keeps happening.';
  return { verdict: repl ? 'swap' : 'stop', message, source: ahead.source || '', replacement: repl, offline: true };
}

export class HurtDialog {
  /* hooks: {current() -> {item, index}, excluded() -> [slugs], hurt() -> [{exercise, name}] (6+ earlier in
     this session), decided(index, pain, answer), resume(), skip()} */
  constructor(dialog, data, hooks) {
    this.dialog = dialog;
    this.data = data;
    this.hooks = hooks;
    this.busy = false;
    this.title = dialog.querySelector('.pl-dlg-title');
    this.ask = dialog.querySelector('.pl-dlg-ask');
    this.wait = dialog.querySelector('.pl-dlg-wait');
    this.result = dialog.querySelector('.pl-dlg-result');
    this.msg = dialog.querySelector('.pl-dlg-msg');
    this.src = dialog.querySelector('.pl-dlg-result .pl-source');
    this.btns = dialog.querySelector('.pl-dlg-result .pl-dlg-btns');
    this.group = radioGroup(this.ask.querySelector('fieldset'));
    this.ask.addEventListener('submit', (ev) => this.submit(ev));
    dialog.querySelector('.pl-dlg-cancel').addEventListener('click', () => {
      this.close();
      hooks.resume();
    });
    dialog.addEventListener('cancel', (ev) => {
      if (this.busy) {
        ev.preventDefault(); // wait for the answer
      } else if (!this.ask.hidden) { // Escape while asking is Cancel: the exercise goes on (it stayed paused)
        ev.preventDefault();
        this.close();
        hooks.resume();
      }
    });
    dialog.addEventListener('close', () => hooks.closed());
  }

  get open() {
    return this.dialog.open;
  }

  mode(which) {
    show(this.ask, which === 'ask');
    show(this.wait, which === 'wait');
    show(this.result, which === 'result');
  }

  show(index, name) {
    this.index = index;
    this.group.set(null);
    this.group.error(null);
    setText(this.title, `This hurts: ${name}`);
    this.mode('ask');
    if (!this.dialog.open) this.dialog.showModal();
    this.group.inputs[0].focus();
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  async submit(ev) {
    ev.preventDefault();
    if (this.busy) return;
    const v = this.group.get();
    if (v === null) {
      this.group.error('Choose a number from 0 to 10.');
      this.group.focus();
      return;
    }
    const pain = Number(v);
    const { item } = this.hooks.current();
    const hurt = this.hooks.hurt().filter((h) => h.exercise !== item.exercise);
    this.busy = true;
    this.mode('wait');
    setText(this.wait, 'Checking what to do…');
    this.wait.focus();
    let answer = null;
    try {
      const res = await fetch(this.data.pain_url, {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json',
          'X-CSRFToken': cookie(this.data.csrf_cookie) },
        body: JSON.stringify({ exercise: item.exercise, pain, excluded: this.hooks.excluded(),
          hurt: hurt.map((h) => h.exercise) }),
      });
      if (res.ok) answer = await res.json();
    } catch (_) {
      answer = null;
    }
    this.busy = false;
    if (!answer || typeof answer.verdict !== 'string') answer = answerOffline(item, pain, hurt.map((h) => h.name));
    if (answer.verdict === 'swap' && !(answer.replacement && answer.replacement.exercise)) answer.verdict = 'stop';
    this.hooks.decided(this.index, pain, answer);
  }

  /* carry on / watch: the advice, then Resume or Skip. */
  advise(pain, answer) {
    this.mode('result');
    clear(this.msg);
    this.msg.append(
      el('p', { class: 'pl-dlg-msg-title', text: answer.verdict === 'watch' ? `${pain}/10: go gently` : `${pain}/10: you can carry on` }),
      el('p', { text: answer.message }));
    setText(this.src, answer.source ? `Source: ${answer.source}` : '');
    clear(this.btns);
    const resume = button('Resume', 'pl-btn-primary', () => {
      this.close();
      this.hooks.resume();
    });
    this.btns.append(resume, button('Skip this exercise', 'pl-btn-secondary', () => {
      this.close();
      this.hooks.skip();
    }));
    resume.focus();
  }
}
