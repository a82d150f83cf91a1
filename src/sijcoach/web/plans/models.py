"""A person's check-ins, sessions and questionnaire answers, mapped to and from engine objects.

The check-in keeps the engine's profile as validated JSON: the engine owns its shape, and every
stored profile has passed `parse_profile`, so `to_engine` cannot fail on old rows.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from sijcoach.engine.inputs import parse_profile
from sijcoach.engine.profile import LoggedItem, Profile, SessionLog, profile_on
from sijcoach.engine.vocab import Side

User = settings.AUTH_USER_MODEL


class CheckIn(models.Model):
    class Source(models.TextChoices):
        CHECK_IN = "check_in", "check-in"
        SETTINGS = "settings", "settings"
        COACH_FINDINGS = "coach_findings", "findings kept when the coaching ended"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="checkins", db_index=False)
    created_at = models.DateTimeField(default=timezone.now)
    answered_on = models.DateField()  # the day the answers describe (onset and weeks count from it)
    profile = models.JSONField()
    triage_level = models.CharField(max_length=20)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.CHECK_IN)

    class Meta:
        # Lookups by user use this index (its first column is the user), not one on the user alone.
        indexes = [models.Index(fields=["user", "-created_at"])]
        ordering = ["-created_at", "-id"]

    @classmethod
    def from_engine(cls, user, profile: Profile, on: dt.date, triage_level: str, source: str) -> CheckIn:
        return cls(user=user, answered_on=on, profile=profile.model_dump(mode="json"),
                   triage_level=triage_level, source=source)

    def to_engine(self, on: dt.date | None = None) -> Profile:
        """The answers with the day they describe (`answered_on`), as the planner takes them: it moves
        days since onset and weeks of pregnancy on itself and knows which day pain now was. With `on`:
        the answers as they stand on that day, to show them or to start a new check-in from."""
        profile = parse_profile(self.profile).model_copy(update={"answered_on": self.answered_on})
        return profile_on(profile, on) if on is not None else profile


class RedFlagReport(models.Model):
    """An emergency or urgent answer at check-in. No plan is made; Today shows what to do until a
    newer check-in without it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="red_flag_reports")
    created_at = models.DateTimeField(default=timezone.now)
    level = models.CharField(max_length=20)
    flags = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-id"]


class Preferences(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="preferences")
    reminder_time = models.TimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="", blank=True)


class Session(models.Model):
    """One guided (or hand-logged) session: what was planned beside what was done, item by item."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions", db_index=False)
    date = models.DateField()
    routine_kind = models.CharField(max_length=20)
    routine_title = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_next_day = models.PositiveSmallIntegerField(null=True, blank=True)
    joint_went_out = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)  # any later edit (the next-morning answer)
    # The key the player makes when a session starts (the API's Idempotency-Key header): a session sent
    # again with a key already saved, after a reload or a lost answer, is not saved twice.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)

    class Meta:
        # Lookups by user use this index (its first column is the user): a second index on the user
        # alone (db_index=False above) would only slow writes, and PostgreSQL's planner picked it over
        # this one for a date range, reading a whole history to keep four weeks (3x slower).
        indexes = [models.Index(fields=["user", "date"])]
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "idempotency_key"], name="session_idempotency_unique")]

    def to_engine(self, items=None) -> SessionLog:
        rows = self.items.all() if items is None else items
        # strict=False: stored rows hold plain strings for the engine's enumerations.
        return SessionLog.model_validate({
            "date": self.date, "routine": self.routine_kind, "pain_before": self.pain_before, "pain_after": self.pain_after,
            "pain_next_day": self.pain_next_day, "joint_went_out": self.joint_went_out,
            "items": tuple(i.to_engine() for i in rows),
        }, strict=False)


class SessionItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    exercise = models.CharField(max_length=80)
    side = models.CharField(max_length=10, default=Side.NONE.value)
    planned_sets = models.PositiveSmallIntegerField(default=0)
    planned_reps = models.PositiveSmallIntegerField(default=0)
    planned_hold_s = models.PositiveIntegerField(default=0)
    sets_done = models.PositiveSmallIntegerField(default=0)
    reps_done = models.PositiveSmallIntegerField(default=0)
    hold_s_done = models.PositiveIntegerField(default=0)
    pain = models.PositiveSmallIntegerField(null=True, blank=True)
    effort = models.CharField(max_length=10, null=True, blank=True)
    skipped = models.BooleanField(default=False)
    swapped_from = models.CharField(max_length=80, null=True, blank=True)
    swap_reason = models.TextField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["session", "position"], name="item_position_unique")]

    def to_engine(self) -> LoggedItem:
        return LoggedItem.model_validate({
            "exercise": self.exercise, "side": self.side, "sets_done": self.sets_done, "reps_done": self.reps_done,
            "hold_s_done": self.hold_s_done, "pain": self.pain, "effort": self.effort, "skipped": self.skipped,
        }, strict=False)


class PlannedDay(models.Model):
    """What the plan held for a day, kept so the calendar can show done against planned later."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="planned_days", db_index=False)
    date = models.DateField()
    routines = models.JSONField()  # [{"kind": ..., "title": ..., "minutes": ...}]
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE)

    class Meta:
        # The unique (user, date) index serves lookups by user, as Session's does.
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="planned_day_unique")]


class PsfsActivity(models.Model):
    """An activity the person finds hard because of their back (Patient-Specific Functional Scale)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="psfs_activities")
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]


class PsfsRating(models.Model):
    activity = models.ForeignKey(PsfsActivity, on_delete=models.CASCADE, related_name="ratings")
    date = models.DateField()
    score = models.PositiveSmallIntegerField()  # 0 = unable, 10 = as before the problem

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["activity", "date"])]
