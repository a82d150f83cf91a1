"""The review summary: one client's course on paper (PDF), for the coach to take to a review appointment.

What it holds: the plan as it stands (each exercise with its dose and the days of the coming week it
is on), pain over time with the line that would be a meaningful improvement (the engine's rule,
drawn by the same chart as Progress), the functional scale (PSFS), adherence week by week, the
engine's and the coach's changes, and the warning signs still open. The data is read once by
`review_for` (which writes the read to the client's access log); `review_html` turns it into one
HTML document from escaped text, and `review_pdf` makes the PDF under the handouts' locks and slots
(sharing/handouts.py), so a burst of summaries cannot take every worker.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from html import escape

from sijcoach.engine.plan_types import Change, ChangeKind, Plan
from sijcoach.engine.questionnaires import PAIN_RULE, PSFS_POINTS
from sijcoach.exports.words import item_line
from sijcoach.web import charts
from sijcoach.web.coaching import services
from sijcoach.web.coaching.models import CoachVersion
from sijcoach.web.plans import present, progress
from sijcoach.web.plans import services as plans
from sijcoach.web.sharing import handouts

NOT_A_DIAGNOSIS = ("This summary lists what the client logged in SI Joint Coach and what the app and their "
                   "coach changed. It is not a diagnosis: the client's own account and an examination decide.")
COACH_CHANGES = 30  # the newest; older ones stay on the client page


@dataclass(frozen=True)
class Review:
    client_email: str
    coach_email: str
    on: dt.date
    progress: progress.Progress
    adherence: progress.Adherence
    engine_changes: tuple[Change, ...]
    coach_changes: list[CoachVersion]
    warning_signs: list[str]
    stopped: bool
    plan: Plan | None  # the current plan (None before a check-in or while warning signs stop it)


def review_for(coach, client_id: int, weeks: int = progress.DEFAULT_WEEKS) -> Review:
    """The client's review data; 404 for anyone who is not their coach. The read goes in the access log."""
    link, on, checkin, current = services.client_now(coach, client_id)
    client = link.client
    data = progress.build_for(client, on, weeks, current)
    stopped = plans.open_red_flag(client, checkin) is not None
    review = Review(
        client_email=client.email, coach_email=coach.email, on=on, progress=data,
        adherence=progress.adherence({client.pk: on}, services.ADHERENCE_WEEKS)[client.pk],
        # The coach's own changes are listed as theirs, below: not as the app's.
        engine_changes=tuple(c for c in data.changes if c.kind != ChangeKind.COACH),
        coach_changes=services.coach_changes(link, COACH_CHANGES),
        warning_signs=services.open_warning_signs(client), stopped=stopped,
        plan=current.plan if current is not None and not stopped else None,
    )
    services._log_reads(coach, [client.pk], "review summary (PDF): plan, pain, activities, adherence, changes, "
                                            "warning signs")
    return review


def _img(svg: str) -> str:
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="chart" alt="" src="data:image/svg+xml;base64,{data}">'


def _list(items: list[str], empty: str) -> str:
    if not items:
        return f"<p>{escape(empty)}</p>"
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


CSS = """
@page { size: A4; margin: 15mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; } }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9.5pt; line-height: 1.35; color: #1d2a33; }
h1 { font-size: 18pt; margin: 0 0 2mm; color: #1f6f8b; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1pt solid #1f6f8b; color: #1f6f8b; break-after: avoid; }
.box { border: 1pt solid #b9c3ca; background: #eef3f6; padding: 3mm; margin: 0 0 3mm; }
.alert { border-color: #8a1c1c; background: #fbeeee; }
.chart { width: 100%; max-height: 80mm; }
table { border-collapse: collapse; width: 100%; margin: 0 0 3mm; }
th, td { border: 0.6pt solid #b9c3ca; padding: 1mm 2mm; text-align: left; vertical-align: top; }
.small { font-size: 8pt; color: #444; }
.keep { break-inside: avoid; }
"""


