/* SI Joint Coach: the guided session player (wiring). The page holds every screen (start, the
   exercise, the end-of-session form, the "This hurts" dialog) and the session's data
   (script#session-data: each item with its dose in the pages' words and the drawings' addresses);
   this module runs the timer through them. Its progress is kept on the phone as it goes, so a reload
   carries on; the state is shown on #player's data attributes and in the session list, for people
   and tests alike. */

import { clear, clockText, el, focusEl, isVisible, radioGroup, setText, show } from './dom.js';
import { Sound, Voice, Wake, cueWords, wireSwitches } from './cues.js';
import { Clock, PHASE_LABEL, SIDE_LABEL, buildPhases, sidesOf } from './timer.js';
import { PictureBox, pictureFrame, prefetch } from './pictures.js';
import { clearProgress, loadProgress, newKey, saveProgress } from './storage.js';
import { HurtDialog, SWAP_PAIN } from './hurt.js';
import { Summary } from './finish.js';

const root = document.getElementById('player');
const data = JSON.parse(document.getElementById('session-data').textContent);
const $ = (sel) => root.querySelector(sel);

const freshRec = () => ({ started: false, done: false, skipped: false, sets: 0, reps: 0, holds: 0, pain: null,
  effort: 'ok', swapped_for: null, swapped_from: null, swap_reason: null, blocked: false });
const entryOf = (item, routine) => ({ item, rec: freshRec(), routine: routine.index, kind: routine.kind, routineTitle: routine.title });

let entries = data.routines.flatMap((r) => r.items.map((item) => entryOf(item, r)));
const scale = Math.max(0.01, Number(data.timer_scale) || 1);
const readyS = Number(data.get_ready_s) || 0;
const positionChangeS = Number(data.position_change_s) || readyS;

/* Entry i is done in another position than the one before it (standing, then on the floor): more time
   to get there, and the cue says to take it slowly. The first exercise starts when the person presses Start. */
function changesPosition(i) {
  return i > 0 && entries[i].item.position !== entries[i - 1].item.position;
}
const tickMs = scale < 1 ? Math.max(16, Math.round(250 * scale)) : 250;
const clock = new Clock(scale);
const S = { screen: 'start', index: 0, phases: [], phaseIdx: 0, phase: null, running: false, key: null,
  painBefore: null, timer: null, lastCount: null, saved: false };

const screens = { start: $('.pl-start'), player: $('.pl-run'), summary: $('.pl-sum') };
const ui = {
  pos: $('.pl-pos'), posFill: $('.pl-top .pl-bar-fill'), name: $('#pl-name'), side: $('.pl-side'), swapped: $('.pl-swapped'),
  notice: $('.pl-notice'), step: $('.pl-cond'), stepLabel: $('.pl-cond-label'), stepText: $('.pl-cond-text'),
  stepDo: $('.pl-cond-do'), stepSkip: $('.pl-cond-skip'), timer: $('.pl-timer'), phase: $('.pl-phase'),
  count: $('.pl-count'), unit: $('.pl-unit'), phaseFill: $('.pl-bar-phase .pl-bar-fill'), setRep: $('.pl-setrep'),
  next: $('.pl-next'), pause: $('.pl-pause'), hurt: $('.pl-btn-hurt'), steps: $('.pl-steps'), stop: $('.pl-stop'),
  stopBox: $('.pl-stopbox'), cue: $('.pl-cue'), cueText: $('.pl-cue-text'), why: $('.pl-why'), source: $('.pl-run .pl-details .pl-source'), track: $('.pl-track'),
  live: $('.pl-live'), resume: $('.pl-resume'), resumeText: $('.pl-resume-text'),
};
const picture = new PictureBox($('.pl-picture'));
const painBefore = radioGroup($('.pl-start fieldset.pl-pain-before'));
// Every drawing of the session (and of the alternatives sent ahead), fetched now while online.
const drawings = prefetch(entries.map((e) => e.item).concat(entries.map((e) => e.item.instead && e.item.instead.replacement).filter(Boolean)));
let liveFlip = false;

