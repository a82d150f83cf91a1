"""Stored rows and service results, turned into the API's response shapes (see schemas.py)."""

from __future__ import annotations

from sijcoach.engine.inputs import parse_profile
from sijcoach.engine.live import LiveDecision
from sijcoach.engine.screening import flags_action
from sijcoach.web.accounts.export import session_dict
from sijcoach.web.plans import present
from sijcoach.web.plans.models import CheckIn, RedFlagReport, Session
from sijcoach.web.plans.progress import Progress


def checkin_out(checkin: CheckIn, report: RedFlagReport | None = None) -> dict:
    """The check-in, and the warning signs reported since it (`report`: open_red_flag's), if any."""
    since = None if report is None else {
        "level": report.level, "signs": list(report.flags), "reported_at": report.created_at,
        "action": flags_action(report.flags)}
    return {"created_at": checkin.created_at, "answered_on": checkin.answered_on, "source": checkin.source,
            "triage_level": checkin.triage_level, "warning_signs_since": since, "profile": parse_profile(checkin.profile)}


def session_out(session: Session) -> dict:
    """As in the export (planned beside done), with the id to address it by."""
    return {"id": session.pk, **session_dict(session)}


def pain_out(decision: LiveDecision) -> dict:
    return present.decision_out(decision)


def progress_out(p: Progress) -> dict:
    return {
        "weeks": p.weeks, "start": p.start, "end": p.end,
        "pain_points": [{"date": x.date, "before": x.before, "after": x.after, "next_morning": x.next_morning}
                        for x in p.pain_points],
        "calendar": [{"date": d.date, "status": d.status} for d in p.calendar],
        "pillars": [{"week_start": w.week_start, "core": w.core, "back_of_hip": w.back_of_hip,
                     "low_back": w.low_back} for w in p.pillars],
        "psfs_points": [{"date": x.date, "score": x.score} for x in p.psfs_points],
        "psfs_activities": [{"id": a.pk, "name": a.name} for a in p.psfs_activities],
        "pain": p.pain, "psfs": p.psfs, "done": p.done, "planned": p.planned,
        "week": {"done": p.week.done, "planned": p.week.planned}, "changes": list(p.changes),
    }
