/* The end of a session: the form in the page (pain now, pain before, whether the joint went out, how
   hard each exercise was),
   then one log per routine, kept in the outbox first and sent from there, so a log made offline or
   while signed out waits on the phone and is saved once when it can be. */

import { add, clear, el, makeRadioGroup, plural, radioGroup, setText, show } from './dom.js';
import { flush } from './outbox.js';
import { enqueue } from './storage.js';

const EFFORTS = [{ value: 'easy', label: 'Easy' }, { value: 'ok', label: 'OK' }, { value: 'hard', label: 'Hard' }];

/* What an entry (an item and its record) reports. An exercise that hurt was attempted even if no
   set was done: sent as skipped, its pain would never reach the plan. */
function itemDone(e) {
  const it = e.item;
  const r = e.rec;
  const skipped = (r.skipped || !r.started) && r.pain === null;
  return {
    exercise: it.exercise, side: it.side, planned: { sets: it.sets, reps: it.reps, hold_s: it.hold_s },
    sets_done: skipped ? 0 : r.sets, reps_done: skipped ? 0 : (r.sets >= it.sets ? it.reps : r.reps),
    hold_s_done: skipped ? 0 : (r.holds > 0 ? it.hold_s : 0), pain: r.pain,
    effort: skipped || r.swapped_for ? null : (r.effort || 'ok'), skipped,
    swapped_from: r.swapped_from, swap_reason: r.swap_reason,
  };
}

/* One log per routine in which something was done (a routine left out entirely is not "done"). */
export function logsOf(entries, data, answers, key) {
  const logs = [];
  for (const routine of data.routines) {
    const mine = entries.filter((e) => e.routine === routine.index);
    if (!mine.some((e) => e.rec.started || e.rec.pain !== null)) continue;
    logs.push({
      person: data.person, key: `${key}-r${routine.index}`, url: data.save_url, title: routine.title,
      body: {
        date: data.date, routine_kind: routine.kind, routine_title: routine.title,
        pain_before: answers.painBefore, pain_after: answers.painAfter, joint_went_out: answers.jointOut,
        items: mine.map(itemDone),
      },
    });
  }
  return logs;
}

export class Summary {
  /* hooks: {entries() -> [...], key() -> string, painBefore() -> n|null, saved(), goBack()} */
  constructor(screen, data, hooks) {
    this.screen = screen;
    this.data = data;
    this.hooks = hooks;
    this.title = screen.querySelector('#pl-sum-title');
    this.lines = screen.querySelector('.pl-sum-lines');
    this.notice = screen.querySelector('.pl-sum-notice');
    this.errors = screen.querySelector('.pl-errsum');
    this.status = screen.querySelector('.pl-status');
    this.form = screen.querySelector('#pl-finish');
    this.efforts = screen.querySelector('.pl-efforts');
    this.submitBtn = this.form.querySelector('button[type=submit]');
    this.returnBtn = screen.querySelector('.pl-return');
    this.painNow = radioGroup(this.form.querySelector('fieldset.pl-pain-now'));
    this.painBefore = this.form.querySelector('select.pl-pain-before');
    this.jointOut = this.form.querySelector('input.pl-joint-out');
    this.returnBtn.addEventListener('click', () => hooks.goBack());
    this.form.addEventListener('submit', (ev) => this.submit(ev));
    this.posting = false;
  }

  fill(natural, message, canReturn = !natural) {
    const entries = this.hooks.entries();
    const done = entries.filter((e) => e.rec.started && !e.rec.skipped && !e.rec.swapped_for);
    const skipped = entries.filter((e) => (!e.rec.started || e.rec.skipped) && !e.rec.swapped_for);
    const swapped = entries.filter((e) => e.rec.swapped_for);
    setText(this.title, natural ? 'Session finished: well done' : 'Finish the session');
    setText(this.notice, message || '');
    show(this.notice, !!message);
    clear(this.lines);
    add(this.lines, el('p', { text: `You did ${plural(done.length, 'exercise', 'exercises')} of ${entries.length}.` }),
      swapped.length ? el('p', { text: `Swapped because it hurt: ${swapped.map((e) => e.item.name).join(', ')}.` }) : null,
      skipped.length ? el('p', { text: `Not done: ${skipped.map((e) => e.item.name).join(', ')}.` }) : null);
    const before = this.hooks.painBefore();
    this.painBefore.value = before === null ? '' : String(before);
    clear(this.efforts);
    this.groups = new Map();
    if (done.length) this.efforts.append(el('h3', { class: 'pl-h3', text: 'How hard was each exercise?' }));
    for (const e of done) {
      const g = makeRadioGroup(`${e.item.name}: how hard was it?`, EFFORTS, e.rec.effort || 'ok', (v) => { e.rec.effort = v; });
      this.groups.set(e, g);
      this.efforts.append(g.fieldset);
    }
    show(this.returnBtn, canReturn);
    this.clearErrors();
    this.title.focus();
  }

  clearErrors() {
    show(this.errors, false);
    clear(this.errors);
    this.painNow.error(null);
    setText(this.status, '');
    this.status.classList.remove('pl-status-error');
  }

  problems(list) {
    clear(this.errors);
    add(this.errors, el('p', { class: 'pl-errsum-title', text: list.length === 1 ? 'There is a problem' : `There are ${list.length} problems` }),
      el('ul', null, list.map((p) => el('li', { text: p }))));
    show(this.errors, true);
    this.errors.focus();
  }

  async submit(ev) {
    ev.preventDefault();
    if (this.posting) return;
    this.clearErrors();
    const after = this.painNow.get();
    if (after === null) {
      this.painNow.error('Choose a number from 0 to 10.');
      this.problems(['Pain now: choose a number from 0 to 10.']);
      return;
    }
    const answers = { painBefore: this.painBefore.value === '' ? null : Number(this.painBefore.value), painAfter: Number(after),
      jointOut: this.jointOut.checked }; // the flare plan starts today, not after the next morning's question
    const logs = logsOf(this.hooks.entries(), this.data, answers, this.hooks.key());
    if (!logs.length) {
      this.hooks.saved();
      window.location.assign(this.data.today_url);
      return;
    }
    enqueue(logs); // on the phone first: from here on the session cannot be lost
    this.hooks.saved();
    this.posting = true;
    this.submitBtn.disabled = true;
    setText(this.status, 'Saving…');
    const result = await flush(this.data.person, this.data.csrf_cookie);
    this.posting = false;
    this.submitBtn.disabled = false;
    if (result.status === 'sent') {
      setText(this.status, 'Saved. Opening your progress…');
      window.location.assign(this.data.progress_url);
      return;
    }
    this.status.classList.add('pl-status-error');
    if (result.status === 'refused') {
      const words = result.problems.flatMap((p) => p.detail.map((d) => `${p.log.title}: ${d.field ? `${String(d.field).replace(/_/g, ' ')}: ` : ''}${d.message || 'not accepted'}${d.allowed ? ` (allowed: ${d.allowed})` : ''}`));
      setText(this.status, 'Please check the answers, then press Save again.');
      this.problems(words.length ? words : ['The server did not accept this session.']);
      return;
    }
    this.submitBtn.hidden = true;
    const signin = result.status === 'signin';
    setText(this.status, signin
      ? 'Your session is kept on this phone. Sign in again and it is saved then, once.'
      : 'You are offline: your session is kept on this phone and saved once when the connection is back.');
    const link = signin ? `${this.data.signin_url}?next=${encodeURIComponent(this.data.today_url)}` : this.data.today_url;
    this.status.append(' ', el('a', { href: link, text: signin ? 'Sign in' : 'Back to today' }));
  }
}
