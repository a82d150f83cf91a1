"""Drawing a scene as SVG: one palette, rounded limbs, plain props; animated with SMIL, no script.

Coordinates are whole numbers of SVG units (`SCALE` a standing height) with the viewBox starting at
0, so the mirrored drawing (the left side) is exact: every x becomes `width - x`.
No ids and no style attributes: the markup can be inlined under a strict Content-Security-Policy,
several times on one page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from sijcoach.illustrate.body import HEAD_RADIUS, LIMB, TRUNK, Vec, View
from sijcoach.illustrate.poses import PropKind
from sijcoach.illustrate.scene import CHAIR_SEAT, DOOR_WIDTH, Scene, Surface

SCALE = 400  # SVG units per standing height
PIXELS = 150  # displayed pixels per standing height
MARGIN = 0.06
GAP = 0.16  # between the two figures of a still
FLOOR_IN_VIEW = 0.15  # a moment framed alone shows the floor when the figure comes this close to it

PALETTE = {
    "near": "#1f3b57",
    "body": "#456b8c",
    "far": "#a9bfd2",
    "face": "#ffffff",
    "floor": "#7d8793",
    "mat": "#d5dde6",
    "prop": "#e4e8ed",
    "prop_line": "#7d8793",
    "ball": "#f2b880",
    "band": "#d2691e",
    "bell": "#3c3c3c",
    "water": "#5aa7dc",
    "arrow": "#7d8793",
}


@dataclass
class _Map:
    """Body units to SVG units: y flipped, origin at the top left, optionally mirrored."""

    x0: float
    y1: float
    width: int
    height: int
    mirror: bool = False

    def x(self, x: float) -> int:
        v = round((x - self.x0) * SCALE)
        return self.width - v if self.mirror else v

    def y(self, y: float) -> int:
        return round((self.y1 - y) * SCALE)

    def pt(self, p) -> str:
        return f"{self.x(p[0])},{self.y(p[1])}"


def _len(v: float) -> int:
    return round(v * SCALE)


@dataclass
class _El:
    """One SVG element whose attributes may change from moment to moment."""

    tag: str
    fixed: dict[str, str]
    moving: dict[str, list[str]] = field(default_factory=dict)
    inner: str = ""

    def markup(self, at: int | None, times: str | None, dur: float) -> str:
        """`at`: draw one moment still; otherwise animate over all moments with keyTimes `times`."""
        attrs = dict(self.fixed)
        anims = []
        for name, values in self.moving.items():
            attrs[name] = values[0 if at is None else at]
            if at is None and any(v != values[0] for v in values):
                anims.append(
                    f'<animate attributeName="{name}" values="{";".join(values)}" keyTimes="{times}" '
                    f'dur="{dur:g}s" repeatCount="indefinite"/>'
                )
        head = " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items())
        body = self.inner + "".join(anims)
        return f"<{self.tag} {head}>{body}</{self.tag}>" if body else f"<{self.tag} {head}/>"


def _stroke(colour: str, width: float, fill: str = "none") -> dict[str, str]:
    return {"fill": fill, "stroke": colour, "stroke-width": str(_len(width)),
            "stroke-linecap": "round", "stroke-linejoin": "round"}


def _path(moments, names, m: _Map, colour, width, close=False, fill="none") -> _El:
    ds = ["M" + " L".join(m.pt(p[n]) for n in names) + (" Z" if close else "") for p in moments]
    return _El("path", _stroke(colour, width, fill), {"d": ds})


def _circle(moments, centre, r: float, m: _Map, fill: str, stroke: str | None = None) -> _El:
    attrs = {"r": str(_len(r)), "fill": fill}
    if stroke:
        attrs |= {"stroke": stroke, "stroke-width": str(_len(0.008))}
    return _El("circle", attrs, {"cx": [str(m.x(centre(p)[0])) for p in moments],
                                 "cy": [str(m.y(centre(p)[1])) for p in moments]})


def _face(p: dict[str, Vec]) -> tuple[float, float]:
    """A small nose on the face side of the head, so the way the figure faces reads at a glance."""
    dx, dy = p["head"][0] - p["neck"][0], p["head"][1] - p["neck"][1]
    n = math.hypot(dx, dy) or 1.0
    fx, fy = dy / n, -dx / n  # the head's direction turned a quarter clockwise
    return (p["head"][0] + fx * HEAD_RADIUS * 0.75 + dx / n * 0.012, p["head"][1] + fy * HEAD_RADIUS * 0.75 + dy / n * 0.012)


def _body(scene: Scene, moments, m: _Map) -> tuple[list[_El], list[_El], list[_El]]:
    """Body elements in three layers: behind the middle props, the trunk, in front."""
    side = scene.figure.view is View.SIDE
    leg = ("hip", "knee", "ankle", "heel", "toe")
    arm = ("shoulder", "elbow", "wrist", "hand")
    chains = {}
    for s in ("near", "far"):
        colour = PALETTE[s]
        chains[f"{s}_leg"] = _path(moments, [f"{s}_{j}" for j in leg], m, colour, LIMB)
        chains[f"{s}_arm"] = _path(moments, [f"{s}_{j}" for j in arm], m, colour, LIMB)
    if side:
        trunk = [_path(moments, ["hip", "waist", "neck"], m, PALETTE["body"], TRUNK)]
    else:
        outline = ["near_hip", "near_waist", "near_shoulder", "far_shoulder", "far_waist", "far_hip"]
        trunk = [_path(moments, outline, m, PALETTE["body"], LIMB, close=True, fill=PALETTE["body"])]
    trunk.append(_path(moments, ["neck", "head"], m, PALETTE["body"], LIMB))
    trunk.append(_circle(moments, lambda p: p["head"], HEAD_RADIUS, m, PALETTE["body"]))
    if side:
        trunk.append(_circle(moments, _face, 0.014, m, PALETTE["body"]))
        return [chains["far_arm"], chains["far_leg"]], trunk, [chains["near_leg"], chains["near_arm"]]
    # Front and top views: whatever comes toward the viewer is drawn over the trunk.
    def depth(name: str) -> float:
        side_, part = name.split("_")
        joints = leg if part == "leg" else arm
        return sum(p[f"{side_}_{j}"][2] for p in moments for j in joints) / len(moments) / len(joints)

    ordered = sorted(chains, key=lambda n: (depth(n) > 0.02, n.startswith("near"), depth(n)))
    behind = [chains[n] for n in ordered if depth(n) <= 0.02 and n.startswith("far")]
    front = [chains[n] for n in ordered if chains[n] not in behind]
    return behind, trunk, front


def _fixed_props(scene: Scene, m: _Map, extent: tuple[float, float, float, float]) -> tuple[list[str], list[str]]:
    """Props that stay put, as markup in two layers: behind the figure, and between its two sides."""
    x0, x1, y0, y1 = extent
    back, middle = [], []
    fig = scene.figure
    line = f'stroke="{PALETTE["prop_line"]}" stroke-width="{_len(0.008)}"'
    prop_fill = f'fill="{PALETTE["prop"]}" {line}'

    def rect(ax, ay, bx, by, attrs=prop_fill, rx=0.0):
        left, right = sorted((m.x(ax), m.x(bx)))
        top, bottom = sorted((m.y(ay), m.y(by)))
        return (f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
                f'rx="{_len(rx)}" {attrs}/>')

    kinds = {p.kind for p in fig.props}
    if PropKind.MAT in kinds:
        low = [p for mom in scene.moments for k, p in mom.items() if fig.view is View.TOP or p[1] < 0.12]
        lx = min(p[0] for p in low) - 0.08
        hx = max(p[0] for p in low) + 0.08
        if fig.view is View.TOP:
            ly, hy = min(p[1] for p in low) - 0.1, max(p[1] for p in low) + 0.1
            back.append(rect(lx, ly, hx, hy, f'fill="{PALETTE["mat"]}"', rx=0.03))
        else:
            back.append(rect(lx, 0, hx, -0.025, f'fill="{PALETTE["mat"]}"', rx=0.01))
    for s in scene.surfaces:
        if s.prop is PropKind.WALL:
            back.append(_wall(s, rect, x0, x1, y0, y1, 0.05))
        elif s.prop is PropKind.DOOR:
            middle.append(_wall(s, rect, x0, x1, y0, y1, DOOR_WIDTH))
        elif s.prop is PropKind.BALL:
            back.append(f'<circle cx="{m.x(s.centre[0])}" cy="{m.y(s.centre[1])}" r="{_len(s.r)}" '
                        f'fill="{PALETTE["ball"]}" {line}/>')
        elif s.prop is PropKind.BAR:
            cx, cy = m.x(s.centre[0]), m.y(s.centre[1])
            back.append(rect(s.centre[0], s.centre[1], s.centre[0] + 0.008, y1, prop_fill))
            back.append(f'<circle cx="{cx}" cy="{cy}" r="{_len(s.r + 0.005)}" fill="{PALETTE["prop_line"]}"/>')
        elif s.prop is PropKind.CHAIR:
            back += _chair(s, rect, fig, scene)
        elif s.prop is PropKind.BED:
            a, b = s.span
            back.append(rect(a, s.at, b, s.at - 0.12, prop_fill, rx=0.02))
            back.append(rect(a + 0.03, s.at - 0.12, a + 0.06, 0, prop_fill))
            back.append(rect(b - 0.06, s.at - 0.12, b - 0.03, 0, prop_fill))
    if fig.view is not View.TOP:
        back.append(f'<line x1="{m.x(x0)}" y1="{m.y(0)}" x2="{m.x(x1)}" y2="{m.y(0)}" '
                    f'stroke="{PALETTE["floor"]}" stroke-width="{_len(0.01)}" stroke-linecap="round"/>')
    return back, middle


def _wall(s: Surface, rect, x0, x1, y0, y1, thick: float) -> str:
    if s.axis == 0:
        return rect(s.at, 0 if y0 < 0.02 else y0, s.at + s.solid * thick, y1)
    return rect(x0, s.at, x1, s.at + s.solid * thick)


def _chair(s: Surface, rect, fig, scene: Scene) -> list[str]:
    lo, hi = s.span
    if s.span[1] - s.span[0] < 0.1:  # touched on its back: the seat stands below, away from the body
        x = (lo + hi) / 2
        away = 1 if x > scene.moments[0]["hip"][0] else -1
        seat_x = (x, x + away * 0.24)
        seat = CHAIR_SEAT
        return [rect(x - 0.012, s.at, x + 0.012, seat),
                rect(min(seat_x), seat, max(seat_x), seat - 0.03),
                rect(min(seat_x), seat, min(seat_x) + 0.025, 0),
                rect(max(seat_x) - 0.025, seat, max(seat_x), 0)]
    back_x = lo if fig.view is View.SIDE else None
    parts = [rect(lo, s.at, hi, s.at - 0.03),
             rect(lo, s.at - 0.03, lo + 0.025, 0),
             rect(hi - 0.025, s.at - 0.03, hi, 0)]
    if back_x is not None:
        parts.append(rect(back_x, s.at, back_x + 0.025, s.at + 0.3))
    return parts


def _moving_props(scene: Scene, moments, m: _Map) -> tuple[list[_El], list[_El]]:
    """Props that move with the body (a bell in the hand, a band, a cushion); middle and front."""
    middle, front = [], []
    for prop in scene.figure.props:
        if prop.kind is PropKind.KETTLEBELL and prop.touch:
            hand = prop.touch
            front.append(_path(moments, [hand, hand], m, PALETTE["bell"], 0.03))
            front.append(_circle(moments, lambda p, h=hand: (p[h][0], p[h][1] - 0.06), 0.05, m, PALETTE["bell"]))
        elif prop.kind is PropKind.BAND and prop.touch:
            if prop.to:
                front.append(_path(moments, [prop.touch, prop.to], m, PALETTE["band"], 0.012))
            else:
                ends = [{"a": p[prop.touch], "b": (prop.x, prop.y, 0.0)} for p in moments]
                front.append(_path(ends, ["a", "b"], m, PALETTE["band"], 0.012))
        elif prop.kind is PropKind.CUSHION and prop.touch:
            middle.append(_circle(moments, lambda p, t=prop.touch: p[t][:2], 0.045, m, PALETTE["prop"],
                                  PALETTE["prop_line"]))
    return middle, front


def _water(scene: Scene, m: _Map, extent) -> str:
    x0, x1, _, _ = extent
    for prop in scene.figure.props:
        if prop.kind is PropKind.WATER:
            level = prop.y if prop.y is not None else 0.6
            return (f'<rect x="{min(m.x(x0), m.x(x1))}" y="{m.y(level)}" width="{m.width}" '
                    f'height="{m.y(0) - m.y(level)}" fill="{PALETTE["water"]}" fill-opacity="0.3"/>'
                    f'<line x1="{m.x(x0)}" y1="{m.y(level)}" x2="{m.x(x1)}" y2="{m.y(level)}" '
                    f'stroke="{PALETTE["water"]}" stroke-width="{_len(0.008)}"/>')
    return ""


def extent(scene: Scene, at: int | None = None) -> tuple[float, float, float, float]:
    """The box, in body units, that every moment of the figure (or only moment `at`) and its props
    fit in."""
    xs, ys = [], []
    for mom in scene.moments if at is None else scene.moments[at:at + 1]:
        for name, p in mom.items():
            r = HEAD_RADIUS if name == "head" else TRUNK / 2
            xs += [p[0] - r, p[0] + r]
            ys += [p[1] - r, p[1] + r]
    for s in scene.surfaces:
        if s.kind == "circle":
            xs += [s.centre[0] - s.r, s.centre[0] + s.r]
            ys += [s.centre[1] - s.r, s.centre[1] + s.r]
        elif s.prop is PropKind.CHAIR:
            xs += [s.span[0] - 0.02, min(s.span[1], s.span[0] + 0.3)]
            ys += [s.at + (0.3 if s.span[1] - s.span[0] > 0.1 else 0.0)]
        elif s.prop is PropKind.BED:
            xs += [max(s.span[0], min(xs) - 0.05), s.span[1]]
        elif s.prop in (PropKind.WALL, PropKind.DOOR) and s.axis == 0:
            xs.append(s.at + s.solid * 0.1)
        elif s.prop is PropKind.WALL:
            ys.append(s.at + s.solid * 0.08)
    lowest = min(ys)
    x0, x1 = min(xs) - MARGIN, max(xs) + MARGIN
    y0 = lowest - MARGIN
    y1 = max(ys) + MARGIN
    # The floor is in view, unless one moment alone is framed and the figure is well off it (hanging).
    if scene.figure.view is not View.TOP and (at is None or lowest < FLOOR_IN_VIEW):
        y0 = min(y0, -0.05)
    return x0, x1, y0, y1


def _frame_map(scene: Scene, mirror: bool, at: int | None) -> tuple[_Map, tuple[float, float, float, float]]:
    box = extent(scene, at)
    x0, x1, y0, y1 = box
    return _Map(x0, y1, _len(x1 - x0), _len(y1 - y0), mirror), box


def figure_markup(scene: Scene, mirror: bool, at: int | None, tight: bool = False) -> tuple[str, int, int]:
    """The drawing's inner markup (no <svg>), its width and height; `at` a moment, None animates.
    Framed for the whole movement, so every moment lines up with the animation; `tight` frames the
    one moment `at` alone (a thumbnail, where the figure should fill the frame)."""
    m, box = _frame_map(scene, mirror, at if tight else None)
    moments = scene.moments
    back, middle = _fixed_props(scene, m, box)
    behind, trunk, front = _body(scene, moments, m)
    mid_moving, front_props = _moving_props(scene, moments, m)
    total = scene.duration
    times = ";".join(f"{t / total:.4f}" for t in scene.times)
    parts = back + [e.markup(at, times, total) for e in behind] + middle
    parts += [e.markup(at, times, total) for e in mid_moving + trunk + front + front_props]
    parts.append(_water(scene, m, box))
    return "".join(parts), m.width, m.height


def document(inner: str, width: int, height: int, title: str, desc: str) -> str:
    """A complete, accessible <svg> element."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{round(width * PIXELS / SCALE)}" height="{round(height * PIXELS / SCALE)}" role="img">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>{inner}</svg>"
    )


def arrow(x: int, y: int) -> str:
    """A plain arrow from the start figure to the end figure of a still."""
    a, h = _len(0.05), _len(0.02)
    return (f'<path d="M{x - a},{y} L{x + a},{y} M{x + a - h},{y - h} L{x + a},{y} L{x + a - h},{y + h}" '
            f'fill="none" stroke="{PALETTE["arrow"]}" stroke-width="{_len(0.012)}" '
            f'stroke-linecap="round" stroke-linejoin="round"/>')