function announce(text) {
  liveFlip = !liveFlip; // a changing trailing space makes screen readers repeat identical messages
  if (text) ui.live.textContent = liveFlip ? text : `${text}\u00a0`;
}

const cur = () => entries[S.index];
const curPhase = () => (S.phase && S.phases[S.phaseIdx] && S.phase === S.phases[S.phaseIdx].kind ? S.phases[S.phaseIdx] : null);

/* ---------------------------------------------------------------- kept on the phone */

function persist() {
  if (S.saved || S.screen === 'start') return;
  saveProgress({ scope: data.scope, key: S.key, screen: S.screen, index: S.index, phaseIdx: S.phaseIdx,
    painBefore: S.painBefore, entries });
}

function offerResume() {
  const saved = loadProgress(data.scope);
  if (!saved || !Array.isArray(saved.entries) || !saved.entries.length) return;
  setText(ui.resumeText, saved.screen === 'summary'
    ? 'You finished this session but did not save it yet.'
    : `Carry on from exercise ${saved.index + 1} (${saved.entries[saved.index].item.name})? What you did before is kept.`);
  show(ui.resume, true);
  $('.pl-resume-yes').addEventListener('click', () => carryOn(saved));
  $('.pl-resume-no').addEventListener('click', () => {
    clearProgress(data.scope);
    show(ui.resume, false);
    painBefore.focus();
  });
  focusEl($('.pl-resume-yes'));
}

function carryOn(saved) {
  entries = saved.entries;
  S.key = saved.key;
  S.painBefore = saved.painBefore;
  Sound.ensure();
  if (saved.screen === 'summary') {
    // The exercise it was left on, set up quietly under the summary, so "Back to the exercises" shows it.
    toScreen('player');
    enterItem(Math.min(saved.index, entries.length - 1), performance.now(), true, '', saved.phaseIdx);
    endSession(false);
    return;
  }
  toScreen('player');
  enterItem(saved.index, performance.now(), false, 'Carrying on', saved.phaseIdx);
}

/* ---------------------------------------------------------------- screens and the timer */

function toScreen(name) {
  S.screen = name;
  Object.entries(screens).forEach(([k, node]) => show(node, k === name));
  root.dataset.screen = name;
  if (name === 'player') {
    Wake.on();
    if (S.timer === null) S.timer = window.setInterval(tick, tickMs);
  } else {
    if (S.timer !== null) window.clearInterval(S.timer);
    S.timer = null;
    Wake.off();
  }
}

function beginPhase(k, t0) {
  S.phaseIdx = k;
  const ph = S.phases[k];
  S.phase = ph.kind;
  clock.begin(ph.secs, t0);
  S.lastCount = null;
  const rec = cur().rec;
  if (ph.work && ph.rep === 1) {
    if (ph.set === 1) rec.sets = 0; // a new side: count the sets of the last side reached
    rec.reps = 0;
    rec.started = true;
  }
}

function completePhase(ph) {
  if (!ph || !ph.work) return;
  const e = cur();
  e.rec.reps += 1;
  if (ph.kind === 'hold') e.rec.holds += 1;
  if (ph.rep === Math.max(1, e.item.reps)) e.rec.sets += 1;
}

/* Enter entry i at time t0; when carrying on, at phase `at` with what was done kept (phase 0 too: a
   walk marked done sits at 0). A step to choose (a walk, or an exercise only when needed and not yet
   started) waits for the person. quiet: the caller cues. */
function enterItem(i, t0, quiet, prefix, at) {
  if (i >= entries.length) return endSession(true);
  S.index = i;
  const e = entries[i];
  if (at === undefined) Object.assign(e.rec, { started: false, done: false, skipped: false, sets: 0, reps: 0, holds: 0 });
  S.phases = buildPhases(e.item, changesPosition(i) ? Math.max(readyS, positionChangeS) : readyS, changesPosition(i));
  clock.paused = false;
  renderItem();
  const step = e.kind === 'walk' ? 'walk' : (e.item.condition && !e.rec.started ? 'condition' : null);
  if (step) {
    S.phase = step;
    S.running = false;
    render();
    if (!quiet) cue(prefix);
    focusEl(ui.stepDo);
  } else {
    S.running = true;
    beginPhase(Math.min(at || 0, S.phases.length - 1), t0);
    render();
    if (!quiet) cue(prefix);
  }
  renderTrack();
  persist();
}

