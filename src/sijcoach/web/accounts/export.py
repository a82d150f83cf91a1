"""Everything stored about a person, as plain JSON (the "export all my data" button and the API)."""

from __future__ import annotations

from django.db.models import Q

from sijcoach.web.accounts.models import ApiToken
from sijcoach.web.coaching.models import (
    AccessLog, CoachLink, CoachRole, CoachTemplate, CoachVersion, Invite, Message,
)
from sijcoach.web.learn.models import LessonRead
from sijcoach.web.plans.models import CheckIn, Preferences, PsfsActivity, RedFlagReport, Session
from sijcoach.web.reminders.services import reminder_export

FORMAT = "si-joint-coach-export/1"


def coaching_export(user) -> dict:
    """Coach mode: the person's coaches, their changes and notes, their messages (a coach's: with the
    clients they still have), each read of the person's data by a coach, and (for a coach) the role,
    templates, invites and client links."""
    def link(k: CoachLink) -> dict:
        return {"coach": k.coach.email, "client": k.client.email, "started_at": k.started_at.isoformat(),
                "ended_at": k.ended_at.isoformat() if k.ended_at else None}

    return {
        "coaches": [link(k) for k in CoachLink.objects.filter(client=user).select_related("coach", "client")],
        "changes": [
            {"made_at": v.made_at.isoformat(), "made_by": v.made_by.email if v.made_by else None, "kind": v.kind,
             "what": v.what, "note": v.note, "adjustments": v.adjustments, "findings": v.findings}
            for v in CoachVersion.objects.filter(link__client=user).select_related("made_by").order_by("made_at", "id")
        ],
        "messages": [
            {"sent_at": m.sent_at.isoformat(), "from": (m.link.coach if m.from_coach else m.link.client).email,
             "to": (m.link.client if m.from_coach else m.link.coach).email, "text": m.text,
             "session_date": m.session.date.isoformat() if m.session else None, "exercise": m.exercise or None,
             "read_at": m.read_at.isoformat() if m.read_at else None}
            for m in Message.objects.filter(Q(link__client=user) | Q(link__coach=user, link__ended_at=None))
            .select_related("link__coach", "link__client", "session")
        ],
        "access_log": [{"at": r.at.isoformat(), "coach": r.coach_email, "what": r.what}
                       for r in AccessLog.objects.filter(client=user).order_by("at", "id")],
        "coach_role": CoachRole.objects.filter(user=user).exists(),
        "templates": [{"name": t.name, "created_at": t.created_at.isoformat(), "adjustments": t.adjustments}
                      for t in CoachTemplate.objects.filter(coach=user)],
        "clients": [link(k) for k in CoachLink.objects.filter(coach=user).select_related("coach", "client")],
        "invites": [{"code": i.code, "created_at": i.created_at.isoformat(), "expires_at": i.expires_at.isoformat(),
                     "used": i.used_at is not None} for i in Invite.objects.filter(coach=user)],
    }


def session_dict(s: Session) -> dict:
    """A session with each item's plan beside what was done (the export's and the API's shape)."""
    return {
        "date": s.date.isoformat(), "routine_kind": s.routine_kind, "routine_title": s.routine_title,
        "pain_before": s.pain_before, "pain_after": s.pain_after, "pain_next_day": s.pain_next_day,
        "joint_went_out": s.joint_went_out,
        "items": [
            {"exercise": i.exercise, "side": i.side,
             "planned": {"sets": i.planned_sets, "reps": i.planned_reps, "hold_s": i.planned_hold_s},
             "done": {"sets": i.sets_done, "reps": i.reps_done, "hold_s": i.hold_s_done},
             "pain": i.pain, "effort": i.effort, "skipped": i.skipped,
             "swapped_from": i.swapped_from, "swap_reason": i.swap_reason}
            for i in s.items.all()
        ],
    }


def export_person(user) -> dict:
    prefs = Preferences.objects.filter(user=user).first()
    sessions = Session.objects.filter(user=user).prefetch_related("items").order_by("date", "id")
    return {
        "format": FORMAT,
        "account": {"email": user.email, "joined": user.date_joined.isoformat()},
        "preferences": {
            "reminder_time": prefs.reminder_time.isoformat() if prefs and prefs.reminder_time else None,
            "time_zone": prefs.time_zone if prefs else "",
            "email_reminders": reminder_export(user),
        },
        "checkins": [
            {"created_at": c.created_at.isoformat(), "answered_on": c.answered_on.isoformat(),
             "source": c.source, "triage_level": c.triage_level, "profile": c.profile}
            for c in CheckIn.objects.filter(user=user).order_by("created_at", "id")
        ],
        "red_flag_reports": [
            {"created_at": r.created_at.isoformat(), "level": r.level, "flags": r.flags}
            for r in RedFlagReport.objects.filter(user=user).order_by("created_at", "id")
        ],
        "sessions": [session_dict(s) for s in sessions],
        "psfs": [
            {"activity": a.name, "ratings": [{"date": r.date.isoformat(), "score": r.score} for r in a.ratings.all()]}
            for a in PsfsActivity.objects.filter(user=user).prefetch_related("ratings")
        ],
        "coaching": coaching_export(user),
        "lessons_read": [{"lesson": r.lesson, "read_on": r.read_on.isoformat()}
                         for r in LessonRead.objects.filter(user=user)],
        "api_tokens": [
            {"name": t.name, "hint": t.hint, "created_at": t.created_at.isoformat(),
             "expires_at": t.expires_at.isoformat(), "active": t.active}
            for t in ApiToken.objects.filter(user=user)
        ],
    }
