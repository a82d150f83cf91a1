"""The printable handout: a person's program as a PDF (A4 or Letter), rendered by WeasyPrint.

Pages: a title page with the not-a-diagnosis note, the schedule, each exercise once (picture slot,
steps, dose, side, why and source), safety advice and the warning signs with where to go, and a
log sheet to fill in by hand. The HTML is built here from escaped text; nothing comes from a template
engine, so nothing a person typed (their name) can become markup.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from sijcoach.engine.catalog import catalog
from sijcoach.engine.guidance import library
from sijcoach.engine.plan_types import ChangeKind, Pattern, Plan, PlanItem, TriageLevel
from sijcoach.engine.screening import ACTION_HEADINGS
from sijcoach.exports import ExportError
from sijcoach.exports.handout_css import CSS, PAGE_SIZES
from sijcoach.exports.words import day_notes, dose_text, side_text, whole_minutes

Picture = Callable[[str, "str | None"], "str | None"]
LOG_ROWS = 14
RECENT_CHANGES = 6  # changes to the exercises listed on the title page
NAME_IN_FOOTER = 48  # characters; a longer name is shortened there (it is whole on the title page)
_SECTIONS = {"schedule": "Your schedule", "exercises": "Your exercises", "safety": "Staying safe",
             "flags": "Warning signs: when to get help", "log": "Your log sheet"}
_LEVELS = (TriageLevel.EMERGENCY, TriageLevel.URGENT, TriageLevel.SEE_DOCTOR_SOON)  # most serious first


_PATTERN_WORDS = {Pattern.STIFF: "A stiff joint pattern (moving too little)",
                  Pattern.UNSTABLE: "A loose or unstable joint pattern (moving too much)"}


def _default_picture() -> Picture | None:
    """The project's own still drawings when the illustrate package is there; None otherwise."""
    try:
        from sijcoach.illustrate import still_svg
    except ImportError:
        return None

    def draw(slug: str, side: str | None) -> str | None:
        try:
            return still_svg(slug, side)
        except KeyError:  # no pose data for this exercise (yet): an empty slot
            return None

    return draw


class _Default:
    """Marks 'use the project's own illustrations when they are installed'."""


DEFAULT_PICTURE = _Default()


@dataclass
class _Card:
    item: PlanItem
    uses: list[str] = field(default_factory=list)


def _cards(plan: Plan) -> list[_Card]:
    """Each exercise once, in the order it first appears, with every distinct way the plan uses it."""
    cards: dict[str, _Card] = {}
    for day in plan.days:
        for routine in day.routines:
            for item in routine.items:
                card = cards.setdefault(item.exercise, _Card(item))
                side = side_text(item)
                use = f"{routine.title}: {dose_text(item)}" + (f", {side}" if side else "")
                if use not in card.uses:
                    card.uses.append(use)
    return list(cards.values())


def _picture_html(card: _Card, picture: Picture | None) -> str:
    side = card.item.side.value if card.item.side.value in ("left", "right") else None
    svg = picture(card.item.exercise, side) if picture else None
    if not svg:
        return '<div class="picture"><span>Space for a picture or your own sketch</span></div>'
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<div class="picture drawn"><img alt="" src="data:image/svg+xml;base64,{data}"></div>'


def _on_paper(text: str) -> str:
    # The knowledge base's actions are written for the screen, where the plan sits below them.
    return text.replace("the gentle plan below", "the gentle plan in this handout")


def _lower_first(text: str) -> str:
    # 'Tingling down a leg' continues a sentence as 'tingling ...'; 'SI joint pain' keeps its capitals.
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def _card_html(card: _Card, picture: Picture | None) -> str:
    ex = catalog()[card.item.exercise]
    steps = "".join(f"<li>{escape(s)}</li>" for s in ex.steps)
    uses = "".join(f"<div>{escape(u)}</div>" for u in card.uses)
    stop = "; ".join(_lower_first(s.rstrip(".")) if n else s.rstrip(".") for n, s in enumerate(ex.stop_if))
    return (
        f'<div class="card"><h3>{escape(card.item.name)}</h3>'
        f'<div class="dose">{uses}</div>{_picture_html(card, picture)}'
        f"<ol>{steps}</ol>{_cue_html(card.item)}"
        f'<p class="why"><strong>Why:</strong> {escape(card.item.why)}</p>'
        f'<p class="small"><strong>Stop if:</strong> {escape(stop)}.</p>'
        f'<p class="small">Source: {escape(card.item.source)}</p></div>'
    )


def _cue_html(item: PlanItem) -> str:
    """The coach's note on the exercise, right below its steps."""
    return f'<p class="cue"><strong>Your coach:</strong> {escape(item.cue)}</p>' if item.cue else ""