function tick() {
  if (S.screen !== 'player') return;
  const now = performance.now();
  let changed = false;
  while (S.running && !clock.paused && now >= clock.endsAt) {
    const endAt = clock.endsAt;
    completePhase(S.phases[S.phaseIdx]);
    changed = true;
    if (S.phaseIdx + 1 < S.phases.length) {
      beginPhase(S.phaseIdx + 1, endAt);
      persist();
    } else {
      Object.assign(cur().rec, { done: true, sets: cur().item.sets, reps: cur().item.reps });
      enterItem(S.index + 1, endAt, true);
      if (S.screen !== 'player') return;
    }
  }
  if (changed) cue();
  render(now);
}

/* A screen reader is told each phase of a rep only when it lasts long enough to be spoken: short holds and
   releases (under SHORT_PHASE_S) are announced at the first rep of each set, not every two seconds. */
const SHORT_PHASE_S = 5;

function spokenToScreenReader(ph, prefix) {
  return !ph || Boolean(prefix) || ph.secs >= SHORT_PHASE_S || !ph.rep || ph.rep === 1
    || (ph.kind !== 'hold' && ph.kind !== 'release' && ph.kind !== 'move');
}

/* Announce, beep and speak the current phase. */
function cue(prefix) {
  const step = S.phase === 'condition' || S.phase === 'walk';
  const ph = step ? null : curPhase();
  const words = cueWords(cur().item, ph, S.index, entries.length, step ? ui.stepText.textContent : null);
  if (!words) return;
  if (spokenToScreenReader(ph, prefix)) announce([prefix, ...words.parts].filter(Boolean).join('. '));
  Sound.phase(words.sound);
  Voice.say(words.say);
}

/* ---------------------------------------------------------------- rendering */

function renderItem() {
  const e = cur();
  const it = e.item;
  const routines = data.routines.length > 1 ? `${e.routineTitle} · ` : '';
  setText(ui.pos, `${routines}Exercise ${S.index + 1} of ${entries.length}`);
  ui.posFill.style.width = `${Math.round((S.index / Math.max(1, entries.length)) * 100)}%`;
  setText(ui.name, it.name);
  const from = e.rec.swapped_from ? entries.find((x) => x.item.exercise === e.rec.swapped_from) : null;
  setText(ui.swapped, from ? `Instead of ${from.item.name}` : '');
  show(ui.swapped, !!from);
  clear(ui.steps);
  (it.steps.length ? it.steps : ['Follow the plan for this exercise.']).forEach((s) => ui.steps.append(el('li', { text: s })));
  setText(ui.cueText, it.cue || '');
  show(ui.cue, !!it.cue);
  clear(ui.stop);
  it.stop_if.forEach((s) => ui.stop.append(el('li', { text: s })));
  show(ui.stopBox, it.stop_if.length > 0);
  setText(ui.why, it.why || '');
  setText(ui.source, it.source ? `Source: ${it.source}` : '');
  const walk = e.kind === 'walk';
  setText(ui.stepLabel, walk ? 'A walk, on your own' : 'Only when needed');
  setText(ui.stepText, walk ? `${it.dose}. ${it.why}` : (it.condition || ''));
  setText(ui.stepDo, walk ? 'I did it' : 'Do it');
  setText(ui.stepSkip, walk ? 'Not today' : 'Not needed (skip)');
}

const pictureNow = () => (S.screen === 'player' && curPhase()
  ? [curPhase(), clock.fraction(performance.now()), clock.paused, cur().item.picture && cur().item.picture.timeline] : null);

