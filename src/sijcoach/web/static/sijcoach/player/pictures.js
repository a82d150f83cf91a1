/* The exercise drawings: SVG files (content-hashed, kept by the browser and, for today's session, by
   the service worker). Each is fetched once as text and parsed with DOMParser into an inline <svg>,
   so the player can drive the loop with setCurrentTime in step with the timer. */

const parser = new DOMParser();
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
const texts = new Map(); // url -> Promise of the SVG text (or null)
const nodes = new Map(); // url -> parsed <svg>

function fetchText(url) {
  if (!texts.has(url)) {
    texts.set(url, fetch(url, { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.text() : null))
      .catch(() => { texts.delete(url); return null; }));
  }
  return texts.get(url);
}

export function pictureUrls(items) {
  const urls = [];
  for (const it of items) {
    const sides = it.picture && it.picture.sides ? Object.values(it.picture.sides) : [];
    for (const frames of sides) urls.push(...Object.values(frames));
  }
  return urls;
}

/* Fetch every drawing of the session now, while online, so each is there later without the network. */
export function prefetch(items) {
  return Promise.all(pictureUrls(items).map(fetchText));
}

function svgNode(url, text) {
  if (nodes.has(url)) return nodes.get(url);
  if (!text) return null;
  const doc = parser.parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) return null;
  const node = document.importNode(root, true);
  nodes.set(url, node);
  return node;
}

/* Which drawing a phase shows: getting ready, releasing and resting at the start position, holding
   at the end position, moving (and walking) as the loop. With reduced motion, a rep shows the end
   position for its first half and the start position for its second. */
export function pictureFrame(ph, fraction) {
  if (!ph) return 'start';
  const still = reducedMotion.matches;
  if (ph.kind === 'hold') return ph.walk && !still ? 'animated' : 'end';
  if (ph.kind === 'move') {
    if (!still) return 'animated';
    return fraction < 0.5 ? 'end' : 'start';
  }
  return 'start';
}

/* The loop's time at fraction f of one rep: its moving stretches one after the other, without the
   pauses the loop makes for a hold, so the figure goes out and back once per rep of the timer. */
export function loopTime(timeline, f) {
  const moving = timeline.reduce((a, p) => a + (p[2] ? p[1] : 0), 0);
  if (!moving) return 0;
  let want = Math.min(0.999, Math.max(0, f)) * moving;
  let at = 0;
  for (const [, secs, isMoving] of timeline) {
    if (isMoving) {
      if (want <= secs) return at + want;
      want -= secs;
    }
    at += secs;
  }
  return at;
}

/* Shows the item's drawing for the phase in `box` (data-frame and data-side say which). */
export class PictureBox {
  constructor(box) {
    this.box = box;
    this.url = null;
    this.want = null;
    this.raf = null;
  }

  show(item, side, frame) {
    const sides = item.picture && item.picture.sides;
    const frames = sides ? (sides[side] || Object.values(sides)[0]) : null;
    const url = frames ? frames[frame] : null;
    this.want = url;
    if (url === this.url) return;
    if (!url) return this.put(null, null, '', '');
    const ready = nodes.get(url);
    if (ready) return this.put(url, ready, frame, side);
    fetchText(url).then((text) => {
      if (this.want === url) this.put(url, svgNode(url, text), frame, side);
    });
  }

  put(url, node, frame, side) {
    while (this.box.firstChild) this.box.removeChild(this.box.firstChild);
    if (node) {
      if (typeof node.pauseAnimations === 'function') node.pauseAnimations(); // the timer moves it (see step)
      this.box.appendChild(node);
    }
    this.url = node ? url : null;
    this.box.dataset.frame = node ? frame : '';
    this.box.dataset.side = node ? side : '';
    this.box.hidden = !node;
  }

  /* The loop runs by itself while walking; for a rep the timer drives it, frame by frame. */
  step(ph, fraction, paused, timeline) {
    const svg = this.box.firstElementChild;
    if (!svg || this.box.dataset.frame !== 'animated' || typeof svg.pauseAnimations !== 'function') return;
    if (ph && ph.kind === 'move') {
      svg.pauseAnimations();
      svg.setCurrentTime(loopTime(timeline || [], fraction));
    } else if (paused) {
      svg.pauseAnimations();
    } else {
      svg.unpauseAnimations();
    }
  }

  /* While a rep runs, keep the figure in step on every animation frame (the timer ticks less often):
     `now()` gives [phase, fraction, paused, timeline] or null once the player has moved on. */
  follow(now) {
    if (this.raf !== null) return;
    this.raf = window.requestAnimationFrame(() => {
      this.raf = null;
      const at = now();
      if (!at || !at[0] || at[0].kind !== 'move' || at[2]) return;
      this.step(...at);
      this.follow(now);
    });
  }
}
