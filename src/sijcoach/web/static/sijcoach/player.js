/* SI Joint Coach: guided session player.
 *
 * Reads the session JSON named by <main id="player" data-session-json="...">, runs a wall-clock
 * timer through every item (get ready, sides, sets, reps, holds, rests), handles "This hurts"
 * (POST swap_url) and the end-of-session form (POST finish_url).
 *
 * Plain ES2020, no dependencies, no build step. CSP-safe: no inline styles in markup, no eval,
 * no innerHTML; all text goes in through textContent. The exercise pictures come as SVG markup in
 * the session JSON (drawn by the server, no script or style in it); they are parsed as XML with
 * DOMParser, once each, and moved in and out of the picture box as the phases change.
 * Tests can read window.sijPlayer.state (or window.sijPlayer.getState()).
 */
(function () {
  'use strict';

  const mount = document.getElementById('player');
  if (!mount) return;

  /* ------------------------------------------------------------------ DOM helpers */

  let uid = 0;
  const nid = (p) => `pl-${p}-${++uid}`;

  function append(node, kids) {
    for (const k of kids) {
      if (k === null || k === undefined || k === false) continue;
      if (Array.isArray(k)) append(node, k);
      else node.appendChild(typeof k === 'string' ? document.createTextNode(k) : k);
    }
  }

  function el(tag, attrs, ...kids) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = String(v);
        else if (k === 'on') for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
        else if (v === true) node.setAttribute(k, '');
        else node.setAttribute(k, String(v));
      }
    }
    append(node, kids);
    return node;
  }

  /* Like Element.append, but skips null/false (Element.append would print "null"). */
  function add(node, ...kids) {
    append(node, kids);
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function show(node, on) {
    if (node.hidden === on) node.hidden = !on;
  }

  function button(text, cls, onClick, attrs) {
    return el('button', Object.assign({ type: 'button', class: `pl-btn ${cls || ''}`.trim(), on: { click: onClick } }, attrs || {}), text);
  }

  /* Focus without jumping the page; bring the node into view only if it is off screen. */
  function focusEl(node) {
    if (!node) return;
    try {
      node.focus({ preventScroll: true });
    } catch (_) {
      node.focus();
    }
    const r = node.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) node.scrollIntoView({ block: 'nearest' });
  }

  function isVisible(node) {
    return !!node && node.isConnected && node.getClientRects().length > 0;
  }

  /* ------------------------------------------------------------------ text helpers */

  const SIDE_LABEL = { left: 'Left side', right: 'Right side', both: 'Both sides', none: '' };
  const SIDE_PLAN = { each: 'each side', left: 'left side only', right: 'right side only', both: 'both sides together', none: '' };
  const PICTURE_FRAMES = ['animated', 'start', 'end'];
  const PHASE_LABEL = { condition: 'Before you start', ready: 'Get ready', hold: 'Hold', release: 'Release', move: 'Move', rest: 'Rest' };

  function plural(n, one, many) {
    return `${n} ${n === 1 ? one : many}`;
  }

  function secondsText(s) {
    s = Math.round(s);
    if (s < 60) return plural(s, 'second', 'seconds');
    const m = Math.floor(s / 60);
    const r = s % 60;
    return r ? `${plural(m, 'minute', 'minutes')} ${plural(r, 'second', 'seconds')}` : plural(m, 'minute', 'minutes');
  }

  function clockText(s) {
    if (s === null || s === undefined) return '';
    if (s < 60) return String(s);
    const m = Math.floor(s / 60);
    return `${m}:${String(s % 60).padStart(2, '0')}`;
  }

  function capitalise(t) {
    return t ? t.charAt(0).toUpperCase() + t.slice(1) : '';
  }

  function dateText(iso) {
    if (typeof iso !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso ? String(iso) : '';
    const d = new Date(`${iso}T12:00:00`);
    if (Number.isNaN(d.getTime())) return iso;
    try {
      return d.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    } catch (_) {
      return iso;
    }
  }

  /* ------------------------------------------------------------------ session data */

  function readData() {
    const id = mount.getAttribute('data-session-json') || 'session-data';
    const node = document.getElementById(id);
    if (!node) throw new Error('missing session data');
    const parsed = JSON.parse(node.textContent || '{}');
    if (!parsed || typeof parsed !== 'object') throw new Error('bad session data');
    return parsed;
  }

  function num(v, dflt) {
    const x = Number(v);
    return Number.isFinite(x) && x >= 0 ? x : dflt;
  }

  function strList(v) {
    return Array.isArray(v) ? v.filter((s) => s !== null && s !== undefined && String(s).trim() !== '').map(String) : [];
  }

  function normItem(raw) {
    raw = raw && typeof raw === 'object' ? raw : {};
    const side = ['each', 'left', 'right', 'both', 'none'].includes(raw.side) ? raw.side : 'none';
    return {
      exercise: String(raw.exercise || ''),
      name: String(raw.name || raw.exercise || 'Exercise'),
      side,
      sets: Math.max(1, Math.round(num(raw.sets, 1))),
      reps: Math.max(1, Math.round(num(raw.reps, 1))),
      hold_s: num(raw.hold_s, 0),
      rest_s: num(raw.rest_s, 0),
      rep_s: num(raw.rep_s, 0),
      minutes: num(raw.minutes, null),
      why: raw.why ? String(raw.why) : '',
      source: raw.source ? String(raw.source) : '',
      steps: strList(raw.steps),
      stop_if: strList(raw.stop_if),
      condition: raw.condition ? String(raw.condition) : null,
      picture: normPicture(raw.picture),
      planned: { sets: raw.sets, reps: raw.reps, hold_s: raw.hold_s },
    };
  }

  /* picture: { timeline: [[frame, seconds, moving]...], sides: { left|right|both|none: { animated, start, end } } } */
  function normPicture(raw) {
    if (!raw || typeof raw !== 'object' || !raw.sides || typeof raw.sides !== 'object') return null;
    const sides = {};
    for (const [side, frames] of Object.entries(raw.sides)) {
      if (!frames || typeof frames !== 'object') continue;
      const markup = {};
      for (const f of PICTURE_FRAMES) if (typeof frames[f] === 'string' && frames[f]) markup[f] = frames[f];
      if (Object.keys(markup).length) sides[side] = markup;
    }
    if (!Object.keys(sides).length) return null;
    const timeline = (Array.isArray(raw.timeline) ? raw.timeline : [])
      .filter((p) => Array.isArray(p))
      .map((p) => ({ frame: String(p[0]), secs: num(p[1], 0), moving: !!p[2] }));
    return { sides, timeline, nodes: {} };
  }

  function freshRec() {
    return {
      started: false, done: false, skipped: false, sets: 0, reps: 0, holds: 0,
      pain: null, effort: 'ok', swapped_for: null, swapped_from: null, swap_reason: null,
      blocked: false, note: null,
    };
  }

  function resetProgress(rec) {
    rec.started = false;
    rec.done = false;
    rec.skipped = false;
    rec.sets = 0;
    rec.reps = 0;
    rec.holds = 0;
  }

  function makeEntry(raw) {
    return { item: normItem(raw), rec: freshRec() };
  }

  function isWalk(it) {
    return it.reps === 1 && it.sets === 1 && it.hold_s >= 60 && /walk/i.test(`${it.exercise} ${it.name}`);
  }

  function sidesOf(side) {
    if (side === 'each') return ['left', 'right'];
    return [side];
  }

  function doseText(it) {
    const parts = [];
    if (it.reps === 1 && it.sets === 1 && it.hold_s > 0) {
      parts.push(secondsText(it.hold_s));
    } else {
      parts.push(`${plural(it.sets, 'set', 'sets')} of ${it.reps}`);
      if (it.hold_s > 0) parts.push(`hold ${secondsText(it.hold_s)}`);
    }
    if (SIDE_PLAN[it.side]) parts.push(SIDE_PLAN[it.side]);
    if (it.minutes) parts.push(`about ${Math.round(it.minutes * 10) / 10} min`);
    return parts.join(', ');
  }

  /* ------------------------------------------------------------------ settings (localStorage) */

  const KEY_SOUND = 'sijcoach.player.sound';
  const KEY_SPEECH = 'sijcoach.player.speech';

  function loadFlag(key, dflt) {
    try {
      const v = window.localStorage.getItem(key);
      return v === null ? dflt : v === '1';
    } catch (_) {
      return dflt;
    }
  }

  function saveFlag(key, on) {
    try {
      window.localStorage.setItem(key, on ? '1' : '0');
    } catch (_) { /* private mode: keep it for this page only */ }
  }

  /* ------------------------------------------------------------------ state */

  let data;
  try {
    data = readData();
  } catch (_) {
    clear(mount);
    mount.classList.add('pl-root');
    mount.appendChild(el('p', { class: 'pl-fatal', role: 'alert', text: 'Sorry, this session could not be loaded. Please go back and try again.' }));
    return;
  }

  const entries = (Array.isArray(data.items) ? data.items : []).map(makeEntry);
  const rawScale = Number(data.timer_scale);
  const scale = Number.isFinite(rawScale) ? Math.max(0.01, rawScale) : 1;
  const readyS = num(data.get_ready_s, 5);
  const csrf = data.csrf_token ? String(data.csrf_token) : '';
  const todayUrl = data.today_url ? String(data.today_url) : '/';
  const tickMs = scale < 1 ? Math.max(16, Math.round(250 * scale)) : 250;

  const S = {
    screen: 'start', // start | player | summary
    index: 0,
    phases: [],
    phaseIdx: 0,
    phase: null, // condition | ready | hold | release | move | rest
    phaseStart: 0,
    phaseDur: 0,
    running: false,
    paused: false,
    pausedAt: 0,
    lastCount: null,
    painBefore: null,
    painAfter: null,
    sound: loadFlag(KEY_SOUND, true),
    speech: loadFlag(KEY_SPEECH, false),
    canReturn: false,
    posting: false,
    hurtBusy: false,
    noticeIndex: null,
    timer: null,
  };

  /* ------------------------------------------------------------------ sound and speech */

  const Sound = {
    ctx: null,
    supported: !!(window.AudioContext || window.webkitAudioContext),
    ensure() {
      const AC = window.AudioContext || window.webkitAudioContext;
      if (!AC) return null;
      try {
        if (!this.ctx) this.ctx = new AC();
        if (this.ctx.state === 'suspended') this.ctx.resume().catch(() => {});
      } catch (_) {
        this.ctx = null;
      }
      return this.ctx;
    },
    beep(freq, dur, vol) {
      if (!S.sound || !this.ctx) return;
      try {
        const c = this.ctx;
        if (c.state === 'suspended') c.resume().catch(() => {});
        const t = c.currentTime;
        const o = c.createOscillator();
        const g = c.createGain();
        o.type = 'sine';
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
      if (kind === 'hold' || kind === 'move') this.beep(880, 0.18);
      else this.beep(587, 0.22);
    },
    count() {
      this.beep(1320, 0.07, 0.18);
    },
    done() {
      this.beep(659, 0.16);
      window.setTimeout(() => this.beep(988, 0.3), 170);
    },
  };

  const Voice = {
    supported: 'speechSynthesis' in window && typeof window.SpeechSynthesisUtterance === 'function',
    say(text) {
      if (!S.speech || !this.supported || !text) return;
      try {
        window.speechSynthesis.cancel();
        const u = new window.SpeechSynthesisUtterance(text);
        u.lang = document.documentElement.lang || 'en-GB';
        u.rate = 1;
        window.speechSynthesis.speak(u);
      } catch (_) { /* no speech is fine */ }
    },
    stop() {
      if (!this.supported) return;
      try {
        window.speechSynthesis.cancel();
      } catch (_) { /* ignore */ }
    },
  };

  /* Keep the screen on while a session runs, where the browser allows it. */
  const Wake = {
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

  /* ------------------------------------------------------------------ widgets */

  /* A group of large radio buttons. options: [{value, label, word}] */
  function radioGroup(opts) {
    const name = nid(opts.name);
    const hintId = opts.hint ? nid('hint') : null;
    const errId = nid('err');
    const grid = el('div', { class: `pl-choices ${opts.cls || ''}`.trim() });
    const inputs = [];
    const errP = el('p', { id: errId, class: 'pl-err', hidden: true });
    for (const o of opts.options) {
      const id = nid('opt');
      const input = el('input', { type: 'radio', name, id, value: String(o.value), class: 'pl-choice-input' });
      if (opts.checked !== undefined && opts.checked !== null && String(opts.checked) === String(o.value)) input.checked = true;
      input.addEventListener('change', () => {
        setError(null);
        if (opts.onChange) opts.onChange(api.get());
      });
      const label = el('label', { for: id, class: 'pl-choice' },
        el('span', { class: 'pl-choice-main', text: o.label }),
        o.word ? el('span', { class: 'pl-choice-word', text: o.word }) : null);
      add(grid, input, label);
      inputs.push(input);
    }
    const legend = el('legend', { class: 'pl-legend' }, opts.legend);
    const fieldset = el('fieldset', { class: 'pl-field', 'aria-describedby': hintId },
      legend,
      opts.hint ? el('p', { id: hintId, class: 'pl-hint', text: opts.hint }) : null,
      grid,
      errP);

    function setError(msg) {
      if (msg) {
        errP.textContent = msg;
        errP.hidden = false;
        fieldset.classList.add('pl-invalid');
        fieldset.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
        inputs.forEach((i) => i.setAttribute('aria-invalid', 'true'));
      } else {
        errP.textContent = '';
        errP.hidden = true;
        fieldset.classList.remove('pl-invalid');
        if (hintId) fieldset.setAttribute('aria-describedby', hintId);
        else fieldset.removeAttribute('aria-describedby');
        inputs.forEach((i) => i.removeAttribute('aria-invalid'));
      }
    }

    const api = {
      fieldset,
      inputs,
      get() {
        const c = inputs.find((i) => i.checked);
        return c ? c.value : null;
      },
      set(v) {
        inputs.forEach((i) => { i.checked = v !== null && v !== undefined && i.value === String(v); });
      },
      focus() {
        (inputs.find((i) => i.checked) || inputs[0]).focus();
      },
      error: setError,
    };
    return api;
  }

  function painOptions() {
    const out = [];
    for (let v = 0; v <= 10; v++) out.push({ value: v, label: String(v), word: v === 0 ? 'none' : v === 10 ? 'worst' : '' });
    return out;
  }

  const PAIN_HINT = '0 means no pain, 10 the worst pain you can imagine.';

  /* Sound and spoken-cue switches. There is one pair on the start screen and one in the player;
     both stay in step. */
  const toggles = { sound: [], speech: [] };

  function makeToggle(kind) {
    const id = nid('tg');
    const labelText = kind === 'sound' ? 'Sound (beeps)' : 'Spoken cues';
    const supported = kind === 'sound' ? Sound.supported : Voice.supported;
    const input = el('input', { type: 'checkbox', role: 'switch', id, class: 'pl-switch-input', disabled: !supported });
    input.checked = supported && (kind === 'sound' ? S.sound : S.speech);
    input.addEventListener('change', () => setFlag(kind, input.checked));
    toggles[kind].push(input);
    const note = supported ? null : el('span', { class: 'pl-hint pl-switch-note', text: kind === 'sound' ? 'Not available in this browser.' : 'Your browser cannot speak.' });
    return el('div', { class: 'pl-switch' },
      input,
      el('label', { for: id, class: 'pl-switch-label' }, el('span', { class: 'pl-switch-track', 'aria-hidden': 'true' }), labelText),
      note);
  }

  function setFlag(kind, on) {
    if (kind === 'sound') {
      S.sound = on;
      saveFlag(KEY_SOUND, on);
      if (on) {
        Sound.ensure();
        Sound.beep(880, 0.12);
      }
    } else {
      S.speech = on;
      saveFlag(KEY_SPEECH, on);
      if (on) Voice.say('Spoken cues on');
      else Voice.stop();
    }
    toggles[kind].forEach((i) => { i.checked = on; });
  }

  /* ------------------------------------------------------------------ layout */

  // The page may already have its own <h1> (outside the player); then the title is an <h2>.
  const pageHasH1 = Array.from(document.querySelectorAll('h1')).some((h) => !mount.contains(h));
  clear(mount);
  mount.classList.add('pl-root');

  const live = el('div', { class: 'pl-sr', 'aria-live': 'polite', 'aria-atomic': 'true' });
  let liveFlip = false;
  function announce(text) {
    if (!text) return;
    liveFlip = !liveFlip;
    // A changing trailing space makes screen readers repeat identical messages ("Release").
    live.textContent = liveFlip ? text : `${text}\u00a0`;
  }

  /* --- start screen --- */
  const startScreen = el('section', { class: 'pl-screen pl-start', 'aria-labelledby': 'pl-title' });
  const painBeforeGroup = radioGroup({
    name: 'painbefore',
    legend: 'How much does your back hurt right now? 0-10 (optional)',
    hint: `${PAIN_HINT} You can leave this out.`,
    options: painOptions(),
    cls: 'pl-scale',
  });
  const clearPainBtn = button('Clear answer', 'pl-btn-link', () => {
    painBeforeGroup.set(null);
    painBeforeGroup.focus();
  });
  const startBtn = el('button', { type: 'submit', class: 'pl-btn pl-btn-primary pl-btn-big' }, 'Start');
  const startForm = el('form', { class: 'pl-form', novalidate: true, on: { submit: onStart } },
    painBeforeGroup.fieldset,
    el('p', { class: 'pl-after-field' }, clearPainBtn),
    el('div', { class: 'pl-switches' }, makeToggle('sound'), makeToggle('speech')),
    startBtn,
    el('p', { class: 'pl-hint', text: 'Tip: press Space to pause or resume while the timer runs.' }));

  {
    const totalMin = entries.reduce((a, e) => a + (e.item.minutes || 0), 0);
    const meta = [dateText(data.date), data.kind ? `${capitalise(String(data.kind))} session` : '',
      totalMin ? `about ${Math.round(totalMin)} minutes` : ''].filter(Boolean).join(' · ');
    const list = el('ol', { class: 'pl-plan' }, entries.map((e) => el('li', { class: 'pl-plan-item' },
      el('span', { class: 'pl-plan-name', text: e.item.name }),
      el('span', { class: 'pl-plan-dose', text: doseText(e.item) }),
      e.item.condition ? el('span', { class: 'pl-plan-cond', text: e.item.condition }) : null)));
    add(startScreen, 
      el(pageHasH1 ? 'h2' : 'h1', { id: 'pl-title', class: 'pl-title', text: data.title ? String(data.title) : 'Today\'s session' }),
      meta ? el('p', { class: 'pl-meta', text: meta }) : null,
      entries.length
        ? el('div', { class: 'pl-card' }, el('h2', { class: 'pl-h3', text: `${plural(entries.length, 'exercise', 'exercises')}` }), list)
        : el('p', { class: 'pl-notice-box', role: 'status', text: 'There are no exercises in this session.' }),
      el('p', { class: 'pl-safety', text: 'Stop any exercise that hurts 6 out of 10 or more: press "This hurts" and the coach will suggest what to do.' }),
      entries.length ? startForm : null,
      el('p', { class: 'pl-links' }, el('a', { href: todayUrl, class: 'pl-link', text: 'Back to today' })));
  }

  /* --- player screen --- */
  const runScreen = el('section', { class: 'pl-screen pl-run', hidden: true, 'aria-labelledby': 'pl-name' });
  const posText = el('p', { class: 'pl-pos' });
  const posFill = el('span', { class: 'pl-bar-fill' });
  const posBar = el('span', { class: 'pl-bar', 'aria-hidden': 'true' }, posFill);
  const nameH = el('h2', { id: 'pl-name', class: 'pl-name', tabindex: '-1' });
  const sideP = el('p', { class: 'pl-side' });
  const swapP = el('p', { class: 'pl-swapped', hidden: true });
  const noticeRegion = el('div', { class: 'pl-notice', role: 'alert' });
  // The exercise's name is the heading above and its steps are below: the picture is for the eyes only.
  const picBox = el('div', { class: 'pl-picture', 'aria-hidden': 'true', hidden: true });

  const condText = el('p', { class: 'pl-cond-text' });
  const condDo = button('Do it', 'pl-btn-primary pl-btn-big', onConditionDo);
  const condSkip = button('Not needed (skip)', 'pl-btn-secondary pl-btn-big', onConditionSkip);
  const condPanel = el('div', { class: 'pl-cond', hidden: true },
    el('p', { class: 'pl-cond-label', text: 'Only when needed' }), condText, el('div', { class: 'pl-cond-btns' }, condDo, condSkip));

  const phaseP = el('p', { class: 'pl-phase' });
  const countP = el('p', { class: 'pl-count', role: 'timer', 'aria-atomic': 'true' });
  const unitP = el('p', { class: 'pl-unit', 'aria-hidden': 'true' });
  const phaseFill = el('span', { class: 'pl-bar-fill' });
  const phaseBar = el('span', { class: 'pl-bar pl-bar-phase', 'aria-hidden': 'true' }, phaseFill);
  const setRepP = el('p', { class: 'pl-setrep' });
  const nextP = el('p', { class: 'pl-next' });
  const timerBox = el('div', { class: 'pl-timer' }, phaseP, countP, unitP, phaseBar, setRepP, nextP);

  const pauseBtn = button('Pause', 'pl-btn-primary pl-btn-big pl-pause', togglePause);
  const backBtn = button('Back', 'pl-btn-secondary', onBack, { 'aria-describedby': 'pl-back-desc' });
  const skipBtn = button('Skip', 'pl-btn-secondary', onSkip, { 'aria-describedby': 'pl-skip-desc' });
  const hurtBtn = button('This hurts', 'pl-btn-hurt pl-btn-big', openHurt, { 'aria-haspopup': 'dialog' });
  // Pause and "This hurts" sit in a dock that stays on screen on phones.
  const dock = el('div', { class: 'pl-dock' }, pauseBtn, hurtBtn);
  const controls = el('div', { class: 'pl-controls' },
    backBtn, skipBtn,
    el('span', { id: 'pl-back-desc', class: 'pl-sr', text: 'Go to the previous exercise and start it again.' }),
    el('span', { id: 'pl-skip-desc', class: 'pl-sr', text: 'Leave out this exercise and go to the next one.' }));

  const stepsList = el('ol', { class: 'pl-steps' });
  const stopList = el('ul', { class: 'pl-stop' });
  const stopBox = el('div', { class: 'pl-stopbox' }, el('h3', { class: 'pl-h3', text: 'Stop if' }), stopList);
  const whyP = el('p', { class: 'pl-why' });
  const sourceP = el('p', { class: 'pl-source' });
  const whyBox = el('details', { class: 'pl-details' }, el('summary', { class: 'pl-summary', text: 'Why this exercise' }), whyP, sourceP);
  const finishNowBtn = button('Finish now', 'pl-btn-secondary', () => endSession(false));

  add(runScreen, 
    el('div', { class: 'pl-top' }, posText, posBar),
    nameH, sideP, swapP, noticeRegion, picBox, condPanel, timerBox, dock, controls,
    el('div', { class: 'pl-card' }, el('h3', { class: 'pl-h3', text: 'How to do it' }), stepsList),
    stopBox, whyBox,
    el('div', { class: 'pl-card pl-settings' },
      el('h3', { class: 'pl-h3', text: 'Settings' }),
      el('div', { class: 'pl-switches' }, makeToggle('sound'), makeToggle('speech')),
      el('p', { class: 'pl-hint', text: 'Space pauses and resumes.' })),
    el('p', { class: 'pl-finish-row' }, finishNowBtn));

  /* --- summary screen --- */
  const sumScreen = el('section', { class: 'pl-screen pl-sum', hidden: true, 'aria-labelledby': 'pl-sum-title' });

  /* --- "This hurts" dialog --- */
  const dlgTitle = el('h2', { id: 'pl-dlg-title', class: 'pl-dlg-title', text: 'This hurts' });
  const hurtGroup = radioGroup({ name: 'hurt', legend: 'How much does it hurt right now? 0-10', hint: PAIN_HINT, options: painOptions(), cls: 'pl-scale' });
  const hurtSend = el('button', { type: 'submit', class: 'pl-btn pl-btn-primary' }, 'Send');
  const hurtCancel = button('Cancel', 'pl-btn-secondary', () => closeDialog());
  const hurtAsk = el('form', { class: 'pl-dlg-ask', novalidate: true, on: { submit: onHurtSubmit } },
    el('p', { class: 'pl-dlg-intro', text: 'The timer is paused.' }),
    hurtGroup.fieldset,
    el('div', { class: 'pl-dlg-btns' }, hurtSend, hurtCancel));
  const hurtWait = el('p', { class: 'pl-dlg-wait', role: 'status', hidden: true });
  const hurtResultMsg = el('div', { class: 'pl-dlg-msg', role: 'alert' });
  const hurtResultSrc = el('p', { class: 'pl-source' });
  const hurtResultBtns = el('div', { class: 'pl-dlg-btns' });
  const hurtResult = el('div', { class: 'pl-dlg-result', hidden: true }, hurtResultMsg, hurtResultSrc, hurtResultBtns);
  const dialog = el('dialog', { class: 'pl-dialog', 'aria-labelledby': 'pl-dlg-title' }, dlgTitle, hurtAsk, hurtWait, hurtResult);
  const hasModal = typeof dialog.showModal === 'function';
  if (!hasModal) {
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.classList.add('pl-dialog-fallback');
  }

  add(mount, startScreen, runScreen, sumScreen, live, dialog);

  /* ------------------------------------------------------------------ timer engine */

  function buildPhases(it) {
    const out = [];
    const walk = isWalk(it);
    sidesOf(it.side).forEach((side, si) => {
      const first = out.length;
      if (readyS > 0) out.push({ kind: 'ready', secs: readyS, side, si });
      for (let set = 1; set <= it.sets; set++) {
        for (let rep = 1; rep <= it.reps; rep++) {
          if (it.hold_s > 0) {
            out.push({ kind: 'hold', work: true, walk, secs: it.hold_s, side, si, set, rep });
            if (rep < it.reps && it.rep_s > 0) out.push({ kind: 'release', secs: it.rep_s, side, si, set, rep });
          } else {
            out.push({ kind: 'move', work: true, secs: it.rep_s > 0 ? it.rep_s : 3, side, si, set, rep });
          }
        }
        if (set < it.sets && it.rest_s > 0) out.push({ kind: 'rest', secs: it.rest_s, side, si, set });
      }
      out[first].sideStart = true;
    });
    out[0].itemStart = true;
    return out;
  }

  function cur() {
    return entries[S.index];
  }

  function curPhase() {
    return S.phase && S.phase !== 'condition' ? S.phases[S.phaseIdx] : null;
  }

  function remainingMs(now) {
    const t = S.paused ? S.pausedAt : now;
    return Math.max(0, S.phaseStart + S.phaseDur - t);
  }

  function secondsLeft(now) {
    if (!curPhase()) return null;
    return Math.max(0, Math.ceil(remainingMs(now === undefined ? performance.now() : now) / (1000 * scale) - 1e-6));
  }

  function beginPhase(k, t0) {
    S.phaseIdx = k;
    const ph = S.phases[k];
    S.phase = ph.kind;
    S.phaseStart = t0;
    S.phaseDur = ph.secs * 1000 * scale;
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
    if (ph.rep === e.item.reps) e.rec.sets += 1;
  }

  /* Enter item i at time t0. quiet: do not cue now (the caller will). */
  function enterItem(i, t0, quiet, prefix) {
    if (i >= entries.length) {
      endSession(true);
      return;
    }
    if (S.noticeIndex !== null && S.noticeIndex !== i) clearNotice();
    S.index = i;
    const e = entries[i];
    resetProgress(e.rec);
    S.phases = buildPhases(e.item);
    S.paused = false;
    renderItem();
    if (e.item.condition) {
      S.phase = 'condition';
      S.running = false;
      render();
      if (!quiet) cueCurrent(prefix);
      focusEl(condDo);
      return;
    }
    S.running = true;
    beginPhase(0, t0);
    render();
    if (!quiet) cueCurrent(prefix);
  }

  function tick() {
    if (S.screen !== 'player') return;
    const now = performance.now();
    let changed = false;
    let guard = 0;
    while (S.running && !S.paused && now >= S.phaseStart + S.phaseDur && guard++ < 100000) {
      const endAt = S.phaseStart + S.phaseDur;
      completePhase(S.phases[S.phaseIdx]);
      changed = true;
      if (S.phaseIdx + 1 < S.phases.length) {
        beginPhase(S.phaseIdx + 1, endAt);
      } else {
        const e = cur();
        e.rec.done = true;
        e.rec.sets = e.item.sets;
        e.rec.reps = e.item.reps;
        enterItem(S.index + 1, endAt, true);
      }
    }
    if (S.screen !== 'player') return;
    if (changed) cueCurrent();
    render(now);
  }

  function startTicking() {
    if (S.timer === null) S.timer = window.setInterval(tick, tickMs);
  }

  function stopTicking() {
    if (S.timer !== null) window.clearInterval(S.timer);
    S.timer = null;
  }

  /* Announce, beep and speak the current phase. */
  function cueCurrent(prefix) {
    const e = cur();
    const it = e.item;
    const total = entries.length;
    const parts = prefix ? [prefix] : [];
    const say = [];
    const intro = S.index === 0 ? `Exercise 1 of ${total}: ${it.name}` : `Next: ${it.name}`;
    if (S.phase === 'condition') {
      parts.push(intro, it.condition, 'Choose Do it, or Not needed.');
      announce(parts.join('. '));
      Sound.phase('ready');
      Voice.say(`Next, ${it.name}. ${it.condition}`);
      return;
    }
    const ph = curPhase();
    if (!ph) return;
    if (ph.itemStart) {
      parts.push(intro);
      say.push(S.index === 0 ? it.name : `Next, ${it.name}`);
    }
    const sideLabel = SIDE_LABEL[ph.side] || '';
    if (ph.sideStart && sideLabel) {
      parts.push(sideLabel);
      say.push(sideLabel);
    }
    const repOf = it.reps > 1 ? `rep ${ph.rep} of ${it.reps}` : '';
    const setOf = it.sets > 1 ? `Set ${ph.set} of ${it.sets}` : '';
    switch (ph.kind) {
      case 'ready':
        parts.push(`Get ready, ${secondsText(ph.secs)}`);
        if (!say.length) say.push('Get ready');
        break;
      case 'hold':
        parts.push(`${ph.walk ? 'Walk' : 'Hold'}, ${secondsText(ph.secs)}${repOf ? `, ${repOf}` : ''}`);
        if (ph.rep === 1 && setOf) parts.push(setOf);
        say.push(ph.walk ? `Walk, ${secondsText(ph.secs)}` : 'Hold');
        break;
      case 'release':
        parts.push('Release');
        say.push('Release');
        break;
      case 'move':
        if (ph.rep === 1) {
          parts.push(`Move${repOf ? `, ${repOf}` : ''}`);
          if (setOf) parts.push(setOf);
          say.push('Move');
        } else {
          parts.push(capitalise(repOf));
          say.push(String(ph.rep));
        }
        break;
      case 'rest':
        parts.push(`Rest, ${secondsText(ph.secs)}`);
        say.push(`Rest ${secondsText(ph.secs)}`);
        break;
      default:
        break;
    }
    announce(parts.filter(Boolean).join('. '));
    Sound.phase(ph.kind);
    Voice.say(say.join('. '));
  }

  /* ------------------------------------------------------------------ rendering */

  function renderItem() {
    const e = cur();
    const it = e.item;
    setText(posText, `Exercise ${S.index + 1} of ${entries.length}`);
    posFill.style.width = `${Math.round((S.index / Math.max(1, entries.length)) * 100)}%`;
    setText(nameH, it.name);
    if (e.rec.swapped_from) {
      const from = entries.find((x) => x.item.exercise === e.rec.swapped_from);
      swapP.textContent = `Instead of ${from ? from.item.name : e.rec.swapped_from}`;
      show(swapP, true);
    } else {
      show(swapP, false);
    }
    clear(stepsList);
    if (it.steps.length) it.steps.forEach((s) => stepsList.appendChild(el('li', { text: s })));
    else stepsList.appendChild(el('li', { text: 'Follow the plan for this exercise.' }));
    clear(stopList);
    it.stop_if.forEach((s) => stopList.appendChild(el('li', { text: s })));
    show(stopBox, it.stop_if.length > 0);
    setText(whyP, it.why || 'No explanation was given for this exercise.');
    setText(sourceP, it.source ? `Source: ${it.source}` : '');
    show(sourceP, !!it.source);
    setText(condText, it.condition || '');
  }

  function render(now) {
    if (S.screen !== 'player') return;
    const e = cur();
    const it = e.item;
    const ph = curPhase();
    const isCond = S.phase === 'condition';
    show(condPanel, isCond);
    show(timerBox, !isCond);
    show(pauseBtn, !isCond);

    const side = ph ? ph.side : sidesOf(it.side)[0];
    let sideText = SIDE_LABEL[side] || '';
    if (it.side === 'each' && ph) sideText = ph.si === 0 ? 'Left side (then right)' : 'Right side (left done)';
    setText(sideP, sideText);
    show(sideP, !!sideText);

    timerBox.className = `pl-timer pl-ph-${S.phase || 'none'}${S.paused ? ' pl-paused' : ''}`;
    setText(pauseBtn, S.paused ? 'Resume' : 'Pause');
    pauseBtn.classList.toggle('pl-is-paused', S.paused);

    const t = now === undefined ? performance.now() : now;
    renderPicture(ph, side, t);
    if (!ph) return;
    const left = secondsLeft(t);
    let label = PHASE_LABEL[ph.kind] || '';
    if (ph.walk) label = 'Walk';
    setText(phaseP, S.paused ? `${label} (paused)` : label);
    const clock = clockText(left);
    setText(countP, clock);
    countP.classList.toggle('pl-count-long', clock.length > 2);
    setText(unitP, left >= 60 ? 'minutes' : left === 1 ? 'second' : 'seconds');
    const frac = S.phaseDur > 0 ? 1 - remainingMs(t) / S.phaseDur : 1;
    phaseFill.style.width = `${Math.min(100, Math.max(0, frac * 100)).toFixed(1)}%`;

    const bits = [];
    if (it.sets > 1 && ph.set) bits.push(`Set ${ph.set} of ${it.sets}`);
    if (it.reps > 1 && ph.rep) bits.push(`Rep ${ph.rep} of ${it.reps}`);
    if (ph.kind === 'ready' && it.sets > 1) bits.push(plural(it.sets, 'set', 'sets'));
    if (ph.kind === 'ready' && it.reps > 1) bits.push(`${it.reps} reps`);
    setText(setRepP, bits.join(' · '));
    show(setRepP, bits.length > 0);

    let next = '';
    if (ph.kind === 'ready') next = it.steps.length ? `First: ${it.steps[0]}` : '';
    else if (ph.kind === 'rest') next = `Next: set ${ph.set + 1} of ${it.sets}`;
    else if (ph.kind === 'release') next = `Next: rep ${ph.rep + 1} of ${it.reps}`;
    else if (S.phaseIdx === S.phases.length - 1) next = S.index + 1 < entries.length ? `Next exercise: ${entries[S.index + 1].item.name}` : 'Last one!';
    setText(nextP, next);
    show(nextP, !!next);

    // Countdown beeps in the last 3 seconds (not at compressed test speeds).
    if (!S.paused && (ph.kind === 'hold' || ph.kind === 'rest' || ph.kind === 'ready') && scale >= 0.25 &&
        left >= 1 && left <= 3 && left < ph.secs && S.lastCount !== left) {
      S.lastCount = left;
      Sound.count();
    }
    timerBox.classList.toggle('pl-final', !S.paused && left <= 3 && ph.secs > 3);
  }

  /* ------------------------------------------------------------------ the picture */

  const svgParser = typeof DOMParser === 'function' ? new DOMParser() : null;
  const reducedMotion = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;
  let picRaf = null;
  let shownPicture = null; // the item picture and the `side:frame` in the box now
  let shownKey = null;

  function svgNode(markup) {
    if (!svgParser || !markup) return null;
    try {
      const doc = svgParser.parseFromString(markup, 'image/svg+xml');
      const root = doc.documentElement;
      if (!root || root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) return null;
      return document.importNode(root, true);
    } catch (_) {
      return null;
    }
  }

  /* Which drawing a phase shows: getting ready, releasing and resting at the start position, holding
     at the end position, moving (and walking) as the loop. With reduced motion, a rep shows the end
     position for its first half and the start position for its second. */
  function pictureFrame(ph, t) {
    if (!ph) return 'start';
    const still = reducedMotion && reducedMotion.matches;
    if (ph.kind === 'hold') return ph.walk && !still ? 'animated' : 'end';
    if (ph.kind === 'move') {
      if (!still) return 'animated';
      return phaseFraction(t) < 0.5 ? 'end' : 'start';
    }
    return 'start';
  }

  function phaseFraction(t) {
    return S.phaseDur > 0 ? Math.min(1, Math.max(0, 1 - remainingMs(t) / S.phaseDur)) : 1;
  }

  /* The loop's time at fraction f of one rep: its moving stretches one after the other, without the
     pauses the loop makes for a hold, so the figure goes out and back once per rep of the timer. */
  function loopTime(timeline, f) {
    const moving = timeline.reduce((a, p) => a + (p.moving ? p.secs : 0), 0);
    if (!moving) return 0;
    let want = Math.min(0.999, Math.max(0, f)) * moving;
    let at = 0;
    for (const p of timeline) {
      if (p.moving) {
        if (want <= p.secs) return at + want;
        want -= p.secs;
      }
      at += p.secs;
    }
    return at;
  }

  function renderPicture(ph, side, t) {
    const pic = cur().item.picture;
    const frames = pic ? (pic.sides[side] || pic.sides[Object.keys(pic.sides)[0]]) : null;
    const frame = pictureFrame(ph, t);
    const key = frames && frames[frame] ? `${side}:${frame}` : null;
    if (shownPicture !== pic || shownKey !== key) {
      clear(picBox);
      let node = null;
      if (key) {
        node = pic.nodes[key] || svgNode(frames[frame]);
        if (node) pic.nodes[key] = node;
      }
      if (node) picBox.appendChild(node);
      shownPicture = pic;
      shownKey = key;
      picBox.setAttribute('data-frame', node ? frame : '');
      picBox.setAttribute('data-side', node ? side : '');
      show(picBox, !!node);
    }
    stepPicture(ph, t);
  }

  /* The loop runs by itself while walking; for a rep the timer drives it, frame by frame. */
  function stepPicture(ph, t) {
    const svg = picBox.firstElementChild;
    if (!svg || picBox.getAttribute('data-frame') !== 'animated' || typeof svg.pauseAnimations !== 'function') return;
    if (ph && ph.kind === 'move') {
      svg.pauseAnimations();
      svg.setCurrentTime(loopTime(cur().item.picture.timeline, phaseFraction(t)));
      if (!S.paused && picRaf === null) picRaf = window.requestAnimationFrame(onPictureFrame);
    } else if (S.paused) {
      svg.pauseAnimations();
    } else {
      svg.unpauseAnimations();
    }
  }

  function onPictureFrame(now) {
    picRaf = null;
    const ph = S.screen === 'player' ? curPhase() : null;
    if (ph && ph.kind === 'move' && !S.paused) stepPicture(ph, now);
  }

  function rescueFocus() {
    const a = document.activeElement;
    if (S.screen === 'player' && (!a || a === document.body || !isVisible(a))) {
      if (isVisible(pauseBtn)) focusEl(pauseBtn);
      else if (isVisible(condDo)) focusEl(condDo);
      else focusEl(nameH);
    }
  }

  /* ------------------------------------------------------------------ notices (pain verdicts) */

  function showNotice(title, message, source, forIndex) {
    clear(noticeRegion);
    const box = el('div', { class: 'pl-notice-box pl-notice-alert' },
      el('p', { class: 'pl-notice-title', text: title }),
      message ? el('p', { class: 'pl-notice-msg', text: message }) : null,
      source ? el('p', { class: 'pl-source', text: `Source: ${source}` }) : null,
      button('Hide this message', 'pl-btn-link', () => {
        clearNotice();
        rescueFocus();
      }));
    noticeRegion.appendChild(box);
    S.noticeIndex = forIndex;
  }

  function clearNotice() {
    clear(noticeRegion);
    S.noticeIndex = null;
  }

  /* ------------------------------------------------------------------ controls */

  function onStart(ev) {
    ev.preventDefault();
    Sound.ensure(); // first user gesture: create/resume the AudioContext
    const v = painBeforeGroup.get();
    S.painBefore = v === null ? null : Number(v);
    S.screen = 'player';
    show(startScreen, false);
    show(runScreen, true);
    Wake.on();
    startTicking();
    runScreen.scrollIntoView({ block: 'start' });
    enterItem(0, performance.now(), false);
    if (S.phase !== 'condition') focusEl(pauseBtn);
  }

  function pause() {
    if (!S.running || S.paused) return;
    S.paused = true;
    S.pausedAt = performance.now();
    Voice.stop();
    render();
  }

  function resume() {
    if (!S.running || !S.paused) return;
    Sound.ensure();
    S.phaseStart += performance.now() - S.pausedAt;
    S.paused = false;
    render();
  }

  function togglePause() {
    if (!S.running) return;
    if (S.paused) {
      resume();
      announce('Resumed');
    } else {
      pause();
      announce('Paused');
    }
  }

  function onSkip() {
    Sound.ensure();
    const e = cur();
    resetProgress(e.rec);
    e.rec.skipped = true;
    enterItem(S.index + 1, performance.now(), false, `Skipped ${e.item.name}`);
    rescueFocus();
  }

  function onBack() {
    Sound.ensure();
    let j = S.index - 1;
    while (j >= 0 && entries[j].rec.blocked) j--;
    resetProgress(cur().rec);
    if (j < 0) j = S.index;
    enterItem(j, performance.now(), false, j === S.index ? 'Starting this exercise again' : 'Going back');
    rescueFocus();
  }

  function onConditionDo() {
    Sound.ensure();
    S.running = true;
    beginPhase(0, performance.now());
    render();
    cueCurrent();
    focusEl(pauseBtn);
  }

  function onConditionSkip() {
    onSkip();
  }

  /* ------------------------------------------------------------------ "This hurts" */

  function dialogOpen() {
    return dialog.open || dialog.hasAttribute('open');
  }

  function dialogMode(mode) {
    show(hurtAsk, mode === 'ask');
    show(hurtWait, mode === 'wait');
    show(hurtResult, mode === 'result');
  }

  function openDialog() {
    if (dialogOpen()) return;
    if (hasModal) {
      dialog.showModal();
    } else {
      dialog.setAttribute('open', '');
      runScreen.setAttribute('aria-hidden', 'true');
    }
  }

  function closeDialog() {
    if (!dialogOpen()) return;
    if (hasModal) dialog.close();
    else {
      dialog.removeAttribute('open');
      runScreen.removeAttribute('aria-hidden');
      onDialogClosed();
    }
  }

  function onDialogClosed() {
    if (S.screen === 'player') {
      if (isVisible(hurtBtn) && S.phase !== 'condition' && S.paused) focusEl(pauseBtn);
      else rescueFocus();
    }
  }

  dialog.addEventListener('close', onDialogClosed);
  dialog.addEventListener('cancel', (ev) => {
    if (S.hurtBusy) ev.preventDefault(); // wait for the answer
  });
  dialog.addEventListener('keydown', (ev) => {
    if (!hasModal && ev.key === 'Escape' && !S.hurtBusy) closeDialog();
  });

  function openHurt() {
    if (S.screen !== 'player') return;
    Sound.ensure();
    pause();
    announce('Paused');
    S.hurtIndex = S.index;
    hurtGroup.set(null);
    hurtGroup.error(null);
    setText(dlgTitle, `This hurts: ${cur().item.name}`);
    dialogMode('ask');
    openDialog();
    hurtGroup.inputs[0].focus();
  }

  function excludedSlugs() {
    const set = new Set();
    (Array.isArray(data.excluded) ? data.excluded : []).forEach((s) => { if (s) set.add(String(s)); });
    entries.forEach((e) => { if (e.item.exercise) set.add(e.item.exercise); });
    return Array.from(set);
  }

  async function postJSON(url, body, timeoutMs) {
    const ctrl = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = ctrl ? window.setTimeout(() => ctrl.abort(), timeoutMs) : null;
    try {
      const res = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrf },
        body: JSON.stringify(body),
        signal: ctrl ? ctrl.signal : undefined,
      });
      let json = null;
      try {
        json = await res.json();
      } catch (_) {
        json = null;
      }
      return { status: res.status, json };
    } finally {
      if (timer !== null) window.clearTimeout(timer);
    }
  }

  function recordPain(rec, pain) {
    rec.pain = rec.pain === null ? pain : Math.max(rec.pain, pain);
  }

  function resultButtons(list) {
    clear(hurtResultBtns);
    list.forEach((b) => hurtResultBtns.appendChild(b));
    list[0].focus();
  }

  async function onHurtSubmit(ev) {
    ev.preventDefault();
    if (S.hurtBusy) return;
    const v = hurtGroup.get();
    if (v === null) {
      hurtGroup.error('Choose a number from 0 to 10.');
      hurtGroup.focus();
      return;
    }
    const pain = Number(v);
    const idx = S.hurtIndex;
    const e = entries[idx];
    recordPain(e.rec, pain);
    S.hurtBusy = true;
    dialogMode('wait');
    setText(hurtWait, 'Checking what to do…');
    hurtWait.setAttribute('tabindex', '-1');
    hurtWait.focus();
    let res = null;
    try {
      res = await postJSON(data.swap_url, { exercise: e.item.exercise, pain, excluded: excludedSlugs() }, 15000);
    } catch (_) {
      res = null;
    }
    S.hurtBusy = false;
    if (!res || res.status !== 200 || !res.json || typeof res.json.verdict !== 'string') {
      hurtError(pain);
      return;
    }
    handleVerdict(idx, pain, res.json);
  }

  function hurtError(pain) {
    dialogMode('result');
    if (!dialogOpen()) openDialog();
    clear(hurtResultMsg);
    add(hurtResultMsg, 
      el('p', { class: 'pl-dlg-msg-title', text: 'Could not reach the server; if it hurts 6 or more, stop this exercise.' }),
      el('p', { text: pain >= 6 ? `You said ${pain}/10: please stop this exercise now.` : `You said ${pain}/10. Carry on gently only if it stays below 6, and stop if it climbs.` }));
    setText(hurtResultSrc, '');
    const high = pain >= 6;
    const skipB = button('Skip this exercise', high ? 'pl-btn-primary' : 'pl-btn-secondary', () => {
      closeDialog();
      onSkip();
    });
    const retryB = button('Try again', 'pl-btn-secondary', () => {
      dialogMode('ask');
      hurtGroup.focus();
    });
    const carryB = button('Carry on', high ? 'pl-btn-secondary' : 'pl-btn-primary', () => {
      closeDialog();
      resume();
      announce('Resumed');
    });
    // When it hurts 6 or more, skipping comes first; otherwise carrying on does.
    resultButtons(high ? [skipB, retryB, carryB] : [carryB, retryB, skipB]);
  }

  function handleVerdict(idx, pain, r) {
    const e = entries[idx];
    const message = r.message ? String(r.message) : '';
    const source = r.source ? String(r.source) : '';
    let verdict = r.verdict;
    if (verdict === 'swap' && !(r.replacement && typeof r.replacement === 'object' && r.replacement.exercise)) verdict = 'stop';

    if (verdict === 'swap') {
      const repl = makeEntry(r.replacement);
      repl.rec.swapped_from = e.item.exercise;
      repl.rec.swap_reason = message || null;
      e.rec.swapped_for = repl.item.exercise;
      e.rec.blocked = true;
      e.rec.note = message;
      entries.splice(idx + 1, 0, repl);
      closeDialog();
      // The server's message already says to stop this exercise; the title only says what comes instead.
      showNotice(message ? `Next: ${repl.item.name} instead` : `Stop ${e.item.name}. Next: ${repl.item.name} instead.`,
        message, source, idx + 1);
      enterItem(idx + 1, performance.now(), false);
      rescueFocus();
      return;
    }

    if (verdict === 'stop') {
      resetProgress(e.rec);
      e.rec.skipped = true;
      e.rec.blocked = true;
      e.rec.note = message;
      closeDialog();
      if (idx + 1 >= entries.length) {
        endSession(true, `Stopped ${e.item.name}. ${message}`);
        return;
      }
      showNotice(`Stop ${e.item.name}.`, message, source, idx + 1);
      // Move on, but wait for the person to press Resume (the message may say to stop altogether).
      enterItem(idx + 1, performance.now(), true);
      if (S.running) {
        pause();
        announce(`Stopped ${e.item.name}. Next: ${cur().item.name}, paused. Press Resume when ready, or Finish now.`);
      } else {
        cueCurrent(`Stopped ${e.item.name}`);
      }
      rescueFocus();
      return;
    }

    // carry_on / watch (or anything unknown): show the advice, let them resume.
    dialogMode('result');
    if (!dialogOpen()) openDialog();
    clear(hurtResultMsg);
    add(hurtResultMsg, 
      el('p', { class: 'pl-dlg-msg-title', text: verdict === 'watch' ? `${pain}/10: go gently` : `${pain}/10: you can carry on` }),
      el('p', { text: message || 'Carry on gently, and stop if it climbs to 6 or more.' }));
    setText(hurtResultSrc, source ? `Source: ${source}` : '');
    resultButtons([
      button('Resume', 'pl-btn-primary', () => {
        closeDialog();
        resume();
        announce('Resumed');
      }),
      button('Skip this exercise', 'pl-btn-secondary', () => {
        closeDialog();
        onSkip();
      }),
    ]);
  }

  /* ------------------------------------------------------------------ end of session */

  function endSession(natural, message) {
    if (S.screen === 'summary') return;
    if (S.running && !S.paused) pause();
    if (natural) {
      S.running = false;
      S.phase = null;
    }
    S.canReturn = !natural;
    S.screen = 'summary';
    stopTicking();
    Wake.off();
    Voice.stop();
    if (dialogOpen()) closeDialog();
    buildSummary(natural, message);
    show(runScreen, false);
    show(sumScreen, true);
    if (natural) {
      Sound.done();
      Voice.say('Session finished. Well done.');
    }
    sumTitle.focus();
  }

  let sumTitle = null;
  let sumForm = null;

  function buildSummary(natural, message) {
    clear(sumScreen);
    const doneEntries = entries.filter((e) => e.rec.started && !e.rec.skipped && !e.rec.swapped_for);
    const skipped = entries.filter((e) => (!e.rec.started || e.rec.skipped) && !e.rec.swapped_for);
    const swapped = entries.filter((e) => e.rec.swapped_for);
    sumTitle = el('h2', { id: 'pl-sum-title', class: 'pl-title', tabindex: '-1', text: natural ? 'Session finished: well done' : 'Finish the session' });
    const errSummary = el('div', { class: 'pl-errsum', role: 'alert', tabindex: '-1', hidden: true });
    const status = el('p', { class: 'pl-status', role: 'status' });

    const painNow = radioGroup({
      name: 'painafter', legend: 'Pain now: how much does your back hurt? 0-10', hint: `${PAIN_HINT} Required.`,
      options: painOptions(), cls: 'pl-scale', checked: S.painAfter, onChange: (v) => { S.painAfter = v === null ? null : Number(v); },
    });
    painNow.inputs.forEach((i) => i.setAttribute('required', ''));

    const pbId = nid('pb');
    const pbErr = el('p', { class: 'pl-err', id: nid('err'), hidden: true });
    const pbSelect = el('select', { id: pbId, class: 'pl-select' },
      el('option', { value: '', text: 'Not recorded' }),
      painOptions().map((o) => el('option', { value: String(o.value), text: `${o.value}${o.word ? ` (${o.word})` : ''}` })));
    pbSelect.value = S.painBefore === null ? '' : String(S.painBefore);
    pbSelect.addEventListener('change', () => {
      S.painBefore = pbSelect.value === '' ? null : Number(pbSelect.value);
    });
    const pbField = el('div', { class: 'pl-field pl-field-inline' },
      el('label', { for: pbId, class: 'pl-legend', text: 'Pain before you started (optional)' }), pbSelect, pbErr);

    const effortGroups = new Map();
    const effortFields = doneEntries.map((e) => {
      const g = radioGroup({
        name: 'effort', legend: `${e.item.name}: how hard was it?`,
        options: [{ value: 'easy', label: 'Easy' }, { value: 'ok', label: 'OK' }, { value: 'hard', label: 'Hard' }],
        cls: 'pl-effort', checked: e.rec.effort || 'ok', onChange: (v) => { e.rec.effort = v; },
      });
      effortGroups.set(e, g);
      return g.fieldset;
    });

    const submit = el('button', { type: 'submit', class: 'pl-btn pl-btn-primary pl-btn-big' }, 'Save and finish');
    const returnBtn = S.canReturn ? button('Back to the exercises', 'pl-btn-secondary', returnToSession) : null;

    const lines = [`You did ${plural(doneEntries.length, 'exercise', 'exercises')} of ${entries.length}.`];
    if (swapped.length) lines.push(`Swapped because it hurt: ${swapped.map((e) => e.item.name).join(', ')}.`);
    if (skipped.length) lines.push(`Not done: ${skipped.map((e) => e.item.name).join(', ')}.`);

    sumForm = el('form', { class: 'pl-form', novalidate: true },
      errSummary,
      painNow.fieldset,
      pbField,
      effortFields.length ? el('h3', { class: 'pl-h3', text: 'How hard was each exercise?' }) : null,
      effortFields,
      status,
      el('div', { class: 'pl-sum-btns' }, submit, returnBtn));

    add(sumScreen, 
      sumTitle,
      message ? el('p', { class: 'pl-notice-box pl-notice-alert', text: message }) : null,
      el('div', { class: 'pl-card' }, lines.map((t) => el('p', { text: t }))),
      sumForm,
      el('p', { class: 'pl-links' }, el('a', { href: todayUrl, class: 'pl-link', text: 'Leave without saving' })));

    function clearErrors() {
      errSummary.hidden = true;
      clear(errSummary);
      painNow.error(null);
      pbErr.hidden = true;
      pbErr.textContent = '';
      pbSelect.removeAttribute('aria-invalid');
      pbSelect.removeAttribute('aria-describedby');
      effortGroups.forEach((g) => g.error(null));
      setText(status, '');
      status.classList.remove('pl-status-error');
    }

    function showProblems(problems) {
      clear(errSummary);
      add(errSummary, 
        el('p', { class: 'pl-errsum-title', text: problems.length === 1 ? 'There is a problem' : `There are ${problems.length} problems` }),
        el('ul', null, problems.map((p) => el('li', { text: p }))));
      errSummary.hidden = false;
      errSummary.focus();
    }

    function bodyItems() {
      return entries.map((e) => {
        const it = e.item;
        const r = e.rec;
        // An exercise that hurt was attempted, even if no set was done (it hurt while getting ready, or it was
        // stopped): sent as skipped, its pain would never reach the plan, and it would come back tomorrow.
        const skippedNow = (r.skipped || !r.started) && r.pain === null;
        const asked = effortGroups.get(e);
        return {
          exercise: it.exercise,
          side: it.side,
          planned: { sets: it.sets, reps: it.reps, hold_s: it.hold_s },
          sets_done: skippedNow ? 0 : r.sets,
          reps_done: skippedNow ? 0 : (r.sets >= it.sets ? it.reps : r.reps),
          hold_s_done: skippedNow ? 0 : (r.holds > 0 ? it.hold_s : 0),
          pain: r.pain,
          effort: asked ? (asked.get() || 'ok') : null,
          skipped: skippedNow,
          swapped_from: r.swapped_from,
          swap_reason: r.swap_reason,
        };
      });
    }

    function placeProblem(d, items) {
      let field = d && d.field !== undefined ? d.field : (d && Array.isArray(d.loc) ? d.loc.join('.') : '');
      field = String(field || '').replace(/^body[.[\/]?/, '');
      const msg = d && d.message ? String(d.message) : (d && d.msg ? String(d.msg) : 'This answer was not accepted.');
      let text = msg;
      if (d && d.allowed !== undefined && d.allowed !== null && !msg.includes(String(d.allowed))) text += ` (allowed: ${d.allowed})`;
      if (/^pain_after/.test(field)) {
        painNow.error(text);
        return `Pain now: ${text}`;
      }
      if (/^pain_before/.test(field)) {
        pbErr.textContent = text;
        pbErr.hidden = false;
        pbSelect.setAttribute('aria-invalid', 'true');
        pbSelect.setAttribute('aria-describedby', pbErr.id);
        return `Pain before: ${text}`;
      }
      const m = /^items[.[\/](\d+)\]?(?:[.\/](\w+))?/.exec(field);
      if (m) {
        const e = entries[Number(m[1])];
        const name = e ? e.item.name : `Exercise ${Number(m[1]) + 1}`;
        const g = e ? effortGroups.get(e) : null;
        if (g) g.error(text);
        return `${name}${m[2] ? ` (${m[2].replace(/_/g, ' ')})` : ''}: ${text}`;
      }
      return field ? `${field.replace(/_/g, ' ')}: ${text}` : text;
    }

    sumForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (S.posting) return;
      clearErrors();
      const pa = painNow.get();
      if (pa === null) {
        painNow.error('Choose a number from 0 to 10.');
        showProblems(['Pain now: choose a number from 0 to 10.']);
        return;
      }
      const items = bodyItems();
      const body = { pain_before: S.painBefore, pain_after: Number(pa), items };
      S.posting = true;
      submit.disabled = true;
      setText(status, 'Saving…');
      let res = null;
      try {
        res = await postJSON(data.finish_url, body, 20000);
      } catch (_) {
        res = null;
      }
      S.posting = false;
      submit.disabled = false;
      if (res && res.status === 200 && res.json && res.json.ok) {
        setText(status, 'Saved. Opening your progress…');
        let target = todayUrl;
        if (typeof res.json.redirect === 'string' && res.json.redirect) {
          try {
            const u = new URL(res.json.redirect, window.location.href);
            if (u.origin === window.location.origin) target = u.href;
          } catch (_) { /* keep today */ }
        }
        window.location.assign(target);
        return;
      }
      status.classList.add('pl-status-error');
      if (res && res.status === 422) {
        const detail = res.json && res.json.detail;
        const list = Array.isArray(detail) ? detail : [detail || { message: 'Some answers were not accepted.' }];
        const problems = list.map((d) => (typeof d === 'string' ? placeProblem({ message: d }, items) : placeProblem(d, items)));
        setText(status, 'Please check the answers marked above, then press Save again.');
        showProblems(problems);
        return;
      }
      const why = !res ? 'Could not reach the server.' : `The server could not save this session (error ${res.status}).`;
      setText(status, `${why} Your answers are still here: check your connection and press Save and finish again.`);
      showProblems([why]);
    });
  }

  function returnToSession() {
    S.screen = 'player';
    show(sumScreen, false);
    show(runScreen, true);
    Wake.on();
    startTicking();
    render();
    announce(S.paused ? `Back to ${cur().item.name}, paused. Press Resume to carry on.` : `Back to ${cur().item.name}`);
    if (isVisible(pauseBtn)) focusEl(pauseBtn);
    else rescueFocus();
  }

  /* ------------------------------------------------------------------ keyboard and page events */

  document.addEventListener('keydown', (ev) => {
    if (S.screen !== 'player' || dialogOpen() || ev.defaultPrevented) return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t && t.closest && t.closest('input, textarea, select, button, a, summary, [contenteditable], form, dialog')) return;
    if (ev.key === ' ' || ev.code === 'Space') {
      if (!S.running) return;
      ev.preventDefault();
      togglePause();
    }
  });

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && S.screen === 'player') {
      Wake.on();
      tick();
    }
  });

  /* ------------------------------------------------------------------ test hook */

  function snapshot() {
    const e = S.screen === 'player' || S.screen === 'summary' ? cur() : null;
    const ph = S.screen === 'player' ? curPhase() : null;
    return {
      screen: S.screen,
      index: S.index,
      total: entries.length,
      exercise: e ? e.item.exercise : null,
      phase: S.screen === 'player' ? S.phase : null,
      secondsLeft: ph ? secondsLeft() : null,
      set: ph && ph.set ? ph.set : null,
      rep: ph && ph.rep ? ph.rep : null,
      side: ph ? ph.side : null,
      picture: S.screen === 'player' && !picBox.hidden ? picBox.getAttribute('data-frame') : null,
      pictureSide: S.screen === 'player' && !picBox.hidden ? picBox.getAttribute('data-side') : null,
      paused: S.paused,
      sound: S.sound,
      speech: S.speech,
      items: entries.map((x) => ({
        exercise: x.item.exercise, started: x.rec.started, done: x.rec.done, skipped: x.rec.skipped,
        pain: x.rec.pain, swapped_for: x.rec.swapped_for, swapped_from: x.rec.swapped_from,
      })),
    };
  }

  const hook = Object.freeze({
    getState: snapshot,
    get state() {
      return snapshot();
    },
  });
  try {
    Object.defineProperty(window, 'sijPlayer', { value: hook, writable: false, configurable: true, enumerable: true });
  } catch (_) {
    window.sijPlayer = hook;
  }
}());