/* The session list: each exercise and what became of it (also what the tests read). */
function renderTrack() {
  clear(ui.track);
  entries.forEach((e, i) => {
    const r = e.rec;
    const status = r.swapped_for ? 'swapped' : r.skipped ? 'skipped' : r.done ? 'done' : i === S.index ? 'now' : r.started ? 'started' : 'to do';
    const li = el('li', { 'data-exercise': e.item.exercise, 'data-status': status, 'data-pain': r.pain === null ? '' : r.pain,
      'data-swapped-for': r.swapped_for || '', 'data-swapped-from': r.swapped_from || '', 'data-started': r.started ? 'true' : '' },
    `${e.item.name}: ${status}${r.pain === null ? '' : ` (hurt ${r.pain}/10)`}`);
    if (i === S.index) li.setAttribute('aria-current', 'step');
    ui.track.append(li);
  });
}

function render(now = performance.now()) {
  if (S.screen !== 'player') return;
  const it = cur().item;
  const ph = curPhase();
  const step = S.phase === 'condition' || S.phase === 'walk';
  show(ui.step, step);
  show(ui.timer, !step);
  show(ui.pause, !step);
  const side = ph ? ph.side : sidesOf(it.side)[0];
  let sideText = SIDE_LABEL[side] || '';
  if (it.side === 'each' && ph) sideText = ph.si === 0 ? 'Left side (then right)' : 'Right side (left done)';
  setText(ui.side, sideText);
  show(ui.side, !!sideText);
  ui.timer.className = `pl-timer pl-ph-${S.phase || 'none'}${clock.paused ? ' pl-paused' : ''}`;
  setText(ui.pause, clock.paused ? 'Resume' : 'Pause');
  ui.pause.classList.toggle('pl-is-paused', clock.paused);
  const fraction = clock.fraction(now);
  picture.show(it, side, pictureFrame(ph, fraction));
  picture.step(ph, fraction, clock.paused, it.picture && it.picture.timeline);
  if (ph && ph.kind === 'move' && !clock.paused) picture.follow(pictureNow);
  const left = ph ? clock.secondsLeft(now) : null;
  Object.assign(root.dataset, { index: S.index, total: entries.length, exercise: it.exercise, phase: S.phase || '',
    side: ph ? ph.side : '', set: ph && ph.set ? ph.set : '', rep: ph && ph.rep ? ph.rep : '',
    secondsLeft: left === null ? '' : left, paused: clock.paused ? 'true' : '' });
  if (!ph) return;
  const label = ph.walk ? 'Walk' : ph.newPosition ? 'New position: take your time' : PHASE_LABEL[ph.kind];
  setText(ui.phase, clock.paused ? `${label} (paused)` : label);
  const text = clockText(left);
  setText(ui.count, text);
  ui.count.classList.toggle('pl-count-long', text.length > 2);
  setText(ui.unit, left >= 60 ? 'minutes' : left === 1 ? 'second' : 'seconds');
  ui.phaseFill.style.width = `${(fraction * 100).toFixed(1)}%`;
  const bits = [];
  if (it.sets > 1 && ph.set) bits.push(`Set ${ph.set} of ${it.sets}`);
  if (it.reps > 1 && ph.rep) bits.push(`Rep ${ph.rep} of ${it.reps}`);
  if (ph.kind === 'ready') bits.push(it.dose);
  setText(ui.setRep, bits.join(' · '));
  let next = '';
  if (ph.kind === 'ready') next = it.steps.length ? `First: ${it.steps[0]}` : '';
  else if (ph.kind === 'rest') next = `Next: set ${ph.set + 1} of ${it.sets}`;
  else if (ph.kind === 'release') next = `Next: rep ${ph.rep + 1} of ${it.reps}`;
  else if (S.phaseIdx === S.phases.length - 1) next = S.index + 1 < entries.length ? `Next exercise: ${entries[S.index + 1].item.name}` : 'Last one!';
  setText(ui.next, next);
  show(ui.next, !!next);
  // Countdown beeps in the last 3 seconds (not at compressed test speeds).
  if (!clock.paused && ph.kind !== 'move' && ph.kind !== 'release' && scale >= 0.25 && left >= 1 && left <= 3 && left < ph.secs && S.lastCount !== left) {
    S.lastCount = left;
    Sound.count();
  }
  ui.timer.classList.toggle('pl-final', !clock.paused && left <= 3 && ph.secs > 3);
}