def _recent_changes(plan: Plan) -> list:
    """Advice to see a professional, then the latest changes, oldest first, each reason once: years of
    logs give hundreds of changes, and a title page has room for a few."""
    ordered = sorted(plan.changes, key=lambda c: (c.date is None, c.date or dt.date.min))
    urgent = [c for c in ordered if c.kind == ChangeKind.SEE_PROFESSIONAL]
    others = list({c.reason: c for c in ordered if c.kind != ChangeKind.SEE_PROFESSIONAL}.values())
    room = RECENT_CHANGES - len(urgent)
    return (others[-room:] if room > 0 else []) + urgent


def _title_page(plan: Plan, name: str | None, made_on: dt.date) -> str:
    parts = ['<div class="title">', "<h1>Your SI joint exercise program</h1>"]
    who = f"For {escape(name)}. " if name else ""
    if plan.days:
        span = f"{plan.days[0].date:%a %d %b %Y} to {plan.days[-1].date:%a %d %b %Y}"
        parts.append(f'<p class="who">{who}{span}. Printed {made_on:%d %b %Y}.</p>')
    else:
        parts.append(f'<p class="who">{who}Printed {made_on:%d %b %Y}.</p>')
    parts.append(f'<div class="box"><h3>Please read first</h3><p>{escape(plan.disclaimer)}</p></div>')
    if plan.triage.level != TriageLevel.NONE:
        reasons = "".join(f"<li>{escape(r.text)}</li>" for r in plan.triage.reasons)
        parts.append(f'<div class="box alert"><p><strong>{escape(_on_paper(plan.triage.action))}</strong></p>'
                     f"<ul>{reasons}</ul></div>")
    if plan.assessment is not None:
        a = plan.assessment
        parts.append(f'<div class="box"><h3>What this plan is built for</h3>'
                     f"<p>{_PATTERN_WORDS[a.plans_as]}, inferred from your answers.</p>"
                     f'<p class="small">{escape(a.caveat)}</p></div>')
    recent = _recent_changes(plan)
    notes = list(plan.warnings) + [c.reason for c in recent]
    if len(recent) < len(plan.changes):
        notes.append(f"{len(plan.changes) - len(recent)} earlier changes to your exercises are not listed here.")
    if notes:
        items = "".join(f"<li>{escape(n)}</li>" for n in notes)
        parts.append(f'<div class="box"><h3>Notes on this plan</h3><ul>{items}</ul></div>')
    sections = _SECTIONS if plan.days else {"flags": _SECTIONS["flags"]}
    contents = "".join(f'<li><a href="#{key}">{title}</a></li>' for key, title in sections.items())
    parts.append(f'<div class="box"><h3>In this handout</h3><ul class="contents">{contents}</ul></div></div>')
    return "".join(parts)


def _note(text: str) -> str:
    """A day's note as printed: its first letter a capital, escaped."""
    return escape(text[:1].upper() + text[1:])


def _schedule(plan: Plan) -> str:
    """One row a day, one column a routine, each with a box to tick; weeks ruled off."""
    columns: dict[str, str] = {}  # routine kind -> the title it first appears with
    for day in plan.days:
        for r in day.routines:
            columns.setdefault(r.kind.value, r.title)
    head = "".join(f"<th>{escape(t)}</th>" for t in columns.values())
    # A note every day has (an exercise left out for pregnancy, say) is printed once, above the table;
    # so is one that recurs on some days (a pin waiting for a strength day), with those days.
    recurring = day_notes(plan.days)
    every_day, some_days = recurring.every_day, recurring.some_days
    rows = []
    for n, day in enumerate(plan.days):
        by_kind = {r.kind.value: r for r in day.routines}
        cells = []
        for kind in columns:
            r = by_kind.get(kind)
            if r is None:
                cells.append('<td class="none">-</td>')
                continue
            ticks = '<span class="tick"></span>' * r.times_per_day
            other = "" if r.title == columns[kind] else f' <span class="small">({escape(r.title)})</span>'
            cells.append(f'<td class="slot">{ticks}{whole_minutes(r.minutes)} min{other}</td>')
        notes = "<br>".join(_note(x) for x in recurring.own(day))
        week = ' class="week"' if n and n % 7 == 0 else ""
        rows.append(f'<tr{week}><td class="day">{day.date:%a %d %b}</td>{"".join(cells)}'
                    f'<td class="min">{whole_minutes(day.minutes)} min</td><td class="note">{notes}</td></tr>')
    routine_notes = {r.title: r.note for d in plan.days for r in d.routines if r.note}
    legend = "".join(f"<p><strong>{escape(t)}:</strong> {escape(n)}</p>" for t, n in routine_notes.items())
    every = ("" if not every_day else '<p class="small"><strong>Every day:</strong></p><ul class="small">'
             + "".join(f"<li>{_note(n)}</li>" for n in every_day) + "</ul>")
    every += ("" if not some_days else '<p class="small"><strong>On some days:</strong></p><ul class="small">'
              + "".join(f"<li>{_note(n)} ({', '.join(f'{d:%a %d %b}' for d in days)})</li>"
                        for n, days in some_days.items()) + "</ul>")
    return (f'<section id="schedule"><h2>{_SECTIONS["schedule"]}</h2>'
            '<p class="small">Tick a box when you have done the routine. Minutes are approximate; '
            f"a day with two boxes has the routine twice.</p>{every}"
            f'<table class="schedule"><thead><tr><th>Day</th>{head}<th>Total</th><th>Notes</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table><div class="legend">{legend}</div></section>')


