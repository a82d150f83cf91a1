"""From pose data to a moving scene: keyframes placed and fitted, the motion sampled, props placed.

Everything here is in body units (standing height 1.0, y up, the floor at y = 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from sijcoach.illustrate.body import Angle, Vec, View, forward, radius
from sijcoach.illustrate.poses import Figure, Fit, Frame, Prop, PropKind, figures

STEPS_PER_MOVE = 6  # drawn moments per move between keyframes (the ends included once)
BALL_RADIUS = 0.16
CHAIR_SEAT = 0.26
DOOR_WIDTH = 0.1
BAR_RADIUS = 0.015
BED_LENGTH = 0.9


@dataclass(frozen=True)
class Phase:
    """One step of the loop: travelling to `frame` (moving) or holding it still."""

    frame: str
    seconds: float
    moving: bool


@dataclass(frozen=True)
class Surface:
    """A fixed prop surface. `kind` is "floor", "plane" (x or y = at), "circle" or "seat"."""

    prop: PropKind
    kind: str
    at: float = 0.0
    axis: int = 1  # 0: x = at, 1: y = at
    solid: int = -1  # which side is solid: -1 below/left of `at`, +1 above/right
    centre: tuple[float, float] = (0.0, 0.0)
    r: float = 0.0
    span: tuple[float, float] = (-math.inf, math.inf)  # along the other axis

    def distance(self, p: Vec) -> float:
        """Signed distance from a point to the surface; negative inside the solid."""
        if self.kind == "circle":
            return math.hypot(p[0] - self.centre[0], p[1] - self.centre[1]) - self.r
        along = p[1 - self.axis]
        if not self.span[0] <= along <= self.span[1]:
            return math.inf
        return (p[self.axis] - self.at) * -self.solid


@dataclass(frozen=True)
class Scene:
    """A figure's whole movement, ready to draw and to check."""

    figure: Figure
    times: tuple[float, ...]  # seconds at each moment, from 0
    moments: tuple[dict[str, Vec], ...]  # body points at each moment
    keys: tuple[int, ...]  # index in `moments` of each keyframe, in frame order
    surfaces: tuple[Surface, ...]
    phases: tuple[Phase, ...]

    @property
    def duration(self) -> float:
        return self.times[-1]

    def at_frame(self, name: str) -> dict[str, Vec]:
        names = [f.name for f in self.figure.frames]
        return self.moments[self.keys[names.index(name)]]

    def surface(self, kind: PropKind) -> list[Surface]:
        return [s for s in self.surfaces if s.prop is kind]


def _place(angles: dict[str, Angle], at: tuple[float, float], figure: Figure) -> dict[str, Vec]:
    pts = forward(angles, figure.view)
    ax, ay, _ = pts[figure.anchor]
    dx, dy = at[0] - ax, at[1] - ay
    return {k: (x + dx, y + dy, z) for k, (x, y, z) in pts.items()}


def _gap(pts: dict[str, Vec], part: str, surfaces: list[Surface], view: View) -> float:
    """How far `part` is from touching the nearest of `surfaces` (negative: sunk in)."""
    return min(s.distance(pts[part]) for s in surfaces) - radius(part, view)


def _fit(angles: dict[str, Angle], at, figure: Figure, fits, surfaces: list[Surface]):
    """Solve each fit in turn: one shared turn of its angles (or a shift of the whole body along
    "x" or "y") that brings the part onto the prop. A `clear` fit only lifts a part out of a prop.
    Returns the angles, the placement and the body's points."""
    angles = dict(angles)
    pts = _place(angles, at, figure)
    for _ in range(2):  # a second pass settles fits that disturb each other
        changed = False
        for fit in fits:
            targets = [s for s in surfaces if s.prop is fit.prop]
            now = _gap(pts, fit.part, targets, figure.view)
            if abs(now) < 1e-6 or (fit.clear and now >= 0):
                continue

            def gap(delta: float, fit: Fit = fit, targets=targets) -> float:
                trial, shifted = _turn(angles, at, fit.vary, delta)
                return _gap(_place(trial, shifted, figure), fit.part, targets, figure.view)

            delta = _root(gap, now)
            if delta:
                angles, at = _turn(angles, at, fit.vary, delta)
                pts = _place(angles, at, figure)
                changed = True
        if not changed:
            break
    return angles, at, pts


