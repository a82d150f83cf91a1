/* Small DOM and wording helpers for the session player. Text always goes in through textContent. */

let uid = 0;
export const nid = (p) => `pl-${p}-${++uid}`;

export function el(tag, attrs, ...kids) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = String(v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  add(node, ...kids);
  return node;
}

/* Like Element.append, but skips null and false. */
export function add(node, ...kids) {
  for (const k of kids.flat(Infinity)) {
    if (k === null || k === undefined || k === false) continue;
    node.appendChild(typeof k === 'string' ? document.createTextNode(k) : k);
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

export function show(node, on) {
  if (node.hidden === on) node.hidden = !on;
}

export function button(text, cls, onClick, attrs) {
  return el('button', { type: 'button', class: `pl-btn ${cls || ''}`.trim(), on: { click: onClick }, ...(attrs || {}) }, text);
}

/* Focus without jumping the page; bring the node into view only if it is off screen. */
export function focusEl(node) {
  if (!node) return;
  node.focus({ preventScroll: true });
  const r = node.getBoundingClientRect();
  if (r.top < 0 || r.bottom > window.innerHeight) node.scrollIntoView({ block: 'nearest' });
}

export function isVisible(node) {
  return !!node && node.isConnected && node.getClientRects().length > 0;
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

export function secondsText(s) {
  s = Math.round(s);
  if (s < 60) return plural(s, 'second', 'seconds');
  const m = Math.floor(s / 60);
  const r = s % 60;
  return r ? `${plural(m, 'minute', 'minutes')} ${plural(r, 'second', 'seconds')}` : plural(m, 'minute', 'minutes');
}

export function clockText(s) {
  if (s === null || s === undefined) return '';
  if (s < 60) return String(s);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function capitalise(t) {
  return t ? t.charAt(0).toUpperCase() + t.slice(1) : '';
}

/* A group of big radio buttons already in the page (a fieldset holding inputs of one name). */
export function radioGroup(fieldset, onChange) {
  const inputs = Array.from(fieldset.querySelectorAll('input[type=radio]'));
  const errP = fieldset.querySelector('.pl-err');
  const hintId = fieldset.getAttribute('aria-describedby');
  const group = {
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
    error(msg) {
      setText(errP, msg || '');
      show(errP, !!msg);
      fieldset.classList.toggle('pl-invalid', !!msg);
      const ids = [hintId, msg ? errP.id : null].filter(Boolean).join(' ');
      if (ids) fieldset.setAttribute('aria-describedby', ids);
      inputs.forEach((i) => (msg ? i.setAttribute('aria-invalid', 'true') : i.removeAttribute('aria-invalid')));
    },
  };
  inputs.forEach((i) => i.addEventListener('change', () => {
    group.error(null);
    if (onChange) onChange(group.get());
  }));
  return group;
}

/* A new radio group (the effort of each exercise done), built like the ones in the page. */
export function makeRadioGroup(legend, options, checked, onChange) {
  const name = nid('r');
  const grid = el('div', { class: 'pl-choices pl-effort' });
  for (const o of options) {
    const id = nid('o');
    const input = el('input', { type: 'radio', name, id, value: o.value, class: 'pl-choice-input' });
    input.checked = o.value === checked;
    add(grid, input, el('label', { for: id, class: 'pl-choice' }, el('span', { class: 'pl-choice-main', text: o.label })));
  }
  const fieldset = el('fieldset', { class: 'pl-field' }, el('legend', { class: 'pl-legend', text: legend }), grid,
    el('p', { class: 'pl-err', id: nid('e'), hidden: true }));
  return radioGroup(fieldset, onChange);
}