def _safety(plan: Plan) -> str:
    items = "".join(f"<li>{escape(_on_paper(a.text))} <span class=\"small\">({escape(a.source)})</span></li>"
                    for a in plan.advice)
    # Flows on after the last exercise card rather than starting a page of its own.
    return (f'<section id="safety" class="flow"><h2>{_SECTIONS["safety"]}</h2><ul>{items}</ul></section>'
            if items else "")


def _red_flags() -> str:
    lib = library()
    blocks = []
    for level in _LEVELS:
        heading, own_heading = ACTION_HEADINGS[level]
        # The questions the check-in asks (not the derived or retired ones), under the action that fits them.
        asked = [f for f in lib.flags.values() if f.level == level and not f.derived and not f.retired]
        for action in dict.fromkeys(f.action for f in asked):
            items = "".join(f"<li>{escape(f.question)}</li>" for f in asked if f.action == action)
            blocks.append(f'<div class="flags"><h3>{heading if action is None else own_heading} if the answer to '
                          f'any of these is yes</h3><p class="where">{escape(_on_paper(action or lib.actions[level]))}'
                          f'</p><ul>{items}</ul></div>')
    return f'<section id="flags"><h2>{_SECTIONS["flags"]}</h2>{"".join(blocks)}</section>'


def _log_sheet() -> str:
    head = ('<tr><th class="date">Date</th><th class="num">Pain before (0-10)</th>'
            '<th class="num">Pain after</th><th class="num">Next morning</th><th>Exercises done</th>'
            "<th>Notes (what hurt, what was easy)</th></tr>")
    rows = "<tr><td></td><td></td><td></td><td></td><td></td><td></td></tr>" * LOG_ROWS
    return (f'<section id="log"><h2>{_SECTIONS["log"]}</h2>'
            '<p class="small">Pain 0 = none, 10 = worst imaginable. Up to 3 during an exercise is fine; 4 or 5 '
            "only if it has settled by the next morning; 6 or more: stop that exercise.</p>"
            f'<table class="log"><thead>{head}</thead><tbody>{rows}</tbody></table></section>')


@dataclass(frozen=True)
class Handout:
    """A person's printable program: `Handout(plan, made_on=today).pdf()`.

    made_on: the date printed on the title page (today, passed in); paper: 'a4' or 'letter';
    name: shown on the title page and in every page's footer (optional);
    picture(slug, side) returns SVG markup for an exercise (side is 'left' or 'right' for a one-sided
    exercise, else None), or None for an empty framed slot; by default the project's own
    illustrations are used when the illustrate package is installed, and None gives empty slots.
    """

    plan: Plan
    made_on: dt.date
    paper: str = "a4"
    name: str | None = None
    picture: Picture | None | _Default = DEFAULT_PICTURE

    def __post_init__(self) -> None:
        if self.paper not in PAGE_SIZES:
            raise ExportError(f"paper: {self.paper!r} is not allowed; use one of {', '.join(PAGE_SIZES)}")

    def html(self) -> str:
        """One HTML document with its print style sheet (what pdf() renders)."""
        plan, name = self.plan, self.name
        draw = _default_picture() if isinstance(self.picture, _Default) else self.picture
        short = name if not name or len(name) <= NAME_IN_FOOTER else name[:NAME_IN_FOOTER - 1] + "…"
        footer = "SI Joint Coach" + (f" · {short}" if name else "")
        body = [f"<footer>{escape(footer)}</footer>", _title_page(plan, name, self.made_on)]
        if plan.days:
            cards = "".join(_card_html(c, draw) for c in _cards(plan))
            body += [_schedule(plan), f'<section id="exercises"><h2>{_SECTIONS["exercises"]}</h2>{cards}</section>',
                     _safety(plan)]
        body.append(_red_flags())
        if plan.days:
            body.append(_log_sheet())
        title = "SI joint exercise program" + (f" for {name}" if name else "")
        style = CSS % {"size": PAGE_SIZES[self.paper]}
        return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
                f"<style>{style}</style></head><body>{''.join(body)}</body></html>")

    def pdf(self) -> bytes:
        """The handout as PDF bytes (the same plan and options give the same bytes)."""
        return pdf_from_html(self.html())


def pdf_from_html(html: str) -> bytes:
    """What Handout.pdf does with the HTML: for a caller that keys the PDF by its HTML before making it."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