/* ---------------------------------------------------------------- controls */

function pause() {
  if (!S.running || clock.paused) return;
  clock.pause(performance.now());
  Voice.stop();
  render();
}

function resume() {
  if (!S.running || !clock.paused) return;
  Sound.ensure();
  clock.resume(performance.now());
  render();
}

function togglePause() {
  if (!S.running) return;
  if (clock.paused) resume();
  else pause();
  announce(clock.paused ? 'Paused' : 'Resumed');
}

function skip() {
  Sound.ensure();
  const e = cur();
  Object.assign(e.rec, { started: false, skipped: true });
  enterItem(S.index + 1, performance.now(), false, `Skipped ${e.item.name}`);
  rescueFocus();
}

function back() {
  let j = S.index - 1;
  while (j >= 0 && entries[j].rec.blocked) j--;
  if (j < 0) j = S.index;
  enterItem(j, performance.now(), false, j === S.index ? 'Starting this exercise again' : 'Going back');
  rescueFocus();
}

function stepDo() {
  Sound.ensure();
  if (S.phase === 'walk') {
    Object.assign(cur().rec, { started: true, done: true, sets: cur().item.sets, reps: cur().item.reps, holds: 1 });
    return enterItem(S.index + 1, performance.now(), false, 'Walk done');
  }
  S.running = true;
  beginPhase(0, performance.now());
  render();
  cue();
  focusEl(ui.pause);
}

function rescueFocus() {
  const a = document.activeElement;
  if (S.screen === 'player' && (!a || a === document.body || !isVisible(a))) {
    focusEl(isVisible(ui.pause) ? ui.pause : isVisible(ui.stepDo) ? ui.stepDo : ui.name);
  }
}

/* A notice from "This hurts" (swap or stop): on screen, with the next exercise held until the person
   has read it and presses its button. */
function notice(title, message, source, go) {
  clear(ui.notice);
  const goBtn = el('button', { type: 'button', class: 'pl-btn pl-btn-primary', on: { click: () => {
    clear(ui.notice);
    if (!S.running) return focusEl(ui.stepDo); // a step to choose first (a walk, or only when needed)
    resume();
    announce('Resumed');
    focusEl(ui.pause);
  } } }, go);
  ui.notice.append(el('div', { class: 'pl-notice-box pl-notice-alert' }, el('p', { class: 'pl-notice-title', text: title }),
    message ? el('p', { class: 'pl-notice-msg', text: message }) : null,
    source ? el('p', { class: 'pl-source', text: `Source: ${source}` }) : null, goBtn));
  focusEl(goBtn);
}

const hurt = new HurtDialog($('.pl-dialog'), data, {
  current: () => ({ item: cur().item, index: S.index }),
  excluded: () => Array.from(new Set([...(data.excluded || []), ...entries.map((e) => e.item.exercise)])),
  hurt: () => entries.filter((e) => e.rec.pain !== null && e.rec.pain >= SWAP_PAIN)
    .map((e) => ({ exercise: e.item.exercise, name: e.item.name })),
  resume: () => { resume(); announce('Resumed'); },
  skip,
  closed: () => rescueFocus(),
  decided(idx, pain, answer) {
    const e = entries[idx];
    e.rec.pain = e.rec.pain === null ? pain : Math.max(e.rec.pain, pain);
    if (answer.verdict === 'end') { // a second exercise at 6+, or a warning sign: the session ends here
      Object.assign(e.rec, { blocked: true, started: false, skipped: true });
      return endSession(false, answer.message, false);
    }
    if (answer.verdict === 'swap' || answer.verdict === 'stop') {
      e.rec.blocked = true;
      hurt.close();
      if (answer.verdict === 'swap') {
        const repl = entryOf(answer.replacement, { index: e.routine, kind: e.kind, title: e.routineTitle });
        Object.assign(repl.rec, { swapped_from: e.item.exercise, swap_reason: answer.message || null });
        e.rec.swapped_for = repl.item.exercise;
        entries.splice(idx + 1, 0, repl);
      } else {
        Object.assign(e.rec, { started: false, skipped: true });
      }
      if (idx + 1 >= entries.length) return endSession(true, `Stopped ${e.item.name}. ${answer.message}`);
      enterItem(idx + 1, performance.now(), true);
      if (S.running) pause();
      const next = cur().item.name;
      const title = answer.verdict === 'swap' ? `Next: ${next} instead` : `Stop ${e.item.name}.`;
      const go = S.running ? `Start ${next}` : 'Go on';
      notice(title, answer.message, answer.source, go);
      announce(`${title} ${answer.message} Press ${go} when ready.`);
      renderTrack();
      persist();
      return;
    }
    renderTrack();
    persist();
    hurt.advise(pain, answer);
  },
});

