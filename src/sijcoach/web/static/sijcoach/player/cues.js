/* Beeps, spoken cues and keeping the screen on; the person's choices kept in localStorage. */

import { capitalise, secondsText } from './dom.js';
import { SIDE_LABEL as SIDE_WORDS } from './timer.js';

const KEYS = { sound: 'sijcoach.player.sound', speech: 'sijcoach.player.speech' };

export const flags = { sound: loadFlag('sound', true), speech: loadFlag('speech', false) };

function loadFlag(kind, dflt) {
  try {
    const v = window.localStorage.getItem(KEYS[kind]);
    return v === null ? dflt : v === '1';
  } catch (_) {
    return dflt;
  }
}

export function saveFlag(kind, on) {
  flags[kind] = on;
  try {
    window.localStorage.setItem(KEYS[kind], on ? '1' : '0');
  } catch (_) { /* private mode: for this page only */ }
}

const AC = window.AudioContext || window.webkitAudioContext;

export const Sound = {
  ctx: null,
  supported: !!AC,
  ensure() {
    if (!AC) return;
    try {
      if (!this.ctx) this.ctx = new AC();
      if (this.ctx.state === 'suspended') this.ctx.resume().catch(() => {});
    } catch (_) {
      this.ctx = null;
    }
  },
  beep(freq, dur, vol) {
    if (!flags.sound || !this.ctx) return;
    try {
      const c = this.ctx;
      const t = c.currentTime;
      const o = c.createOscillator();
      const g = c.createGain();
      o.frequency.setValueAtTime(freq, t);
      g.gain.setValueAtTime(0.0001, t);
      g.gain.exponentialRampToValueAtTime(vol || 0.25, t + 0.012);
      g.gain.exponentialRampToValueAtTime(0.0001, t + dur);
      o.connect(g);
      g.connect(c.destination);
      o.start(t);
      o.stop(t + dur + 0.03);
    } catch (_) { /* no sound is fine */ }
  },
  phase(kind) {
    this.beep(kind === 'hold' || kind === 'move' ? 880 : 587, 0.2);
  },
  count() {
    this.beep(1320, 0.07, 0.18);
  },
  done() {
    this.beep(659, 0.16);
    window.setTimeout(() => this.beep(988, 0.3), 170);
  },
};

export const Voice = {
  supported: 'speechSynthesis' in window && typeof window.SpeechSynthesisUtterance === 'function',
  say(text) {
    if (!flags.speech || !this.supported || !text) return;
    try {
      window.speechSynthesis.cancel();
      const u = new window.SpeechSynthesisUtterance(text);
      u.lang = document.documentElement.lang || 'en-GB';
      window.speechSynthesis.speak(u);
    } catch (_) { /* no speech is fine */ }
  },
  stop() {
    if (this.supported) window.speechSynthesis.cancel();
  },
};

/* Keep the screen on while a session runs, where the browser allows it. */
export const Wake = {
  lock: null,
  async on() {
    if (this.lock || !('wakeLock' in navigator)) return;
    try {
      this.lock = await navigator.wakeLock.request('screen');
      this.lock.addEventListener('release', () => { this.lock = null; });
    } catch (_) {
      this.lock = null;
    }
  },
  off() {
    if (this.lock) this.lock.release().catch(() => {});
    this.lock = null;
  },
};

/* The sound and speech switches in the page (a pair on the start screen, a pair in the player),
   kept in step. */
export function wireSwitches(root) {
  const inputs = { sound: [], speech: [] };
  root.querySelectorAll('input[data-switch]').forEach((input) => {
    const kind = input.dataset.switch;
    const supported = kind === 'sound' ? Sound.supported : Voice.supported;
    input.disabled = !supported;
    input.checked = supported && flags[kind];
    const note = input.parentElement.querySelector('.pl-switch-note');
    if (note) note.hidden = supported;
    inputs[kind].push(input);
    input.addEventListener('change', () => {
      saveFlag(kind, input.checked);
      inputs[kind].forEach((i) => { i.checked = input.checked; });
      if (kind === 'sound' && input.checked) {
        Sound.ensure();
        Sound.beep(880, 0.12);
      }
      if (kind === 'speech') (input.checked ? Voice.say('Spoken cues on') : Voice.stop());
    });
  });
}

/* What to announce (parts), say and beep as phase `ph` of item `it` (number `index` of `total`)
   starts; a step to choose (`stepText`: a walk, or an exercise only when needed) has no phase. */
export function cueWords(it, ph, index, total, stepText) {
  const intro = index === 0 ? `Exercise 1 of ${total}: ${it.name}` : `Next: ${it.name}`;
  if (stepText !== null) return { parts: [intro, stepText], say: `Next, ${it.name}.`, sound: 'ready' };
  if (!ph) return null;
  const parts = [];
  const say = [];
  if (ph.itemStart) {
    parts.push(intro);
    say.push(index === 0 ? it.name : `Next, ${it.name}`);
  }
  if (ph.sideStart && SIDE_WORDS[ph.side]) {
    parts.push(SIDE_WORDS[ph.side]);
    say.push(SIDE_WORDS[ph.side]);
  }
  const repOf = it.reps > 1 ? `rep ${ph.rep} of ${it.reps}` : '';
  const setOf = it.sets > 1 && ph.rep === 1 ? `Set ${ph.set} of ${it.sets}` : '';
  if (ph.kind === 'ready') {
    if (ph.newPosition) {
      parts.push(`A new position: take your time, with a chair or the wall to hold. Get ready, ${secondsText(ph.secs)}`);
      say.push('A new position: take your time');
    } else {
      parts.push(`Get ready, ${secondsText(ph.secs)}`);
    }
    if (!say.length) say.push('Get ready');
  } else if (ph.kind === 'hold') {
    parts.push(`${ph.walk ? 'Walk' : 'Hold'}, ${secondsText(ph.secs)}${repOf ? `, ${repOf}` : ''}`, setOf);
    say.push(ph.walk ? `Walk, ${secondsText(ph.secs)}` : 'Hold');
  } else if (ph.kind === 'move') {
    parts.push(ph.rep === 1 ? `Move${repOf ? `, ${repOf}` : ''}` : capitalise(repOf), setOf);
    say.push(ph.rep === 1 ? 'Move' : String(ph.rep));
  } else {
    parts.push(ph.kind === 'rest' ? `Rest, ${secondsText(ph.secs)}` : 'Release');
    say.push(ph.kind === 'rest' ? `Rest ${secondsText(ph.secs)}` : 'Release');
  }
  return { parts, say: say.join('. '), sound: ph.kind };
}