def _turn(angles: dict[str, Angle], at, vary: tuple[str, ...], delta: float):
    """Angles turned, or the placement shifted (degrees for angles, a hundredth of height for x, y)."""
    if vary == ("x",) or vary == ("y",):
        d = delta / 100
        return angles, ((at[0] + d, at[1]) if vary == ("x",) else (at[0], at[1] + d))
    trial = dict(angles)
    for name in vary:
        trial[name] = (trial[name][0] + delta, trial[name][1])
    return trial, at


def _root(gap, g_zero: float, limit: float = 120.0) -> float | None:
    """The smallest turn that closes the gap (`g_zero` at no turn): secant from 0, else a scan."""
    d0, d1, g0 = 0.0, 1.0, g_zero
    g1 = gap(d1)
    for _ in range(12):
        if abs(g1) < 1e-6:
            return d1 if abs(d1) <= 30 else _scan(gap, g_zero, limit)
        if g1 == g0 or math.isinf(g1) or math.isinf(g0):
            break
        d0, d1, g0 = d1, d1 - g1 * (d1 - d0) / (g1 - g0), g1
        d1 = max(-limit, min(limit, d1))
        g1 = gap(d1)
    return _scan(gap, g_zero, limit)


def _scan(gap, g_zero: float, limit: float) -> float | None:
    for step in range(1, int(limit / 5) + 1):
        for sign in (1, -1):
            a, b = sign * (step - 1) * 5.0, sign * step * 5.0
            ga, gb = (g_zero if a == 0 else gap(a)), gap(b)
            if math.isinf(ga) or math.isinf(gb) or (ga > 0) == (gb > 0):
                continue
            for _ in range(30):
                mid = (a + b) / 2
                gm = gap(mid)
                if (gm > 0) == (ga > 0):
                    a, ga = mid, gm
                else:
                    b = mid
            return (a + b) / 2
    return None


_RESTING = tuple(
    Fit((f"{side}_{joint}",), f"{side}_{end}", PropKind.FLOOR, clear=True)
    for side in ("near", "far") for joint, end in (("ankle", "toe"), ("wrist", "hand"))
)


def _ordered(fits: list[Fit], resting) -> list[Fit]:
    """The pose's own fits first, then hands and feet come to rest, then parts are lifted clear."""
    return [f for f in fits if not f.clear] + list(resting) + [f for f in fits if f.clear]


def _floor(view: View) -> list[Surface]:
    return [] if view is View.TOP else [Surface(PropKind.FLOOR, "plane", at=0.0, axis=1, solid=-1)]


def _prop_surfaces(prop: Prop, pts: dict[str, Vec] | None, view: View) -> list[Surface]:
    """Where a fixed prop's touchable surfaces are; `pts` is the body in the prop's frame."""
    px, py = prop.x, prop.y
    r = radius(prop.touch, view) if prop.touch else 0.0
    tx, ty = (pts[prop.touch][0], pts[prop.touch][1]) if prop.touch and pts else (0.0, 0.0)
    hip_x = pts["hip"][0] if pts else 0.0
    match prop.kind:
        case PropKind.MAT:
            return [Surface(PropKind.MAT, "plane", at=0.0, axis=1, solid=-1)]
        case PropKind.WALL | PropKind.DOOR:
            if prop.surface in ("above", "below"):
                solid = 1 if prop.surface == "above" else -1
                at = py if py is not None else ty + solid * r
                return [Surface(prop.kind, "plane", at=at, axis=1, solid=solid)]
            if prop.surface in ("left", "right"):
                solid = 1 if prop.surface == "right" else -1
            else:
                solid = 1 if (px if px is not None else tx) > hip_x else -1
            at = px if px is not None else tx + solid * r
            return [Surface(prop.kind, "plane", at=at, axis=0, solid=solid)]
        case PropKind.CHAIR:
            seat = prop.size or CHAIR_SEAT
            if prop.surface == "back":  # a hand on the top of the chair back
                top = py if py is not None else ty - r
                x = px if px is not None else tx
                return [Surface(PropKind.CHAIR, "plane", at=top, axis=1, solid=-1, span=(x - 0.03, x + 0.03))]
            top = py if py is not None else (ty - r if prop.touch else seat)
            x = px if px is not None else tx
            span = (x - 0.14, x + 0.1) if view is View.SIDE else (x - 0.16, x + 0.16)
            return [Surface(PropKind.CHAIR, "plane", at=top, axis=1, solid=-1, span=span)]
        case PropKind.BED:
            top = py if py is not None else ty - r
            edge = px if px is not None else tx + 0.08
            return [Surface(PropKind.BED, "plane", at=top, axis=1, solid=-1, span=(edge - BED_LENGTH, edge))]
        case PropKind.BALL:
            size = prop.size or BALL_RADIUS
            cx = px if px is not None else tx
            cy = py if py is not None else size
            return [Surface(PropKind.BALL, "circle", centre=(cx, cy), r=size)]
        case PropKind.BAR:
            cx = px if px is not None else tx
            cy = py if py is not None else ty + r + BAR_RADIUS
            return [Surface(PropKind.BAR, "circle", centre=(cx, cy), r=BAR_RADIUS)]
    return []


