/* The timer: an item's phases (get ready, sides, sets, reps, holds, rests) and a wall-clock count
   through them that a pause stops and a reload can pick up at the same phase. */

export const SIDE_LABEL = { left: 'Left side', right: 'Right side', both: 'Both sides', none: '' };
export const PHASE_LABEL = { ready: 'Get ready', hold: 'Hold', release: 'Release', move: 'Move', rest: 'Rest' };

export function sidesOf(side) {
  return side === 'each' ? ['left', 'right'] : [side];
}

export function isWalk(it) {
  return it.reps === 1 && it.sets === 1 && it.hold_s >= 60 && /walk/i.test(`${it.exercise} ${it.name}`);
}

export function buildPhases(it, readyS, newPosition = false) {
  const out = [];
  const walk = isWalk(it);
  const sets = Math.max(1, it.sets || 1);
  const reps = Math.max(1, it.reps || 1);
  sidesOf(it.side).forEach((side, si) => {
    const first = out.length;
    if (readyS > 0) out.push({ kind: 'ready', secs: readyS, side, si, newPosition: newPosition && si === 0 });
    for (let set = 1; set <= sets; set++) {
      for (let rep = 1; rep <= reps; rep++) {
        if (it.hold_s > 0) {
          out.push({ kind: 'hold', work: true, walk, secs: it.hold_s, side, si, set, rep });
          if (rep < reps && it.rep_s > 0) out.push({ kind: 'release', secs: it.rep_s, side, si, set, rep });
        } else {
          out.push({ kind: 'move', work: true, secs: it.rep_s > 0 ? it.rep_s : 3, side, si, set, rep });
        }
      }
      if (set < sets && it.rest_s > 0) out.push({ kind: 'rest', secs: it.rest_s, side, si, set });
    }
    out[first].sideStart = true;
  });
  out[0].itemStart = true;
  return out;
}

/* One phase's clock: started at `start` (performance.now()), lasting `dur` ms, pausable. */
export class Clock {
  constructor(scale) {
    this.scale = scale;
    this.start = 0;
    this.dur = 0;
    this.paused = false;
    this.pausedAt = 0;
  }

  begin(secs, t0) {
    this.start = t0;
    this.dur = secs * 1000 * this.scale;
  }

  remainingMs(now) {
    return Math.max(0, this.start + this.dur - (this.paused ? this.pausedAt : now));
  }

  secondsLeft(now) {
    return Math.max(0, Math.ceil(this.remainingMs(now) / (1000 * this.scale) - 1e-6));
  }

  fraction(now) {
    return this.dur > 0 ? Math.min(1, Math.max(0, 1 - this.remainingMs(now) / this.dur)) : 1;
  }

  get endsAt() {
    return this.start + this.dur;
  }

  pause(now) {
    if (this.paused) return;
    this.paused = true;
    this.pausedAt = now;
  }

  resume(now) {
    if (!this.paused) return;
    this.start += now - this.pausedAt;
    this.paused = false;
  }
}