def review_html(r: Review) -> str:
    p = r.progress
    parts = [f"<h1>Review summary: {escape(r.client_email)}</h1>",
             # Progress's window ends on the week's Sunday (its calendar shows the days planned ahead);
             # what the summary reports ends today.
             f'<p>Printed {r.on:%d %b %Y} by their coach, {escape(r.coach_email)}. Covers '
             f'{p.start:%d %b %Y} to {min(p.end, r.on):%d %b %Y}.</p>',
             f'<div class="box"><p>{escape(NOT_A_DIAGNOSIS)}</p></div>']
    signs = [escape(s) for s in r.warning_signs]
    if r.stopped:
        signs.insert(0, "Their plan is stopped until they check in again (warning signs reported).")
    parts.append(f'<h2>Open warning signs</h2><div class="box{" alert" if signs else ""}">'
                 f'{_list(signs, "None open.")}</div>')

    referrals = [escape(a.text) for a in present.referrals(r.plan)] if r.plan is not None else []
    if referrals:
        parts.append(f'<h2>The app advised seeing a professional</h2><div class="box alert">{_list(referrals, "")}</div>')
    parts.append(_plan_section(r))
    parts.append('<section class="keep"><h2>Pain over time</h2>')
    if p.pain:
        parts.append(f"<p>{escape(p.pain.explanation)}</p>")
    parts.append(f'<p class="small">Pain before each session, after it and the next morning (0 none, 10 worst). '
                 f'The dashed line is a meaningful improvement on the first rating: {escape(PAIN_RULE)} lower.</p>')
    parts.append(_img(charts.pain_chart(p.pain_points, "review-pain", title="Pain around sessions", whose="the client's")) + "</section>")

    parts.append('<section class="keep"><h2>Activities (functional scale)</h2>')
    if p.psfs_activities:
        parts.append("<p>Activities rated (0 unable, 10 as before the problem): "
                     + escape(", ".join(a.name for a in p.psfs_activities)) + ".</p>")
    if p.psfs:
        parts.append(f"<p>{escape(p.psfs.explanation)}</p>")
    parts.append(f'<p class="small">A rise of {PSFS_POINTS:g} points in the mean is a meaningful improvement.</p>')
    parts.append(_img(charts.psfs_chart(p.psfs_points, "review-psfs", title="Activity ratings")) + "</section>")

    parts.append("<h2>Adherence</h2>")
    # From the client's first week (Progress's start), not empty weeks before it.
    rows = "".join(
        f"<tr><td>Week of {m:%d %b}</td><td>{w.done} of {w.planned}</td></tr>"
        for m, w in zip(_mondays(r.on, len(r.adherence.weeks)), r.adherence.weeks) if m >= p.start)
    parts.append(f"<table><thead><tr><th>Week</th><th>Planned routines done</th></tr></thead><tbody>{rows}</tbody>"
                 f"</table><p>Over the whole period: {p.done} of {p.planned} routines planned up to today done.</p>")

    engine = [f"{escape(c.date.strftime('%d %b') + ': ') if c.date else ''}{escape(c.reason)} "
              f'<span class="small">({escape(c.source)})</span>' for c in r.engine_changes]
    parts.append("<h2>What the app changed</h2>" + _list(engine, "No changes by the app."))
    coach = [f"{v.made_at:%d %b %Y}: {escape(v.what)}" + (f" <em>{escape(v.note)}</em>" if v.note else "")
             for v in r.coach_changes]
    parts.append("<h2>What the coach changed</h2>" + _list(coach, "No changes by the coach."))
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Review summary</title>'
            f"<style>{CSS}</style></head><body>{''.join(parts)}</body></html>")


def _plan_section(r: Review) -> str:
    """The plan as it stands: each routine's exercises with dose and side, and the days ahead it is on."""
    if r.plan is None:
        why = ("Their plan is stopped by warning signs until they check in again." if r.stopped
               else "No plan yet: the client has not checked in.")
        return f"<h2>Their plan now</h2><p>{escape(why)}</p>"
    days: dict[tuple[str, str], list[dt.date]] = {}
    for day in r.plan.days:
        for routine in day.routines:
            for item in routine.items:
                days.setdefault((routine.title, item_line(item)), []).append(day.date)
    every = len(r.plan.days)
    rows = "".join(
        f"<tr><td>{escape(title)}</td><td>{escape(line)}</td>"
        f"<td>{'every day' if len(on) == every else escape(', '.join(f'{d:%a}' for d in on))}</td></tr>"
        for (title, line), on in days.items())
    plan = r.plan
    heading = f"<p>{escape(plan.programme.title)}.</p>" if plan.programme else ""
    return (f'<section class="keep"><h2>Their plan now</h2>{heading}<p class="small">The {every} days from '
            f"{plan.start:%a %d %b}: each exercise with its dose and the days it is on, in the words the client "
            f"reads (&ldquo;set by your coach&rdquo;: a dose the coach set).</p>"
            f"<table><thead><tr><th>Routine</th><th>Exercise and dose</th><th>Days</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></section>")


def _mondays(on: dt.date, weeks: int) -> list[dt.date]:
    monday = progress.this_week(on)[0]
    return [monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def review_pdf(coach, client_id: int, weeks: int = progress.DEFAULT_WEEKS) -> bytes:
    """The PDF; raises handouts.Busy (the view answers 429) rather than waiting for a render slot."""
    review = review_for(coach, client_id, weeks)
    return handouts.kept_pdf(client_id, review_html(review), "The review summary", "review summaries")