function openHurt() {
  if (S.screen !== 'player') return;
  Sound.ensure();
  pause();
  hurt.show(S.index, cur().item.name);
}

/* ---------------------------------------------------------------- the end */

const summary = new Summary(screens.summary, data, {
  entries: () => entries, key: () => S.key, painBefore: () => S.painBefore,
  saved: () => { S.saved = true; clearProgress(data.scope); },
  goBack: () => {
    toScreen('player');
    render();
    rescueFocus();
  },
});

/* `natural`: every exercise was reached; `canReturn`: the person may go back to the session (not after
   "This hurts" ended it). */
function endSession(natural, message, canReturn = !natural) {
  if (S.running && !clock.paused) pause();
  if (natural) {
    S.running = false;
    S.phase = null;
  }
  hurt.close();
  Voice.stop();
  toScreen('summary');
  renderTrack();
  persist();
  summary.fill(natural, message, canReturn);
  if (natural) {
    Sound.done();
    Voice.say('Session finished. Well done.');
  }
}

async function start(ev) {
  ev.preventDefault();
  Sound.ensure(); // the first gesture: the browser lets sound start now
  // The drawings, fetched since the page opened: wait for them a little, so the first one shows at once.
  await Promise.race([drawings, new Promise((done) => { window.setTimeout(done, 3000); })]);
  const v = painBefore.get();
  S.painBefore = v === null ? null : Number(v);
  S.key = newKey();
  clearProgress(data.scope);
  toScreen('player');
  screens.player.scrollIntoView({ block: 'start' });
  enterItem(0, performance.now(), false);
  if (S.phase !== 'condition' && S.phase !== 'walk') focusEl(ui.pause);
}

$('.pl-start form').addEventListener('submit', start);
$('.pl-clear-pain').addEventListener('click', () => { painBefore.set(null); painBefore.focus(); });
ui.pause.addEventListener('click', togglePause);
ui.hurt.addEventListener('click', openHurt);
ui.stepDo.addEventListener('click', stepDo);
ui.stepSkip.addEventListener('click', skip);
$('.pl-back').addEventListener('click', back);
$('.pl-skip').addEventListener('click', skip);
$('.pl-finish-now').addEventListener('click', () => endSession(false));
wireSwitches(root);

document.addEventListener('keydown', (ev) => {
  if (S.screen !== 'player' || hurt.open || ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.target.closest && ev.target.closest('input, textarea, select, button, a, summary, [contenteditable], form, dialog')) return;
  if ((ev.key === ' ' || ev.code === 'Space') && S.running) {
    ev.preventDefault();
    togglePause();
  }
});
/* A phone call or another app: the timer stops where it is (it would otherwise run through exercises
   nobody did), and carries on when the person presses Resume. */
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && S.screen === 'player') {
    Wake.on();
    render();
  } else if (document.visibilityState === 'hidden') {
    if (S.screen === 'player' && S.running && !clock.paused) {
      pause();
      announce('Paused while you were away. Press Resume to carry on.');
    }
    persist();
  }
});
/* Leaving in the middle of a session asks first; what was done is kept on the phone either way. */
window.addEventListener('beforeunload', (ev) => {
  persist();
  if (S.screen !== 'start' && !S.saved) {
    ev.preventDefault();
    ev.returnValue = '';
  }
});

root.dataset.screen = 'start';
offerResume();
