"""Progress charts drawn on the server as inline SVG strings.

Pure functions: typed values in, a string out that is safe to put into HTML unescaped.
The page's Content Security Policy allows no scripts and no style attributes, so shapes
use presentation attributes and `currentColor`; the stylesheet colours them by class
(setting `color` on a class recolours everything in it, in any theme). Colour is never
the only cue: series differ by marker and dash, calendar cells by glyph, bars by fill.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from sijcoach.engine.questionnaires import PAIN_RULE, PSFS_POINTS, meaningful_function, meaningful_pain

# Fixed English names rather than strftime, whose output depends on the process locale.
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()


@dataclass(frozen=True)
class PainPoint:
    date: date
    before: int | None
    after: int | None
    next_morning: int | None


@dataclass(frozen=True)
class CalendarDay:
    date: date
    status: str  # one of CALENDAR_STATUSES


@dataclass(frozen=True)
class PsfsPoint:
    date: date
    score: float


@dataclass(frozen=True)
class WeekPillars:
    week_start: date
    core: int
    back_of_hip: int
    low_back: int


# Status -> the words shown in tooltips, the legend and the description.
CALENDAR_STATUSES = {"done": "done", "partial": "partly done", "missed": "missed", "rest": "rest day",
                     "planned": "planned", "none": "nothing logged"}

# The viewBox is about as wide as a phone screen, so 11-12 unit text stays readable at 375 px.
_W = 400
_L, _R, _T, _B = 34, 382, 58, 232  # plot box of the line and bar charts; legend rows above
_DASH = ' stroke-dasharray="7 4"'
_DOTS = ' stroke-dasharray="0.1 5" stroke-linecap="round"'
_TARGET_DASH = ' stroke-dasharray="12 4 2 4"'  # unlike any series pattern
_MAX_MARKED = 40  # beyond this markers merge into a smear; the dash patterns still differ
_MAX_DAILY = 120  # beyond this daily values sit ~3 px apart, so pain is shown per week
_PAIN = (
    ("before", "series-before", "", "circle", "Before"),
    ("after", "series-after", _DASH, "square", "After"),
    ("next_morning", "series-morning", _DOTS, "triangle", "Next morning"),
)


def _n(v: float) -> str:
    s = f"{v:.1f}".removesuffix(".0")
    return "0" if s == "-0" else s


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _short(d: date, year: bool = False) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")


def _text(x: float, y: float, s: str, anchor: str = "middle", size: int = 11, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    # stroke="none": a stylesheet stroking a series or cell group must not outline its text.
    return f'<text{c} x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}" stroke="none">{_e(s)}</text>'


def _svg(pid: str, kind: str, height: float, title: str, desc: str, body: list[str]) -> str:
    # aria-labelledby is a space-separated list of ids, so a prefix with spaces would break it.
    if not pid or any(c.isspace() for c in pid):
        raise ValueError(f"id_prefix must be non-empty without spaces, got {pid!r}")
    p = _e(pid)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" viewBox="0 0 {_W} {_n(height)}"'
        f' role="img" aria-labelledby="{p}-title {p}-desc" font-family="system-ui, sans-serif"'
        f' font-size="12" fill="currentColor"><title id="{p}-title">{_e(title)}</title>'
        f'<desc id="{p}-desc">{_e(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _empty(pid: str, kind: str, title: str, message: str) -> str:
    return _svg(pid, f"{kind} chart-empty", 60, title, message, [_text(_W / 2, 35, message, size=14)])


def _legend(items: list[tuple[Callable[[float, float], str], str]], y: float, x0: float = _L) -> str:
    # Text width is estimated (no font metrics on the server); 6.6 units per character at 12 px.
    out, x = ['<g class="chart-legend">'], x0
    for sample, label in items:
        out += [sample(x, y), _text(x + 30, y + 4, label, "start", 12)]
        x += 42 + len(label) * 6.6
    return "".join(out) + "</g>"


def _y(v: float, top: float = 10) -> float:
    return _B - v / top * (_B - _T)


def _x_scale(dates: list[date]) -> Callable[[date], float]:
    d0, span = dates[0], (dates[-1] - dates[0]).days
    lo, hi = _L + 10, _R - 10  # inset so markers on the first and last day are not clipped
    return lambda d: lo + (d - d0).days / span * (hi - lo) if span else (lo + hi) / 2


def _date_ticks(d0: date, d1: date, most: int = 6) -> list[tuple[date, str]]:
    span = (d1 - d0).days
    for step in (1, 2, 3, 7, 14):
        start = d0 if step < 7 else d0 + timedelta(days=-d0.weekday() % 7)  # weeks start Monday
        offsets = range(0, span - (start - d0).days + 1, step)
        if len(offsets) <= most:  # counted before any date is made: long ranges skip this quickly
            return [(start + timedelta(days=i), _short(start + timedelta(days=i))) for i in offsets]
    first, last = d0.year * 12 + d0.month - 1, d1.year * 12 + d1.month - 1
    for step in (1, 2, 3, 6, 12, 24, 60, 120):
        months = [date(m // 12, m % 12 + 1, 1) for m in range(first, last + 1) if m % step == 0]
        ticks = [t for t in months if t >= d0]
        if len(ticks) <= most:  # a year beside each January (or alone, yearly) keeps long ranges unambiguous
            year = [str(t.year) if step >= 12 or t.month == 1 else "" for t in ticks]
            return [(t, y if step >= 12 else f"{_MONTHS[t.month - 1]} {y}".strip()) for t, y in zip(ticks, year)]
    return []


def _grid(top: int, step: int) -> list[str]:
    """Gridlines from 0 (drawn solid, as the axis) up to top, then the y-axis labels; leaves the axis group open."""
    out = ['<g class="chart-grid" stroke="currentColor" stroke-width="1">']
    for v in range(0, top + 1, step):
        faint = "" if v == 0 else ' stroke-opacity="0.25"'
        out.append(f'<line x1="{_L}" x2="{_R}" y1="{_n(_y(v, top))}" y2="{_n(_y(v, top))}"{faint}/>')
    out.append('</g><g class="chart-axis">')
    return out + [_text(_L - 6, _y(v, top) + 4, str(v), "end") for v in range(0, top + 1, step)]


def _frame(dates: list[date], x: Callable[[date], float]) -> list[str]:
    out = _grid(10, 2)
    for t, label in _date_ticks(dates[0], dates[-1]):
        out.append(f'<line x1="{_n(x(t))}" x2="{_n(x(t))}" y1="{_B}" y2="{_B + 4}" stroke="currentColor"/>')
        out.append(_text(x(t), _B + 17, label, cls="x-label"))
    return out + ["</g>"]


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.8"/>'
    if kind == "square":  # open, so it stays visible over a circle at the same value
        return f'<rect x="{_n(x - 3.8)}" y="{_n(y - 3.8)}" width="7.6" height="7.6" fill="none" stroke-width="1.8"/>'
    return f'<path d="M{_n(x)} {_n(y - 5)}L{_n(x + 5)} {_n(y + 4)}H{_n(x - 5)}Z"/>'


def _series(cls: str, dash: str, marker: str, pts: list[tuple[float, float] | None], marked: bool) -> str:
    # A missing value ends a line; the next value starts a new one (a new M in the same path).
    runs = [list(run) for missing, run in groupby(pts, key=lambda p: p is None) if not missing]
    d = "".join("M" + "L".join(f"{_n(x)} {_n(y)}" for x, y in r) for r in runs if len(r) > 1)
    out = [f'<g class="series {cls}" stroke="currentColor" fill="currentColor">']
    if d:
        out.append(f'<path class="series-line" d="{d}" fill="none" stroke-width="2.2"{dash}/>')
    # A lone value has no line, so it keeps its marker however dense the chart is.
    out += [_marker(marker, x, y) for r in runs for x, y in r if marked or len(r) == 1]
    return "".join(out) + "</g>"


def _sample(cls: str, dash: str, marker: str) -> Callable[[float, float], str]:
    # A two-point run draws the line without markers; one marker then goes in the middle.
    return lambda x, y: _series(cls, dash, marker, [(x, y), (x + 24, y)], False).removesuffix("</g>") + _marker(marker, x + 12, y) + "</g>"


def _hline(x1: float, x2: float, y: float) -> str:
    line = f'<line x1="{_n(x1)}" x2="{_n(x2)}" y1="{_n(y)}" y2="{_n(y)}" stroke="currentColor" stroke-width="1.5"{_TARGET_DASH}/>'
    return f'<g class="chart-target">{line}</g>'


def _target(value: float, label: str) -> tuple[str, str]:
    # Labelled in the legend, not on the line, where the label would collide with data points.
    return _hline(_L, _R, _y(value)), _legend([(lambda x, y: _hline(x, x + 24, y), label)], 36)


def _check_range(values: Iterable[float | None], what: str) -> None:
    for v in values:
        if v is not None and not 0 <= v <= 10:
            raise ValueError(f"{what} must be between 0 and 10, got {v}")


def _weekly(pts: list[PainPoint]) -> list[PainPoint]:
    weeks: dict[date, dict[str, list[int]]] = {}
    for p in pts:
        week = weeks.setdefault(p.date - timedelta(days=p.date.weekday()), {a: [] for a, *_ in _PAIN})
        for a in week:
            week[a] += [] if getattr(p, a) is None else [getattr(p, a)]
    # Means are floats although PainPoint says int: only the drawing code below sees them.
    return [PainPoint(d, *(round(sum(v) / len(v), 1) if v else None for v in w.values())) for d, w in weeks.items()]


def pain_chart(points: Sequence[PainPoint], id_prefix: str, *, title: str = "Pain around your sessions",
               whose: str = "your") -> str:
    """One point a day (the pain before the day's first session, the worst after one, the next morning).
    `whose`: whose start the target line is measured from, as the reader says it ("the client's")."""
    if not points:
        return _empty(id_prefix, "pain", title, "No sessions logged yet")
    pts = sorted(points, key=lambda p: p.date)
    _check_range((getattr(p, a) for p in pts for a, *_ in _PAIN), "pain")
    start = next((p.before for p in pts if p.before is not None), None)
    last, d0, d1 = pts[-1], pts[0].date, pts[-1].date
    desc = (f"Pain from 0 (none) to 10 (worst) on {len(pts)} day{'' if len(pts) == 1 else 's'} with sessions, "
            f"{_short(d0, True)} to {_short(d1, True)}")
    if len(pts) > _MAX_DAILY:
        pts = _weekly(pts)
        desc += ", shown as weekly averages"
    x = _x_scale([p.date for p in pts])
    body = _frame([p.date for p in pts], x)
    target = ("", "")
    if start:  # the engine's meaningful-change rule, as Progress states it beside the chart
        goal = meaningful_pain(start)
        target = _target(goal, f"meaningfully better: {PAIN_RULE} below {whose} start")
        desc += (f". {whose[0].upper()}{whose[1:]} first pain before a session was {start}; the dashed line at "
                 f"{_n(goal)} is meaningfully better ({PAIN_RULE} lower)")
    body.append(target[0])  # drawn before the series so their markers stay on top
    for attr, cls, dash, marker, _ in _PAIN:
        xy = [None if getattr(p, attr) is None else (x(p.date), _y(getattr(p, attr))) for p in pts]
        body.append(_series(cls, dash, marker, xy, len(pts) <= _MAX_MARKED))
    body += [_legend([(_sample(c, d, m), label) for _, c, d, m, label in _PAIN], 14), target[1]]
    said = [f"{label.lower()} {'not logged' if getattr(last, a) is None else getattr(last, a)}" for a, *_, label in _PAIN]
    desc += f". Latest ({_short(last.date, True)}): " + ", ".join(said) + "."
    return _svg(id_prefix, "pain", _B + 30, title, desc, body)


def psfs_chart(points: Sequence[PsfsPoint], id_prefix: str, *, title: str = "Your activity ratings") -> str:
    if not points:
        return _empty(id_prefix, "psfs", title, "No ratings yet")
    pts = sorted(points, key=lambda p: p.date)
    _check_range((p.score for p in pts), "score")
    dates = [p.date for p in pts]
    x = _x_scale(dates)
    body = _frame(dates, x)
    first = pts[0].score
    desc = (
        f"Average activity rating from 0 (unable) to 10 (as before the problem), {len(pts)} ratings,"
        f" {_short(dates[0], True)} to {_short(dates[-1], True)}: first {_n(first)}, latest {_n(pts[-1].score)}."
    )
    target = ("", "")
    if meaningful_function(first) <= 10:
        goal = meaningful_function(first)
        target = _target(goal, f"meaningful change: +{PSFS_POINTS:g} points")
        desc += f" The dashed line at {_n(goal)} marks a meaningful improvement."
    body.append(target[0])
    line: list[tuple[float, float] | None] = [(x(p.date), _y(p.score)) for p in pts]
    body.append(_series("series-psfs", "", "circle", line, len(pts) <= _MAX_MARKED))
    body += [_legend([(_sample("series-psfs", "", "circle"), "Average rating (higher is better)")], 14), target[1]]
    return _svg(id_prefix, "psfs", _B + 30, title, desc, body)


def _cell(status: str, x: float, y: float, s: float) -> str:
    k, cx, cy, r = s / 36, x + s / 2, y + s / 2, s / 6
    faint = ' stroke-opacity="0.35"' if status == "none" else ""
    dash = ' stroke-dasharray="4 3"' if status == "planned" else ""
    out = [
        f'<rect class="cal-box" x="{_n(x)}" y="{_n(y)}" width="{_n(s)}" height="{_n(s)}" rx="{_n(r)}"'
        f' fill="none" stroke="currentColor" stroke-width="1.5"{faint}{dash}/>'
    ]
    line = f' fill="none" stroke="currentColor" stroke-linecap="round" stroke-linejoin="round" stroke-width="{_n(3 * k)}"'
    if status == "done":
        out.append(f'<path class="cal-glyph" d="M{_n(cx - 8 * k)} {_n(cy)}L{_n(cx - 2 * k)} {_n(cy + 6 * k)}L{_n(cx + 9 * k)} {_n(cy - 7 * k)}"{line}/>')
    elif status == "missed":
        a, b = _n(5 * k), _n(-5 * k)
        out.append(f'<path class="cal-glyph" d="M{_n(cx - 5 * k)} {_n(cy - 5 * k)}l{a} {a}l{a} {a}m0 {_n(-10 * k)}l{b} {a}l{b} {a}"{line}/>')
    elif status == "rest":
        out.append(f'<circle class="cal-glyph" cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(3.5 * k)}"/>')
    elif status == "partial":  # the lower half filled, following the rounded corners
        out.append(
            f'<path class="cal-glyph" d="M{_n(x)} {_n(cy)}H{_n(x + s)}V{_n(y + s - r)}A{_n(r)} {_n(r)} 0 0 1 {_n(x + s - r)}'
            f' {_n(y + s)}H{_n(x + r)}A{_n(r)} {_n(r)} 0 0 1 {_n(x)} {_n(y + s - r)}Z"/>'
        )
    return "".join(out)


def calendar(days: Sequence[CalendarDay], id_prefix: str, *, title: str = "Your exercise calendar") -> str:
    for d in days:
        if d.status not in CALENDAR_STATUSES:
            raise ValueError(f"unknown calendar status {d.status!r}; expected one of {sorted(CALENDAR_STATUSES)}")
    if not days:
        return _empty(id_prefix, "calendar", title, "No days to show yet")
    ds = sorted(days, key=lambda d: d.date)
    if len({d.date for d in ds}) != len(ds):
        raise ValueError("calendar days must have distinct dates")
    size, gap, left, top = 38, 6, 48, 30
    monday0 = ds[0].date - timedelta(days=ds[0].date.weekday())
    rows = (ds[-1].date - monday0).days // 7 + 1
    body = ['<g class="chart-axis">']
    body += [_text(left + c * (size + gap) + size / 2, top - 10, "MTWTFSS"[c]) for c in range(7)]
    months = {0: ds[0].date.month}  # the first row, and each row where a month begins, name their month
    months.update({(d.date - monday0).days // 7: d.date.month for d in ds if d.date.day == 1})
    body += [_text(left - 8, top + r * (size + gap) + size / 2 + 4, _MONTHS[m - 1], "end", 12, "month-label") for r, m in months.items()]
    body.append("</g>")
    for d in ds:
        row, col = (d.date - monday0).days // 7, d.date.weekday()
        x, y = left + col * (size + gap), top + row * (size + gap)
        tip = f"{_WEEKDAYS[col]} {_short(d.date)}: {CALENDAR_STATUSES[d.status]}"
        num = _text(x + 4, y + 11, str(d.date.day), "start", 9, "cal-day")
        body.append(f'<g class="cal-cell cal-{d.status}"><title>{_e(tip)}</title>{_cell(d.status, x, y, size)}{num}</g>')
    legend_y = top + rows * (size + gap) + 8
    for i, (status, label) in enumerate(CALENDAR_STATUSES.items()):
        lx, ly = 12 + (i % 3) * 128, legend_y + (i // 3) * 26
        body.append(f'<g class="chart-legend cal-{status}">{_cell(status, lx, ly, 18)}{_text(lx + 24, ly + 13, label, "start", 12)}</g>')
    counts = [f"{sum(d.status == s for d in ds)} {label}" for s, label in CALENDAR_STATUSES.items() if any(d.status == s for d in ds)]
    desc = f"{len(ds)} days from {_short(ds[0].date, True)} to {_short(ds[-1].date, True)}: " + ", ".join(counts) + "."
    return _svg(id_prefix, "calendar", legend_y + 56, title, desc, body)


def weekly_bars(weeks: Sequence[WeekPillars], id_prefix: str, *, title: str = "Muscle groups trained per week") -> str:
    if not weeks:
        return _empty(id_prefix, "bars", title, "No strengthening exercises done yet")
    ws = sorted(weeks, key=lambda w: w.week_start)
    groups = [
        ("core", "bar-core", "Core", ' fill="currentColor"'),
        ("back_of_hip", "bar-hip", "Back of hip", f' fill="url(#{_e(id_prefix)}-hatch)"'),
        ("low_back", "bar-low-back", "Low back", ' fill="none"'),
    ]
    if any(getattr(w, a) < 0 for w in ws for a, *_ in groups):
        raise ValueError("session counts cannot be negative")
    top_value = max(max(getattr(w, a) for w in ws for a, *_ in groups), 1)
    step = next(s for s in (1, 2, 5, 10, 20, 50, 10**9) if top_value / s <= 6)
    top = math.ceil(top_value / step) * step
    body = [
        f'<defs><pattern id="{_e(id_prefix)}-hatch" class="bar-hatch" width="5" height="5" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="2.2" height="5" fill="currentColor"/></pattern></defs>',
        *_grid(top, step),
    ]
    gw = (_R - _L) / len(ws)
    bw = min(22.0, gw * 0.8 / 3)
    sw = 1.5 if bw >= 8 else 0.6  # a thick outline would swallow a narrow bar's fill pattern
    every = math.ceil(len(ws) / 6)  # at most six week labels fit on a phone
    for i, w in enumerate(ws):
        if i % every == 0:
            body.append(_text(_L + gw * (i + 0.5), _B + 17, _short(w.week_start), cls="x-label"))
    body.append("</g>")
    for j, (attr, cls, _, fill) in enumerate(groups):
        body.append(f'<g class="bars {cls}" stroke="currentColor" stroke-width="{sw}">')
        for i, w in enumerate(ws):
            v, bx = getattr(w, attr), _L + gw * (i + 0.5) + (j - 1.5) * bw
            h = _B - _y(v, top)
            if v:  # inset by half the stroke so a bar's outline does not spill past its value
                body.append(f'<rect x="{_n(bx + sw / 2)}" y="{_n(_B - h + sw / 2)}" width="{_n(bw - sw)}" height="{_n(h - sw)}"{fill}/>')
            if bw >= 9:
                body.append(f'<text class="bar-value" x="{_n(bx + bw / 2)}" y="{_n(_B - h - 4)}" text-anchor="middle" font-size="10" stroke="none">{v}</text>')
        body.append("</g>")
    sample = '<g class="{}" stroke="currentColor" stroke-width="1.5"><rect x="{}" y="{}" width="18" height="16"{}/></g>'
    body.append(_legend([(lambda x, y, c=c, f=f: sample.format(c, _n(x + 3), _n(y - 8), f), label) for _, c, label, f in groups], 14))
    said = "; ".join(f"week of {_short(w.week_start)}: core {w.core}, back of hip {w.back_of_hip}, low back {w.low_back}" for w in ws)
    desc = (f"Sessions that trained each muscle group, {len(ws)} week{'' if len(ws) == 1 else 's'} from "
            f"{_short(ws[0].week_start, True)}. {said}.")
    return _svg(id_prefix, "bars", _B + 30, title, desc, body)