def _times(figure: Figure) -> list[Phase]:
    """The loop: hold the first frame, then move to and hold each next one, then move back."""
    from sijcoach.engine.catalog import catalog

    dose = catalog()[figure.slug].dose if figure.slug in catalog() else None
    rep = dose.rep_s if dose else 3
    hold = dose.hold_s.low if dose else 0
    default_move = min(2.0, max(0.8, rep / 2))
    phases = []
    frames = figure.frames
    for i, f in enumerate(frames):
        if i:
            phases.append(Phase(f.name, f.move_s if f.move_s is not None else default_move, True))
        if f.hold_s is not None:
            held = f.hold_s
        elif f.name == "end":
            held = min(3.0, max(1.0, hold)) if hold else 0.5
        else:
            held = 1.0 if i == 0 else 0.5
        if held:
            phases.append(Phase(f.name, held, False))
    first = frames[0]
    phases.append(Phase(first.name, first.move_s if first.move_s is not None else default_move, True))
    return phases


def _ease(t: float) -> float:
    return (1 - math.cos(math.pi * t)) / 2


def _mix(a: Frame, b: Frame, t: float) -> tuple[dict[str, Angle], tuple[float, float]]:
    am, bm = a.angle_map(), b.angle_map()
    angles = {k: (am[k][0] + (bm[k][0] - am[k][0]) * t, am[k][1] + (bm[k][1] - am[k][1]) * t) for k in am}
    at = (a.at[0] + (b.at[0] - a.at[0]) * t, a.at[1] + (b.at[1] - a.at[1]) * t)
    return angles, at


@lru_cache(maxsize=None)
def scene(slug: str) -> Scene:
    """The sampled movement of one exercise, with its props placed; cached per process."""
    figure = figures()[slug]
    view = figure.view
    fixed = _floor(view)
    placed_later = []
    for prop in figure.props:
        if prop.touch is None and prop.kind not in (PropKind.KETTLEBELL, PropKind.BAND, PropKind.CUSHION):
            fixed += _prop_surfaces(prop, None, view)
        elif prop.touch is not None:
            placed_later.append(prop)
    # Keyframes: every fit that applies to them, against the fixed props; then hands and feet
    # that would sink into the floor bend at the wrist or ankle to rest on it instead.
    resting = () if view is View.TOP else _RESTING
    solved: list[Frame] = []
    for f in figure.frames:
        fits = _ordered([x for x in figure.fits if not x.frames or f.name in x.frames], resting)
        angles, at, _ = _fit(f.angle_map(), f.at, figure, fits, fixed)
        solved.append(Frame(f.name, tuple(angles.items()), at, f.hold_s, f.move_s))
    key_points = {f.name: _place(f.angle_map(), f.at, figure) for f in solved}
    surfaces = list(fixed)
    for prop in placed_later:
        surfaces += _prop_surfaces(prop, key_points[prop.frame], view)
    # Moments: holds repeat a keyframe; moves are eased and refitted with the fits that always apply.
    always = _ordered([x for x in figure.fits if not x.frames], resting)
    by_name = {f.name: f for f in solved}
    phases = _times(figure)
    times, moments, keys = [0.0], [key_points[solved[0].name]], [0]
    current = solved[0]
    seen = {current.name}
    for ph in phases:
        target = by_name[ph.frame]
        if ph.moving:
            for step in range(1, STEPS_PER_MOVE + 1):
                t = step / STEPS_PER_MOVE
                if step == STEPS_PER_MOVE:
                    pts = key_points[target.name]
                else:
                    angles, at = _mix(current, target, _ease(t))
                    pts = _fit(angles, at, figure, always, fixed)[2]
                times.append(times[-1] + ph.seconds / STEPS_PER_MOVE)
                moments.append(pts)
            current = target
        else:
            times.append(times[-1] + ph.seconds)
            moments.append(key_points[target.name])
        if target.name not in seen:
            keys.append(len(moments) - 1)
            seen.add(target.name)
    return Scene(figure, tuple(times), tuple(moments), tuple(keys), tuple(surfaces), tuple(phases))

